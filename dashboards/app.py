"""Builds the Dash app on the portal's Flask server: access guard, shell, router."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlsplit

from dash import Dash, Input, Output, dcc, html
from dash.development.base_component import Component
from flask import Flask, g, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf

from core.exceptions import Forbidden, MisuseError, NotFound
from core.services.access import require_role
from dashboards import ui
from dashboards.bridge import Portal
from dashboards.callbacks import MAX_CALLBACK_BYTES, CallbackSpec, body_problem, callback_specs
from dashboards.pages import PAGES, Page, find, role_for

URL = "url"
NAV = "nav"
USER_BOX = "user-box"
PAGE = "page"
PAGE_TITLE = "page-title"
PREFIX = ui.BASE + "/"
UPDATE = PREFIX + "_dash-update-component"
APP_TITLE = "MisuseWatch dashboard"

INDEX = """<!doctype html>
<html lang="en">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
{%app_entry%}
<footer>
{%config%}
{%scripts%}
{%renderer%}
</footer>
</body>
</html>"""


def page_title(path: str) -> str:
    """'Group 274 · MisuseWatch dashboard': each page names itself (tabs, history)."""
    found = find(path)
    if found is None:
        return APP_TITLE
    page, params = found
    try:
        return f"{page.title(params)} · {APP_TITLE}"
    except (TypeError, ValueError):
        return APP_TITLE


class _Dash(Dash):
    def interpolate_index(self, **kwargs: Any) -> Any:  # type: ignore[override]
        # The first HTML already carries the page's own title; the router keeps it
        # right as the analyst moves from page to page. The raw path keeps an
        # account id's encoded "/" where the page pattern expects it.
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        kwargs["title"] = page_title(urlsplit(raw).path if raw else request.path)
        return str(super().interpolate_index(**kwargs))


def build_dash(server: Flask, portal: Portal, *, csrf_exempt: Callable[[Any], Any]) -> Dash:
    """Mount the dashboard on ``server``: once per Flask app, so once per web process."""
    # Registered before Dash's own hooks, so nothing of Dash runs for a caller
    # the guard turns away. The callback specs are filled in once every page
    # has registered its callbacks, before the first request.
    specs: dict[str, CallbackSpec] = {}
    server.before_request(_guard(portal, specs))
    server.after_request(_not_allowed_status)
    app = _Dash(
        "dashboards",
        server=cast(Any, server),
        url_base_pathname=PREFIX,
        title=APP_TITLE,
        # Dash would swap the title for "Updating..." during each callback and
        # back to the first one it saw, undoing each page's own title.
        update_title="",
        index_string=INDEX,
        # Page components come and go with the URL; their callbacks exist from the start.
        suppress_callback_exceptions=True,
        use_pages=False,
        add_log_handler=False,
        serve_locally=True,
    )
    app.layout = shell
    _register_router(app, portal)
    for page in PAGES:
        page.register(app, portal)
    specs.update(callback_specs(app))
    server.extensions["misuse.dash"] = app
    # Dash's callbacks POST JSON to this one endpoint, without a CSRF token: the
    # portal lets a route go without the token only if a caller with the login
    # cookie sends JSON from a page of this site (see portal.security).
    csrf_exempt(server.view_functions[UPDATE])
    return app


def _guard(
    portal: Portal, specs: dict[str, CallbackSpec]
) -> Callable[[], ResponseReturnValue | None]:
    def guard() -> ResponseReturnValue | None:
        path = request.path
        if path != ui.BASE and not path.startswith(PREFIX):
            return None
        # Dash's own endpoints (_dash-layout, _dash-update-component, ...) are
        # called by scripts, which want a status, not a login page.
        internal = path[len(PREFIX) :].startswith("_")
        user = portal.current_user()
        if user is None:
            if internal:
                return jsonify(
                    {"errors": {"authorization": "Log in first (analyst session required)."}}
                ), 401
            return redirect(url_for("auth.login", next=path))
        try:
            require_role(user, role_for(path))
        except Forbidden as exc:
            if internal:
                return jsonify({"errors": {"authorization": str(exc)}}), 403
            # A page: the dashboard itself says so, with its navigation, under a 403.
            g.dashboard_forbidden = True
        if path == UPDATE and request.method == "POST":
            request.max_content_length = MAX_CALLBACK_BYTES
            if problem := body_problem(specs, request.get_json(silent=True)):
                return jsonify({"errors": {"callback": problem}}), 400
        return None

    return guard


def _not_allowed_status(response: Any) -> Any:
    if g.get("dashboard_forbidden") and response.status_code == 200:
        response.status_code = 403
    return response


def shell() -> Component:
    """The frame around every page; the router fills it from the URL."""
    return html.Div(
        [
            dcc.Location(id=URL, refresh=False),
            dcc.Store(id=PAGE_TITLE),
            html.A("Skip to content", href="#page", className="skip"),
            html.Header(
                [
                    html.A("MisuseWatch", href="/", className="brand"),
                    html.Nav(id=NAV, **ui.aria("Dashboard")),
                    html.Div(id=USER_BOX, className="user-box"),
                ],
                className="dash-head",
            ),
            html.Main(id=PAGE, className="dash-main"),
        ]
    )


def _nav(current: Page | None, user: Any) -> list[Component]:
    links: list[Component] = []
    for page in PAGES:
        # Only what this person can open.
        if page.nav is None or not user.has_role(page.role):
            continue
        name, target = page.nav
        here = current is not None and current.nav == page.nav
        links.append(
            dcc.Link(
                name,
                href=target,
                className="current" if here else "",
            )
        )
    return links


def _register_router(app: Dash, portal: Portal) -> None:
    app.clientside_callback(
        """function(title) {
            if (title) { document.title = title; }
            return window.dash_clientside.no_update;
        }""",
        Output(PAGE_TITLE, "id"),
        Input(PAGE_TITLE, "data"),
    )

    @app.callback(
        Output(PAGE, "children"),
        Output(NAV, "children"),
        Output(USER_BOX, "children"),
        Output(PAGE_TITLE, "data"),
        Input(URL, "pathname"),
    )
    def route(pathname: str | None) -> tuple[Any, ...]:
        user = portal.user()
        user_box = html.Form(
            [
                html.Span(f"{user.email} ({user.role})"),
                dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                html.Button("Log out", type="submit", className="secondary small"),
            ],
            action=url_for("auth.logout"),
            method="post",
        )
        found = find(pathname or ui.BASE)
        if found is None:
            return (
                _problem("Page not found", "There is no dashboard page here."),
                _nav(None, user),
                user_box,
                f"Page not found · {APP_TITLE}",
            )
        page, params = found
        nav = _nav(page, user)
        title = page_title(pathname or ui.BASE)
        if not user.has_role(page.role):
            return (
                _problem("Not allowed", f"This page needs the {page.role} role."),
                nav,
                user_box,
                f"Not allowed · {APP_TITLE}",
            )
        try:
            content = page.layout(portal, **params)
        except NotFound as exc:
            return _problem("Not found", str(exc).capitalize() + "."), nav, user_box, title
        except MisuseError as exc:
            return _problem("Not shown", str(exc)), nav, user_box, title
        return content, nav, user_box, title


def _problem(title: str, message: str) -> Component:
    return html.Div(
        [html.H1(title), html.P(message, role="alert"), dcc.Link("Overview", href=ui.BASE + "/")]
    )
