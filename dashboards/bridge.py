"""What the dashboard borrows from the web app, and the per-request helpers built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.exceptions import Unauthorized
from core.models import User
from core.services.access import require_role
from core.signals import TextAnalyzer


@dataclass(frozen=True)
class Portal:
    current_user: Callable[[], User | None]
    db_session: Callable[[], Session]
    analyzer: TextAnalyzer

    def user(self, role: str = "analyst") -> User:
        """The logged-in user, who must hold ``role``; raises otherwise.

        The request guard has checked the analyst role already; callbacks ask
        again because a session can end, or a role change, between two clicks.
        """
        user = self.current_user()
        if user is None:
            raise Unauthorized("Your session has ended. Log in again.")
        require_role(user, role)
        return user

    def session(self) -> Session:
        return self.db_session()
