"""The one door (pillar 3): capabilities, policy, identities, screening, controls, decisions."""

from shieldwall.gateway.control import Approvals, KillSwitch, QuotaRule, Quotas
from shieldwall.gateway.door import Controls, Gateway, ScopeChecker, json_digest
from shieldwall.gateway.identity import Identities, OrgInfo, User
from shieldwall.gateway.mailer import Mailer, SmtpMailer
from shieldwall.gateway.policy import Policy, Rule
from shieldwall.gateway.principals import ApiKeyInfo, ApiKeys
from shieldwall.gateway.registry import CapabilityRegistry
from shieldwall.gateway.screening import Screener, Screening

__all__ = [
    "ApiKeyInfo",
    "ApiKeys",
    "Approvals",
    "CapabilityRegistry",
    "Controls",
    "Gateway",
    "Identities",
    "KillSwitch",
    "Mailer",
    "OrgInfo",
    "Policy",
    "QuotaRule",
    "Quotas",
    "Rule",
    "ScopeChecker",
    "Screener",
    "Screening",
    "SmtpMailer",
    "User",
    "json_digest",
]
