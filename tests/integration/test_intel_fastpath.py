"""The TAXII read fast path (``intel.fastpath``) against the FastAPI routes it stands in for.

The same requests, over real sockets, go to two servers on one data directory, one app with
the fast path and one without: they must give the same status, the same headers (but the
date) and the same body bytes, for pages, single objects, versions and manifests, for every
kind of caller (API key as Bearer or Basic, account password, anonymous, bad credentials),
for malformed parameters and unacceptable media types. Which requests the fast path answers
itself, and that it hands every other one on untouched, is checked in-process."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.api.app import create_app
from shieldwall.core.settings import Settings
from shieldwall.core.types import Tier
from shieldwall.intel.fastpath import TaxiiFastPath
from shieldwall.runtime import Runtime, open_runtime

TAXII = "application/taxii+json;version=2.1"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
PASSWORD = "a long enough passphrase"
STAMPS = ["2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"]


def slow_app(runtime: Runtime) -> FastAPI:
    """The app without the fast path: every TAXII read through FastAPI's routes."""
    return create_app(runtime, taxii_fast_path=False)


def indicator(n: int, *, amber: bool = False, modified: str = STAMPS[0]) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n + 1, version=4)}",
        "created": STAMPS[0],
        "modified": modified,
        "name": f"n{n} \u00e9",
        "pattern": f"[ipv4-addr:value = '203.0.113.{n}']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    if amber:
        obj["object_marking_refs"] = [AMBER]
    return obj


@dataclass
class Twins:
    runtime: Runtime
    fast: httpx.Client
    slow: httpx.Client
    fast_app: FastAPI
    slow_app: FastAPI  # another app without the fast path, for in-process calls
    open_id: str
    closed_id: str
    auth: dict[str, dict[str, str]]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Twins]:
    runtime = open_runtime(Settings(home=tmp_path_factory.mktemp("fastpath") / "home"))
    ids = runtime.identities
    account = ids.create_user(email="owner@one.example", name="owner", password=PASSWORD)
    ids.verify_email(ids.start_email_verification(account.id))
    ids.create_org(name="one", creator=ids.principal(account.id))
    owner = ids.principal(account.id)
    _, owner_key = runtime.keys.create(name="owner", tier=Tier.VERIFIED_ORG, user_id=account.id)
    _, vetted_key = runtime.keys.create(name="vetted", tier=Tier.VETTED_DEFENDER)
    gate = runtime.gateway
    open_id = gate.invoke("intel.collection.create", {"title": "open", "tlp": "clear"}, owner)
    closed_id = gate.invoke("intel.collection.create", {"title": "closed", "tlp": "amber"}, owner)
    versions = [indicator(0, modified=m) for m in STAMPS]
    gate.invoke(
        "intel.objects.add",
        {"collection": "open", "objects": [*versions, *(indicator(n) for n in range(1, 6))]},
        owner,
    )
    gate.invoke(
        "intel.objects.add",
        {"collection": "closed", "objects": [indicator(n, amber=True) for n in (7, 8)]},
        owner,
    )
    apps = {"fast": create_app(runtime), "slow": slow_app(runtime)}
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []
    urls: dict[str, str] = {}
    for name, app in apps.items():
        port = _port()
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        servers.append((srv, thread))
        urls[name] = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not all(srv.started for srv, _ in servers):
        assert time.monotonic() < deadline, "a server did not start"
        time.sleep(0.02)
    basic = base64.b64encode(f"owner@one.example:{PASSWORD}".encode()).decode()
    basic_key = base64.b64encode(f"anyone:{vetted_key}".encode()).decode()
    try:
        with (
            httpx.Client(base_url=urls["fast"], timeout=30) as fast,
            httpx.Client(base_url=urls["slow"], timeout=30) as slow,
        ):
            yield Twins(
                runtime=runtime,
                fast=fast,
                slow=slow,
                fast_app=apps["fast"],
                slow_app=slow_app(runtime),
                open_id=str(open_id.result["id"]),
                closed_id=str(closed_id.result["id"]),
                auth={
                    "owner": {"Authorization": f"Bearer {owner_key}"},
                    "vetted": {"Authorization": f"Bearer {vetted_key}"},
                    "password": {"Authorization": f"Basic {basic}"},
                    "basic-key": {"Authorization": f"Basic {basic_key}"},
                    "anonymous": {},
                    "bad-key": {"Authorization": "Bearer swk_nothere_0000"},
                    "bad-scheme": {"Authorization": "Digest x"},
                },
            )
    finally:
        for srv, _ in servers:
            srv.should_exit = True
        for _, thread in servers:
            thread.join(timeout=20)
        runtime.close()


def same(
    twins: Twins,
    path: str,
    params: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> httpx.Response:
    """Send one request to both servers; assert that the answers are the same, byte for byte."""
    sent = {"Accept": TAXII, **(headers or {})}
    fast = twins.fast.request(method, path, params=params, headers=sent)
    slow = twins.slow.request(method, path, params=params, headers=sent)
    where = f"{method} {path} {params} {headers}"
    assert fast.status_code == slow.status_code, where
    assert fast.content == slow.content, where
    assert [h for h in fast.headers.raw if h[0].lower() != b"date"] == [
        h for h in slow.headers.raw if h[0].lower() != b"date"
    ], where
    return fast


OID = indicator(0)["id"]
MISSING = f"indicator--{uuid.UUID(int=999, version=4)}"
PATHS = [
    "objects/",
    "manifest/",
    f"objects/{OID}/",
    f"objects/{OID}/versions/",
    f"objects/{MISSING}/",
    f"objects/{MISSING}/versions/",
]


@pytest.mark.parametrize("who", ["owner", "vetted", "password", "basic-key", "bad-key"])
def test_every_read_route_for_every_kind_of_caller(twins: Twins, who: str) -> None:
    statuses: set[int] = set()
    for collection in (twins.open_id, "open", twins.closed_id, str(uuid.uuid4())):
        for path in PATHS:
            got = same(twins, f"/taxii2/api/collections/{collection}/{path}", [], twins.auth[who])
            statuses.add(got.status_code)
            assert got.headers["content-type"] == TAXII
    assert statuses == ({401} if who == "bad-key" else {200, 404})


def test_anonymous_callers_and_bad_headers(twins: Twins) -> None:
    # Few anonymous requests: anonymous callers have a small per-minute quota.
    for headers in (twins.auth["anonymous"], twins.auth["bad-scheme"]):
        for collection in (twins.open_id, twins.closed_id):
            for path in ("objects/", f"objects/{OID}/"):
                got = same(twins, f"/taxii2/api/collections/{collection}/{path}", [], headers)
                assert got.status_code in (200, 401)
    refused = same(twins, f"/taxii2/api/collections/{twins.closed_id}/objects/")
    assert refused.status_code == 401
    assert "Basic" in refused.headers["WWW-Authenticate"]


def test_pages_headers_and_next(twins: Twins) -> None:
    base = f"/taxii2/api/collections/{twins.open_id}/"
    owner = twins.auth["owner"]
    first = same(twins, f"{base}objects/", [("limit", "2")], owner)
    assert first.json()["more"] is True
    assert first.headers["X-TAXII-Date-Added-First"] <= first.headers["X-TAXII-Date-Added-Last"]
    token = first.json()["next"]
    rest = same(twins, f"{base}objects/", [("limit", "2"), ("next", token)], owner)
    assert rest.status_code == 200
    manifest = same(twins, f"{base}manifest/", [("limit", "3"), ("match[version]", "all")], owner)
    assert len(manifest.json()["objects"]) == 3
    after = first.headers["X-TAXII-Date-Added-First"]
    for params in (
        [("added_after", after)],
        [("match[type]", "indicator"), ("match[version]", "first")],
        [("match[id]", f"{OID},{MISSING}"), ("match[version]", "all")],
        [("match[version]", STAMPS[1])],
        [("match[spec_version]", "2.0")],
        [("limit", "")],
    ):
        same(twins, f"{base}objects/", params, owner)
    versions = same(twins, f"{base}objects/{OID}/versions/", [("limit", "2")], owner)
    assert versions.json()["versions"] == STAMPS[:2]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("objects/", [("limit", "x")]),
        ("objects/", [("limit", "0")]),
        ("objects/", [("limit", "5"), ("limit", "6")]),
        ("objects/", [("nope", "1")]),
        ("objects/", [("added_after", "yesterday")]),
        ("objects/", [("next", "not-a-token")]),
        ("manifest/", [("match[version]", "yesterday")]),
        ("manifest/", [("match[spec_version]", "3.x")]),
        (f"objects/{OID}/", [("match[id]", OID)]),
        (f"objects/{OID}/versions/", [("match[version]", "all")]),
        (f"objects/{OID}/versions/", [("added_after", "2024")]),
    ],
)
def test_malformed_parameters(twins: Twins, path: str, params: list[tuple[str, str]]) -> None:
    got = same(
        twins, f"/taxii2/api/collections/{twins.open_id}/{path}", params, twins.auth["vetted"]
    )
    assert got.status_code == 400
    assert got.json()["http_status"] == "400"
    # In a collection that does not exist: 400 for a parameter the endpoint does not take,
    # 404 when only the value is wrong (values are read once the collection is found).
    same(twins, f"/taxii2/api/collections/{uuid.uuid4()}/{path}", params, twins.auth["vetted"])


@pytest.mark.parametrize(
    "accept",
    [
        "application/taxii+json",
        'application/taxii+json; version="2.1"',
        "*/*",
        "text/html",
        "application/taxii+json;version=2.0",
        "application/json",
    ],
)
def test_media_types(twins: Twins, accept: str) -> None:
    path = f"/taxii2/api/collections/{twins.open_id}/objects/"
    got = same(twins, path, [], {**twins.auth["vetted"], "Accept": accept})
    assert got.status_code in (200, 406)
    # A malformed parameter is reported before an unacceptable media type, on both paths.
    bad = same(twins, path, [("limit", "x")], {**twins.auth["vetted"], "Accept": accept})
    assert bad.status_code == 400


def test_requests_the_fast_path_hands_on(twins: Twins) -> None:
    base = f"/taxii2/api/collections/{twins.open_id}"
    vetted = twins.auth["vetted"]
    for method, path in (
        ("HEAD", f"{base}/objects/"),
        ("GET", f"{base}/objects"),
        ("GET", f"{base}/"),
        ("GET", f"{base}/objects/{OID}/versions/extra/"),
        ("DELETE", f"{base}/objects/{MISSING}/"),
        ("PUT", f"{base}/manifest/"),
    ):
        same(twins, path, [], vetted, method=method)


class Inner:
    """The app behind the fast path, in-process: it records what it was handed."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(
    app: Any, fast_app: FastAPI, path: str, *, method: str = "GET", query: bytes = b"", **kw: Any
) -> tuple[int, dict[bytes, bytes], bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": kw.get("root_path", ""),
        "headers": kw.get("headers", [(b"accept", TAXII.encode())]),
        "client": ("127.0.0.9", 5000),
        "server": ("127.0.0.1", 8000),
        "app": fast_app,
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: an earlier test of the suite (Playwright's sync API) may leave
    # an event loop running in this one, and asyncio.run refuses to nest.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


def test_which_requests_the_fast_path_answers(twins: Twins) -> None:
    inner = Inner()
    fast = TaxiiFastPath(inner, anonymous=lambda _address: pytest.fail("no anonymous here"))
    key = twins.auth["vetted"]["Authorization"].encode()
    headers = [(b"accept", TAXII.encode()), (b"authorization", key)]
    base = f"/taxii2/api/collections/{twins.open_id}"
    for path in (f"{base}/objects/", f"{base}/manifest/", f"{base}/objects/{OID}/"):
        status, _, body = call(fast, twins.fast_app, path, headers=headers)
        assert status == 200, body
    status, _, _ = call(fast, twins.fast_app, f"{base}/objects/{OID}/versions/", headers=headers)
    assert status == 200
    assert inner.paths == []
    handed = [
        ("GET", f"{base}/objects", ""),
        ("GET", f"{base}/", ""),
        ("GET", f"{base}/objects/{OID}/versions/x/", ""),
        ("GET", f"{base}/objects/{OID}/\n", ""),
        ("HEAD", f"{base}/objects/", ""),
        ("POST", f"{base}/objects/", ""),
        ("GET", f"{base}/objects/", "/mounted"),
        ("GET", "/taxii2/api/collections/", ""),
    ]
    for method, path, root in handed:
        status, _, _ = call(fast, twins.fast_app, path, method=method, root_path=root)
        assert status == 418, (method, path)
    assert inner.paths == [path for _, path, _ in handed]


def test_every_fast_read_is_decided_and_recorded(twins: Twins) -> None:
    ledger = twins.runtime.ledger
    before = ledger.size()
    path = f"/taxii2/api/collections/{twins.open_id}/objects/{OID}/"
    for _ in range(3):
        assert twins.fast.get(path, headers={**twins.auth["vetted"]}).status_code == 200
    ledger.flush()
    entries = [json.loads(b) for b in ledger.entries(before)]
    decisions = [e for e in entries if e["kind"] == "decision"]
    assert [d["capability"] for d in decisions] == ["intel.objects"] * 3
    assert all(d["decision"] == "allow" for d in decisions)
    assert sum(e["kind"] == "outcome" for e in entries) == 3


NAMES = ["limit", "next", "added_after", "match[id]", "match[type]", "match[version]",
         "match[spec_version]", "nope", "limit "]  # fmt: skip
VALUES = ["1", "2", "0", "-1", "x", "", "all", "first", "last", "2.1", "indicator", OID,
          STAMPS[1], "2024-01-01T00:00:00Z", "%zz", "a,b", "\u00e9"]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(["objects/", "manifest/", f"objects/{OID}/", f"objects/{OID}/versions/"]),
    pairs=st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES) | st.text(max_size=8)),
        max_size=4,
    ),
    raw=st.text(max_size=12).map(str.encode),
)
def test_any_query_string_gets_the_same_answer(
    twins: Twins, route: str, pairs: list[tuple[str, str]], raw: bytes
) -> None:
    """Query strings (also raw text that is not valid percent-encoding) parsed by the fast
    path as by Starlette: the same status, headers and body, in-process."""
    query = urlencode(pairs).encode() + (b"&" + raw if raw else b"")
    path = f"/taxii2/api/collections/{twins.open_id}/{route}"
    key = twins.auth["vetted"]["Authorization"].encode()
    headers = [(b"accept", TAXII.encode()), (b"authorization", key)]
    fast = call(twins.fast_app, twins.fast_app, path, query=query, headers=headers)
    slow = call(twins.slow_app, twins.slow_app, path, query=query, headers=headers)
    assert fast == slow


def test_a_query_string_that_is_not_utf8_gets_a_taxii_error(twins: Twins) -> None:
    """Where the two paths differ: FastAPI's stack cannot build the URL of a query string that
    is not UTF-8 and fails with a 500 (its error handler fails too); the fast path reads the
    parameters as Starlette's query parser does (Latin-1) and refuses the unknown one."""
    key = twins.auth["vetted"]["Authorization"].encode()
    path = f"/taxii2/api/collections/{twins.open_id}/objects/"
    status, headers, body = call(
        twins.fast_app,
        twins.fast_app,
        path,
        query=b"limit=1&\x80=1",
        headers=[(b"accept", TAXII.encode()), (b"authorization", key)],
    )
    assert (status, headers[b"content-type"]) == (400, TAXII.encode())
    assert json.loads(body)["error_code"] == "intel.bad_parameter"
