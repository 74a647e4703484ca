"""Domain values shared by every package. Plain frozen dataclasses; no I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, Generic, NewType, TypeAlias, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

PrincipalId = NewType("PrincipalId", str)
OrgId = NewType("OrgId", str)
CapabilityId = NewType("CapabilityId", str)
AssetId = NewType("AssetId", str)

JSONScalar: TypeAlias = str | int | float | bool | None
JSONValue: TypeAlias = JSONScalar | Sequence["JSONValue"] | Mapping[str, "JSONValue"]


class Tier(IntEnum):
    """Trust tiers (DESIGN.md). What each unlocks is policy data, not code."""

    PUBLIC = 0
    VERIFIED_INDIVIDUAL = 1
    VERIFIED_ORG = 2
    VETTED_DEFENDER = 3


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"
    OWNER = "owner"  # the local user of the CLI, on their own machine
    API_KEY = "api_key"


class Severity(StrEnum):
    INFORMATIONAL = "informational"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class DecisionKind(StrEnum):
    ALLOW = "allow"
    DOWNGRADE = "downgrade"
    HOLD = "hold"
    THROTTLE = "throttle"
    REFUSE = "refuse"


class AuditMode(StrEnum):
    """What of a capability's use goes into the ledger.

    FULL records every decision and every outcome. REFUSALS records only refusals; it exists for
    reads of public, append-only data (the ledger itself), where recording each read would make
    the log grow with every monitor's poll, which RFC 9162 logs also avoid.
    """

    FULL = "full"
    REFUSALS = "refusals"


@dataclass(frozen=True, slots=True, kw_only=True)
class Org:
    id: OrgId
    name: str
    domains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """Who asks. Authenticated at the edge (CLI: local owner; API: key), checked at the door."""

    id: PrincipalId
    kind: PrincipalKind
    tier: Tier
    name: str = ""
    org: OrgId | None = None
    user: str | None = None  # the account behind a key, when there is one


ANONYMOUS = Principal(
    id=PrincipalId("anonymous"), kind=PrincipalKind.ANONYMOUS, tier=Tier.PUBLIC, name="anonymous"
)
LOCAL_OWNER = Principal(
    id=PrincipalId("owner:local"),
    kind=PrincipalKind.OWNER,
    tier=Tier.VETTED_DEFENDER,
    name="local owner",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Asset:
    """Something a principal may prove it owns: a domain, an IP range, a repository."""

    id: AssetId
    kind: str
    value: str
    owner: OrgId | PrincipalId
    verified_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """A pointer back to what supports a claim: a file and a place in it, or a ledger entry."""

    source: str
    location: str = ""
    excerpt: str = ""
    sha256: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """A machine-readable reason for a decision, with words for a person."""

    code: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    kind: DecisionKind
    reasons: tuple[Reason, ...]
    downgraded_to: CapabilityId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InvocationContext:
    """What a handler knows about the call it serves."""

    principal: Principal
    capability: CapabilityId
    decision: Decision
    decision_index: int | None
    now: datetime


M = TypeVar("M", bound="BaseModel")
Handler: TypeAlias = Callable[[M, InvocationContext], Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Capability(Generic[M]):
    """A declaration of something a user can do, and the plain function that does it.

    Nothing calls ``handler`` directly: ``gateway.invoke`` does, after deciding.
    """

    id: CapabilityId
    description: str
    min_tier: Tier
    input_model: type[M]
    handler: Handler[M] = field(repr=False)
    touches_external: bool = False
    writes: bool = False
    free_text_fields: tuple[str, ...] = ()
    target_field: str | None = None  # the input field naming the asset it touches, if any
    # Fields left out of the request digest (passwords): a digest of a guessable secret next
    # to the account it belongs to would be an unsalted password hash in a public log.
    secret_fields: tuple[str, ...] = ()
    audit: AuditMode = AuditMode.FULL
