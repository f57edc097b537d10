"""Request validation through pydantic models, the models the OpenAPI document is built from.

Why plain pydantic and not flask-openapi3 or spectree: flask-openapi3 wants its own
``APIBlueprint`` in place of ``api_v1`` and answers a bad request with its own 422
body; spectree serves its own document and turns a ``ValidationError`` into its own
shape too. Both would fight the two things this API already keeps in one place: the
error handlers of ``portal/errors.py`` (every error is ``{"errors": {field:
message}}``, 400 for bad input) and the decorators each view already carries (rate
limits, roles). A decorator of a few lines validates with the model, raises the
domain's ``ValidationFailed`` naming each wrong field, and leaves the model on the
view for ``portal.api.openapi`` to publish with ``model_json_schema()``: the schema
a client reads is the one the request was checked against.

Request models are strict: a JSON value of the wrong type (``"1"`` for a number,
``1`` for ``true``) is refused rather than converted, as the document says. Query
strings are text by nature, so query models convert numbers from text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Annotated, Any, TypeVar, cast

from flask import request
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
)
from pydantic_core import ErrorDetails, core_schema
from werkzeug.exceptions import BadRequest

from core.exceptions import ValidationFailed
from core.models.base import MAX_ID
from core.records import FieldErrors, text_problem

F = TypeVar("F", bound=Callable[..., Any])


class RequestBody(BaseModel):
    """A JSON request body: types as JSON has them, no conversion."""

    model_config = ConfigDict(strict=True, extra="ignore")


class ClosedRequestBody(RequestBody):
    """A body whose unknown fields are refused, because a misspelt one would be lost."""

    model_config = ConfigDict(strict=True, extra="forbid")


class QueryArgs(BaseModel):
    """Query-string arguments: text, with numbers read from it; others are ignored."""

    model_config = ConfigDict(strict=False, extra="ignore")


class ResponseBody(BaseModel):
    """An answer of fixed shape; views build it, so the document describes what is sent."""

    model_config = ConfigDict(extra="forbid")


def json_body() -> Any:
    """The parsed JSON body, or a 400 that says what is wrong with it."""
    if not request.is_json:
        raise ValidationFailed({"body": "Send a JSON body with Content-Type: application/json."})
    try:
        data = request.get_json()
    except BadRequest as exc:
        # Werkzeug's own error says why (bad syntax, invalid UTF-8, nesting past the
        # recursion limit); Flask hides it behind a generic one outside debug mode.
        cause = exc.__cause__ if isinstance(exc.__cause__, BadRequest) else exc
        why = (cause.description or "").removeprefix("Failed to decode JSON object: ")
        raise ValidationFailed({"body": f"The body is not valid JSON: {why}"}) from None
    if data is None:
        raise ValidationFailed({"body": "The body is not valid JSON."})
    return data


def json_object() -> dict[str, Any]:
    data = json_body()
    if not isinstance(data, dict):
        raise ValidationFailed({"body": "Send one JSON object."})
    return data


def _clean_text(value: str) -> str:
    # The one text check every stored text gets (core.records), here for each field.
    if problem := text_problem(value):
        raise ValueError(problem[0].upper() + problem[1:] + ".")
    return value


# Any text the API takes: NUL and unpaired surrogates are refused, naming the field.
Text = Annotated[str, AfterValidator(_clean_text)]


@dataclass(frozen=True)
class OneOf:
    """``Annotated[str, OneOf(choices)]``: text that must be one of ``choices``,
    published as an enum."""

    choices: tuple[str, ...]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}

    def _check(self, value: str) -> str:
        if value not in self.choices:
            raise ValueError("Must be one of: " + ", ".join(self.choices))
        return value


@dataclass(frozen=True)
class Between:
    """``Annotated[int, Between(low, high)]``: a whole number in ``[low, high]``, with one
    message naming both bounds."""

    low: int
    high: int

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}

    def _check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise ValueError(f"Must be between {self.low:,} and {self.high:,}.")
        return value


# An id as the database holds it; a larger one could only be a 404.
Id = Annotated[int, Between(1, MAX_ID)]


def _field_name(loc: tuple[int | str, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: "Required.",
    "extra_forbidden": lambda ctx: "Unknown field.",
    "string_type": lambda ctx: "Must be text.",
    "string_too_short": lambda ctx: f"Must be at least {ctx['min_length']:,} characters.",
    "string_too_long": lambda ctx: f"Must be at most {ctx['max_length']:,} characters.",
    "int_type": lambda ctx: "Must be a whole number.",
    "int_parsing": lambda ctx: "Must be a whole number.",
    "int_from_float": lambda ctx: "Must be a whole number.",
    "bool_type": lambda ctx: "Must be true or false.",
    "list_type": lambda ctx: "Must be a list.",
    "model_type": lambda ctx: "Must be a JSON object.",
    "model_attributes_type": lambda ctx: "Must be a JSON object.",
    "dict_type": lambda ctx: "Must be a JSON object.",
    "value_error": lambda ctx: str(ctx["error"]),
}


def _message(error: ErrorDetails) -> str:
    # pydantic's own wording names Python types ("Input should be a valid string");
    # callers get the API's wording, and pydantic's for anything not listed.
    translate = _MESSAGES.get(error["type"])
    return translate(dict(error.get("ctx") or {})) if translate else error["msg"]


def field_errors(model: type[BaseModel], data: Any) -> FieldErrors:
    """Every wrong field of ``data`` against ``model`` (nested ones as ``items[0].id``)."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        errors: FieldErrors = {}
        for error in exc.errors(include_url=False, include_input=False):
            # A union reports each branch; the first message is the useful one.
            errors.setdefault(_field_name(error["loc"]), _message(error))
        return errors
    return {}


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any) -> M:
    """``data`` as ``model``, or ``ValidationFailed`` naming each wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError:
        raise ValidationFailed(field_errors(model, data)) from None


@dataclass(frozen=True)
class ApiModels:
    """What a view takes and answers, read by the OpenAPI builder."""

    body: type[RequestBody] | None = None
    query: type[QueryArgs] | None = None
    response: type[ResponseBody] | None = None


def validated(
    *,
    body: type[RequestBody] | None = None,
    query: type[QueryArgs] | None = None,
    response: type[ResponseBody] | None = None,
    max_bytes: Callable[[], int] | None = None,
) -> Callable[[F], F]:
    """Validate the JSON body and/or the query string with models, passed to the view as
    ``body=`` and ``query=``. Put it under the role check, so that an anonymous caller
    learns that it must log in, not what is wrong with its input. ``max_bytes`` is the
    body limit of this endpoint, set before the body is read."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if max_bytes is not None:
                request.max_content_length = max_bytes()
            if query is not None:
                kwargs["query"] = parse(query, request.args.to_dict())
            if body is not None:
                kwargs["body"] = parse(body, json_object())
            return view(*args, **kwargs)

        wrapped.api_models = ApiModels(body, query, response)  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorator


def api_models(view: Callable[..., Any]) -> ApiModels | None:
    """The models ``validated`` left on ``view``, under whatever decorators wrap it."""
    while view is not None:
        found = getattr(view, "api_models", None)
        if isinstance(found, ApiModels):
            return found
        view = getattr(view, "__wrapped__", None)  # type: ignore[assignment]
    return None
