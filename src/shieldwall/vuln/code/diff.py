"""Unified diffs from a model: find them in an answer, parse them, apply them.

Models write diffs loosely: fenced in Markdown, with wrong line numbers or counts in the hunk
headers, blank context lines without their leading space. The parser accepts those and nothing
else; the applier finds each hunk by its content (the nearest exact match to where the header
says, then the nearest match ignoring trailing whitespace) and refuses a hunk it cannot place.
Paths must stay inside the project. Every failure is a :class:`PatchError` (an InputError) with
a location in the diff, never another exception.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from shieldwall.core.errors import ParseError

MAX_DIFF_CHARS = 500_000
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_FENCE = re.compile(r"```(?:diff|patch|udiff)?[ \t]*\n(.*?)```", re.DOTALL)


class PatchError(ParseError):
    """A diff that does not parse, names a path outside the project, or does not apply."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Hunk:
    old_start: int
    new_start: int
    lines: tuple[tuple[str, str], ...]  # (" " | "-" | "+", text without the line end)
    at: int  # line of the header in the diff text

    @property
    def old(self) -> list[str]:
        return [t for op, t in self.lines if op != "+"]

    @property
    def new(self) -> list[str]:
        return [t for op, t in self.lines if op != "-"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FilePatch:
    old_path: str | None  # None for a new file
    new_path: str | None  # None for a deleted file
    hunks: tuple[Hunk, ...]

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""  # the parser never builds one with neither


def extract_diff(answer: str) -> str:
    """The diff in a model's answer: the first fenced block holding one, else from the first
    ``--- `` line on. Raises PatchError when there is none."""
    for block in _FENCE.findall(answer):
        if "\n+++ " in "\n" + block or block.lstrip().startswith("--- "):
            return str(block)
    lines = answer.splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith("--- ") and n + 1 < len(lines) and lines[n + 1].startswith("+++ "):
            return "".join(lines[n:])
    raise PatchError(
        "the answer holds no unified diff",
        code="vuln.patch.no_diff",
        hint="A patch must be a unified diff: '--- a/FILE', '+++ b/FILE', then '@@' hunks.",
    )


def _clean_path(raw: str, *, at: int) -> str | None:
    name = raw.split("\t", 1)[0].strip()
    if name == "/dev/null":
        return None
    if name.startswith(("a/", "b/")):
        name = name[2:]
    path = PurePosixPath(name.replace("\\", "/"))
    if not name or path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
        raise PatchError(
            f"the diff names a path outside the project: {name!r}",
            code="vuln.patch.bad_path",
            location=f"diff:{at}",
        )
    return path.as_posix()


def parse_diff(text: str) -> list[FilePatch]:
    """Every file patch in ``text``; raises PatchError with ``diff:LINE`` on bad input."""
    if len(text) > MAX_DIFF_CHARS:
        raise PatchError(
            f"the diff is longer than {MAX_DIFF_CHARS:,} characters", code="vuln.patch.too_large"
        )
    lines = text.splitlines()
    patches: list[FilePatch] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        if not (line.startswith("--- ") and n + 1 < len(lines) and lines[n + 1].startswith("+++ ")):
            if line.startswith("@@"):
                raise PatchError(
                    "a hunk comes before any '--- '/'+++ ' file header",
                    code="vuln.patch.bad_diff",
                    location=f"diff:{n + 1}",
                )
            n += 1
            continue
        old_path = _clean_path(line[4:], at=n + 1)
        new_path = _clean_path(lines[n + 1][4:], at=n + 2)
        if old_path is None and new_path is None:
            raise PatchError(
                "both sides are /dev/null", code="vuln.patch.bad_diff", location=f"diff:{n + 1}"
            )
        n += 2
        hunks: list[Hunk] = []
        while n < len(lines) and lines[n].startswith("@@"):
            m = _HUNK.match(lines[n])
            if m is None:
                raise PatchError(
                    f"bad hunk header {lines[n][:60]!r}",
                    code="vuln.patch.bad_diff",
                    location=f"diff:{n + 1}",
                    hint="A hunk header looks like '@@ -12,3 +12,4 @@'.",
                )
            header_at = n + 1
            n += 1
            body: list[tuple[str, str]] = []
            while n < len(lines):
                cur = lines[n]
                if (
                    cur.startswith("@@")
                    or (
                        cur.startswith("--- ")
                        and n + 1 < len(lines)
                        and lines[n + 1].startswith("+++ ")
                    )
                    or cur.startswith("diff ")
                ):
                    break
                if cur.startswith("\\"):
                    n += 1  # "\ No newline at end of file"
                    continue
                if cur == "":
                    body.append((" ", ""))
                elif cur[0] in " -+":
                    body.append((cur[0], cur[1:]))
                else:
                    raise PatchError(
                        f"a hunk line must start with ' ', '-' or '+': {cur[:60]!r}",
                        code="vuln.patch.bad_diff",
                        location=f"diff:{n + 1}",
                    )
                n += 1
            while body and body[-1] == (" ", ""):
                body.pop()  # blank lines after the last hunk are not context
            if not body or all(op == " " for op, _ in body):
                raise PatchError(
                    "a hunk changes nothing",
                    code="vuln.patch.bad_diff",
                    location=f"diff:{header_at}",
                )
            hunks.append(
                Hunk(
                    old_start=int(m.group(1)),
                    new_start=int(m.group(3)),
                    lines=tuple(body),
                    at=header_at,
                )
            )
        if not hunks:
            raise PatchError(
                "a file header has no hunks", code="vuln.patch.bad_diff", location=f"diff:{n}"
            )
        patches.append(FilePatch(old_path=old_path, new_path=new_path, hunks=tuple(hunks)))
    if not patches:
        raise PatchError(
            "no file patches in the diff",
            code="vuln.patch.no_diff",
            hint="Expected '--- a/FILE' / '+++ b/FILE' headers.",
        )
    return patches


def _find(lines: Sequence[str], block: Sequence[str], *, near: int, start: int) -> int | None:
    if not block:
        return min(max(near, start), len(lines))
    size = len(block)
    for loose in (False, True):
        want = [b.rstrip() for b in block] if loose else list(block)
        hits = [
            i
            for i in range(start, len(lines) - size + 1)
            if ([x.rstrip() for x in lines[i : i + size]] if loose else list(lines[i : i + size]))
            == want
        ]
        if hits:
            return min(hits, key=lambda i: (abs(i - near), i))
    return None


def apply_to_text(original: str, patch: FilePatch) -> str:
    """``original`` with every hunk of ``patch`` applied (line ends kept as the file has them)."""
    newline = "\r\n" if "\r\n" in original else "\n"
    ends_with_newline = original.endswith(("\n", "\r"))
    lines = original.splitlines()
    offset = 0
    start = 0
    for hunk in patch.hunks:
        near = max(0, hunk.old_start - 1 + offset)
        at = _find(lines, hunk.old, near=near, start=start)
        if at is None:
            raise PatchError(
                f"hunk {patch.hunks.index(hunk) + 1} does not match {patch.path}",
                code="vuln.patch.does_not_apply",
                location=f"diff:{hunk.at}",
                hint="The lines it removes or keeps as context are not in the file as written.",
            )
        lines[at : at + len(hunk.old)] = hunk.new
        offset += len(hunk.new) - len(hunk.old)
        start = at + len(hunk.new)
    if not lines:
        return ""
    return newline.join(lines) + (newline if ends_with_newline or not original else "")
