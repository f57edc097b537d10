"""What every area's queries build on: a timestamp as ISO text or as seconds since the
epoch, the UTC day of a timestamp on either backend, date-range clauses, cut snippets
of stored texts, the e-mail addresses of a few users, and ids looked up in a sorted
id column."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Float, Integer, cast, extract, func, literal_column, select
from sqlalchemy.orm import Session

from core.models import TextBlob, User

SNIPPET_CHARS = 160


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lookup_sorted(sorted_ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``wanted`` ids in ``sorted_ids`` and whether each is there."""
    wanted = np.asarray(wanted, dtype=np.int64)
    if not len(sorted_ids):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    return at, sorted_ids[at] == wanted


def epoch_seconds(column: Any, dialect: str) -> Any:
    """A stored UTC time as float seconds since the epoch, computed by the database:
    converting a million datetimes in Python costs seconds."""
    if dialect == "postgresql":
        return cast(extract("epoch", column), Float)
    # SQLAlchemy stores 'YYYY-MM-DD HH:MM:SS.ffffff' on SQLite.
    return cast(func.strftime("%s", column), Integer) + cast(func.substr(column, 20), Float)


def utc_day(session: Session, column: Any) -> ColumnElement[str]:
    """The UTC calendar day of a timestamp as 'YYYY-MM-DD', on either backend.

    Constants are literal SQL rather than bound parameters: PostgreSQL compares a
    GROUP BY expression with the SELECT one textually, and two bound parameters
    ($1, $3) would make them differ.
    """
    if _is_postgresql(session):
        return func.to_char(
            func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM-DD'")
        )
    # SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS...' text.
    return func.substr(column, 1, 10)


def snippet_column(column: Any, chars: int = SNIPPET_CHARS) -> ColumnElement[str]:
    # One character more than shown, so that cut_at_word can tell a cut text.
    return func.substr(column, 1, chars + 1)


def cut_at_word(text: str | None, chars: int = SNIPPET_CHARS) -> str:
    """At most ``chars`` characters, cut after a whole word and marked with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= chars:
        return text
    head = text[:chars]
    space = head.rfind(" ")
    if space > chars // 2:
        head = head[:space]
    return head.rstrip(" ,.;:-") + "…"


def in_range(column: Any, start: datetime | None, end: datetime | None) -> list[Any]:
    clauses: list[Any] = []
    if start is not None:
        clauses.append(column >= start)
    if end is not None:
        clauses.append(column < end)
    return clauses


def overlaps(
    first: Any, last: Any, start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    """[first, last] meets [start, end)."""
    clauses: list[ColumnElement[bool]] = []
    if start is not None:
        clauses.append(last >= start)
    if end is not None:
        clauses.append(first < end)
    return clauses


def user_emails(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.email).where(User.id.in_(wanted)))
    return {user_id: email for user_id, email in rows}


def text_snippets(
    session: Session, text_ids: Iterable[int], chars: int = SNIPPET_CHARS
) -> dict[int, str]:
    wanted = sorted(set(text_ids))
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(TextBlob.id, snippet_column(TextBlob.masked_text, chars)).where(
                TextBlob.id.in_(chunk)
            )
        )
        out.update({text_id: cut_at_word(snippet, chars) for text_id, snippet in rows})
    return out
