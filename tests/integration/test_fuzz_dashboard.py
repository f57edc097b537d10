"""The dashboard's callback endpoint takes what Dash's renderer would send and
answers anything else with a 400 that says what is wrong, never a 500: fixed
malformed bodies first, then bodies generated for every registered callback
(Hypothesis), well-shaped with values of any JSON type."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, get_args, get_type_hints, is_typeddict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.services import reports as report_service
from factories import report_payload
from ingest.reports import parse_report
from security_support import fuzz_settings, login, make_user, pending_suspension

if TYPE_CHECKING:
    from dashboards.callbacks import CallbackSpec

UPDATE = "/dashboard/_dash-update-component"
ROUTER = "..page.children...nav.children...user-box.children...page-title.data.."
FUZZ = fuzz_settings(25)


def _router_body(pathname: Any = "/dashboard/") -> dict[str, Any]:
    return {
        "output": ROUTER,
        "outputs": [
            {"id": "page", "property": "children"},
            {"id": "nav", "property": "children"},
            {"id": "user-box", "property": "children"},
            {"id": "page-title", "property": "data"},
        ],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
        "changedPropIds": ["url.pathname"],
    }


@pytest.fixture
def admin(client, db, analyzer):
    """Logged in with every role, over a database with a report, a case and a
    sanction, so that generated ids often find a row."""
    sue = make_user(db, "sue@example.org", "supervisor")
    make_user(db, "adm@example.org", "admin")
    pending_suspension(db, sue)
    with db.session_scope() as s:
        report_service.submit_report(
            s, parse_report(report_payload()), analyzer=analyzer, secret_key=db.settings.secret_key
        )
    assert login(client, "adm@example.org").status_code == 303
    return client


def test_a_well_formed_request_is_answered(admin):
    resp = admin.post(UPDATE, json=_router_body())
    assert resp.status_code == 200, resp.get_data(as_text=True)


def test_malformed_callback_requests_are_a_400(admin):
    for body in [
        [],
        {},
        "text",
        {"output": "no-such.children"},
        {**_router_body(), "inputs": []},
        {**_router_body(), "inputs": "x"},
        {**_router_body(), "inputs": [{"id": "other", "property": "pathname", "value": "/"}]},
        {**_router_body(), "inputs": [["x"]]},
        {**_router_body(), "state": [{"id": "url", "property": "pathname"}]},
        {**_router_body(), "outputs": {"id": "page", "property": "children"}},
        {**_router_body(), "outputs": [1, 2, 3]},
        {**_router_body(), "changedPropIds": ["{not json.n_clicks"]},
        {**_router_body(), "changedPropIds": "url.pathname"},
        _router_body(pathname=12),
        _router_body(pathname={"a": 1}),
        _router_body(pathname="/dashboard/\x00"),
        _router_body(pathname="/dashboard/\ud800"),
    ]:
        resp = admin.post(UPDATE, data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 400, (body, resp.get_data(as_text=True)[:500])
        assert resp.get_json()["errors"]["callback"], body


def test_deep_json_and_bad_numbers_are_a_400(admin):
    deep = '{"output": ' + "[" * 5000 + "]" * 5000 + "}"
    assert admin.post(UPDATE, data=deep, content_type="application/json").status_code == 400
    triage = {
        "output": "..triage-table.children...triage-page.data...triage-page-label.children"
        "...triage-prev.disabled...triage-next.disabled..",
    }
    for page in (-1, 2**31, 1.5, float("nan")):
        body = _body_for(admin, triage["output"], {"triage-page.data": page})
        resp = admin.post(UPDATE, data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 400, (page, resp.get_data(as_text=True)[:300])


def test_a_record_kept_in_a_store_must_have_its_keys_and_types(admin):
    """The account page keeps {deployer_id, account} in a dcc.Store: a key missing,
    extra or of the wrong type is a 400, not a KeyError (500) in the callback."""
    [output] = [o for o in _specs(admin.application) if "account-logs-table.children" in o]
    for key in (
        {"account": "acct-1"},
        {"deployer_id": "1", "account": "acct-1"},
        {"deployer_id": 1, "account": "acct-1", "extra": 1},
        [1, "acct-1"],
    ):
        body = _body_for(admin, output, {"account-key.data": key})
        resp = admin.post(UPDATE, data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 400, (key, resp.get_data(as_text=True)[:300])
    body = _body_for(admin, output, {"account-key.data": {"deployer_id": 1, "account": "acct-1"}})
    resp = admin.post(UPDATE, data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


def _specs(app) -> dict[str, CallbackSpec]:
    from dashboards.callbacks import callback_specs

    return callback_specs(app.extensions["misuse.dash"])


def _body_for(client, output: str, values: dict[str, Any]) -> dict[str, Any]:
    spec = _specs(client.application)[output]

    def dep(dep_id, prop, value):
        return {"id": dep_id, "property": prop, "value": value}

    outputs = [{"id": i, "property": p} for i, p in spec.outputs]
    return {
        "output": output,
        "outputs": outputs if spec.multi_output else outputs[0],
        "inputs": [dep(i, p, values.get(f"{i}.{p}")) for i, p in spec.inputs],
        "state": [dep(i, p, values.get(f"{i}.{p}")) for i, p in spec.state],
        "changedPropIds": [],
    }


# --- generated requests ----------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
PLAUSIBLE_TEXT = st.sampled_from(
    ["", "open", "me", "none", "report-1", "report-1, log-2", "2026-11-20", "/dashboard/cases/1"]
) | st.text(max_size=20)


def _typed(hint: Any) -> st.SearchStrategy[Any]:
    """Values of the type a callback declares, mostly small ids and plausible text."""
    if is_typeddict(hint):
        return st.fixed_dictionaries({k: _typed(t) for k, t in get_type_hints(hint).items()})
    text = repr(hint)
    if "list[" in text:
        return st.lists(JSON_VALUES | st.integers(0, 5) | PLAUSIBLE_TEXT, max_size=4)
    if "dict[" in text:
        return st.dictionaries(
            st.sampled_from(["points", "index", "type", "customdata"]), JSON_VALUES, max_size=3
        )
    options = []
    if "int" in text or "float" in text:
        options.append(st.integers(0, 5))
    if "str" in text:
        options.append(PLAUSIBLE_TEXT)
    if "None" in text:
        options.append(st.none())
    return st.one_of(*options) if options else JSON_VALUES


def _pattern_type(dep_id: str) -> str:
    return json.loads(dep_id)["type"]


@st.composite
def callback_bodies(draw, spec: CallbackSpec, output: str) -> dict[str, Any]:
    """A request as the renderer shapes it; the values may be anything."""
    # The components matching each pattern, the same wherever the pattern appears.
    on_page: dict[str, list[int]] = {}

    def components(dep_id: str) -> list[dict[str, Any]]:
        if dep_id not in on_page:
            on_page[dep_id] = draw(st.lists(st.integers(0, 3), max_size=3, unique=True))
        return [{"index": i, "type": _pattern_type(dep_id)} for i in on_page[dep_id]]

    def value(hint: Any) -> Any:
        # Mostly the declared type, to get past the type check into the callback.
        return draw(st.one_of(_typed(hint), _typed(hint), _typed(hint), JSON_VALUES))

    def entries(deps, hints):
        out = []
        for (dep_id, prop), hint in zip(deps, hints, strict=False):
            if dep_id.startswith("{"):
                item = (get_args(hint) or (Any,))[0]  # list[X]: one value per component
                out.append(
                    [
                        {"id": ident, "property": prop, "value": value(item)}
                        for ident in components(dep_id)
                    ]
                )
            else:
                out.append({"id": dep_id, "property": prop, "value": value(hint)})
        return out

    inputs = entries(spec.inputs, spec.types[: len(spec.inputs)])
    state = entries(spec.state, spec.types[len(spec.inputs) :])
    sent = []
    for entry, (_, prop) in zip(inputs, spec.inputs, strict=True):
        for item in entry if isinstance(entry, list) else [entry]:
            ident = item["id"]
            if isinstance(ident, dict):
                ident = json.dumps(ident, sort_keys=True, separators=(",", ":"))
            sent.append(f"{ident}.{prop}")
    outputs = [
        [{"id": ident, "property": prop} for ident in components(dep_id)]
        if dep_id.startswith("{")
        else {"id": dep_id, "property": prop}
        for dep_id, prop in spec.outputs
    ]
    changed = draw(st.lists(st.sampled_from(sent), min_size=1, max_size=2)) if sent else []
    return {
        "output": output,
        "outputs": outputs if spec.multi_output else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }


@pytest.mark.fuzz
def test_no_generated_callback_request_is_a_server_error(app, admin):
    """Every callback, with values of the declared types and of any JSON type: each
    request is answered, refused (4xx) or skipped (204), never a 500."""
    failures = []
    specs = _specs(app)
    assert len(specs) >= 20
    for output, spec in specs.items():

        @FUZZ
        @given(body=callback_bodies(spec, output))
        def run(body):
            resp = admin.post(UPDATE, data=json.dumps(body), content_type="application/json")
            assert resp.status_code < 500, (body, resp.get_data(as_text=True)[:500])

        try:
            run()
        except Exception as exc:  # a 500, or what the test client raises in its place
            found = exc.exceptions if isinstance(exc, ExceptionGroup) else [exc]
            name = re.sub(r"[.]{2,}", " ", output)[:80]
            failures += [f"{name}: {type(e).__name__}: {e}" for e in found]
    assert not failures, "\n\n".join(failures)
