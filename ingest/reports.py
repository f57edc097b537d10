"""Validation of reports: one schema for the web form, the JSON API and bulk files."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from core.records import FieldErrors, ReportIn, text_errors
from core.taxonomy import HARM_CATEGORIES, REPORTER_TYPES

MAX_OUTPUT_CHARS = 20_000
MAX_PROMPT_CHARS = 20_000
MAX_EXPLANATION_CHARS = 5_000
MIN_EXPLANATION_CHARS = 20
MAX_SHORT_CHARS = 200
MAX_URL_CHARS = 2_000

# Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is
# the reporter's business; we only refuse what is clearly not an address.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")

REPORT_FIELDS = (
    "reporter_type",
    "category",
    "provider",
    "model_name",
    "model_version",
    "product_url",
    "output",
    "prompt",
    "occurred_at",
    "published_url",
    "explanation",
    "contact_email",
    "accuracy_confirmed",
    "serious_incident",
    "external_id",
)


def _text(
    raw: Mapping[str, Any],
    name: str,
    errors: FieldErrors,
    *,
    required: bool = False,
    max_chars: int = MAX_SHORT_CHARS,
    min_chars: int = 0,
) -> str | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = "This field is required."
        return None
    if not isinstance(value, str):
        errors[name] = "Must be text."
        return None
    if problem := text_errors({name: value}):
        errors.update(problem)
        return None
    value = value.strip()
    if len(value) > max_chars:
        errors[name] = f"Must be at most {max_chars:,} characters (got {len(value):,})."
        return None
    if len(value) < min_chars:
        errors[name] = f"Please write at least {min_chars} characters."
        return None
    return value


# "javascript:", "data:", "mailto:"...: a scheme followed by anything but a port number.
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?!\d)", re.IGNORECASE)


def _url(raw: Mapping[str, Any], name: str, errors: FieldErrors) -> str | None:
    """An http(s) address, stored with its scheme ("example.com/x" becomes
    "https://example.com/x"), so that no stored address can be a script link
    (javascript:, data:, vbscript:) wherever it is rendered as a link."""
    value = _text(raw, name, errors, max_chars=MAX_URL_CHARS)
    if value is None:
        return None
    if "://" not in value and not _OTHER_SCHEME.match(value):
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        errors[name] = "Must be an http or https address, such as https://example.com/page."
        return None
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if not parts.hostname or not port_ok or any(c.isspace() or not c.isprintable() for c in value):
        errors[name] = "Must be a web address such as https://example.com/page."
        return None
    return value


def _choice(
    raw: Mapping[str, Any], name: str, choices: Mapping[str, str], errors: FieldErrors
) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        errors[name] = "Please choose one."
        return None
    if not isinstance(value, str) or value not in choices:
        errors[name] = "Must be one of: " + ", ".join(choices) + "."
        return None
    return value


def _when(raw: Mapping[str, Any], name: str, errors: FieldErrors) -> datetime | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors[name] = "Must be a date (YYYY-MM-DD) or date-time (ISO 8601)."
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # Year 1 with a positive offset, or 9999 with a negative one, falls off the calendar.
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        errors[name] = f"Must be a date (YYYY-MM-DD) or date-time (ISO 8601), got {value[:60]!r}."
        return None
    # A day of slack: the reporter's clock and time zone are not ours.
    if parsed > datetime.now(UTC) + timedelta(days=1):
        errors[name] = "Cannot be in the future."
        return None
    if parsed.year < 2000:
        errors[name] = "Must be after the year 2000."
        return None
    return parsed


def _confirmed(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in {"1", "true", "on", "yes", "y"}


def parse_report(
    raw: Mapping[str, Any], *, allow_external_id: bool = False
) -> ReportIn | FieldErrors:
    """Validate one report. Returns the record, or every field error found."""
    errors: FieldErrors = {}
    if not allow_external_id:
        unknown = [k for k in raw if k not in REPORT_FIELDS or k == "external_id"]
    else:
        unknown = [k for k in raw if k not in REPORT_FIELDS]
    for key in unknown:
        errors[str(key)[:100]] = "Unknown field."

    reporter_type = _choice(raw, "reporter_type", REPORTER_TYPES, errors)
    category = _choice(raw, "category", HARM_CATEGORIES, errors)
    output = _text(raw, "output", errors, required=True, max_chars=MAX_OUTPUT_CHARS)
    prompt = _text(raw, "prompt", errors, max_chars=MAX_PROMPT_CHARS)
    explanation = _text(
        raw,
        "explanation",
        errors,
        required=True,
        max_chars=MAX_EXPLANATION_CHARS,
        min_chars=MIN_EXPLANATION_CHARS,
    )
    provider = _text(raw, "provider", errors)
    model_name = _text(raw, "model_name", errors)
    model_version = _text(raw, "model_version", errors)
    product_url = _url(raw, "product_url", errors)
    published_url = _url(raw, "published_url", errors)
    occurred_at = _when(raw, "occurred_at", errors)
    external_id = _text(raw, "external_id", errors) if allow_external_id else None

    contact_email = _text(raw, "contact_email", errors, max_chars=320)
    if contact_email is not None:
        if reporter_type == "whistleblower":
            errors["contact_email"] = (
                "Leave this empty in whistleblower mode: we store nothing that could "
                "identify you. Keep your receipt code to follow up."
            )
        elif not _EMAIL.match(contact_email):
            errors["contact_email"] = "Must be an e-mail address such as name@example.org."

    accuracy_confirmed = _confirmed(raw.get("accuracy_confirmed"))
    if not accuracy_confirmed:
        errors["accuracy_confirmed"] = (
            "Please confirm that the report is accurate to the best of your knowledge."
        )

    # Optional: the reporter thinks the output caused or could cause a serious incident.
    serious_incident = _confirmed(raw.get("serious_incident"))

    if errors:
        return errors
    assert reporter_type and category and output and explanation  # guaranteed by no errors
    return ReportIn(
        reporter_type=reporter_type,
        category=category,
        output=output,
        prompt=prompt,
        explanation=explanation,
        provider=provider,
        model_name=model_name,
        model_version=model_version,
        product_url=product_url,
        occurred_at=occurred_at,
        published_url=published_url,
        contact_email=contact_email,
        accuracy_confirmed=True,
        serious_incident=serious_incident,
        external_id=external_id,
    )


# A trusted flagger's bulk notice is the organisation's own report: its reporter
# type is always trusted_flagger and the flagger's registered contact answers for
# it. A per-item contact address or whistleblower mode would make the flagger
# hand us personal data it has no reason to pass on, under a mode (no identity
# stored) that its authenticated key contradicts: both are refused, not dropped,
# so the flagger learns the rule instead of losing data silently.
FLAGGER_REFUSED_FIELDS = {
    "reporter_type": (
        "Not accepted in bulk reports: every bulk report is the trusted flagger's own "
        "notice. A whistleblower uses the public form."
    ),
    "contact_email": (
        "Not accepted in bulk reports: the trusted flagger's registered contact answers "
        "for its notices."
    ),
}


def parse_flagger_report(raw: Mapping[str, Any]) -> ReportIn | FieldErrors:
    """Validate one report of a trusted flagger's bulk batch (see FLAGGER_REFUSED_FIELDS)."""
    refused = {
        name: message
        for name, message in FLAGGER_REFUSED_FIELDS.items()
        if raw.get(name) not in (None, "")
    }
    rest = {k: v for k, v in raw.items() if k not in FLAGGER_REFUSED_FIELDS}
    parsed = parse_report({"reporter_type": "user", **rest}, allow_external_id=True)
    if refused:
        return {**refused, **parsed} if isinstance(parsed, dict) else refused
    return parsed
