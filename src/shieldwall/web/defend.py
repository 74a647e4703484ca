"""The defender's dashboard: incidents (filtered by level, host, technique and priority, a page
at a time) with an ATT&CK heatmap of what was seen; one incident with its triage, timeline
picture, rules, techniques and every alert's evidence and source; and log upload, run in the
background with its progress shown until it ends in the run's incidents.

Everything is read through the door as the visitor (``detect.incidents.list``,
``detect.incidents.get``: tier 1, each sees their own and their organisation's incidents).
The timeline picture and the heatmap are ``detect.report``'s own (the HTML report's), fed with
the alerts this page read; they colour their cells with style attributes, so the pages that
show them allow style attributes (never a ``<style>`` element, never an inline script).
Uploads: see ``web.uploads``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from shieldwall.core.errors import DeniedError, InputError, NotFoundError, ShieldwallError
from shieldwall.core.http import door
from shieldwall.core.types import Tier
from shieldwall.detect import report
from shieldwall.detect.alerts import Alert, Level, RuleInfo
from shieldwall.detect.attack import load_attack
from shieldwall.detect.events import EventSource
from shieldwall.web.account import login_redirect
from shieldwall.web.base import (
    CSP,
    PageRoute,
    Visitor,
    app_singleton,
    invoke,
    read_form,
    redirect,
    render,
    visitor,
)
from shieldwall.web.forms import field_text
from shieldwall.web.uploads import (
    MAX_FILES,
    MAX_UPLOAD_BYTES,
    RULES_ENV,
    RUN_UPLOAD,
    UPLOAD_ID,
    RuleSet,
    StagedFile,
    UploadRunner,
    Uploads,
    find_rule_set,
    rule_sets,
    rules_root,
    runner_payload,
    safe_name,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

INCIDENTS = "detect.incidents.list"
INCIDENT = "detect.incidents.get"
PAGE = 25
HEATMAP_INCIDENTS = 500  # the most the list gives in one call
ALERTS_SHOWN = 200
MAX_VALUE_CHARS = 1000
MAX_RELATED_SHOWN = 20
FORM_SLACK = 64 << 10  # the form around the files
LEVELS = ("informational", "low", "medium", "high", "critical")
PRIORITIES = ("P1", "P2", "P3", "P4")
DEFAULT_WINDOW_MINUTES = 30
MAX_WINDOW_MINUTES = 7 * 24 * 60

# detect.report's timeline and heatmap colour their cells with style attributes.
FRAGMENT_CSP = CSP.replace("style-src 'self';", "style-src 'self'; style-src-attr 'unsafe-inline';")

_TECHNIQUE = re.compile(r"^[Tt]\d{4}(?:\.\d{3})?$")
_INCIDENT_ID = re.compile(r"^inc_[0-9a-f]{24}$")
_RUN_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_CURSOR = re.compile(r"^[A-Za-z0-9_=-]{1,400}$")
_HOST_MAX = 255


# -- the filters -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentFilters:
    """What the incident list is narrowed to, as the query string says."""

    level: str = ""
    host: str = ""
    technique: str = ""
    priority: str = ""
    run: str = ""
    cursor: str = ""
    upload: str = ""

    @property
    def narrowed(self) -> bool:
        return bool(self.level or self.host or self.technique or self.priority or self.run)

    def payload(self, *, limit: int, paged: bool) -> dict[str, Any]:
        """The ``detect.incidents.list`` request (``paged``: from this page's cursor)."""
        given = {
            "min_level": self.level,
            "host": self.host,
            "technique": self.technique,
            "priority": self.priority,
            "run_id": self.run,
        }
        out: dict[str, Any] = {"limit": limit, **{k: v for k, v in given.items() if v}}
        if paged and self.cursor:
            out["cursor"] = self.cursor
        return out

    def query(self, **changes: str) -> str:
        """This list's query string with ``changes`` (a new filter starts at page one)."""
        changed = replace(self, **changes)
        pairs = [
            (name, getattr(changed, name))
            for name in ("level", "host", "technique", "priority", "run", "cursor", "upload")
        ]
        return urlencode([(k, v) for k, v in pairs if v])


def incident_filters(params: Mapping[str, str]) -> IncidentFilters:
    """The filters of ``/defend``'s query string; InputError (with the field) for a value that
    is not one of the allowed ones."""

    def get(name: str) -> str:
        value = params.get(name)
        return value.strip() if isinstance(value, str) else ""

    level = get("level").lower()
    if level and level not in LEVELS:
        raise InputError(
            f"{level[:20]!r} is not a level",
            code="web.bad_level",
            location="level",
            hint="Choose one of " + ", ".join(LEVELS) + ".",
        )
    host = get("host")
    if len(host) > _HOST_MAX or any(ord(c) < 0x20 or ord(c) == 0x7F for c in host):
        raise InputError(
            "a host name has at most 255 printable characters",
            code="web.bad_host",
            location="host",
        )
    technique = get("technique").upper()
    if technique and not _TECHNIQUE.fullmatch(technique):
        raise InputError(
            f"{technique[:20]!r} is not an ATT&CK technique id",
            code="web.bad_technique",
            location="technique",
            hint="Write it like T1003 or T1003.001.",
        )
    priority = get("priority").upper()
    if priority and priority not in PRIORITIES:
        raise InputError(
            f"{priority[:10]!r} is not a priority",
            code="web.bad_priority",
            location="priority",
            hint="Choose P1, P2, P3 or P4.",
        )
    run = get("run")
    if run and not _RUN_ID.fullmatch(run):
        raise InputError("that is not a run id", code="web.bad_run", location="run")
    cursor = get("cursor")
    if cursor and not _CURSOR.fullmatch(cursor):
        raise InputError(
            "that is not a page of this list",
            code="web.bad_cursor",
            location="cursor",
            hint="Start again from the first page.",
        )
    upload = get("upload")
    if upload and not UPLOAD_ID.fullmatch(upload):
        upload = ""
    return IncidentFilters(
        level=level,
        host=host,
        technique=technique,
        priority=priority,
        run=run,
        cursor=cursor,
        upload=upload,
    )


# -- alerts as detect.report draws them ----------------------------------------------------------


def _level(value: Any) -> Level:
    try:
        return Level.parse(str(value) if value else None)
    except ValueError:
        return Level.INFORMATIONAL


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


def _source(value: Any) -> EventSource:
    data = value if isinstance(value, Mapping) else {}
    record = data.get("record")
    member = data.get("member")
    return EventSource(
        file=str(data.get("file") or ""),
        record=record if isinstance(record, int) and not isinstance(record, bool) else 0,
        member=str(member) if member else None,
    )


def alert_from_json(data: Mapping[str, Any]) -> Alert:
    """An alert as ``detect.incidents.get`` returns it (``Alert.to_json``), as the value
    ``detect.report`` draws. Lenient: a missing or odd field becomes empty."""
    fields = data.get("fields")
    group = data.get("group")
    related = data.get("related")
    return Alert(
        rule=RuleInfo(
            id=str(data.get("rule_id") or ""),
            title=str(data.get("rule_title") or ""),
            level=_level(data.get("level")),
            status=str(data["status"]) if data.get("status") else None,
            techniques=_strings(data.get("techniques")),
            tactics=_strings(data.get("tactics")),
            kind=str(data.get("kind") or "rule"),
        ),
        timestamp=_moment(data.get("timestamp")),
        host=str(data["host"]) if data.get("host") else None,
        user=str(data["user"]) if data.get("user") else None,
        source=_source(data.get("source")),
        fields=dict(fields) if isinstance(fields, Mapping) else {},
        related=tuple(_source(r) for r in _items(related) if isinstance(r, Mapping)),
        group=dict(group) if isinstance(group, Mapping) else {},
    )


def heatmap(incidents: Sequence[Mapping[str, Any]]) -> tuple[Markup, list[dict[str, Any]]]:
    """``detect.report``'s ATT&CK heatmap of incidents (each technique shaded by the number of
    incidents that show it), and the techniques seen, most frequent first. One stand-in alert
    per incident carries that incident's techniques: ``heatmap_html`` counts alerts."""
    stand_ins = [
        Alert(
            rule=RuleInfo(
                id=str(inc.get("id", "")),
                title=str(inc.get("title", "")),
                level=_level(inc.get("level")),
                techniques=_strings(inc.get("techniques")),
            ),
            timestamp=None,
            host=None,
            source=EventSource(file="", record=0),
        )
        for inc in incidents
    ]
    table = load_attack()
    html = report.heatmap_html(stand_ins, attack=table).replace(' alert(s)"', ' incident(s)"')
    counts = report.technique_counts(stand_ins, attack=table)
    seen = []
    for tid, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        found = table.technique(tid)
        seen.append({"id": tid, "name": found.full_name if found else "", "count": n})
    return Markup(html), seen  # noqa: S704 - detect.report escapes every value it writes


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "\u2026"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _triage(value: Any, uploads: Uploads) -> dict[str, Any] | None:
    """The triage as written, with upload directories cut out of the paths it cites."""
    if not isinstance(value, Mapping):
        return None
    out = dict(value)
    out["priority"] = str(out.get("priority") or "")
    for key in ("summary", "why_it_matters"):
        out[key] = uploads.display(str(out.get(key) or ""))
    out["next_steps"] = [uploads.display(str(step)) for step in _strings(out.get("next_steps"))]
    return out


def incident_view(data: Mapping[str, Any], uploads: Uploads) -> dict[str, Any]:
    """What the incident page shows, from ``detect.incidents.get``'s answer."""
    table = load_attack()
    alerts_json = [a for a in _items(data.get("alerts")) if isinstance(a, Mapping)]
    alerts = [alert_from_json(a) for a in alerts_json]
    techniques = []
    for tid in _strings(data.get("techniques")):
        found = table.technique(tid)
        techniques.append(
            {
                "id": tid,
                "name": found.full_name if found else "",
                "url": found.url if found else "",
                "tactics": [
                    t.name for name in (found.tactics if found else ()) if (t := table.tactic(name))
                ],
            }
        )
    tactics = []
    for name in _strings(data.get("tactics")):
        tactic = table.tactic(name)
        tactics.append(
            {"name": tactic.name if tactic else name, "url": tactic.url if tactic else ""}
        )
    rows = []
    for raw, alert in zip(alerts_json, alerts, strict=True):
        rows.append(
            {
                "id": str(raw.get("id") or ""),
                "time": _when(alert.timestamp),
                "level": str(alert.rule.level),
                "rule": alert.rule.title,
                "rule_id": alert.rule.id,
                "kind": alert.rule.kind,
                "host": alert.host or "",
                "user": alert.user or "",
                "fields": [(str(k), _value(v)) for k, v in alert.fields.items()],
                "group": [(str(k), _value(v)) for k, v in alert.group.items()],
                "related": [uploads.display(r.location) for r in alert.related][:MAX_RELATED_SHOWN],
                "related_count": len(alert.related),
                "source": uploads.display(alert.source.location),
            }
        )
    triage = _triage(data.get("triage"), uploads)
    count = data.get("alert_count")
    return {
        "id": str(data.get("id", "")),
        "title": str(data.get("title", "")),
        "level": str(data.get("level", "")),
        "score": data.get("score"),
        "priority": str(data.get("priority") or ""),
        "first_seen": _when(_moment(data.get("first_seen"))),
        "last_seen": _when(_moment(data.get("last_seen"))),
        "hosts": _strings(data.get("hosts")),
        "users": _strings(data.get("users")),
        "run_id": str(data.get("run_id") or ""),
        "rules": [
            {
                "id": str(r.get("id") or ""),
                "title": str(r.get("title") or ""),
                "level": str(_level(r.get("level"))),
                "status": str(r.get("status") or ""),
                "alerts": r.get("alerts") if isinstance(r.get("alerts"), int) else "",
            }
            for r in _items(data.get("rules"))
            if isinstance(r, Mapping)
        ],
        "techniques": techniques,
        "tactics": tactics,
        "triage": triage,
        "alerts": rows,
        "alert_count": count if isinstance(count, int) else len(rows),
        "timeline": Markup(report.timeline_svg(alerts)),  # noqa: S704 - escaped by detect.report
    }


# -- the pages -----------------------------------------------------------------------------------


def _with_fragments(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = FRAGMENT_CSP
    return response


def _unknown_capability(err: ShieldwallError) -> bool:
    reasons = err.details.get("reasons") if isinstance(err.details, dict) else None
    return isinstance(reasons, list) and any(
        isinstance(r, Mapping) and r.get("code") == "capability.unknown" for r in reasons
    )


def _uploads(request: Request) -> Uploads:
    home = request.app.state.runtime.settings.home
    return app_singleton(request, "web_uploads", lambda: Uploads(home / "web" / "uploads"))


def _runner(request: Request) -> UploadRunner:
    return app_singleton(
        request, "web_upload_runner", lambda: UploadRunner(_uploads(request), door(request))
    )


@router.get("/defend", response_class=HTMLResponse)
async def defend(request: Request, who: Who) -> Response:
    error: ShieldwallError | None = None
    try:
        filters = incident_filters(request.query_params)
    except InputError as err:
        error, filters = err, IncidentFilters()
    context: dict[str, Any] = {
        "available": True,
        "capability": INCIDENTS,
        "filters": filters,
        "levels": LEVELS,
        "priorities": PRIORITIES,
        "rows": [],
        "more": None,
        "heat": None,
        "seen": [],
        "heat_capped": False,
        "upload": None,
        "error": error,
    }
    if not who.signed_in:
        return render(request, "defend.html", **context)
    if filters.upload:
        try:
            status = _uploads(request).status(filters.upload, owner=who.principal.id)
        except NotFoundError:
            status = None
        if status is not None and status.get("run_id") == filters.run:
            context["upload"] = status
    try:
        page = await invoke(
            request, INCIDENTS, filters.payload(limit=PAGE, paged=True), who.principal
        )
        wide = await invoke(
            request, INCIDENTS, filters.payload(limit=HEATMAP_INCIDENTS, paged=False), who.principal
        )
    except ShieldwallError as err:
        if _unknown_capability(err):
            context["available"] = False
        else:
            context["error"] = err
        return render(request, "defend.html", status=err.http_status, **context)
    heat, seen = heatmap(wide["incidents"])
    context.update(
        rows=page["incidents"],
        more=filters.query(cursor=str(page["next"])) if page.get("next") else None,
        heat=heat,
        seen=seen,
        heat_capped=bool(wide.get("more")),
    )
    return _with_fragments(render(request, "defend.html", **context))


@router.get("/defend/incidents/{incident_id}", response_class=HTMLResponse)
async def incident(incident_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    if not _INCIDENT_ID.fullmatch(incident_id):
        raise NotFoundError(
            "there is no such incident", code="web.no_incident", hint="Pick one from the list."
        )
    data = await invoke(
        request, INCIDENT, {"id": incident_id, "alerts_limit": ALERTS_SHOWN}, who.principal
    )
    view = incident_view(data, _uploads(request))
    return _with_fragments(render(request, "incident.html", inc=view))


# -- upload ------------------------------------------------------------------------------------


async def _runner_capability(request: Request, who: Visitor) -> str | None:
    """``detect.run_upload`` when this server has it, else None."""
    listed = await invoke(request, "gateway.capabilities", {}, who.principal)
    ids = {str(c.get("id")) for c in listed if isinstance(c, Mapping)}
    return RUN_UPLOAD if RUN_UPLOAD in ids else None


async def _upload_page(
    request: Request, who: Visitor, *, status: int = 200, error: ShieldwallError | None = None
) -> Response:
    root = rules_root()
    sets: list[RuleSet] = []
    rules_error: ShieldwallError | None = None
    if root is not None:
        try:
            sets = rule_sets(root)
        except ShieldwallError as err:
            rules_error = err
    return render(
        request,
        "upload.html",
        status=status,
        error=error,
        tier=int(who.principal.tier),
        may_upload=who.principal.tier >= Tier.VETTED_DEFENDER,
        configured=root is not None,
        rules_env=RULES_ENV,
        rules_error=rules_error,
        sets=sets,
        runner=await _runner_capability(request, who),
        levels=LEVELS,
        window=DEFAULT_WINDOW_MINUTES,
        max_window=MAX_WINDOW_MINUTES,
        max_files=MAX_FILES,
        max_mb=MAX_UPLOAD_BYTES >> 20,
    )


@router.get("/defend/upload", response_class=HTMLResponse)
async def upload_form(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    return await _upload_page(request, who)


def _choice(form: FormData, name: str, allowed: Sequence[str], default: str) -> str:
    value = field_text(form, name, max_chars=40, required=False) or default
    if value not in allowed:
        raise InputError(
            f"{value[:40]!r} is not one of the choices", code="web.bad_choice", location=name
        )
    return value


def _window(form: FormData) -> int:
    text = field_text(form, "window_minutes", max_chars=6, required=False)
    if not text:
        return DEFAULT_WINDOW_MINUTES
    if not text.isdigit() or not text.isascii() or not 1 <= int(text) <= MAX_WINDOW_MINUTES:
        raise InputError(
            f"the window is a whole number of minutes from 1 to {MAX_WINDOW_MINUTES}",
            code="web.bad_window",
            location="window_minutes",
        )
    return int(text)


def _stage(uploads: Uploads, upload_id: str, files: Sequence[UploadFile]) -> list[StagedFile]:
    taken: set[str] = set()
    staged: list[StagedFile] = []
    budget = MAX_UPLOAD_BYTES
    for item in files:
        item.file.seek(0)
        done = uploads.add_file(
            upload_id, item.file, safe_name(item.filename or "log", taken), budget=budget
        )
        budget -= done.size
        staged.append(done)
    return staged


@router.post("/defend/upload", response_class=HTMLResponse)
async def upload(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    if who.principal.tier < Tier.VETTED_DEFENDER:  # refused before a byte of it is read
        refusal = DeniedError(
            f"uploading logs needs a vetted defender (tier 3); you are tier "
            f"{int(who.principal.tier)}",
            code="web.upload_tier",
            hint="A hub admin vets defenders (shieldwall gateway user vet).",
        )
        return await _upload_page(request, who, status=403, error=refusal)
    form = await read_form(
        request, who, max_bytes=MAX_UPLOAD_BYTES + FORM_SLACK, max_files=MAX_FILES
    )
    try:
        name = field_text(form, "ruleset", max_chars=100, required=False)
        rule_set = find_rule_set(rules_root(), name)
        min_level = _choice(form, "min_level", LEVELS, "informational")
        window = _window(form)
        files = [f for f in form.getlist("logs") if isinstance(f, UploadFile) and f.filename]
        if not files:
            raise InputError(
                "no file was chosen",
                code="web.no_file",
                location="logs",
                hint="Choose one or more log files.",
            )
        capability = await _runner_capability(request, who)
        if capability is None:
            raise NotFoundError(
                "this server has no detection capability",
                code="web.no_detect",
                hint="The operator runs a Shieldwall with the detect package.",
            )
        uploads = _uploads(request)
        upload_id = uploads.create()
        try:
            staged = await run_in_threadpool(_stage, uploads, upload_id, files)
            uploads.write_manifest(
                upload_id,
                {
                    "id": upload_id,
                    "owner": who.principal.id,
                    "files": [s.to_json() for s in staged],
                    "ruleset": rule_set.name,
                    "ruleset_label": rule_set.label,
                    "min_level": min_level,
                    "window_minutes": window,
                    "capability": capability,
                },
            )
            payload = runner_payload(
                capability,
                upload_id=upload_id,
                files_dir=uploads.files_dir(upload_id),
                rule_set=rule_set,
                min_level=min_level,
                window_minutes=window,
            )
            _runner(request).submit(upload_id, capability, payload, who.principal)
        except BaseException:
            uploads.remove(upload_id)
            raise
    except ShieldwallError as err:
        return await _upload_page(request, who, status=err.http_status, error=err)
    finally:
        await form.close()
    return redirect(request, f"/defend/uploads/{upload_id}")


def _progress(manifest: Mapping[str, Any], status: Mapping[str, Any]) -> dict[str, Any]:
    files = manifest.get("files") or []
    return {
        "state": str(status.get("state", "queued")),
        "files": len(files),
        "bytes": sum(int(f.get("bytes", 0)) for f in files if isinstance(f, Mapping)),
        "files_done": int(status.get("files_done", 0)),
        "bytes_done": int(status.get("bytes_done", 0)),
        "events_read": int(status.get("events_read", 0)),
    }


@router.get("/defend/uploads/{upload_id}", response_class=HTMLResponse)
async def upload_status(upload_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    uploads = _uploads(request)
    manifest = uploads.manifest(upload_id, owner=who.principal.id)
    status = uploads.status(upload_id, owner=who.principal.id)
    if status.get("state") == "done" and status.get("run_id"):
        query = urlencode({"run": status["run_id"], "upload": upload_id})
        return redirect(request, f"/defend?{query}")
    error = status.get("error") if isinstance(status.get("error"), Mapping) else None
    return render(
        request,
        "upload_status.html",
        upload_id=upload_id,
        manifest=manifest,
        upload_state=status,
        progress=_progress(manifest, status),
        running=status.get("state") in ("queued", "running"),
        error=dict(error, details={}) if error else None,
        local_only=bool(error and error.get("code") == "detect.local_only"),
        run_upload=RUN_UPLOAD,
    )


@router.get("/defend/uploads/{upload_id}/status")
async def upload_progress(upload_id: str, request: Request, who: Who) -> Response:
    """The upload's progress as JSON, for the status page's script."""
    if not who.signed_in:
        raise NotFoundError("there is no such upload", code="web.no_upload")
    uploads = _uploads(request)
    manifest = uploads.manifest(upload_id, owner=who.principal.id)
    status = uploads.status(upload_id, owner=who.principal.id)
    return JSONResponse(
        _progress(manifest, status),
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


__all__ = [
    "FRAGMENT_CSP",
    "IncidentFilters",
    "alert_from_json",
    "heatmap",
    "incident_filters",
    "incident_view",
    "router",
]
