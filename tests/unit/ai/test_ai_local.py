"""LocalProvider and its built-in skills: deterministic, honest about what it cannot do."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.ai import (
    EXPLAIN_DECISION,
    SUMMARIZE,
    TASK_PREFIX,
    ChatMessage,
    LocalProvider,
    Role,
    Skill,
    ToolSpec,
    UsageMeter,
    task_messages,
)
from shieldwall.core.errors import InputError, ProviderError

ADVISORY = (
    "OpenSSH 9.8 fixes CVE-2024-6387, a race condition in the sshd signal handler. "
    "The race condition in sshd lets an unauthenticated attacker run code as root. "
    "The weather was nice that day. "
    "Upgrade OpenSSH to 9.8, or set LoginGraceTime to 0 in sshd_config as a mitigation. "
    "Many thanks to everyone."
)


def _summary(text: str, max_words: int, **kwargs: int) -> str:
    return (
        LocalProvider()
        .complete(SUMMARIZE.messages({"text": text, "max_words": max_words}), **kwargs)
        .text
    )


def test_summarize_keeps_the_informative_sentences_in_order() -> None:
    summary = _summary(ADVISORY, 30)

    assert summary == (
        "OpenSSH 9.8 fixes CVE-2024-6387, a race condition in the sshd signal handler. "
        "The race condition in sshd lets an unauthenticated attacker run code as root."
    )


def test_summarize_drops_filler_even_when_it_would_fit() -> None:
    summary = _summary(ADVISORY, 46)

    assert summary.endswith("as a mitigation.")
    assert "weather" not in summary
    assert "thanks" not in summary


def test_summarize_is_deterministic_across_instances() -> None:
    request = SUMMARIZE.messages({"text": ADVISORY, "max_words": 25})

    answers = {LocalProvider().complete(request).text for _ in range(5)}

    assert len(answers) == 1


def test_summarize_returns_a_short_text_whole() -> None:
    assert _summary("One line.\n\n- a bullet\n- another", 50) == "One line. - a bullet - another"


def test_max_tokens_tightens_the_word_budget() -> None:
    summary = _summary(ADVISORY, 60, max_tokens=16)

    assert len(summary.split()) <= 16
    assert "CVE-2024-6387" in summary


def test_a_sentence_longer_than_the_budget_is_cut_with_an_ellipsis() -> None:
    summary = _summary("word " * 50 + "end.", 5)

    assert summary == "word word word word word\u2026"


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=400), budget=st.integers(min_value=1, max_value=40))
def test_summarize_never_exceeds_its_budget(text: str, budget: int) -> None:
    summary = _summary(text, budget)

    assert len(summary.split()) <= budget

    def words(s: str) -> set[str]:
        return set(s.replace("\u2026", " ").split())

    assert words(summary) <= words(text)


def test_summarize_refuses_oversized_text() -> None:
    with pytest.raises(InputError) as caught:
        _summary("x " * 600_000, 10)

    assert caught.value.location == "summarize.text"


def _explain(decision: str, reasons: list[dict[str, str]], **extra: str) -> str:
    payload = {"capability": "vuln.scan", "decision": decision, "reasons": reasons, **extra}
    return LocalProvider().complete(EXPLAIN_DECISION.messages(payload)).text


REASON = {"code": "tier.too_low", "message": "Scanning other hosts needs a verified org."}


@pytest.mark.parametrize(
    ("decision", "opening"),
    [
        ("allow", "Shieldwall allowed `vuln.scan`"),
        ("refuse", "Shieldwall refused `vuln.scan`: it did not run."),
        ("hold", "Shieldwall held `vuln.scan` for review"),
        ("downgrade", "Shieldwall downgraded `vuln.scan`: a narrower capability runs"),
    ],
)
def test_explain_decision_says_what_happened_and_why(decision: str, opening: str) -> None:
    text = _explain(decision, [REASON])

    assert text.startswith(opening)
    assert text.endswith("\nBecause:\n- Scanning other hosts needs a verified org. (tier.too_low)")


def test_explain_decision_names_the_downgrade_target() -> None:
    text = _explain("downgrade", [], downgraded_to="vuln.scan.passive")

    assert text == (
        "Shieldwall downgraded `vuln.scan`: `vuln.scan.passive` runs instead of what was asked.\n"
        "No reason was recorded with this decision."
    )


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"decision": "allow"}, "explain-decision.capability"),
        ({"capability": "x", "decision": "maybe"}, "explain-decision.decision"),
        ({"capability": "x", "decision": "allow", "reasons": "no"}, "explain-decision.reasons"),
        (
            {"capability": "x", "decision": "allow", "reasons": [{"code": "c"}]},
            "explain-decision.message",
        ),
    ],
)
def test_bad_task_input_is_an_input_error_with_a_location(
    payload: dict[str, object], location: str
) -> None:
    with pytest.raises(InputError) as caught:
        LocalProvider().complete(EXPLAIN_DECISION.messages(payload))  # type: ignore[arg-type]

    assert caught.value.code == "ai.task_input"
    assert caught.value.location == location


def test_an_unknown_task_is_refused_with_a_hint() -> None:
    meter = UsageMeter()
    request = task_messages("triage", {"alert": "x"}, instructions="Triage this alert.")

    with pytest.raises(ProviderError) as caught:
        LocalProvider(meter=meter).complete(request)

    assert caught.value.code == "ai.unknown_task"
    assert "explain-decision, summarize" in caught.value.message
    assert (
        caught.value.hint == "configure SHIELDWALL_AI_PROVIDER=openai|compatible for free-form chat"
    )
    assert [(t.model, t.calls, t.errors) for t in meter.snapshot()] == [("skill:triage", 0, 1)]


def test_free_form_chat_is_refused_not_faked() -> None:
    with pytest.raises(ProviderError) as caught:
        LocalProvider().complete([ChatMessage(role=Role.USER, content="Is this host malicious?")])

    assert caught.value.code == "ai.unsupported"
    assert caught.value.hint is not None
    assert "SHIELDWALL_AI_PROVIDER=openai|compatible" in caught.value.hint


def test_a_task_without_json_input_is_an_input_error() -> None:
    messages = [
        ChatMessage(role=Role.SYSTEM, content=f"{TASK_PREFIX} summarize"),
        ChatMessage(role=Role.USER, content="please summarize this"),
    ]

    with pytest.raises(InputError) as caught:
        LocalProvider().complete(messages)

    assert caught.value.code == "ai.task_input"


def test_usage_is_an_estimate_in_words() -> None:
    meter = UsageMeter()
    request = SUMMARIZE.messages({"text": "Patch the VPN today.", "max_words": 10})

    completion = LocalProvider(meter=meter).complete(request)

    prompt_words = sum(len(m.content.split()) for m in request)
    assert completion.text == "Patch the VPN today."
    assert completion.usage.estimated
    assert completion.usage.prompt_tokens == prompt_words
    assert completion.usage.completion_tokens == 4
    assert completion.usage.total_tokens == prompt_words + 4
    (totals,) = meter.snapshot()
    assert (totals.provider, totals.model, totals.calls, totals.estimated_calls) == (
        "local",
        "skill:summarize",
        1,
        1,
    )


def test_max_tokens_cuts_any_skill_and_says_so() -> None:
    request = EXPLAIN_DECISION.messages({"capability": "c", "decision": "refuse", "reasons": []})

    completion = LocalProvider().complete(request, max_tokens=3)

    assert completion.text == "Shieldwall refused `c`:"
    assert completion.finish_reason == "length"


def test_tools_are_never_called() -> None:
    tool = ToolSpec(name="lookup", description="d", parameters={"type": "object"})

    completion = LocalProvider().complete(SUMMARIZE.messages({"text": "Hi."}), tools=[tool])

    assert completion.tool_calls == ()
    assert completion.finish_reason == "stop"


def test_custom_skills_can_be_registered() -> None:
    echo = Skill(
        name="echo",
        summary="repeats its input",
        instructions="Repeat the `say` field.",
        render=lambda payload, _budget: str(payload["say"]),
    )
    provider = LocalProvider(skills=[echo])

    assert provider.skills == ("echo",)
    assert provider.complete(echo.messages({"say": "hello"})).text == "hello"
    with pytest.raises(InputError):
        LocalProvider(skills=[echo, echo])


def test_the_request_convention_is_readable_by_a_language_model() -> None:
    system, user = SUMMARIZE.messages({"text": "Hi.", "max_words": 5})

    assert system.role is Role.SYSTEM
    assert system.content.splitlines()[0] == "shieldwall-task: summarize"
    assert "Summarize the `text` field" in system.content
    assert user.role is Role.USER
    assert user.content == '{"max_words": 5, "text": "Hi."}'
