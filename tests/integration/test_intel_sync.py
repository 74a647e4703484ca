"""Peer sync between two real Shieldwall hubs on 127.0.0.1: incremental by added_after,
following next, idempotent, never pulling more than the peer lets the syncing key read, and
only from a peer on the allow-list."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from test_intel_taxii import TAXII, collection, indicator, member, post, serve_hub

from shieldwall.core.errors import ProviderError
from shieldwall.core.types import LOCAL_OWNER


def test_hub_to_hub_pull_is_incremental_and_idempotent(tmp_path: Path) -> None:
    with serve_hub(tmp_path / "a") as a, serve_hub(tmp_path / "b") as b:
        owner, owner_auth = member(a, "src@one.example")
        _, peer_auth = member(a, "peer@two.example", verified_org=True)  # the community
        cid = collection(a, owner, "feed", "green")
        with httpx.Client(base_url=a.url, timeout=30, headers={"Accept": TAXII}) as http:
            first = [indicator(n) for n in range(1, 251)]
            secret = [indicator(n, marking="amber") for n in range(251, 261)]
            assert post(http, cid, first + secret, owner_auth).json()["success_count"] == 260
            local = b.runtime.gateway.invoke(
                "intel.collection.create", {"title": "from a", "tlp": "green"}, LOCAL_OWNER
            ).result["id"]
            token = peer_auth["Authorization"].removeprefix("Bearer ")
            # Only a peer a hub admin allowed is pulled from.
            b.runtime.gateway.invoke(
                "intel.peer.add", {"name": "a", "url": f"{a.url}/taxii2/api/"}, LOCAL_OWNER
            )
            request = {
                "url": f"{a.url}/taxii2/api/",
                "remote_collection": cid,
                "into": local,
                "token": token,
                "page_size": 40,
            }

            def sync() -> dict[str, int]:
                result = b.runtime.gateway.invoke("intel.sync", request, LOCAL_OWNER).result
                assert isinstance(result, dict)
                return result

            def pulled() -> set[str]:
                bundle = b.runtime.gateway.invoke(
                    "intel.export", {"collection": local}, LOCAL_OWNER
                ).result
                return {o["id"] for o in bundle["objects"]}

            one = sync()
            assert one["pages"] == 7  # 250 objects in pages of 40, following next
            assert (one["received"], one["stored_new"], one["rejected"]) == (250, 250, 0)
            assert pulled() == {o["id"] for o in first}  # AMBER stays with its audience
            again = sync()
            assert again["stored_new"] == 0
            assert again["received"] == 1  # incremental: only what shares the last date
            newer = [indicator(n) for n in range(300, 320)]
            newer.append(indicator(5, modified="2024-09-01T00:00:00.000Z"))  # a new version
            assert post(http, cid, newer, owner_auth).status_code == 202
            three = sync()
            assert three["stored_new"] == 21
            assert pulled() == {o["id"] for o in first + newer}
            versions = b.runtime.gateway.invoke(
                "intel.versions",
                {"collection": local, "object_id": indicator(5)["id"]},
                LOCAL_OWNER,
            ).result["versions"]
            assert len(versions) == 2
            # A key the peer does not know: the sync fails loudly, nothing is stored.
            bad = {**request, "token": "swk_nope_nope"}
            with pytest.raises(ProviderError, match="401"):
                b.runtime.gateway.invoke("intel.sync", bad, LOCAL_OWNER)
            assert pulled() == {o["id"] for o in first + newer}
