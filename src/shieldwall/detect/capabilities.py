"""The detect capabilities. Both read paths on this machine, so they are declared for tier 3
(the local owner is tier 3) and refuse any principal that is not the local owner: a remote
caller naming server paths could read any file the server can."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.errors import DeniedError
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, PrincipalKind, Tier
from shieldwall.detect.readers import ReadReport, read_paths
from shieldwall.detect.sigma import load_rules

MAX_EVENTS = 100_000

ProgressHook = Callable[[Path, int, ReadReport], None]
#: Set by a front end (the CLI's progress bar) around a door call; called after each file.
progress_hook: ContextVar[ProgressHook | None] = ContextVar("detect_progress_hook", default=None)


class RulesCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1, max_length=4096, description="A rule directory or zip.")


class EventsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(min_length=1, max_length=1000)
    limit: int = Field(default=1000, ge=0, le=MAX_EVENTS)


def _local_only(ctx: InvocationContext, what: str) -> None:
    if ctx.principal.kind is not PrincipalKind.OWNER:
        raise DeniedError(
            f"{what} reads paths on this machine, which only its local owner may do",
            code="detect.local_only",
            hint="Run it with the `shieldwall` command on the machine itself.",
        )


def rules_check(req: RulesCheckRequest, ctx: InvocationContext) -> dict[str, Any]:
    _local_only(ctx, "detect.rules.check")
    return load_rules(Path(req.path)).to_json()


def events(req: EventsRequest, ctx: InvocationContext) -> dict[str, Any]:
    _local_only(ctx, "detect.events")
    report = ReadReport()
    hook = progress_hook.get()
    out: list[dict[str, Any]] = []
    stream = read_paths(
        [Path(p) for p in req.paths],
        report=report,
        on_file=(lambda path, size: hook(path, size, report)) if hook else None,
    )
    try:
        for event in stream:
            if len(out) >= req.limit:
                break
            out.append(event.to_json())
    finally:
        stream.close()
    return {"events": out, "truncated": len(out) >= req.limit, "report": report.to_json()}


def detect_capabilities() -> list[Capability[Any]]:
    return [
        Capability(
            id=CapabilityId("detect.rules.check"),
            description="Load Sigma rules from a directory or zip and list each rule that does "
            "not load, with its reason. Tier 3: it reads local paths, so only the local owner "
            "may run it (a path from a remote caller is refused).",
            min_tier=Tier.VETTED_DEFENDER,
            input_model=RulesCheckRequest,
            handler=rules_check,
        ),
        Capability(
            id=CapabilityId("detect.events"),
            description="Read log files (EVTX, JSON lines, syslog, web access logs, zips) into "
            "normalized events. Tier 3: it reads local paths, so only the local owner may run it.",
            min_tier=Tier.VETTED_DEFENDER,
            input_model=EventsRequest,
            handler=events,
        ),
    ]
