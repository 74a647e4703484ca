"""AWS CloudTrail records (``{"Records": [...]}`` files as CloudTrail writes them to S3, gzipped
or not, or one record per JSON line as log shippers forward them).

A record keeps its own names, nested objects dotted (``userIdentity.arn``,
``requestParameters.bucketName``); ``requestParameters``, ``responseElements``,
``additionalEventData`` and ``serviceEventDetails`` are also kept whole as compact JSON text,
because SigmaHQ's CloudTrail rules search them as text (``requestParameters|contains``).
Logsource: ``product: aws, service: cloudtrail``; the host is the account the record belongs to.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers._common import parse_iso

LOGSOURCE: Final = LogSource(product="aws", service="cloudtrail")
_WHOLE: Final = (
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "serviceEventDetails",
)


def is_cloudtrail(obj: dict[str, Any]) -> bool:
    """A CloudTrail record: ``eventSource`` / ``eventName`` and one of its other keys."""
    return (
        obj.get("eventSource").__class__ is str
        and obj.get("eventName").__class__ is str
        and ("eventVersion" in obj or "awsRegion" in obj or "userIdentity" in obj)
    )


def cloudtrail_event(obj: dict[str, Any], *, source: EventSource) -> Event:
    fields = flatten(obj)
    for key in _WHOLE:
        value = obj.get(key)
        if value.__class__ is dict or value.__class__ is list:
            try:
                fields[key] = orjson.dumps(value).decode()
            except TypeError:  # an integer beyond 64 bits, from the lenient decoder
                fields[key] = str(value)
    stamp = obj.get("eventTime")
    account = obj.get("recipientAccountId")
    if account.__class__ is not str:
        identity = obj.get("userIdentity")
        account = identity.get("accountId") if identity.__class__ is dict else None
    return Event(
        timestamp=parse_iso(stamp) if stamp.__class__ is str else None,
        host=account if account.__class__ is str and account else None,
        format=LogFormat.CLOUDTRAIL,
        logsource=LOGSOURCE,
        source=source,
        fields=fields,
    )
