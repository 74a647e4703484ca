"""Run the real `shieldwall` command as a separate process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def run_cli(
    home: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str = "",
    drop_env_prefix: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m shieldwall ARGS`` with SHIELDWALL_HOME=home; ``drop_env_prefix`` removes
    inherited variables (so that a developer's own settings cannot leak into a test)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if drop_env_prefix is None or not k.startswith(drop_env_prefix)
    }
    return subprocess.run(
        [sys.executable, "-m", "shieldwall", *args],
        capture_output=True,
        text=True,
        env={**base, "SHIELDWALL_HOME": str(home), **(env or {})},
        input=stdin,
        timeout=120,
    )
