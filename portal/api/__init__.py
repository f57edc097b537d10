"""JSON API, version 1. Described by the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from core.exceptions import ValidationFailed
from core.services import reports as report_service
from ingest.reports import parse_report
from portal.api.openapi import build_openapi
from portal.api.schemas import (
    FollowUp,
    FollowUpIn,
    FollowUpMessage,
    ReportIn,
    ReportReceipt,
)
from portal.api.validation import ApiModels, field_errors, json_object, validated
from portal.extensions import analyzer, client_info, db_session, limiter, settings

api_v1 = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _reports_limit() -> str:
    return settings().rate_limit_reports


def _follow_up_limit() -> str:
    return settings().rate_limit_follow_up


@api_v1.post("/reports")
@limiter.limit(_reports_limit)
def create_report() -> tuple[Response, int]:
    request.max_content_length = settings().max_report_bytes
    raw = json_object()
    # The model is the published contract; parse_report, shared with the web form and
    # bulk files, adds what a JSON schema cannot say (no contact in whistleblower mode,
    # no date in the future, stripped text, https for an address without a scheme).
    # Both run so that the caller learns every wrong field at once; where both object,
    # parse_report's message is the more specific one.
    parsed = parse_report(raw)
    errors = field_errors(ReportIn, raw)
    if errors or isinstance(parsed, dict):
        raise ValidationFailed({**errors, **(parsed if isinstance(parsed, dict) else {})})
    result = report_service.submit_report(
        db_session(),
        parsed,
        analyzer=analyzer(),
        secret_key=settings().secret_key,
        keep_original=settings().keep_unmasked_original,
        source="api",
        client=client_info(),
    )
    answer = ReportReceipt(id=result.id, receipt=result.receipt, status=result.status)
    return jsonify(answer.model_dump(mode="json")), 201


# The view reads its own body (for the errors of both validators), so this tells the
# document which models it stands for.
create_report.api_models = ApiModels(body=ReportIn, response=ReportReceipt)  # type: ignore[attr-defined]


@api_v1.post("/reports/follow-up")
@limiter.limit(_follow_up_limit)
@validated(body=FollowUpIn, response=FollowUp, max_bytes=lambda: settings().max_report_bytes)
def follow_up(body: FollowUpIn) -> Response:
    session = db_session()
    report_id = report_service.find_by_receipt(
        session, body.receipt, secret_key=settings().secret_key
    )
    if body.message is not None:
        try:
            report_service.add_reporter_message(
                session, report_id, body.message, analyzer=analyzer()
            )
        except ValidationFailed as exc:
            raise ValidationFailed({"message": exc.errors.get("body", str(exc))}) from None
    view = report_service.follow_up_view(session, report_id)
    answer = FollowUp(
        id=view.report_id,
        status=view.status,
        status_label=view.status_label,
        created_at=view.created_at,
        updated_at=view.updated_at,
        messages=[
            FollowUpMessage(author=m.author, body=m.body, created_at=m.created_at)
            for m in view.messages
        ],
    )
    return jsonify(answer.model_dump(mode="json"))


@api_v1.get("/openapi.json")
def openapi() -> Response:
    return jsonify(build_openapi(current_app))


from portal.api import analysis as _analysis  # noqa: E402,F401
from portal.api import bulk as _bulk  # noqa: E402,F401  (registers the bulk routes)
from portal.api import workspace as _workspace  # noqa: E402,F401
