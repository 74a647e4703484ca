"""provider_from_settings: the right adapter, or an InputError that says what is missing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shieldwall.ai import (
    DEFAULT_OPENAI_MODEL,
    CompatibleProvider,
    LocalProvider,
    OpenAIProvider,
    provider_from_settings,
)
from shieldwall.core.errors import InputError
from shieldwall.core.settings import Settings


@pytest.fixture(autouse=True)
def _no_ai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read SHIELDWALL_AI_* variables; these tests give every value themselves."""
    for name in ("PROVIDER", "BASE_URL", "API_KEY", "MODEL", "TIMEOUT_S", "MAX_RETRIES"):
        monkeypatch.delenv(f"SHIELDWALL_AI_{name}", raising=False)


def test_local_is_the_default() -> None:
    provider = provider_from_settings(Settings(), environ={})

    assert isinstance(provider, LocalProvider)
    assert provider.name == "local"


def test_openai_without_a_key_says_which_variables_to_set() -> None:
    with pytest.raises(InputError) as caught:
        provider_from_settings(Settings(ai_provider="openai"), environ={})

    assert caught.value.code == "ai.config"
    assert caught.value.hint is not None
    assert "SHIELDWALL_AI_API_KEY or OPENAI_API_KEY" in caught.value.hint


def test_openai_takes_the_key_from_openai_api_key() -> None:
    provider = provider_from_settings(
        Settings(ai_provider="openai", ai_timeout_s=7.0, ai_max_retries=4),
        environ={"OPENAI_API_KEY": "sk-env"},
    )

    assert isinstance(provider, OpenAIProvider)
    assert provider.model == DEFAULT_OPENAI_MODEL
    assert provider.base_url.startswith("https://api.openai.com/")


def test_openai_honours_model_and_base_url() -> None:
    provider = provider_from_settings(
        Settings(
            ai_provider="openai",
            ai_api_key="sk-settings",
            ai_model="gpt-test",
            ai_base_url="https://proxy.example/v1",
        ),
        environ={},
    )

    assert isinstance(provider, OpenAIProvider)
    assert provider.model == "gpt-test"
    assert provider.base_url == "https://proxy.example/v1/"


@pytest.mark.parametrize(
    ("base_url", "model", "named"),
    [
        (None, None, "SHIELDWALL_AI_BASE_URL and SHIELDWALL_AI_MODEL"),
        ("http://127.0.0.1:11434/v1", None, "needs SHIELDWALL_AI_MODEL"),
        (None, "llama3.1", "needs SHIELDWALL_AI_BASE_URL"),
    ],
)
def test_compatible_names_what_is_missing(
    base_url: str | None, model: str | None, named: str
) -> None:
    settings = Settings(ai_provider="compatible", ai_base_url=base_url, ai_model=model)

    with pytest.raises(InputError) as caught:
        provider_from_settings(settings, environ={})

    assert caught.value.code == "ai.config"
    assert named in caught.value.message


def test_compatible_needs_no_key() -> None:
    settings = Settings(
        ai_provider="compatible", ai_base_url="http://127.0.0.1:11434/v1", ai_model="llama3.1"
    )

    provider = provider_from_settings(settings, environ={})

    assert isinstance(provider, CompatibleProvider)
    assert provider.model == "llama3.1"


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        ({"ai_base_url": "file:///etc/passwd"}, "SHIELDWALL_AI_BASE_URL"),
        ({"ai_base_url": "127.0.0.1:11434/v1"}, "SHIELDWALL_AI_BASE_URL"),
        ({"ai_timeout_s": 0.0}, "SHIELDWALL_AI_TIMEOUT_S"),
        ({"ai_max_retries": -1}, "SHIELDWALL_AI_MAX_RETRIES"),
    ],
)
def test_bad_values_are_input_errors(overrides: dict[str, object], setting: str) -> None:
    values: dict[str, object] = {
        "ai_provider": "compatible",
        "ai_base_url": "http://127.0.0.1:11434/v1",
        "ai_model": "llama3.1",
    }
    settings = Settings.model_validate(values | overrides)

    with pytest.raises(InputError) as caught:
        provider_from_settings(settings, environ={})

    assert caught.value.code == "ai.config"
    assert caught.value.hint is not None
    assert setting in caught.value.hint


def test_importing_the_package_leaves_the_sdk_unimported() -> None:
    """Commands that never call a remote model must not pay for importing ``openai``."""
    code = "import sys, shieldwall.ai; print('openai' in sys.modules)"

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
