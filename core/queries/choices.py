"""The choices of the dashboard's filters and forms: people and deployers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Deployer, User


def analysts(session: Session) -> list[dict[str, Any]]:
    """Active people who can be assigned work (every role includes analyst)."""
    rows = session.execute(
        select(User.id, User.email, User.role).where(User.active.is_(True)).order_by(User.email)
    )
    return [{"id": i, "email": e, "role": r} for i, e, r in rows]


def deployers(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(Deployer.id, Deployer.name).order_by(Deployer.name))
    return [{"id": i, "name": n} for i, n in rows]
