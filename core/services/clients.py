"""Deployers, trusted flaggers and their API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from core.exceptions import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from core.models import ApiKey, Deployer, TrustedFlagger
from core.models.base import utcnow
from core.secrets import api_key_hash, new_api_key
from core.services import audit
from core.services.sanctions import blocking_sanction
from core.taxonomy import API_KEY_SCOPES

DEFAULT_DEPLOYER_SCOPES = ("logs:write", "sanctions:read")
DEFAULT_FLAGGER_SCOPES = ("reports:write",)
# last_used_at is a hint for people, not an audit trail: write it at most this often
# so that a busy key does not turn every request into an extra UPDATE.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    id: int
    key: str  # shown once
    prefix: str
    owner: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class KeyPrincipal:
    """Who is calling with a valid key."""

    key_id: int
    prefix: str
    scopes: tuple[str, ...]
    deployer_id: int | None
    deployer_name: str | None
    flagger_id: int | None
    flagger_name: str | None

    @property
    def owner(self) -> str:
        return self.deployer_name or self.flagger_name or "?"


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed({"name": "Must be 1 to 100 characters."})
    return name


def _check_scopes(scopes: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in scopes if s not in API_KEY_SCOPES]
    if unknown or not scopes:
        raise ValidationFailed({"scope": "Must be one or more of: " + ", ".join(API_KEY_SCOPES)})
    return tuple(dict.fromkeys(scopes))


def create_deployer(
    session: Session, name: str, *, retention_days: int, secret_key: str, actor: str
) -> tuple[Deployer, IssuedKey]:
    name = _check_name(name)
    if retention_days < 1:
        raise ValidationFailed({"retention_days": "Must be at least 1 day."})
    if session.execute(select(Deployer.id).where(Deployer.name == name)).first():
        raise Conflict(f"a deployer named {name!r} exists already")
    deployer = Deployer(name=name, retention_days=retention_days)
    session.add(deployer)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="deployer.create",
        subject_type="deployer",
        subject_id=deployer.id,
        after={"name": name, "retention_days": retention_days},
    )
    issued = _issue_key(
        session,
        name="default",
        scopes=DEFAULT_DEPLOYER_SCOPES,
        deployer=deployer,
        flagger=None,
        secret_key=secret_key,
        actor=actor,
    )
    session.commit()
    return deployer, issued


def create_flagger(
    session: Session, name: str, *, secret_key: str, actor: str
) -> tuple[TrustedFlagger, IssuedKey]:
    name = _check_name(name)
    if session.execute(select(TrustedFlagger.id).where(TrustedFlagger.name == name)).first():
        raise Conflict(f"a trusted flagger named {name!r} exists already")
    flagger = TrustedFlagger(name=name)
    session.add(flagger)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="flagger.create",
        subject_type="trusted_flagger",
        subject_id=flagger.id,
        after={"name": name},
    )
    issued = _issue_key(
        session,
        name="default",
        scopes=DEFAULT_FLAGGER_SCOPES,
        deployer=None,
        flagger=flagger,
        secret_key=secret_key,
        actor=actor,
    )
    session.commit()
    return flagger, issued


def _issue_key(
    session: Session,
    *,
    name: str,
    scopes: tuple[str, ...],
    deployer: Deployer | None,
    flagger: TrustedFlagger | None,
    secret_key: str,
    actor: str,
) -> IssuedKey:
    scopes = _check_scopes(scopes)
    key, prefix = new_api_key()
    row = ApiKey(
        prefix=prefix,
        key_hash=api_key_hash(secret_key, key),
        name=name[:100],
        scopes=list(scopes),
        deployer=deployer,
        flagger=flagger,
    )
    session.add(row)
    session.flush()
    owner = deployer.name if deployer else flagger.name if flagger else "?"
    audit.record(
        session,
        actor=actor,
        action="key.create",
        subject_type="api_key",
        subject_id=row.id,
        after={"prefix": prefix, "owner": owner, "name": row.name, "scopes": list(scopes)},
    )
    return IssuedKey(id=row.id, key=key, prefix=prefix, owner=owner, scopes=scopes)


def create_key(
    session: Session, *, owner: str, name: str, scopes: tuple[str, ...], secret_key: str, actor: str
) -> IssuedKey:
    """A new key for the deployer or trusted flagger called ``owner``."""
    deployer = session.execute(select(Deployer).where(Deployer.name == owner)).scalar_one_or_none()
    flagger = None
    if deployer is None:
        flagger = session.execute(
            select(TrustedFlagger).where(TrustedFlagger.name == owner)
        ).scalar_one_or_none()
        if flagger is None:
            raise NotFound(f"no deployer or trusted flagger is called {owner!r}")
    issued = _issue_key(
        session,
        name=name,
        scopes=scopes,
        deployer=deployer,
        flagger=flagger,
        secret_key=secret_key,
        actor=actor,
    )
    session.commit()
    return issued


def list_keys(session: Session, owner: str | None = None) -> list[ApiKey]:
    stmt = (
        select(ApiKey)
        .options(joinedload(ApiKey.deployer), joinedload(ApiKey.flagger))
        .order_by(ApiKey.id)
    )
    keys = list(session.execute(stmt).scalars())
    return [k for k in keys if owner is None or k.owner_name == owner]


def revoke_key(session: Session, prefix_or_id: str, *, reason: str, actor: str) -> ApiKey:
    if not reason.strip():
        raise ValidationFailed({"reason": "Say why the key is revoked."})
    stmt = select(ApiKey).where(
        ApiKey.id == int(prefix_or_id) if prefix_or_id.isdigit() else ApiKey.prefix == prefix_or_id
    )
    matches = list(session.execute(stmt).scalars())
    if not matches:
        raise NotFound(f"no key matches {prefix_or_id!r}")
    if len(matches) > 1:
        raise Conflict(f"{len(matches)} keys match {prefix_or_id!r}; give the key id")
    key = matches[0]
    if key.revoked_at is not None:
        raise Conflict(f"key {key.prefix} was revoked already")
    key.revoked_at = utcnow()
    key.revoked_reason = reason.strip()
    audit.record(
        session,
        actor=actor,
        action="key.revoke",
        subject_type="api_key",
        subject_id=key.id,
        before={"revoked": False},
        after={"revoked": True, "reason": key.revoked_reason},
    )
    session.commit()
    return key


def deployer_id_by_name(session: Session, name: str) -> int:
    found = session.execute(select(Deployer.id).where(Deployer.name == name)).scalar_one_or_none()
    if found is None:
        raise ValidationFailed({"deployer": f"No deployer is called {name!r}."})
    return int(found)


def set_deployer_status(
    session: Session, name: str, status: str, *, reason: str, actor: str
) -> Deployer:
    if status not in ("active", "suspended"):
        raise ValidationFailed({"status": "Must be active or suspended."})
    deployer = session.execute(select(Deployer).where(Deployer.name == name)).scalar_one_or_none()
    if deployer is None:
        raise NotFound(f"no deployer is called {name!r}")
    before = deployer.status
    deployer.status = status
    deployer.status_reason = reason.strip() or None
    audit.record(
        session,
        actor=actor,
        action="deployer.status",
        subject_type="deployer",
        subject_id=deployer.id,
        before={"status": before},
        after={"status": status, "reason": deployer.status_reason},
    )
    session.commit()
    return deployer


def bearer_key(authorization: str | None) -> str | None:
    """The key in an ``Authorization: Bearer KEY`` header (the scheme in any case,
    any spaces around the key), or None."""
    parts = (authorization or "").split(None, 1)
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1].strip() or None


def key_id(session: Session, authorization: str | None, *, secret_key: str) -> int | None:
    """The id of the key this header names, if it is one of ours (revoked or not);
    for quotas, which must count per key however the header is spelt."""
    key = bearer_key(authorization)
    if key is None:
        return None
    found = session.execute(
        select(ApiKey.id).where(ApiKey.key_hash == api_key_hash(secret_key, key))
    ).scalar_one_or_none()
    return int(found) if found is not None else None


def authenticate(
    session: Session,
    authorization: str | None,
    *,
    scope: str,
    secret_key: str,
    now: datetime | None = None,
) -> KeyPrincipal:
    """Resolve ``Authorization: Bearer KEY`` or raise Unauthorized / Forbidden with a reason."""
    key = bearer_key(authorization)
    if key is None:
        raise Unauthorized("Send your API key as 'Authorization: Bearer KEY'.")
    row = session.execute(
        select(ApiKey)
        .options(joinedload(ApiKey.deployer), joinedload(ApiKey.flagger))
        .where(ApiKey.key_hash == api_key_hash(secret_key, key))
    ).scalar_one_or_none()
    if row is None:
        raise Unauthorized("Unknown API key.")
    if row.revoked_at is not None:
        raise Forbidden(f"API key {row.prefix} was revoked: {row.revoked_reason or 'no reason'}")
    if row.deployer is not None and row.deployer.status != "active":
        raise Forbidden(
            f"Deployer {row.deployer.name} is {row.deployer.status}: "
            f"{row.deployer.status_reason or 'no reason given'}"
        )
    if row.flagger is not None and row.flagger.status != "active":
        raise Forbidden(f"Trusted flagger {row.flagger.name} is {row.flagger.status}.")
    now = now or utcnow()
    # Reading one's own sanctions stays possible under sanction: that is how a
    # suspended deployer learns why and for how long.
    if scope != "sanctions:read":
        barred = blocking_sanction(session, api_key_id=row.id, deployer_id=row.deployer_id, now=now)
        if barred is not None:
            until = f" until {barred.ends_at.isoformat()}" if barred.ends_at else ""
            raise Forbidden(
                f"Sanction {barred.reference} ({barred.measure}{until}) bars this "
                f"{'API key' if barred.subject_type == 'api_key' else 'deployer'} "
                "from sending data. You may appeal it with that reference."
            )
    if scope not in row.scopes:
        raise Forbidden(f"API key {row.prefix} lacks the scope {scope!r}.")
    if row.last_used_at is None or now - row.last_used_at > _LAST_USED_RESOLUTION:
        # A separate statement and commit: the request's own transaction may fail,
        # the use of the key still happened.
        session.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=now))
        session.commit()
    return KeyPrincipal(
        key_id=row.id,
        prefix=row.prefix,
        scopes=tuple(row.scopes),
        deployer_id=row.deployer_id,
        deployer_name=row.deployer.name if row.deployer else None,
        flagger_id=row.flagger_id,
        flagger_name=row.flagger.name if row.flagger else None,
    )
