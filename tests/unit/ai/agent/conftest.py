"""Fixtures of the agent's unit tests; the environment itself is in agent_env.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agent_env import AgentEnv


@pytest.fixture
def env(tmp_path: Path) -> Iterator[AgentEnv]:
    e = AgentEnv(tmp_path)
    yield e
    e.close()


@pytest.fixture
def make_env(tmp_path: Path) -> Iterator[Any]:
    made: list[AgentEnv] = []

    def make(**kwargs: Any) -> AgentEnv:
        e = AgentEnv(tmp_path / f"env{len(made)}", **kwargs)
        made.append(e)
        return e

    (tmp_path / "env0").mkdir()
    for n in range(1, 4):
        (tmp_path / f"env{n}").mkdir()
    yield make
    for e in made:
        e.close()
