"""Fixed vocabularies, kept in one place so the form, the API, the OpenAPI
document, the exports and the dashboard all agree."""

from __future__ import annotations

# Harm categories: key -> label shown to people.
HARM_CATEGORIES: dict[str, str] = {
    "disinformation": "Disinformation / election integrity",
    "hate_speech": "Hate speech",
    "harassment": "Harassment",
    "violent_extremism": "Violent extremism",
    "cybercrime": "Cybercrime help (malware, phishing)",
    "fraud": "Fraud and scams",
    "privacy_leak": "Privacy leak",
    "self_harm": "Self-harm",
    "sexual_content": "Sexual content",
    "child_safety": "Child safety",
    "weapons_cbrn": "Weapons (CBRN)",
    "bias_discrimination": "Bias and discrimination",
    "other": "Other",
}

REPORTER_TYPES: dict[str, str] = {
    "user": "User of the AI system",
    "researcher": "Researcher",
    "whistleblower": "Whistleblower",
}
# Reports that come in with a trusted flagger's API key get this reporter type.
TRUSTED_FLAGGER = "trusted_flagger"

REPORT_STATUSES: dict[str, str] = {
    "received": "Received",
    "in_review": "Under review",
    "action_taken": "Decided: action taken",
    "no_action": "Decided: no action",
    "closed": "Closed",
}

# What each status means to the person who reported, in the order a report moves.
REPORT_STATUS_HELP: dict[str, str] = {
    "received": "We have your report. Nobody has started on it yet.",
    "in_review": "An analyst is looking at it, and at other reports and samples like it.",
    "action_taken": "We decided to act on it. The reason is below.",
    "no_action": "We decided not to act on it. The reason is below; you can appeal.",
    "closed": "Nothing more will happen on this report.",
}

SANCTION_MEASURE_LABELS: dict[str, str] = {
    "warning": "Warning",
    "rate_limit": "Rate limit",
    "suspension": "Suspension",
    "termination": "Termination",
    "model_withdrawal": "Model withdrawal request",
}
SANCTION_SUBJECT_LABELS: dict[str, str] = {
    "account": "An account at a deployer",
    "api_key": "An API key",
    "deployer": "A whole deployer",
    "model": "A model at a deployer",
}
# The DSA statement of reasons' source_type and automated_decision, in words.
SOURCE_TYPE_LABELS: dict[str, str] = {
    "notice": "Notice from the public",
    "trusted_flagger": "Notice from a trusted flagger",
    "other_notification": "Other notification",
    "voluntary": "Our own initiative",
}
AUTOMATED_DECISION_LABELS: dict[str, str] = {
    "fully": "Fully automated",
    "partially": "Partly automated",
    "not": "Decided by a person",
}

API_KEY_SCOPES: dict[str, str] = {
    "logs:write": "send production log samples",
    "reports:write": "send reports in bulk (trusted flaggers)",
    "sanctions:read": "read the sanctions on the owner's own accounts",
}
