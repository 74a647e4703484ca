"""The hub's pages on the real app (real runtime, real intel store, real door): sharing groups
and their members, sharing a collection and with whom, an indicator's sightings, and what the
pages say when the door refuses or the server lacks a read. Plus the parsers of what the forms
send (hypothesis holds them to raising only InputError) and the views of intel's answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.api.app import create_app
from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.intel.validate import parse_timestamp
from shieldwall.runtime import Runtime, open_runtime
from shieldwall.web.hub import (
    SHARING,
    SYNC_STATUS,
    groups_view,
    object_view,
    sharing_view,
    sighting_count,
    stix_id,
    sync_view,
    utc_stamp,
)

PASSWORD = "a long enough passphrase"
TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TLP_AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
AMBER_ID = "indicator--00000002-0000-4000-8000-000000000000"
GREEN_ID = "indicator--00000001-0000-4000-8000-000000000000"


# -- helpers -------------------------------------------------------------------------------------


def _user(runtime: Runtime, email: str, org: str | None = None) -> Principal:
    gate = runtime.gateway
    made = gate.invoke(
        "gateway.users.create", {"email": email, "name": "Nia", "password": PASSWORD}, LOCAL_OWNER
    ).result
    token = runtime.identities.start_email_verification(made["user_id"])
    gate.invoke("gateway.users.verify_email", {"token": token}, LOCAL_OWNER)
    if org is not None:
        gate.invoke(
            "gateway.orgs.add_member",
            {"org_id": org, "user_id": made["user_id"], "role": "member"},
            LOCAL_OWNER,
        )
    return runtime.identities.principal(made["user_id"])


def _org(runtime: Runtime, name: str) -> str:
    made = runtime.gateway.invoke("gateway.orgs.create", {"name": name}, LOCAL_OWNER).result
    return str(made["org_id"])


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, email: str) -> None:
    token = _csrf(client.get("/login").text)
    done = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def _indicator(n: int, marking: str) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{n:08d}-0000-4000-8000-000000000000",
        "created": "2026-11-20T10:00:00.000Z",
        "modified": "2026-11-20T10:00:00.000Z",
        "name": f"Phishing domain {n}",
        "pattern": f"[domain-name:value = 'paypa{n}-secure.top']",
        "pattern_type": "stix",
        "valid_from": "2026-11-20T10:00:00Z",
        "object_marking_refs": [marking],
    }


def _collection(runtime: Runtime, org: str, member: Principal) -> str:
    """A TLP:GREEN collection of ``org`` with a GREEN and an AMBER indicator."""
    coll = runtime.gateway.invoke(
        "intel.collection.create",
        {"title": "Clinic phishing", "tlp": "green", "owner_org": org},
        LOCAL_OWNER,
    ).result
    runtime.gateway.invoke(
        "intel.objects.add",
        {"collection": coll["id"], "objects": [_indicator(1, TLP_GREEN), _indicator(2, TLP_AMBER)]},
        member,
    )
    return str(coll["id"])


def _text(html: str) -> str:
    """The page's main content as plain text (tags dropped, white space folded)."""
    main = re.search(r"<main.*</main>", html, re.S)
    assert main
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0))).replace(" ,", ",")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as c:
        yield c


# -- the pages -----------------------------------------------------------------------------------


def test_anonymous_visitors_see_collections_and_are_asked_to_log_in(
    runtime: Runtime, client: TestClient
) -> None:
    org = _org(runtime, "Clinic")
    _collection(runtime, org, _user(runtime, "ana@clinic.example", org))
    page = client.get("/hub")
    assert page.status_code == 200
    text = _text(page.text)
    assert "No collection you may read yet" in text  # a GREEN collection: not for anonymous
    assert "to see your organisation's" in text
    assert 'action="/hub/groups"' not in page.text
    late = client.post("/hub/groups", data={"name": "x"}, follow_redirects=False)
    assert late.status_code == 303
    assert late.headers["location"] == "/login?next=/hub"


def test_a_member_makes_a_group_adds_and_removes_an_organisation(
    runtime: Runtime, client: TestClient
) -> None:
    clinic, water = _org(runtime, "Clinic"), _org(runtime, "Water works")
    ana = _user(runtime, "ana@clinic.example", clinic)
    _sign_in(client, "ana@clinic.example")
    page = client.get("/hub")
    assert "Your organisation is in no sharing group yet." in _text(page.text)
    assert client.post("/hub/groups", data={"name": "Valley"}).status_code == 403  # no token

    made = client.post("/hub/groups", data={"csrf_token": _csrf(page.text), "name": "Valley"})
    assert made.status_code == 200
    assert "Sharing group “Valley” created" in _text(made.text)
    group = runtime.gateway.invoke("intel.groups", {}, ana).result["groups"][0]
    assert group["name"] == "Valley"
    assert f'<option value="{group["id"]}">Valley</option>' in made.text

    added = client.post(
        "/hub/groups/members",
        data={
            "csrf_token": _csrf(made.text),
            "group": group["id"],
            "org": water,
            "can_write": "1",
        },
    )
    assert added.status_code == 200
    assert f"{water} is in “Valley”" in _text(added.text)
    members = runtime.gateway.invoke("intel.groups", {}, ana).result["groups"][0]["members"]
    assert {"org": water, "can_write": True} in members
    assert f'aria-label="Remove {water} from Valley"' in added.text

    removed = client.post(
        "/hub/groups/members",
        data={"csrf_token": _csrf(added.text), "group": group["id"], "org": water, "remove": "1"},
    )
    assert removed.status_code == 200
    assert f"{water} left “Valley”" in _text(removed.text)
    members = runtime.gateway.invoke("intel.groups", {}, ana).result["groups"][0]["members"]
    assert members == [{"org": clinic, "can_write": True}]


def test_refusals_are_shown_where_the_form_was(runtime: Runtime, client: TestClient) -> None:
    clinic, water = _org(runtime, "Clinic"), _org(runtime, "Water works")
    ana = _user(runtime, "ana@clinic.example", clinic)
    runtime.gateway.invoke("intel.group.create", {"name": "Valley"}, ana)
    _user(runtime, "lone@example.org")  # no organisation
    _user(runtime, "wes@water.example", water)

    _sign_in(client, "lone@example.org")
    page = client.get("/hub")
    assert "You are in no organisation" in _text(page.text)
    refused = client.post("/hub/groups", data={"csrf_token": _csrf(page.text), "name": "Mine"})
    assert refused.status_code == 403
    assert "only a member of an organisation may create a sharing group" in refused.text
    assert 'role="alert"' in refused.text

    client.cookies.clear()
    _sign_in(client, "wes@water.example")
    page = client.get("/hub")
    foreign = client.post(
        "/hub/groups/members",
        data={"csrf_token": _csrf(page.text), "group": "Valley", "org": water},
    )
    assert foreign.status_code == 403
    assert "only the group&#39;s owner organisation may change its members" in foreign.text
    empty = client.post("/hub/groups/members", data={"csrf_token": _csrf(page.text), "org": water})
    assert empty.status_code == 400
    assert "group is empty" in empty.text


def test_a_collection_is_shared_and_the_page_says_with_whom(
    runtime: Runtime, client: TestClient
) -> None:
    clinic, water = _org(runtime, "Clinic"), _org(runtime, "Water works")
    ana = _user(runtime, "ana@clinic.example", clinic)
    wes = _user(runtime, "wes@water.example", water)
    coll = _collection(runtime, clinic, ana)
    with pytest.raises(NotFoundError):  # tier 1 and not named: not even its GREEN
        runtime.gateway.invoke("intel.objects", {"collection": coll}, wes)

    _sign_in(client, "ana@clinic.example")
    page = client.get(f"/hub/collections/{coll}")
    assert page.status_code == 200
    assert "TLP:AMBER" in page.text
    assert f'href="/hub/collections/{coll}/objects/{AMBER_ID}"' in page.text
    shared = client.post(
        f"/hub/collections/{coll}/sharing",
        data={"csrf_token": _csrf(page.text), "kind": "org", "target": water},
    )
    assert shared.status_code == 200
    text = _text(shared.text)
    assert f"Shared with an organisation: {water}" in text
    assert f"Organisations that read its TLP:AMBER {water}" in text
    after = runtime.gateway.invoke("intel.objects", {"collection": coll}, wes).result["objects"]
    assert {o["id"] for o in after} == {GREEN_ID, AMBER_ID}

    person = client.post(
        f"/hub/collections/{coll}/sharing",
        data={"csrf_token": _csrf(page.text), "kind": "person", "target": wes.id},
    )
    assert f"People who read its TLP:RED {wes.id}" in _text(person.text)
    stopped = client.post(
        f"/hub/collections/{coll}/sharing",
        data={"csrf_token": _csrf(page.text), "kind": "org", "target": water, "remove": "1"},
    )
    assert f"No longer shared with an organisation: {water}" in _text(stopped.text)
    assert "Organisations that read its TLP:AMBER only the owner organisation" in _text(
        stopped.text
    )
    bad = client.post(
        f"/hub/collections/{coll}/sharing",
        data={"csrf_token": _csrf(page.text), "kind": "everyone", "target": "x"},
    )
    assert bad.status_code == 400
    assert "is not whom a collection is shared with" in bad.text


def test_only_the_owner_organisation_may_share(runtime: Runtime, client: TestClient) -> None:
    clinic, water = _org(runtime, "Clinic"), _org(runtime, "Water works")
    ana = _user(runtime, "ana@clinic.example", clinic)
    _user(runtime, "wes@water.example", water)
    coll = _collection(runtime, clinic, ana)
    runtime.gateway.invoke(
        "intel.collection.address",
        {"collection": coll, "kind": "org", "target": water, "can_write": True},
        ana,
    )
    _sign_in(client, "wes@water.example")
    page = client.get(f"/hub/collections/{coll}")
    assert "read and add" in page.text  # Water Works may add, but not re-share
    refused = client.post(
        f"/hub/collections/{coll}/sharing",
        data={"csrf_token": _csrf(page.text), "kind": "org", "target": "o_someone_else"},
    )
    assert refused.status_code == 403
    assert "only the collection&#39;s owner organisation may change whom it addresses" in (
        refused.text
    )


def test_sightings_of_an_indicator_are_recorded_and_counted(
    runtime: Runtime, client: TestClient
) -> None:
    clinic = _org(runtime, "Clinic")
    ana = _user(runtime, "ana@clinic.example", clinic)
    coll = _collection(runtime, clinic, ana)
    anonymous = client.get(f"/hub/collections/{coll}/objects/{AMBER_ID}")
    assert anonymous.status_code == 401  # not a collection an anonymous visitor may read

    _sign_in(client, "ana@clinic.example")
    url = f"/hub/collections/{coll}/objects/{AMBER_ID}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Phishing domain 2" in page.text
    assert re.search(r'id="sighting-count">0<', page.text)
    assert "[domain-name:value = &#39;paypa2-secure.top&#39;]" in page.text

    form = {
        "csrf_token": _csrf(page.text),
        "count": "3",
        "first_seen": "2026-11-21T08:00",
        "last_seen": "2026-11-21T09:30",
        "description": "proxy logs of the front desk",
    }
    done = client.post(f"{url}/sightings", data=form)
    assert done.status_code == 200, done.text
    assert "Sighting recorded" in done.text
    recorded = done.text.split('id="recorded"')[1].split("</section>")[0]
    assert 'marked <span class="tlp tlp-amber">TLP:AMBER</span>' in recorded
    assert re.search(r'id="sighting-count">3<', done.text)
    tally = runtime.gateway.invoke("intel.sightings", {"indicator": AMBER_ID}, ana).result
    assert tally["count"] == 3
    assert tally["first_seen"].startswith("2026-11-21T08:00:00")

    backwards = client.post(
        f"{url}/sightings", data={**form, "first_seen": "2026-11-22T08:00"}
    )  # last before first: intel says no, the form keeps what was typed
    assert backwards.status_code == 400
    assert "last_seen is earlier than first_seen" in backwards.text
    assert 'value="2026-11-22T08:00"' in backwards.text
    for field, value in (("count", "0"), ("count", "many"), ("first_seen", "yesterday")):
        bad = client.post(f"{url}/sightings", data={**form, field: value})
        assert bad.status_code == 400, (field, value)
    assert client.get(f"/hub/collections/{coll}/objects/not-an-id").status_code == 404


def test_the_pages_show_whom_a_collection_is_shared_with_and_peer_pulls(
    runtime: Runtime, client: TestClient
) -> None:
    """The owner organisation sees whom its collection is addressed to; the hub says where
    pulls from peers stand (none here) instead of a notice that the server lacks the read."""
    clinic = _org(runtime, "Clinic")
    ana = _user(runtime, "ana@clinic.example", clinic)
    coll = _collection(runtime, clinic, ana)
    runtime.gateway.invoke(
        "intel.collection.address",
        {"collection": coll, "kind": "person", "target": "user:someone"},
        ana,
    )
    listed = runtime.gateway.invoke("gateway.capabilities", {}, LOCAL_OWNER).result
    assert {SHARING, SYNC_STATUS} <= {c["id"] for c in listed}
    _sign_in(client, "ana@clinic.example")
    hub = _text(client.get("/hub").text)
    page = _text(client.get(f"/hub/collections/{coll}").text)
    assert "it has no" not in hub
    assert "No collection you may read is pulled from a peer." in hub
    assert "it has no" not in page
    assert "Addressed to" in page
    assert "user:someone" in page
    assert "shieldwall intel sync --from" in hub


# -- the parsers and views -----------------------------------------------------------------------


def test_times_typed_in_the_form_become_intel_timestamps() -> None:
    assert utc_stamp("2026-11-21T08:00", name="t") == "2026-11-21T08:00:00Z"
    assert utc_stamp(" 2026-11-21 08:00:05Z ", name="t") == "2026-11-21T08:00:05Z"
    assert utc_stamp("2026-11-21T08:00:05.25", name="t") == "2026-11-21T08:00:05.25Z"
    for bad in ("2026-02-30T08:00", "2026-11-21", "21/11/2026 08:00", "", None, "2026-11-21T25:00"):
        with pytest.raises(InputError) as caught:
            utc_stamp(bad, name="first_seen")
        assert caught.value.location == "first_seen"
    assert sighting_count("") == 1
    assert sighting_count(" 42 ") == 42
    for bad_count in ("0", "-1", "1e3", "1000000000", "٣", None):
        if bad_count is None:
            assert sighting_count(bad_count) == 1
            continue
        with pytest.raises(InputError):
            sighting_count(bad_count)
    assert stix_id("Indicator--00000001-0000-4000-8000-000000000000".lower()) == GREEN_ID
    with pytest.raises(NotFoundError):
        stix_id("../indicator")


@given(st.one_of(st.none(), st.integers(), st.text(max_size=60)))
@settings(max_examples=400)
def test_any_typed_time_is_a_timestamp_intel_takes_or_an_input_error(value: Any) -> None:
    try:
        stamp = utc_stamp(value, name="t")
    except InputError:
        return
    parse_timestamp(stamp, location="t")  # never raises for what utc_stamp returns


@given(st.text(max_size=30))
def test_any_count_is_a_count_or_an_input_error(value: str) -> None:
    try:
        n = sighting_count(value)
    except InputError:
        return
    assert 1 <= n <= 999_999_999


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)


@given(json_values, st.one_of(st.none(), st.text(max_size=8)))
def test_views_of_any_answer_are_made_leniently(value: Any, org: str | None) -> None:
    groups_view(value, org)
    if isinstance(value, dict):
        sharing_view(value)
        sync_view(value)
        object_view(value)


def test_groups_of_the_visitors_organisation_come_first() -> None:
    groups = [
        {"id": "1", "name": "alpha", "owner_org": "o_other", "members": [{"org": "o_me"}]},
        {"id": "2", "name": "zulu", "owner_org": "o_me", "members": [1, {"org": "o_me"}]},
    ]
    got = groups_view(groups, "o_me")
    assert [g["name"] for g in got] == ["zulu", "alpha"]
    assert got[0]["mine"]
    assert got[0]["members"] == [{"org": "o_me", "can_write": False}]
