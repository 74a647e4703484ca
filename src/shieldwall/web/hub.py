"""The hub: TAXII collections and their STIX objects with their TLP; the sharing groups of the
visitor's organisation and their members; whom a collection is shared with; the sightings of
each indicator; and sync with peer hubs.

Everything is read and changed through the door as the visitor: TLP filters what each person
sees, and the intel capabilities say who may change what (a group's owner organisation, a
collection's owner organisation). A form is shown only where this server offers its capability
(``gateway.capabilities``), and a refusal is shown on the page the form came from.

Whom a collection is addressed to (``intel.collection.sharing``) and where each pull from a
peer stands (``intel.sync.status``) are read through the door too; a server without them (an
older hub) gets a notice naming the missing read instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from shieldwall.core.errors import InputError, NotFoundError, ShieldwallError
from shieldwall.intel.tlp import tlp_of_ref
from shieldwall.web.account import login_redirect
from shieldwall.web.base import PageRoute, Visitor, invoke, read_form, render, visitor
from shieldwall.web.forms import field_text

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

PAGE = 50
SHARING = "intel.collection.sharing"  # whom a collection is addressed to
SYNC_STATUS = "intel.sync.status"  # where each pull from a peer stands
KINDS: dict[str, str] = {"org": "an organisation", "group": "a sharing group", "person": "a person"}
MAX_SIGHTING_COUNT = 999_999_999
MAX_DESCRIPTION_CHARS = 5000
MAX_OBJECT_JSON_CHARS = 20_000
_STAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?Z?$", re.ASCII
)
_STIX_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}--[0-9a-fA-F-]{36}$", re.ASCII)


# -- what browsers send ----------------------------------------------------------------------


def utc_stamp(value: object, *, name: str) -> str:
    """A moment typed in a ``datetime-local`` field (UTC, minutes or seconds, an optional
    fraction and ``Z``) as the RFC 3339 timestamp intel takes (``2026-11-20T10:00:00Z``)."""
    bad = InputError(
        f"{name} is not a date and time (YYYY-MM-DD HH:MM, UTC)",
        code="web.bad_time",
        location=name,
    )
    if not isinstance(value, str):
        raise bad
    found = _STAMP.fullmatch(value.strip())
    if found is None:
        raise bad
    y, mo, d, h, mi, s, frac = found.groups()
    try:
        at = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=UTC)
    except ValueError as exc:
        raise bad from exc
    return f"{at:%Y-%m-%dT%H:%M:%S}" + (f".{frac}" if frac else "") + "Z"


def sighting_count(value: object) -> int:
    """How many times an indicator was seen: a whole number from 1."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return 1
    if (
        not text.isascii()
        or not text.isdigit()
        or len(text) > 9
        or not 1 <= int(text) <= MAX_SIGHTING_COUNT
    ):
        raise InputError(
            f"the count is a whole number from 1 to {MAX_SIGHTING_COUNT:,}",
            code="web.bad_count",
            location="count",
        )
    return int(text)


def checked(form: Mapping[str, object], name: str) -> bool:
    """A checkbox (or a button's value): ticked when sent with any non-empty value."""
    value = form.get(name)
    return isinstance(value, str) and value not in ("", "0", "false")


def stix_id(value: str) -> str:
    """An object id from the path: ``type--uuid``, or NotFoundError."""
    if not _STIX_ID.fullmatch(value):
        raise NotFoundError("there is no such object", code="web.no_object")
    return value.lower()


# -- what the pages show ---------------------------------------------------------------------


def object_tlp(obj: Mapping[str, Any]) -> str:
    """The TLP label an object carries (its most restrictive TLP marking), or ``""`` when it
    has none and the collection's default applies."""
    refs = obj.get("object_marking_refs")
    found = []
    if isinstance(refs, list):
        for ref in refs:
            if not isinstance(ref, str):
                continue
            try:
                tlp = tlp_of_ref(ref)
            except InputError:
                continue
            if tlp is not None:
                found.append(tlp)
    return max(found).label if found else ""


def object_title(obj: Mapping[str, Any]) -> str:
    for name in ("name", "value", "pattern", "abstract", "content", "id"):
        value = obj.get(name)
        if isinstance(value, str) and value:
            return value if len(value) <= 160 else value[:157] + "..."
    return "(untitled)"


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def groups_view(groups: Any, my_org: str | None) -> list[dict[str, Any]]:
    """``intel.groups``'s answer as the page lists it: the visitor's own groups first."""
    out: list[dict[str, Any]] = []
    for g in groups if isinstance(groups, list) else []:
        if not isinstance(g, Mapping):
            continue
        owner = g.get("owner_org")
        members = [
            {"org": str(m.get("org", "")), "can_write": bool(m.get("can_write"))}
            for m in g.get("members") or []
            if isinstance(m, Mapping)
        ]
        out.append(
            {
                "id": str(g.get("id", "")),
                "name": str(g.get("name", "")),
                "owner_org": str(owner) if owner else "",
                "mine": my_org is not None and owner == my_org,
                "members": members,
            }
        )
    out.sort(key=lambda g: (not g["mine"], g["name"].lower()))
    return out


def audience_view(answer: Mapping[str, Any]) -> dict[str, list[str]]:
    """Whom a collection reaches, from ``intel.collection.address``'s answer (and the proposed
    ``intel.collection.sharing``'s): organisations (addressed, or in an addressed group) read
    its AMBER, the people named read its RED, the writers may add to it."""
    return {
        "orgs": _strings(answer.get("orgs")),
        "people": _strings(answer.get("people")),
        "writers": _strings(answer.get("writers")),
    }


def sharing_view(answer: Mapping[str, Any]) -> dict[str, Any]:
    """``intel.collection.sharing`` ({"collection": id}) answers
    ``{"collection", "tlp", "owner_org", "shares": [{"kind": "org"|"group"|"person", "target",
    "name", "can_write"}], "orgs", "people", "writers"}``; only the collection's owner
    organisation may ask (others: DeniedError)."""
    shares = []
    for s in answer.get("shares") or []:
        if not isinstance(s, Mapping) or s.get("kind") not in KINDS:
            continue
        shares.append(
            {
                "kind": str(s["kind"]),
                "target": str(s.get("target", "")),
                "name": str(s.get("name") or ""),
                "can_write": bool(s.get("can_write")),
            }
        )
    return {
        "tlp": str(answer.get("tlp") or ""),
        "owner_org": str(answer.get("owner_org") or ""),
        "shares": shares,
        **audience_view(answer),
    }


def sync_view(answer: Mapping[str, Any]) -> list[dict[str, str]]:
    """``intel.sync.status`` ({}) answers ``{"peers": [{"url",
    "remote_collection", "local_collection", "added_after", "updated_at"}]}``: each pull into a
    local collection the caller may read, and the newest date added it has stored."""
    keys = ("url", "remote_collection", "local_collection", "added_after", "updated_at")
    peers = answer.get("peers")
    return [
        {k: str(p.get(k) or "") for k in keys}
        for p in (peers if isinstance(peers, list) else [])
        if isinstance(p, Mapping)
    ]


def object_view(obj: Mapping[str, Any]) -> dict[str, Any]:
    """One STIX object's facts as the object page shows them, and its JSON."""
    text = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_OBJECT_JSON_CHARS:
        text = text[: MAX_OBJECT_JSON_CHARS - 1] + "\u2026"
    facts = []
    for name in (
        "name",
        "description",
        "pattern",
        "pattern_type",
        "valid_from",
        "valid_until",
        "indicator_types",
        "labels",
        "created",
        "modified",
    ):
        value = obj.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str | int | float) and str(value):
            facts.append((name.replace("_", " "), str(value)[:2000]))
    return {
        "id": str(obj.get("id", "")),
        "type": str(obj.get("type", "")),
        "title": object_title(obj),
        "tlp": object_tlp(obj),
        "facts": facts,
        "json": text,
    }


# -- the door ----------------------------------------------------------------------------------


async def offered(request: Request, who: Visitor) -> frozenset[str]:
    """The capabilities this server offers (whether the visitor may use them is the door's to
    say when they try)."""
    listed = await invoke(request, "gateway.capabilities", {}, who.principal)
    return frozenset(str(c.get("id")) for c in listed if isinstance(c, Mapping))


async def _try(request: Request, who: Visitor, capability: str, payload: Mapping[str, Any]) -> Any:
    """``capability``'s answer, or the error that refused it (for the page to show)."""
    try:
        return await invoke(request, capability, payload, who.principal)
    except ShieldwallError as err:
        return err


# -- the hub page ------------------------------------------------------------------------------


async def _hub_page(request: Request, who: Visitor, *, status: int = 200, **extra: Any) -> Response:
    found = await invoke(request, "intel.collections", {}, who.principal)
    collections = [c for c in found["collections"] if isinstance(c, Mapping)]
    context: dict[str, Any] = {
        "collections": collections,
        "offered": frozenset(),
        "groups": [],
        "groups_error": None,
        "sync": None,
        "sync_error": None,
        "my_org": who.principal.org,
        "sync_capability": SYNC_STATUS,
        "made_group": None,
        "member_change": None,
        "error": None,
    }
    if who.signed_in:
        caps = await offered(request, who)
        context["offered"] = caps
        if "intel.groups" in caps:
            answer = await _try(request, who, "intel.groups", {})
            if isinstance(answer, ShieldwallError):
                context["groups_error"] = answer
            else:
                context["groups"] = groups_view(answer.get("groups"), who.principal.org)
        if SYNC_STATUS in caps:
            answer = await _try(request, who, SYNC_STATUS, {})
            if isinstance(answer, ShieldwallError):
                context["sync_error"] = answer
            else:
                context["sync"] = sync_view(answer)
    context.update(extra)
    return render(request, "hub.html", status=status, **context)


@router.get("/hub", response_class=HTMLResponse)
async def hub(request: Request, who: Who) -> Response:
    return await _hub_page(request, who)


@router.post("/hub/groups", response_class=HTMLResponse)
async def group_create(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    try:
        name = field_text(form, "name", max_chars=200)
        made = await invoke(request, "intel.group.create", {"name": name}, who.principal)
    except ShieldwallError as err:
        return await _hub_page(request, who, status=err.http_status, error=err)
    return await _hub_page(request, who, made_group=made)


@router.post("/hub/groups/members", response_class=HTMLResponse)
async def group_member(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    try:
        group = field_text(form, "group", max_chars=200)
        org = field_text(form, "org", max_chars=64)
        remove = checked(form, "remove")
        payload = {"group": group, "org": org, "can_write": checked(form, "can_write")}
        changed = await invoke(
            request, "intel.group.member", {**payload, "remove": remove}, who.principal
        )
    except ShieldwallError as err:
        return await _hub_page(request, who, status=err.http_status, error=err)
    change = {"group": changed, "org": org, "removed": remove}
    return await _hub_page(request, who, member_change=change)


# -- one collection ----------------------------------------------------------------------------


async def _collection_page(
    request: Request, who: Visitor, collection_id: str, *, status: int = 200, **extra: Any
) -> Response:
    key = collection_id[:200]
    coll = await invoke(request, "intel.collection", {"collection": key}, who.principal)
    payload: dict[str, Any] = {"collection": key, "limit": PAGE}
    after = request.query_params.get("next")
    if after:
        payload["next"] = after[:600]
    page = await invoke(request, "intel.objects", payload, who.principal)
    rows = [
        {
            "id": str(o.get("id", "")),
            "type": str(o.get("type", "")),
            "title": object_title(o),
            "modified": str(o.get("modified", o.get("created", ""))),
            "tlp": object_tlp(o),
        }
        for o in page["objects"]
        if isinstance(o, dict)
    ]
    context: dict[str, Any] = {
        "coll": coll,
        "rows": rows,
        "more": page["more"],
        "next": page["next"],
        "offered": frozenset(),
        "sharing": None,
        "sharing_error": None,
        "sharing_capability": SHARING,
        "kinds": KINDS,
        "addressed": None,
        "error": None,
    }
    if who.signed_in:
        caps = await offered(request, who)
        context["offered"] = caps
        if SHARING in caps:
            answer = await _try(request, who, SHARING, {"collection": str(coll["id"])})
            if isinstance(answer, ShieldwallError):
                context["sharing_error"] = answer
            else:
                context["sharing"] = sharing_view(answer)
    context.update(extra)
    return render(request, "collection.html", status=status, **context)


@router.get("/hub/collections/{collection_id}", response_class=HTMLResponse)
async def collection(collection_id: str, request: Request, who: Who) -> Response:
    return await _collection_page(request, who, collection_id)


@router.post("/hub/collections/{collection_id}/sharing", response_class=HTMLResponse)
async def address(collection_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    try:
        kind = field_text(form, "kind", max_chars=10)
        if kind not in KINDS:
            raise InputError(
                f"{kind!r} is not whom a collection is shared with",
                code="web.bad_kind",
                location="kind",
                hint="Choose an organisation, a sharing group or a person.",
            )
        target = field_text(form, "target", max_chars=200)
        remove = checked(form, "remove")
        answer = await invoke(
            request,
            "intel.collection.address",
            {
                "collection": collection_id[:200],
                "kind": kind,
                "target": target,
                "can_write": checked(form, "can_write") and not remove,
                "remove": remove,
            },
            who.principal,
        )
    except ShieldwallError as err:
        return await _collection_page(
            request, who, collection_id, status=err.http_status, error=err
        )
    addressed = {
        "kind": kind,
        "target": target,
        "removed": remove,
        **audience_view(answer),
    }
    return await _collection_page(request, who, collection_id, addressed=addressed)


# -- one object and its sightings ----------------------------------------------------------------


def _now_minute() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")


async def _object_page(
    request: Request,
    who: Visitor,
    collection_id: str,
    object_id: str,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    key = collection_id[:200]
    oid = stix_id(object_id)
    coll = await invoke(request, "intel.collection", {"collection": key}, who.principal)
    page = await invoke(
        request, "intel.objects", {"collection": key, "object_id": oid, "limit": 1}, who.principal
    )
    found = [o for o in page["objects"] if isinstance(o, dict)]
    if not found:
        raise NotFoundError(f"no object {oid!r}", code="intel.no_object")
    obj = object_view(found[0])
    context: dict[str, Any] = {
        "coll": coll,
        "obj": obj,
        "indicator": obj["type"] == "indicator",
        "tally": None,
        "tally_error": None,
        "offered": frozenset(),
        "now": _now_minute(),
        "recorded": None,
        "error": None,
        "form": {},
    }
    if who.signed_in:
        context["offered"] = await offered(request, who)
    if context["indicator"]:
        answer = await _try(request, who, "intel.sightings", {"indicator": oid})
        if isinstance(answer, ShieldwallError):
            context["tally_error"] = answer
        else:
            context["tally"] = answer
    context.update(extra)
    return render(request, "hub_object.html", status=status, **context)


@router.get("/hub/collections/{collection_id}/objects/{object_id}", response_class=HTMLResponse)
async def stix_object(collection_id: str, object_id: str, request: Request, who: Who) -> Response:
    return await _object_page(request, who, collection_id, object_id)


@router.post(
    "/hub/collections/{collection_id}/objects/{object_id}/sightings",
    response_class=HTMLResponse,
)
async def sighting(collection_id: str, object_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    sent = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        oid = stix_id(object_id)
        count = sighting_count(form.get("count"))
        first = utc_stamp(form.get("first_seen"), name="first_seen")
        last = utc_stamp(form.get("last_seen"), name="last_seen")
        text = field_text(form, "description", max_chars=MAX_DESCRIPTION_CHARS, required=False)
        done = await invoke(
            request,
            "intel.sighting.record",
            {
                "indicator": oid,
                "count": count,
                "first_seen": first,
                "last_seen": last,
                "description": text,
            },
            who.principal,
        )
    except ShieldwallError as err:
        return await _object_page(
            request, who, collection_id, object_id, status=err.http_status, error=err, form=sent
        )
    recorded = {**done, "tlp": object_tlp(done)} if isinstance(done, Mapping) else None
    return await _object_page(request, who, collection_id, object_id, recorded=recorded)


__all__ = [
    "KINDS",
    "SHARING",
    "SYNC_STATUS",
    "audience_view",
    "checked",
    "groups_view",
    "object_title",
    "object_tlp",
    "object_view",
    "router",
    "sharing_view",
    "sighting_count",
    "stix_id",
    "sync_view",
    "utc_stamp",
]
