"""Domain exceptions and HTTP errors mapped to responses in one place."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from core.exceptions import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed


def wants_json() -> bool:
    # The API, and the dashboard's own endpoints, which its scripts call.
    return request.path.startswith(("/api/", "/dashboard/_"))


def _error(
    status: int, errors: dict[str, str], headers: dict[str, str] | None = None
) -> tuple[Response | str, int, dict[str, str]]:
    if wants_json():
        return jsonify({"errors": errors}), status, headers or {}
    message = next(iter(errors.values()), "")
    return render_template("error.html", status=status, message=message), status, headers or {}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationFailed)
    def _validation(exc: ValidationFailed) -> ResponseReturnValue:
        return _error(400, exc.errors)

    @app.errorhandler(Unauthorized)
    def _unauthorized(exc: Unauthorized) -> ResponseReturnValue:
        return _error(401, {"authorization": str(exc)}, {"WWW-Authenticate": "Bearer"})

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden) -> ResponseReturnValue:
        return _error(403, {"authorization": str(exc)})

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> ResponseReturnValue:
        return _error(404, {"not_found": str(exc)})

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> ResponseReturnValue:
        return _error(409, {"conflict": str(exc)})

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> ResponseReturnValue:
        return _error(
            400,
            {
                "csrf_token": "The form expired or was sent from elsewhere. "
                "Reload the page and submit again."
            },
        )

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded) -> ResponseReturnValue:
        response = exc.get_response()
        retry_after = response.headers.get("Retry-After", "60")
        return _error(
            429,
            {
                "rate_limit": f"Too many requests ({exc.description}). "
                f"Try again in {retry_after} seconds."
            },
            {"Retry-After": retry_after},
        )

    @app.errorhandler(413)
    def _too_large(exc: HTTPException) -> ResponseReturnValue:
        if exc.description and exc.description != RequestEntityTooLarge.description:
            return _error(413, {"body": f"Too large: {exc.description}."})
        limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
        return _error(413, {"body": f"The request body is larger than {limit:,} bytes."})

    @app.errorhandler(InternalServerError)
    def _internal(exc: InternalServerError) -> ResponseReturnValue:
        # The traceback goes to the error log via Flask; the caller gets no internals.
        return _error(
            500,
            {
                "error": "Internal error. The request was not completed; "
                "nothing was half-stored. Try again later."
            },
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        return _error(exc.code or 500, {"error": exc.description or exc.name})
