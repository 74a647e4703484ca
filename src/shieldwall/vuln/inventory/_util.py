"""What the format readers share: errors with ``file:line``, and JSON / TOML / YAML loaders that
turn their libraries' errors into ours with the line they point at."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml

from shieldwall.core.errors import ParseError
from shieldwall.vuln.inventory.model import Dependency, Ecosystem
from shieldwall.vuln.versions import InvalidVersionError, parse_version

MAX_DEPTH = 200


def fail(file: str, line: int, message: str, *, fmt: str, hint: str | None = None) -> ParseError:
    return ParseError(
        message,
        code=f"vuln.inventory.{fmt}",
        location=f"{file}:{max(line, 1)}",
        hint=hint,
    )


def line_of(text: str, needle: str, start: int = 0) -> int:
    """The 1-based line of the first ``needle`` at or after character ``start`` (1 if absent)."""
    at = text.find(needle, start)
    return 1 if at < 0 else text.count("\n", 0, at) + 1


def physical_lines(text: str) -> list[str]:
    """The lines an editor shows: split at "\n" only (a trailing "\r" dropped), unlike
    ``str.splitlines``, which also breaks at form feeds and other separators and would make our
    line numbers disagree with everyone else's."""
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def physical_lines_keepends(text: str) -> list[str]:
    """``physical_lines`` with each line's own ending kept (for rewriting a file in place)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


class LineFinder:
    """Lines of needles met in file order: each search starts where the last match was (so a
    large lockfile is read once, not once per entry), falling back to the start of the text."""

    def __init__(self, text: str, start: int = 0) -> None:
        self._text = text
        self._pos = max(start, 0)
        self._off = 0
        self._line = 1

    def line(self, needle: str) -> int:
        text = self._text
        at = text.find(needle, self._pos)
        if at < 0:
            at = text.find(needle)
        if at < 0:
            return 1
        if at >= self._off:
            self._line += text.count("\n", self._off, at)
        else:
            self._line = text.count("\n", 0, at) + 1
        self._off = at
        self._pos = at + len(needle)
        return self._line


def offset_of_line(text: str, line: int) -> int:
    """The character offset where 1-based ``line`` starts."""
    at = 0
    for _ in range(line - 1):
        nxt = text.find("\n", at)
        if nxt < 0:
            return len(text)
        at = nxt + 1
    return at


def load_json(file: str, text: str, *, fmt: str, hint: str | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(file, exc.lineno, f"not valid JSON: {exc.msg}", fmt=fmt, hint=hint) from exc
    except RecursionError as exc:
        raise fail(file, 1, "JSON nested too deeply", fmt=fmt, hint=hint) from exc


_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def load_toml(file: str, text: str, *, fmt: str, hint: str | None = None) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_AT.search(str(exc))
        line = (
            int(m.group(1)) if m else (text.count("\n") + 1 if "end of document" in str(exc) else 1)
        )
        msg = _TOML_AT.sub("", str(exc)).strip()
        raise fail(file, line, f"not valid TOML: {msg}", fmt=fmt, hint=hint) from exc
    except RecursionError as exc:
        raise fail(file, 1, "TOML nested too deeply", fmt=fmt, hint=hint) from exc


_YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(file: str, text: str, *, fmt: str, hint: str | None = None) -> Any:
    try:
        return yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader (C or Python)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # by "\n" from the offset: YAML also breaks lines at "\r", NEL and U+2028
        line = text.count("\n", 0, mark.index) + 1 if mark is not None else 1
        raise fail(file, line, f"not valid YAML: {exc.problem or exc}", fmt=fmt, hint=hint) from exc
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise fail(file, 1, f"not valid YAML: {exc}", fmt=fmt, hint=hint) from exc


def checked(
    ecosystem: Ecosystem,
    name: str,
    version: str,
    where: str,
    *,
    direct: bool | None = None,
    dev: bool = False,
    marker: str | None = None,
) -> Dependency:
    """A dependency at ``version``, or one kept with the reason it cannot be checked when
    ``version`` is not a version of its ecosystem (a branch, a path, a URL)."""
    try:
        parse_version(str(ecosystem), version)
    except InvalidVersionError:
        return Dependency(
            name=name,
            version=None,
            ecosystem=ecosystem,
            location=where,
            skip_reason=f"not a {ecosystem} release version, cannot be checked ({version[:80]})",
            direct=direct,
            dev=dev,
            marker=marker,
        )
    return Dependency(
        name=name,
        version=version,
        ecosystem=ecosystem,
        location=where,
        direct=direct,
        dev=dev,
        marker=marker,
    )


def skipped(
    ecosystem: Ecosystem,
    name: str,
    where: str,
    reason: str,
    *,
    direct: bool | None = None,
    dev: bool = False,
) -> Dependency:
    return Dependency(
        name=name,
        version=None,
        ecosystem=ecosystem,
        location=where,
        skip_reason=reason,
        direct=direct,
        dev=dev,
    )


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
