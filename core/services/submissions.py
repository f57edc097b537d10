"""One-time tokens of the public forms: a reload, a back-and-resend or a double click
stores a report, an appeal or a message once.

Each form carries a fresh random token. Its keyed hash is written with what the
form created, in the same transaction; a second use finds it and points at the
first result instead of creating another.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.exceptions import Conflict, ValidationFailed
from core.models import FormSubmission
from core.secrets import keyed_hash

KINDS = ("report", "appeal", "message")
FIELD = "submission"
MISSING = "This form has expired or was not sent from our page. Reload it and send it again."


class AlreadySent(Conflict):
    """The form's token was used before: ``subject_id`` is what that first use made."""

    def __init__(self, kind: str, subject_id: int):
        super().__init__(f"This {kind} was sent already.")
        self.kind = kind
        self.subject_id = subject_id


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(secret_key: str, token: str | None) -> str:
    """The stored form of a form's token; a missing or malformed one is refused."""
    token = (token or "").strip()
    if not 16 <= len(token) <= 100:
        raise ValidationFailed({FIELD: MISSING})
    return keyed_hash(secret_key, "form-token", token)


def used_for(session: Session, kind: str, hashed: str) -> int | None:
    """What this token created before (the report, appeal or message id), if anything."""
    return session.execute(
        select(FormSubmission.subject_id).where(
            FormSubmission.token_hash == hashed, FormSubmission.kind == kind
        )
    ).scalar_one_or_none()


def refuse_reuse(session: Session, kind: str, hashed: str | None) -> None:
    """Raise AlreadySent when this token made something before."""
    if hashed is None:
        return
    prior = used_for(session, kind, hashed)
    if prior is not None:
        raise AlreadySent(kind, prior)


def claim_and_commit(session: Session, kind: str, hashed: str | None, subject_id: int) -> None:
    """Record the token next to what it created and commit both, or neither.

    Two requests with one token can both pass ``refuse_reuse``; the primary key
    lets one commit and turns the other into AlreadySent, with nothing of it kept.
    """
    try:
        if hashed is not None:
            session.add(FormSubmission(token_hash=hashed, kind=kind, subject_id=subject_id))
        session.commit()
    except IntegrityError:
        session.rollback()
        if hashed is not None:
            prior = used_for(session, kind, hashed)
            if prior is not None:
                raise AlreadySent(kind, prior) from None
        raise
