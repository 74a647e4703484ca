"""Push to peers over 127.0.0.1: two real Shieldwall hubs, and medallion (the OASIS reference
TAXII 2.1 server). Incremental and idempotent, pages that split one request's objects, the
peer's TLP ceiling, sanitized values never on the wire (read back from the peer's own HTTP
answers), the allow-list, and the whole flow through the real CLI as a user runs it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_intel_taxii import TAXII, TLP, collection, indicator, member, serve_hub

from cli_runner import run_cli
from shieldwall.core.errors import DeniedError, ProviderError
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.runtime import Runtime

T0 = "2024-01-01T00:00:00.000Z"
SECRETS = ("10.0.0.5", "10.9.9.9", "dc01", "corp.example", "jdoe", "example.org")
POLICY = {"domains": ["corp.example"], "usernames": ["jdoe"], "email_domains": ["example.org"]}


def sdo(kind: str, n: int, **over: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{uuid.UUID(int=n, version=4)}",
        "created": T0,
        "modified": T0,
    }
    obj.update(over)
    return obj


def feed() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What the source collection holds, added in one request: public GREEN indicators, one
    unmarked (it inherits the collection's GREEN), one per stricter TLP, and internal ones."""
    public = [indicator(n, marking="green") for n in range(1, 41)]
    public.append(indicator(41))  # unmarked
    above = {level: indicator(50 + i, marking=level) for i, level in enumerate(TLP) if i >= 2}
    internal = sdo(
        "indicator",
        60,
        pattern="[ipv4-addr:value = '10.0.0.5']",
        pattern_type="stix",
        valid_from="2024-01-01T00:00:00Z",
        object_marking_refs=[TLP["green"]],
    )
    malware = sdo(
        "malware",
        61,
        name="loader",
        is_family=False,
        description="Staged on dc01.corp.example by jdoe (jdoe@example.org) from 10.9.9.9",
        external_references=[{"source_name": "ir", "url": "https://wiki.corp.example/ir/7"}],
        object_marking_refs=[TLP["green"]],
    )
    uses = sdo(
        "relationship",
        62,
        relationship_type="indicates",
        source_ref=internal["id"],
        target_ref=malware["id"],
        object_marking_refs=[TLP["green"]],
    )
    report = sdo(
        "report",
        63,
        name="weekly",
        published=T0,
        object_refs=[public[0]["id"], internal["id"], above["amber"]["id"], malware["id"]],
        object_marking_refs=[TLP["green"]],
    )
    granular = sdo(  # GREEN, with a RED paragraph: the paragraph stays home
        "malware",
        64,
        name="dropper",
        is_family=False,
        description="RED-ONLY handover notes",
        granular_markings=[{"marking_ref": TLP["red"], "selectors": ["description"]}],
        object_marking_refs=[TLP["green"]],
    )
    objects = [*public, *above.values(), internal, malware, uses, report, granular]
    return objects, {
        "granular": granular,
        "public": public,
        "above": above,
        "internal": internal,
        "malware": malware,
        "uses": uses,
        "report": report,
    }


def raw_objects(base: str, cid: str, auth: Any, *, api: str = "/taxii2/api") -> tuple[str, list]:
    """Every object version the peer serves, and the raw text of its answers."""
    texts: list[str] = []
    objects: list[dict[str, Any]] = []
    params: dict[str, str] = {"match[version]": "all", "limit": "100"}
    with httpx.Client(timeout=30, headers={"Accept": TAXII}, auth=auth) as http:
        while True:
            answer = http.get(f"{base}{api}/collections/{cid}/objects/", params=params)
            assert answer.status_code == 200, answer.text
            texts.append(answer.text)
            body = answer.json()
            objects += body.get("objects", [])
            if not body.get("more"):
                return "\n".join(texts), objects
            params = {**params, "next": body["next"]}


class _Bearer(httpx.Auth):
    def __init__(self, header: dict[str, str]) -> None:
        self.header = header

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers.update(self.header)
        yield request


def invoke(runtime: Runtime, capability: str, request: dict[str, Any], who: Principal) -> Any:
    return runtime.gateway.invoke(capability, request, who).result


def test_hub_to_hub_push(tmp_path: Path) -> None:
    with serve_hub(tmp_path / "a") as a, serve_hub(tmp_path / "b") as b:
        receiver, receiver_auth = member(b, "ops@peer.example")
        inbox = collection(b, receiver, "inbox", "amber")
        token = receiver_auth["Authorization"].removeprefix("Bearer ")
        outbox = collection(a, LOCAL_OWNER, "outbox", "green")
        objects, parts = feed()
        added = invoke(
            a.runtime, "intel.objects.add", {"collection": outbox, "objects": objects}, LOCAL_OWNER
        )
        assert added["success_count"] == len(objects)
        invoke(a.runtime, "intel.sanitize.policy.set", POLICY, LOCAL_OWNER)
        request = {
            "url": f"{b.url}/taxii2/api/",
            "collection": "outbox",
            "remote_collection": inbox,
            "token": token,
            "page_size": 7,  # pages split the one request's objects
        }

        # Not on the allow-list (or not for pushing): refused, nothing sent.
        with pytest.raises(DeniedError) as unlisted:
            invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert unlisted.value.code == "intel.peer_not_allowed"
        assert "shieldwall intel peer add" in (unlisted.value.hint or "")
        invoke(
            a.runtime, "intel.peer.add", {"name": "b", "url": f"{b.url}/taxii2/api/"}, LOCAL_OWNER
        )
        with pytest.raises(DeniedError) as pull_only:
            invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert pull_only.value.code == "intel.peer_direction"
        assert raw_objects(b.url, inbox, _Bearer(receiver_auth))[1] == []
        invoke(
            a.runtime,
            "intel.peer.add",
            {"name": "b", "url": f"{b.url}/taxii2/api", "push": True},
            LOCAL_OWNER,
        )

        preview = invoke(
            a.runtime, "intel.sanitize.preview", {"collection": "outbox", "peer": "b"}, LOCAL_OWNER
        )
        one = invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert one["read"] == len(objects)
        assert one["pages"] == -(-len(objects) // 7)
        assert one["above_tlp"] == 3  # AMBER, AMBER+STRICT, RED
        assert one["withheld"] == 2  # the internal indicator and its relationship
        # + malware, report, and the object whose RED paragraph was redacted
        assert one["sent"] == one["accepted"] == len(parts["public"]) + 3
        assert (one["failed"], one["pending"], one["more"]) == (0, 0, False)
        assert preview["leaving"] == one["sent"]  # the preview said what would leave
        assert {o["id"] for o in preview["objects"]} == {o["id"] for o in objects} - {
            parts["internal"]["id"],
            parts["uses"]["id"],
            *(o["id"] for o in parts["above"].values()),
        }

        text, arrived = raw_objects(b.url, inbox, _Bearer(receiver_auth))
        for secret in (*SECRETS, "RED-ONLY"):  # sanitized or redacted: never on the wire
            assert secret not in text, secret
        ids = {o["id"] for o in arrived}
        assert ids == {o["id"] for o in parts["public"]} | {
            parts["malware"]["id"],
            parts["report"]["id"],
            parts["granular"]["id"],
        }
        by_id = {o["id"]: o for o in arrived}
        redacted = by_id[parts["granular"]["id"]]
        assert "description" not in redacted
        assert "granular_markings" not in redacted
        assert redacted["name"] == "dropper"
        malware = by_id[parts["malware"]["id"]]
        assert "[internal hostname]" in malware["description"]
        assert "[username]" in malware["description"]
        assert malware["modified"] == "2024-01-01T00:00:00.001Z"  # a new version, not T0
        report = by_id[parts["report"]["id"]]
        assert report["object_refs"] == [parts["public"][0]["id"], parts["malware"]["id"]]
        unmarked = by_id[parts["public"][-1]["id"]]
        assert unmarked["object_marking_refs"] == [TLP["green"]]  # never widened at the peer
        assert by_id[parts["public"][0]["id"]] == parts["public"][0]  # untouched as it was

        again = invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert (again["read"], again["sent"]) == (0, 0)  # idempotent
        more = [indicator(n, marking="green") for n in range(100, 110)]
        invoke(a.runtime, "intel.objects.add", {"collection": outbox, "objects": more}, LOCAL_OWNER)
        three = invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert (three["read"], three["sent"], three["accepted"]) == (10, 10, 10)
        assert len(raw_objects(b.url, inbox, _Bearer(receiver_auth))[1]) == len(arrived) + 10
        status = invoke(a.runtime, "intel.sync.status", {}, LOCAL_OWNER)["peers"]
        assert [p["direction"] for p in status] == ["push"]

        # Only the collection's owner organisation pushes it.
        stranger, _ = member(a, "x@other.example", verified_org=True)
        with pytest.raises(DeniedError):
            invoke(a.runtime, "intel.sync.push", request, stranger)
        # A wrong key at the peer: the push fails loudly and the watermark stays.
        invoke(
            a.runtime,
            "intel.objects.add",
            {"collection": outbox, "objects": [indicator(200)]},
            LOCAL_OWNER,
        )
        with pytest.raises(ProviderError, match="401"):
            invoke(a.runtime, "intel.sync.push", {**request, "token": "swk_no_no"}, LOCAL_OWNER)
        late = invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert (late["read"], late["accepted"]) == (1, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_medallion(work: Path, cid: str) -> Iterator[str]:
    """medallion 3.0 (memory backend) on 127.0.0.1 with one empty, writable collection;
    its API root URL. User ``pusher``, password ``s3cret``."""
    pytest.importorskip("medallion")
    data = {
        "/discovery": {"title": "m", "default": "http://127.0.0.1/api1/", "api_roots": []},
        "api1": {
            "information": {"title": "api1", "versions": [TAXII], "max_content_length": 10**8},
            "status": [],
            "collections": [
                {
                    "id": cid,
                    "title": "inbox",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": [],
                    "manifest": [],
                }
            ],
        },
    }
    (work / "data.json").write_text(json.dumps(data))
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": str(work / "data.json"),
        },
        "users": {"pusher": "s3cret"},
        "taxii": {"max_page_size": 100},
    }
    (work / "medallion.conf").write_text(json.dumps(config))
    port = _free_port()
    run = "from medallion.scripts.run import main; main()"
    args = [sys.executable, "-c", run, "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*args, str(work / "medallion.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/taxii2/", timeout=2, auth=("pusher", "s3cret"))
                break
            except httpx.HTTPError:
                assert proc.poll() is None, "medallion stopped"
                assert time.monotonic() < deadline, "medallion did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/api1/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_push_to_medallion(tmp_path: Path) -> None:
    cid = str(uuid.uuid4())
    with serve_hub(tmp_path / "a") as a, serve_medallion(tmp_path, cid) as root:
        outbox = collection(a, LOCAL_OWNER, "outbox", "green")
        objects, parts = feed()
        invoke(
            a.runtime, "intel.objects.add", {"collection": outbox, "objects": objects}, LOCAL_OWNER
        )
        invoke(a.runtime, "intel.sanitize.policy.set", POLICY, LOCAL_OWNER)
        invoke(
            a.runtime,
            "intel.peer.add",
            {"name": "medallion", "url": root, "pull": False, "push": True, "max_tlp": "amber"},
            LOCAL_OWNER,
        )
        request = {
            "url": "medallion",
            "collection": "outbox",
            "remote_collection": cid,
            "username": "pusher",
            "password": "s3cret",
            "page_size": 9,
        }
        one = invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert one["above_tlp"] == 2  # AMBER goes to this peer; AMBER+STRICT and RED never
        assert one["sent"] == one["accepted"] == len(parts["public"]) + 4
        assert (one["failed"], one["pending"]) == (0, 0)
        text, arrived = raw_objects(
            root.removesuffix("/api1/"), cid, ("pusher", "s3cret"), api="/api1"
        )
        for secret in (*SECRETS, "RED-ONLY"):
            assert secret not in text, secret
        ids = {o["id"] for o in arrived}
        assert parts["above"]["amber"]["id"] in ids
        assert parts["above"]["amber+strict"]["id"] not in ids
        assert parts["above"]["red"]["id"] not in ids
        assert parts["internal"]["id"] not in ids
        again = invoke(a.runtime, "intel.sync.push", request, LOCAL_OWNER)
        assert (again["sent"], again["failed"]) == (0, 0)  # medallion refuses repeats: none


def test_the_cli_flow(tmp_path: Path) -> None:
    """Allow a peer, set the policy, preview, push (with its progress), export sanitized: the
    real `shieldwall` process against its own data directory, pushing to a served hub."""
    home = tmp_path / "cli"
    with serve_hub(tmp_path / "b") as b:
        receiver, receiver_auth = member(b, "ops@peer.example")
        inbox = collection(b, receiver, "inbox", "amber")
        objects, parts = feed()
        bundle = tmp_path / "feed.json"
        bundle.write_text(
            json.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects})
        )

        def sw(*args: str, env: dict[str, str] | None = None, code: int = 0) -> str:
            proc = run_cli(home, *args, env=env)
            assert proc.returncode == code, f"{args}\n{proc.stdout}\n{proc.stderr}"
            return proc.stdout + proc.stderr

        sw("intel", "collection", "create", "outbox", "--tlp", "green")
        sw("intel", "import", str(bundle), "--collection", "outbox")
        policy = sw(
            "intel", "sanitize", "policy", "set", "--domain", "corp.example", "--username", "jdoe",
            "--email-domain", "example.org",
        )  # fmt: skip
        assert "corp.example" in sw("intel", "sanitize", "policy", "show")
        assert "usernames: jdoe" in policy
        token = {"SHIELDWALL_PEER_TOKEN": receiver_auth["Authorization"].removeprefix("Bearer ")}
        push = (
            "intel",
            "sync",
            "--to",
            "b",
            "--collection",
            "outbox",
            "--remote-collection",
            inbox,
        )
        refused = sw(*push, env=token, code=2)
        assert "intel.peer_not_allowed" in refused
        assert "shieldwall intel peer add" in refused
        sw("intel", "peer", "add", "b", f"{b.url}/taxii2/api/", "--push", "--no-pull")
        assert "push, pushes up to TLP:GREEN" in sw("intel", "peer", "list")
        preview = sw("intel", "sanitize", "preview", "--collection", "outbox", "--peer", "b")
        assert "3 above its TLP, 2 withheld, " in preview
        assert "references-withheld" in preview
        for secret in SECRETS:
            assert secret not in preview, secret
        out = sw(*push, "--page-size", "11", env=token)
        assert f"{len(parts['public']) + 3} sent to b: {len(parts['public']) + 3} accepted" in out
        assert "3 above TLP:GREEN" in out
        again = sw(*push, env=token)
        assert again.startswith("0 sent to b")
        text, _ = raw_objects(b.url, inbox, _Bearer(receiver_auth))
        for secret in SECRETS:
            assert secret not in text, secret
        exported = run_cli(home, "intel", "export", "--collection", "outbox", "--sanitize")
        assert exported.returncode == 0, exported.stderr
        bundle_out = json.loads(exported.stdout)
        assert "x_shieldwall_sanitize" not in bundle_out
        assert "withheld" in exported.stderr
        for secret in SECRETS:
            assert secret not in exported.stdout, secret
        assert "removed" in sw("intel", "peer", "remove", "b").lower()
        assert "intel.peer_not_allowed" in sw(*push, env=token, code=2)
