"""The detect capabilities. Both read paths on this machine, so they are declared for tier 3
(the local owner is tier 3) and refuse any principal that is not the local owner: a remote
caller naming server paths could read any file the server can."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.ai.provider import ModelProvider
from shieldwall.core.clock import Clock
from shieldwall.core.errors import DeniedError, InputError
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, PrincipalKind, Tier
from shieldwall.detect import report
from shieldwall.detect.alerts import Level
from shieldwall.detect.engine import Selection
from shieldwall.detect.eventstore import EventWriter
from shieldwall.detect.hunt import Hunter, HuntRequest, HuntService
from shieldwall.detect.incidents import (
    DEFAULT_WINDOW,
    AllowEntry,
    NoiseFilter,
    NoiseStats,
    group_alerts,
)
from shieldwall.detect.readers import ReadReport, read_paths
from shieldwall.detect.repository import DetectRepository
from shieldwall.detect.run import RunOptions, run_detection
from shieldwall.detect.sigma import load_rules
from shieldwall.detect.triage import triage_incidents
from shieldwall.detect.uploads import find_rule_set, upload_files
from shieldwall.detect.uploads import rules_root as env_rules_root

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


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(min_length=1, max_length=1000, description="Log files, dirs, zips.")
    rules: list[str] = Field(
        default_factory=list, max_length=100, description="Sigma rule directories, zips or files."
    )
    min_level: str = Field(default="informational", description="Lowest rule level to run.")
    statuses: list[str] | None = Field(
        default=None, description="Rule statuses to run (stable, test, experimental, ...)."
    )
    exclude: list[str] = Field(default_factory=list, max_length=10_000, description="Rule ids.")
    placeholders: dict[str, list[str]] = Field(
        default_factory=dict, description="Values for |expand placeholders (%name%)."
    )
    allow: list[str] = Field(
        default_factory=list,
        max_length=1000,
        description="Allow-list: an alert whose evidence matches FIELD=VALUE[;FIELD=VALUE] "
        "(* and ? wildcards) is suppressed.",
    )
    window_minutes: int = Field(
        default=int(DEFAULT_WINDOW.total_seconds() // 60),
        ge=1,
        le=7 * 24 * 60,
        description="Alerts of one host or user closer than this form one incident.",
    )
    store_events: bool = Field(
        default=True, description="Keep the events (Parquet) for detect.events.query."
    )
    format: Literal["json", "csv", "html", "navigator"] = Field(
        default="json", description="Also render the alerts in this format (`rendered`)."
    )


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


def _selection(req: RunRequest) -> Selection:
    try:
        level = Level.parse(req.min_level)
    except ValueError as exc:
        raise InputError(str(exc), code="detect.bad_level") from exc
    return Selection(
        min_level=level,
        statuses=frozenset(s.lower() for s in req.statuses) if req.statuses else None,
        exclude=frozenset(req.exclude),
        placeholders=req.placeholders,
    )


#: With a model provider configured, the highest-scoring incidents of a run are triaged by the
#: model, the rest by the local writer (a run can hold hundreds; each model call costs).
MODEL_TRIAGE_LIMIT = 20

ProviderFactory = Callable[[], ModelProvider | None]


class RunUploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upload: str = Field(pattern=r"^up_[0-9a-f]{24}$", description="The upload's id.")
    ruleset: str = Field(
        default="", max_length=100, description="A rule set of the operator's ('' = all)."
    )
    min_level: str = Field(default="informational", description="Lowest rule level to run.")
    window_minutes: int = Field(default=int(DEFAULT_WINDOW.total_seconds() // 60), ge=1, le=10080)


@dataclass(frozen=True, slots=True)
class _Detector:
    """Runs detection and stores what it found: the body of both run capabilities."""

    clock: Clock
    home: Path
    repository: DetectRepository
    triage_provider: ProviderFactory | None

    def __call__(
        self,
        ctx: InvocationContext,
        *,
        paths: list[Path],
        rules: list[Path],
        selection: Selection,
        allow: tuple[AllowEntry, ...] = (),
        window: timedelta = DEFAULT_WINDOW,
        store_events: bool = True,
        render: str = "json",
    ) -> dict[str, Any]:
        owner, org = ctx.principal.id, ctx.principal.org
        record = self.repository.start_run(
            owner=owner, owner_org=org, paths=[str(p) for p in paths]
        )
        try:
            # Every event also goes to the run's Parquet files, for detect.events.query.
            writer = (
                EventWriter(self.home, record.id, owner=owner, owner_org=org)
                if store_events
                else None
            )
            with writer or contextlib.nullcontext():
                result = run_detection(
                    paths,
                    RunOptions(
                        rules=rules,
                        selection=selection,
                        cache=self.home / "detect" / "rules-cache.json",
                    ),
                    now=self.clock.now,
                    on_file=progress_hook.get(),
                    sink=writer.add if writer is not None else None,
                )
        except Exception as exc:
            self.repository.finish_run(
                record.id, events=0, alerts=0, incidents=0, status="failed", error=str(exc)
            )
            raise
        alerts = list(NoiseFilter(allow=allow).apply(result.alerts, NoiseStats()))
        incidents = group_alerts(alerts, window=window)
        provider = self.triage_provider() if self.triage_provider is not None else None
        triaged = triage_incidents(incidents[:MODEL_TRIAGE_LIMIT], provider=provider)
        triaged += triage_incidents(incidents[MODEL_TRIAGE_LIMIT:])
        summary = result.summary()
        self.repository.save_incidents(record.id, triaged, owner=owner, owner_org=org)
        self.repository.finish_run(
            record.id,
            events=result.events,
            alerts=len(alerts),
            incidents=len(triaged),
            rules_loaded=summary["rules"]["loaded"],
            rules_failed=summary["rules"]["failed"],
        )
        summary.update(
            id=record.id, alerts=len(alerts), suppressed=len(result.alerts) - len(alerts)
        )
        out: dict[str, Any] = {
            "run": summary,
            "alerts": [a.to_json() for a in alerts],
            "incidents": [t.to_json(with_alerts=False) for t in triaged],
        }
        if render == "csv":
            buffer = io.StringIO()
            report.write_csv_timeline(alerts, buffer)
            out["rendered"] = buffer.getvalue()
        elif render == "html":
            out["rendered"] = report.render_html(
                triaged,
                alerts=alerts,
                generated_at=self.clock.now(),
                run={
                    "run": summary["id"],
                    "paths": ", ".join(summary["paths"]),
                    "files": summary["read"]["files"],
                    "events": summary["events"],
                    "rules run": summary["rules"]["compiled"],
                    "rules not loaded": summary["rules"]["failed"],
                    "suppressed": summary["suppressed"],
                },
            )
        elif render == "navigator":
            out["rendered"] = json.dumps(report.navigator_layer(alerts), indent=2)
        return out


def _run(
    detector: _Detector, rules_root: Path | None
) -> Callable[[RunRequest, InvocationContext], dict[str, Any]]:
    def run(req: RunRequest, ctx: InvocationContext) -> dict[str, Any]:
        _local_only(ctx, "detect.run")
        try:
            allow = tuple(AllowEntry.parse(spec) for spec in req.allow)
        except ValueError as exc:
            raise InputError(str(exc), code="detect.bad_allow") from exc
        return detector(
            ctx,
            paths=[Path(p) for p in req.paths],
            # no --rules: the operator's rules (SHIELDWALL_DETECT_RULES), if any
            rules=[Path(r) for r in req.rules] or _default_rules(rules_root),
            selection=_selection(req),
            allow=allow,
            window=timedelta(minutes=req.window_minutes),
            store_events=req.store_events,
            render=req.format,
        )

    return run


def _default_rules(rules_root: Path | None) -> list[Path]:
    root = rules_root or env_rules_root()
    return [root] if root is not None else []


def _run_upload(
    detector: _Detector, rules_root: Path | None
) -> Callable[[RunUploadRequest, InvocationContext], dict[str, Any]]:
    def run_upload(req: RunUploadRequest, ctx: InvocationContext) -> dict[str, Any]:
        files = upload_files(detector.home, req.upload, owner=ctx.principal.id)
        # the setting, else the environment now (an operator may set it after start-up)
        rule_set = find_rule_set(rules_root or env_rules_root(), req.ruleset)
        try:
            level = Level.parse(req.min_level)
        except ValueError as exc:
            raise InputError(str(exc), code="detect.bad_level") from exc
        return detector(
            ctx,
            paths=[files],
            rules=[rule_set.path],
            selection=Selection(min_level=level),
            window=timedelta(minutes=req.window_minutes),
        )

    return run_upload


def detect_capabilities(
    *,
    clock: Clock,
    home: Path,
    engine: Engine,
    triage_provider: ProviderFactory | None = None,
    rules_root: Path | None = None,
) -> list[Capability[Any]]:
    """The detect capabilities. ``triage_provider`` gives the model that triages incidents
    (called per run; None or a None result: the local writer, no network). ``rules_root`` is
    the operator's rules directory for runs over uploads (SHIELDWALL_DETECT_RULES)."""
    detector = _Detector(clock, home, DetectRepository(engine, clock=clock), triage_provider)
    return [
        Capability(
            id=CapabilityId("detect.run"),
            description="Run Sigma rules over log files (EVTX, JSON lines, syslog, web access "
            "logs, zips): alerts with their evidence, correlations, and every rule that did not "
            "load with its reason. Tier 3: it reads local paths, so only the local owner may "
            "run it.",
            min_tier=Tier.VETTED_DEFENDER,
            input_model=RunRequest,
            handler=_run(detector, rules_root),
        ),
        Capability(
            id=CapabilityId("detect.run_upload"),
            description="Run one of the operator's Sigma rule sets (named, never a path) over "
            "logs uploaded through the web, for the principal who uploaded them; stored like "
            "detect.run. Tier 3.",
            min_tier=Tier.VETTED_DEFENDER,
            input_model=RunUploadRequest,
            handler=_run_upload(detector, rules_root),
        ),
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
        Capability(
            id=CapabilityId("detect.hunt"),
            description="Retro-hunt: look for observables (IPs, domains, URLs, file hashes, "
            "e-mail addresses, file names) in the stored events of the runs you may read; each "
            "match is an alert whose rule is the indicator, grouped into stored incidents. "
            "Observables no stored event could hold are reported as not huntable.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=HuntRequest,
            handler=HuntService(Hunter(home), detector.repository),
            writes=True,
        ),
    ]
