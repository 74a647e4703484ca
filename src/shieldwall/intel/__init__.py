"""Intel (pillar 2): a STIX 2.1 store, a TAXII 2.1 server and client, TLP 2.0 and sharing
groups enforced on every read path, sightings and ATT&CK reference collections."""

from shieldwall.intel.capabilities import intel_capabilities
from shieldwall.intel.pattern import Comparison, parse_pattern
from shieldwall.intel.sharing import Group, Sharing
from shieldwall.intel.store import (
    Collection,
    Cursor,
    IntelStore,
    Page,
    Query,
)
from shieldwall.intel.tlp import (
    TLP1_IDS,
    TLP2_IDS,
    Audience,
    Tlp,
    check_marking_definition,
    effective_tlp,
    may_read,
    readable_levels,
    tlp_of_ref,
)
from shieldwall.intel.validate import check_object, format_timestamp, parse_timestamp

__all__ = [
    "TLP1_IDS",
    "TLP2_IDS",
    "Audience",
    "Collection",
    "Comparison",
    "Cursor",
    "Group",
    "IntelStore",
    "Page",
    "Query",
    "Sharing",
    "Tlp",
    "check_marking_definition",
    "check_object",
    "effective_tlp",
    "format_timestamp",
    "intel_capabilities",
    "may_read",
    "parse_pattern",
    "parse_timestamp",
    "readable_levels",
    "tlp_of_ref",
]
