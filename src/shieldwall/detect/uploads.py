"""Uploaded logs and the operator's rule sets, for detection runs started from the web.

The web saves an upload under ``<home>/web/uploads/<up_id>/`` (``upload.json`` names its
owner; the logs are in ``files/``); ``detect.run_upload`` runs over it by id, for its owner
only, with a rule set named under the operator's rules directory: a browser never names a
server path. ``SHIELDWALL_DETECT_RULES`` names that directory (or a zip): the directory itself
is one set ("all rules"), and each folder or zip directly inside it is another.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shieldwall.core.errors import InputError, NotFoundError, StoreError

RULES_ENV = "SHIELDWALL_DETECT_RULES"
MAX_RULE_SETS = 200
UPLOAD_ID = re.compile(r"^up_[0-9a-f]{24}$")
_RULE_SET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$")


def uploads_dir(home: Path) -> Path:
    return home / "web" / "uploads"


def upload_files(home: Path, upload_id: str, *, owner: str) -> Path:
    """The logs of upload ``upload_id`` when ``owner`` made it; to anyone else (and for a
    malformed id) the upload does not exist."""
    missing = NotFoundError("there is no such upload", code="detect.no_upload")
    if not UPLOAD_ID.fullmatch(upload_id):
        raise missing
    folder = uploads_dir(home) / upload_id
    try:
        manifest = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise missing from exc
    if not isinstance(manifest, dict) or manifest.get("owner") != owner:
        raise missing
    return folder / "files"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSet:
    """A rule set the operator offers: ``name`` is what a form sends ("" for the whole
    directory), ``path`` is never shown to the browser."""

    name: str
    label: str
    path: Path


def rules_root(environ: Mapping[str, str] | None = None) -> Path | None:
    """The operator's rules directory (or zip), or None when ``SHIELDWALL_DETECT_RULES`` is
    unset."""
    value = (os.environ if environ is None else environ).get(RULES_ENV, "").strip()
    return Path(value).expanduser() if value else None


def rule_sets(root: Path) -> list[RuleSet]:
    """The sets under ``root``: all of it, then each folder or zip directly inside, by name.
    A root that does not exist gives a StoreError saying so."""
    if root.is_file():
        return [RuleSet(name="", label=f"all rules in {root.name}", path=root)]
    if not root.is_dir():
        raise StoreError(
            f"the rules directory {RULES_ENV}={root} does not exist",
            code="detect.rules_missing",
            hint=f"Point {RULES_ENV} at a folder of Sigma rules (or a zip) and restart.",
        )
    found = [RuleSet(name="", label="all rules", path=root)]
    try:
        children = sorted(root.iterdir(), key=lambda p: p.name.lower())
    except OSError as exc:
        raise StoreError(
            f"cannot list the rules directory {root}: {exc}", code="detect.rules_unreadable"
        ) from exc
    for child in children:
        if len(found) > MAX_RULE_SETS:
            break
        if not _RULE_SET_NAME.fullmatch(child.name):
            continue
        if child.is_dir() or (child.is_file() and child.suffix.lower() == ".zip"):
            found.append(RuleSet(name=child.name, label=child.name, path=child))
    return found


def find_rule_set(root: Path | None, name: str) -> RuleSet:
    """The set a form named: one of :func:`rule_sets`, never a path built from ``name``."""
    if root is None:
        raise InputError(
            "this server has no rules directory configured",
            code="detect.no_rules",
            location="ruleset",
            hint=f"The operator sets {RULES_ENV} to a folder of Sigma rules and restarts.",
        )
    for rule_set in rule_sets(root):
        if rule_set.name == name:
            return rule_set
    raise InputError(
        f"there is no rule set {name[:100]!r}",
        code="detect.bad_ruleset",
        location="ruleset",
        hint="Choose one of the rule sets listed.",
    )
