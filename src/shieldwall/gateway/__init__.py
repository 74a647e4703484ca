"""The one door (pillar 3): capabilities, policy, principals, screening, decisions."""

from shieldwall.gateway.capabilities import gateway_capabilities
from shieldwall.gateway.door import Gateway, json_digest
from shieldwall.gateway.policy import Policy, Rule
from shieldwall.gateway.principals import ApiKeyInfo, ApiKeys
from shieldwall.gateway.registry import CapabilityRegistry
from shieldwall.gateway.screening import Screener, Screening

__all__ = [
    "ApiKeyInfo",
    "ApiKeys",
    "CapabilityRegistry",
    "Gateway",
    "Policy",
    "Rule",
    "Screener",
    "Screening",
    "gateway_capabilities",
    "json_digest",
]
