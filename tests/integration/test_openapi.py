import re


def _routes(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def test_openapi_document_matches_the_routes(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert documented == _routes(app)


def test_every_operation_documents_its_answers(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("operationId"), (path, method)
            assert any(code.startswith("2") for code in op["responses"]), (path, method)
            if method == "post":
                assert "400" in op["responses"], (path, method)


def test_all_refs_resolve(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', str(doc).replace("'", '"'))
    assert refs
    for ref in refs:
        assert ref in doc["components"]["schemas"], ref
