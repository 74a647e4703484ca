"""The investigation agent: it works a case end to end, and every tool call it makes is a
capability invocation through the one door, for the principal who asked.

Tools are capabilities (:mod:`.tools`); the local provider runs a deterministic playbook
(:mod:`.planner`), a model provider a plan-then-act loop (:mod:`.model`); untrusted content is
fenced as data (:mod:`.fence`); the transcript is evidence in the ledger (:mod:`.transcript`).
``runtime.py`` registers :func:`agent_capabilities`.
"""

from shieldwall.ai.agent.capabilities import (
    AgentService,
    InvestigateRequest,
    ProposeRequest,
    TurnRequest,
    agent_capabilities,
)
from shieldwall.ai.agent.engine import Budget, Case, EvidenceText, Investigation
from shieldwall.ai.agent.fence import DataFence, injection_signals
from shieldwall.ai.agent.indicators import Indicator, IndicatorKind, Indicators, extract
from shieldwall.ai.agent.progress import (
    CollectingSink,
    EventKind,
    ProgressEvent,
    ProgressSink,
    progress_sink,
)
from shieldwall.ai.agent.report import render_text
from shieldwall.ai.agent.tools import (
    DEFAULT_PROPOSALS,
    DEFAULT_READ_TOOLS,
    PROPOSE_TOOL,
    CapabilityCatalog,
    Toolbox,
    ToolDefinition,
    ToolPolicy,
    build_toolbox,
    tool_name,
)

__all__ = [
    "DEFAULT_PROPOSALS",
    "DEFAULT_READ_TOOLS",
    "PROPOSE_TOOL",
    "AgentService",
    "Budget",
    "CapabilityCatalog",
    "Case",
    "CollectingSink",
    "DataFence",
    "EventKind",
    "EvidenceText",
    "Indicator",
    "IndicatorKind",
    "Indicators",
    "InvestigateRequest",
    "Investigation",
    "ProgressEvent",
    "ProgressSink",
    "ProposeRequest",
    "ToolDefinition",
    "ToolPolicy",
    "Toolbox",
    "TurnRequest",
    "agent_capabilities",
    "build_toolbox",
    "extract",
    "injection_signals",
    "progress_sink",
    "render_text",
    "tool_name",
]
