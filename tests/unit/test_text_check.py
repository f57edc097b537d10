"""One text check for everything that stores text: reports, log records, and the
reason a reporter reads. Each refuses exactly the texts ``text_problem`` refuses."""

from __future__ import annotations

from typing import Any

import pytest

from core.exceptions import ValidationFailed
from core.records import text_problem
from core.services.reports import decision_reason
from ingest.reports import parse_report
from ingest.validation import parse_log_record

TEXTS = {
    "plain": "A perfectly ordinary sentence about polling stations.",
    "accents and emoji": "Élection truquée 🗳️ — partagez avant minuit, s'il vous plaît",
    "astral pair": "Script kiddie kit \U0001f480 for sale, message me",
    "nul": "Polling stations close early\x00 share this",
    "lone high surrogate": "Polling stations close early \ud83d share this",
    "lone low surrogate": "Polling stations close early \udc80 share this",
    "reversed pair": "Polling stations close early \udc80\ud83d share this",
}

REPORT = {
    "reporter_type": "user",
    "category": "disinformation",
    "output": "BREAKING: polling stations in Riverton close at noon on election day.",
    "explanation": "False election information that could stop people from voting.",
    "accuracy_confirmed": True,
}
LOG = {
    "external_id": "rec-1",
    "timestamp": "2026-11-20T12:00:00Z",
    "response": "Polling stations close early. Share this now!",
}


def _report_refuses(field: str, text: str) -> bool:
    parsed = parse_report({**REPORT, field: text})
    return isinstance(parsed, dict) and field in parsed


def _log_refuses(record: dict[str, Any], field: str) -> bool:
    parsed = parse_log_record({**LOG, **record})
    return isinstance(parsed, dict) and field in parsed


def _reason_refused(text: str) -> bool:
    try:
        decision_reason(text, None)
    except ValidationFailed as exc:
        assert set(exc.errors) == {"reason"}
        return True
    return False


@pytest.mark.parametrize("name", TEXTS)
def test_every_validator_refuses_exactly_the_unstorable_texts(name):
    text = TEXTS[name]
    refused = text_problem(text) is not None
    assert refused == (name not in ("plain", "accents and emoji", "astral pair"))
    verdicts = {
        "report output": _report_refuses("output", text),
        "report explanation": _report_refuses("explanation", text),
        "report model_name": _report_refuses("model_name", text[:100]),
        "log response": _log_refuses({"response": text}, "response"),
        "log prompt": _log_refuses({"prompt": text}, "prompt"),
        "log message": _log_refuses(
            {"messages": [{"role": "user", "content": text}]}, "messages[0].content"
        ),
        "log account_id": _log_refuses({"account_id": text[:100]}, "account_id"),
        "log metadata": _log_refuses({"metadata": {"note": text}}, "metadata"),
        "decision reason": _reason_refused(text),
    }
    assert verdicts == dict.fromkeys(verdicts, refused)
