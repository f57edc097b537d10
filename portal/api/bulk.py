"""Authenticated bulk endpoints: deployers' log samples and trusted flaggers' notices.

Batch rule (documented in the OpenAPI document and the README): every valid
record of a batch is stored, even when others in the same batch are rejected;
the answer lists what was accepted, what was a duplicate, and what was
rejected with its index and field errors, so the client resends only the
rejected ones after fixing them. Resending a whole batch is always safe.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from core.exceptions import Forbidden, ValidationFailed
from core.records import text_problem
from core.services import clients as client_service
from core.services import logs as log_service
from core.services import reports as report_service
from core.services.clients import KeyPrincipal
from ingest.reports import parse_flagger_report
from ingest.validation import parse_log_record
from portal.api import api_v1
from portal.extensions import analyzer, db_session, limiter, settings


def _api_key_bucket() -> str:
    """The quota bucket: the key's id, however the header spells the key (scheme in
    any case, extra spaces), so a key gets one quota. A header that names no key of
    ours counts against the caller's address instead (never the key itself: the
    limiter's storage may be a shared Redis)."""
    found = client_service.key_id(
        db_session(), request.headers.get("Authorization"), secret_key=settings().secret_key
    )
    return f"key:{found}" if found is not None else f"address:{request.remote_addr}"


def _quota() -> str:
    return settings().rate_limit_api_key


def _principal(scope: str) -> KeyPrincipal:
    return client_service.authenticate(
        db_session(),
        request.headers.get("Authorization"),
        scope=scope,
        secret_key=settings().secret_key,
    )


def _records() -> list[Any]:
    """A JSON array, or NDJSON (one object per line), of at most max_bulk_records."""
    request.max_content_length = settings().max_bulk_bytes
    limit = settings().max_bulk_records
    mimetype = request.mimetype
    raw = request.get_data(cache=False)  # raises 413 past max_bulk_bytes
    if mimetype in ("application/x-ndjson", "application/jsonl", "application/ndjson"):
        records: list[Any] = []
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            if len(records) >= limit:
                raise RequestEntityTooLarge(f"at most {limit:,} records per request")
            try:
                records.append(json.loads(line))
            except RecursionError:
                records.append(_Unparseable(f"line {number}: JSON nested too deeply"))
            except ValueError as exc:
                # Keep the slot, so indexes in the answer match the client's lines.
                records.append(_Unparseable(f"line {number}: invalid JSON: {exc}"))
        return records
    if mimetype != "application/json":
        raise ValidationFailed(
            {"body": "Send a JSON array (application/json) or NDJSON (application/x-ndjson)."}
        )
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ValidationFailed({"body": "The body is not valid JSON: nested too deeply."}) from None
    except ValueError as exc:
        raise ValidationFailed({"body": f"The body is not valid JSON: {exc}"}) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValidationFailed({"body": "Send a JSON array of records."})
    if len(data) > limit:
        raise RequestEntityTooLarge(f"{len(data):,} records; at most {limit:,} per request")
    return data


class _Unparseable:
    def __init__(self, message: str):
        self.message = message


def _external_id(obj: Any) -> str | None:
    value = obj.get("external_id") if isinstance(obj, dict) else None
    return str(value)[:200] if isinstance(value, str | int) else None


def _answer(
    accepted: list[dict[str, Any]],
    duplicates: list[tuple[int, str]],
    rejected: list[dict[str, Any]],
    received: int,
) -> Response:
    return jsonify(
        {
            "received": received,
            "accepted_count": len(accepted),
            "duplicate_count": len(duplicates),
            "rejected_count": len(rejected),
            "accepted": accepted,
            "duplicates": [{"index": i, "external_id": e} for i, e in duplicates],
            "rejected": rejected,
        }
    )


@api_v1.post("/logs")
@limiter.limit(_quota, key_func=_api_key_bucket)
def ingest_logs() -> Response:
    principal = _principal("logs:write")
    if principal.deployer_id is None:
        raise Forbidden("Only a deployer's key can send log samples.")
    records = _records()
    valid: list[tuple[int, Any]] = []
    rejected: list[dict[str, Any]] = []
    # A resent record whose external_id is stored already is a duplicate whatever
    # else it holds: answer that from one look-up instead of validating it again,
    # so that resending a whole batch costs little more than reading it.
    sent = {obj["external_id"] for obj in records if _sent_id(obj)}
    stored = log_service.existing_external_ids(db_session(), principal.deployer_id, list(sent))
    early: list[tuple[int, str]] = []
    for index, obj in enumerate(records):
        if isinstance(obj, _Unparseable):
            rejected.append(
                {"index": index, "external_id": None, "errors": {"record": obj.message}}
            )
            continue
        if stored and _sent_id(obj) and obj["external_id"] in stored:
            early.append((index, obj["external_id"]))
            continue
        parsed = parse_log_record(obj)
        if isinstance(parsed, dict):
            rejected.append({"index": index, "external_id": _external_id(obj), "errors": parsed})
        else:
            valid.append((index, parsed))
    outcome = log_service.BatchOutcome()
    if valid:
        outcome = log_service.ingest_log_batch(
            db_session(),
            principal.deployer_id,
            valid,
            analyzer=analyzer(),
            api_key_id=principal.key_id,
            source="api",
        )
    duplicate_ids = {i for i, _ in outcome.duplicates}
    accepted = [
        {"index": i, "external_id": r.external_id} for i, r in valid if i not in duplicate_ids
    ]
    return _answer(accepted, sorted(early + outcome.duplicates), rejected, len(records))


def _sent_id(obj: Any) -> bool:
    """Whether a record names its external_id as a plain string, the only form a
    stored one can match without validation (stored ids are validated strings).
    One that could not be stored (a NUL, a surrogate) is left to validation,
    which rejects that record alone, instead of reaching the look-up."""
    if not isinstance(obj, dict):
        return False
    value = obj.get("external_id")
    return isinstance(value, str) and text_problem(value) is None


@api_v1.post("/reports/bulk")
@limiter.limit(_quota, key_func=_api_key_bucket)
def ingest_reports() -> Response:
    principal = _principal("reports:write")
    if principal.flagger_id is None:
        raise Forbidden("Only a trusted flagger's key can send reports in bulk.")
    records = _records()
    valid: list[tuple[int, Any]] = []
    rejected: list[dict[str, Any]] = []
    for index, obj in enumerate(records):
        if isinstance(obj, _Unparseable):
            rejected.append(
                {"index": index, "external_id": None, "errors": {"record": obj.message}}
            )
            continue
        if not isinstance(obj, dict):
            rejected.append(
                {
                    "index": index,
                    "external_id": None,
                    "errors": {"record": "Must be a JSON object."},
                }
            )
            continue
        parsed = parse_flagger_report(obj)
        if isinstance(parsed, dict):
            rejected.append({"index": index, "external_id": _external_id(obj), "errors": parsed})
        else:
            valid.append((index, parsed))
    outcome = report_service.BulkReportOutcome(accepted=[], duplicates=[])
    if valid:
        outcome = report_service.store_report_batch(
            db_session(),
            valid,
            source="bulk",
            flagger_id=principal.flagger_id,
            api_key_id=principal.key_id,
            analyzer=analyzer(),
            secret_key=settings().secret_key,
            keep_original=settings().keep_unmasked_original,
        )
    accepted = [
        {"index": i, "external_id": e, "id": rid, "receipt": rc}
        for i, e, rid, rc in outcome.accepted
    ]
    return _answer(accepted, outcome.duplicates, rejected, len(records))
