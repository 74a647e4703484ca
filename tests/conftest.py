"""Fixtures every test may use. Real components, small fixtures made here."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    return Path(os.environ.get("SHIELDWALL_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a clean skip when this checkout has nothing beside it."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"evaluation data not found at {path} (set SHIELDWALL_SHARED_DATA)")
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh Shieldwall data directory, also exported as SHIELDWALL_HOME."""
    path = tmp_path / "home"
    monkeypatch.setenv("SHIELDWALL_HOME", str(path))
    monkeypatch.delenv("SHIELDWALL_DATABASE_URL", raising=False)
    return path
