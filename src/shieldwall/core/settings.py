"""Settings: one data directory, overridable by ``SHIELDWALL_HOME`` and ``--home``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shieldwall"


class Settings(BaseSettings):
    """Everything configurable, read from ``SHIELDWALL_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="SHIELDWALL_", extra="ignore")

    home: Path = Field(default_factory=default_home)
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is a SQLite file in the data directory.",
    )
    ledger_origin: str | None = Field(
        default=None,
        description="The checkpoint origin line; set on first start and kept with the key.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        default=None, description="How users reach this server (links in e-mails)."
    )
    policy_file: Path | None = Field(default=None, description="A policy JSON file to use.")
    detect_rules: Path | None = Field(
        default=None,
        description="The operator's Sigma rules (a folder or zip) for runs over web uploads; "
        "each folder or zip inside it is also a rule set of its own.",
    )
    ownership_nameservers: list[str] = Field(
        default_factory=lambda: ["1.1.1.1", "9.9.9.9"],
        description="DNS servers asked for ownership challenges (TXT records).",
    )
    ownership_dns_port: int = 53
    ownership_dns_timeout_s: float = 3.0
    ownership_http_timeout_s: float = 5.0
    ownership_recheck_ttl_s: int = 300
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "shieldwall@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    ai_provider: Literal["local", "openai", "compatible"] = "local"
    ai_base_url: str | None = None
    ai_api_key: str | None = None
    ai_model: str | None = None
    ai_timeout_s: float = 60.0
    ai_max_retries: int = 2

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'shieldwall.db'}"

    @property
    def ledger_dir(self) -> Path:
        return self.home / "ledger"
