"""Who may do what, and how a person is named in the audit log.

The one role check and the one actor name that the services, the web app's guards
and the dashboard's callbacks all use. Views check roles before calling a service;
services check again, so the CLI and the jobs cannot skip the check.
"""

from __future__ import annotations

from core.exceptions import Forbidden
from core.models import User


def actor_of(user: User) -> str:
    """How a person appears in the audit log and in a case's timeline."""
    return f"user:{user.email}"


def require_role(user: User, role: str = "analyst") -> None:
    """Refuse an inactive user, or one whose role is below ``role``."""
    if not user.has_role(role):
        raise Forbidden(f"This needs the {role} role.")
