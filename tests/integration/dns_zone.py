"""A real DNS server (dnslib) on 127.0.0.1 that serves records from dicts the tests change.
Used through the ``zone`` fixture of conftest.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dnslib import AAAA, QTYPE, RCODE, RR, TXT, A, DNSRecord  # type: ignore[import-untyped]
from dnslib.server import DNSLogger, DNSServer  # type: ignore[import-untyped]


@dataclass
class Zone:
    txt: dict[str, list[str]] = field(default_factory=dict)
    a: dict[str, list[str]] = field(default_factory=dict)
    aaaa: dict[str, list[str]] = field(default_factory=dict)
    queries: list[tuple[str, str]] = field(default_factory=list)

    def resolve(self, request: DNSRecord, handler: Any) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        self.queries.append((name, qtype))
        if name not in self.txt and name not in self.a and name not in self.aaaa:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if qtype == "TXT":
            for value in self.txt.get(name, []):
                reply.add_answer(RR(name, QTYPE.TXT, rdata=TXT(value), ttl=0))
        elif qtype == "A":
            for ip in self.a.get(name, []):
                reply.add_answer(RR(name, QTYPE.A, rdata=A(ip), ttl=0))
        elif qtype == "AAAA":
            for ip in self.aaaa.get(name, []):
                reply.add_answer(RR(name, QTYPE.AAAA, rdata=AAAA(ip), ttl=0))
        return reply


@contextmanager
def serve_zone() -> Iterator[tuple[Zone, int]]:
    records = Zone()
    server = DNSServer(records, address="127.0.0.1", port=0, logger=DNSLogger(logf=lambda _: None))
    thread = threading.Thread(
        target=server.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield records, int(server.server.server_address[1])
    finally:
        server.stop()
        server.server.server_close()
        thread.join(timeout=10)
