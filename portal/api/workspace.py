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

from typing import cast

from flask import Response, jsonify, render_template, request

from core.exceptions import ValidationFailed
from core.incident_rules import KEEP_SOURCE, KEEP_YEARS
from core.models import User
from core.queries import appeals as appeal_queries
from core.queries import cases as case_queries
from core.queries import sanctions as sanction_queries
from core.services import access, transparency
from core.services import appeals as appeal_service
from core.services import cases as case_service
from core.services import clients as client_service
from core.services import incidents as incident_service
from core.services import sanctions as sanction_service
from core.services import stix as stix_service
from portal.api import api_v1
from portal.api.schemas import (
    AppealDecision,
    AppealDecisionIn,
    AppealFiled,
    AppealIn,
    AppealsQuery,
    AppealStatus,
    AppealStatusIn,
    CaseIn,
    CasesQuery,
    CaseStatusIn,
    EmptyIn,
    ExportQuery,
    IncidentReportQuery,
    NoteIn,
    ReasonIn,
    Removed,
    SanctionIn,
    SanctionsQuery,
    StixQuery,
    TechniqueIn,
    TechniqueRef,
    TechniqueTag,
)
from portal.api.validation import ApiModels, parse, validated
from portal.auth import current_user, require_role
from portal.extensions import analyzer, db_session, limiter, settings


def _user() -> User:
    return cast(User, current_user())


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- campaigns: techniques and STIX 2.1 ------------------------------------------------


@api_v1.get("/campaigns/<int:campaign_id>/stix")
@require_role("analyst")
@validated(query=StixQuery)
def campaign_stix(campaign_id: int, query: StixQuery) -> Response:
    bundle = stix_service.export_campaign(
        db_session(),
        campaign_id,
        secret_key=settings().secret_key,
        actor=access.actor_of(_user()),
        tlp=query.tlp or stix_service.DEFAULT_TLP,
    )
    return Response(
        bundle,
        mimetype="application/stix+json",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign_id}.stix.json"'},
    )


@api_v1.post("/campaigns/<int:campaign_id>/techniques")
@require_role("analyst")
@validated(body=TechniqueIn, response=TechniqueTag)
def tag_campaign_technique(campaign_id: int, body: TechniqueIn) -> tuple[Response, int]:
    tag = stix_service.tag_technique(
        db_session(),
        campaign_id,
        user=_user(),
        framework=body.framework,
        technique_id=body.technique_id,
        name=body.name or "",
    )
    answer = TechniqueTag(framework=tag.framework, technique_id=tag.technique_id, name=tag.name)
    return jsonify(answer.model_dump(mode="json")), 201


# A path of its own rather than DELETE on the tagging path: a path shared by several
# methods answers 405 instead of 404 to an id out of range.
@api_v1.post("/campaigns/<int:campaign_id>/techniques/remove")
@require_role("analyst")
@validated(body=TechniqueRef, response=Removed)
def untag_campaign_technique(campaign_id: int, body: TechniqueRef) -> Response:
    stix_service.untag_technique(
        db_session(),
        campaign_id,
        user=_user(),
        framework=body.framework,
        technique_id=body.technique_id,
    )
    return jsonify(Removed(removed=True).model_dump(mode="json"))


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
        # After the key is checked, as the register checks the session first.
        query = parse(SanctionsQuery, request.args.to_dict())
        feed = sanction_queries.deployer_feed(
            session,
            principal.deployer_id,
            include_ended=query.include_ended in ("1", "true"),
            since=query.since,
        )
        return jsonify({"deployer": principal.deployer_name, "sanctions": feed})
    return _register()


# The two audiences read one query model, validated after each one's own check.
sanctions.api_models = ApiModels(query=SanctionsQuery)  # type: ignore[attr-defined]


@require_role("analyst")
@validated(query=SanctionsQuery)
def _register(query: SanctionsQuery | None = None) -> Response:
    assert query is not None  # given by validated()
    return jsonify(
        {
            "sanctions": sanction_queries.list_sanctions(
                db_session(),
                status=query.status,
                measure=query.measure,
                subject_type=query.subject_type,
                limit=query.limit,
                offset=query.offset,
            )
        }
    )


@api_v1.post("/sanctions/<int:sanction_id>/approve")
@require_role("supervisor")
@validated(body=EmptyIn)
def approve_sanction(sanction_id: int, body: EmptyIn) -> Response:
    session = db_session()
    s = sanction_service.approve_sanction(session, sanction_id, user=_user())
    return jsonify(sanction_queries.sanction_dict(session, s))


@api_v1.post("/sanctions/<int:sanction_id>/reject")
@require_role("supervisor")
@validated(body=ReasonIn)
def reject_sanction(sanction_id: int, body: ReasonIn) -> Response:
    session = db_session()
    s = sanction_service.reject_sanction(session, sanction_id, user=_user(), reason=body.reason)
    return jsonify(sanction_queries.sanction_dict(session, s))


@api_v1.post("/sanctions/<int:sanction_id>/revoke")
@require_role("supervisor")
@validated(body=ReasonIn)
def revoke_sanction(sanction_id: int, body: ReasonIn) -> Response:
    session = db_session()
    s = sanction_service.revoke_sanction(session, sanction_id, user=_user(), reason=body.reason)
    return jsonify(sanction_queries.sanction_dict(session, s))


# --- cases ---------------------------------------------------------------------------


@api_v1.get("/cases")
@require_role("analyst")
@validated(query=CasesQuery)
def cases(query: CasesQuery) -> Response:
    return jsonify(
        {
            "cases": case_queries.list_cases(
                db_session(), status=query.status, limit=query.limit, offset=query.offset
            )
        }
    )


@api_v1.post("/cases")
@require_role("analyst")
@validated(body=CaseIn)
def open_case(body: CaseIn) -> tuple[Response, int]:
    session = db_session()
    case = case_service.open_case(
        session,
        title=body.title,
        origin_type=body.origin_type,
        origin_id=body.origin_id,
        items=[(item.kind, item.id) for item in body.items],
        user=_user(),
    )
    return jsonify(case_queries.case_dict(session, case.id)), 201


@api_v1.get("/cases/<int:case_id>")
@require_role("analyst")
def case(case_id: int) -> Response:
    return jsonify(case_queries.case_dict(db_session(), case_id))


@api_v1.post("/cases/<int:case_id>/notes")
@require_role("analyst")
@validated(body=NoteIn)
def case_note(case_id: int, body: NoteIn) -> tuple[Response, int]:
    session = db_session()
    case_service.add_note(session, case_id, body.body, user=_user())
    return jsonify(case_queries.case_dict(session, case_id)), 201


@api_v1.post("/cases/<int:case_id>/status")
@require_role("analyst")
@validated(body=CaseStatusIn)
def case_status(case_id: int, body: CaseStatusIn) -> Response:
    session = db_session()
    case_service.set_case_status(session, case_id, body.status, user=_user())
    return jsonify(case_queries.case_dict(session, case_id))


@api_v1.post("/cases/<int:case_id>/sanctions")
@require_role("analyst")
@validated(body=SanctionIn)
def propose_sanction(case_id: int, body: SanctionIn) -> tuple[Response, int]:
    session = db_session()
    deployer_id = None
    if body.deployer is not None:
        deployer_id = client_service.deployer_id_by_name(session, body.deployer)
    s = sanction_service.propose_sanction(
        session,
        case_id,
        user=_user(),
        subject_type=body.subject_type,
        deployer_id=deployer_id,
        account_id=body.account_id or None,
        api_key_id=body.api_key_id,
        model_name=body.model_name or None,
        measure=body.measure,
        rate_limit_per_minute=body.rate_limit_per_minute,
        category=body.category,
        ground_type=body.ground_type,
        ground_reference=body.ground_reference,
        ground_explanation=body.ground_explanation,
        facts=body.facts,
        automated_detection=body.automated_detection,
        automated_decision=body.automated_decision or "not",
        source_type=body.source_type,
        territorial_scope=body.territorial_scope,
        ends_at=body.ends_at,
    )
    return jsonify(sanction_queries.sanction_dict(session, s)), 201


@api_v1.get("/cases/<int:case_id>/incident/reports/<int:number>")
@require_role("analyst")
@validated(query=IncidentReportQuery)
def incident_report(case_id: int, number: int, query: IncidentReportQuery) -> Response:
    """A serious-incident report as submitted (checked against its hash; audited)."""
    exported = incident_service.export_report(
        db_session(), case_id, number, actor=access.actor_of(_user())
    )
    if query.format == "html":
        return Response(
            render_template(
                "incident_report.html",
                report=exported,
                keep_years=KEEP_YEARS,
                keep_source=KEEP_SOURCE,
            ),
            mimetype="text/html",
        )
    response = jsonify(exported)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="case-{case_id}-incident-report-{number}.json"'
    )
    return response


# --- appeals -------------------------------------------------------------------------


def _appeals_limit() -> str:
    return settings().rate_limit_reports


@api_v1.post("/appeals")
@limiter.limit(_appeals_limit)
@validated(body=AppealIn, response=AppealFiled)
def file_appeal(body: AppealIn) -> tuple[Response, int]:
    """Public: the sanctioned party (reference) or a reporter (receipt) appeals."""
    filed = appeal_service.file_appeal(
        db_session(),
        reference=body.reference or None,
        report_receipt=body.receipt or None,
        statement=body.statement,
        secret_key=settings().secret_key,
        analyzer=analyzer(),
        window_days=settings().appeal_window_days,
    )
    answer = AppealFiled(id=filed.id, appeal_code=filed.receipt, about=filed.about)
    return jsonify(answer.model_dump(mode="json")), 201


@api_v1.post("/appeals/status")
@limiter.limit(lambda: settings().rate_limit_follow_up)
@validated(body=AppealStatusIn, response=AppealStatus)
def appeal_status(body: AppealStatusIn) -> Response:
    view = appeal_service.appeal_status(
        db_session(), body.appeal_code, secret_key=settings().secret_key
    )
    return jsonify(AppealStatus(**view).model_dump(mode="json"))


@api_v1.get("/appeals")
@require_role("analyst")
@validated(query=AppealsQuery)
def appeals(query: AppealsQuery) -> Response:
    return jsonify({"appeals": appeal_queries.list_appeals(db_session(), status=query.status)})


@api_v1.post("/appeals/<int:appeal_id>/decision")
@require_role("analyst")
@validated(body=AppealDecisionIn, response=AppealDecision)
def decide_appeal(appeal_id: int, body: AppealDecisionIn) -> Response:
    appeal = appeal_service.decide_appeal(
        db_session(), appeal_id, user=_user(), outcome=body.outcome, reason=body.reason
    )
    answer = AppealDecision(id=appeal.id, status=appeal.status, reason=appeal.outcome_reason)
    return jsonify(answer.model_dump(mode="json"))


# --- exports -------------------------------------------------------------------------


@api_v1.get("/exports/statements")
@require_role("analyst")
@validated(query=ExportQuery)
def export_statements(query: ExportQuery) -> Response:
    statements = transparency.export_statements(db_session(), since=query.since, until=query.until)
    if query.format == "csv":
        return _csv(transparency.statements_csv(statements), "statements_of_reasons.csv")
    return jsonify({"statements": statements})


@api_v1.get("/transparency")
@validated(query=ExportQuery)
def transparency_report(query: ExportQuery) -> Response:
    """Public: aggregate counts only, nothing about any person."""
    report = transparency.transparency_report(db_session(), since=query.since, until=query.until)
    if query.format == "csv":
        return _csv(transparency.transparency_csv(report), "transparency_report.csv")
    return jsonify(report)
