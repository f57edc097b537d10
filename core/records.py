"""Validated input records, the hand-off between ingest's parsers and core's services.

The parsers in ``ingest`` turn untrusted input (form fields, JSON, CSV lines)
into these objects or into field errors; services in ``core`` only ever see
records that passed validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# field name -> human-readable message, the shape of every validation error we return.
FieldErrors = dict[str, str]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str  # system | user | assistant | tool
    content: str


@dataclass(frozen=True, slots=True)
class LogRecordIn:
    """One prompt/response record from a deployer's production traffic."""

    external_id: str
    timestamp: datetime  # timezone-aware, UTC
    response: str
    model: str | None = None
    account_id: str | None = None
    prompt: str | None = None
    messages: tuple[ChatMessage, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    moderation_flags: dict[str, Any] = field(default_factory=dict)

    @property
    def prompt_text(self) -> str | None:
        """The prompt as one text: ``prompt`` or the user turns of ``messages``."""
        if self.prompt:
            return self.prompt
        user_turns = [m.content for m in self.messages if m.role == "user" and m.content]
        return "\n".join(user_turns) or None


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A record that failed validation: where it was and what was wrong."""

    index: int  # 0-based position in the batch, or 1-based line number for files
    external_id: str | None
    errors: FieldErrors


@dataclass(frozen=True, slots=True)
class ReportIn:
    """A validated report of a harmful output (web form, JSON API or bulk)."""

    reporter_type: str
    category: str
    output: str
    explanation: str
    accuracy_confirmed: bool
    provider: str | None = None
    model_name: str | None = None
    model_version: str | None = None
    product_url: str | None = None
    prompt: str | None = None
    occurred_at: datetime | None = None
    published_url: str | None = None
    contact_email: str | None = None
    external_id: str | None = None  # a trusted flagger's own reference, bulk only

    @property
    def is_whistleblower(self) -> bool:
        return self.reporter_type == "whistleblower"
