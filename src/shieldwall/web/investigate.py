"""Investigations with the agent from the web: start one from an incident's page (or ask about a
message or a log excerpt), watch it live, and read its report.

``agent.investigate`` goes through the door as the visitor, in a worker thread, exactly as
``POST /api/v1/investigations`` runs it: a progress sink (``ai.agent.progress``) set around the
door call hears each step. The web keeps each run in a private directory, so that the live page,
its event stream and the final report work across requests (and workers sharing the data
directory):

    <home>/web/investigations/<wi_id>/     mode 0700, one per investigation
        run.json       who started it (principal id) and what it is about
        events.jsonl   its progress, one event a line (kind, seq, a sentence saying what happened)
        status.json    queued | running | done | failed; the report, or the refusal

Only the principal who started a run may see it; to anyone else it does not exist. Runs older
than a week are removed when a new one starts. The page streams the events as server-sent
events (``GET /investigations/<id>/events``, read by ``static/investigate.js``); without
JavaScript it refreshes itself until the report is there.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import threading
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from shieldwall.ai.agent.progress import EventKind, ProgressEvent, progress_sink
from shieldwall.core.errors import (
    InputError,
    NotFoundError,
    ShieldwallError,
    StoreError,
    ThrottledError,
)
from shieldwall.core.http import door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal
from shieldwall.web.account import login_redirect
from shieldwall.web.base import (
    MAX_FIELD_BYTES,
    PageRoute,
    Visitor,
    app_singleton,
    error_page,
    invoke,
    prune_dirs,
    read_form,
    redirect,
    render,
    visitor,
)
from shieldwall.web.forms import field_text
from shieldwall.web.uploads import Uploads, error_json

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

INVESTIGATE = "agent.investigate"
RUN_ID = re.compile(r"^wi_[0-9a-f]{24}$")
INCIDENT_ID = re.compile(r"^inc_[0-9a-f]{24}$")
KEEP_FOR = timedelta(days=7)
MAX_PENDING = 8
WORKERS = 2
DECIDE_WAIT_S = 30.0  # how long the form waits for the door's decision before moving on
POLL_S = 0.25
HEARTBEAT_S = 15.0
STREAM_FOR_S = 300.0  # then the page asks again (a stream never holds a shutdown for long)
MAX_QUESTION_CHARS = 4000
MAX_EVIDENCE_CHARS = MAX_FIELD_BYTES
LISTED = 50
STATES = ("queued", "running", "done", "failed")
_RUN = "run.json"
_EVENTS = "events.jsonl"
_STATUS = "status.json"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _write_json(path: Path, value: Mapping[str, Any]) -> None:
    """Written whole beside it, then moved into place: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(value, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


# -- what each step says -----------------------------------------------------------------------


def _ledger(index: Any) -> str:
    return f" (ledger #{index})" if isinstance(index, int) and not isinstance(index, bool) else ""


def step_text(kind: str, data: Mapping[str, Any]) -> str:
    """One progress event as a sentence (the live page and its stream show the same words)."""

    def get(name: str) -> str:
        value = data.get(name)
        return "" if value is None else str(value)[:300]

    match kind:
        case "started":
            tools = data.get("tools")
            count = len(tools) if isinstance(tools, list) else 0
            return (
                f"Started with {get('provider')} ({get('model')}); {count} read-only "
                f"capabilities as tools, at most {get('max_steps')} steps"
                + _ledger(data.get("decision_index"))
            )
        case "plan":
            steps = data.get("steps")
            checks = [
                f"{s.get('check', '')} ({s.get('value', '')})"
                for s in (steps if isinstance(steps, list) else [])
                if isinstance(s, Mapping)
            ]
            return "Plan: " + ("; ".join(checks)[:600] if checks else "nothing more to check")
        case "tool_call":
            return (
                f"{get('call')}: asks {get('capability')} (step {get('step')} of "
                f"{get('max_steps')})"
            )
        case "tool_result":
            message = f": {get('message')}" if data.get("message") else ""
            return (
                f"{get('call')}: {get('capability')} answered {get('status')}{message}"
                + _ledger(data.get("decision_index"))
            )
        case "guard":
            return f"The guard refused {get('tool') or get('capability')}: {get('message')}"
        case "proposal":
            who = f", approval {get('approval_id')}" if data.get("approval_id") else ""
            return f"Proposed {get('capability')} ({get('status')}{who}): {get('rationale')}"
        case "model_turn":
            return f"Model turn {get('turn')}: {get('status')}" + (
                f", {get('tokens')} tokens" if data.get("tokens") is not None else ""
            )
        case "note":
            return get("message")
        case "report":
            return "The report is written"
        case _:
            return kind


def event_line(event: ProgressEvent) -> dict[str, Any]:
    """What the events file keeps of a progress event (not the report: the status has it)."""
    data = event.to_json()
    kind = str(event.kind)
    return {
        "seq": event.seq,
        "kind": kind,
        "text": step_text(kind, {} if event.kind is EventKind.REPORT else data),
    }


# -- the store of runs ---------------------------------------------------------------------------


class Investigations:
    """The investigation directories under ``root`` (``<home>/web/investigations``)."""

    def __init__(self, root: Path, *, keep_for: timedelta = KEEP_FOR) -> None:
        self.root = root
        self._keep_for = keep_for
        self._lock = threading.Lock()

    def _dir(self, run_id: str) -> Path:
        if not RUN_ID.fullmatch(run_id):
            raise NotFoundError("there is no such investigation", code="web.no_investigation")
        return self.root / run_id

    def create(self, manifest: Mapping[str, Any]) -> str:
        self.prune()
        run_id = f"wi_{secrets.token_hex(12)}"
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder = self.root / run_id
            folder.mkdir(mode=0o700)
            _write_json(folder / _RUN, {**manifest, "id": run_id, "created_at": _now()})
            _write_json(folder / _STATUS, {"state": "queued"})
            (folder / _EVENTS).touch(mode=0o600)
        except OSError as exc:
            raise StoreError(
                f"cannot keep an investigation under {self.root}: {exc}",
                code="web.investigation_dir",
                hint="Check that the data directory is writable by the server.",
            ) from exc
        return run_id

    def manifest(self, run_id: str, *, owner: str) -> dict[str, Any]:
        """The run's manifest, if ``owner`` started it; NotFoundError otherwise."""
        try:
            data = json.loads((self._dir(run_id) / _RUN).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise NotFoundError(
                "there is no such investigation", code="web.no_investigation"
            ) from exc
        if not isinstance(data, dict) or data.get("owner") != owner:
            raise NotFoundError("there is no such investigation", code="web.no_investigation")
        return data

    def status(self, run_id: str, *, owner: str) -> dict[str, Any]:
        self.manifest(run_id, owner=owner)
        return self._status(run_id)

    def _status(self, run_id: str) -> dict[str, Any]:
        try:
            data = json.loads((self._dir(run_id) / _STATUS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"state": "queued"}
        return data if isinstance(data, dict) else {"state": "queued"}

    def update_status(self, run_id: str, **changes: Any) -> None:
        with self._lock:
            data = self._status(run_id)
            data.update(changes, updated_at=_now())
            _write_json(self._dir(run_id) / _STATUS, data)

    def append_event(self, run_id: str, line: Mapping[str, Any]) -> None:
        text = json.dumps(line, ensure_ascii=False, default=str) + "\n"
        with self._lock, (self._dir(run_id) / _EVENTS).open("a", encoding="utf-8") as out:
            out.write(text)

    def events(self, run_id: str, *, owner: str, after: int = 0) -> list[dict[str, Any]]:
        """The events after ``after`` (by seq); a line still being written is left for later."""
        self.manifest(run_id, owner=owner)
        return self._events(run_id, after)

    def _events(self, run_id: str, after: int) -> list[dict[str, Any]]:
        try:
            raw = (self._dir(run_id) / _EVENTS).read_text(encoding="utf-8")
        except OSError:
            return []
        out = []
        for line in raw.split("\n")[:-1]:  # the last piece has no newline yet: not whole
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and isinstance(item.get("seq"), int) and item["seq"] > after:
                out.append(item)
        return out

    def runs(self, *, owner: str, limit: int = LISTED) -> list[dict[str, Any]]:
        """The owner's runs, newest first, each with its state and (when done) its outcome."""
        if not self.root.is_dir():
            return []
        found = []
        for child in self.root.iterdir():
            if not RUN_ID.fullmatch(child.name):
                continue
            try:
                manifest = self.manifest(child.name, owner=owner)
            except NotFoundError:
                continue
            status = self._status(child.name)
            found_report = status.get("report")
            report: Mapping[str, Any] = found_report if isinstance(found_report, Mapping) else {}
            findings = report.get("findings")
            found.append(
                {
                    **manifest,
                    "state": str(status.get("state", "queued")),
                    "confidence": str(report.get("confidence") or ""),
                    "findings": len(findings) if isinstance(findings, list) else None,
                }
            )
        found.sort(key=lambda r: str(r.get("created_at", "")), reverse=True)
        return found[:limit]

    def prune(self) -> int:
        return prune_dirs(self.root, RUN_ID, self._keep_for)


# -- running ---------------------------------------------------------------------------------------


class _Sink:
    """The progress sink of one run: each event into the events file."""

    def __init__(self, store: Investigations, run_id: str, decided: threading.Event) -> None:
        self._store = store
        self._run_id = run_id
        self._decided = decided

    def emit(self, event: ProgressEvent) -> None:
        self._store.append_event(self._run_id, event_line(event))
        self._decided.set()  # the first event comes once the door has allowed the run

    def cancelled(self) -> bool:
        return False


class InvestigationRunner:
    """Runs investigations through the door in worker threads, at most ``max_pending`` queued
    or running per process."""

    def __init__(
        self,
        store: Investigations,
        door: Door,
        *,
        max_pending: int = MAX_PENDING,
        workers: int = WORKERS,
    ) -> None:
        self.store = store
        self._door = door
        self._max_pending = max_pending
        self._pending = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="shieldwall-agent")

    def submit(self, run_id: str, payload: Mapping[str, Any], who: Principal) -> threading.Event:
        """Queue the run; the event is set when the door has decided (or the run has ended)."""
        with self._lock:
            if self._pending >= self._max_pending:
                raise ThrottledError(
                    "the server is busy with other investigations",
                    code="web.busy",
                    hint="Try again in a minute.",
                )
            self._pending += 1
        decided = threading.Event()
        try:
            self._pool.submit(self._run, run_id, dict(payload), who, decided)
        except BaseException:
            with self._lock:
                self._pending -= 1
            raise
        return decided

    def _run(
        self, run_id: str, payload: dict[str, Any], who: Principal, decided: threading.Event
    ) -> None:
        store = self.store
        try:
            store.update_status(run_id, state="running", started_at=_now())
            token = progress_sink.set(_Sink(store, run_id, decided))
            try:
                done = self._door.invoke(INVESTIGATE, payload, who)
            finally:
                progress_sink.reset(token)
            store.update_status(
                run_id,
                state="done",
                finished_at=_now(),
                decision_index=done.decision_index,
                report=done.result,
            )
        except ShieldwallError as err:
            store.update_status(run_id, state="failed", finished_at=_now(), error=error_json(err))
        except Exception as exc:  # a bug: say so on the page rather than run forever
            store.update_status(
                run_id,
                state="failed",
                finished_at=_now(),
                error={
                    "code": "internal",
                    "title": "Internal error",
                    "message": f"the investigation failed: {type(exc).__name__}",
                    "hint": "See the server's log.",
                    "ledger_index": None,
                    "kind": "InternalError",
                },
            )
        finally:
            decided.set()
            with self._lock:
                self._pending -= 1


def _store(request: Request) -> Investigations:
    home = request.app.state.runtime.settings.home
    return app_singleton(
        request, "web_investigations", lambda: Investigations(home / "web" / "investigations")
    )


def _runner(request: Request) -> InvestigationRunner:
    return app_singleton(
        request,
        "web_investigation_runner",
        lambda: InvestigationRunner(_store(request), door(request)),
    )


def _display(request: Request) -> Uploads:
    """Cuts the upload directories out of the paths evidence cites (``sysmon.jsonl:2``)."""
    return Uploads(request.app.state.runtime.settings.home / "web" / "uploads")


# -- the report as the page shows it -------------------------------------------------------------


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _index(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _source(source: Mapping[str, Any], uploads: Uploads) -> str:
    where = uploads.display(str(source.get("file") or ""))
    where = where.rsplit("/", 1)[-1] if "/" in where else where
    if source.get("member"):
        where += f"!{source['member']}"
    record = source.get("record")
    return f"{where}:{record}" if record is not None else where


def report_view(report: Mapping[str, Any], uploads: Uploads) -> dict[str, Any]:
    """The agent's report (``agent.investigate``'s answer) as the page shows it. Lenient: a
    missing or odd field becomes empty."""
    subject = report.get("subject") if isinstance(report.get("subject"), Mapping) else {}
    incident = str(subject.get("incident_id") or "") if isinstance(subject, Mapping) else ""
    findings = []
    for f in _maps(report.get("findings")):
        links = [
            {
                "call": str(e.get("call") or ""),
                "capability": str(e.get("capability") or ""),
                "decision_index": _index(e.get("decision_index")),
                "outcome_index": _index(e.get("outcome_index")),
                "sources": [_source(s, uploads) for s in _maps(e.get("sources"))][:20],
            }
            for e in _maps(f.get("evidence"))
        ]
        findings.append(
            {
                "id": str(f.get("id") or ""),
                "title": str(f.get("title") or ""),
                "severity": str(f.get("severity") or ""),
                "confidence": str(f.get("confidence") or ""),
                "detail": uploads.display(str(f.get("detail") or "")),
                "techniques": _strings(f.get("techniques")),
                "evidence": links,
                "note": str(f.get("note") or ""),
            }
        )
    proposals = [
        {
            "call": str(p.get("call") or ""),
            "capability": str(p.get("capability") or ""),
            "status": str(p.get("status") or ""),
            "approval_id": str(p.get("approval_id") or ""),
            "decision_index": _index(p.get("decision_index")),
            "rationale": str(p.get("rationale") or ""),
        }
        for p in _maps(report.get("proposals"))
    ]
    calls = [
        {
            "call": str(c.get("call") or ""),
            "capability": str(c.get("capability") or ""),
            "status": str(c.get("status") or ""),
            "decision_index": _index(c.get("decision_index")),
            "message": uploads.display(str(c.get("message") or "")),
        }
        for c in _maps(report.get("tool_calls"))
    ]
    budget = report.get("budget") if isinstance(report.get("budget"), Mapping) else {}
    return {
        "investigation": str(report.get("investigation") or ""),
        "incident": incident if INCIDENT_ID.fullmatch(incident) else "",
        "question": str(subject.get("question") or "") if isinstance(subject, Mapping) else "",
        "summary": uploads.display(str(report.get("summary") or "")),
        "confidence": str(report.get("confidence") or ""),
        "provider": str(report.get("provider") or ""),
        "model": str(report.get("model") or ""),
        "concluded_by": str(report.get("concluded_by") or ""),
        "findings": findings,
        "not_checked": [
            {"what": str(n.get("what") or ""), "why": uploads.display(str(n.get("why") or ""))}
            for n in _maps(report.get("not_checked"))
        ],
        "actions": [
            {
                "action": str(a.get("action") or ""),
                "why": str(a.get("why") or ""),
                "approval_id": str(a.get("approval_id") or ""),
            }
            for a in _maps(report.get("recommended_actions"))
        ],
        "proposals": proposals,
        "pending": [p for p in proposals if p["approval_id"] and p["status"] == "held"],
        "guard": [
            {"tool": str(g.get("tool") or ""), "reason": str(g.get("reason") or "")}
            for g in _maps(report.get("guard"))
        ],
        "injection": bool(report.get("injection_signals")),
        "calls": calls,
        "budget": {
            k: budget.get(k) for k in ("steps", "max_steps", "turns", "tokens", "max_tokens")
        }
        if isinstance(budget, Mapping)
        else {},
        "transcript_sha256": str(report.get("transcript_sha256") or ""),
        "transcript_index": _index(report.get("transcript_record_index")),
    }


# -- what the forms send -------------------------------------------------------------------------


def investigation_request(form: Mapping[str, object]) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``agent.investigate`` request a form asks for, and what the run is about (for the
    list of runs): an incident by id, or a question with the evidence pasted."""
    incident = field_text(form, "incident_id", max_chars=40, required=False)
    if incident:
        if not INCIDENT_ID.fullmatch(incident):
            raise InputError(
                "that is not an incident id",
                code="web.bad_incident",
                location="incident_id",
                hint="Start the investigation from the incident's page.",
            )
        return {"incident_id": incident}, {"incident_id": incident}
    question = field_text(form, "question", max_chars=MAX_QUESTION_CHARS, required=False)
    evidence = field_text(form, "evidence", max_chars=MAX_EVIDENCE_CHARS, required=False)
    if not question and not evidence:
        raise InputError(
            "say what to investigate",
            code="web.nothing_to_investigate",
            location="question",
            hint="Ask a question, paste a message or a log excerpt, or start from an incident.",
        )
    payload: dict[str, Any] = {}
    if question:
        payload["question"] = question
    if evidence:
        payload["evidence"] = [{"name": "pasted.txt", "text": evidence}]
    share_to = field_text(form, "share_to", max_chars=200, required=False)
    if share_to:
        payload["share_to"] = share_to
    about = {"question": question or "the evidence pasted", "share_to": share_to}
    return payload, about


# -- the pages -------------------------------------------------------------------------------------


async def _list_page(
    request: Request, who: Visitor, *, status: int = 200, **extra: Any
) -> Response:
    context: dict[str, Any] = {
        "runs": [],
        "writable": [],
        "error": None,
        "form": {},
        "max_evidence_kb": MAX_EVIDENCE_CHARS >> 10,
    }
    if who.signed_in:
        context["runs"] = _store(request).runs(owner=who.principal.id)
        try:
            found = await invoke(request, "intel.collections", {}, who.principal)
        except ShieldwallError:
            found = {"collections": []}
        context["writable"] = [
            c for c in found.get("collections", []) if isinstance(c, Mapping) and c.get("can_write")
        ]
    context.update(extra)
    return render(request, "investigations.html", status=status, **context)


@router.get("/investigations", response_class=HTMLResponse)
async def investigations(request: Request, who: Who) -> Response:
    return await _list_page(request, who)


@router.post("/investigations", response_class=HTMLResponse)
async def start(request: Request, who: Who) -> Response:
    """Start an investigation; once the door has allowed it, go to its page (a refusal is
    shown here, at once, as the API answers it)."""
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    sent = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        payload, about = investigation_request(form)
        store = _store(request)
        run_id = store.create({"owner": who.principal.id, **about})
        decided = _runner(request).submit(run_id, payload, who.principal)
    except ShieldwallError as err:
        if sent.get("incident_id"):
            return error_page(request, err)
        return await _list_page(request, who, status=err.http_status, error=err, form=sent)
    await run_in_threadpool(decided.wait, DECIDE_WAIT_S)
    status = store.status(run_id, owner=who.principal.id)
    if status.get("state") == "failed" and not store.events(run_id, owner=who.principal.id):
        return _run_page(request, run_id, store.manifest(run_id, owner=who.principal.id), status)
    return redirect(request, f"/investigations/{run_id}")


def _run_page(
    request: Request, run_id: str, manifest: Mapping[str, Any], status: Mapping[str, Any]
) -> Response:
    state = str(status.get("state", "queued"))
    error = status.get("error") if isinstance(status.get("error"), Mapping) else None
    report = status.get("report") if isinstance(status.get("report"), Mapping) else None
    found: Visitor = request.state.visitor
    events = _store(request).events(run_id, owner=found.principal.id)
    code = 200
    if error is not None:
        kinds = {
            "AuthError": 401,
            "DeniedError": 403,
            "HeldError": 202,
            "ThrottledError": 429,
            "NotFoundError": 404,
        }
        code = kinds.get(str(error.get("kind")), 400 if error.get("code") != "internal" else 500)
    return render(
        request,
        "investigation.html",
        status=code,
        run_id=run_id,
        manifest=manifest,
        state=state,
        running=state in ("queued", "running"),
        events=events,
        last_seq=max((int(e["seq"]) for e in events), default=0),
        error=dict(error, details={}) if error else None,
        report=report_view(report, _display(request)) if report is not None else None,
        ledger_index=status.get("decision_index"),
    )


@router.get("/investigations/{run_id}", response_class=HTMLResponse)
async def run_page(run_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    store = _store(request)
    manifest = store.manifest(run_id, owner=who.principal.id)
    return _run_page(request, run_id, manifest, store.status(run_id, owner=who.principal.id))


def _after(request: Request) -> int:
    for value in (request.headers.get("last-event-id"), request.query_params.get("after")):
        if value and value.isascii() and value.isdigit() and len(value) <= 9:
            return int(value)
    return 0


def sse(event: str, data: Any, *, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


async def _stream(store: Investigations, run_id: str, owner: str, after: int) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    start = last_beat = loop.time()
    seen = after
    while True:
        fresh = await run_in_threadpool(store.events, run_id, owner=owner, after=seen)
        for item in fresh:
            seen = max(seen, int(item["seq"]))
            yield sse(str(item.get("kind")), item, event_id=int(item["seq"]))
        if not fresh:
            state = str((await run_in_threadpool(store.status, run_id, owner=owner)).get("state"))
            if state not in ("queued", "running"):
                # the last events may have landed after the read above: read once more
                for item in await run_in_threadpool(store.events, run_id, owner=owner, after=seen):
                    seen = max(seen, int(item["seq"]))
                    yield sse(str(item.get("kind")), item, event_id=int(item["seq"]))
                yield sse("end", {"state": state})
                return
        now = loop.time()
        if now - start > STREAM_FOR_S:
            yield sse("end", {"state": "running"})
            return
        if now - last_beat > HEARTBEAT_S:
            last_beat = now
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_S)


@router.get("/investigations/{run_id}/events")
async def run_events(run_id: str, request: Request, who: Who) -> Response:
    """The run's progress as server-sent events (``event:`` is the step's kind; the data has
    its ``seq``, ``kind`` and ``text``), ending with ``event: end`` when the run has ended."""
    if not who.signed_in:
        raise NotFoundError("there is no such investigation", code="web.no_investigation")
    store = _store(request)
    store.manifest(run_id, owner=who.principal.id)
    return StreamingResponse(
        _stream(store, run_id, who.principal.id, _after(request)),
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
            "X-Content-Type-Options": "nosniff",
        },
    )


__all__ = [
    "INVESTIGATE",
    "InvestigationRunner",
    "Investigations",
    "event_line",
    "investigation_request",
    "report_view",
    "router",
    "sse",
    "step_text",
]
