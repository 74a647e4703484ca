"""The relational schema, one SQLAlchemy ``MetaData`` for every package's tables.

Portable on purpose: the same tables run on SQLite (default) and PostgreSQL. Integer keys use
``BIGINT`` on PostgreSQL and ``INTEGER`` on SQLite, where only ``INTEGER PRIMARY KEY`` is the
fast rowid alias. Changes go through Alembic migrations in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

Id64 = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# -- ledger: an RFC 6962 Merkle log ---------------------------------------------------------
ledger_state = Table(
    "ledger_state",
    metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("tree_size", Id64, nullable=False),
)

ledger_entry = Table(
    "ledger_entry",
    metadata,
    Column("idx", Id64, primary_key=True, autoincrement=False),
    Column("body", LargeBinary, nullable=False),  # RFC 8785 canonical JSON
)

# Every perfect subtree's hash, keyed by (index << 6 | level): about 2 rows per entry.
ledger_node = Table(
    "ledger_node",
    metadata,
    Column("key", Id64, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

ledger_checkpoint = Table(
    "ledger_checkpoint",
    metadata,
    Column("tree_size", Id64, primary_key=True, autoincrement=False),
    Column("note", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- gateway: principals ---------------------------------------------------------------------
api_key = Table(
    "api_key",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("tier", SmallInteger, nullable=False),
    Column("secret_sha256", LargeBinary(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("user_id", String(32), nullable=True),  # migration 0002
    Column("org_id", String(32), nullable=True),  # migration 0002
)

# -- gateway: identities, organisations, control (migration 0002) ------------------------------
user = Table(
    "app_user",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=True),  # argon2id, never the password
    Column("email_verified_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    Column("vetted_at", DateTime(timezone=True), nullable=True),  # tier 3: invited, vouched
    Column("vetted_by", String(64), nullable=True),
    Column("hub_admin", Boolean, nullable=False, default=False),
)

email_token = Table(
    "email_token",
    metadata,
    Column("token_sha256", LargeBinary(32), primary_key=True),
    Column("user_id", String(32), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

org = Table(
    "org",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    Column("approved_by", String(64), nullable=True),
)

membership = Table(
    "membership",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("org_id", String(32), primary_key=True),
    Column("role", String(16), nullable=False),  # member | approver | admin
    Column("created_at", DateTime(timezone=True), nullable=False),
)

asset_claim = Table(
    "asset_claim",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", String(64), nullable=False),  # an org id or a principal id
    Column("kind", String(16), nullable=False),  # domain | ip_range
    Column("value", String(255), nullable=False),
    Column("method", String(16), nullable=False),  # dns | http | attestation
    Column("token", String(128), nullable=False),
    Column("account_id", String(64), nullable=False),  # the principal the token is bound to
    Column("status", String(16), nullable=False),  # pending | verified | failed | revoked
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("verified_at", DateTime(timezone=True), nullable=True),
    Column("checked_at", DateTime(timezone=True), nullable=True),
    Column("evidence_index", Id64, nullable=True),  # the ledger entry holding the evidence
)

approval = Table(
    "approval",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("capability", String(100), nullable=False),
    Column("principal", Text, nullable=False),  # JSON snapshot: id, kind, tier, org
    Column("request", Text, nullable=False),  # canonical JSON, needed to run it once approved
    Column("request_sha256", String(64), nullable=False),
    Column("decision_index", Id64, nullable=True),
    Column("status", String(16), nullable=False),  # pending | approved | rejected
    Column("approver", String(64), nullable=True),
    Column("reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("outcome_index", Id64, nullable=True),
)

disabled = Table(
    "disabled",
    metadata,
    Column("kind", String(16), primary_key=True),  # capability | principal
    Column("target", String(100), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("disabled_by", String(64), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=False),
)

# -- protect: brands an organisation registered (migration 0003) -----------------------------
protect_brand = Table(
    "protect_brand",
    metadata,
    Column("brand", String(200), primary_key=True),
    Column("domain", String(253), primary_key=True),  # ASCII (punycode), lower case
    Column("kind", String(16), primary_key=True),  # brand | shortener | freemail
    Column("added_by", String(64), nullable=False),  # the principal id
    Column("added_at", DateTime(timezone=True), nullable=False),
)

# -- vuln: a local copy of OSV advisories (migration 0004) ----------------------------------
vuln_advisory = Table(
    "vuln_advisory",
    metadata,
    Column("ecosystem", String(32), primary_key=True),  # the OSV export it came from
    Column("id", String(128), primary_key=True),
    Column("modified", String(40), nullable=False),
    Column("withdrawn", String(40), nullable=True),
    Column("raw", Text, nullable=False),  # the record as published (JSON)
)

vuln_package = Table(
    "vuln_package",
    metadata,
    Column("ecosystem", String(32), primary_key=True),
    Column("name", String(255), primary_key=True),  # normalized (PEP 503 for PyPI)
    Column("advisory_id", String(128), primary_key=True),
)

vuln_import = Table(
    "vuln_import",
    metadata,
    Column("ecosystem", String(32), primary_key=True),
    Column("source", Text, nullable=False),  # file name of the export
    Column("sha256", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("records", Integer, nullable=False),
    Column("withdrawn", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("failures", Text, nullable=False),  # JSON list of {"member", "reason"}
)

vuln_scan = Table(  # migration 0008: stored dependency scans and fix plans
    "vuln_scan",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False),  # the principal who ran it
    Column("owner_org", String(64), nullable=True),
    Column("kind", String(8), nullable=False),  # "scan" or "fix"
    Column("source", Text, nullable=False),
    Column("advisories", Text, nullable=False),  # which advisory source answered
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("dependencies", Integer, nullable=False),
    Column("vulnerable", Integer, nullable=False),
    Column("vulns", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("result", Text, nullable=False),  # the result's JSON
    Index("ix_vuln_scan_owner", "owner", "created_at"),
)

# -- intel: STIX 2.1 objects in TAXII collections (migration 0005) --------------------------
intel_collection = Table(
    "intel_collection",
    metadata,
    Column("id", String(64), primary_key=True),  # a UUID, the TAXII collection id
    Column("title", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False),
    Column("owner_org", String(64), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("tlp", SmallInteger, nullable=False),  # intel.tlp.Tlp: the default and the gate
    Column("last_added_us", Id64, nullable=False),  # the newest date_added, microseconds
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Every version of every object; date_added_us is strictly increasing per collection.
intel_object = Table(
    "intel_object",
    metadata,
    Column("collection_id", String(64), primary_key=True),
    Column("object_id", String(300), primary_key=True),
    Column("modified_us", Id64, primary_key=True),
    Column("date_added_us", Id64, nullable=False),
    Column("type", String(250), nullable=False),
    Column("spec_version", String(8), nullable=False),
    Column("owner_org", String(64), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("tlp", SmallInteger, nullable=False),
    Column("raw", Text, nullable=False),
    Index("ix_intel_object_added", "collection_id", "date_added_us", unique=True),
    Index("ix_intel_object_type", "collection_id", "type", "date_added_us"),
)

intel_status = Table(
    "intel_status",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("collection_id", String(64), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("body", Text, nullable=False),  # the TAXII status resource (JSON)
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- intel: sharing groups, addressing, search terms, sightings, sync state (migration 0006) ----
intel_group = Table(
    "intel_group",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("owner_org", String(64), nullable=True),  # None: the hub operator's
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

intel_group_member = Table(
    "intel_group_member",
    metadata,
    Column("group_id", String(64), primary_key=True),
    Column("org_id", String(64), primary_key=True),
    Column("can_write", Boolean, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

# Whom a collection addresses: kind "org" or "group" (TLP:AMBER), "person" (TLP:RED).
intel_share = Table(
    "intel_share",
    metadata,
    Column("collection_id", String(64), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("target", String(64), primary_key=True),
    Column("can_write", Boolean, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

# Search terms of stored objects: observable values of indicator patterns, ATT&CK ids.
intel_term = Table(
    "intel_term",
    metadata,
    Column("term", String(600), primary_key=True),
    Column("collection_id", String(64), primary_key=True),
    Column("object_id", String(300), primary_key=True),
)

intel_sighting = Table(
    "intel_sighting",
    metadata,
    Column("id", String(64), primary_key=True),  # sighting--<uuid>
    Column("collection_id", String(64), nullable=False),
    Column("indicator_id", String(300), nullable=False),
    Column("count", Integer, nullable=False),
    Column("first_seen_us", Id64, nullable=False),
    Column("last_seen_us", Id64, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("tlp", SmallInteger, nullable=False),
    Column("raw", Text, nullable=False),
    Index("ix_intel_sighting_indicator", "collection_id", "indicator_id"),
)

intel_sync = Table(
    "intel_sync",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of (url, remote collection, local)
    Column("url", Text, nullable=False),
    Column("remote_collection", String(200), nullable=False),
    Column("local_collection", String(64), nullable=False),
    Column("added_after", String(40), nullable=True),  # the peer's last X-TAXII-Date-Added-Last
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # pull: added_after is the peer's date added; push: our own (migration 0009)
    Column("direction", String(4), nullable=False, server_default="pull"),
)

# -- intel: the peers an operator allows, and each organisation's sanitize policy (0009) -----
intel_peer = Table(
    "intel_peer",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("api_root", String(2000), nullable=False, unique=True),  # normalized TAXII API root
    Column("can_pull", Boolean, nullable=False),
    Column("can_push", Boolean, nullable=False),
    Column("max_tlp", SmallInteger, nullable=False),  # the most a push may send it (Tlp)
    Column("added_by", String(64), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

intel_sanitize_policy = Table(
    "intel_sanitize_policy",
    metadata,
    Column("org_id", String(64), primary_key=True),  # "": the hub operator's
    Column("policy", Text, nullable=False),  # JSON
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# -- detect: runs, incidents with triage, alerts with evidence (migration 0007) --------------
detect_run = Table(
    "detect_run",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False),  # the principal who ran it
    Column("owner_org", String(64), nullable=True),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("paths", Text, nullable=False),  # JSON list
    Column("rules_loaded", Integer, nullable=False),
    Column("rules_failed", Integer, nullable=False),
    Column("events", Id64, nullable=False),
    Column("alerts", Id64, nullable=False),
    Column("incidents", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Index("ix_detect_run_owner", "owner", "started_at"),
)

# One row per (owner, incident id): the id is a digest of the alerts, so a rerun over the same
# logs updates the row (run_id = the last run that saw it) instead of adding a copy.
detect_incident = Table(
    "detect_incident",
    metadata,
    Column("owner", String(64), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("owner_org", String(64), nullable=True),
    Column("run_id", String(32), nullable=False),
    Column("title", String(500), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=True),
    Column("last_seen", DateTime(timezone=True), nullable=True),
    Column("level", SmallInteger, nullable=False),  # detect.alerts.Level
    Column("score", Integer, nullable=False),
    Column("priority", String(2), nullable=True),  # P1..P4
    Column("alert_count", Integer, nullable=False),
    Column("summary", Text, nullable=False),  # JSON: hosts, users, rules, techniques, tactics
    Column("triage", Text, nullable=True),  # JSON
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_detect_incident_rank", "score", "owner", "id"),
    Index("ix_detect_incident_run", "run_id"),
)

detect_incident_host = Table(
    "detect_incident_host",
    metadata,
    Column("owner", String(64), primary_key=True),
    Column("incident_id", String(40), primary_key=True),
    Column("host", String(255), primary_key=True),  # lower case
    Index("ix_detect_incident_host_host", "host"),
)

detect_incident_technique = Table(
    "detect_incident_technique",
    metadata,
    Column("owner", String(64), primary_key=True),
    Column("incident_id", String(40), primary_key=True),
    Column("technique", String(16), primary_key=True),  # T1003.001 (ATT&CK v19 id)
    Index("ix_detect_incident_technique_technique", "technique"),
)

detect_alert = Table(
    "detect_alert",
    metadata,
    Column("owner", String(64), primary_key=True),
    Column("incident_id", String(40), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("rule_id", String(200), nullable=False),
    Column("level", SmallInteger, nullable=False),
    Column("timestamp", DateTime(timezone=True), nullable=True),
    Column("host", String(255), nullable=True),
    Column("body", Text, nullable=False),  # the alert's JSON, evidence included
)
