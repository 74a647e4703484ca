"""The hub: TAXII collections and their STIX objects, each with its TLP, read through the door
as the visitor (so TLP filters what each person sees). Sharing groups and sightings come when
the intel package has them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from shieldwall.core.errors import InputError
from shieldwall.intel.tlp import tlp_of_ref
from shieldwall.web.base import PageRoute, Visitor, invoke, render, visitor

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

PAGE = 50


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


@router.get("/hub", response_class=HTMLResponse)
async def hub(request: Request, who: Who) -> Response:
    found = await invoke(request, "intel.collections", {}, who.principal)
    return render(request, "hub.html", collections=found["collections"])


@router.get("/hub/collections/{collection_id}", response_class=HTMLResponse)
async def collection(collection_id: str, request: Request, who: Who) -> Response:
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
    return render(
        request, "collection.html", coll=coll, rows=rows, more=page["more"], next=page["next"]
    )
