"""The OpenAPI 3 document of /api/v1, built from the same vocabularies the code validates with."""

from __future__ import annotations

from typing import Any

from core.models import ALERT_STATUSES, APPEAL_STATUSES, SANCTION_STATUSES
from core.models.base import MAX_ID
from core.models.case import CASE_ITEM_KINDS, CASE_STATUSES, SANCTION_MEASURES, SANCTION_SUBJECTS
from core.taxonomy import HARM_CATEGORIES, REPORT_STATUSES, REPORTER_TYPES
from ingest.reports import FLAGGER_REFUSED_FIELDS
from ingest.validation import log_record_schemas

_ERRORS = {"$ref": "#/components/schemas/Errors"}
# Ids as the database holds them; a larger one is a 404.
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _error_responses(*codes: int) -> dict[str, Any]:
    text = {
        400: "Invalid input: `errors` maps each wrong field to a message.",
        401: "Missing or unknown API key, or no analyst session.",
        403: (
            "Key revoked, owner suspended or sanctioned, or scope missing; a role "
            "missing; or a change with the session cookie that came from another site."
        ),
        404: "Not found.",
        409: "Conflicts with the current state (already decided, not in force, closed).",
        413: "Body larger than the configured limit.",
        429: "Rate limit or quota exceeded; see the Retry-After header.",
    }
    return {
        str(c): {"description": text[c], "content": {"application/json": {"schema": _ERRORS}}}
        for c in codes
    }


def _report_properties() -> dict[str, Any]:
    return {
        "reporter_type": {
            "type": "string",
            "enum": list(REPORTER_TYPES),
            "description": "whistleblower: no IP, user agent or contact is stored",
        },
        "category": {"type": "string", "enum": list(HARM_CATEGORIES)},
        "provider": {"type": "string", "maxLength": 200},
        "model_name": {"type": "string", "maxLength": 200},
        "model_version": {"type": "string", "maxLength": 200},
        "product_url": {"type": "string", "format": "uri", "maxLength": 2000},
        "output": {"type": "string", "maxLength": 20000, "description": "the harmful output"},
        "prompt": {"type": "string", "maxLength": 20000},
        "occurred_at": {"type": "string", "format": "date-time"},
        "published_url": {"type": "string", "format": "uri", "maxLength": 2000},
        "explanation": {
            "type": "string",
            "minLength": 20,
            "maxLength": 5000,
            "description": "why the output is harmful",
        },
        "contact_email": {
            "type": "string",
            "format": "email",
            "description": "refused in whistleblower mode",
        },
        "accuracy_confirmed": {"type": "boolean", "const": True},
    }


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/reports": {
        "post": {
            "summary": "Report a harmful output of an AI model",
            "operationId": "createReport",
            "tags": ["public"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ReportIn"}}
                },
            },
            "responses": {
                "201": {
                    "description": "Stored. The receipt is shown only in this answer.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ReportReceipt"}
                        }
                    },
                },
                **_error_responses(400, 413, 429),
            },
        }
    },
    "/api/v1/reports/follow-up": {
        "post": {
            "summary": "Read a report's status and messages with its receipt; optionally reply",
            "operationId": "followUpReport",
            "tags": ["public"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["receipt"],
                            "additionalProperties": False,
                            "properties": {
                                "receipt": {"type": "string"},
                                "message": {"type": "string", "maxLength": 5000},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The report's status and conversation",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FollowUp"}}
                    },
                },
                **_error_responses(400, 404, 413, 429),
            },
        }
    },
    "/api/v1/logs": {
        "post": {
            "summary": "Send a batch of production log samples (deployer key, scope logs:write)",
            "description": (
                "A JSON array or NDJSON body of up to MISUSE_MAX_BULK_RECORDS records (default "
                "1,000). Every valid record is stored even when others in the batch are "
                "rejected; records whose external_id is already stored are counted as "
                "duplicates and not stored again, so resending a batch is safe."
            ),
            "operationId": "ingestLogs",
            "tags": ["deployers"],
            "security": [{"apiKey": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/LogRecord"},
                        }
                    },
                    "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/LogRecord"}},
                },
            },
            "responses": {
                "200": {
                    "description": "What was accepted, duplicated and rejected",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/BulkAnswer"}}
                    },
                },
                **_error_responses(400, 401, 403, 413, 429),
            },
        }
    },
    "/api/v1/reports/bulk": {
        "post": {
            "summary": "Send reports in bulk (trusted flagger key, scope reports:write)",
            "description": (
                "Same batch semantics as /api/v1/logs. Each report may carry the flagger's "
                "own `external_id`; a resent external_id is a duplicate. Accepted reports "
                "come first in triage and each gets a receipt."
            ),
            "operationId": "ingestReports",
            "tags": ["trusted flaggers"],
            "security": [{"apiKey": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/BulkReportIn"},
                        }
                    },
                    "application/x-ndjson": {
                        "schema": {"$ref": "#/components/schemas/BulkReportIn"}
                    },
                },
            },
            "responses": {
                "200": {
                    "description": "What was accepted, duplicated and rejected",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/BulkAnswer"}}
                    },
                },
                **_error_responses(400, 401, 403, 413, 429),
            },
        }
    },
    "/api/v1/items/{item_id}/similar": {
        "get": {
            "summary": "Nearest items (reports and log samples) of an item, best first",
            "operationId": "similarItems",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "parameters": [
                {
                    "name": "item_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^(report|log)-[0-9]+$"},
                },
                {
                    "name": "k",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                },
            ],
            "responses": {
                "200": {"description": "items with cosine scores"},
                **_error_responses(400, 401, 403, 404),
            },
        }
    },
    "/api/v1/groups": {
        "get": {
            "summary": "Near-duplicate groups, largest first",
            "operationId": "listGroups",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "parameters": [
                {"name": "min_size", "in": "query", "schema": {**_ID, "maximum": 10**9}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                },
                {
                    "name": "offset",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 10**9},
                },
            ],
            "responses": {
                "200": {
                    "description": "groups with size, sources, first and last seen, a sample text"
                },
                **_error_responses(400, 401, 403),
            },
        }
    },
    "/api/v1/clusters/{cluster_id}": {
        "get": {
            "summary": "A topic cluster: keywords, size, time span, largest groups",
            "operationId": "getCluster",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "parameters": [{"name": "cluster_id", "in": "path", "required": True, "schema": _ID}],
            "responses": {
                "200": {"description": "the cluster"},
                **_error_responses(400, 401, 403, 404),
            },
        }
    },
    "/api/v1/reports/{report_id}": {
        "get": {
            "summary": "A report as analysts see it (masked), with signals and similar counts",
            "operationId": "getReport",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "parameters": [{"name": "report_id", "in": "path", "required": True, "schema": _ID}],
            "responses": {
                "200": {"description": "the report, with similar_reports and similar_log_samples"},
                **_error_responses(400, 401, 403, 404),
            },
        }
    },
    "/api/v1/campaigns": {
        "get": {
            "summary": "Active coordinated-campaign candidates, best score first",
            "operationId": "listCampaigns",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "responses": {
                "200": {"description": "campaigns with accounts, score, explanation"},
                **_error_responses(400, 401, 403),
            },
        }
    },
    "/api/v1/campaigns/{campaign_id}": {
        "get": {
            "summary": "One campaign with its accounts ({deployer, account_id}), items and "
            "tagged techniques",
            "operationId": "getCampaign",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "parameters": [{"name": "campaign_id", "in": "path", "required": True, "schema": _ID}],
            "responses": {
                "200": {"description": "the campaign"},
                **_error_responses(400, 401, 403, 404),
            },
        }
    },
    "/api/v1/alerts": {
        "get": {
            "summary": "Anomaly alerts, highest score first, with the features that drove them",
            "operationId": "listAlerts",
            "tags": ["analysts"],
            "security": [{"session": []}],
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(ALERT_STATUSES)},
                }
            ],
            "responses": {"200": {"description": "alerts"}, **_error_responses(400, 401, 403)},
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "openapi",
            "tags": ["meta"],
            "responses": {"200": {"description": "OpenAPI 3.1 document"}},
        }
    },
}


def _op(
    summary: str,
    operation_id: str,
    *,
    tag: str = "analysts",
    errors: tuple[int, ...] = (401, 403),
    ok: str = "200",
    ok_text: str = "done",
    body: dict[str, Any] | None = None,
    required: tuple[str, ...] = (),
    path_param: str | None = None,
    query: dict[str, dict[str, Any]] | None = None,
    security: str | tuple[str, ...] | None = "session",
) -> dict[str, Any]:
    # Any request can be malformed (a NUL in the query, a body that is not JSON).
    codes = sorted({400, *errors})
    op: dict[str, Any] = {
        "summary": summary,
        "operationId": operation_id,
        "tags": [tag],
        "responses": {ok: {"description": ok_text}, **_error_responses(*codes)},
    }
    if security:
        # Alternatives: any one of the schemes authenticates the call.
        schemes = (security,) if isinstance(security, str) else security
        op["security"] = [{scheme: []} for scheme in schemes]
    params = []
    if path_param:
        params.append({"name": path_param, "in": "path", "required": True, "schema": _ID})
    params += [{"name": q, "in": "query", "schema": s} for q, s in (query or {}).items()]
    if params:
        op["parameters"] = params
    if body is not None:
        schema: dict[str, Any] = {"type": "object", "properties": body}
        if required:
            schema["required"] = list(required)
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return op


_TEXT = {"type": "string"}
_SOME_TEXT = {"type": "string", "minLength": 1}
_WHEN = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
    "description": "an ISO 8601 date or date-time, years 1900 to 9000 (naive = UTC)",
}
_EXPORT_QUERY: dict[str, dict[str, Any]] = {
    "format": {"type": "string", "enum": ["json", "csv"]},
    "since": _WHEN,
    "until": _WHEN,
}


def _page(limit: int) -> dict[str, dict[str, Any]]:
    return {
        "limit": {"type": "integer", "minimum": 1, "maximum": limit},
        "offset": {"type": "integer", "minimum": 0, "maximum": 10**9},
    }


_SANCTION_IN = {
    "subject_type": {"type": "string", "enum": list(SANCTION_SUBJECTS)},
    "deployer": {"type": "string", "description": "the deployer's name"},
    "account_id": _TEXT,
    "api_key_id": _ID,
    "model_name": _TEXT,
    "measure": {"type": "string", "enum": list(SANCTION_MEASURES)},
    "rate_limit_per_minute": {**_ID, "description": "for measure rate_limit"},
    "category": {"type": "string", "enum": list(HARM_CATEGORIES)},
    "ground_type": {"type": "string", "enum": ["illegal", "terms"]},
    "ground_reference": {"type": "string", "description": "the law or clause of the terms"},
    "ground_explanation": _TEXT,
    "facts": {"type": "string", "description": "the facts and circumstances relied on"},
    "automated_detection": {"type": "boolean"},
    "automated_decision": {"type": "string", "enum": ["fully", "partially", "not"]},
    "source_type": {
        "type": "string",
        "enum": ["notice", "trusted_flagger", "other_notification", "voluntary"],
    },
    "territorial_scope": {"type": "array", "items": {"type": "string"}},
    "ends_at": {"type": "string", "format": "date-time", "description": "omit: no end"},
}
PATHS.update(
    {
        "/api/v1/campaigns/{campaign_id}/stix": {
            "get": _op(
                "The campaign as a STIX 2.1 bundle (pseudonymous accounts, masked texts "
                "only; audited)",
                "getCampaignStix",
                path_param="campaign_id",
                query={
                    "tlp": {"type": "string", "enum": ["clear", "white", "green", "amber", "red"]}
                },
                ok_text="a STIX 2.1 bundle (application/stix+json)",
                errors=(400, 401, 403, 404),
            )
        },
        "/api/v1/campaigns/{campaign_id}/techniques": {
            "post": _op(
                "Tag a campaign with a technique: DISARM (T0019) or MITRE ATLAS (AML.T0051)",
                "tagCampaignTechnique",
                path_param="campaign_id",
                body={
                    "framework": {"type": "string", "enum": ["disarm", "atlas"]},
                    "technique_id": _SOME_TEXT,
                    "name": _TEXT,
                },
                required=("framework", "technique_id"),
                ok="201",
                ok_text="the tag",
                errors=(400, 401, 403, 404, 409),
            ),
        },
        "/api/v1/campaigns/{campaign_id}/techniques/remove": {
            "post": _op(
                "Remove a technique from a campaign",
                "untagCampaignTechnique",
                path_param="campaign_id",
                body={
                    "framework": {"type": "string", "enum": ["disarm", "atlas"]},
                    "technique_id": _SOME_TEXT,
                },
                required=("framework", "technique_id"),
                ok_text="removed",
                errors=(400, 401, 403, 404),
            ),
        },
        "/api/v1/sanctions": {
            "get": _op(
                "With a sanctions:read key: the sanctions in force on the deployer's own "
                "accounts, keys and models (include_ended=true for history). With an "
                "analyst session: the whole register.",
                "listSanctions",
                tag="deployers",
                query={
                    "include_ended": {"type": "string", "description": "true or 1: history too"},
                    "since": _WHEN,
                    "status": {"type": "string", "enum": list(SANCTION_STATUSES)},
                    "measure": {"type": "string", "enum": list(SANCTION_MEASURES)},
                    "subject_type": {"type": "string", "enum": list(SANCTION_SUBJECTS)},
                    **_page(1000),
                },
                security=("apiKey", "session"),
                ok_text="sanctions",
                errors=(400, 401, 403),
            )
        },
        "/api/v1/sanctions/{sanction_id}/approve": {
            "post": _op(
                "Approve a proposed suspension or stronger (a supervisor, not the proposer); "
                "the body is an empty object",
                "approveSanction",
                path_param="sanction_id",
                body={},
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/sanctions/{sanction_id}/reject": {
            "post": _op(
                "Reject a proposed sanction, with a reason",
                "rejectSanction",
                path_param="sanction_id",
                body={"reason": _SOME_TEXT},
                required=("reason",),
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/sanctions/{sanction_id}/revoke": {
            "post": _op(
                "Revoke a sanction in force, with a reason",
                "revokeSanction",
                path_param="sanction_id",
                body={"reason": _SOME_TEXT},
                required=("reason",),
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/cases": {
            "get": _op(
                "Cases, most recently changed first",
                "listCases",
                query={"status": {"type": "string", "enum": list(CASE_STATUSES)}, **_page(1000)},
            ),
            "post": _op(
                "Open a case from an alert, a campaign or reports",
                "openCase",
                ok="201",
                required=("title", "origin_type"),
                body={
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "origin_type": {
                        "type": "string",
                        "enum": ["alert", "campaign", "reports", "manual"],
                    },
                    "origin_id": _ID,
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind", "id"],
                            "properties": {
                                "kind": {"type": "string", "enum": list(CASE_ITEM_KINDS)},
                                "id": _ID,
                            },
                        },
                    },
                },
                errors=(400, 401, 403, 404),
            ),
        },
        "/api/v1/cases/{case_id}": {
            "get": _op(
                "A case with its items, timeline and sanctions",
                "getCase",
                path_param="case_id",
                errors=(400, 401, 403, 404),
            )
        },
        "/api/v1/cases/{case_id}/notes": {
            "post": _op(
                "Add a note to a case's timeline",
                "addCaseNote",
                ok="201",
                path_param="case_id",
                body={"body": {"type": "string", "minLength": 1, "maxLength": 10_000}},
                required=("body",),
                errors=(400, 401, 403, 404),
            )
        },
        "/api/v1/cases/{case_id}/status": {
            "post": _op(
                "Change a case's status",
                "setCaseStatus",
                path_param="case_id",
                body={"status": {"type": "string", "enum": list(CASE_STATUSES)}},
                required=("status",),
                errors=(400, 401, 403, 404),
            )
        },
        "/api/v1/cases/{case_id}/sanctions": {
            "post": _op(
                "Decide a sanction in a case (warning and rate limit take effect at once; "
                "suspension and stronger wait for a supervisor's approval)",
                "proposeSanction",
                ok="201",
                path_param="case_id",
                body=_SANCTION_IN,
                required=(
                    "subject_type",
                    "measure",
                    "category",
                    "ground_type",
                    "ground_reference",
                    "ground_explanation",
                    "facts",
                    "source_type",
                ),
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/appeals": {
            "get": _op(
                "Appeals, newest first",
                "listAppeals",
                query={"status": {"type": "string", "enum": list(APPEAL_STATUSES)}},
            ),
            "post": _op(
                "Appeal a sanction (its reference) or the decision on your report (its "
                "receipt); answers with an appeal code, shown once",
                "fileAppeal",
                tag="public",
                ok="201",
                body={
                    "reference": _TEXT,
                    "receipt": _TEXT,
                    "statement": {"type": "string", "minLength": 10, "maxLength": 5_000},
                },
                required=("statement",),
                errors=(400, 404, 409, 429),
                security=None,
            ),
        },
        "/api/v1/appeals/status": {
            "post": _op(
                "The state and outcome of an appeal, with its appeal code",
                "appealStatus",
                tag="public",
                body={"appeal_code": _SOME_TEXT},
                required=("appeal_code",),
                errors=(400, 404, 429),
                security=None,
            )
        },
        "/api/v1/appeals/{appeal_id}/decision": {
            "post": _op(
                "Uphold or reverse an appeal (someone other than the decider); a reversed "
                "sanction ends at once",
                "decideAppeal",
                path_param="appeal_id",
                body={
                    "outcome": {"type": "string", "enum": ["upheld", "reversed"]},
                    "reason": _SOME_TEXT,
                },
                required=("outcome", "reason"),
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/exports/statements": {
            "get": _op(
                "Statements of reasons in the EU DSA Transparency Database's shape "
                "(format=json or csv)",
                "exportStatements",
                query=_EXPORT_QUERY,
                errors=(400, 401, 403),
            )
        },
        "/api/v1/transparency": {
            "get": _op(
                "The transparency report: counts by category, measure and source, median "
                "time from report to decision, appeals and reversals (format=json or csv)",
                "transparencyReport",
                tag="public",
                query=_EXPORT_QUERY,
                errors=(400,),
                security=None,
            )
        },
    }
)


def build_openapi() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MisuseWatch API",
            "version": "1",
            "description": (
                "Report harmful AI outputs, follow up with a receipt, and (with an API key) "
                "send production log samples and bulk notices. Errors are "
                '`{"errors": {field: message}}`.'
            ),
        },
        "servers": [{"url": "/"}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer"},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "an analyst's session from /login",
                },
            },
            "schemas": {
                "Errors": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {"type": "object", "additionalProperties": {"type": "string"}}
                    },
                },
                "ReportIn": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "reporter_type",
                        "category",
                        "output",
                        "explanation",
                        "accuracy_confirmed",
                    ],
                    "properties": _report_properties(),
                },
                "BulkReportIn": {
                    "type": "object",
                    "description": (
                        "A trusted flagger's own notice: no reporter_type and no "
                        "contact_email (refused per record), it is stored as the flagger's."
                    ),
                    "additionalProperties": False,
                    "required": ["category", "output", "explanation", "accuracy_confirmed"],
                    "properties": {
                        **{
                            name: schema
                            for name, schema in _report_properties().items()
                            if name not in FLAGGER_REFUSED_FIELDS
                        },
                        "external_id": {"type": "string", "maxLength": 200},
                    },
                },
                # Built beside the validator, from its own constants.
                **log_record_schemas(),
                "BulkAnswer": {
                    "type": "object",
                    "properties": {
                        "received": {"type": "integer"},
                        "accepted_count": {"type": "integer"},
                        "duplicate_count": {"type": "integer"},
                        "rejected_count": {"type": "integer"},
                        "accepted": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["index", "external_id"],
                                "properties": {
                                    "index": {"type": "integer"},
                                    # A record may come without one (reports).
                                    "external_id": {"type": ["string", "null"]},
                                    "id": {"type": "integer"},
                                    "receipt": {"type": "string"},
                                },
                            },
                        },
                        "duplicates": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "index": {"type": "integer"},
                                    "external_id": {"type": "string"},
                                },
                            },
                        },
                        "rejected": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "index": {"type": "integer"},
                                    "external_id": {"type": ["string", "null"]},
                                    "errors": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
                "ReportReceipt": {
                    "type": "object",
                    "required": ["id", "receipt", "status"],
                    "properties": {
                        "id": {"type": "integer"},
                        "receipt": {"type": "string", "description": "shown once; keep it"},
                        "status": {"type": "string", "enum": list(REPORT_STATUSES)},
                    },
                },
                "FollowUp": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "status": {"type": "string", "enum": list(REPORT_STATUSES)},
                        "status_label": {"type": "string"},
                        "created_at": {"type": "string", "format": "date-time"},
                        "updated_at": {"type": "string", "format": "date-time"},
                        "messages": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "author": {"type": "string", "enum": ["reporter", "analyst"]},
                                    "body": {"type": "string"},
                                    "created_at": {"type": "string", "format": "date-time"},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
