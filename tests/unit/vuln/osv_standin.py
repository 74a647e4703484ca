"""A stand-in OSV API server on 127.0.0.1, speaking the real protocol (https://google.github.io/
osv.dev/api/): ``POST /v1/query``, ``POST /v1/querybatch`` (ids and ``modified`` only, paged with
``next_page_token``) and ``GET /v1/vulns/{id}``, over records given to it.

It is a stand-in, not OSV: a query with a version matches a record when the version is in the
record's enumerated ``versions`` list (the PyPA exports enumerate them), which is independent
of Shieldwall's range evaluation. Faults can be switched on to test that a failed or partial
lookup is an error: ``drop_results`` (answer fewer batch results than queries), ``fail_ids``
(500 for those records), ``status`` (every answer fails with it).
"""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from packaging.utils import canonicalize_name


@dataclass
class StandinState:
    records: dict[str, dict[str, Any]]
    by_package: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    page_size: int = 1000
    drop_results: int = 0
    fail_ids: set[str] = field(default_factory=set)
    status: int | None = None
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for rid, rec in self.records.items():
            for a in rec.get("affected", []):
                pkg = a.get("package", {})
                key = (
                    pkg.get("ecosystem", ""),
                    _norm(pkg.get("ecosystem", ""), pkg.get("name", "")),
                )
                if rid not in self.by_package.setdefault(key, []):
                    self.by_package[key].append(rid)

    def matching(self, query: dict[str, Any]) -> list[str]:
        pkg = query.get("package") or {}
        eco = pkg.get("ecosystem", "")
        ids = self.by_package.get((eco, _norm(eco, pkg.get("name", ""))), [])
        version = query.get("version")
        if version is None:
            return list(ids)
        out = []
        for rid in ids:
            for a in self.records[rid].get("affected", []):
                p = a.get("package", {})
                if _norm(eco, p.get("name", "")) == _norm(eco, pkg.get("name", "")) and version in (
                    a.get("versions") or []
                ):
                    out.append(rid)
                    break
        return out


def _norm(eco: str, name: str) -> str:
    return canonicalize_name(name) if eco == "PyPI" else name


def _handler(state: StandinState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_GET(self) -> None:
            state.requests.append(f"GET {self.path}")
            if state.status:
                return self._send(state.status, {"code": 13, "message": "stand-in fault"})
            prefix = "/v1/vulns/"
            if not self.path.startswith(prefix):
                return self._send(404, {"code": 5, "message": "not found"})
            rid = unquote(self.path[len(prefix) :])
            if rid in state.fail_ids:
                return self._send(500, {"code": 13, "message": "stand-in fault"})
            if rid not in state.records:
                return self._send(404, {"code": 5, "message": "Bug not found."})
            return self._send(200, state.records[rid])

        def do_POST(self) -> None:
            state.requests.append(f"POST {self.path}")
            if state.status:
                return self._send(state.status, {"code": 13, "message": "stand-in fault"})
            body = self._body()
            if self.path == "/v1/query":
                ids = state.matching(body)
                return self._send(200, {"vulns": [state.records[i] for i in ids]} if ids else {})
            if self.path == "/v1/querybatch":
                results = []
                for q in body.get("queries", []):
                    ids = state.matching(q)
                    start = int(q.get("page_token") or 0)
                    page = ids[start : start + state.page_size]
                    result: dict[str, Any] = {}
                    if page:
                        result["vulns"] = [
                            {"id": i, "modified": state.records[i]["modified"]} for i in page
                        ]
                    if start + state.page_size < len(ids):
                        result["next_page_token"] = str(start + state.page_size)
                    results.append(result)
                if state.drop_results:
                    results = results[: -state.drop_results]
                return self._send(200, {"results": results})
            return self._send(404, {"code": 5, "message": "not found"})

    return Handler


def records_from_zip(path: Path) -> dict[str, dict[str, Any]]:
    with zipfile.ZipFile(path) as zf:
        out = {}
        for m in zf.infolist():
            if m.filename.endswith(".json"):
                rec = json.loads(zf.read(m))
                out[rec["id"]] = rec
        return out


@contextmanager
def serve_osv(
    records: Iterable[dict[str, Any]] | dict[str, dict[str, Any]],
) -> Iterator[tuple[str, StandinState]]:
    """Serve ``records`` on 127.0.0.1 (an ephemeral port): yields (base URL, state)."""
    recs = records if isinstance(records, dict) else {r["id"]: r for r in records}
    state = StandinState(records=dict(recs))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
