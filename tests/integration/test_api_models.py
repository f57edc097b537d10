"""The report, follow-up, appeal and workspace endpoints validate with pydantic models and
the OpenAPI document publishes those models: the two must not drift apart again, and a
wrong field is named in the error."""

from __future__ import annotations

import pytest

from factories import report_payload
from portal.api.openapi import _operations, query_parameters
from portal.api.validation import api_models
from security_support import login, make_user

REF = "#/components/schemas/{model}"

# Every operation whose input the models describe; a view that loses its models fails here.
MODELLED = {
    ("/api/v1/reports", "post"),
    ("/api/v1/reports/follow-up", "post"),
    ("/api/v1/appeals", "post"),
    ("/api/v1/appeals", "get"),
    ("/api/v1/appeals/status", "post"),
    ("/api/v1/appeals/{appeal_id}/decision", "post"),
    ("/api/v1/campaigns/{campaign_id}/stix", "get"),
    ("/api/v1/campaigns/{campaign_id}/techniques", "post"),
    ("/api/v1/campaigns/{campaign_id}/techniques/remove", "post"),
    ("/api/v1/sanctions", "get"),
    ("/api/v1/sanctions/{sanction_id}/approve", "post"),
    ("/api/v1/sanctions/{sanction_id}/reject", "post"),
    ("/api/v1/sanctions/{sanction_id}/revoke", "post"),
    ("/api/v1/cases", "get"),
    ("/api/v1/cases", "post"),
    ("/api/v1/cases/{case_id}/notes", "post"),
    ("/api/v1/cases/{case_id}/status", "post"),
    ("/api/v1/cases/{case_id}/sanctions", "post"),
    ("/api/v1/cases/{case_id}/incident/reports/{number}", "get"),
    ("/api/v1/exports/statements", "get"),
    ("/api/v1/transparency", "get"),
}
# The batch endpoints keep their hand-written schemas: the log validator is on the
# 10k records/s path and has its own conformance test.
HAND_WRITTEN_BODIES = {("/api/v1/logs", "post"), ("/api/v1/reports/bulk", "post")}


def _doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def _component(doc, ref):
    return doc["components"]["schemas"][ref.removeprefix("#/components/schemas/")]


def test_the_converted_operations_are_modelled(app):
    assert {(path, method) for path, method, _ in _operations(app)} == MODELLED


def test_the_document_publishes_each_views_models(app, client):
    doc = _doc(client)
    for path, method, models in _operations(app):
        op = doc["paths"][path][method]
        where = (path, method)
        if models.body is not None:
            published = op["requestBody"]["content"]["application/json"]["schema"]
            expected = models.body.model_json_schema(ref_template=REF)
            assert _component(doc, published["$ref"]) == {
                k: v for k, v in expected.items() if k != "$defs"
            }, where
            for name, schema in expected.get("$defs", {}).items():
                assert doc["components"]["schemas"][name] == schema, (where, name)
        else:
            assert "requestBody" not in op, where
        if models.query is not None:
            query = [p for p in op["parameters"] if p["in"] == "query"]
            assert query == query_parameters(models.query), where
            assert [p["name"] for p in query] == list(models.query.model_fields), where
        if models.response is not None:
            ok = next(code for code in op["responses"] if code.startswith("2"))
            published = op["responses"][ok]["content"]["application/json"]["schema"]
            expected = models.response.model_json_schema(mode="serialization", ref_template=REF)
            assert _component(doc, published["$ref"]) == {
                k: v for k, v in expected.items() if k != "$defs"
            }, where


def test_no_hand_written_request_body_is_left(app, client):
    doc = _doc(client)
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if "requestBody" in op and (path, method) not in HAND_WRITTEN_BODIES:
                view = app.view_functions[
                    next(
                        rule.endpoint
                        for rule in app.url_map.iter_rules()
                        if method.upper() in (rule.methods or ())
                        and rule.rule.replace("<int:", "<").replace("<", "{").replace(">", "}")
                        == path
                    )
                ]
                assert api_models(view) is not None, (path, method)


def test_the_document_is_valid_openapi_3_1(client):
    # Imported here, not at the top: jsonschema builds the grammar of its IRI format
    # check at import (3 s of CPU), which every test process would pay to collect.
    import jsonschema

    doc = _doc(client)
    assert doc["openapi"] == "3.1.0"
    # Every schema in it is a valid JSON Schema (2020-12, the dialect of OpenAPI 3.1).
    for name, schema in doc["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
    for ops in doc["paths"].values():
        for op in ops.values():
            for param in op.get("parameters", []):
                assert param["in"] in ("path", "query") and param["name"]
                jsonschema.Draft202012Validator.check_schema(param["schema"])


PUBLIC_CASES = [
    ("/api/v1/reports", report_payload(prompt=["not", "text"]), "prompt", "Must be text."),
    ("/api/v1/reports", report_payload(accuracy_confirmed="yes"), "accuracy_confirmed", "true"),
    ("/api/v1/reports/follow-up", {"receipt": "R-1", "message": 5}, "message", "Must be text."),
    ("/api/v1/reports/follow-up", {"message": "hello"}, "receipt", "Required."),
    ("/api/v1/reports/follow-up", {"receipt": "R-1", "sig": 1}, "sig", "Unknown field."),
    ("/api/v1/appeals", {"statement": "short"}, "statement", "at least 10"),
    ("/api/v1/appeals/status", {"appeal_code": 5}, "appeal_code", "Must be text."),
]


@pytest.mark.parametrize(("path", "body", "field", "words"), PUBLIC_CASES)
def test_a_wrong_public_field_is_named(client, path, body, field, words):
    resp = client.post(path, json=body)
    assert resp.status_code == 400
    errors = resp.get_json()["errors"]
    assert field in errors and words in errors[field], errors


SESSION_CASES = [
    ("get", "/api/v1/cases?limit=0", None, "limit", "between 1 and 1,000"),
    ("get", "/api/v1/cases?status=done", None, "status", "open, investigating"),
    ("post", "/api/v1/cases", {"title": "T", "origin_type": "x"}, "origin_type", "manual"),
    (
        "post",
        "/api/v1/cases",
        {"title": "T", "origin_type": "manual", "items": [{"kind": "report", "id": "1"}]},
        "items[0].id",
        "whole number",
    ),
    ("post", "/api/v1/cases/1/notes", {"body": ""}, "body", "at least 1"),
    ("post", "/api/v1/cases/1/status", {"status": "x"}, "status", "closed"),
    ("post", "/api/v1/cases/1/sanctions", {"subject_type": "deployer"}, "measure", "Required."),
    ("post", "/api/v1/cases/1/sanctions", {"ends_at": "soon"}, "ends_at", "ISO 8601"),
    ("get", "/api/v1/appeals?status=x", None, "status", "pending"),
    ("post", "/api/v1/appeals/1/decision", {"outcome": "x", "reason": "r"}, "outcome", "upheld"),
    ("get", "/api/v1/campaigns/1/stix?tlp=x", None, "tlp", "amber"),
    ("post", "/api/v1/campaigns/1/techniques", {"technique_id": "T1"}, "framework", "Required."),
    ("post", "/api/v1/campaigns/1/techniques/remove", {"framework": "x"}, "framework", "disarm"),
    ("get", "/api/v1/sanctions?limit=x", None, "limit", "whole number"),
    ("get", "/api/v1/exports/statements?since=x", None, "since", "ISO 8601"),
    ("get", "/api/v1/transparency?format=xml", None, "format", "json, csv"),
    ("post", "/api/v1/sanctions/1/approve", {"x": 1}, "x", "Unknown field."),
    ("post", "/api/v1/sanctions/1/reject", {"reason": 3}, "reason", "Must be text."),
    ("post", "/api/v1/sanctions/1/revoke", {}, "reason", "Required."),
]


@pytest.mark.parametrize(("method", "url", "body", "field", "words"), SESSION_CASES)
def test_a_wrong_field_is_named(client, db, method, url, body, field, words):
    make_user(db, "sue@example.org", "supervisor")
    assert login(client, "sue@example.org").status_code == 303
    resp = getattr(client, method)(url, json=body) if body is not None else client.get(url)
    assert resp.status_code == 400
    errors = resp.get_json()["errors"]
    assert field in errors and words in errors[field], errors


@pytest.mark.parametrize(
    ("method", "url", "body", "field", "words"),
    [case for case in SESSION_CASES if not case[1].startswith("/api/v1/transparency")],
)
def test_a_role_is_checked_before_the_input(client, method, url, body, field, words):
    resp = getattr(client, method)(url, json=body) if body is not None else client.get(url)
    assert resp.status_code == 401
