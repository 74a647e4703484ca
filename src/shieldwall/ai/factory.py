"""Choose the model provider from settings: the one place that picks an adapter."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import assert_never

from shieldwall.ai.accounting import UsageMeter
from shieldwall.ai.local import LocalProvider
from shieldwall.ai.openai_api import DEFAULT_OPENAI_MODEL, CompatibleProvider, OpenAIProvider
from shieldwall.ai.provider import ModelProvider
from shieldwall.core.errors import InputError
from shieldwall.core.settings import Settings


def provider_from_settings(
    settings: Settings,
    *,
    meter: UsageMeter | None = None,
    environ: Mapping[str, str] | None = None,
) -> ModelProvider:
    """The adapter named by ``settings.ai_provider``.

    ``local`` (the default) needs nothing. ``openai`` needs ``SHIELDWALL_AI_API_KEY`` or
    ``OPENAI_API_KEY`` (looked up in ``environ``, default ``os.environ``) and uses
    ``SHIELDWALL_AI_MODEL`` or a default model. ``compatible`` needs ``SHIELDWALL_AI_BASE_URL``
    and ``SHIELDWALL_AI_MODEL``; its key is optional. Raises InputError (code ``ai.config``)
    naming whatever is missing.
    """
    env = os.environ if environ is None else environ
    provider = settings.ai_provider
    match provider:
        case "local":
            return LocalProvider(meter=meter)
        case "openai":
            api_key = settings.ai_api_key or env.get("OPENAI_API_KEY")
            if not api_key:
                raise InputError(
                    "SHIELDWALL_AI_PROVIDER=openai needs an API key",
                    code="ai.config",
                    hint="set SHIELDWALL_AI_API_KEY or OPENAI_API_KEY, "
                    "or use SHIELDWALL_AI_PROVIDER=local",
                )
            return OpenAIProvider(
                api_key=api_key,
                model=settings.ai_model or DEFAULT_OPENAI_MODEL,
                base_url=settings.ai_base_url,
                timeout_s=settings.ai_timeout_s,
                max_retries=settings.ai_max_retries,
                meter=meter,
            )
        case "compatible":
            missing = [
                name
                for name, value in (
                    ("SHIELDWALL_AI_BASE_URL", settings.ai_base_url),
                    ("SHIELDWALL_AI_MODEL", settings.ai_model),
                )
                if not value
            ]
            if missing or not settings.ai_base_url or not settings.ai_model:
                raise InputError(
                    f"SHIELDWALL_AI_PROVIDER=compatible needs {' and '.join(missing)}",
                    code="ai.config",
                    hint="e.g. SHIELDWALL_AI_BASE_URL=http://127.0.0.1:11434/v1 "
                    "SHIELDWALL_AI_MODEL=llama3.1",
                )
            return CompatibleProvider(
                base_url=settings.ai_base_url,
                model=settings.ai_model,
                api_key=settings.ai_api_key,
                timeout_s=settings.ai_timeout_s,
                max_retries=settings.ai_max_retries,
                meter=meter,
            )
        case _:
            assert_never(provider)
