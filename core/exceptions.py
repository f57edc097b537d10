"""Domain exceptions; the portal maps each to one HTTP status in one place."""

from __future__ import annotations


class MisuseError(Exception):
    """Base class of every error the domain raises on purpose."""


class ConfigurationError(MisuseError):
    """A setting is missing or malformed."""


class ValidationFailed(MisuseError):  # 400
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Unauthorized(MisuseError):  # 401
    """No credentials, or credentials we do not recognise."""


class Forbidden(MisuseError):  # 403
    """Known caller, but not allowed (revoked key, suspended deployer, wrong scope)."""


class NotFound(MisuseError):  # 404
    pass


class Conflict(MisuseError):  # 409
    pass
