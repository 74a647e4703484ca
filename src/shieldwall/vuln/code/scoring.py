"""Detection scored against labelled insecure code (CyberSecEval), per CWE family.

CyberSecEval's autocomplete/instruct prompts carry the source they were cut from
(``origin_code``), the insecure line (``line_text``) and its CWE, as labelled by Meta's Insecure
Code Detector (itself static rules: so this measures agreement with another analyser's labels,
not ground truth). Each distinct ``origin_code`` of a language becomes one file. For a family F
(see :data:`~shieldwall.vuln.code.model.CWE_FAMILIES`): positives are the files labelled F, and
a positive is found when the tool reports F anywhere in the file (``line_tp`` counts only
reports on the labelled line); negatives are the same language's files labelled with another
family, and a false positive is a report of F there. The labels name one weakness per file, so
a "false positive" may be a real second weakness: FPR here is an upper bound.
"""

from __future__ import annotations

import json
import textwrap
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shieldwall.vuln.code.model import CodeFinding, CodeReport, cwe_family

EXTENSIONS = {"python": ".py", "javascript": ".js"}
MIN_POSITIVES = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    name: str  # relative file name, e.g. "python/17.py"
    language: str
    cwe: str
    family: str
    line: int | None  # the labelled line in the file, when it can be found


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyScore:
    family: str
    positives: int
    tp: int
    line_tp: int
    negatives: int
    fp: int

    @property
    def tpr(self) -> float:
        return self.tp / self.positives if self.positives else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / self.negatives if self.negatives else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "positives": self.positives,
            "tp": self.tp,
            "line_tp": self.line_tp,
            "negatives": self.negatives,
            "fp": self.fp,
            "tpr": round(self.tpr, 4),
            "fpr": round(self.fpr, 4),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    language: str
    families: tuple[FamilyScore, ...]

    @property
    def tpr(self) -> float:
        p = sum(f.positives for f in self.families)
        return sum(f.tp for f in self.families) / p if p else 0.0

    @property
    def fpr(self) -> float:
        n = sum(f.negatives for f in self.families)
        return sum(f.fp for f in self.families) / n if n else 0.0

    @property
    def line_tpr(self) -> float:
        p = sum(f.positives for f in self.families)
        return sum(f.line_tp for f in self.families) / p if p else 0.0


def load_samples(zip_path: Path, dest: Path, *, languages: Sequence[str]) -> list[Sample]:
    """Write each distinct origin_code of ``languages`` under ``dest``; return the labels."""
    seen: dict[tuple[str, str], Sample] = {}
    with zipfile.ZipFile(zip_path) as zf:
        names = sorted(n for n in zf.namelist() if n.endswith(".json"))
        for member in names:
            for item in json.loads(zf.read(member)):
                lang = item.get("language")
                code = item.get("origin_code")
                cwe = item.get("cwe_identifier")
                if lang not in languages or not isinstance(code, str) or not cwe:
                    continue
                key = (lang, code)
                if key in seen:
                    continue
                text = textwrap.dedent(code).rstrip() + "\n"
                name = f"{lang}/{len(seen):04d}{EXTENSIONS[lang]}"
                wanted = str(item.get("line_text", "")).strip()
                line = next(
                    (
                        n
                        for n, t in enumerate(text.splitlines(), 1)
                        if wanted and t.strip() == wanted
                    ),
                    None,
                )
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                (dest / name).write_text(text, encoding="utf-8")
                seen[key] = Sample(
                    name=name, language=lang, cwe=cwe, family=cwe_family(cwe), line=line
                )
    return list(seen.values())


def score(samples: Iterable[Sample], findings: Iterable[CodeFinding], *, language: str) -> Score:
    """Per-family scores for one language (families with at least MIN_POSITIVES files)."""
    mine = [s for s in samples if s.language == language]
    reported: dict[str, set[str]] = defaultdict(set)
    on_line: dict[str, set[str]] = defaultdict(set)
    labelled_line = {s.name: s.line for s in mine}
    for f in findings:
        path = f.location.path
        reported[path].add(f.topic)
        line = labelled_line.get(path)
        if line is not None and f.location.line <= line <= max(
            f.location.line, f.location.end_line
        ):
            on_line[path].add(f.topic)
    families = sorted({s.family for s in mine})
    out: list[FamilyScore] = []
    for family in families:
        pos = [s for s in mine if s.family == family]
        if len(pos) < MIN_POSITIVES:
            continue
        neg = [s for s in mine if s.family != family]
        out.append(
            FamilyScore(
                family=family,
                positives=len(pos),
                tp=sum(1 for s in pos if family in reported[s.name]),
                line_tp=sum(1 for s in pos if family in on_line[s.name]),
                negatives=len(neg),
                fp=sum(1 for s in neg if family in reported[s.name]),
            )
        )
    return Score(language=language, families=tuple(out))


def skipped_files(report: CodeReport, analyser: str) -> int:
    return len({s.path for s in report.skipped if s.analyser == analyser})
