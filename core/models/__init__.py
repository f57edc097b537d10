"""All mapped classes, imported here so ``Base.metadata`` is complete for Alembic."""

from core.models.analysis import (
    Embedding,
    JobRun,
    JobState,
    Lease,
    NearDupGroup,
    TextNeighbor,
    TextPlacement,
    TopicCluster,
)
from core.models.audit import AuditEvent
from core.models.base import Base
from core.models.case import (
    APPEAL_STATUSES,
    BLOCKING_MEASURES,
    CASE_ITEM_KINDS,
    CASE_STATUSES,
    SANCTION_MEASURES,
    SANCTION_STATUSES,
    SANCTION_SUBJECTS,
    SEVERE_MEASURES,
    Appeal,
    Case,
    CaseEvent,
    CaseItem,
    Sanction,
)
from core.models.client import ApiKey, Deployer, TrustedFlagger
from core.models.detection import (
    ALERT_STATUSES,
    CAMPAIGN_STATUSES,
    TECHNIQUE_FRAMEWORKS,
    Alert,
    Campaign,
    CampaignAccount,
    CampaignItem,
    CampaignTechnique,
)
from core.models.evidence import EvidenceHold
from core.models.incident import INCIDENT_STATUSES, Incident, IncidentReport
from core.models.log import LogRecord
from core.models.report import Report, ReportMessage
from core.models.submission import FormSubmission
from core.models.text import TextBlob
from core.models.user import ROLES, LoginThrottle, User
from core.models.webhook import (
    WEBHOOK_DELIVERY_STATUSES,
    DeployerWebhook,
    WebhookAttempt,
    WebhookDelivery,
)

__all__ = [
    "ALERT_STATUSES",
    "APPEAL_STATUSES",
    "BLOCKING_MEASURES",
    "CAMPAIGN_STATUSES",
    "CASE_ITEM_KINDS",
    "CASE_STATUSES",
    "INCIDENT_STATUSES",
    "ROLES",
    "SANCTION_MEASURES",
    "SANCTION_STATUSES",
    "SANCTION_SUBJECTS",
    "SEVERE_MEASURES",
    "TECHNIQUE_FRAMEWORKS",
    "WEBHOOK_DELIVERY_STATUSES",
    "Alert",
    "ApiKey",
    "Appeal",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignAccount",
    "CampaignItem",
    "CampaignTechnique",
    "Case",
    "CaseEvent",
    "CaseItem",
    "Deployer",
    "DeployerWebhook",
    "Embedding",
    "EvidenceHold",
    "FormSubmission",
    "Incident",
    "IncidentReport",
    "JobRun",
    "JobState",
    "Lease",
    "LogRecord",
    "LoginThrottle",
    "NearDupGroup",
    "Report",
    "ReportMessage",
    "Sanction",
    "TextBlob",
    "TextNeighbor",
    "TextPlacement",
    "TopicCluster",
    "TrustedFlagger",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
]
