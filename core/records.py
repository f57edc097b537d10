"""Validated input records, the hand-off between ingest's parsers and core's services.

The parsers in ``ingest`` turn untrusted input (form fields, JSON, CSV lines)
into these objects or into field errors; services in ``core`` only ever see
records that passed validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# field name -> human-readable message, the shape of every validation error we return.
FieldErrors = dict[str, str]


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is, or ``None``.

    The one check of every free text that reaches the database, whoever sent it
    (a log record, a report, a follow-up message, an analyst's note): NUL and
    unpaired surrogates are refused, not cleaned. PostgreSQL stores neither, a
    surrogate cannot be encoded as UTF-8 at all, and quietly changing the text
    would change its content hash and what analysts see.
    """
    if "\x00" in text:
        return "must not contain NUL characters (\\u0000)"
    if text.isascii():  # cannot hold a surrogate; isascii is a flag check, encode a copy
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"must be valid Unicode; contains an unpaired surrogate (\\u{ord(text[exc.start]):04x})"
        )
    return None


def text_errors(fields: Mapping[str, object]) -> FieldErrors:
    """``text_problem`` of each text in ``fields`` as sentence-style field errors
    (non-text values are left to the caller's own checks)."""
    errors: FieldErrors = {}
    for name, value in fields.items():
        if isinstance(value, str) and (problem := text_problem(value)):
            errors[name] = problem[0].upper() + problem[1:] + "."
    return errors


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
    # The output caused or could cause a serious incident (EU AI Act): first in triage.
    serious_incident: bool = False
    external_id: str | None = None  # a trusted flagger's own reference, bulk only

    @property
    def is_whistleblower(self) -> bool:
        return self.reporter_type == "whistleblower"
