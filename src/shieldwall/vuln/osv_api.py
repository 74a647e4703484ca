"""The OSV API as an advisory source (``SHIELDWALL_OSV_URL``, e.g. https://api.osv.dev).

``POST /v1/querybatch`` with one query per package (no version: every advisory naming it, with
``next_page_token`` paging followed), then ``GET /v1/vulns/{id}`` for each record, which is
matched here with the same exact semantics as the local database (and the fix planner can
re-check candidate versions without asking again).

A failed or partial lookup is an error, never a silent pass: a transport error, a non-200
answer, a batch answer with fewer results than queries, or a record that does not parse all
raise ``AdvisoryLookupError`` (exit 2, HTTP 502).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import httpx

from shieldwall.core.errors import InputError
from shieldwall.vuln.osv import Advisory, AdvisoryFormatError, normalize_name, parse_record

BATCH = 1000  # the API's limit of queries per batch
MAX_PAGES = 100
MAX_RECORD_BYTES = 5 * 1024 * 1024


@dataclass(eq=False)
class AdvisoryLookupError(InputError):
    """The advisory service could not answer (fully): the scan did not check everything."""

    code: str = "vuln.osv.lookup"
    http_status: ClassVar[int] = 502
    title: ClassVar[str] = "Advisory lookup failed"


def _lookup_error(message: str) -> AdvisoryLookupError:
    return AdvisoryLookupError(
        message,
        code="vuln.osv.lookup",
        hint="Check SHIELDWALL_OSV_URL and the network, or scan with --offline against an "
        "imported database.",
    )


class OsvApi:
    """An ``AdvisorySource`` over the OSV HTTP API."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        workers: int = 8,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"SHIELDWALL_OSV_URL is not an http(s) URL: {base_url[:200]!r}",
                code="vuln.osv.url",
                hint="Set it like https://api.osv.dev",
            )
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(timeout=timeout, transport=transport)
        self._workers = workers
        self._records: dict[str, Advisory] = {}

    def describe(self) -> str:
        return f"the OSV API at {self.base_url}"

    def imported(self, ecosystem: str) -> bool:
        return True  # the service holds every ecosystem; a missing one answers with no vulns

    def close(self) -> None:
        self._client.close()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        try:
            r = self._client.post(f"{self.base_url}{path}", json=body)
        except httpx.HTTPError as exc:
            raise _lookup_error(f"{self.describe()} could not be reached: {exc}") from exc
        return self._json(r, path)

    def _json(self, r: httpx.Response, path: str) -> Any:
        if r.status_code != 200:
            raise _lookup_error(f"{self.describe()} answered {r.status_code} to {path}")
        if len(r.content) > MAX_RECORD_BYTES * 20:
            raise _lookup_error(f"{self.describe()} answered too much to {path}")
        try:
            return r.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _lookup_error(f"{self.describe()} answered {path} with no JSON") from exc

    def _ids(self, ecosystem: str, names: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {n: [] for n in names}
        for start in range(0, len(names), BATCH):
            chunk = names[start : start + BATCH]
            queries = [{"package": {"name": n, "ecosystem": ecosystem}} for n in chunk]
            body = self._post("/v1/querybatch", {"queries": queries})
            results = body.get("results") if isinstance(body, dict) else None
            if not isinstance(results, list) or len(results) != len(queries):
                got = len(results) if isinstance(results, list) else 0
                raise _lookup_error(
                    f"{self.describe()} answered {got} of {len(queries)} queries: a partial "
                    "lookup is not a clean result"
                )
            for name, query, result in zip(chunk, queries, results, strict=True):
                pages = 0
                while True:
                    if not isinstance(result, dict):
                        raise _lookup_error(f"{self.describe()} sent a malformed batch result")
                    for v in result.get("vulns") or []:
                        if not isinstance(v, dict) or not isinstance(v.get("id"), str):
                            raise _lookup_error(f"{self.describe()} sent a vuln without an id")
                        out[name].append(v["id"])
                    token = result.get("next_page_token")
                    if not token:
                        break
                    pages += 1
                    if pages > MAX_PAGES:
                        raise _lookup_error(f"{self.describe()}: too many pages for {name}")
                    page = self._post(
                        "/v1/querybatch", {"queries": [{**query, "page_token": token}]}
                    )
                    more = page.get("results") if isinstance(page, dict) else None
                    if not isinstance(more, list) or len(more) != 1:
                        raise _lookup_error(f"{self.describe()} answered a page partially")
                    result = more[0]
        return out

    def _record(self, vid: str) -> Advisory:
        cached = self._records.get(vid)
        if cached is not None:
            return cached
        path = f"/v1/vulns/{quote(vid, safe='')}"
        try:
            r = self._client.get(f"{self.base_url}{path}")
        except httpx.HTTPError as exc:
            raise _lookup_error(f"{self.describe()} could not be reached: {exc}") from exc
        try:
            adv = parse_record(self._json(r, path))
        except AdvisoryFormatError as exc:
            raise _lookup_error(
                f"{self.describe()} sent a record that does not parse: {exc}"
            ) from exc
        if adv.id != vid:
            raise _lookup_error(f"{self.describe()} answered {adv.id} when asked for {vid}")
        self._records[vid] = adv
        return adv

    def advisories_for(self, ecosystem: str, names: Iterable[str]) -> dict[str, list[Advisory]]:
        wanted = sorted({normalize_name(ecosystem, n) for n in names})
        if not wanted:
            return {}
        ids = self._ids(ecosystem, wanted)
        unique = sorted({i for v in ids.values() for i in v})
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            records = dict(zip(unique, pool.map(self._record, unique), strict=True))
        return {n: [records[i] for i in dict.fromkeys(ids[n])] for n in wanted}
