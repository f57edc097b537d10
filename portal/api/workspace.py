"""Cases, sanctions, appeals and exports over JSON.

Analyst endpoints take the login session. Their POSTs accept only
``application/json``, which a cross-site form cannot send without a CORS
preflight that this app never grants, and only from a page of this site
(Origin or Referer): ``portal.security`` checks both for every request that
carries the login cookie, before any view runs.

``GET /api/v1/sanctions`` has two audiences: a deployer with a
``sanctions:read`` key reads the sanctions on its own accounts; an analyst
session reads the whole register.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from flask import Response, jsonify, request

from core.exceptions import ValidationFailed
from core.models import (
    APPEAL_STATUSES,
    CASE_STATUSES,
    SANCTION_MEASURES,
    SANCTION_STATUSES,
    SANCTION_SUBJECTS,
    User,
)
from core.models.base import MAX_ID
from core.queries import cases as case_queries
from core.queries import sanctions as sanction_queries
from core.records import text_errors
from core.services import access, transparency
from core.services import appeals as appeal_service
from core.services import cases as case_service
from core.services import clients as client_service
from core.services import sanctions as sanction_service
from core.services import stix as stix_service
from portal.api import api_v1, json_object
from portal.api.analysis import _choice_arg, _int_arg
from portal.auth import current_user, require_role
from portal.extensions import analyzer, db_session, limiter, settings


def _user() -> User:
    return cast(User, current_user())


# Dates outside these years are typing errors, and near the ends of Python's
# calendar a time-zone conversion overflows.
_YEARS = (1900, 9000)


def _parse_date(raw: str, name: str) -> datetime:
    """An ISO 8601 date or date-time, as UTC (a naive one is taken as UTC)."""
    try:
        value = datetime.fromisoformat(raw)
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValidationFailed({name: "Must be an ISO 8601 date or time."}) from None
    if not _YEARS[0] <= value.year <= _YEARS[1]:
        raise ValidationFailed({name: f"Must be between the years {_YEARS[0]} and {_YEARS[1]}."})
    return value


def _date_arg(name: str) -> datetime | None:
    # Absent means no bound; an empty value is a mistake like any other.
    raw = request.args.get(name)
    return None if raw is None else _parse_date(raw, name)


def _field_date(body: dict[str, Any], name: str) -> datetime | None:
    raw = body.get(name)
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):
        raise ValidationFailed({name: "Must be an ISO 8601 date or time."})
    return _parse_date(raw, name)


def _str(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed({name: "Must be text." if value is not None else "Required."})
    if problem := text_errors({name: value}):
        raise ValidationFailed(problem)
    return value


def _whole(body: dict[str, Any], name: str) -> int | None:
    """An optional positive whole number that fits an id column."""
    value = body.get(name)
    if value is None:
        return None
    if type(value) is not int or not 0 < value <= MAX_ID:
        raise ValidationFailed({name: f"Must be a whole number from 1 to {MAX_ID:,}."})
    return value


def _items(body: dict[str, Any]) -> list[tuple[str, int]]:
    raw = body.get("items", [])
    if not isinstance(raw, list):
        raise ValidationFailed({"items": 'Must be a list of {"kind": ..., "id": ...}.'})
    out = []
    for n, item in enumerate(raw):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("kind"), str)
            or type(item.get("id")) is not int
            or not 0 < item["id"] <= MAX_ID
        ):
            raise ValidationFailed({f"items[{n}]": 'Must be {"kind": "report", "id": 12}.'})
        out.append((item["kind"], item["id"]))
    return out


def _export_format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ValidationFailed({"format": "Must be json or csv."})
    return fmt


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- campaigns: techniques and STIX 2.1 ------------------------------------------------


@api_v1.get("/campaigns/<int:campaign_id>/stix")
@require_role("analyst")
def campaign_stix(campaign_id: int) -> Response:
    tlp = request.args.get("tlp", stix_service.DEFAULT_TLP)
    bundle = stix_service.export_campaign(
        db_session(),
        campaign_id,
        secret_key=settings().secret_key,
        actor=access.actor_of(_user()),
        tlp=tlp,
    )
    return Response(
        bundle,
        mimetype="application/stix+json",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign_id}.stix.json"'},
    )


@api_v1.post("/campaigns/<int:campaign_id>/techniques")
@require_role("analyst")
def tag_campaign_technique(campaign_id: int) -> tuple[Response, int]:
    body = json_object()
    tag = stix_service.tag_technique(
        db_session(),
        campaign_id,
        user=_user(),
        framework=_str(body, "framework"),
        technique_id=_str(body, "technique_id"),
        name=_str(body, "name", required=False),
    )
    return jsonify(
        {"framework": tag.framework, "technique_id": tag.technique_id, "name": tag.name}
    ), 201


# A path of its own rather than DELETE on the tagging path: a path shared by several
# methods answers 405 instead of 404 to an id out of range.
@api_v1.post("/campaigns/<int:campaign_id>/techniques/remove")
@require_role("analyst")
def untag_campaign_technique(campaign_id: int) -> Response:
    body = json_object()
    stix_service.untag_technique(
        db_session(),
        campaign_id,
        user=_user(),
        framework=_str(body, "framework"),
        technique_id=_str(body, "technique_id"),
    )
    return jsonify({"removed": True})


# --- sanctions: deployers and analysts ------------------------------------------------


@api_v1.get("/sanctions")
def sanctions() -> Response:
    session = db_session()
    if request.headers.get("Authorization"):
        principal = client_service.authenticate(
            session,
            request.headers.get("Authorization"),
            scope="sanctions:read",
            secret_key=settings().secret_key,
        )
        if principal.deployer_id is None:
            raise ValidationFailed({"key": "Only a deployer's key has sanctions to read."})
        feed = sanction_queries.deployer_feed(
            session,
            principal.deployer_id,
            include_ended=request.args.get("include_ended") in ("1", "true"),
            since=_date_arg("since"),
        )
        return jsonify({"deployer": principal.deployer_name, "sanctions": feed})
    return _register()


@require_role("analyst")
def _register() -> Response:
    return jsonify(
        {
            "sanctions": sanction_queries.list_sanctions(
                db_session(),
                status=_choice_arg("status", SANCTION_STATUSES),
                measure=_choice_arg("measure", SANCTION_MEASURES),
                subject_type=_choice_arg("subject_type", SANCTION_SUBJECTS),
                limit=_int_arg("limit", 200, 1, 1000),
                offset=_int_arg("offset", 0, 0, 10**9),
            )
        }
    )


@api_v1.post("/sanctions/<int:sanction_id>/approve")
@require_role("supervisor")
def approve_sanction(sanction_id: int) -> Response:
    """Takes ``{}``: a body, so that the request is JSON like every other change."""
    if json_object():
        raise ValidationFailed({"body": "Send an empty JSON object: {}."})
    session = db_session()
    s = sanction_service.approve_sanction(session, sanction_id, user=_user())
    return jsonify(sanction_queries.sanction_dict(session, s))


@api_v1.post("/sanctions/<int:sanction_id>/reject")
@require_role("supervisor")
def reject_sanction(sanction_id: int) -> Response:
    session = db_session()
    reason = _str(json_object(), "reason")
    s = sanction_service.reject_sanction(session, sanction_id, user=_user(), reason=reason)
    return jsonify(sanction_queries.sanction_dict(session, s))


@api_v1.post("/sanctions/<int:sanction_id>/revoke")
@require_role("supervisor")
def revoke_sanction(sanction_id: int) -> Response:
    session = db_session()
    reason = _str(json_object(), "reason")
    s = sanction_service.revoke_sanction(session, sanction_id, user=_user(), reason=reason)
    return jsonify(sanction_queries.sanction_dict(session, s))


# --- cases ---------------------------------------------------------------------------


@api_v1.get("/cases")
@require_role("analyst")
def cases() -> Response:
    return jsonify(
        {
            "cases": case_queries.list_cases(
                db_session(),
                status=_choice_arg("status", CASE_STATUSES),
                limit=_int_arg("limit", 100, 1, 1000),
                offset=_int_arg("offset", 0, 0, 10**9),
            )
        }
    )


@api_v1.post("/cases")
@require_role("analyst")
def open_case() -> tuple[Response, int]:
    body = json_object()
    origin_id = _whole(body, "origin_id")
    session = db_session()
    case = case_service.open_case(
        session,
        title=_str(body, "title"),
        origin_type=_str(body, "origin_type"),
        origin_id=origin_id,
        items=_items(body),
        user=_user(),
    )
    return jsonify(case_queries.case_dict(session, case.id)), 201


@api_v1.get("/cases/<int:case_id>")
@require_role("analyst")
def case(case_id: int) -> Response:
    return jsonify(case_queries.case_dict(db_session(), case_id))


@api_v1.post("/cases/<int:case_id>/notes")
@require_role("analyst")
def case_note(case_id: int) -> tuple[Response, int]:
    session = db_session()
    case_service.add_note(session, case_id, _str(json_object(), "body"), user=_user())
    return jsonify(case_queries.case_dict(session, case_id)), 201


@api_v1.post("/cases/<int:case_id>/status")
@require_role("analyst")
def case_status(case_id: int) -> Response:
    session = db_session()
    case_service.set_case_status(session, case_id, _str(json_object(), "status"), user=_user())
    return jsonify(case_queries.case_dict(session, case_id))


@api_v1.post("/cases/<int:case_id>/sanctions")
@require_role("analyst")
def propose_sanction(case_id: int) -> tuple[Response, int]:
    body = json_object()
    known = {
        "subject_type",
        "deployer",
        "account_id",
        "api_key_id",
        "model_name",
        "measure",
        "rate_limit_per_minute",
        "category",
        "ground_type",
        "ground_reference",
        "ground_explanation",
        "facts",
        "automated_detection",
        "automated_decision",
        "source_type",
        "territorial_scope",
        "ends_at",
    }
    unknown = sorted(set(body) - known)
    if unknown:
        raise ValidationFailed({k: "Unknown field." for k in unknown})
    session = db_session()
    deployer_id = None
    if body.get("deployer") is not None:
        deployer_id = client_service.deployer_id_by_name(session, _str(body, "deployer"))
    scope = body.get("territorial_scope", [])
    if not isinstance(scope, list) or not all(isinstance(c, str) for c in scope):
        raise ValidationFailed({"territorial_scope": 'A list of country codes, e.g. ["DE"].'})
    for flag in ("automated_detection",):
        if not isinstance(body.get(flag, False), bool):
            raise ValidationFailed({flag: "Must be true or false."})
    api_key_id = _whole(body, "api_key_id")
    rate_limit_per_minute = _whole(body, "rate_limit_per_minute")
    s = sanction_service.propose_sanction(
        session,
        case_id,
        user=_user(),
        subject_type=_str(body, "subject_type"),
        deployer_id=deployer_id,
        account_id=_str(body, "account_id", required=False) or None,
        api_key_id=api_key_id,
        model_name=_str(body, "model_name", required=False) or None,
        measure=_str(body, "measure"),
        rate_limit_per_minute=rate_limit_per_minute,
        category=_str(body, "category"),
        ground_type=_str(body, "ground_type"),
        ground_reference=_str(body, "ground_reference"),
        ground_explanation=_str(body, "ground_explanation"),
        facts=_str(body, "facts"),
        automated_detection=bool(body.get("automated_detection", False)),
        automated_decision=_str(body, "automated_decision", required=False) or "not",
        source_type=_str(body, "source_type"),
        territorial_scope=scope,
        ends_at=_field_date(body, "ends_at"),
    )
    return jsonify(sanction_queries.sanction_dict(session, s)), 201


# --- appeals -------------------------------------------------------------------------


def _appeals_limit() -> str:
    return settings().rate_limit_reports


@api_v1.post("/appeals")
@limiter.limit(_appeals_limit)
def file_appeal() -> tuple[Response, int]:
    """Public: the sanctioned party (reference) or a reporter (receipt) appeals."""
    body = json_object()
    unknown = sorted(set(body) - {"reference", "receipt", "statement"})
    if unknown:
        raise ValidationFailed({k: "Unknown field." for k in unknown})
    filed = appeal_service.file_appeal(
        db_session(),
        reference=_str(body, "reference", required=False) or None,
        report_receipt=_str(body, "receipt", required=False) or None,
        statement=_str(body, "statement"),
        secret_key=settings().secret_key,
        analyzer=analyzer(),
        window_days=settings().appeal_window_days,
    )
    return jsonify({"id": filed.id, "appeal_code": filed.receipt, "about": filed.about}), 201


@api_v1.post("/appeals/status")
@limiter.limit(lambda: settings().rate_limit_follow_up)
def appeal_status() -> Response:
    body = json_object()
    view = appeal_service.appeal_status(
        db_session(), _str(body, "appeal_code"), secret_key=settings().secret_key
    )
    for key in ("created_at", "decided_at"):
        view[key] = view[key].isoformat() if view[key] else None
    return jsonify(view)


@api_v1.get("/appeals")
@require_role("analyst")
def appeals() -> Response:
    return jsonify(
        {
            "appeals": appeal_service.list_appeals(
                db_session(), status=_choice_arg("status", APPEAL_STATUSES)
            )
        }
    )


@api_v1.post("/appeals/<int:appeal_id>/decision")
@require_role("analyst")
def decide_appeal(appeal_id: int) -> Response:
    body = json_object()
    appeal = appeal_service.decide_appeal(
        db_session(),
        appeal_id,
        user=_user(),
        outcome=_str(body, "outcome"),
        reason=_str(body, "reason"),
    )
    return jsonify({"id": appeal.id, "status": appeal.status, "reason": appeal.outcome_reason})


# --- exports -------------------------------------------------------------------------


@api_v1.get("/exports/statements")
@require_role("analyst")
def export_statements() -> Response:
    fmt = _export_format()
    statements = transparency.export_statements(
        db_session(), since=_date_arg("since"), until=_date_arg("until")
    )
    if fmt == "csv":
        return _csv(transparency.statements_csv(statements), "statements_of_reasons.csv")
    return jsonify({"statements": statements})


@api_v1.get("/transparency")
def transparency_report() -> Response:
    """Public: aggregate counts only, nothing about any person."""
    fmt = _export_format()
    report = transparency.transparency_report(
        db_session(), since=_date_arg("since"), until=_date_arg("until")
    )
    if fmt == "csv":
        return _csv(transparency.transparency_csv(report), "transparency_report.csv")
    return jsonify(report)
