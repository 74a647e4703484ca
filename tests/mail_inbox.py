"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, as parsed mail.
Used through the ``smtp`` fixture of tests/conftest.py."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.mail: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mail.append(cast(EmailMessage, parsed))
        return "250 OK"

    def last_body(self) -> str:
        """The newest mail's text as its reader sees it (the transfer encoding undone)."""
        return str(self.mail[-1].get_content())


@contextmanager
def serve_inbox() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()
