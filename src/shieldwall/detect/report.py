"""Output formats of a detection run: JSON lines, a CSV timeline, an ATT&CK Navigator layer, a
self-contained HTML report, and terminal tables.

* **JSON lines** (:func:`write_jsonl`): one alert per line, the CLI contract: ``rule_id``,
  ``rule_title``, ``level``, ``techniques``, ``tactics``, ``timestamp``, ``host``, ``source``
  (``file``, ``record``), ``fields``, plus ``status``, ``user`` and, for correlation alerts,
  ``kind``, ``related`` and ``group``.
* **CSV timeline** (:func:`write_csv_timeline`): the columns Timesketch requires (``datetime``
  ISO 8601, ``timestamp_desc``, ``message``) first, then ``timestamp`` (microseconds since the
  epoch) and one column per alert fact; rows in time order, alerts without a time last. Timeline
  Explorer reads it as is. A cell that a spreadsheet would run as a formula (starting with
  ``=``, ``+``, ``@``, ``-``, tab or CR) gets a leading apostrophe (OWASP CSV injection).
* **ATT&CK Navigator layer** (:func:`navigator_layer`): layer format 4.5, domain
  ``enterprise-attack``, each technique scored by its number of alerts. ``version="18"`` (the
  default) writes 18.1 ids, the table Shieldwall ships, translating ATT&CK v19 ids (T1685 ->
  T1562.001); ``version="19"`` writes v19 ids.
* **HTML** (:func:`render_html`): one file, no external assets and no script (a CSP meta tag
  forbids both): an SVG timeline of alerts per level over time, an ATT&CK heatmap (tactics as
  columns), and every incident with its triage, rules and evidence. Every string that came
  from logs or rules is HTML-escaped.
* **Terminal** (:func:`alerts_table`, :func:`incidents_table`): rich tables whose cells are
  plain text (log content is never read as rich markup).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from html import escape
from typing import IO, Any

import orjson
from rich.table import Table
from rich.text import Text

from shieldwall import __version__
from shieldwall.detect.alerts import Alert, Level
from shieldwall.detect.attack import Attack, NavigatorVersion, load_attack
from shieldwall.detect.incidents import Incident, alert_id, utc
from shieldwall.detect.triage import PRIORITY_MEANING, TriagedIncident

NAVIGATOR_VERSION = "5.2.0"
LAYER_VERSION = "4.5"

LEVEL_COLORS: Mapping[Level, str] = {
    Level.INFORMATIONAL: "#8c8c8c",
    Level.LOW: "#3a87c8",
    Level.MEDIUM: "#e0a000",
    Level.HIGH: "#e0561b",
    Level.CRITICAL: "#a50026",
}
PRIORITY_COLORS: Mapping[str, str] = {
    "P1": "#a50026",
    "P2": "#e0561b",
    "P3": "#e0a000",
    "P4": "#3a87c8",
}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _fast_dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, default=_json_default).decode()
    except TypeError:  # e.g. an integer beyond 64 bits: the standard library copes
        return _dumps(value)


def _iso(moment: datetime | None) -> str:
    at = utc(moment)
    return at.isoformat().replace("+00:00", "Z") if at else ""


# -- JSON lines ------------------------------------------------------------------------------


def write_jsonl(alerts: Iterable[Alert], out: IO[str]) -> int:
    """One alert per line (the CLI's jsonl contract). Returns the number of lines."""
    count = 0
    for alert in alerts:
        out.write(_fast_dumps(alert.to_json()))
        out.write("\n")
        count += 1
    return count


# -- CSV timeline ----------------------------------------------------------------------------

CSV_COLUMNS = (
    "datetime",
    "timestamp_desc",
    "message",
    "timestamp",
    "level",
    "rule_title",
    "rule_id",
    "host",
    "user",
    "techniques",
    "tactics",
    "source_file",
    "source_record",
    "alert_id",
    "evidence",
)
_FORMULA_START = ("=", "+", "@", "-", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _message(alert: Alert) -> str:
    where = f" on {alert.host}" if alert.host else ""
    who = f" as {alert.user}" if alert.user else ""
    return f"[{alert.rule.level}] {alert.rule.title}{where}{who}"


def write_csv_timeline(alerts: Iterable[Alert], out: IO[str]) -> int:
    """The alerts as a timeline CSV (see the module docstring). Returns the number of rows."""
    rows = sorted(
        ((utc(a.timestamp), a) for a in alerts),
        key=lambda row: (row[0] is None, row[0] or _EPOCH, row[1].source.location),
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for at, alert in rows:
        micros = (at - _EPOCH) // timedelta(microseconds=1) if at else ""
        source = alert.source
        file = f"{source.file}!{source.member}" if source.member else source.file
        writer.writerow(
            [
                _cell(_iso(at)),
                "Sigma alert",
                _cell(_message(alert)),
                micros,
                str(alert.rule.level),
                _cell(alert.rule.title),
                _cell(alert.rule.id),
                _cell(alert.host),
                _cell(alert.user),
                " ".join(alert.rule.techniques),
                " ".join(alert.rule.tactics),
                _cell(file),
                source.record,
                alert_id(alert),
                _cell(_fast_dumps(dict(alert.fields))),
            ]
        )
    return len(rows)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# -- ATT&CK Navigator ------------------------------------------------------------------------


def technique_counts(alerts: Iterable[Alert], *, attack: Attack | None = None) -> Counter[str]:
    """Alerts per canonical (v19) technique id; unknown ids are counted as written."""
    table = attack or load_attack()
    counts: Counter[str] = Counter()
    for alert in alerts:
        for tid in alert.rule.techniques:
            found = table.technique(tid)
            counts[found.id_19 if found else tid.upper()] += 1
    return counts


def navigator_layer(
    alerts: Iterable[Alert],
    *,
    name: str = "Shieldwall detections",
    description: str | None = None,
    version: NavigatorVersion = "18",
    attack: Attack | None = None,
) -> dict[str, Any]:
    """An ATT&CK Navigator layer (format 4.5) scoring each technique by its alert count."""
    table = attack or load_attack()
    counts: Counter[str] = Counter()
    titles: dict[str, Counter[str]] = {}
    unknown: Counter[str] = Counter()
    total = 0
    for alert in alerts:
        total += 1
        for tid in alert.rule.techniques:
            target = table.technique_for(tid, version)
            if target is None:
                unknown[tid.upper()] += 1
                continue
            counts[target] += 1
            titles.setdefault(target, Counter())[alert.rule.title] += 1
    techniques: list[dict[str, Any]] = []
    for tid in sorted(counts):
        top = titles[tid].most_common(5)
        comment = "; ".join(f"{title} ({n})" for title, n in top)
        if len(titles[tid]) > len(top):
            comment += f"; and {len(titles[tid]) - len(top)} more rules"
        entry: dict[str, Any] = {
            "techniqueID": tid,
            "score": counts[tid],
            "comment": f"{counts[tid]} alert{'s' if counts[tid] != 1 else ''}: {comment}",
            "enabled": True,
            "showSubtechniques": any(other.startswith(tid + ".") for other in counts),
        }
        techniques.append(entry)
    parents = {tid.split(".")[0] for tid in counts if "." in tid} - set(counts)
    techniques.extend({"techniqueID": p, "showSubtechniques": True} for p in sorted(parents))
    metadata = [
        {"name": "generated by", "value": f"Shieldwall {__version__}"},
        {"name": "alerts", "value": str(total)},
        {"name": "ATT&CK data", "value": f"Enterprise {table.version} (+ v19 additions)"},
    ]
    if unknown:
        metadata.append({"name": "techniques not in ATT&CK", "value": ", ".join(sorted(unknown))})
    return {
        "name": name,
        "versions": {"attack": version, "navigator": NAVIGATOR_VERSION, "layer": LAYER_VERSION},
        "domain": "enterprise-attack",
        "description": description
        or f"Techniques of {total} alert{'s' if total != 1 else ''}, scored by alert count.",
        "sorting": 3,
        "layout": {
            "layout": "side",
            "showID": True,
            "showName": True,
            "showAggregateScores": False,
            "countUnscored": False,
            "aggregateFunction": "sum",
            "expandedSubtechniques": "annotated",
        },
        "hideDisabled": False,
        "techniques": techniques,
        "gradient": {
            "colors": ["#fff7ec", "#fc8d59", "#b30000"],
            "minValue": 0,
            "maxValue": max(1, max(counts.values(), default=1)),
        },
        "legendItems": [],
        "showTacticRowBackground": False,
        "tacticRowBackground": "#dddddd",
        "selectTechniquesAcrossTactics": True,
        "selectSubtechniquesWithParent": False,
        "selectVisibleTechniques": False,
        "metadata": metadata,
        "links": [],
    }


# -- terminal --------------------------------------------------------------------------------


def _t(value: Any, *, limit: int = 200) -> Text:
    text = "" if value is None else " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return Text(text)


def _when(moment: datetime | None) -> str:
    at = utc(moment)
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def alerts_table(alerts: Iterable[Alert], *, limit: int | None = None) -> Table:
    """Alerts as a rich table (time, level, rule, host, user, techniques, source)."""
    table = Table(title="Alerts", show_lines=False, header_style="bold")
    for column in ("time (UTC)", "level", "rule", "host", "user", "techniques", "source"):
        table.add_column(column, overflow="fold")
    shown = 0
    more = 0
    for alert in alerts:
        if limit is not None and shown >= limit:
            more += 1
            continue
        shown += 1
        table.add_row(
            Text(_when(alert.timestamp)),
            Text(str(alert.rule.level), style=f"bold {LEVEL_COLORS[alert.rule.level]}"),
            _t(alert.rule.title),
            _t(alert.host),
            _t(alert.user),
            Text(" ".join(alert.rule.techniques)),
            _t(alert.source.location),
        )
    if more:
        table.caption = f"{more} more alert{'s' if more != 1 else ''} not shown"
    return table


def incidents_table(incidents: Iterable[TriagedIncident | Incident]) -> Table:
    """Incidents as a rich table, highest score first as given."""
    table = Table(title="Incidents", header_style="bold")
    for column in ("priority", "level", "score", "first seen (UTC)", "hosts", "what", "alerts"):
        table.add_column(column, overflow="fold")
    for item in incidents:
        incident = item.incident if isinstance(item, TriagedIncident) else item
        priority = item.triage.priority if isinstance(item, TriagedIncident) else None
        table.add_row(
            Text(str(priority), style=f"bold {PRIORITY_COLORS[str(priority)]}")
            if priority
            else Text("-"),
            Text(str(incident.level), style=f"bold {LEVEL_COLORS[incident.level]}"),
            Text(str(incident.score)),
            Text(_when(incident.first_seen)),
            _t(", ".join(incident.hosts), limit=80),
            _t(incident.title),
            Text(str(len(incident.alerts))),
        )
    return table


# -- HTML ------------------------------------------------------------------------------------

_BUCKETS = (
    timedelta(seconds=1),
    timedelta(seconds=10),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(days=1),
    timedelta(days=7),
    timedelta(days=30),
    timedelta(days=365),
)
MAX_BARS = 60
MAX_ALERTS_PER_INCIDENT = 200


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _bucket_size(span: timedelta) -> timedelta:
    for size in _BUCKETS:
        if span / size < MAX_BARS:
            return size
    return _BUCKETS[-1] * (int(span / _BUCKETS[-1]) // MAX_BARS + 1)


def timeline_svg(alerts: Sequence[Alert], *, width: int = 960, height: int = 220) -> str:
    """An inline SVG: stacked bars of alerts per level over time."""
    times = [(t, a.rule.level) for a in alerts if (t := utc(a.timestamp)) is not None]
    untimed = len(alerts) - len(times)
    if not times:
        note = "No alert has a time." if alerts else "No alerts."
        return f'<p class="muted">{_e(note)}</p>'
    start = min(t for t, _ in times)
    end = max(t for t, _ in times)
    size = _bucket_size(end - start)
    origin = datetime.fromtimestamp(
        (start.timestamp() // size.total_seconds()) * size.total_seconds(), tz=UTC
    )
    n_bars = int((end - origin) / size) + 1
    bars: list[Counter[Level]] = [Counter() for _ in range(n_bars)]
    for t, level in times:
        bars[int((t - origin) / size)][level] += 1
    peak = max(sum(b.values()) for b in bars)
    left, right, top, bottom = 48, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    bar_w = plot_w / n_bars
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="Alerts per level over time">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" class="axis">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="axis">0</text>',
    ]
    for i, counts in enumerate(bars):
        y: float = top + plot_h
        x = left + i * bar_w
        bucket_start = origin + i * size
        for level in Level:
            n = counts.get(level, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            label = f"{_iso(bucket_start)}: {n} {level}"
            parts.append(
                f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(1.0, bar_w - 1):.1f}" '
                f'height="{h:.1f}" fill="{LEVEL_COLORS[level]}"><title>{_e(label)}</title></rect>'
            )
    ticks = sorted({0, n_bars // 2, n_bars - 1})
    for i in ticks:
        x = left + i * bar_w + bar_w / 2
        label = (origin + i * size).strftime("%Y-%m-%d %H:%M:%S")
        anchor = "start" if i == 0 else ("end" if i == n_bars - 1 and n_bars > 1 else "middle")
        parts.append(
            f'<text x="{x:.1f}" y="{height - 14}" text-anchor="{anchor}" class="axis">'
            f"{_e(label)}</text>"
        )
    parts.append(
        f'<text x="{left + plot_w}" y="{height - 2}" text-anchor="end" class="axis">'
        f"{_e(f'one bar = {_span_words(size)} (UTC)')}</text>"
    )
    parts.append("</svg>")
    legend = " ".join(
        f'<span class="chip" style="background:{LEVEL_COLORS[level]}"></span>{_e(level)}'
        for level in Level
    )
    extra = f" &middot; {untimed} alert(s) without a time are not drawn" if untimed else ""
    return "".join(parts) + f'<p class="legend">{legend}{extra}</p>'


def _span_words(size: timedelta) -> str:
    seconds = int(size.total_seconds())
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= length and seconds % length == 0:
            n = seconds // length
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def heatmap_html(alerts: Sequence[Alert], *, attack: Attack | None = None) -> str:
    """The ATT&CK matrix's tactics as columns, each technique seen as a cell shaded by its
    alert count."""
    table = attack or load_attack()
    counts = technique_counts(alerts, attack=table)
    if not counts:
        return '<p class="muted">No alert names an ATT&amp;CK technique.</p>'
    peak = max(counts.values())
    columns: dict[str, list[tuple[str, str, int]]] = {t.shortname: [] for t in table.tactics}
    other: list[tuple[str, str, int]] = []
    for tid, n in counts.items():
        found = table.technique(tid)
        entry = (tid, found.full_name if found else tid, n)
        placed = False
        for shortname in found.tactics if found else ():
            if shortname in columns:
                columns[shortname].append(entry)
                placed = True
        if not placed:
            other.append(entry)
    out = [f'<div class="matrix" style="--cols:{len(table.tactics) + (1 if other else 0)}">']
    for tactic in table.tactics:
        cells = sorted(columns[tactic.shortname], key=lambda e: (-e[2], e[0]))
        shade = "col" if cells else "col empty"
        out.append(
            f'<div class="{shade}"><div class="tactic" title="{_e(tactic.id)}">'
            f"{_e(tactic.name)}</div>"
        )
        for tid, name, n in cells:
            out.append(_heat_cell(tid, name, n, peak))
        out.append("</div>")
    if other:
        out.append('<div class="col"><div class="tactic">Other</div>')
        for tid, name, n in sorted(other, key=lambda e: (-e[2], e[0])):
            out.append(_heat_cell(tid, name, n, peak))
        out.append("</div>")
    out.append("</div>")
    return "".join(out)


def _heat_cell(tid: str, name: str, n: int, peak: int) -> str:
    strength = 0.15 + 0.85 * (n / peak)
    # white -> #b30000
    r = round(255 + (0xB3 - 255) * strength)
    g = round(255 * (1 - strength))
    b = round(255 * (1 - strength))
    ink = "#fff" if strength > 0.55 else "#222"
    return (
        f'<div class="tech" style="background:rgb({r},{g},{b});color:{ink}" '
        f'title="{_e(f"{tid} {name}: {n} alert(s)")}"><b>{_e(tid)}</b> {_e(name)} '
        f'<span class="n">{n}</span></div>'
    )


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;
background:#f6f6f4}
header,main,footer{max-width:1280px;margin:0 auto;padding:12px 20px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px}
h3{font-size:16px;margin:0}
.muted,.axis,.legend{color:#666}.axis{font-size:11px;fill:#666}
.facts{display:flex;flex-wrap:wrap;gap:8px 24px;margin:8px 0}
.facts div{background:#fff;border:1px solid #ddd;border-radius:6px;padding:6px 10px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin:12px 0}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:1px 8px;font-weight:600;
margin-right:6px}
.chip{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px}
.matrix{display:grid;grid-template-columns:repeat(var(--cols),minmax(112px,1fr));gap:6px;
overflow-x:auto;padding-bottom:6px}
.col{background:#fff;border:1px solid #ddd;border-radius:6px;padding:4px;min-height:40px}
.col.empty{opacity:.55}.tactic{font-weight:600;font-size:12px;padding:2px 4px 6px}
.tech{font-size:12px;border-radius:4px;padding:3px 5px;margin:3px 0}
.tech .n{float:right;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
td.ev{font-family:ui-monospace,Consolas,monospace;word-break:break-all;font-size:12px}
code{font-family:ui-monospace,Consolas,monospace;word-break:break-all}
details>summary{cursor:pointer;margin:6px 0;color:#333}
ol{margin:4px 0 4px 20px;padding:0}
"""


def _evidence_text(alert: Alert, *, limit: int = 600) -> str:
    parts = []
    for key, value in alert.fields.items():
        text = value if isinstance(value, str) else _dumps(value)
        parts.append(f"{key}={text}")
    joined = "  ".join(parts)
    return joined if len(joined) <= limit else joined[: limit - 1] + "\u2026"


def _incident_html(item: TriagedIncident, attack: Attack) -> str:
    inc, tri = item.incident, item.triage
    color = PRIORITY_COLORS[str(tri.priority)]
    when = (
        f"{_when(inc.first_seen)} \u2013 {_when(inc.last_seen)} UTC"
        if inc.first_seen
        else "no time in the logs"
    )
    tactics = ", ".join((t.name if (t := attack.tactic(name)) else name) for name in inc.tactics)
    techniques = []
    for tid in inc.techniques:
        found = attack.technique(tid)
        if found:
            techniques.append(f'<a href="{_e(found.url)}">{_e(tid)}</a> {_e(found.full_name)}')
        else:
            techniques.append(_e(tid))
    out = [
        f'<section class="card" id="{_e(inc.id)}">',
        f'<h3><span class="badge" style="background:{color}">{_e(tri.priority)}</span>'
        f"{_e(inc.title)}</h3>",
        f'<p class="muted">{_e(when)} &middot; level {_e(inc.level)} &middot; score '
        f"{inc.score} &middot; {len(inc.alerts)} alert(s) &middot; id <code>{_e(inc.id)}</code>"
        "</p>",
        f"<p><b>Hosts:</b> {_e(', '.join(inc.hosts) or '-')} &nbsp; <b>Users:</b> "
        f"{_e(', '.join(inc.users) or '-')}</p>",
        f"<p><b>Tactics:</b> {_e(tactics or '-')}<br><b>Techniques:</b> "
        f"{', '.join(techniques) or '-'}</p>",
        f"<p><b>What happened.</b> {_e(tri.summary)}</p>",
        f"<p><b>Why it matters.</b> {_e(tri.why_it_matters)}</p>",
        "<p><b>Next steps</b> (priority "
        f"{_e(tri.priority)}: {_e(PRIORITY_MEANING[tri.priority])})</p><ol>",
        *(f"<li>{_e(step)}</li>" for step in tri.next_steps),
        "</ol>",
    ]
    writer = "the local writer" if tri.provider == "local" else f"the model provider {tri.provider}"
    written = f"written by {writer}" + (f" ({tri.model})" if tri.model else "")
    if tri.fallback:
        written += f"; the model's answer was not used: {tri.fallback}"
    out.append(f'<p class="muted">Triage {_e(written)}.</p>')
    out.append("<details><summary>Rules</summary><table><tr><th>level</th><th>rule</th>")
    out.append("<th>status</th><th>alerts</th><th>known false positives</th></tr>")
    out.extend(
        f"<tr><td>{_e(rc.rule.level)}</td><td>{_e(rc.rule.title)}<br>"
        f'<span class="muted">{_e(rc.rule.id)}</span></td><td>{_e(rc.rule.status or "")}'
        f"</td><td>{rc.alerts}</td><td>{_e('; '.join(rc.rule.falsepositives))}</td></tr>"
        for rc in inc.rules
    )
    out.append("</table></details>")
    shown = inc.alerts[:MAX_ALERTS_PER_INCIDENT]
    label = f"Alerts ({len(inc.alerts)}"
    label += f", first {len(shown)} shown)" if len(shown) < len(inc.alerts) else ")"
    out.append(f"<details><summary>{_e(label)}</summary><table><tr><th>time (UTC)</th>")
    out.append("<th>level</th><th>rule</th><th>host</th><th>user</th><th>evidence</th>")
    out.append("<th>source</th></tr>")
    out.extend(
        f"<tr><td>{_e(_when(alert.timestamp))}</td><td>{_e(alert.rule.level)}</td>"
        f"<td>{_e(alert.rule.title)}</td><td>{_e(alert.host or '')}</td>"
        f'<td>{_e(alert.user or "")}</td><td class="ev">{_e(_evidence_text(alert))}</td>'
        f"<td><code>{_e(alert.source.location)}</code></td></tr>"
        for alert in shown
    )
    out.append("</table></details></section>")
    return "".join(out)


def render_html(
    incidents: Sequence[TriagedIncident],
    *,
    alerts: Sequence[Alert] | None = None,
    title: str = "Shieldwall detection report",
    generated_at: datetime | None = None,
    run: Mapping[str, Any] | None = None,
    attack: Attack | None = None,
) -> str:
    """The HTML report (see the module docstring). ``alerts`` defaults to the incidents'
    alerts; ``run`` adds facts about the run to the header (name -> value)."""
    table = attack or load_attack()
    every = (
        list(alerts) if alerts is not None else [a for i in incidents for a in i.incident.alerts]
    )
    levels = Counter(a.rule.level for a in every)
    priorities = Counter(str(i.triage.priority) for i in incidents)
    facts: list[tuple[str, Any]] = [
        ("alerts", len(every)),
        ("incidents", len(incidents)),
        *((f"{level}", levels[level]) for level in reversed(Level) if levels[level]),
        *((p, priorities[p]) for p in ("P1", "P2", "P3", "P4") if priorities[p]),
        *((run or {}).items()),
    ]
    generated = _iso(generated_at or datetime.now(UTC))
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="muted">Generated {_e(generated)} by Shieldwall {_e(__version__)}.</p>',
        '<div class="facts">',
        *(f"<div><b>{_e(name)}</b>: {_e(_fact(value))}</div>" for name, value in facts),
        "</div></header><main>",
        "<h2>Timeline</h2>",
        timeline_svg(every),
        "<h2>ATT&amp;CK heatmap</h2>",
        heatmap_html(every, attack=table),
        "<h2>Incidents</h2>",
    ]
    if not incidents:
        body.append('<p class="muted">No incidents.</p>')
    body.extend(_incident_html(item, table) for item in incidents)
    body.append(
        f'</main><footer class="muted"><p>{_e(table.terms_of_use)}</p></footer></body></html>'
    )
    return "\n".join(body)


def _fact(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def write_html(incidents: Sequence[TriagedIncident], out: IO[str], **kwargs: Any) -> None:
    out.write(render_html(incidents, **kwargs))
