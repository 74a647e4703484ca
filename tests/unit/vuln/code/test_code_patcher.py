"""Validated patches on real projects in temporary directories: the project's own tests run,
the analyser runs again, and only a patch that passes both is kept."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

from shieldwall.ai.local import LocalProvider
from shieldwall.ai.provider import ChatMessage, Completion, ToolSpec, Usage
from shieldwall.vuln.code.fixes import CODE_PATCH
from shieldwall.vuln.code.patcher import Outcome, Patcher, detect_test_command

APP = """import hashlib

import yaml


def load(text):
    return yaml.load(text, Loader=yaml.FullLoader)


def digest(data):
    return hashlib.md5(data).hexdigest()
"""
TESTS = """from app import digest, load


def test_load():
    assert load("a: 1") == {"a": 1}


def test_digest():
    assert digest(b"x") == "%s"
"""
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def _project(tmp_path: Path, *, digest_test: str | None = None) -> Path:
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "app.py").write_text(APP)
    expected = digest_test or hashlib.md5(b"x", usedforsecurity=False).hexdigest()
    (root / "tests" / "test_app.py").write_text(TESTS % expected)
    return root


def _patcher(root: Path, **kwargs: object) -> Patcher:
    options: dict[str, object] = {
        "provider": LocalProvider(skills=(CODE_PATCH,)),
        "analysers": ["bandit"],
        "test_command": PYTEST,
    } | kwargs
    return Patcher(root=root, **options)  # type: ignore[arg-type]


def _finding(patcher: Patcher, rule: str):  # type: ignore[no-untyped-def]
    return next(f for f in patcher.scan().findings if f.rule == rule)


def test_a_template_patch_is_validated_and_written(tmp_path: Path) -> None:
    root = _project(tmp_path)
    patcher = _patcher(root)
    result = patcher.patch(_finding(patcher, "bandit.B506"))
    assert result.outcome is Outcome.VALIDATED
    assert result.written
    assert "yaml.safe_load(text)" in (root / "app.py").read_text()
    assert result.attempts[0].tests is not None
    assert result.attempts[0].tests.passed
    assert "bandit.B506" not in {f.rule for f in patcher.scan().findings}


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    patcher = _patcher(root, dry_run=True)
    result = patcher.patch(_finding(patcher, "bandit.B506"))
    assert result.outcome is Outcome.VALIDATED
    assert not result.written
    assert "+    return yaml.safe_load(text)" in result.diff
    assert (root / "app.py").read_text() == APP


def test_a_patch_that_breaks_the_tests_is_rejected_and_the_next_candidate_tried(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)  # the test pins the MD5 digest, so SHA-256 breaks it
    patcher = _patcher(root)
    result = patcher.patch(_finding(patcher, "bandit.B324"))
    first, second = result.attempts
    assert not first.accepted
    assert "tests fail" in first.reason
    assert second.accepted
    assert result.outcome is Outcome.VALIDATED
    assert "usedforsecurity=False" in (root / "app.py").read_text()
    assert any("review" in c for c in result.caveats)


def test_tests_that_already_fail_validate_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path, digest_test="not-a-digest")
    patcher = _patcher(root, attempts=1)
    result = patcher.patch(_finding(patcher, "bandit.B506"))
    assert result.outcome is Outcome.NOT_PATCHED
    assert "already fail" in result.reason
    assert (root / "app.py").read_text() == APP


def test_without_tests_a_patch_is_patched_but_not_validated(tmp_path: Path) -> None:
    root = _project(tmp_path)
    patcher = _patcher(root, test_command=None)
    result = patcher.patch(_finding(patcher, "bandit.B506"))
    assert result.outcome is Outcome.PATCHED
    assert any("not checked" in c for c in result.caveats)


class ScriptedProvider:
    """A stand-in model that answers with the texts it was given, in order."""

    name = "scripted"

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[Sequence[ChatMessage]] = []

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        tools: Sequence[ToolSpec] | None = None,
    ) -> Completion:
        self.asked.append(messages)
        return Completion(
            text=self.answers.pop(0),
            finish_reason="stop",
            model="m",
            usage=Usage(),
            provider=self.name,
        )


CHEAT = """```diff
--- a/tests/test_app.py
+++ b/tests/test_app.py
@@ -4,2 +4,2 @@
 def test_load():
-    assert load("a: 1") == {"a": 1}
+    assert True
```"""
STILL_THERE = """```diff
--- a/app.py
+++ b/app.py
@@ -6,2 +6,3 @@
 def load(text):
+    # loads YAML
     return yaml.load(text, Loader=yaml.FullLoader)
```"""


def test_diffs_that_edit_tests_or_leave_the_finding_are_rejected_with_feedback(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    provider = ScriptedProvider(CHEAT, STILL_THERE, "NO PATCH: I give up")
    patcher = _patcher(root, provider=provider)
    result = patcher.patch(_finding(patcher, "bandit.B506"))
    reasons = [a.reason for a in result.attempts]
    assert "changes a test file" in reasons[0]
    assert "still reported" in reasons[1]
    assert reasons[2].startswith("NO PATCH")
    assert result.outcome is Outcome.NOT_PATCHED
    assert "changes a test file" in provider.asked[1][1].content  # feedback reached the model
    assert (root / "app.py").read_text() == APP


def test_test_commands_are_detected(tmp_path: Path) -> None:
    assert detect_test_command(tmp_path) is None
    (tmp_path / "package.json").write_text('{"scripts": {"test": "node --test"}}')
    assert detect_test_command(tmp_path) == ["npm", "test", "--silent"]
    (tmp_path / "tests").mkdir()
    command = detect_test_command(tmp_path)
    assert command is not None
    assert command[1:3] == ["-m", "pytest"]
