"""Browser tests: Playwright for Python driving Debian's Chromium against a real Shieldwall
server on 127.0.0.1 (the ``server`` fixture of tests/integration, reused as it is).

Playwright's own browser download does not work on these machines, so the tests launch
/usr/bin/chromium and skip, saying why, when it is missing (``.ci/run`` installs it).
Screenshots go to tests/e2e/artifacts/ (ignored by git); with SHIELDWALL_UPDATE_SCREENSHOTS=1
the final ones are also copied to docs/screenshots/ for the README.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
INTEGRATION = REPO / "tests" / "integration"
ARTIFACTS = HERE / "artifacts"
DOCS_SHOTS = REPO / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Reuse the live-server fixtures of tests/integration: its conftest, loaded under its own name.
if str(INTEGRATION) not in sys.path:
    sys.path.insert(0, str(INTEGRATION))
_spec = importlib.util.spec_from_file_location(
    "shieldwall_integration_conftest", INTEGRATION / "conftest.py"
)
assert _spec is not None
assert _spec.loader is not None
_integration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_integration)
server = _integration.server
zone = _integration.zone

try:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium); "
            ".ci/run does"
        )
    with sync_playwright() as pw:
        launched = _launch(pw)
        try:
            yield launched
        finally:
            launched.close()


def _launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Tab:
    """One browser tab and everything it reported: console errors and uncaught exceptions."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def visit(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None, url
        return response

    def assert_clean(self) -> None:
        assert self.errors == [], f"console errors on {self.page.url}: {self.errors}"

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot as a test artefact (and for the README on request)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if os.environ.get("SHIELDWALL_UPDATE_SCREENSHOTS") == "1":
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SHOTS / path.name)
        return path


@pytest.fixture
def open_tab(browser: Browser) -> Iterator[Any]:
    """Open a tab in a fresh browser context (its own cookies): ``open_tab()``."""
    contexts = []

    def make() -> Tab:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(30_000)
        contexts.append(context)
        tab = Tab(page=context.new_page())

        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                tab.errors.append(msg.text)

        tab.page.on("console", on_console)
        tab.page.on("pageerror", lambda exc: tab.errors.append(f"uncaught: {exc}"))
        return tab

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def tab(open_tab: Any) -> Tab:
    made: Tab = open_tab()
    return made
