"""Vuln, code half: static analysis with Bandit and Semgrep (Shieldwall's own rule pack, run
offline), findings normalized with CWE, severity, confidence and fingerprints, SARIF 2.1.0, and
patches proposed by a model provider and kept only when validated."""

from shieldwall.vuln.code.analyse import ANALYSERS, analyse, analyse_tree
from shieldwall.vuln.code.capabilities import vuln_code_capabilities
from shieldwall.vuln.code.diff import FilePatch, PatchError, apply_to_text, extract_diff, parse_diff
from shieldwall.vuln.code.files import SourceTree, collect
from shieldwall.vuln.code.fixes import CODE_PATCH, candidates
from shieldwall.vuln.code.model import (
    AnalyserRun,
    AnalyserStatus,
    CodeFinding,
    CodeLocation,
    CodeReport,
    Confidence,
    Language,
    RuleInfo,
    SkippedFile,
    cwe_family,
)
from shieldwall.vuln.code.patcher import Outcome, Patcher, PatchResult
from shieldwall.vuln.code.pythons import Interpreter, Interpreters
from shieldwall.vuln.code.sarif import to_sarif
from shieldwall.vuln.code.semgrep import find_semgrep, pack_rules

__all__ = [
    "ANALYSERS",
    "CODE_PATCH",
    "AnalyserRun",
    "AnalyserStatus",
    "CodeFinding",
    "CodeLocation",
    "CodeReport",
    "Confidence",
    "FilePatch",
    "Interpreter",
    "Interpreters",
    "Language",
    "Outcome",
    "PatchError",
    "PatchResult",
    "Patcher",
    "RuleInfo",
    "SkippedFile",
    "SourceTree",
    "analyse",
    "analyse_tree",
    "apply_to_text",
    "candidates",
    "collect",
    "cwe_family",
    "extract_diff",
    "find_semgrep",
    "pack_rules",
    "parse_diff",
    "to_sarif",
    "vuln_code_capabilities",
]
