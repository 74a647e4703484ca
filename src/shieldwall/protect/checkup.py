"""A personal security checkup: a few yes/no questions, then a short plan in plain words.

Deterministic on purpose: the same answers always give the same plan, in a fixed order of what
protects most for least effort (e-mail first: it resets every other password).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    id: str
    ask: str  # phrased so that "yes" is the safe answer
    title: str  # the step, when the answer is not "yes"
    why: str
    how: tuple[str, ...]


QUESTIONS: tuple[Question, ...] = (
    Question(
        id="mfa",
        ask="Is two-step verification (a code, an app prompt or a security key) on for your "
        "e-mail and your bank?",
        title="Turn on two-step verification for your e-mail, then your bank",
        why="Your e-mail can reset every other password. With two-step verification, a stolen "
        "password alone is not enough to get in.",
        how=(
            "In your e-mail account's security settings, turn on 2-step verification; prefer an "
            "authenticator app or a security key over text messages.",
            "Do the same for your bank, social media and shopping accounts.",
            "Never read out or forward a verification code to anyone who contacts you.",
        ),
    ),
    Question(
        id="breached",
        ask="Have you checked whether your passwords appear in known breaches, and changed any "
        "that did?",
        title="Check your passwords against breach data and change the leaked ones",
        why="Leaked passwords are tried automatically on every popular site within hours.",
        how=(
            "Run `shieldwall protect password` for each password you still use (only 5 characters "
            "of its hash leave your computer).",
            "Change every password that was found, starting with e-mail and banking.",
        ),
    ),
    Question(
        id="password_manager",
        ask="Do you use a password manager, or at least a different password for every "
        "important account?",
        title="Use a password manager so that no two accounts share a password",
        why="When one site leaks, reused passwords open your other accounts too.",
        how=(
            "Pick a password manager (many browsers and phones include one).",
            "Let it create a new password for your e-mail, bank and shopping accounts first.",
            "Protect the manager itself with a long passphrase and two-step verification.",
        ),
    ),
    Question(
        id="updates",
        ask="Are automatic updates on for your phone, computer and web browser?",
        title="Turn on automatic updates everywhere",
        why="Most attacks use holes that were already fixed; updates close them.",
        how=(
            "Phone: Settings > Software update > automatic updates on.",
            "Computer: turn on automatic updates for the system and restart when it asks.",
            "Replace devices that no longer receive updates.",
        ),
    ),
    Question(
        id="recovery",
        ask="Are the recovery phone number and e-mail address on your main accounts up to date?",
        title="Update the recovery options on your main accounts",
        why="If you are locked out or hacked, recovery options are how you get back in; "
        "out-of-date ones can let someone else in instead.",
        how=(
            "Check the recovery phone and e-mail in your e-mail account's security page.",
            "Save the backup codes it offers somewhere safe, offline.",
        ),
    ),
    Question(
        id="device_lock",
        ask="Do your phone and computer lock with a PIN, password or fingerprint?",
        title="Lock your phone and computer",
        why="An unlocked phone opens your e-mail, bank apps and verification codes.",
        how=(
            "Set a PIN of 6 digits or more (or a password) and a short auto-lock time.",
            "Turn on 'find my device' so that you can lock or wipe it remotely.",
        ),
    ),
    Question(
        id="backups",
        ask="Do you keep a backup of your important files and photos that ransomware or a lost "
        "device cannot take with it (cloud backup or an unplugged drive)?",
        title="Back up your important files and photos",
        why="A backup turns ransomware, theft or a broken device into an inconvenience.",
        how=(
            "Turn on your phone's cloud backup.",
            "Copy important files to a drive you unplug afterwards, or to a cloud backup service.",
            "Once a year, check that you can actually restore a file.",
        ),
    ),
)

QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def checkup_plan(answers: Mapping[str, Answer | None]) -> dict[str, Any]:
    """A prioritized plan: one step per question not answered "yes", most important first."""
    plan: list[dict[str, Any]] = []
    done: list[str] = []
    for q in QUESTIONS:
        answer = answers.get(q.id) or Answer.UNSURE
        if answer is Answer.YES:
            done.append(q.title)
            continue
        plan.append(
            {
                "priority": len(plan) + 1,
                "id": q.id,
                "answer": str(answer),
                "title": q.title,
                "why": q.why,
                "how": list(q.how),
            }
        )
    score = round(len(done) / len(QUESTIONS), 2)
    if not plan:
        summary = "You have the basics covered. Re-check once a year."
    elif len(plan) <= 2:
        summary = (
            f"Good start. {len(plan)} step{'s' if len(plan) > 1 else ''} left; do step 1 today."
        )
    else:
        summary = f"{len(plan)} steps will make you much harder to hack. Start with step 1 today."
    return {"score": score, "summary": summary, "plan": plan, "done": done}


def render_plan(result: Mapping[str, Any]) -> str:
    lines = [f"Security checkup: {result['summary']}"]
    for step in result["plan"]:
        lines.append(f"\n{step['priority']}. {step['title']}")
        lines.append(f"   Why: {step['why']}")
        lines.extend(f"   - {h}" for h in step["how"])
    if result["done"]:
        lines.append("\nAlready done:")
        lines.extend(f"   + {d}" for d in result["done"])
    return "\n".join(lines)
