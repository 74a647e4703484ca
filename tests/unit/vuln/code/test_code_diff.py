"""Unified diffs from a model: parsed leniently where models are sloppy, refused otherwise."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.vuln.code.diff import PatchError, apply_to_text, extract_diff, parse_diff

BEFORE = "import os\n\n\ndef f(x):\n    os.system('ls ' + x)\n    return 1\n"
AFTER = "import os\nimport subprocess\n\n\ndef f(x):\n    subprocess.run(['ls', x])\n    return 1\n"


def _diff(a: str, b: str, path: str = "m.py") -> str:
    return "".join(
        difflib.unified_diff(a.splitlines(True), b.splitlines(True), f"a/{path}", f"b/{path}")
    )


def test_a_fenced_diff_with_wrong_line_numbers_applies() -> None:
    diff = _diff(BEFORE, AFTER).replace("@@ -1,", "@@ -41,").replace("+1,", "+41,")
    answer = f"Here is the fix:\n```diff\n{diff}```\nIt removes the shell."
    (patch,) = parse_diff(extract_diff(answer))
    assert patch.path == "m.py"
    assert apply_to_text(BEFORE, patch) == AFTER


def test_blank_context_lines_without_their_space_are_accepted() -> None:
    diff = "\n".join(line.rstrip() for line in _diff(BEFORE, AFTER).splitlines()) + "\n"
    assert apply_to_text(BEFORE, parse_diff(diff)[0]) == AFTER


def test_crlf_files_keep_their_line_ends() -> None:
    crlf = BEFORE.replace("\n", "\r\n")
    assert apply_to_text(crlf, parse_diff(_diff(BEFORE, AFTER))[0]) == AFTER.replace("\n", "\r\n")


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "a/../../x.py", "C:/x.py"])
def test_paths_outside_the_project_are_refused(path: str) -> None:
    diff = f"--- {path}\n+++ {path}\n@@ -1 +1 @@\n-a\n+b\n"
    with pytest.raises(PatchError) as err:
        parse_diff(diff)
    assert err.value.code == "vuln.patch.bad_path"
    assert err.value.location == "diff:1"


def test_a_hunk_that_does_not_match_is_refused_with_its_location() -> None:
    diff = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-not in the file\n+x\n"
    with pytest.raises(PatchError) as err:
        apply_to_text(BEFORE, parse_diff(diff)[0])
    assert err.value.code == "vuln.patch.does_not_apply"
    assert err.value.location == "diff:3"


@pytest.mark.parametrize(
    "answer",
    [
        "no diff here",
        "--- a/m.py\n+++ b/m.py\n",
        "@@ -1 +1 @@\n-a\n+b\n",
        "--- a/m.py\n+++ b/m.py\n@@ x @@\n",
    ],
)
def test_answers_without_a_usable_diff_are_refused(answer: str) -> None:
    with pytest.raises(PatchError):
        parse_diff(extract_diff(answer))


_lines = st.lists(
    st.text(
        st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        max_size=12,
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(_lines, _lines)
def test_any_difflib_diff_round_trips(a: list[str], b: list[str]) -> None:
    before = "".join(line + "\n" for line in a)
    after = "".join(line + "\n" for line in b)
    if before == after:
        return
    assert apply_to_text(before, parse_diff(_diff(before, after))[0]) == after


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_answers_raise_only_patch_errors(answer: str) -> None:
    code = ""
    try:
        for patch in parse_diff(extract_diff(answer)):
            apply_to_text("x\ny\n", patch)
    except PatchError as exc:
        code = exc.code
    assert code == "" or code.startswith("vuln.patch.")
