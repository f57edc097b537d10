"""Property-based tests generated from /api/v1/openapi.json (schemathesis), on SQLite
and PostgreSQL: public endpoints anonymously, the bulk endpoints with API keys,
and the analyst endpoints with an analyst's and a supervisor's session.

Every response must be documented (status code, content type, body schema) and
none may be a 5xx; data that breaks the documented request schema must be
refused with a 4xx. The one check left out is that schema-valid data is always
accepted: a JSON schema cannot say that a receipt must exist or that a date may
not lie in the future, and those answers are documented 400s and 404s.

Generation is derandomized, so a failure in CI reproduces on a developer's
machine, and bounded per operation, so the file runs in a few minutes.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import given
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from sqlalchemy import select

from core.models import Sanction, User
from core.services import appeals as appeal_service
from core.services import reports as report_service
from core.services import sanctions as sanction_service
from factories import report_payload
from ingest.reports import parse_report
from security_support import (
    deployer_key,
    flagger_key,
    fuzz_settings,
    login,
    make_user,
    pending_suspension,
)

SITE = "http://localhost"
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
FUZZ = fuzz_settings(25)


@pytest.fixture
def seeded(db, analyzer):
    """A little of everything, with small ids, so generated ids often find a row."""
    sue = make_user(db, "sue@example.org", "supervisor")
    make_user(db, "max@example.org", "supervisor")
    make_user(db, "ana@example.org", "analyst")
    sanction_id = pending_suspension(db, sue)
    with db.session_scope() as s:
        other = s.execute(select(User).where(User.email == "max@example.org")).scalar_one()
        sanction_service.approve_sanction(s, sanction_id, user=other)
        report_service.submit_report(
            s,
            parse_report(report_payload()),
            analyzer=analyzer,
            secret_key=db.settings.secret_key,
        )
        appeal_service.file_appeal(
            s,
            reference=s.get(Sanction, sanction_id).reference,
            statement="The accounts were not ours; please look again.",
            secret_key=db.settings.secret_key,
            analyzer=analyzer,
            window_days=db.settings.appeal_window_days,
        )
    return {"deployer": deployer_key(db, "globex"), "flagger": flagger_key(db)}


def fuzz(app, tags: list[str], auth=None, excluded=()) -> int:
    """Run every operation with one of ``tags``, in both generation modes; fail with
    every operation's first failure (each shrunk by Hypothesis) at once.

    ``auth(operation)`` gives the credentials as ``{"headers": ..., "cookies": ...}``;
    they go through schemathesis's auth hook, so that its own checks can still send
    a request without them (and expect a 401)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).include(tag=tags)
    if auth is not None:

        @schema.auth()
        class Credentials:
            def get(self, case, context):
                return auth(case.operation)

            def set(self, case, data, context):
                for where, values in data.items():
                    setattr(case, where, {**(getattr(case, where) or {}), **values})

    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in MODES:

            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                # A browser on the site sends its Origin with every change. Plain bodies:
                # schemathesis asks for gzip as requests does, but its WSGI transport
                # does not decode it, and answers of 1 KiB or more come compressed
                # (compression has its own tests).
                case.call_and_validate(
                    headers={"Origin": SITE, "Accept-Encoding": "identity"},
                    excluded_checks=[positive_data_acceptance, *excluded],
                )

            try:
                run()
            except (Exception, FailureGroup) as exc:  # every kind of failure, reported together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
    return len(operations)


def test_public_endpoints(app):
    assert fuzz(app, ["public"]) >= 5


@pytest.mark.fuzz
def test_bulk_endpoints_with_a_key(app, seeded):
    def key(operation):
        owner = "flagger" if "trusted flaggers" in (operation.tags or []) else "deployer"
        return {"headers": {"Authorization": f"Bearer {seeded[owner]}"}}

    # The batch rule: a record that breaks the schema is rejected on its own, inside a
    # 200 that lists it (documented), so a schema-breaking batch is not refused whole.
    assert fuzz(app, ["deployers", "trusted flaggers"], key, [negative_data_rejection]) >= 3


def _session_cookie(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 303
    return {"session": client.get_cookie("session").value}


@pytest.mark.fuzz
@pytest.mark.parametrize("email", ["ana@example.org", "sue@example.org"])
def test_analyst_endpoints_with_a_session(app, seeded, email):
    """As an analyst, and as a supervisor (who may do what analysts may not)."""
    cookies = _session_cookie(app, email)
    assert fuzz(app, ["analysts"], lambda operation: {"cookies": cookies}) >= 15
