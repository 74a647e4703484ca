"""HTTP: ``POST /api/v1/investigations`` runs ``agent.investigate`` through the door.

With ``Accept: text/event-stream`` the answer streams progress as server-sent events while the
investigation runs (``event:`` is the kind: started, plan, model_turn, tool_call, tool_result,
guard, proposal, note, and finally ``report`` with the whole report, or ``error`` with a
problem+json body). Otherwise the answer is the report as JSON once it is done.

The door decides before anything streams: a refusal (tier, quota, misuse screening) is an
ordinary problem+json answer with its status, not a stream. A client that disconnects stops the
investigation at the next step. ``log_paths`` name files on the server, which only the local
owner may read (``detect.events`` refuses anyone else).
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from shieldwall.ai.agent.capabilities import InvestigateRequest
from shieldwall.ai.agent.progress import EventKind, ProgressEvent, progress_sink
from shieldwall.core.errors import InternalError, ShieldwallError
from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal

router = APIRouter(prefix="/api/v1", tags=["agent"])

DoorDep = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]

HEARTBEAT_S: Final = 15.0
_DONE: Final = object()


def _problem(err: ShieldwallError, instance: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:shieldwall:problem:{err.code}",
        "title": err.title,
        "status": err.http_status,
        "detail": err.message,
        "instance": instance,
        "code": err.code,
    }
    if err.hint:
        body["hint"] = err.hint
    return body


def sse(event: str, data: Any, *, event_id: int | None = None) -> str:
    """One server-sent event (data as one line of JSON)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, default=str, ensure_ascii=False)}\n\n"


class _Stream:
    """Runs the investigation in its own thread and hands its progress over a queue."""

    def __init__(self, gate: Door, body: InvestigateRequest, who: Principal) -> None:
        self._gate = gate
        self._body = body
        self._who = who
        self._queue: queue.Queue[object] = queue.Queue()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="investigation", daemon=True)

    # ProgressSink
    def emit(self, event: ProgressEvent) -> None:
        self._queue.put(event)

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        token = progress_sink.set(self)
        try:
            self._gate.invoke("agent.investigate", self._body, self._who)
        except ShieldwallError as err:
            self._queue.put(err)
        except Exception as err:  # a bug: reported as one, never a hung stream
            self._queue.put(InternalError(f"the investigation failed: {err!r}", code="internal"))
        finally:
            progress_sink.reset(token)
            self._queue.put(_DONE)

    def first(self) -> object:
        """Block until the door has decided: the first event, or the error that ended it."""
        return self._queue.get()

    def events(self, first: object, instance: str) -> Iterator[str]:
        item = first
        try:
            while item is not _DONE:
                if isinstance(item, ProgressEvent):
                    data = item.to_json()
                    if item.kind is EventKind.REPORT:
                        data = data["report"]
                    yield sse(str(item.kind), data, event_id=item.seq)
                elif isinstance(item, ShieldwallError):
                    yield sse("error", _problem(item, instance))
                try:
                    item = self._queue.get(timeout=HEARTBEAT_S)
                except queue.Empty:
                    yield ": keep-alive\n\n"
                    item = None
        finally:
            self._stop.set()  # a client that went away stops the investigation


@router.post(
    "/investigations",
    summary="Investigate an incident, a question or evidence with the agent; streams progress "
    "as server-sent events with Accept: text/event-stream.",
    responses={200: {"content": {"text/event-stream": {}, "application/json": {}}}},
)
async def post_investigation(
    body: InvestigateRequest, request: Request, gate: DoorDep, who: Who
) -> Any:
    if "text/event-stream" not in request.headers.get("accept", ""):
        invocation = await run_in_threadpool(gate.invoke, "agent.investigate", body, who)
        return JSONResponse(invocation.result)
    stream = _Stream(gate, body, who)
    stream.thread.start()
    first = await run_in_threadpool(stream.first)
    if isinstance(first, ShieldwallError):
        raise first  # the door refused: problem+json, not a stream
    return StreamingResponse(
        stream.events(first, request.url.path),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
