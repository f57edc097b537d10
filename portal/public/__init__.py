"""Public pages: the report form and the follow-up page. No account, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.services import appeals as appeal_service
from core.services import reports as report_service
from core.services import transparency
from core.taxonomy import HARM_CATEGORIES, REPORTER_TYPES
from ingest.reports import REPORT_FIELDS, parse_report
from portal.extensions import analyzer, db_session, limiter, settings

public = Blueprint("public", __name__)

HONEYPOT = "website"  # hidden from people by CSS; bots fill every field
_FOLLOW_UP_KEY = "follow_up_report"


def _reports_limit() -> str:
    return settings().rate_limit_reports


def _follow_up_limit() -> str:
    return settings().rate_limit_follow_up


@public.before_request
def _limit_body() -> None:
    request.max_content_length = settings().max_report_bytes


@public.after_request
def _no_store(response: Response) -> Response:
    # Receipts and conversations must not linger in shared caches or history.
    # (The headers every response gets are set in portal.security.)
    response.headers["Cache-Control"] = "no-store"
    return response


@public.get("/")
def index() -> str:
    return render_template("index.html")


def _form_page(
    values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> tuple[str, int]:
    return render_template(
        "report.html",
        values=values,
        errors=errors,
        categories=HARM_CATEGORIES,
        reporter_types=REPORTER_TYPES,
        honeypot=HONEYPOT,
    ), status


@public.get("/report")
def report_form() -> tuple[str, int]:
    return _form_page({"reporter_type": "user"}, {})


@public.post("/report")
@limiter.limit(_reports_limit, methods=["POST"])
def report_submit() -> tuple[str, int]:
    values = {k: request.form.get(k, "") for k in REPORT_FIELDS if k != "external_id"}
    if request.form.get(HONEYPOT):
        # A person never sees this field. Answer like a validation error, store nothing.
        return _form_page(values, {"form": "The report could not be accepted."}, 400)
    parsed = parse_report(values)
    if isinstance(parsed, dict):
        return _form_page(values, parsed, 400)
    result = report_service.submit_report(
        db_session(),
        parsed,
        analyzer=analyzer(),
        secret_key=settings().secret_key,
        keep_original=settings().keep_unmasked_original,
        source="web",
        client=report_service.ClientInfo(
            ip=request.remote_addr, user_agent=request.headers.get("User-Agent")
        ),
    )
    # Rendered in the POST answer itself: a redirect would put the receipt in a URL
    # or a cookie.
    return render_template(
        "receipt.html",
        receipt=result.receipt,
        report_id=result.id,
        whistleblower=parsed.is_whistleblower,
    ), 201


@public.get("/follow-up")
def follow_up() -> str:
    report_id = session.get(_FOLLOW_UP_KEY)
    if report_id is None:
        return render_template("follow_up.html", view=None, errors={})
    try:
        view = report_service.follow_up_view(db_session(), int(report_id))
    except NotFound:
        session.pop(_FOLLOW_UP_KEY, None)
        return render_template("follow_up.html", view=None, errors={})
    return render_template("follow_up.html", view=view, errors={})


@public.post("/follow-up")
@limiter.limit(_follow_up_limit, methods=["POST"])
def follow_up_open() -> Response | tuple[str, int]:
    receipt = request.form.get("receipt", "").strip()
    if not receipt:
        return render_template(
            "follow_up.html", view=None, errors={"receipt": "Please enter your receipt code."}
        ), 400
    try:
        report_id = report_service.find_by_receipt(
            db_session(), receipt, secret_key=settings().secret_key
        )
    except NotFound as exc:
        # The typed code comes back in the field (the page is no-store), never in a URL.
        return render_template(
            "follow_up.html", view=None, errors={"receipt": str(exc)}, receipt=receipt
        ), 404
    # The session remembers the report, not the receipt, for 30 minutes.
    session.clear()
    session.permanent = True
    session[_FOLLOW_UP_KEY] = report_id
    return redirect(url_for("public.follow_up"), code=303)


@public.post("/follow-up/reply")
@limiter.limit(_follow_up_limit, methods=["POST"])
def follow_up_reply() -> Response | tuple[str, int]:
    report_id = session.get(_FOLLOW_UP_KEY)
    if report_id is None:
        return redirect(url_for("public.follow_up"), code=303)
    try:
        report_service.add_reporter_message(
            db_session(), int(report_id), request.form.get("body", ""), analyzer=analyzer()
        )
    except ValidationFailed as exc:
        view = report_service.follow_up_view(db_session(), int(report_id))
        return render_template(
            "follow_up.html", view=view, errors=exc.errors, body=request.form.get("body", "")
        ), 400
    return redirect(url_for("public.follow_up", _anchor="messages"), code=303)


@public.post("/follow-up/close")
def follow_up_close() -> Response:
    session.clear()
    return redirect(url_for("public.follow_up"), code=303)


# --- appeals and the transparency report ---------------------------------------------


@public.get("/appeal")
def appeal_form() -> str:
    return render_template("appeal.html", errors={}, values={}, filed=None, status=None)


@public.post("/appeal")
@limiter.limit(_reports_limit, methods=["POST"])
def appeal_submit() -> tuple[str, int]:
    values = {k: request.form.get(k, "") for k in ("reference", "receipt", "statement")}
    try:
        filed = appeal_service.file_appeal(
            db_session(),
            reference=values["reference"] or None,
            report_receipt=values["receipt"] or None,
            statement=values["statement"],
            secret_key=settings().secret_key,
            analyzer=analyzer(),
            window_days=settings().appeal_window_days,
        )
    except ValidationFailed as exc:
        return render_template(
            "appeal.html", errors=exc.errors, values=values, filed=None, status=None
        ), 400
    except Conflict as exc:
        return render_template(
            "appeal.html", errors={"form": str(exc)}, values=values, filed=None, status=None
        ), 409
    # Shown in the POST answer only, like a report's receipt: never in a URL or cookie.
    return render_template("appeal.html", errors={}, values={}, filed=filed, status=None), 201


@public.post("/appeal/status")
@limiter.limit(_follow_up_limit, methods=["POST"])
def appeal_status() -> tuple[str, int]:
    code = request.form.get("appeal_code", "").strip()
    try:
        status = appeal_service.appeal_status(db_session(), code, secret_key=settings().secret_key)
    except NotFound as exc:
        return render_template(
            "appeal.html",
            errors={"appeal_code": str(exc)},
            values={"appeal_code": code},
            filed=None,
            status=None,
        ), 404
    return render_template("appeal.html", errors={}, values={}, filed=None, status=status), 200


@public.get("/transparency")
def transparency_page() -> str:
    report = transparency.transparency_report(db_session())
    return render_template("transparency.html", report=report, categories=HARM_CATEGORIES)
