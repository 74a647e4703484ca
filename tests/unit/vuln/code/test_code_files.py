"""Which files a scan reads, and what it reports as left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.vuln.code.files import MAX_FILE_BYTES, collect, write_tree


def test_dependencies_and_caches_are_not_the_projects_code(tmp_path: Path) -> None:
    for rel in (
        "app/main.py",
        "web/app.js",
        "web/types.ts",
        "node_modules/x/index.js",
        ".venv/lib/x.py",
        "env/lib/y.py",
        "build/z.py",
        "README.md",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    tree = collect(tmp_path)
    assert sorted(tree.files) == ["app/main.py", "web/app.js", "web/types.ts"]
    assert tree.counts() == {"python": 1, "javascript": 1, "typescript": 1}


def test_large_and_minified_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("#" * (MAX_FILE_BYTES + 1))
    (tmp_path / "lib.min.js").write_text("var a=1;")
    tree = collect(tmp_path)
    assert tree.files == {}
    assert {s.path: s.analyser for s in tree.skipped} == {
        "big.py": "shieldwall",
        "lib.min.js": "shieldwall",
    }


def test_missing_paths_and_other_languages_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        collect(tmp_path / "nope")
    (tmp_path / "notes.txt").write_text("hi")
    with pytest.raises(InputError):
        collect(tmp_path / "notes.txt")


@pytest.mark.parametrize("name", ["../x.py", "/etc/x.py", "a/../../x.py", ""])
def test_request_files_cannot_leave_the_directory(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError):
        write_tree(tmp_path, {name: "x = 1\n"})
