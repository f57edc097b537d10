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

API_KEY_SCOPES: dict[str, str] = {
    "logs:write": "send production log samples",
    "reports:write": "send reports in bulk (trusted flaggers)",
    "sanctions:read": "read the sanctions on the owner's own accounts",
}
