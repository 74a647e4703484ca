"""Tools are capabilities: the agent's tool list is generated from the capability declarations.

Each registered capability that the allow-list names becomes a :class:`ToolDefinition`: its
JSON Schema is the capability's pydantic ``input_model`` schema, its description the
capability's. From there :meth:`ToolDefinition.to_openai` gives the OpenAI tool-calling format
and :meth:`ToolDefinition.to_neutral` a provider-neutral one (MCP-style ``inputSchema``), so
every provider gets the same tools, and a capability added to the registry is a tool the next
time an investigation starts.

Two lists, both globs over capability ids (policy data, like the gateway's):

- ``read``: what the agent may call directly. Read-only lookups only: a capability that
  ``writes``, carries secrets (``secret_fields``) or ``touches_external`` assets is never a read
  tool, whatever the list says.
- ``propose``: what the agent may *propose*. A proposal is submitted to the gateway's approval
  queue (capability ``agent.propose``, which policy holds) and runs only when a person approves,
  as the principal who asked, through the door again.

The allow-list is the agent's ceiling, not its authority: every call still goes through
``door.invoke(capability, request, principal)``, which decides by the principal's tier and scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any, Final, Protocol

from shieldwall.ai.provider import ToolSpec
from shieldwall.core.types import Capability

#: Read-only lookups the agent may call by default. Names of capabilities other packages are
#: adding are listed too: whichever subset is registered is what the agent gets.
DEFAULT_READ_TOOLS: Final[tuple[str, ...]] = (
    "detect.incidents.list",
    "detect.incidents.get",
    "detect.events.query",
    "detect.events",
    "detect.alerts.*",
    "protect.url",
    "protect.message",
    "protect.email",
    "protect.check.*",
    "intel.collections",
    "intel.collection",
    "intel.objects",
    "intel.lookup",
    "intel.search",
    "intel.*.lookup",
    "intel.*.search",
    "intel.indicators.get",
    "intel.sightings",
    "intel.sightings.list",
    "intel.attack.*",
    "vuln.db.status",
    "vuln.scan",
    "vuln.lookup",
    "vuln.*.lookup",
    "vuln.advisories.*",
    "ledger.entry",
    "ledger.entries",
    "ledger.checkpoint",
    "ledger.prove",
)

#: What the agent may propose for a person to approve.
DEFAULT_PROPOSALS: Final[tuple[str, ...]] = (
    "intel.objects.add",
    "intel.sighting.record",
    "intel.sightings.add",
    "gateway.disable",
    "*.block",
    "*.block.*",
    "*.quarantine",
    "*.quarantine.*",
)

#: The meta-tool through which a model proposes an action.
PROPOSE_TOOL: Final = "propose_action"
_BAD_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")


class CapabilityCatalog(Protocol):
    """The registry listing the agent reads (``gateway.CapabilityRegistry`` is one)."""

    def __iter__(self) -> Iterator[Capability[Any]]: ...

    def get(self, capability_id: str) -> Capability[Any] | None: ...


class ToolKind(StrEnum):
    READ = "read"
    PROPOSE = "propose"


def _matches(capability_id: str, globs: Iterable[str]) -> bool:
    return any(fnmatchcase(capability_id, g) for g in globs)


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolPolicy:
    """Which capabilities the agent may call (``read``) or propose (``propose``). ``only``, when
    set, narrows both further (a caller may narrow the lists, never widen them)."""

    read: tuple[str, ...] = DEFAULT_READ_TOOLS
    propose: tuple[str, ...] = DEFAULT_PROPOSALS
    only: tuple[str, ...] | None = None

    def narrowed(self, only: Sequence[str] | None) -> ToolPolicy:
        if not only:
            return self
        mine = tuple(only) if self.only is None else tuple(g for g in only if g in self.only)
        return ToolPolicy(read=self.read, propose=self.propose, only=mine)

    def _kept(self, capability_id: str) -> bool:
        return self.only is None or _matches(capability_id, self.only)

    def may_read(self, cap: Capability[Any]) -> bool:
        return (
            not cap.writes
            and not cap.secret_fields
            and not cap.touches_external
            and _matches(cap.id, self.read)
            and self._kept(cap.id)
        )

    def may_propose(self, cap: Capability[Any]) -> bool:
        return not cap.secret_fields and _matches(cap.id, self.propose) and self._kept(cap.id)


def tool_name(capability_id: str) -> str:
    """The OpenAI-safe tool name of a capability: ``detect.incidents.get`` ->
    ``detect_incidents_get`` (names allow only ``[A-Za-z0-9_-]{1,64}``)."""
    return _BAD_NAME_CHARS.sub("_", capability_id)[:64] or "tool"


def input_schema(cap: Capability[Any]) -> dict[str, Any]:
    """The JSON Schema of a capability's input, as a tool's parameters."""
    schema = dict(cap.input_model.model_json_schema())
    schema.pop("title", None)
    schema.setdefault("type", "object")
    schema.setdefault("properties", {})
    return schema


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolDefinition:
    name: str
    capability: str
    description: str
    parameters: Mapping[str, Any]
    min_tier: int
    kind: ToolKind = ToolKind.READ

    def spec(self) -> ToolSpec:
        return ToolSpec(name=self.name, description=self.description, parameters=self.parameters)

    def to_openai(self) -> dict[str, Any]:
        """The chat-completions ``tools`` entry."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters),
            },
        }

    def to_neutral(self) -> dict[str, Any]:
        """A provider-neutral form (the shape MCP uses), plus what Shieldwall knows of it."""
        return {
            "name": self.name,
            "description": self.description,
            "inputSchema": dict(self.parameters),
            "capability": self.capability,
            "min_tier": self.min_tier,
            "kind": str(self.kind),
        }


def _describe(cap: Capability[Any]) -> str:
    return (
        f"{cap.description.strip()} (Shieldwall capability {cap.id}; declared for tier "
        f"{int(cap.min_tier)} and up; runs with the investigator's rights, and the gateway may "
        "refuse it.)"
    )


def _propose_tool(capabilities: Sequence[str]) -> ToolDefinition:
    return ToolDefinition(
        name=PROPOSE_TOOL,
        capability="agent.propose",
        description=(
            "Propose an action that changes something (share intel, block, disable). It is NOT "
            "executed: it goes to the approval queue, and runs only if a person approves it, "
            "with the investigator's rights. Propose only what the evidence supports."
        ),
        parameters={
            "type": "object",
            "properties": {
                "capability": {"type": "string", "enum": list(capabilities)},
                "request": {
                    "type": "object",
                    "description": "The capability's input, as its schema in "
                    "`shieldwall gateway capabilities` describes it.",
                },
                "rationale": {"type": "string", "maxLength": 2000},
            },
            "required": ["capability", "request", "rationale"],
            "additionalProperties": False,
        },
        min_tier=1,
        kind=ToolKind.PROPOSE,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Toolbox:
    """The tools of one investigation, fixed when it starts."""

    tools: tuple[ToolDefinition, ...] = ()
    #: Capabilities that may be proposed (empty: no ``propose_action`` tool is offered).
    proposable: tuple[str, ...] = ()
    _by_name: dict[str, ToolDefinition] = field(default_factory=dict, init=False, repr=False)
    _by_capability: dict[str, ToolDefinition] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for tool in self.all():
            self._by_name[tool.name] = tool
            self._by_capability.setdefault(tool.capability, tool)

    def all(self) -> tuple[ToolDefinition, ...]:
        if not self.proposable:
            return self.tools
        return (*self.tools, _propose_tool(self.proposable))

    def by_name(self, name: str) -> ToolDefinition | None:
        return self._by_name.get(name)

    def for_capability(self, capability_id: str) -> ToolDefinition | None:
        tool = self._by_capability.get(capability_id)
        return tool if tool is not None and tool.kind is ToolKind.READ else None

    def has(self, capability_id: str) -> bool:
        return self.for_capability(capability_id) is not None

    def first(self, *globs: str) -> ToolDefinition | None:
        """The first read tool whose capability matches one of ``globs``, in glob order."""
        for glob in globs:
            for tool in self.tools:
                if fnmatchcase(tool.capability, glob):
                    return tool
        return None

    def specs(self, names: Iterable[str] | None = None) -> list[ToolSpec]:
        wanted = None if names is None else set(names)
        return [t.spec() for t in self.all() if wanted is None or t.name in wanted]


def build_toolbox(catalog: CapabilityCatalog, policy: ToolPolicy) -> Toolbox:
    """The tools ``policy`` allows among what ``catalog`` registers now."""
    tools: list[ToolDefinition] = []
    names: set[str] = {PROPOSE_TOOL}
    proposable: list[str] = []
    for cap in sorted(catalog, key=lambda c: c.id):
        if policy.may_read(cap):
            name = tool_name(cap.id)
            n = 2
            while name in names:  # two ids that differ only in punctuation
                name = f"{tool_name(cap.id)[:60]}_{n}"
                n += 1
            names.add(name)
            tools.append(
                ToolDefinition(
                    name=name,
                    capability=cap.id,
                    description=_describe(cap),
                    parameters=input_schema(cap),
                    min_tier=int(cap.min_tier),
                )
            )
        elif policy.may_propose(cap):
            proposable.append(cap.id)
    return Toolbox(tools=tuple(tools), proposable=tuple(proposable))


# -- binding arguments from a schema (the local planner's way of calling unknown tools) ---------

#: Concept -> the property names a capability might give it, most specific first.
SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    "incident_id": ("incident_id", "incident", "id"),
    "url": ("url", "link", "indicator", "value", "query", "q"),
    "text": ("text", "message", "body", "content"),
    "raw": ("raw", "eml", "email", "message"),
    "indicator": ("indicator", "value", "query", "q", "ioc", "term", "search"),
    "technique": ("technique", "technique_id", "attack_id", "external_id", "id", "query", "q"),
    "tags": ("tags",),
    "cve": ("cve", "alias", "vulnerability", "id", "query", "q"),
    "host": ("host", "hostname", "computer"),
    "user": ("user", "username", "account"),
    "since": ("since", "start", "from", "after", "first_seen"),
    "until": ("until", "end", "to", "before", "last_seen"),
    "limit": ("limit", "max", "max_events", "size"),
    "paths": ("paths",),
    "collection": ("collection",),
    "match_type": ("match_type",),
    "root": ("root", "roots"),
    "files": ("files",),
}

_JSON_TYPES: Final[Mapping[str, tuple[type, ...]]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
}


def _types_of(prop: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    if isinstance(prop.get("type"), str):
        found.add(prop["type"])
    for option in prop.get("anyOf", ()) or ():
        if isinstance(option, Mapping) and isinstance(option.get("type"), str):
            found.add(option["type"])
    return found


def _fit(prop: Mapping[str, Any], value: Any) -> Any | None:
    """``value`` shaped for ``prop`` (a list for an array of strings), or None if it cannot."""
    types = _types_of(prop)
    if not types:
        return value
    if "array" in types and not isinstance(value, list | tuple):
        return [value]
    for name in types:
        accepted = _JSON_TYPES.get(name, ())
        if isinstance(value, accepted) and not (name == "integer" and isinstance(value, bool)):
            return list(value) if isinstance(value, tuple) else value
    if "string" in types and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def bind_arguments(schema: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any] | None:
    """Arguments for a tool whose schema is ``schema``, from ``values`` keyed by concept (see
    :data:`SYNONYMS`). None when a required property cannot be filled: the caller then reports
    that check as not done rather than guessing."""
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return None
    args: dict[str, Any] = {}
    for concept, value in values.items():
        if value is None:
            continue
        for name in SYNONYMS.get(concept, (concept,)):
            prop = props.get(name)
            if name in args or not isinstance(prop, Mapping):
                continue
            fitted = _fit(prop, value)
            if fitted is not None:
                args[name] = fitted
                break
    required = schema.get("required", ())
    if not isinstance(required, list | tuple):
        return None
    if any(r not in args for r in required):
        return None
    return args
