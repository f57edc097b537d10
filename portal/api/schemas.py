"""Request and response models of the report, follow-up, appeal and workspace endpoints.

The views validate with these (``portal.api.validation.validated``) and the OpenAPI
document publishes their ``model_json_schema()``, so the two cannot disagree. Limits
and vocabularies come from the modules that enforce them in the services.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from core.models import (
    APPEAL_STATUSES,
    CASE_STATUSES,
    SANCTION_MEASURES,
    SANCTION_STATUSES,
    SANCTION_SUBJECTS,
)
from core.models.case import CASE_ITEM_KINDS
from core.models.detection import TECHNIQUE_FRAMEWORKS
from core.services.appeals import MAX_STATEMENT_CHARS, MIN_STATEMENT_CHARS, OUTCOMES
from core.services.cases import MAX_NOTE_CHARS, ORIGIN_TYPES
from core.services.reports import MAX_MESSAGE_CHARS
from core.services.sanctions import AUTOMATED_DECISIONS, GROUND_TYPES, SOURCE_TYPES
from core.services.stix import TLP_MARKINGS
from core.taxonomy import HARM_CATEGORIES, REPORT_STATUSES, REPORTER_TYPES
from ingest.reports import (
    MAX_EXPLANATION_CHARS,
    MAX_OUTPUT_CHARS,
    MAX_PROMPT_CHARS,
    MAX_SHORT_CHARS,
    MAX_URL_CHARS,
    MIN_EXPLANATION_CHARS,
)
from portal.api.validation import (
    Between,
    ClosedRequestBody,
    Id,
    OneOf,
    QueryArgs,
    RequestBody,
    ResponseBody,
    Text,
)

SomeText = Annotated[Text, StringConstraints(min_length=1)]

# Dates outside these years are typing errors, and near the ends of Python's calendar a
# time-zone conversion overflows.
_YEARS = (1900, 9000)
_WHEN_SCHEMA = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
    "description": (
        f"an ISO 8601 date or date-time, years {_YEARS[0]} to {_YEARS[1]} (naive = UTC)"
    ),
}


def _to_utc(raw: Any) -> Any:
    """An ISO 8601 date or date-time, as UTC (a naive one is taken as UTC)."""
    if raw is None:  # absent means no bound; an empty value is a mistake like any other
        return None
    if not isinstance(raw, str):
        raise ValueError("Must be an ISO 8601 date or time.")
    try:
        value = datetime.fromisoformat(raw)
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError("Must be an ISO 8601 date or time.") from None
    if not _YEARS[0] <= value.year <= _YEARS[1]:
        raise ValueError(f"Must be between the years {_YEARS[0]} and {_YEARS[1]}.")
    return value


When = Annotated[datetime | None, BeforeValidator(_to_utc), WithJsonSchema(_WHEN_SCHEMA)]
# Empty text in a body field means "not given", as null does (what a form sends).
_NOT_GIVEN: list[dict[str, Any]] = [{"type": "null"}, {"type": "string", "maxLength": 0}]
OptionalWhen = Annotated[
    datetime | None,
    BeforeValidator(lambda raw: None if raw == "" else _to_utc(raw)),
    WithJsonSchema({"anyOf": [*_WHEN_SCHEMA["anyOf"], *_NOT_GIVEN]}),
]


# Answers keep datetime.isoformat()'s "+00:00" (pydantic would write "Z").
Timestamp = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str)]


# --- reports and follow-up (public) ------------------------------------------------------


def _must_be_true(value: bool) -> bool:
    if value is not True:
        raise ValueError(
            "Please confirm that the report is accurate to the best of your knowledge."
        )
    return value


class ReportIn(ClosedRequestBody):
    """A report of a harmful output. Text is stripped before the length limits apply;
    an address without a scheme is taken as https."""

    reporter_type: Annotated[
        Annotated[str, OneOf(tuple(REPORTER_TYPES))],
        Field(description="whistleblower: no IP, user agent or contact is stored"),
    ]
    category: Annotated[str, OneOf(tuple(HARM_CATEGORIES))]
    provider: (
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_SHORT_CHARS)] | None
    ) = None
    model_name: (
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_SHORT_CHARS)] | None
    ) = None
    model_version: (
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_SHORT_CHARS)] | None
    ) = None
    product_url: (
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_URL_CHARS)] | None
    ) = None
    output: Annotated[
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_OUTPUT_CHARS)],
        Field(description="the harmful output"),
    ]
    prompt: Annotated[Text, StringConstraints(min_length=0, max_length=MAX_PROMPT_CHARS)] | None = (
        None
    )
    occurred_at: Annotated[
        Text | None,
        WithJsonSchema(
            {"anyOf": [*_WHEN_SCHEMA["anyOf"], *_NOT_GIVEN], "description": "not in the future"}
        ),
    ] = None
    published_url: (
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_URL_CHARS)] | None
    ) = None
    explanation: Annotated[
        Annotated[
            Text,
            StringConstraints(min_length=MIN_EXPLANATION_CHARS, max_length=MAX_EXPLANATION_CHARS),
        ],
        Field(description="why the output is harmful"),
    ]
    contact_email: Annotated[Text | None, Field(description="refused in whistleblower mode")] = None
    accuracy_confirmed: Annotated[
        bool, AfterValidator(_must_be_true), WithJsonSchema({"type": "boolean", "const": True})
    ]
    serious_incident: Annotated[
        bool,
        Field(
            description=(
                "the output caused or could cause a serious incident (EU AI Act): read first"
            )
        ),
    ] = False


class ReportReceipt(ResponseBody):
    id: int
    receipt: Annotated[str, Field(description="shown once; keep it")]
    status: Annotated[str, OneOf(tuple(REPORT_STATUSES))]


class FollowUpIn(ClosedRequestBody):
    receipt: SomeText
    message: (
        Annotated[Text, StringConstraints(min_length=0, max_length=MAX_MESSAGE_CHARS)] | None
    ) = None


class FollowUpMessage(ResponseBody):
    author: Annotated[str, OneOf(("reporter", "analyst"))]
    body: str
    created_at: Timestamp


class FollowUp(ResponseBody):
    id: int
    status: Annotated[str, OneOf(tuple(REPORT_STATUSES))]
    status_label: str
    created_at: Timestamp
    updated_at: Timestamp
    messages: list[FollowUpMessage]


# --- appeals ------------------------------------------------------------------------


class AppealIn(ClosedRequestBody):
    """Either the sanction's reference or the report's receipt."""

    reference: Text | None = None
    receipt: Text | None = None
    statement: Annotated[
        Text, StringConstraints(min_length=MIN_STATEMENT_CHARS, max_length=MAX_STATEMENT_CHARS)
    ]


class AppealFiled(ResponseBody):
    id: int
    appeal_code: Annotated[str, Field(description="shown once; keep it")]
    about: str


class AppealStatusIn(RequestBody):
    appeal_code: SomeText


class AppealStatus(ResponseBody):
    id: int
    status: Annotated[str, OneOf(APPEAL_STATUSES)]
    outcome_reason: str | None
    created_at: Timestamp
    decided_at: Timestamp | None
    sanction_reference: str | None
    report_id: int | None


class AppealsQuery(QueryArgs):
    status: Annotated[str, OneOf(APPEAL_STATUSES)] | None = None


class AppealDecisionIn(RequestBody):
    outcome: Annotated[str, OneOf(OUTCOMES)]
    reason: SomeText


class AppealDecision(ResponseBody):
    id: int
    status: Annotated[str, OneOf(APPEAL_STATUSES)]
    reason: str | None


# --- campaigns: techniques ----------------------------------------------------------


class StixQuery(QueryArgs):
    tlp: Annotated[str, OneOf(tuple(TLP_MARKINGS))] | None = None


class TechniqueIn(RequestBody):
    framework: Annotated[str, OneOf(TECHNIQUE_FRAMEWORKS)]
    technique_id: SomeText
    name: Text | None = None


class TechniqueTag(ResponseBody):
    framework: str
    technique_id: str
    name: str | None


class TechniqueRef(RequestBody):
    framework: Annotated[str, OneOf(TECHNIQUE_FRAMEWORKS)]
    technique_id: SomeText


class Removed(ResponseBody):
    removed: bool


# --- sanctions ----------------------------------------------------------------------


class SanctionsQuery(QueryArgs):
    """A deployer's key reads ``include_ended`` and ``since``; a session the rest."""

    include_ended: Annotated[str | None, Field(description="true or 1: history too")] = None
    since: When = None
    status: Annotated[str, OneOf(SANCTION_STATUSES)] | None = None
    measure: Annotated[str, OneOf(SANCTION_MEASURES)] | None = None
    subject_type: Annotated[str, OneOf(SANCTION_SUBJECTS)] | None = None
    limit: Annotated[int, Between(1, 1000)] = 200
    offset: Annotated[int, Between(0, 10**9)] = 0


class EmptyIn(ClosedRequestBody):
    """``{}``: a body, so that the request is JSON like every other change."""


class ReasonIn(RequestBody):
    reason: SomeText


class SanctionIn(ClosedRequestBody):
    subject_type: Annotated[str, OneOf(SANCTION_SUBJECTS)]
    deployer: Annotated[Text | None, Field(description="the deployer's name")] = None
    account_id: Text | None = None
    api_key_id: Id | None = None
    model_name: Text | None = None
    measure: Annotated[str, OneOf(SANCTION_MEASURES)]
    rate_limit_per_minute: Annotated[Id | None, Field(description="for measure rate_limit")] = None
    category: Annotated[str, OneOf(tuple(HARM_CATEGORIES))]
    ground_type: Annotated[str, OneOf(GROUND_TYPES)]
    ground_reference: Annotated[Text, Field(description="the law or clause of the terms")]
    ground_explanation: Text
    facts: Annotated[Text, Field(description="the facts and circumstances relied on")]
    automated_detection: bool = False
    automated_decision: Annotated[str, OneOf(AUTOMATED_DECISIONS)] | None = None
    source_type: Annotated[str, OneOf(SOURCE_TYPES)]
    territorial_scope: Annotated[list[Text], Field(description='country codes, e.g. ["DE"]')] = (
        Field(default_factory=list)
    )
    ends_at: Annotated[OptionalWhen, Field(description="omit: no end")] = None


# --- cases --------------------------------------------------------------------------


class CasesQuery(QueryArgs):
    status: Annotated[str, OneOf(CASE_STATUSES)] | None = None
    limit: Annotated[int, Between(1, 1000)] = 100
    offset: Annotated[int, Between(0, 10**9)] = 0


class CaseItem(RequestBody):
    kind: Annotated[str, OneOf(CASE_ITEM_KINDS)]
    id: Id


class CaseIn(RequestBody):
    title: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    origin_type: Annotated[str, OneOf(ORIGIN_TYPES)]
    origin_id: Id | None = None
    items: list[CaseItem] = Field(default_factory=list)


class NoteIn(RequestBody):
    body: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_NOTE_CHARS)]


class CaseStatusIn(RequestBody):
    status: Annotated[str, OneOf(CASE_STATUSES)]


# --- exports ------------------------------------------------------------------------


class IncidentReportQuery(QueryArgs):
    format: Annotated[
        Annotated[str, OneOf(("json", "html"))],
        Field(description="json: the report as submitted, with its hash; html: to print"),
    ] = "json"


class ExportQuery(QueryArgs):
    format: Annotated[str, OneOf(("json", "csv"))] = "json"
    since: When = None
    until: When = None
