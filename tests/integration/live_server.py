"""The handle that the ``server`` fixture (conftest.py) yields."""

from __future__ import annotations

from dataclasses import dataclass

from shieldwall.runtime import Runtime


@dataclass
class LiveServer:
    url: str
    runtime: Runtime
