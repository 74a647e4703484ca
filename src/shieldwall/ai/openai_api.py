"""Adapters for the OpenAI chat-completions protocol, through the official ``openai`` SDK.

:class:`OpenAIProvider` talks to the OpenAI API; :class:`CompatibleProvider` to any server that
speaks the same protocol (vLLM, Ollama, llama.cpp). Both share one implementation and differ
only in defaults: the compatible adapter needs a base URL and a model, sends ``max_tokens``
(which those servers understand) rather than ``max_completion_tokens``, and never sends the
user's OpenAI credentials or organization read from ``OPENAI_*`` environment variables to a
third-party server.

The SDK retries 408/409/429/5xx answers and connection errors ``max_retries`` times with
backoff. Whatever still fails is re-raised as :class:`~shieldwall.core.errors.ProviderError`
``from`` the SDK's exception:

    ai.timeout       no answer within ``timeout_s``
    ai.unavailable   cannot connect, or the server keeps failing (5xx, 408, 409)
    ai.auth          401/403: the key is missing, wrong or not allowed
    ai.rate_limited  429 after every retry, or the account is out of quota
    ai.not_found     404: wrong model name or base URL
    ai.rejected      another 4xx: the server refused the request as sent
    ai.bad_response  the answer is not a chat completion

The ``openai`` package is imported when an adapter is built, not when this module is, so that
commands that never use a remote model do not pay for importing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Final, Literal
from urllib.parse import urlsplit

from shieldwall.ai._wire import parse_completion, parse_model_ids, to_wire_messages, to_wire_tools
from shieldwall.ai.accounting import UsageMeter
from shieldwall.ai.provider import ChatMessage, Completion, ToolSpec
from shieldwall.core.errors import InputError, ProviderError

if TYPE_CHECKING:
    import openai
    from openai import Omit

DEFAULT_OPENAI_MODEL: Final = "gpt-4o-mini"
DEFAULT_TIMEOUT_S: Final = 60.0
DEFAULT_MAX_RETRIES: Final = 2


def _check_config(*, base_url: str | None, timeout_s: float, max_retries: int) -> None:
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"the model server URL {base_url!r} is not an http(s) URL",
                code="ai.config",
                hint="set SHIELDWALL_AI_BASE_URL to e.g. http://127.0.0.1:11434/v1",
            )
    if not timeout_s > 0:
        raise InputError(
            f"the model timeout must be positive, not {timeout_s}",
            code="ai.config",
            hint="set SHIELDWALL_AI_TIMEOUT_S to a number of seconds, e.g. 60",
        )
    if max_retries < 0:
        raise InputError(
            f"the model retry count must be 0 or more, not {max_retries}",
            code="ai.config",
            hint="set SHIELDWALL_AI_MAX_RETRIES to e.g. 2",
        )


def _server_message(exc: openai.APIError) -> str:
    body = exc.body
    if isinstance(body, Mapping):
        message = body.get("message")
        if isinstance(message, str) and message:
            return message
    return exc.message


class _ChatCompletionsProvider:
    """One chat-completions client; the public subclasses choose defaults."""

    name: str
    _max_tokens_param: ClassVar[Literal["max_tokens", "max_completion_tokens"]]
    _key_setting: ClassVar[str]

    def __init__(
        self,
        *,
        api_key: str | None,
        model: str,
        base_url: str | None,
        timeout_s: float,
        max_retries: int,
        meter: UsageMeter | None,
        isolate_from_openai_env: bool,
    ) -> None:
        import openai

        _check_config(base_url=base_url, timeout_s=timeout_s, max_retries=max_retries)
        if not model:
            raise InputError("a model name is required", code="ai.config")
        self.model = model
        self._timeout_s = timeout_s
        self._meter = meter
        self._extra_headers: dict[str, str | Omit] = {}
        if isolate_from_openai_env:
            # The SDK fills these from OPENAI_* variables: they are for OpenAI, not this server.
            self._extra_headers = {
                "OpenAI-Organization": openai.omit,
                "OpenAI-Project": openai.omit,
            }
            if not api_key:
                self._extra_headers["Authorization"] = openai.omit
        self._client = openai.OpenAI(
            # A placeholder satisfies the SDK's credential check; its header is omitted above.
            api_key=api_key or "unused",
            admin_api_key="",
            base_url=base_url,
            timeout=timeout_s,
            max_retries=max_retries,
        )
        self.base_url = str(self._client.base_url)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        tools: Sequence[ToolSpec] | None = None,
    ) -> Completion:
        import openai

        chosen = model or self.model
        if max_tokens is not None and max_tokens < 1:
            raise InputError("max_tokens must be at least 1", code="ai.config")
        limit: int | Omit = openai.omit if max_tokens is None else max_tokens
        by_max_tokens = self._max_tokens_param == "max_tokens"
        try:
            raw = self._client.chat.completions.with_raw_response.create(
                model=chosen,
                messages=to_wire_messages(messages),
                temperature=temperature,
                tools=to_wire_tools(tools) if tools else openai.omit,
                max_tokens=limit if by_max_tokens else openai.omit,
                max_completion_tokens=openai.omit if by_max_tokens else limit,
                extra_headers=self._extra_headers,
            )
            completion = parse_completion(
                raw.content,
                provider=self.name,
                requested_model=chosen,
                prompt=messages,
                where=self.base_url,
            )
        except openai.OpenAIError as exc:
            self._record_error(chosen)
            raise self._translate(exc, chosen) from exc
        except ProviderError as exc:
            self._record_error(chosen)
            exc.details.update(provider=self.name, model=chosen, base_url=self.base_url)
            raise
        if self._meter is not None:
            self._meter.record(provider=self.name, model=completion.model, usage=completion.usage)
        return completion

    def list_models(self) -> tuple[str, ...]:
        """The model ids the server offers (``GET /models``), sorted: a cheap check of settings."""
        import openai

        try:
            raw = self._client.models.with_raw_response.list()
        except openai.OpenAIError as exc:
            raise self._translate(exc, self.model) from exc
        return parse_model_ids(raw.content, where=self.base_url)

    def _record_error(self, model: str) -> None:
        if self._meter is not None:
            self._meter.record_error(provider=self.name, model=model)

    def _translate(self, exc: openai.OpenAIError, model: str) -> ProviderError:
        import openai

        details: dict[str, object] = {
            "provider": self.name,
            "model": model,
            "base_url": self.base_url,
        }
        where = f"the {self.name} model server at {self.base_url}"
        if isinstance(exc, openai.APITimeoutError):
            return ProviderError(
                f"{where} did not answer within {self._timeout_s:g} s",
                code="ai.timeout",
                hint="raise SHIELDWALL_AI_TIMEOUT_S, use a smaller model, or check the server load",
                details=details,
            )
        if isinstance(exc, openai.APIConnectionError):
            return ProviderError(
                f"cannot connect to {where}",
                code="ai.unavailable",
                hint="check SHIELDWALL_AI_BASE_URL and that the server is running and reachable",
                details=details,
            )
        if isinstance(exc, openai.APIResponseValidationError):
            return ProviderError(
                f"{where} answered in an unexpected format",
                code="ai.bad_response",
                hint="check that SHIELDWALL_AI_BASE_URL is an OpenAI-compatible /v1 endpoint",
                details=details,
            )
        if isinstance(exc, openai.APIStatusError):
            return self._translate_status(exc, where, details)
        return ProviderError(
            f"the {self.name} client failed: {exc}",
            code="ai.provider",
            hint="check the SHIELDWALL_AI_* settings",
            details=details,
        )

    def _translate_status(
        self, exc: openai.APIStatusError, where: str, details: dict[str, object]
    ) -> ProviderError:
        status = exc.status_code
        details["status"] = status
        if exc.request_id:
            details["request_id"] = exc.request_id
        said = _server_message(exc)
        if status in (401, 403):
            return ProviderError(
                f"{where} refused the credentials ({status}): {said}",
                code="ai.auth",
                hint=f"check {self._key_setting}, and that the key may use this model",
                details=details,
            )
        if status == 429:
            quota = exc.code == "insufficient_quota"
            return ProviderError(
                f"{where} is rate limiting requests (429): {said}",
                code="ai.rate_limited",
                hint="add credit or raise the quota of the account"
                if quota
                else "wait and try again, or raise SHIELDWALL_AI_MAX_RETRIES",
                details=details,
            )
        if status == 404:
            return ProviderError(
                f"{where} does not know this model or path (404): {said}",
                code="ai.not_found",
                hint="check SHIELDWALL_AI_MODEL, and that SHIELDWALL_AI_BASE_URL ends in /v1",
                details=details,
            )
        if status >= 500 or status in (408, 409):
            return ProviderError(
                f"{where} failed ({status}): {said}",
                code="ai.unavailable",
                hint="the server kept failing after retries; try again later or check its logs",
                details=details,
            )
        return ProviderError(
            f"{where} rejected the request ({status}): {said}",
            code="ai.rejected",
            hint="check SHIELDWALL_AI_MODEL and that the model supports chat and tool calls",
            details=details,
        )


class OpenAIProvider(_ChatCompletionsProvider):
    """The OpenAI API (or a proxy of it at ``base_url``)."""

    name: Final = "openai"
    _max_tokens_param = "max_completion_tokens"
    _key_setting = "SHIELDWALL_AI_API_KEY or OPENAI_API_KEY"

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_OPENAI_MODEL,
        base_url: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        meter: UsageMeter | None = None,
    ) -> None:
        if not api_key:
            raise InputError(
                "the openai provider needs an API key",
                code="ai.config",
                hint="set SHIELDWALL_AI_API_KEY or OPENAI_API_KEY",
            )
        super().__init__(
            api_key=api_key,
            model=model,
            base_url=base_url,
            timeout_s=timeout_s,
            max_retries=max_retries,
            meter=meter,
            isolate_from_openai_env=False,
        )


class CompatibleProvider(_ChatCompletionsProvider):
    """Any OpenAI-compatible server: vLLM, Ollama, llama.cpp, LiteLLM and others."""

    name: Final = "compatible"
    _max_tokens_param = "max_tokens"
    _key_setting = "SHIELDWALL_AI_API_KEY"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        meter: UsageMeter | None = None,
    ) -> None:
        if not base_url:
            raise InputError(
                "the compatible provider needs the server's base URL",
                code="ai.config",
                hint="set SHIELDWALL_AI_BASE_URL, e.g. http://127.0.0.1:11434/v1",
            )
        super().__init__(
            api_key=api_key,
            model=model,
            base_url=base_url,
            timeout_s=timeout_s,
            max_retries=max_retries,
            meter=meter,
            isolate_from_openai_env=True,
        )
