"""Builds the Dash app on the portal's Flask server: access guard, shell, router."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from dash import Dash, Input, Output, dcc, html
from dash.development.base_component import Component
from flask import Flask, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf

from core.exceptions import Forbidden, MisuseError, NotFound
from dashboards import ui
from dashboards.bridge import Portal
from dashboards.callbacks import MAX_CALLBACK_BYTES, CallbackSpec, body_problem, callback_specs
from dashboards.pages import PAGES, Page, find, role_for

URL = "url"
NAV = "nav"
USER_BOX = "user-box"
PAGE = "page"
PREFIX = ui.BASE + "/"
UPDATE = PREFIX + "_dash-update-component"

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


def build_dash(server: Flask, portal: Portal, *, csrf_exempt: Callable[[Any], Any]) -> Dash:
    """Mount the dashboard on ``server``: once per Flask app, so once per web process."""
    # Registered before Dash's own hooks, so nothing of Dash runs for a caller
    # the guard turns away. The callback specs are filled in once every page
    # has registered its callbacks, before the first request.
    specs: dict[str, CallbackSpec] = {}
    server.before_request(_guard(portal, specs))
    app = Dash(
        "dashboards",
        server=cast(Any, server),
        url_base_pathname=PREFIX,
        title="MisuseWatch dashboard",
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
        role = role_for(path)
        if not user.has_role(role):
            if internal:
                return jsonify({"errors": {"authorization": f"This needs the {role} role."}}), 403
            raise Forbidden(f"This needs the {role} role.")
        if path == UPDATE and request.method == "POST":
            request.max_content_length = MAX_CALLBACK_BYTES
            if problem := body_problem(specs, request.get_json(silent=True)):
                return jsonify({"errors": {"callback": problem}}), 400
        return None

    return guard


def shell() -> Component:
    """The frame around every page; the router fills it from the URL."""
    return html.Div(
        [
            dcc.Location(id=URL, refresh=False),
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


def _nav(current: Page | None) -> list[Component]:
    links: list[Component] = []
    for page in PAGES:
        if page.nav is None:
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
    @app.callback(
        Output(PAGE, "children"),
        Output(NAV, "children"),
        Output(USER_BOX, "children"),
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
                _nav(None),
                user_box,
            )
        page, params = found
        nav = _nav(page)
        if not user.has_role(page.role):
            return _problem("Not allowed", f"This page needs the {page.role} role."), nav, user_box
        try:
            content = page.layout(portal, **params)
        except NotFound as exc:
            return _problem("Not found", str(exc).capitalize() + "."), nav, user_box
        except MisuseError as exc:
            return _problem("Not shown", str(exc)), nav, user_box
        return content, nav, user_box


def _problem(title: str, message: str) -> Component:
    return html.Div(
        [html.H1(title), html.P(message, role="alert"), dcc.Link("Overview", href=ui.BASE + "/")]
    )
