"""Analyst endpoints (session login, analyst role): similar items, groups, clusters, reports.

They read what the group job precomputed; no model runs in a request.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from core.exceptions import NotFound, ValidationFailed
from core.models import ALERT_STATUSES, Report
from core.queries import groups as group_queries
from portal.api import api_v1
from portal.auth import require_role
from portal.extensions import db_session


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed({name: "Must be a whole number."}) from None
    if not low <= value <= high:
        raise ValidationFailed({name: f"Must be between {low} and {high}."})
    return value


def _choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """An optional filter that must be one of ``choices`` (a typo, or an empty value,
    is an error rather than an empty list or no filter)."""
    value = request.args.get(name)
    if value is not None and value not in choices:
        raise ValidationFailed({name: "Must be one of: " + ", ".join(choices)})
    return value


@api_v1.get("/items/<item_id>/similar")
@require_role("analyst")
def similar_items(item_id: str) -> Response:
    k = _int_arg("k", 10, 1, 100)
    items = group_queries.similar_items(db_session(), item_id, k=k)
    return jsonify({"item": item_id, "k": k, "similar": items})


@api_v1.get("/groups")
@require_role("analyst")
def groups() -> Response:
    min_size = _int_arg("min_size", 2, 1, 10**9)
    limit = _int_arg("limit", 50, 1, 500)
    offset = _int_arg("offset", 0, 0, 10**9)
    return jsonify(
        {
            "groups": group_queries.list_groups(
                db_session(), min_size=min_size, limit=limit, offset=offset
            )
        }
    )


@api_v1.get("/clusters/<int:cluster_id>")
@require_role("analyst")
def cluster(cluster_id: int) -> Response:
    return jsonify(group_queries.cluster_detail(db_session(), cluster_id))


@api_v1.get("/reports/<int:report_id>")
@require_role("analyst")
def report(report_id: int) -> Response:
    session = db_session()
    r = session.get(Report, report_id)
    if r is None:
        raise NotFound(f"no report {report_id}")
    return jsonify(
        {
            "id": r.id,
            "status": r.status,
            "category": r.category,
            "reporter_type": r.reporter_type,
            "trusted_flagger": r.trusted_flagger,
            "source": r.source,
            "provider": r.provider,
            "model_name": r.model_name,
            "model_version": r.model_version,
            "product_url": r.product_url,
            "output": r.output_text.masked_text,
            "prompt": r.prompt_text.masked_text if r.prompt_text else None,
            "explanation": r.explanation,
            "pii_kinds": r.pii_kinds,
            "signals": {
                "offensive_prob": r.output_text.offensive_prob,
                "injection_markers": r.output_text.injection_markers,
                "provenance": r.output_text.provenance,
            },
            "occurred_at": r.occurred_at.isoformat() if r.occurred_at else None,
            "created_at": r.created_at.isoformat(),
            **group_queries.similar_counts(session, r.output_text_id),
        }
    )


@api_v1.get("/campaigns")
@require_role("analyst")
def campaigns() -> Response:
    from core.services.detection import list_campaigns

    return jsonify({"campaigns": list_campaigns(db_session(), with_items=False)})


@api_v1.get("/campaigns/<int:campaign_id>")
@require_role("analyst")
def campaign(campaign_id: int) -> Response:
    from core.services.detection import get_campaign
    from core.services.stix import list_techniques

    session = db_session()
    campaign = get_campaign(session, campaign_id)
    return jsonify({**campaign, "techniques": list_techniques(session, campaign_id)})


@api_v1.get("/alerts")
@require_role("analyst")
def alerts() -> Response:
    from core.services.detection import list_alerts

    status = _choice_arg("status", ALERT_STATUSES)
    return jsonify({"alerts": list_alerts(db_session(), status=status)})
