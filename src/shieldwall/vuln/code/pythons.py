"""Python interpreters on this machine, and which of them can parse which files.

Bandit parses with the ``ast`` module of the Python that runs it, and a file that uses newer
syntax (PEP 695 ``type`` aliases and generics, PEP 701 f-strings in 3.12) is skipped with one line
in its error list: run on 3.11, it passed over 461 of 1,243 files written for 3.12. So the
Bandit adapter asks :class:`Interpreters` for the oldest Python here that parses each file it
could not, and runs Bandit again there.

Interpreters are found, in this order: the one running Shieldwall; the paths in
``SHIELDWALL_PYTHONS`` (``os.pathsep``-separated); ``python3.N`` on ``PATH`` for N from 3.10 up;
and pyenv's versions (``$PYENV_ROOT/versions/*/bin/python3``). Each is asked its version once;
one that does not answer (a pyenv shim of a version that is not selected) is left out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_VERSION_SCRIPT = "import sys; print('%d.%d.%d' % sys.version_info[:3])"
# Reads a JSON list of paths on stdin; prints {path: null | "SyntaxError: ... (line N)"}.
_PROBE_SCRIPT = """
import ast, json, sys
out = {}
for path in json.load(sys.stdin):
    try:
        with open(path, 'rb') as fh:
            source = fh.read()
        ast.parse(source, filename=path)
        out[path] = None
    except SyntaxError as exc:
        out[path] = '%s: %s (line %s)' % (type(exc).__name__, exc.msg, exc.lineno)
    except (ValueError, OSError, UnicodeDecodeError, RecursionError, MemoryError) as exc:
        out[path] = '%s: %s' % (type(exc).__name__, exc)
json.dump(out, sys.stdout)
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Interpreter:
    path: str
    version: tuple[int, int, int]

    @property
    def short(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    def describe(self) -> str:
        return f"Python {'.'.join(map(str, self.version))} ({self.path})"


def current() -> Interpreter:
    v = sys.version_info
    return Interpreter(path=sys.executable, version=(v.major, v.minor, v.micro))


def _candidates(environ: Mapping[str, str]) -> list[str]:
    found: list[str] = [sys.executable]
    found += [p for p in environ.get("SHIELDWALL_PYTHONS", "").split(os.pathsep) if p]
    for minor in range(10, 20):
        which = shutil.which(f"python3.{minor}", path=environ.get("PATH"))
        if which:
            found.append(which)
    pyenv = Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if pyenv.is_dir():
        found += [str(p) for p in sorted(pyenv.glob("3.*/bin/python3"))]
    return found


def _ask_version(path: str, timeout_s: float) -> tuple[int, int, int] | None:
    try:
        done = subprocess.run(  # noqa: S603 - asks an interpreter its version
            [path, "-I", "-c", _VERSION_SCRIPT],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    parts = done.stdout.strip().split(".")
    if done.returncode != 0 or len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


class Interpreters:
    """The Pythons on this machine (found lazily, once)."""

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        extra: Iterable[str] = (),
        timeout_s: float = 10.0,
    ) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._extra = list(extra)
        self._timeout_s = timeout_s
        self._found: list[Interpreter] | None = None

    def all(self) -> list[Interpreter]:
        """Every working interpreter, one per version (the first found wins), oldest first."""
        if self._found is None:
            by_version: dict[tuple[int, int, int], Interpreter] = {}
            me = current()
            by_version[me.version] = me
            seen = {os.path.realpath(me.path)}
            for path in [*self._extra, *_candidates(self._environ)]:
                real = os.path.realpath(path)
                if real in seen:
                    continue
                seen.add(real)
                version = _ask_version(path, self._timeout_s)
                if version is not None and version[0] == 3 and version not in by_version:
                    by_version[version] = Interpreter(path=path, version=version)
            self._found = sorted(by_version.values(), key=lambda i: i.version)
        return list(self._found)

    def newer_than(self, version: tuple[int, int, int]) -> list[Interpreter]:
        """Interpreters of a newer minor version than ``version``, oldest first, one per minor
        version (its newest patch release)."""
        best: dict[tuple[int, int], Interpreter] = {}
        for interp in self.all():
            if interp.version[:2] > version[:2]:
                best[interp.version[:2]] = interp
        return [best[k] for k in sorted(best)]

    def probe(
        self, interp: Interpreter, paths: Sequence[Path], *, timeout_s: float = 120.0
    ) -> dict[str, str | None]:
        """Which of ``paths`` parse on ``interp``: path -> None, or why not. A probe that cannot
        run at all answers the same reason for every path."""
        if not paths:
            return {}
        try:
            done = subprocess.run(  # noqa: S603 - a parse check, no user code runs
                [interp.path, "-I", "-c", _PROBE_SCRIPT],
                input=json.dumps([str(p) for p in paths]),
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
            answer = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            answer, why = None, f"{interp.describe()} could not be run: {exc}"
        else:
            why = f"{interp.describe()} failed: {done.stderr.strip()[-300:]}"
        if not isinstance(answer, dict):
            return {str(p): why for p in paths}
        return {
            str(p): (v if isinstance(v, str) or v is None else str(v))
            for p, v in ((str(p), answer.get(str(p), "not checked")) for p in paths)
        }
