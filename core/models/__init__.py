"""All mapped classes, imported here so ``Base.metadata`` is complete for Alembic."""

from core.models.audit import AuditEvent
from core.models.base import Base
from core.models.client import ApiKey, Deployer, TrustedFlagger
from core.models.evidence import EvidenceHold
from core.models.log import LogRecord
from core.models.report import Report, ReportMessage
from core.models.text import TextBlob

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Base",
    "Deployer",
    "EvidenceHold",
    "LogRecord",
    "Report",
    "ReportMessage",
    "TextBlob",
    "TrustedFlagger",
]
