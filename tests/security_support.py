"""Accounts, logins and a pending suspension for the security tests."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from core.models import Base, Sanction, User
from core.services import cases, clients, sanctions
from core.services import users as user_service

PASSWORD = "correct horse battery staple"
SOR: dict[str, Any] = {
    "category": "disinformation",
    "ground_type": "terms",
    "ground_reference": "Acceptable use policy, section 3",
    "ground_explanation": "Mass production of false polling-time claims.",
    "facts": "412 near-identical texts from 38 accounts within 3 hours.",
    "automated_detection": True,
    "automated_decision": "not",
    "source_type": "voluntary",
    "territorial_scope": ["DE"],
}


def make_user(db: Any, email: str, role: str = "analyst") -> int:
    with db.session_scope() as s:
        return int(user_service.create_user(s, email, PASSWORD, role=role, actor="test").id)


def csrf_token(client: Any, page: str = "/login") -> str:
    html = client.get(page).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def login(client: Any, email: str, password: str = PASSWORD, **headers: str) -> Any:
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        headers=headers or None,
    )


def pending_suspension(
    db: Any, proposer_id: int, measure: str = "suspension", **statement: Any
) -> int:
    """A sanction on a deployer (by default a suspension, which another supervisor
    must approve), proposed by ``proposer_id``; ``statement`` overrides SOR fields."""
    with db.session_scope() as s:
        deployer, _ = clients.create_deployer(
            s, "acme", retention_days=30, secret_key=db.settings.secret_key, actor="test"
        )
        user = s.get(User, proposer_id)
        case = cases.open_case(s, title="Election hoax", origin_type="manual", user=user)
        return int(
            sanctions.propose_sanction(
                s,
                case.id,
                user=user,
                subject_type="deployer",
                deployer_id=deployer.id,
                measure=measure,
                **{**SOR, **statement},
            ).id
        )


def sanction_status(db: Any, sanction_id: int) -> str:
    with db.session_scope() as s:
        return str(s.execute(select(Sanction.status).where(Sanction.id == sanction_id)).scalar())


def fingerprint(db: Any) -> dict[str, Any]:
    """Row counts of every table (every change writes an audit entry at least) and
    the sanctions' states: a refused state-changing request leaves them alone."""
    with db.session_scope() as s:
        out: dict[str, Any] = {
            t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }
        out["sanctions"] = sorted(s.execute(select(Sanction.id, Sanction.status)).all())
    return out


def deployer_key(db: Any, name: str = "acme") -> str:
    with db.session_scope() as s:
        _, issued = clients.create_deployer(
            s, name, retention_days=30, secret_key=db.settings.secret_key, actor="test"
        )
    return issued.key


def flagger_key(db: Any, name: str = "factcheckers") -> str:
    with db.session_scope() as s:
        _, issued = clients.create_flagger(s, name, secret_key=db.settings.secret_key, actor="test")
    return issued.key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def count(db: Any, model: Any) -> int:
    with db.session_scope() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def fuzz_settings(max_examples: int) -> Any:
    """Hypothesis settings of the fuzz tests: derandomized, so a failure in CI
    reproduces on a developer's machine; no example database on disk; bounded."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
