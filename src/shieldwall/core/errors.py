"""The one error tree of Shieldwall.

Every error a user can see is a :class:`ShieldwallError`. It carries a stable ``code`` (dotted,
package first), a human ``message``, an optional ``location`` (file:line:col or a field path) and
a ``hint`` that says what to do. ``diagnostics()`` renders all of it for a person; the API maps
it to RFC 9457 problem+json in one handler and the CLI to an exit code in one place.

    ShieldwallError
    ├── InputError            bad input from the user: exit 2, HTTP 400/404/422
    │   ├── NotFoundError     a named thing does not exist: HTTP 404
    │   └── ParseError        untrusted text that does not parse (carries a location)
    ├── AuthError             unknown or revoked credentials: HTTP 401
    ├── DeniedError           the gateway refused the request: HTTP 403
    │   ├── HeldError         held for an approver: HTTP 202
    │   └── ThrottledError    over quota: HTTP 429
    ├── VerificationError     a signature, proof or checkpoint does not verify: exit 1
    ├── StoreError            the database cannot be used as it is: exit 3, HTTP 503
    ├── ProviderError         a model provider failed (timeouts, bad answers): HTTP 502
    └── InternalError         a bug: exit 3, HTTP 500

Adapters re-raise foreign exceptions as one of these ``from exc``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, ClassVar


class ExitCode(IntEnum):
    """The CLI's documented exit codes."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


@dataclass(eq=False)
class ShieldwallError(Exception):
    """Root of every error Shieldwall raises on purpose."""

    message: str
    code: str = "shieldwall.error"
    hint: str | None = None
    location: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    http_status: ClassVar[int] = 500
    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL
    title: ClassVar[str] = "Shieldwall error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message if self.location is None else f"{self.location}: {self.message}"

    def diagnostics(self) -> str:
        """What went wrong, where, and what to do, for a person to read."""
        lines = [f"error[{self.code}]: {self.message}"]
        if self.location:
            lines.append(f"  at: {self.location}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


@dataclass(eq=False)
class InputError(ShieldwallError):
    code: str = "input.invalid"
    http_status: ClassVar[int] = 400
    exit_code: ClassVar[ExitCode] = ExitCode.USAGE
    title: ClassVar[str] = "Invalid input"


@dataclass(eq=False)
class NotFoundError(InputError):
    code: str = "input.not_found"
    http_status: ClassVar[int] = 404
    title: ClassVar[str] = "Not found"


@dataclass(eq=False)
class ParseError(InputError):
    code: str = "input.parse"
    http_status: ClassVar[int] = 422
    title: ClassVar[str] = "Unparseable input"


@dataclass(eq=False)
class AuthError(ShieldwallError):
    code: str = "auth.invalid"
    http_status: ClassVar[int] = 401
    exit_code: ClassVar[ExitCode] = ExitCode.USAGE
    title: ClassVar[str] = "Not authenticated"


@dataclass(eq=False)
class DeniedError(ShieldwallError):
    code: str = "gateway.refused"
    http_status: ClassVar[int] = 403
    exit_code: ClassVar[ExitCode] = ExitCode.USAGE
    title: ClassVar[str] = "Refused by policy"


@dataclass(eq=False)
class HeldError(DeniedError):
    """Held for an approver: not refused, not run yet. The details carry the approval id."""

    code: str = "gateway.held"
    http_status: ClassVar[int] = 202
    title: ClassVar[str] = "Held for approval"


@dataclass(eq=False)
class ThrottledError(DeniedError):
    code: str = "gateway.throttled"
    http_status: ClassVar[int] = 429
    title: ClassVar[str] = "Over quota"


@dataclass(eq=False)
class VerificationError(ShieldwallError):
    code: str = "verify.failed"
    http_status: ClassVar[int] = 422
    exit_code: ClassVar[ExitCode] = ExitCode.FINDINGS
    title: ClassVar[str] = "Verification failed"


@dataclass(eq=False)
class StoreError(ShieldwallError):
    code: str = "store.unavailable"
    http_status: ClassVar[int] = 503
    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL
    title: ClassVar[str] = "Storage unavailable"


@dataclass(eq=False)
class ProviderError(ShieldwallError):
    code: str = "ai.provider"
    http_status: ClassVar[int] = 502
    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL
    title: ClassVar[str] = "Model provider failed"


@dataclass(eq=False)
class InternalError(ShieldwallError):
    code: str = "internal"
    title: ClassVar[str] = "Internal error"
