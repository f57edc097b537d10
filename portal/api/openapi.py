"""The OpenAPI 3.1 document of /api/v1.

The report, follow-up, appeal and workspace operations get their request body, query
parameters and fixed-shape answers from the pydantic models their views validate with
(``portal.api.validation``: plain pydantic and a small decorator rather than
flask-openapi3 or spectree, which would replace the blueprint and the error format
that ``portal/errors.py`` keeps in one place). The words of each operation (summary,
tags, security, error codes) are written here. The batch endpoints keep their
hand-written schemas: the log validator is on the 10k records/s path, and its
``LogRecord`` schema is built beside it and checked by a conformance test.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from core.models import ALERT_STATUSES
from core.models.base import MAX_ID
from ingest.reports import FLAGGER_REFUSED_FIELDS, MAX_SHORT_CHARS
from ingest.validation import log_record_schemas
from portal.api.validation import ApiModels, api_models

_REF = "#/components/schemas/{model}"
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


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/reports": {
        "post": {
            "summary": "Report a harmful output of an AI model",
            "operationId": "createReport",
            "tags": ["public"],
            "responses": {
                "201": {"description": "Stored. The receipt is shown only in this answer."},
                **_error_responses(400, 413, 429),
            },
        }
    },
    "/api/v1/reports/follow-up": {
        "post": {
            "summary": "Read a report's status and messages with its receipt; optionally reply",
            "operationId": "followUpReport",
            "tags": ["public"],
            "responses": {
                "200": {"description": "The report's status and conversation"},
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
    path_param: str | None = None,
    security: str | tuple[str, ...] | None = "session",
) -> dict[str, Any]:
    """An operation's words, codes and security; its body, query and answer schemas
    come from the view's models (``_attach_models``)."""
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
    if path_param:
        op["parameters"] = [{"name": path_param, "in": "path", "required": True, "schema": _ID}]
    return op


PATHS.update(
    {
        "/api/v1/campaigns/{campaign_id}/stix": {
            "get": _op(
                "The campaign as a STIX 2.1 bundle (pseudonymous accounts, masked texts "
                "only; audited)",
                "getCampaignStix",
                path_param="campaign_id",
                ok_text="a STIX 2.1 bundle (application/stix+json)",
                errors=(400, 401, 403, 404),
            )
        },
        "/api/v1/cases/{case_id}/incident/reports/{number}": {
            "get": {
                **_op(
                    "A serious-incident report as submitted: its content, SHA-256 and the "
                    "audit entry that chains the hash (JSON, or HTML to print; audited)",
                    "getIncidentReport",
                    ok_text="the report (a report whose content no longer matches is a 409)",
                    errors=(400, 401, 403, 404, 409),
                ),
                "parameters": [
                    {"name": "case_id", "in": "path", "required": True, "schema": _ID},
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": _ID,
                        "description": "the report's number within the incident, from 1",
                    },
                ],
            }
        },
        "/api/v1/campaigns/{campaign_id}/techniques": {
            "post": _op(
                "Tag a campaign with a technique: DISARM (T0019) or MITRE ATLAS (AML.T0051)",
                "tagCampaignTechnique",
                path_param="campaign_id",
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
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/sanctions/{sanction_id}/reject": {
            "post": _op(
                "Reject a proposed sanction, with a reason",
                "rejectSanction",
                path_param="sanction_id",
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/sanctions/{sanction_id}/revoke": {
            "post": _op(
                "Revoke a sanction in force, with a reason",
                "revokeSanction",
                path_param="sanction_id",
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/cases": {
            "get": _op(
                "Cases, most recently changed first",
                "listCases",
            ),
            "post": _op(
                "Open a case from an alert, a campaign or reports",
                "openCase",
                ok="201",
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
                errors=(400, 401, 403, 404),
            )
        },
        "/api/v1/cases/{case_id}/status": {
            "post": _op(
                "Change a case's status",
                "setCaseStatus",
                path_param="case_id",
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
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/appeals": {
            "get": _op(
                "Appeals, newest first",
                "listAppeals",
            ),
            "post": _op(
                "Appeal a sanction (its reference) or the decision on your report (its "
                "receipt); answers with an appeal code, shown once",
                "fileAppeal",
                tag="public",
                ok="201",
                errors=(400, 404, 409, 429),
                security=None,
            ),
        },
        "/api/v1/appeals/status": {
            "post": _op(
                "The state and outcome of an appeal, with its appeal code",
                "appealStatus",
                tag="public",
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
                errors=(400, 401, 403, 404, 409),
            )
        },
        "/api/v1/exports/statements": {
            "get": _op(
                "Statements of reasons in the EU DSA Transparency Database's shape "
                "(format=json or csv)",
                "exportStatements",
                errors=(400, 401, 403),
            )
        },
        "/api/v1/transparency": {
            "get": _op(
                "The transparency report: counts by category, measure and source, median "
                "time from report to decision, appeals and reversals (format=json or csv)",
                "transparencyReport",
                tag="public",
                errors=(400,),
                security=None,
            )
        },
    }
)


def _operations(app: Flask) -> Iterator[tuple[str, str, ApiModels]]:
    """(path, method, models) of each /api/v1 view that declares its models."""
    for rule in app.url_map.iter_rules():
        models = api_models(app.view_functions[rule.endpoint])
        if not rule.rule.startswith("/api/v1") or models is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield path, method.lower(), models


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": _REF.format(model=model.__name__)}


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """A query model as OpenAPI parameters. A query string cannot carry null, so an
    optional argument is published as its non-null type (absent = the default)."""
    schema = model.model_json_schema(ref_template=_REF)
    params = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        description = prop.pop("description", None)
        branches = [b for b in prop.pop("anyOf", []) if b != {"type": "null"}]
        if branches:
            prop = {**(branches[0] if len(branches) == 1 else {"anyOf": branches}), **prop}
        if prop.get("default", 0) is None:
            del prop["default"]
        param: dict[str, Any] = {"name": name, "in": "query", "schema": prop}
        if description:
            param["description"] = description
        if name in schema.get("required", ()):
            param["required"] = True
        params.append(param)
    return params


def _attach_models(paths: dict[str, dict[str, Any]], app: Flask) -> dict[str, Any]:
    """Fill in each modelled operation's body, query and answer from its view's models;
    returns the models' schemas for ``components``."""
    requests: set[type[BaseModel]] = set()
    responses: set[type[BaseModel]] = set()
    for path, method, models in _operations(app):
        op = paths[path][method]
        if models.body is not None:
            requests.add(models.body)
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(models.body)}},
            }
        if models.query is not None:
            op["parameters"] = [
                *(p for p in op.get("parameters", []) if p["in"] != "query"),
                *query_parameters(models.query),
            ]
        if models.response is not None:
            responses.add(models.response)
            ok = next(code for code in op["responses"] if code.startswith("2"))
            op["responses"][ok]["content"] = {"application/json": {"schema": _ref(models.response)}}
    _, schemas = models_json_schema(
        [(m, "validation") for m in sorted(requests, key=lambda m: m.__name__)]
        + [(m, "serialization") for m in sorted(responses, key=lambda m: m.__name__)],
        ref_template=_REF,
    )
    return dict(schemas.get("$defs", {}))


def build_openapi(app: Flask) -> dict[str, Any]:
    """The document of ``app``'s /api/v1; the modelled operations are read off its views."""
    paths = copy.deepcopy(PATHS)
    modelled = _attach_models(paths, app)
    report_properties = modelled["ReportIn"]["properties"]
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
        "paths": paths,
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
                            for name, schema in report_properties.items()
                            if name not in FLAGGER_REFUSED_FIELDS
                        },
                        "external_id": {"type": "string", "maxLength": MAX_SHORT_CHARS},
                    },
                },
                **modelled,
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
            },
        },
    }
