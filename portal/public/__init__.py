"""Public pages: the report form and the follow-up page. No account, no JavaScript needed.

Every form that stores something carries a one-time token and answers with a
redirect (Post/Redirect/Get): a reload shows the result again and never sends
the form twice. A code shown once (a receipt, an appeal code) is not carried
through the redirect: the session keeps a random seed the code is derived from
(``core.secrets.receipt_from_seed``), for as long as the session lasts.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.secrets import new_seed, receipt_from_seed
from core.services import appeals as appeal_service
from core.services import reports as report_service
from core.services import submissions, transparency
from core.taxonomy import (
    AUTOMATED_DECISION_LABELS,
    HARM_CATEGORIES,
    REPORT_STATUS_HELP,
    REPORT_STATUSES,
    REPORTER_TYPES,
    SANCTION_MEASURE_LABELS,
    SOURCE_TYPE_LABELS,
)
from ingest.reports import REPORT_FIELDS, parse_report
from portal.extensions import analyzer, client_info, db_session, limiter, settings

public = Blueprint("public", __name__)

HONEYPOT = "website"  # hidden from people by CSS; bots fill every field
_FOLLOW_UP_KEY = "follow_up_report"
_REPORT_SENT = "report_sent"
_APPEAL_SENT = "appeal_sent"
_APPEAL_VIEW = "appeal_view"
# How long the page after a form can show its code again: the session's idle limit.
_SHOWN_FOR_S = 30 * 60
# The error summary names each field as its label does.
REPORT_LABELS = {
    "reporter_type": "Who are you?",
    "category": "Kind of harm",
    "provider": "Provider",
    "model_name": "Model name",
    "model_version": "Model version",
    "product_url": "Product or web address",
    "output": "The harmful output",
    "prompt": "The prompt",
    "occurred_at": "When it happened",
    "published_url": "Where it was published",
    "explanation": "Why it is harmful",
    "contact_email": "Contact e-mail",
    "accuracy_confirmed": "Confirmation",
    "serious_incident": "Serious incident",
    "submission": "Form",
    "form": "Form",
}
APPEAL_LABELS = {
    "reference": "Sanction reference",
    "receipt": "Receipt code",
    "statement": "Why the decision should change",
    "appeal_code": "Appeal code",
    "submission": "Form",
    "form": "Form",
}
FOLLOW_UP_LABELS = {"receipt": "Receipt code", "body": "Reply", "submission": "Form"}


def _token_hash() -> str:
    return submissions.token_hash(settings().secret_key, request.form.get(submissions.FIELD))


def _recalled(key: str) -> tuple[dict[str, Any], str] | None:
    """What the session remembers of a form sent in the last half hour, and its code."""
    kept = session.get(key)
    if not isinstance(kept, dict) or time.time() - float(kept.get("at", 0)) > _SHOWN_FOR_S:
        return None
    return kept, receipt_from_seed(settings().secret_key, str(kept["seed"]))


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
        labels=REPORT_LABELS,
        categories=HARM_CATEGORIES,
        reporter_types=REPORTER_TYPES,
        honeypot=HONEYPOT,
        # A sent form comes back with its own token, so a correction and a resend
        # still count as one submission.
        submission=request.form.get(submissions.FIELD) or submissions.new_token(),
    ), status


@public.get("/report")
def report_form() -> tuple[str, int]:
    return _form_page({"reporter_type": "user"}, {})


@public.post("/report")
@limiter.limit(_reports_limit, methods=["POST"])
def report_submit() -> Response | tuple[str, int]:
    values = {k: request.form.get(k, "") for k in REPORT_FIELDS if k != "external_id"}
    if request.form.get(HONEYPOT):
        # A person never sees this field. Answer like a validation error, store nothing.
        return _form_page(values, {"form": "The report could not be accepted."}, 400)
    try:
        token = _token_hash()
    except ValidationFailed as exc:
        return _form_page(values, exc.errors, 400)
    parsed = parse_report(values)
    if isinstance(parsed, dict):
        return _form_page(values, parsed, 400)
    seed = new_seed()
    try:
        result = report_service.submit_report(
            db_session(),
            parsed,
            analyzer=analyzer(),
            secret_key=settings().secret_key,
            keep_original=settings().keep_unmasked_original,
            source="web",
            client=client_info(),
            receipt=receipt_from_seed(settings().secret_key, seed),
            submission=token,
        )
    except submissions.AlreadySent:
        # The same form again (a reload, the back button, a second click): the
        # first report stands; show what this session remembers of it.
        return redirect(url_for("public.report_received"), code=303)
    session.permanent = True
    session[_REPORT_SENT] = {
        "seed": seed,
        "id": result.id,
        "at": time.time(),
        "whistleblower": parsed.is_whistleblower,
    }
    return redirect(url_for("public.report_received"), code=303)


@public.get("/report/received")
def report_received() -> tuple[str, int]:
    recalled = _recalled(_REPORT_SENT)
    if recalled is None:
        return render_template("receipt.html", receipt=None, whistleblower=False), 200
    kept, receipt = recalled
    return render_template(
        "receipt.html", receipt=receipt, whistleblower=bool(kept.get("whistleblower"))
    ), 200


@public.get("/report/received/receipt.txt")
def report_receipt_file() -> Response:
    """The receipt as a file to keep: from the session's seed, never from the URL."""
    recalled = _recalled(_REPORT_SENT)
    if recalled is None:
        abort(404, "The receipt code is no longer available on this device.")
    _, receipt = recalled
    body = (
        "MisuseWatch report receipt\n\n"
        f"{receipt}\n\n"
        "Keep this code private. With it you can follow up on your report at /follow-up.\n"
    )
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = 'attachment; filename="misusewatch-receipt.txt"'
    return response


@public.post("/report/received/forget")
def report_forget() -> Response:
    """Forget the code on this device (a shared computer)."""
    session.pop(_REPORT_SENT, None)
    return redirect(url_for("public.index"), code=303)


def _follow_up_page(
    view: report_service.FollowUpView | None, errors: dict[str, str], **extra: Any
) -> str:
    return render_template(
        "follow_up.html",
        view=view,
        errors=errors,
        labels=FOLLOW_UP_LABELS,
        statuses=REPORT_STATUSES,
        status_help=REPORT_STATUS_HELP,
        typical_days=(
            report_service.typical_days_to_decision(db_session()) if view is not None else None
        ),
        submission=submissions.new_token(),
        **extra,
    )


@public.get("/follow-up")
def follow_up() -> str:
    report_id = session.get(_FOLLOW_UP_KEY)
    if report_id is None:
        return _follow_up_page(None, {})
    try:
        view = report_service.follow_up_view(db_session(), int(report_id))
    except NotFound:
        session.pop(_FOLLOW_UP_KEY, None)
        return _follow_up_page(None, {})
    return _follow_up_page(view, {})


@public.post("/follow-up")
@limiter.limit(_follow_up_limit, methods=["POST"])
def follow_up_open() -> Response | tuple[str, int]:
    receipt = request.form.get("receipt", "").strip()
    if not receipt:
        return _follow_up_page(None, {"receipt": "Please enter your receipt code."}), 400
    try:
        report_id = report_service.find_by_receipt(
            db_session(), receipt, secret_key=settings().secret_key
        )
    except NotFound as exc:
        # The typed code comes back in the field (the page is no-store), never in a URL.
        return _follow_up_page(None, {"receipt": str(exc)}, receipt=receipt), 404
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
            db_session(),
            int(report_id),
            request.form.get("body", ""),
            analyzer=analyzer(),
            submission=_token_hash(),
        )
    except submissions.AlreadySent:
        pass  # sent before: the conversation shows it once
    except ValidationFailed as exc:
        view = report_service.follow_up_view(db_session(), int(report_id))
        return _follow_up_page(view, exc.errors, body=request.form.get("body", "")), 400
    return redirect(url_for("public.follow_up", _anchor="messages"), code=303)


@public.post("/follow-up/close")
def follow_up_close() -> Response:
    session.clear()
    return redirect(url_for("public.follow_up"), code=303)


# --- appeals and the transparency report ---------------------------------------------


def _followed_decision() -> int | None:
    """The decided report this session follows up on, which it may appeal without
    typing the receipt again (the session was opened with it)."""
    report_id = session.get(_FOLLOW_UP_KEY)
    if report_id is None:
        return None
    try:
        view = report_service.follow_up_view(db_session(), int(report_id))
    except NotFound:
        return None
    return view.report_id if view.appealable else None


def _appeal_page(errors: dict[str, str], values: dict[str, str], **extra: Any) -> str:
    for_report = _followed_decision() if request.values.get("report") == "followed" else None
    return render_template(
        "appeal.html",
        errors=errors,
        values=values,
        labels=APPEAL_LABELS,
        for_report=for_report,
        submission=request.form.get(submissions.FIELD) or submissions.new_token(),
        **{"filed": None, "status": None, **extra},
    )


@public.get("/appeal")
def appeal_form() -> str:
    return _appeal_page({}, {})


@public.post("/appeal")
@limiter.limit(_reports_limit, methods=["POST"])
def appeal_submit() -> Response | tuple[str, int]:
    values = {k: request.form.get(k, "") for k in ("reference", "receipt", "statement")}
    for_report = _followed_decision() if request.form.get("report") == "followed" else None
    seed = new_seed()
    try:
        filed = appeal_service.file_appeal(
            db_session(),
            reference=None if for_report else values["reference"] or None,
            report_receipt=None if for_report else values["receipt"] or None,
            report_id=for_report,
            statement=values["statement"],
            secret_key=settings().secret_key,
            analyzer=analyzer(),
            window_days=settings().appeal_window_days,
            code=receipt_from_seed(settings().secret_key, seed),
            submission=_token_hash(),
        )
    except submissions.AlreadySent:
        return redirect(url_for("public.appeal_sent"), code=303)
    except ValidationFailed as exc:
        return _appeal_page(exc.errors, values), 400
    except Conflict as exc:
        return _appeal_page({"form": str(exc)}, values), 409
    session.permanent = True
    session[_APPEAL_SENT] = {"seed": seed, "id": filed.id, "at": time.time(), "about": filed.about}
    return redirect(url_for("public.appeal_sent"), code=303)


@public.get("/appeal/sent")
def appeal_sent() -> str:
    recalled = _recalled(_APPEAL_SENT)
    if recalled is None:
        return _appeal_page({}, {}, filed={"about": None, "receipt": None})
    kept, code = recalled
    return _appeal_page({}, {}, filed={"about": kept.get("about"), "receipt": code})


@public.post("/appeal/status")
@limiter.limit(_follow_up_limit, methods=["POST"])
def appeal_status() -> Response | tuple[str, int]:
    code = request.form.get("appeal_code", "").strip()
    try:
        status = appeal_service.appeal_status(db_session(), code, secret_key=settings().secret_key)
    except NotFound as exc:
        return _appeal_page({"appeal_code": str(exc)}, {"appeal_code": code}), 404
    # Like the follow-up page: the session remembers the appeal, never its code.
    session.permanent = True
    session[_APPEAL_VIEW] = status["id"]
    return redirect(url_for("public.appeal_outcome"), code=303)


@public.get("/appeal/status")
def appeal_outcome() -> Response | str:
    appeal_id = session.get(_APPEAL_VIEW)
    if appeal_id is None:
        return redirect(url_for("public.appeal_form"), code=303)
    try:
        status = appeal_service.appeal_view(db_session(), int(appeal_id))
    except NotFound:
        session.pop(_APPEAL_VIEW, None)
        return redirect(url_for("public.appeal_form"), code=303)
    return _appeal_page({}, {}, status=status)


@public.get("/transparency")
def transparency_page() -> str:
    report = transparency.transparency_report(db_session())
    return render_template(
        "transparency.html",
        report=report,
        labels={
            "sanctions_by_category": HARM_CATEGORIES,
            "reports_by_category": HARM_CATEGORIES,
            "sanctions_by_measure": SANCTION_MEASURE_LABELS,
            "sanctions_by_source": SOURCE_TYPE_LABELS,
            "sanctions_by_automation": AUTOMATED_DECISION_LABELS,
        },
    )
