"""A real Shieldwall server on 127.0.0.1 (uvicorn in a thread) over a fresh data directory."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from dns_zone import Zone, serve_zone
from live_server import LiveServer

from shieldwall.api.app import create_app
from shieldwall.core.settings import Settings
from shieldwall.runtime import open_runtime


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    runtime = open_runtime(Settings(home=tmp_path / "home"))
    port = _free_port()
    config = uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", runtime=runtime)
    finally:
        srv.should_exit = True
        thread.join(timeout=20)
        runtime.close()


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture
def zone() -> Iterator[tuple[Zone, int]]:
    """A real DNS server on 127.0.0.1: (records the test may change, its port)."""
    with serve_zone() as served:
        yield served
