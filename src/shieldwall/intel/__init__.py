"""Intel (pillar 2, slice 1): a STIX 2.1 store, a TAXII 2.1 server and TLP 2.0 enforcement on
every read path."""

from shieldwall.intel.capabilities import intel_capabilities
from shieldwall.intel.store import (
    Collection,
    Cursor,
    IntelStore,
    Page,
    Query,
    check_object,
    format_timestamp,
    parse_timestamp,
)
from shieldwall.intel.tlp import (
    TLP1_IDS,
    TLP2_IDS,
    Tlp,
    check_marking_definition,
    effective_tlp,
    may_read,
    tlp_of_ref,
)

__all__ = [
    "TLP1_IDS",
    "TLP2_IDS",
    "Collection",
    "Cursor",
    "IntelStore",
    "Page",
    "Query",
    "Tlp",
    "check_marking_definition",
    "check_object",
    "effective_tlp",
    "format_timestamp",
    "intel_capabilities",
    "may_read",
    "parse_timestamp",
    "tlp_of_ref",
]
