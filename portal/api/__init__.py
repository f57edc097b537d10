"""JSON API, version 1. Described by the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from core.exceptions import ValidationFailed
from core.services import reports as report_service
from ingest.reports import parse_report
from portal.api.openapi import build_openapi
from portal.extensions import analyzer, client_info, db_session, limiter, settings

api_v1 = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _reports_limit() -> str:
    return settings().rate_limit_reports


def _follow_up_limit() -> str:
    return settings().rate_limit_follow_up


def json_body() -> Any:
    """The parsed JSON body, or a 400 that says what is wrong with it."""
    if not request.is_json:
        raise ValidationFailed({"body": "Send a JSON body with Content-Type: application/json."})
    try:
        data = request.get_json()
    except BadRequest as exc:
        # Werkzeug's own error says why (bad syntax, invalid UTF-8, nesting past the
        # recursion limit); Flask hides it behind a generic one outside debug mode.
        cause = exc.__cause__ if isinstance(exc.__cause__, BadRequest) else exc
        why = (cause.description or "").removeprefix("Failed to decode JSON object: ")
        raise ValidationFailed({"body": f"The body is not valid JSON: {why}"}) from None
    if data is None:
        raise ValidationFailed({"body": "The body is not valid JSON."})
    return data


def json_object() -> dict[str, Any]:
    data = json_body()
    if not isinstance(data, dict):
        raise ValidationFailed({"body": "Send one JSON object."})
    return data


@api_v1.post("/reports")
@limiter.limit(_reports_limit)
def create_report() -> tuple[Response, int]:
    request.max_content_length = settings().max_report_bytes
    parsed = parse_report(json_object())
    if isinstance(parsed, dict):
        raise ValidationFailed(parsed)
    result = report_service.submit_report(
        db_session(),
        parsed,
        analyzer=analyzer(),
        secret_key=settings().secret_key,
        keep_original=settings().keep_unmasked_original,
        source="api",
        client=client_info(),
    )
    return jsonify({"id": result.id, "receipt": result.receipt, "status": result.status}), 201


@api_v1.post("/reports/follow-up")
@limiter.limit(_follow_up_limit)
def follow_up() -> Response:
    request.max_content_length = settings().max_report_bytes
    body = json_object()
    unknown = sorted(set(body) - {"receipt", "message"})
    if unknown:
        raise ValidationFailed({k: "Unknown field." for k in unknown})
    receipt = body.get("receipt")
    if not isinstance(receipt, str) or not receipt.strip():
        raise ValidationFailed({"receipt": "This field is required."})
    session = db_session()
    report_id = report_service.find_by_receipt(session, receipt, secret_key=settings().secret_key)
    message = body.get("message")
    if message is not None:
        if not isinstance(message, str):
            raise ValidationFailed({"message": "Must be text."})
        try:
            report_service.add_reporter_message(session, report_id, message, analyzer=analyzer())
        except ValidationFailed as exc:
            raise ValidationFailed({"message": exc.errors.get("body", str(exc))}) from None
    view = report_service.follow_up_view(session, report_id)
    return jsonify(
        {
            "id": view.report_id,
            "status": view.status,
            "status_label": view.status_label,
            "created_at": view.created_at.isoformat(),
            "updated_at": view.updated_at.isoformat(),
            "messages": [
                {"author": m.author, "body": m.body, "created_at": m.created_at.isoformat()}
                for m in view.messages
            ],
        }
    )


@api_v1.get("/openapi.json")
def openapi() -> Response:
    return jsonify(build_openapi())


from portal.api import analysis as _analysis  # noqa: E402,F401
from portal.api import bulk as _bulk  # noqa: E402,F401  (registers the bulk routes)
from portal.api import workspace as _workspace  # noqa: E402,F401
