"""The checkup: the same answers always give the same plan, most important step first."""

from __future__ import annotations

from shieldwall.protect.checkup import QUESTION_IDS, Answer, checkup_plan, render_plan


def test_everything_done_means_an_empty_plan() -> None:
    result = checkup_plan(dict.fromkeys(QUESTION_IDS, Answer.YES))
    assert result["plan"] == []
    assert result["score"] == 1.0
    assert "basics covered" in result["summary"]


def test_unanswered_counts_as_unsure_and_order_is_fixed() -> None:
    result = checkup_plan({"updates": Answer.NO, "mfa": Answer.YES})
    ids = [s["id"] for s in result["plan"]]
    assert ids == ["breached", "password_manager", "updates", "recovery", "device_lock", "backups"]
    assert [s["priority"] for s in result["plan"]] == [1, 2, 3, 4, 5, 6]
    assert result["plan"][2]["answer"] == "no"
    assert result["plan"][0]["answer"] == "unsure"
    assert result == checkup_plan({"mfa": Answer.YES, "updates": Answer.NO})


def test_email_two_step_comes_first_and_the_text_is_plain() -> None:
    result = checkup_plan({})
    first = result["plan"][0]
    assert first["id"] == "mfa"
    assert "e-mail" in first["title"]
    text = render_plan(result)
    assert text.startswith("Security checkup:")
    assert "1. Turn on two-step verification" in text
