"""Bandit on a Python at least as new as the code: files with newer syntax are analysed on a
newer interpreter when there is one, and reported as skipped (never dropped) when not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shieldwall.vuln.code.bandit import run_bandit
from shieldwall.vuln.code.files import collect
from shieldwall.vuln.code.pythons import Interpreters, current

PEP695 = (
    "import subprocess\n\n"
    "type Names = list[str]\n\n"
    "def first[T](xs: list[T]) -> T:\n"
    "    subprocess.call('ls ' + str(xs), shell=True)\n"
    "    return xs[0]\n"
)
OLD = "import hashlib\n\ndef h(x):\n    return hashlib.md5(x).hexdigest()\n"
PY2 = "print 'hello'\n"


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "new.py").write_text(PEP695)
    (tmp_path / "old.py").write_text(OLD)
    (tmp_path / "py2.py").write_text(PY2)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("def test_x():\n    assert 1 + 1 == 2\n")
    return tmp_path


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="needs an interpreter older than 3.12")
def test_newer_syntax_is_reported_when_no_newer_python_is_found(tmp_path: Path) -> None:
    nothing = Interpreters(environ={"PATH": "", "PYENV_ROOT": str(tmp_path / "none")})
    outcome = run_bandit(collect(_tree(tmp_path)), interpreters=nothing)
    skipped = {s.path: s for s in outcome.skipped}
    assert set(skipped) == {"new.py", "py2.py"}
    assert "does not parse on Python 3.11" in skipped["new.py"].reason
    assert "no newer Python was found" in skipped["new.py"].reason
    assert {f.rule.id for f in outcome.findings} == {"bandit.B324"}
    assert outcome.analysed == {"old.py", "tests/test_x.py"}


def test_newer_syntax_is_analysed_on_a_newer_python(tmp_path: Path) -> None:
    pythons = Interpreters()
    newer = [p for p in pythons.all() if p.version[:2] >= (3, 12)]
    if current().version[:2] < (3, 12) and not newer:
        pytest.skip("no Python 3.12+ on this machine")
    outcome = run_bandit(collect(_tree(tmp_path)), interpreters=pythons)
    by_file = {(f.location.path, f.rule.id) for f in outcome.findings}
    assert ("new.py", "bandit.B602") in by_file
    assert ("old.py", "bandit.B324") in by_file
    assert [s.path for s in outcome.skipped] == ["py2.py"]
    assert "Missing parentheses" in outcome.skipped[0].reason
    if current().version[:2] < (3, 12):
        runtimes = [r.runtime or "" for r in outcome.runs]
        assert len(runtimes) == 2
        assert "Python 3.1" in runtimes[1]
        assert outcome.runs[1].files == 1


def test_asserts_in_tests_are_not_reported(tmp_path: Path) -> None:
    outcome = run_bandit(collect(_tree(tmp_path)), interpreters=Interpreters(environ={"PATH": ""}))
    assert not [f for f in outcome.findings if f.rule.id == "bandit.B101"]
    (tmp_path / "app.py").write_text("def f(x):\n    assert x\n")
    again = run_bandit(collect(tmp_path), interpreters=Interpreters(environ={"PATH": ""}))
    assert [f.location.path for f in again.findings if f.rule.id == "bandit.B101"] == ["app.py"]


def test_interpreters_that_do_not_answer_are_left_out(tmp_path: Path) -> None:
    broken = tmp_path / "python3.19"
    broken.write_text("#!/bin/sh\necho 'pyenv: python3.19: command not found' >&2\nexit 127\n")
    broken.chmod(0o755)
    found = Interpreters(environ={"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path)}).all()
    assert [i.version for i in found] == [current().version]
