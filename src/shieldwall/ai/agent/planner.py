"""The local investigation: a deterministic playbook, no model and no network.

The same case gives the same calls in the same order, every time, decided from the data's
*structure* (which indicators it contains, which events, which alerts), never from what its
text says to do. Phases:

1. **gather**: the incident (``detect.incidents.get``) and its events (``detect.events.query``)
   when those capabilities are registered; log files handed in (``detect.events``, local owner);
2. **observe**: events, alerts and indicators in everything gathered and in the evidence texts;
   the playbook's hunts over the events;
3. **check**: links with ``protect.url``, an e-mail or message with ``protect.email`` /
   ``protect.message``, indicators against shared intel (a lookup capability if one is
   registered, else the indicator patterns of each readable collection), ATT&CK technique names
   from an ATT&CK collection, CVEs and manifests against ``vuln``;
4. **propose**: with ``share_to``, the malicious indicators found, as a STIX bundle proposed for
   ``intel.objects.add`` (held for approval);
5. **conclude**: findings with evidence links, what was not checked, recommended actions.

Every call goes through the investigation (the door, the step budget); a capability that is not
registered or not allowed is reported as not checked, never worked around.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any, Final

from shieldwall.ai.agent.engine import Actor, CallRecord, Investigation
from shieldwall.ai.agent.facts import (
    TECHNIQUE_ID,
    Facts,
    conclude,
    shareable_indicators,
    stix_indicator,
    stix_time,
)
from shieldwall.ai.agent.indicators import (
    HASH_KINDS,
    MAX_SCAN_CHARS,
    Indicator,
    IndicatorKind,
    Indicators,
    extract,
    strings_in,
)
from shieldwall.ai.agent.progress import EventKind
from shieldwall.ai.agent.report import Conclusion
from shieldwall.ai.agent.tools import bind_arguments

PLANNER_MODEL: Final = "playbook/1"
MAX_URLS: Final = 10
MAX_INTEL_VALUES: Final = 25
MAX_COLLECTIONS: Final = 5
MAX_PAGES: Final = 3
MAX_CVES: Final = 10
MAX_SCAN_STRINGS: Final = 200_000
_PATTERN_LITERAL: Final = re.compile(r"'((?:[^'\\]|\\.)*)'")
_HEADER: Final = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")
_MANIFESTS: Final = re.compile(r"^(?:requirements[\w.-]*\.txt|package-lock\.json)$", re.IGNORECASE)


# -- helpers -------------------------------------------------------------------------------------


def _evidence_kind(name: str, text: str) -> str:
    if _MANIFESTS.match(PurePath(name).name):
        return "manifest"
    head = [line for line in text.splitlines()[:60] if line.strip()]
    headers = [line for line in head[:40] if _HEADER.match(line)]
    names = {line.split(":", 1)[0].lower() for line in headers}
    if "from" in names and names & {"subject", "received", "message-id", "date", "to"}:
        return "email"
    stripped = text.strip()
    if len(stripped) <= 2000 and len(head) <= 12 and not stripped.startswith(("{", "[", "<")):
        return "message"
    return "text"


def _found(result: Any) -> bool:
    if not isinstance(result, Mapping):
        return bool(result) if isinstance(result, list) else False
    if isinstance(result.get("found"), bool):
        return bool(result["found"])
    return any(
        isinstance(result.get(k), list) and result[k]
        for k in ("objects", "matches", "results", "items", "indicators", "sightings")
    )


def _intel_hits(result: Any, default_where: str) -> list[tuple[Mapping[str, Any], str]]:
    """(object, where) pairs of a lookup's answer: ``{"results": [{"collection", "object"}]}``
    (intel.search), a list of objects, or one object."""
    if isinstance(result, Mapping):
        for key in ("results", "matches", "objects", "items", "indicators", "sightings"):
            items = result.get(key)
            if isinstance(items, list) and items:
                out: list[tuple[Mapping[str, Any], str]] = []
                for item in items[:5]:
                    if not isinstance(item, Mapping):
                        continue
                    obj = item.get("object")
                    where = item.get("collection")
                    out.append(
                        (
                            obj if isinstance(obj, Mapping) else item,
                            str(where) if isinstance(where, str) else default_where,
                        )
                    )
                return out
        return [(result, default_where)]
    return []


def _pattern_literals(pattern: str) -> set[str]:
    return {
        m.replace("\\'", "'").replace("\\\\", "\\").lower()
        for m in _PATTERN_LITERAL.findall(pattern)
    }


def _attack_id(obj: Mapping[str, Any]) -> str | None:
    for ref in obj.get("external_references", ()) or ():
        if isinstance(ref, Mapping) and ref.get("source_name") in (
            "mitre-attack",
            "mitre-ics-attack",
            "mitre-mobile-attack",
        ):
            ext = ref.get("external_id")
            if isinstance(ext, str) and TECHNIQUE_ID.match(ext):
                return ext
    return None


def _looks_like_attack(collection: Mapping[str, Any]) -> bool:
    text = f"{collection.get('title', '')} {collection.get('description', '')}".lower()
    return "att&ck" in text or "attack" in text or "mitre" in text


class LocalPlanner:
    """The deterministic investigation (see the module docstring)."""

    model: Final = PLANNER_MODEL

    def run(self, inv: Investigation) -> Conclusion:
        facts = Facts()
        self._gather(inv, facts)
        self._observe(inv, facts)
        self._check(inv, facts)
        shared = self._propose(inv, facts)
        return conclude(inv, facts, concluded_by="planner", shared=shared)

    # 1. gather ----------------------------------------------------------------------------------

    def _gather(self, inv: Investigation, facts: Facts) -> None:
        case = inv.case
        if case.incident_id:
            tool = inv.toolbox.for_capability("detect.incidents.get")
            args = (
                bind_arguments(tool.parameters, {"incident_id": case.incident_id}) if tool else None
            )
            if tool is None or args is None:
                inv.unchecked(
                    f"incident {case.incident_id}",
                    "detect.incidents.get is not available to the agent on this server",
                )
            else:
                record = inv.call(tool.capability, args, by=Actor.PLANNER)
                facts.absorb(record)
                inv.require_incident(record)
            query = inv.toolbox.for_capability("detect.events.query")
            if facts.incident is not None and query is not None:
                hosts = facts.incident.get("hosts") or []
                first, last = facts.incident.get("first_seen"), facts.incident.get("last_seen")
                values: dict[str, Any] = {
                    "incident_id": case.incident_id,
                    "run_id": facts.incident.get("run_id"),
                    "host": hosts[0] if len(hosts) == 1 else None,
                    "since": first,
                    # an end bound may be exclusive (detect.events.query's is): one second on
                    "until": _just_after(last),
                    "limit": 1000,
                }
                qargs = bind_arguments(query.parameters, values)
                if qargs is None:
                    inv.unchecked(
                        "the incident's events",
                        "detect.events.query needs input the planner cannot fill",
                    )
                else:
                    facts.absorb(inv.call(query.capability, qargs, by=Actor.PLANNER))
        read = inv.read_logs(by=Actor.PLANNER)
        if read is not None:
            facts.absorb(read[0])

    # 2. observe ---------------------------------------------------------------------------------

    def _observe(self, inv: Investigation, facts: Facts) -> None:
        facts.run_hunts()
        # What is most likely to matter is read first: indicator extraction stops after
        # MAX_SCAN_CHARS characters, and a log can hold a hundred million.
        texts: list[str] = []
        if inv.case.question:
            texts.append(inv.case.question)
        for ev in inv.case.evidence:
            texts.append(ev.text)
            inv.scan_for_injection(f"evidence {ev.name}", [ev.text], None)
        for hit, _record in facts.hunts:
            texts.extend(strings_in(list(hit.events)))
        texts.extend(strings_in([alert for alert, _ in facts.alerts], max_items=MAX_SCAN_STRINGS))
        for record in inv.calls:
            if record.ok:
                strings = list(strings_in(record.result, max_items=MAX_SCAN_STRINGS))
                texts.extend(strings)
                inv.scan_for_injection(f"{record.call} {record.capability}", strings, record.call)
        found = extract(texts)
        internal = facts.internal
        items = tuple(
            Indicator(kind=i.kind, value=i.value, private=True)
            if i.kind is IndicatorKind.DOMAIN
            and (i.value in internal or any(h.endswith("." + i.value) for h in internal))
            else i
            for i in found.items
        )
        facts.indicators = Indicators(items=items, dropped=found.dropped)
        if found.skipped_chars:
            inv.unchecked(
                f"indicators in the last {found.skipped_chars:,} characters of the data",
                "extraction reads the evidence, the hunt matches and the alerts first, then "
                f"stops after {MAX_SCAN_CHARS:,} characters",
            )
        for kind, count in found.dropped.items():
            inv.unchecked(
                f"{count} more {kind} indicator(s)", "over the per-kind limit of one investigation"
            )
        private = [
            i.value
            for i in items
            if i.private and i.kind in (IndicatorKind.IPV4, IndicatorKind.IPV6)
        ]
        if private:
            inv.unchecked(
                f"{len(private)} private or reserved address(es) ({', '.join(private[:3])})",
                "internal addresses are not looked up in shared intel",
            )
        inv.transcript.add(
            "observation",
            {
                "events": len(facts.events),
                "alerts": len(facts.alerts),
                "hunts": [hit.to_json() for hit, _ in facts.hunts],
                "indicators": facts.indicators.to_json(),
            },
        )

    # 3. check -------------------------------------------------------------------------------------

    def _check(self, inv: Investigation, facts: Facts) -> None:
        indicators = facts.indicators
        urls = [i.value for i in indicators.of(IndicatorKind.URL, public_only=True)]
        evidence = [(ev, _evidence_kind(ev.name, ev.text)) for ev in inv.case.evidence]
        intel_values = [
            i
            for i in indicators.items
            if not i.private
            and i.kind
            in (
                IndicatorKind.URL,
                IndicatorKind.DOMAIN,
                IndicatorKind.IPV4,
                IndicatorKind.IPV6,
                IndicatorKind.EMAIL,
                *HASH_KINDS,
            )
        ][:MAX_INTEL_VALUES]
        techniques = facts.techniques()
        cves = list(indicators.values(IndicatorKind.CVE))[:MAX_CVES]
        plan = [{"check": "link", "capability": "protect.url", "value": u} for u in urls[:MAX_URLS]]
        plan.extend(
            {
                "check": kind,
                "capability": f"protect.{kind}" if kind != "manifest" else "vuln.scan",
                "value": ev.name,
            }
            for ev, kind in evidence
            if kind in ("email", "message", "manifest")
        )
        if intel_values or techniques:
            plan.append(
                {
                    "check": "intel",
                    "capability": "intel.*",
                    "value": f"{len(intel_values)} indicator(s), {len(techniques)} technique(s)",
                }
            )
        if cves:
            plan.append({"check": "cve", "capability": "vuln.*", "value": ", ".join(cves)})
        inv.transcript.add("plan", {"by": "planner", "steps": plan})
        inv.emit(EventKind.PLAN, {"by": "planner", "steps": plan})

        if len(urls) > MAX_URLS:
            inv.unchecked(
                f"{len(urls) - MAX_URLS} more link(s)",
                f"only the first {MAX_URLS} links are checked",
            )
        url_tool = inv.toolbox.for_capability("protect.url")
        for url in urls[:MAX_URLS]:
            if url_tool is None:
                inv.unchecked(f"link {url}", "protect.url is not available to the agent")
                continue
            facts.absorb(inv.call(url_tool.capability, {"url": url}, by=Actor.PLANNER))
        for ev, kind in evidence:
            if kind == "email":
                self._check_text(inv, facts, "protect.email", {"raw": ev.text}, ev.name)
            elif kind == "message":
                self._check_text(inv, facts, "protect.message", {"text": ev.text}, ev.name)
            elif kind == "manifest":
                tool = inv.toolbox.for_capability("vuln.scan")
                name = PurePath(ev.name).name
                args = (
                    bind_arguments(tool.parameters, {"root": name, "files": {name: ev.text}})
                    if tool
                    else None
                )
                if tool is None or args is None:
                    inv.unchecked(
                        f"dependencies in {ev.name}", "vuln.scan is not available to the agent"
                    )
                else:
                    record = inv.call(tool.capability, args, by=Actor.PLANNER)
                    if record.ok and isinstance(record.result, Mapping):
                        facts.vuln.append((ev.name, record.result, record))
        self._intel(inv, facts, intel_values, techniques)
        self._cves(inv, facts, cves)

    def _check_text(
        self, inv: Investigation, facts: Facts, capability: str, args: dict[str, Any], name: str
    ) -> None:
        tool = inv.toolbox.for_capability(capability)
        if tool is None:
            inv.unchecked(
                f"{name} as a {capability.split('.')[-1]}",
                f"{capability} is not available to the agent",
            )
            return
        record = inv.call(capability, args, by=Actor.PLANNER, what=f"{capability} of {name}")
        if (
            record.ok
            and isinstance(record.result, Mapping)
            and isinstance(record.result.get("verdict"), str)
        ):
            facts.verdicts.append((capability, name, record.result, record))
            facts.absorbed.add(record.call)

    def _intel(
        self,
        inv: Investigation,
        facts: Facts,
        values: Sequence[Indicator],
        techniques: Sequence[str],
    ) -> None:
        if not values and not techniques:
            return
        lookup = inv.toolbox.first(
            "intel.lookup",
            "intel.search",
            "intel.*.lookup",
            "intel.*.search",
            "intel.indicators.get",
        )
        if lookup is not None and values:
            for indicator in values:
                args = bind_arguments(lookup.parameters, {"indicator": indicator.value})
                if args is None:
                    inv.unchecked(
                        f"{indicator.kind} {indicator.value} in intel",
                        f"{lookup.capability} needs input the planner cannot fill",
                    )
                    continue
                record = inv.call(lookup.capability, args, by=Actor.PLANNER)
                if record.ok and _found(record.result):
                    for obj, where in _intel_hits(record.result, lookup.capability):
                        facts.intel.append((indicator, obj, where, record))
            values = ()
        if techniques and inv.toolbox.has("intel.attack.resolve"):
            self._attack_resolve(inv, facts, techniques)
            techniques = [t for t in techniques if t not in facts.attack]
            if not values and not techniques:
                return
        if not (inv.toolbox.has("intel.collections") and inv.toolbox.has("intel.objects")):
            if values or techniques:
                inv.unchecked(
                    "indicators and techniques in shared intel",
                    "no intel capability is available to the agent",
                )
            return
        listing = inv.call("intel.collections", {}, by=Actor.PLANNER)
        if not listing.ok or not isinstance(listing.result, Mapping):
            return
        collections = [c for c in listing.result.get("collections", []) if isinstance(c, Mapping)]
        if not collections:
            inv.unchecked("indicators in shared intel", "no intel collection is readable")
            return
        if len(collections) > MAX_COLLECTIONS:
            inv.unchecked(
                f"{len(collections) - MAX_COLLECTIONS} more intel collection(s)",
                f"only the first {MAX_COLLECTIONS} are searched",
            )
        wanted = {i.value.lower(): i for i in values}
        attack_done = False
        for coll in collections[:MAX_COLLECTIONS]:
            key = str(coll.get("id") or coll.get("title") or "")
            title = str(coll.get("title") or key)
            if wanted:
                for page in self._pages(inv, key, "indicator"):
                    for obj in page:
                        pattern = obj.get("pattern")
                        if not isinstance(pattern, str):
                            continue
                        for literal in _pattern_literals(pattern) & set(wanted):
                            facts.intel.append((wanted[literal], obj, title, self._last(inv)))
            if techniques and not attack_done and _looks_like_attack(coll):
                attack_done = True
                pending = set(techniques)
                for page in self._pages(inv, key, "attack-pattern"):
                    for obj in page:
                        ext = _attack_id(obj)
                        if (
                            ext in pending
                            and not obj.get("revoked")
                            and isinstance(obj.get("name"), str)
                        ):
                            facts.attack[ext] = (str(obj["name"]), self._last(inv))
                            pending.discard(ext)
                    if not pending:
                        break
        if techniques and not attack_done:
            inv.unchecked("ATT&CK technique names", "no readable intel collection holds ATT&CK")

    @staticmethod
    def _attack_resolve(inv: Investigation, facts: Facts, techniques: Sequence[str]) -> None:
        tags = [f"attack.{t.lower()}" for t in techniques]
        record = inv.call("intel.attack.resolve", {"tags": tags}, by=Actor.PLANNER)
        if not record.ok or not isinstance(record.result, Mapping):
            return
        for item in record.result.get("tags", []) or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("resolved"), Mapping):
                continue
            tag = str(item.get("tag", ""))
            name = item["resolved"].get("name")
            technique = tag.removeprefix("attack.").upper()
            if isinstance(name, str) and TECHNIQUE_ID.match(technique):
                facts.attack[technique] = (name, record)

    @staticmethod
    def _last(inv: Investigation) -> CallRecord:
        return inv.calls[-1]

    @staticmethod
    def _pages(
        inv: Investigation, collection: str, stix_type: str
    ) -> list[list[Mapping[str, Any]]]:
        pages: list[list[Mapping[str, Any]]] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            args: dict[str, Any] = {
                "collection": collection,
                "match_type": stix_type,
                "limit": 1000,
            }
            if cursor:
                args["next"] = cursor
            record = inv.call(
                "intel.objects",
                args,
                by=Actor.PLANNER,
                what=f"{stix_type} objects of intel collection {collection}",
            )
            if not record.ok or not isinstance(record.result, Mapping):
                break
            objects = [o for o in record.result.get("objects", []) if isinstance(o, Mapping)]
            pages.append(objects)
            cursor = record.result.get("next") if record.result.get("more") else None
            if not cursor:
                break
        return pages

    def _cves(self, inv: Investigation, facts: Facts, cves: Sequence[str]) -> None:
        if not cves:
            return
        lookup = inv.toolbox.first("vuln.lookup", "vuln.*.lookup", "vuln.advisories.*")
        if lookup is None:
            inv.unchecked(
                f"{', '.join(cves)}", "no vulnerability lookup capability is available to the agent"
            )
            return
        for cve in cves:
            args = bind_arguments(lookup.parameters, {"cve": cve})
            if args is None:
                inv.unchecked(cve, f"{lookup.capability} needs input the planner cannot fill")
                continue
            record = inv.call(lookup.capability, args, by=Actor.PLANNER)
            if record.ok and isinstance(record.result, Mapping):
                facts.vuln.append((cve, record.result, record))

    # 4. propose -----------------------------------------------------------------------------

    def _propose(self, inv: Investigation, facts: Facts) -> list[Indicator]:
        shareable = shareable_indicators(facts)
        if not shareable:
            return []
        target = inv.case.share_to
        if not target:
            return shareable
        if "intel.objects.add" not in inv.toolbox.proposable:
            inv.unchecked(
                f"sharing {len(shareable)} indicator(s) with {target}",
                "intel.objects.add is not available to propose on this server",
            )
            return shareable
        when = stix_time(inv)
        objects = [
            obj
            for i in shareable
            if (
                obj := stix_indicator(i, name=f"{i.kind} seen in investigation {inv.id}", when=when)
            )
        ]
        inv.propose(
            capability="intel.objects.add",
            request={"collection": target, "objects": objects},
            rationale=f"{len(objects)} indicator(s) found malicious in investigation {inv.id}: "
            + ", ".join(i.value for i in shareable[:5]),
            by=Actor.PLANNER,
        )
        return shareable


def _just_after(stamp: Any) -> Any:
    """An ISO time one second later (an end bound that includes the last event), or as is."""
    if not isinstance(stamp, str):
        return stamp
    try:
        return (datetime.fromisoformat(stamp) + timedelta(seconds=1)).isoformat()
    except ValueError:
        return stamp
