"""The dashboard's pages: one module each, found by the URL path under /dashboard/."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from dash import Dash
from dash.development.base_component import Component

from core.models.base import MAX_ID
from dashboards.bridge import Portal
from dashboards.pages import (
    account,
    alerts,
    audit,
    campaign,
    case,
    cases,
    clusters,
    group,
    incidents,
    log,
    overview,
    report,
    sanctions,
    triage,
)


@dataclass(frozen=True)
class Page:
    pattern: re.Pattern[str]
    module: ModuleType
    role: str = "analyst"
    # (label, link) in the navigation bar, in this order, when set.
    nav: tuple[str, str] | None = None

    @property
    def layout(self) -> Callable[..., Component]:
        return self.module.layout

    def title(self, params: dict[str, str]) -> str:
        """The page's own title: a detail page names its subject."""
        named = getattr(self.module, "title", None)
        return str(named(**params) if named is not None else self.module.TITLE)

    def register(self, app: Dash, portal: Portal) -> None:
        self.module.register(app, portal)


def _path(pattern: str) -> re.Pattern[str]:
    return re.compile(r"^/dashboard" + pattern + r"/?$")


PAGES: tuple[Page, ...] = (
    Page(_path(""), overview, nav=("Overview", "/dashboard/")),
    Page(_path("/triage"), triage, nav=("Triage", "/dashboard/triage")),
    Page(_path(r"/reports/(?P<report_id>\d+)"), report),
    Page(_path(r"/logs/(?P<log_id>\d+)"), log),
    Page(_path(r"/groups/(?P<group_id>\d+)"), group),
    # Both parts URL-encoded (ui.account_href): an account id may contain "/".
    Page(_path(r"/accounts/(?P<deployer>[^/]+)/(?P<account_id>[^/]+)"), account),
    Page(_path("/clusters"), clusters, nav=("Clusters", "/dashboard/clusters")),
    Page(_path("/alerts"), alerts, nav=("Alerts & campaigns", "/dashboard/alerts")),
    Page(_path(r"/campaigns/(?P<campaign_id>\d+)"), campaign),
    Page(_path("/cases"), cases, nav=("Cases", "/dashboard/cases")),
    Page(_path(r"/cases/(?P<case_id>\d+)"), case),
    Page(_path("/incidents"), incidents, nav=("Incidents", "/dashboard/incidents")),
    Page(_path("/sanctions"), sanctions, nav=("Sanctions", "/dashboard/sanctions")),
    Page(_path("/audit"), audit, role=audit.ROLE, nav=("Audit log", "/dashboard/audit")),
)


_ROW_IDS = frozenset({"report_id", "log_id", "group_id", "campaign_id", "case_id"})


def find(path: str) -> tuple[Page, dict[str, str]] | None:
    for page in PAGES:
        match = page.pattern.match(path)
        if match:
            params = match.groupdict()
            # An id no row can have is simply not found (the database would refuse it).
            # Only row ids: an account's deployer and id are names.
            if any(int(v) > MAX_ID for k, v in params.items() if k in _ROW_IDS):
                return None
            return page, params
    return None


def role_for(path: str) -> str:
    """The role a path needs: its page's, or the analyst role for anything else."""
    found = find(path)
    return found[0].role if found else "analyst"
