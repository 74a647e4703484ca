"""Sending mail (e-mail verification) through a configured SMTP server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Protocol

from shieldwall.core.errors import ShieldwallError


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int = 25,
        sender: str,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._starttls, self._username, self._password = starttls, username, password
        self._timeout = timeout

    def send(self, *, to: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self._sender, to, subject
        msg.set_content(body)
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if self._starttls:
                    smtp.starttls()
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise ShieldwallError(
                f"could not send mail through {self._host}:{self._port}: {exc}",
                code="gateway.mail_failed",
                hint="Check SHIELDWALL_SMTP_HOST, SHIELDWALL_SMTP_PORT and the server's logs.",
            ) from exc
