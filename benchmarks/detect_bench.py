"""Detect benchmark: ``run_detection`` end to end against Zircolite's method, on the same events.

    .venv/bin/python benchmarks/detect_bench.py [--quick] [--evtx DIR] [--lsass ZIP ...]
        [--rules DIR ...] [--anchor-venv DIR] [--no-anchor]

Data (defaults under ``../shared/data/detect``, or ``$SHIELDWALL_SHARED_DATA/detect``):
EVTX-ATTACK-SAMPLES (277 EVTX files, 8,255 records), the OTRF LSASS campaign (one zipped
JSON-lines file, 53,698 events) and SigmaHQ's ``rules/windows`` (~2,400 rules). ``--quick``: the
first 40 EVTX files, no LSASS, three rule folders (a smoke check of the machinery, not a figure).

Every measurement runs in a child process of this script (``--side``), so peak RSS
(``ru_maxrss``) is that run's own and CPU time (``time.process_time``: every thread of the
process, the Rust EVTX parser's included) is that run's alone. Interpreter start-up and imports
are not timed.

Shieldwall (this venv):

- ``cold``: ``run_detection`` with an empty rule cache (every rule parsed by pySigma and
  converted; the cache file written, as a first ``shieldwall detect run`` does);
- ``warm``: the same with the rule cache the cold run wrote;
- ``lsass-1x`` / ``lsass-3x``: warm, the LSASS zip passed once and three times (memory must not
  grow with input size);
- ``split``: the same steps as ``run_detection`` called one by one, to time rule loading,
  reading and matching apart. It also writes the events it read, as JSON lines (not timed), for
  the anchor.

The anchor, Zircolite's method (Zircolite itself is not on PyPI; Hayabusa and Chainsaw are Rust
binaries that cannot be fetched here). It runs in its own venv (``--anchor-venv``, default
``~/.cache/shieldwall-bench/zircolite-venv``, created with pip on first use and reused), because
pySigma-pipeline-sysmon 2.0 needs pySigma < 2 and Shieldwall needs pySigma 2:

- rules: converted with pySigma's SQLite backend (``zircolite`` output format) as
  Zircolite-Rules-v2 builds its "merged" Windows ruleset: once with the Sysmon pipeline and once
  with the Windows audit pipeline (each plus the Windows logsource pipeline and the field names
  Zircolite flattens to), deduplicated by (rule id, SQL); rules with no channel mapping in either
  profile are left out, rules that fail to convert are counted and listed;
- events: the JSON lines file parsed with orjson (timed, as Zircolite parses evtx_dump/JSON
  output), Zircolite's channel/event-id pre-filter, flattened the Zircolite way (field names
  reduced to letters and digits, lists as text, null and "" dropped), one in-memory SQLite table
  with one ``TEXT COLLATE NOCASE``/``INTEGER`` column per field seen, batch inserts, an index on
  EventID (Zircolite's unified-database mode, its fastest for many small files);
- detection: per rule, missing columns added (the backend's ``ensure_fields``) and each SQL query
  run, rows fetched as dicts (as Zircolite does), matches counted per rule.

Before printing, the parent checks that cold, warm and split runs give the same per-rule match
counts and event counts, and that the anchor read exactly the events ours exported; it then
compares per-rule counts of both sides and lists the disagreements. Results go to stdout and to
``benchmarks/results/detect.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Only the standard library at module level: the anchor side runs this file in its own venv.

DATA = Path(os.environ.get("SHIELDWALL_SHARED_DATA", Path(__file__).parents[2] / "shared/data"))
DETECT = DATA / "detect"
EVTX_DIR = DETECT / "logs/evtx/evtx-attack-samples"
LSASS_DIR = DETECT / "logs/json/otrf-security-datasets/datasets/compound/LSASS_campaign_01"
RULES = DETECT / "sigma/rules/windows"
QUICK_RULES = ("builtin", "process_access", "create_remote_thread")
QUICK_EVTX_FILES = 40
RESULTS = Path(__file__).resolve().parent / "results" / "detect.json"
ANCHOR_VENV = Path.home() / ".cache" / "shieldwall-bench" / "zircolite-venv"
#: Pinned so the anchor is the same on every machine; the Sysmon pipeline caps pySigma below 2.
ANCHOR_REQUIREMENTS = (
    "pySigma==1.5.1",
    "pysigma-backend-sqlite==2.0.0",
    "pysigma-pipeline-sysmon==2.0.0",
    "pysigma-pipeline-windows==2.0.1",
    "orjson>=3.9",
)
GOAL_EPS = 10_000.0
#: "Memory does not grow with input size": peak RSS at 3x input within this fraction of 1x.
GOAL_RSS_GROWTH = 0.10
SHOWN_DISAGREEMENTS = 20
_ZIRCOLITE_BATCH = 5000  # Zircolite's insert batch size


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- Shieldwall sides (this venv) ------------------------------------------------------------------


def _event_key(source: Any) -> tuple[str, str, int]:
    return (source.file, source.member or "", source.record)


def _rule_counts(alerts: Iterable[Any]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Distinct events per detection rule (correlation alerts left out), and per rule the
    channel/event id of those events (to explain disagreements)."""
    events: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    channels: dict[str, Counter[str]] = defaultdict(Counter)
    for alert in alerts:
        if alert.rule.kind != "rule":
            continue
        key = _event_key(alert.source)
        if key in events[alert.rule.id]:
            continue
        events[alert.rule.id].add(key)
        channels[alert.rule.id][_channel_label(alert.fields)] += 1
    return (
        {rule: len(found) for rule, found in events.items()},
        {rule: dict(c) for rule, c in channels.items()},
    )


def _channel_label(fields: Any) -> str:
    return f"{fields.get('Channel', '?')}/{fields.get('EventID', '?')}"


def side_ours_run(job: dict[str, Any]) -> dict[str, Any]:
    """``run_detection`` end to end, as ``detect run`` calls it."""
    from shieldwall.detect.run import RunOptions, run_detection

    paths = [Path(p) for p in job["paths"]]
    options = RunOptions(
        rules=[Path(r) for r in job["rules"]],
        cache=Path(job["cache"]) if job.get("cache") else None,
    )
    cache_existed = bool(job.get("cache")) and Path(job["cache"]).exists()
    cpu, wall = time.process_time(), time.perf_counter()
    result = run_detection(paths, options, now=lambda: datetime.now(UTC))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    counts, channels = _rule_counts(result.alerts)
    return {
        "events": result.events,
        "cpu_s": cpu,
        "wall_s": wall,
        "events_per_cpu_s": result.events / cpu if cpu else 0.0,
        "peak_rss_mb": rss_peak_mb(),
        "alerts": len(result.alerts),
        "correlation_alerts": sum(1 for a in result.alerts if a.rule.kind != "rule"),
        "rule_files": result.load.files,
        "rules_loaded": result.load.loaded,
        "rules_failed": len(result.load.failures) + len(result.compile_report.failures),
        "rules_compiled": result.compiled,
        "rules_from_cache": result.load.cached,
        "cache_existed": cache_existed,
        "read": {k: v for k, v in result.read.to_json().items() if not isinstance(v, list)},
        "counts": counts,
        "channels": channels,
    }


def side_ours_split(job: dict[str, Any]) -> dict[str, Any]:
    """The steps of ``run_detection`` one by one: rules, reading, matching; exports the events."""
    import orjson

    from shieldwall.detect.engine import compile_rules
    from shieldwall.detect.readers import ReadReport, read_paths
    from shieldwall.detect.sigma import load_rules

    out: dict[str, Any] = {}
    cpu = time.process_time()
    load = load_rules(*[Path(r) for r in job["rules"]], cache=None)
    engine, report = compile_rules(load)
    out["rules_cpu_s"] = time.process_time() - cpu
    cpu = time.process_time()
    events = list(read_paths([Path(p) for p in job["paths"]], report=ReadReport()))
    out["read_cpu_s"] = time.process_time() - cpu
    with Path(job["export"]).open("wb") as fh:  # not timed
        for event in events:
            fh.write(orjson.dumps(dict(event.fields), default=str) + b"\n")
    alerts = []
    cpu = time.process_time()
    match = engine.match
    for event in events:
        found = match(event)
        if found:
            alerts.extend(found)
    alerts.extend(engine.finish())
    out["match_cpu_s"] = time.process_time() - cpu
    out["events"] = len(events)
    out["match_events_per_cpu_s"] = len(events) / out["match_cpu_s"] if out["match_cpu_s"] else 0
    out["counts"], _ = _rule_counts(alerts)
    out["rules"] = {r.info.id: {"title": r.info.title, "path": r.info.path} for r in engine.rules}
    out["load_failures"] = [f.to_json() for f in [*load.failures, *report.failures]]
    out["unreachable"] = {why: len(ids) for why, ids in report.unreachable.items()}
    out["peak_rss_mb"] = rss_peak_mb()
    return out


# -- the anchor side (its own venv: pySigma 1.5 + the SQLite backend) -----------------------------

_PLAIN_FIELD = re.compile(r"[A-Za-z0-9_]+")
_SQLITE_INT_MAX = 9223372036854775807


def _zircolite_name(key: str) -> str:
    """Zircolite keeps the names its field mappings give (our readers already give EVTX names:
    EventID, Provider_Name, Image, ...); any other key becomes its last path component with
    everything but letters and digits removed (``Threat Name`` -> ``ThreatName``)."""
    if _PLAIN_FIELD.fullmatch(key):
        return key
    return "".join(c for c in key.rsplit(".", 1)[-1] if c.isalnum())


def _flatten_zircolite(event: dict[str, Any], names: dict[str, str], types: dict[str, str]) -> Any:
    row: dict[str, Any] = {}
    stack: list[tuple[str, Any]] = list(event.items())
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{key}.{k}", v) for k, v in value.items())
            continue
        if value is None or value == "":  # Zircolite's "useless" values
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list) or (isinstance(value, int) and abs(value) > _SQLITE_INT_MAX):
            value = str(value)
        name = _zircolite_name(key)
        if not name:
            continue
        lower = name.lower()
        column = names.get(lower)
        if column is None:  # SQLite column names are case-insensitive: first spelling wins
            names[lower] = column = name
            types[column] = "INTEGER" if isinstance(value, int) else "TEXT COLLATE NOCASE"
        row.setdefault(column, value)
    return row


def _anchor_pipeline(profile: str) -> Any:
    from sigma.pipelines.sysmon import sysmon_pipeline
    from sigma.pipelines.windows import windows_audit_pipeline, windows_logsource_pipeline
    from sigma.processing.pipeline import ProcessingItem, ProcessingPipeline
    from sigma.processing.transformations import FieldMappingTransformation

    # Zircolite-Rules-v2 maps these Sigma names to the leaf names Zircolite's flattening makes.
    zircolite_fields = ProcessingPipeline(
        items=[
            ProcessingItem(
                FieldMappingTransformation(
                    {
                        "EventXML.Address": "Address",
                        "EventXML.Param3": "Param3",
                        "New Value": "NewValue",
                    }
                ),
                identifier="zircolite_windows_fields",
            )
        ]
    )
    first = sysmon_pipeline() if profile == "sysmon" else windows_audit_pipeline()
    return first + windows_logsource_pipeline() + zircolite_fields


def _fields_of(detection: Any) -> Iterator[str]:
    if getattr(detection, "field", None):
        yield detection.field
    for item in getattr(detection, "detection_items", []):
        yield from _fields_of(item)


def _applicable(rule: Any, conditions: list[Any]) -> bool:
    """Zircolite-Rules-v2 leaves out Windows rules its pipelines give no channel."""
    source = rule.logsource
    if source.product != "windows":
        return False
    if any("Channel" in set(_fields_of(d)) for d in rule.detection.detections.values()):
        return True
    if source.category is None and source.service is None:
        return True
    return any(c.match(rule) for c in conditions)


def _anchor_rule_files(rules: list[str]) -> list[Path]:
    files: list[Path] = []
    for root in map(Path, rules):
        if root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml")))
        else:
            files.append(root)
    return files


def _anchor_convert(rules: list[str]) -> dict[str, Any]:
    """Sigma -> the Zircolite ruleset: entries, and every rule not converted with its reason."""
    import yaml
    from sigma.backends.sqlite.sqlite import sqliteBackend
    from sigma.collection import SigmaCollection
    from sigma.correlations import SigmaCorrelationRule
    from sigma.processing.conditions import LogsourceCondition

    docs: list[tuple[str, list[dict[str, Any]]]] = []
    failed: dict[str, dict[str, Any]] = {}
    for file in _anchor_rule_files(rules):
        try:
            parsed = [d for d in yaml.safe_load_all(file.read_text("utf-8")) if isinstance(d, dict)]
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            failed[str(file)] = {"title": "", "path": str(file), "reason": f"YAML: {exc}"}
            continue
        docs.append((str(file), parsed))
    entries: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    titles: dict[str, str] = {}
    paths: dict[str, str] = {}
    convert_errors: dict[str, dict[str, str]] = defaultdict(dict)
    excluded: dict[str, set[str]] = defaultdict(set)
    correlations: set[str] = set()
    reference_only: set[str] = set()
    parse_failed: dict[str, str] = {}
    profiles = ("sysmon", "generic")
    for profile in profiles:
        pipeline = _anchor_pipeline(profile)
        conditions = [
            c
            for item in pipeline.items
            for c in item.rule_conditions
            if isinstance(c, LogsourceCondition)
        ]
        selected = []
        rids: dict[int, str] = {}
        for path, parsed in docs:
            collection = SigmaCollection.from_dicts(copy.deepcopy(parsed), collect_errors=True)
            for rule in collection.rules:
                rid = rids[id(rule)] = str(rule.id) if rule.id else path
                paths.setdefault(rid, path)
                titles.setdefault(rid, rule.title or "")
                if rule.errors:
                    parse_failed[rid] = "; ".join(dict.fromkeys(str(e) for e in rule.errors))
                    continue
                if isinstance(rule, SigmaCorrelationRule):
                    correlations.add(rid)
                    selected.append(rule)
                elif _applicable(rule, conditions):
                    selected.append(rule)
                else:
                    excluded[rid].add(profile)
            for error in collection.errors:
                parse_failed.setdefault(path, str(error))
        combined = SigmaCollection(selected)
        combined.resolve_rule_references()
        backend = sqliteBackend(pipeline)
        backend.init_processing_pipeline("zircolite")
        for rule in combined:
            rid = rids[id(rule)]
            if isinstance(rule, SigmaCorrelationRule):
                continue  # correlations are compared apart (left out of both sides)
            try:
                converted = backend.convert_rule(rule, "zircolite")
            except Exception as exc:  # the anchor counts any conversion error, as Zircolite does
                convert_errors[rid][profile] = f"{type(exc).__name__}: {exc}"
                continue
            if not rule._output:
                reference_only.add(rid)
                continue
            for entry in converted:
                entries.setdefault((entry["id"] or rid, tuple(entry["rule"])), entry)
    converted_ids = {key[0] for key in entries}
    for rid, reasons in convert_errors.items():
        if rid not in converted_ids:
            failed[rid] = {
                "title": titles.get(rid, ""),
                "path": paths.get(rid, ""),
                "reason": next(iter(reasons.values())),
            }
    for rid, reason in parse_failed.items():
        failed.setdefault(
            rid,
            {
                "title": titles.get(rid, ""),
                "path": paths.get(rid, rid),
                "reason": f"parse: {reason}",
            },
        )
    no_channel = sorted(
        rid for rid, where in excluded.items() if where == set(profiles) and rid not in failed
    )
    return {
        "entries": list(entries.values()),
        "converted": sorted(converted_ids),
        "failed": failed,
        "no_channel": no_channel,
        "correlations": sorted(correlations),
        "reference_only": sorted(reference_only - converted_ids),
        "titles": titles,
        "files": len(docs) + sum(1 for f in failed.values() if f["reason"].startswith("YAML")),
    }


def _event_filter(entries: list[dict[str, Any]]) -> tuple[bool, frozenset[str], frozenset[int]]:
    """Zircolite's EventFilter: skip events whose channel or event id no rule names; on only
    when every rule names a channel or an event id."""
    channels: set[str] = set()
    event_ids: set[int] = set()
    without = 0
    for entry in entries:
        if entry.get("channel") or entry.get("eventid"):
            channels.update(c.lower() for c in entry.get("channel", []) if c)
            for e in entry.get("eventid", []):
                try:
                    event_ids.add(int(e))
                except (TypeError, ValueError):
                    continue
        else:
            without += 1
    enabled = bool(channels and event_ids and without == 0)
    return enabled, frozenset(channels), frozenset(event_ids)


def side_anchor(job: dict[str, Any]) -> dict[str, Any]:
    import orjson
    import sigma
    from sigma.backends.sqlite.runtime import ensure_fields

    out: dict[str, Any] = {}
    cpu0, wall0 = time.process_time(), time.perf_counter()
    ruleset = _anchor_convert(job["rules"])
    entries = ruleset.pop("entries")
    out["convert_cpu_s"] = time.process_time() - cpu0
    out["convert_wall_s"] = time.perf_counter() - wall0

    # -- detection: parse, filter, flatten, insert, query -----------------------------------
    cpu1, wall1 = time.process_time(), time.perf_counter()
    enabled, channels, event_ids = _event_filter(entries)
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    read = skipped = 0
    loads = orjson.loads
    with Path(job["events_file"]).open("rb") as fh:
        for line in fh:
            event = loads(line)
            read += 1
            if enabled:
                channel = event.get("Channel")
                event_id = event.get("EventID")
                if channel is not None and event_id is not None:
                    try:
                        eid = int(event_id)
                    except (TypeError, ValueError):
                        eid = None
                    if eid is not None and (
                        str(channel).lower() not in channels or eid not in event_ids
                    ):
                        skipped += 1
                        continue
            rows.append(_flatten_zircolite(event, names, types))
    out["load_cpu_s"] = time.process_time() - cpu1

    cpu = time.process_time()
    db = sqlite3.connect(":memory:", isolation_level=None)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        "cache_size = -128000",
        "locking_mode = EXCLUSIVE",
        "temp_store = MEMORY",
        "page_size = 4096",
    ):
        db.execute(f"PRAGMA {pragma}")

    def regexp(pattern: str, value: Any) -> int:
        return 0 if value is None else int(re.search(pattern, str(value)) is not None)

    db.create_function("regexp", 2, regexp)
    columns = sorted(types)
    quoted = [f'"{c.replace(chr(34), chr(34) * 2)}"' for c in columns]
    spec = ", ".join(f"{q} {types[c]}" for q, c in zip(quoted, columns, strict=True))
    db.execute(f"CREATE TABLE logs (row_id INTEGER PRIMARY KEY AUTOINCREMENT, {spec})")
    insert = f"INSERT INTO logs ({', '.join(quoted)}) VALUES ({', '.join('?' * len(columns))})"
    db.execute("BEGIN")
    for lo in range(0, len(rows), _ZIRCOLITE_BATCH):
        db.executemany(
            insert, [tuple(map(r.get, columns)) for r in rows[lo : lo + _ZIRCOLITE_BATCH]]
        )
    db.execute("COMMIT")
    if "eventid" in names:
        db.execute('CREATE INDEX "idx_eventid" ON "logs" ("eventid")')
    inserted = len(rows)
    del rows
    out["insert_cpu_s"] = time.process_time() - cpu

    cpu = time.process_time()
    db.row_factory = sqlite3.Row
    cursor = db.cursor()
    matched: dict[str, set[int]] = defaultdict(set)
    by_channel: dict[str, Counter[str]] = defaultdict(Counter)
    query_errors: dict[str, str] = {}
    for entry in entries:
        rid = entry["id"]
        ensure_fields(db, {"logs": entry.get("required_fields", [])})
        for sql in entry["rule"]:
            try:
                found = cursor.execute(sql).fetchall()
            except sqlite3.Error as exc:  # Zircolite logs it and moves on
                query_errors[rid] = f"{exc}"
                continue
            if not found:
                continue
            keys = found[0].keys()
            for r in [{k: row[k] for k in keys if row[k] is not None} for row in found]:
                if r["row_id"] not in matched[rid]:
                    matched[rid].add(r["row_id"])
                    by_channel[rid][_channel_label(r)] += 1
    out["query_cpu_s"] = time.process_time() - cpu
    out["detect_cpu_s"] = time.process_time() - cpu1
    out["detect_wall_s"] = time.perf_counter() - wall1
    out["cpu_s"] = time.process_time() - cpu0
    out["wall_s"] = time.perf_counter() - wall0
    out.update(
        events_read=read,
        events_filtered_out=skipped,
        events_inserted=inserted,
        columns=len(columns),
        event_filter=enabled,
        queries=sum(len(e["rule"]) for e in entries),
        ruleset_entries=len(entries),
        query_errors=query_errors,
        counts={rid: len(ids) for rid, ids in matched.items()},
        channels={rid: dict(c) for rid, c in by_channel.items()},
        peak_rss_mb=rss_peak_mb(),
        versions={
            "pySigma": getattr(sigma, "__version__", "?"),
            "sqlite": sqlite3.sqlite_version,
            **_dist_versions(
                (
                    "pySigma",
                    "pysigma-backend-sqlite",
                    "pysigma-pipeline-sysmon",
                    "pysigma-pipeline-windows",
                )
            ),
        },
        **ruleset,
    )
    return out


def _dist_versions(names: Iterable[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "?"
    return found


# -- the parent ----------------------------------------------------------------------------------

SIDES = {"ours-run": side_ours_run, "ours-split": side_ours_split, "anchor": side_anchor}


def ensure_anchor_venv(venv: Path) -> Path:
    """The anchor's venv: created with ``python -m venv`` and pip on first use, then reused."""
    python = venv / "bin" / "python"
    marker = venv / ".shieldwall-bench-requirements"
    wanted = "\n".join(ANCHOR_REQUIREMENTS)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    if not python.exists():
        log(f"creating the anchor venv {venv}")
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    log(f"installing into the anchor venv: {' '.join(ANCHOR_REQUIREMENTS)}")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *ANCHOR_REQUIREMENTS], check=True
    )
    marker.write_text(wanted)
    return python


def run_child(python: Path, side: str, job: dict[str, Any], work: Path, label: str) -> Any:
    job_file = work / f"{label}.job.json"
    result_file = work / f"{label}.result.json"
    job_file.write_text(json.dumps(job))
    log(f"{label}: {side} (child process)")
    cmd = [str(python), str(Path(__file__).resolve()), "--side", side]
    subprocess.run([*cmd, "--job", str(job_file), "--result-file", str(result_file)], check=True)
    return json.loads(result_file.read_text())


def _sub(a: dict[str, int], b: dict[str, int]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k, 0) != b.get(k, 0))


def check_ours(runs: dict[str, dict[str, Any]], split: dict[str, Any]) -> list[str]:
    """Cold, warm and split runs must read the same events and match the same."""
    cold, warm = runs["cold"], runs["warm"]
    for name, other in (("warm", warm), ("split", split)):
        if other["events"] != cold["events"]:
            raise AssertionError(f"{name} read {other['events']} events, cold {cold['events']}")
        differ = _sub(cold["counts"], other["counts"])
        if differ:
            raise AssertionError(
                f"{name} and cold runs disagree on {len(differ)} rules: {differ[:5]}"
            )
    if cold["cache_existed"] or not warm["cache_existed"] or not warm["rules_from_cache"]:
        raise AssertionError("the cold run found a rule cache, or the warm one did not use it")
    one, three = runs["lsass-1x"], runs["lsass-3x"]
    if three["events"] != 3 * one["events"]:
        raise AssertionError(f"3x input read {three['events']} events, 1x {one['events']}")
    if three["alerts"] < 3 * (one["alerts"] - one["correlation_alerts"]):
        raise AssertionError("3x input gave fewer detection alerts than three times 1x")
    return [
        f"cold, warm and split runs: same {cold['events']:,} events and the same per-rule "
        f"matches ({sum(cold['counts'].values()):,} rule matches on {len(cold['counts'])} rules)",
        f"warm run took {warm['rules_from_cache']:,} of {warm['rule_files']:,} rule files from "
        "the cache the cold run wrote",
        f"repeated input: {three['events']:,} events = 3 x {one['events']:,}",
    ]


def compare(split: dict[str, Any], anchor: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Per-rule match counts of both sides, on the rules both can run."""
    ours_ids = set(split["rules"])
    anchor_ids = set(anchor["converted"])
    both = sorted(ours_ids & anchor_ids)
    oc, ac = ours["counts"], anchor["counts"]
    agree = [r for r in both if oc.get(r, 0) == ac.get(r, 0)]
    differ = [r for r in both if oc.get(r, 0) != ac.get(r, 0)]
    differ.sort(key=lambda r: (-abs(oc.get(r, 0) - ac.get(r, 0)), r))

    def title(rid: str) -> str:
        info = split["rules"].get(rid)
        return info["title"] if info else anchor["titles"].get(rid, "")

    rows = [
        {
            "id": rid,
            "title": title(rid),
            "ours": oc.get(rid, 0),
            "anchor": ac.get(rid, 0),
            "ours_by_channel": ours["channels"].get(rid, {}),
            "anchor_by_channel": anchor["channels"].get(rid, {}),
            "anchor_query_error": anchor["query_errors"].get(rid),
        }
        for rid in differ
    ]
    ours_only = sorted(ours_ids - anchor_ids)
    anchor_only = sorted(anchor_ids - ours_ids)
    return {
        "rules_compared": len(both),
        "agree": len(agree),
        "agree_matching": sum(1 for r in agree if oc.get(r, 0)),
        "differ": len(differ),
        "ours_more": sum(1 for r in differ if oc.get(r, 0) > ac.get(r, 0)),
        "anchor_more": sum(1 for r in differ if oc.get(r, 0) < ac.get(r, 0)),
        "disagreements": rows,
        "ours_only": len(ours_only),
        "ours_only_matching": {r: oc[r] for r in ours_only if oc.get(r)},
        "anchor_only": len(anchor_only),
        "anchor_only_matching": {r: ac[r] for r in anchor_only if ac.get(r)},
        "titles": {r: title(r) for r in ours_only + anchor_only if oc.get(r) or ac.get(r)},
    }


def fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def _short(channels: dict[str, int], limit: int = 3) -> str:
    top = sorted(channels.items(), key=lambda kv: -kv[1])[:limit]
    text = ", ".join(f"{k.replace('Microsoft-Windows-', '')} x{v}" for k, v in top)
    return text + (" ..." if len(channels) > limit else "")


def report(
    args: argparse.Namespace,
    runs: dict[str, dict[str, Any]],
    split: dict[str, Any],
    anchor: dict[str, Any] | None,
    checks: list[str],
) -> dict[str, Any]:
    from rich.console import Console
    from rich.table import Table

    out = Console(width=None if sys.stdout.isatty() else 150)
    cold, warm = runs["cold"], runs["warm"]
    events = cold["events"]
    a = anchor or {}
    a_events = a.get("events_read")

    def eps(cpu: float | None, n: int | None = events) -> float | None:
        return None if cpu is None or not n else n / cpu

    a_e2e = eps(a.get("cpu_s"), a_events)
    a_detect = eps(a.get("detect_cpu_s"), a_events)
    a_match = eps((a["insert_cpu_s"] + a["query_cpu_s"]) if a else None, a_events)
    rows: list[tuple[str, float | None, float | None, int, str]] = [
        ("events", events, a_events, 0, ""),
        (
            "events/CPU-s, end to end, cold (rules parsed / converted)",
            cold["events_per_cpu_s"],
            a_e2e,
            0,
            "higher",
        ),
        (
            "events/CPU-s, end to end, warm (rule cache / converted ruleset)",
            warm["events_per_cpu_s"],
            a_detect,
            0,
            "higher",
        ),
        (
            "events/CPU-s, matching only (events in memory)",
            split["match_events_per_cpu_s"],
            a_match,
            0,
            "higher",
        ),
        (
            "CPU s, rules (load + compile / convert)",
            split["rules_cpu_s"],
            a.get("convert_cpu_s"),
            2,
            "lower",
        ),
        (
            "CPU s, reading (ours: EVTX + JSON; anchor: JSON + flatten)",
            split["read_cpu_s"],
            a.get("load_cpu_s"),
            2,
            "lower",
        ),
        (
            "CPU s, matching (anchor: insert + queries)",
            split["match_cpu_s"],
            (a["insert_cpu_s"] + a["query_cpu_s"]) if a else None,
            2,
            "lower",
        ),
        ("wall s, end to end, cold", cold["wall_s"], a.get("wall_s"), 1, "lower"),
        ("wall s, end to end, warm", warm["wall_s"], a.get("detect_wall_s"), 1, "lower"),
        ("peak RSS MB, cold", cold["peak_rss_mb"], a.get("peak_rss_mb"), 0, "lower"),
        ("peak RSS MB, warm", warm["peak_rss_mb"], None, 0, "lower"),
        (
            "detection rules run",
            cold["rules_compiled"],
            len(a.get("converted", [])) or None,
            0,
            "higher",
        ),
        (
            "alerts (ours: incl. correlations)",
            cold["alerts"],
            sum(a["counts"].values()) if a else None,
            0,
            "",
        ),
    ]
    scope = "quick subset" if args.quick else "EVTX-ATTACK-SAMPLES + OTRF LSASS campaign"
    table = Table(
        title=f"detect run, {scope}: {events:,} events, {cold['rule_files']:,} rule files"
    )
    table.add_column("metric")
    table.add_column("shieldwall", justify="right")
    table.add_column("Zircolite method", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("better", justify="center")
    for name, ours_v, anchor_v, digits, better in rows:
        r = None if ours_v is None or not anchor_v else ours_v / anchor_v
        table.add_row(
            name,
            fmt(ours_v, digits),
            fmt(anchor_v, digits),
            "-" if r is None or not better else f"{r:,.2f}x",
            better,
        )
    out.print(table)

    one, three = runs["lsass-1x"], runs["lsass-3x"]
    growth = (three["peak_rss_mb"] - one["peak_rss_mb"]) / one["peak_rss_mb"]
    mem = Table(title=f"Memory against input size (warm cache; {runs['lsass-1x']['label']})")
    for col in ("input", "events", "events/CPU-s", "wall s", "peak RSS MB", "alerts"):
        mem.add_column(col, justify="left" if col == "input" else "right")
    for name, run in (("1x", one), ("3x", three)):
        mem.add_row(
            name,
            fmt(run["events"]),
            fmt(run["events_per_cpu_s"]),
            fmt(run["wall_s"], 1),
            fmt(run["peak_rss_mb"], 1),
            fmt(run["alerts"]),
        )
    out.print(mem)

    agreement = None
    if anchor is not None:
        agreement = compare(split, anchor, cold)
        out.print(
            f"Agreement on the {agreement['rules_compared']:,} rules both sides run: "
            f"{agreement['agree']:,} give the same match count ({agreement['agree_matching']} of "
            f"them non-zero), {agreement['differ']} differ (ours higher on "
            f"{agreement['ours_more']}, the anchor higher on {agreement['anchor_more']}).",
            highlight=False,
        )
        dis = Table(
            title=f"Disagreements (first {SHOWN_DISAGREEMENTS} of {agreement['differ']}, "
            "largest first)"
        )
        for col in ("rule", "ours", "anchor", "ours: channel/event id", "anchor: channel/event id"):
            dis.add_column(col, justify="right" if col in ("ours", "anchor") else "left")
        for row in agreement["disagreements"][:SHOWN_DISAGREEMENTS]:
            note = (
                f" [query error: {row['anchor_query_error'][:40]}]"
                if row["anchor_query_error"]
                else ""
            )
            dis.add_row(
                f"{row['title'][:60]} ({row['id'][:8]})",
                fmt(row["ours"]),
                fmt(row["anchor"]),
                _short(row["ours_by_channel"]),
                _short(row["anchor_by_channel"]) + note,
            )
        out.print(dis)
        for label, key in (
            ("only ours runs", "ours_only_matching"),
            ("only the anchor runs", "anchor_only_matching"),
        ):
            found = agreement[key]
            total = agreement["ours_only" if key.startswith("ours") else "anchor_only"]
            listed = ", ".join(
                f"{agreement['titles'].get(r, r)[:50]} ({n})"
                for r, n in sorted(found.items(), key=lambda kv: -kv[1])[:8]
            )
            out.print(
                f"- rules {label}: {total}; {len(found)} of them match here"
                + (f": {listed}" if listed else ""),
                highlight=False,
            )
        failed = anchor["failed"]
        reasons = Counter(re.sub(r"'[^']*'", "'...'", f["reason"])[:90] for f in failed.values())
        out.print(
            f"- anchor rules not converted: {len(failed)} failed "
            f"({'; '.join(f'{n}x {r}' for r, n in reasons.most_common(4))}), "
            f"{len(anchor['no_channel'])} left out for no channel mapping (as Zircolite-Rules-v2), "
            f"{len(anchor['correlations'])} correlation rules and "
            f"{len(anchor['reference_only'])} rules only a correlation uses not compared; "
            f"{len(anchor['query_errors'])} rules whose SQL failed at run time; "
            f"{anchor['events_filtered_out']:,} events dropped by Zircolite's channel/event-id "
            f"pre-filter ({'on' if anchor['event_filter'] else 'off'})",
            highlight=False,
        )

    goals = []
    gtable = Table(
        title="Goal (issue 3): >= 10,000 events per CPU-second end to end, EVTX "
        "parsing included, and memory that does not grow with input size"
    )
    for col in ("goal", "shieldwall", "status"):
        gtable.add_column(col, justify="left" if col == "goal" else "right")
    spec = [
        (
            "events/CPU-s end to end, cold (first run) >= 10,000",
            cold["events_per_cpu_s"],
            cold["events_per_cpu_s"] >= GOAL_EPS,
        ),
        (
            "events/CPU-s end to end, warm (rule cache) >= 10,000",
            warm["events_per_cpu_s"],
            warm["events_per_cpu_s"] >= GOAL_EPS,
        ),
        (
            f"peak RSS growth 1x -> 3x input <= {GOAL_RSS_GROWTH:.0%}",
            growth * 100,
            growth <= GOAL_RSS_GROWTH,
        ),
    ]
    for name, value, ok in spec:
        status = ("PASS" if ok else "MISS") + (" (quick: not indicative)" if args.quick else "")
        shown = f"{value:+.1f}%" if "RSS" in name else fmt(value)
        gtable.add_row(name, shown, f"[{'green' if ok else 'red'}]{status}[/]")
        goals.append({"goal": name, "value": value, "pass": ok, "quick": args.quick})
    out.print(gtable)
    notes = [
        "CPU time is the process's, every thread included; one child process per measurement",
        "ours 'matching only' includes building each rule's matcher on its first candidate event",
        "the anchor matches our normalized events (exported as JSON lines), so reader "
        "differences are out of the comparison; its end-to-end rows exclude EVTX parsing",
        "anchor 'warm' = Zircolite with a pre-converted ruleset (its normal use): JSON parse + "
        "flatten + insert + queries; 'cold' adds converting the Sigma rules twice (two profiles)",
        "load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs (wall times stretch with it; CPU times much less)",
    ]
    for line in checks + notes:
        out.print(f"- {line}", highlight=False, soft_wrap=True)
    return {
        "goals": goals,
        "checks": checks,
        "notes": notes,
        "agreement": agreement,
        "rss_growth": growth,
    }


def _inputs(args: argparse.Namespace) -> tuple[list[Path], list[Path], list[Path]]:
    """(detection inputs, the repeated input, rule paths)."""
    evtx = Path(args.evtx)
    lsass = [Path(p) for p in args.lsass] if args.lsass else sorted(LSASS_DIR.glob("*.zip"))
    rules = [Path(r) for r in args.rules] if args.rules else [RULES]
    for p in [evtx, *lsass, *rules]:
        if not p.exists():
            sys.exit(f"no such file or directory: {p} (set SHIELDWALL_SHARED_DATA or the options)")
    if args.quick:
        files = sorted(evtx.rglob("*.evtx"))[:QUICK_EVTX_FILES]
        if not args.rules:
            rules = [RULES / name for name in QUICK_RULES]
        return files, files, rules
    if not lsass:
        sys.exit(f"no LSASS zip under {LSASS_DIR}")
    return [evtx, *lsass], lsass, rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--evtx", default=str(EVTX_DIR), help="EVTX folder")
    parser.add_argument(
        "--lsass",
        nargs="*",
        help="the zipped JSON input (default: the OTRF "
        "LSASS campaign's zips); also the input repeated 1x and 3x",
    )
    parser.add_argument("--rules", action="append", help="rule folder or zip (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small subset, a smoke check")
    parser.add_argument("--anchor-venv", default=str(ANCHOR_VENV), help="the anchor's venv")
    parser.add_argument("--no-anchor", action="store_true", help="time only our side")
    parser.add_argument("--side", choices=sorted(SIDES), help=argparse.SUPPRESS)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:
        result = SIDES[args.side](json.loads(Path(args.job).read_text()))
        Path(args.result_file).write_text(json.dumps(result))
        return 0

    inputs, repeated, rules = _inputs(args)
    anchor_python = None if args.no_anchor else ensure_anchor_venv(Path(args.anchor_venv))
    ours = Path(sys.executable)
    paths = [str(p) for p in inputs]
    rule_paths = [str(r) for r in rules]
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="detect-bench-") as tmp:
        work = Path(tmp)
        cache = str(work / "rules-cache.json")
        base = {"rules": rule_paths, "cache": cache}
        runs["cold"] = run_child(ours, "ours-run", {**base, "paths": paths}, work, "cold")
        runs["warm"] = run_child(ours, "ours-run", {**base, "paths": paths}, work, "warm")
        for k in (1, 3):
            job = {**base, "paths": [str(p) for p in repeated] * k}
            runs[f"lsass-{k}x"] = run_child(ours, "ours-run", job, work, f"repeat-{k}x")
            runs[f"lsass-{k}x"]["label"] = ", ".join(p.name for p in repeated[:2]) + (
                f" and {len(repeated) - 2} more" if len(repeated) > 2 else ""
            )
        export = str(work / "events.jsonl")
        job = {"rules": rule_paths, "paths": paths, "export": export}
        split = run_child(ours, "ours-split", job, work, "split")
        checks = check_ours(runs, split)
        anchor = None
        if anchor_python is not None:
            job = {"rules": rule_paths, "events_file": export}
            anchor = run_child(anchor_python, "anchor", job, work, "anchor")
            if anchor["events_read"] != split["events"]:
                raise AssertionError(
                    f"the anchor read {anchor['events_read']} events, "
                    f"ours exported {split['events']}"
                )
            checks.append(f"the anchor read the {anchor['events_read']:,} events ours exported")

    summary = report(args, runs, split, anchor, checks)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": "detect",
        "config": {
            "inputs": paths,
            "repeated": [str(p) for p in repeated],
            "rules": rule_paths,
            "quick": args.quick,
        },
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg": os.getloadavg(),
            "anchor": anchor["versions"] if anchor else None,
        },
        **summary,
        "results": {
            "ours": {
                k: {kk: vv for kk, vv in v.items() if kk not in ("counts", "channels")}
                for k, v in runs.items()
            },
            "ours_split": {k: v for k, v in split.items() if k not in ("counts", "rules")},
            "anchor": {
                k: v
                for k, v in (anchor or {}).items()
                if k not in ("counts", "channels", "titles", "converted")
            },
            "counts": {"ours": runs["cold"]["counts"], "anchor": (anchor or {}).get("counts")},
        },
    }
    RESULTS.write_text(json.dumps(doc, indent=2, default=str) + "\n")
    print(f"results written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
