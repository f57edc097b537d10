"""A campaign as a STIX 2.1 bundle, for other providers, deployers and CERTs to ingest.

What leaves: the campaign (its plain-language explanation), the deployers where it
was seen (organisations), each account as a pseudonym (an HMAC under the server
secret: stable across exports, so consumers can correlate, but not the deployer's
id), one indicator per near-duplicate group (SHA-256 fingerprints of its normalised
masked texts), the techniques analysts tagged, and sightings with counts. No text
but masked samples, no account id, no reporter. Ids are derived from the server
secret and the object, so a re-export updates the same objects instead of adding
copies.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

import stix2
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.models import (
    TECHNIQUE_FRAMEWORKS,
    Campaign,
    CampaignItem,
    CampaignTechnique,
    Deployer,
    LogRecord,
    Report,
    TextBlob,
    TextPlacement,
    User,
)
from core.models.base import utcnow
from core.records import text_errors
from core.secrets import keyed_hash
from core.services import audit
from core.services.access import actor_of, require_role

TLP_MARKINGS = {
    "clear": stix2.TLP_WHITE,  # TLP 2.0's CLEAR is TLP 1.0's WHITE
    "white": stix2.TLP_WHITE,
    "green": stix2.TLP_GREEN,
    "amber": stix2.TLP_AMBER,
    "red": stix2.TLP_RED,
}
DEFAULT_TLP = "amber"
TECHNIQUE_PATTERNS = {
    "disarm": re.compile(r"T\d{4}(\.\d{3})?"),
    "atlas": re.compile(r"AML\.T\d{4}(\.\d{3})?"),
}
_SOURCE_NAMES = {"disarm": "DISARM", "atlas": "mitre-atlas"}
# Enough fingerprints for a consumer to catch the variants; an indicator with
# thousands of OR-ed comparisons is one nobody's matcher loads.
MAX_HASHES_PER_GROUP = 50
MAX_SAMPLE = 500
PRODUCER_NAME = "MisuseWatch"


def _technique_url(framework: str, technique_id: str) -> str:
    if framework == "atlas":
        return f"https://atlas.mitre.org/techniques/{technique_id}"
    return (
        "https://github.com/DISARMFoundation/DISARMframeworks/blob/main/"
        f"generated_pages/techniques/{technique_id}.md"
    )


def tag_technique(
    session: Session,
    campaign_id: int,
    *,
    user: User,
    framework: str,
    technique_id: str,
    name: str = "",
) -> CampaignTechnique:
    """Tag a campaign with a DISARM or ATLAS technique (audited)."""
    require_role(user, "analyst")
    if session.get(Campaign, campaign_id) is None:
        raise NotFound(f"no campaign {campaign_id}")
    framework = framework.strip().lower()
    technique_id = technique_id.strip().upper()
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if framework not in TECHNIQUE_FRAMEWORKS:
        errors["framework"] = "Must be one of: " + ", ".join(TECHNIQUE_FRAMEWORKS)
    elif not TECHNIQUE_PATTERNS[framework].fullmatch(technique_id):
        example = "T0019" if framework == "disarm" else "AML.T0051"
        errors["technique_id"] = f"Not a {framework.upper()} technique id (like {example})."
    if len(name) > 200:
        errors["name"] = "At most 200 characters."
    elif name:
        errors.update(text_errors({"name": name}))
    if errors:
        raise ValidationFailed(errors)
    exists = session.execute(
        select(CampaignTechnique.id).where(
            CampaignTechnique.campaign_id == campaign_id,
            CampaignTechnique.framework == framework,
            CampaignTechnique.technique_id == technique_id,
        )
    ).first()
    if exists:
        raise Conflict(f"campaign {campaign_id} is tagged {technique_id} already")
    tag = CampaignTechnique(
        campaign_id=campaign_id,
        framework=framework,
        technique_id=technique_id,
        name=name or technique_id,
        tagged_by=actor_of(user),
    )
    session.add(tag)
    session.flush()
    audit.record(
        session,
        actor=actor_of(user),
        action="campaign.technique",
        subject_type="campaign",
        subject_id=campaign_id,
        after={"framework": framework, "technique_id": technique_id, "name": tag.name},
    )
    session.commit()
    return tag


def untag_technique(
    session: Session, campaign_id: int, *, user: User, framework: str, technique_id: str
) -> None:
    require_role(user, "analyst")
    tag = session.execute(
        select(CampaignTechnique).where(
            CampaignTechnique.campaign_id == campaign_id,
            CampaignTechnique.framework == framework.strip().lower(),
            CampaignTechnique.technique_id == technique_id.strip().upper(),
        )
    ).scalar_one_or_none()
    if tag is None:
        raise NotFound(f"campaign {campaign_id} has no technique {technique_id}")
    session.delete(tag)
    audit.record(
        session,
        actor=actor_of(user),
        action="campaign.technique_removed",
        subject_type="campaign",
        subject_id=campaign_id,
        before={"framework": tag.framework, "technique_id": tag.technique_id},
    )
    session.commit()


def list_techniques(session: Session, campaign_id: int) -> list[dict[str, str]]:
    return [
        {"framework": t.framework, "technique_id": t.technique_id, "name": t.name}
        for t in session.execute(
            select(CampaignTechnique)
            .where(CampaignTechnique.campaign_id == campaign_id)
            .order_by(CampaignTechnique.framework, CampaignTechnique.technique_id)
        ).scalars()
    ]


class _Ids:
    """Stable STIX ids: the same object gets the same id in every export from this
    server, and nothing about the object can be read back from its id."""

    def __init__(self, secret_key: str) -> None:
        self.secret_key = secret_key

    def __call__(self, kind: str, key: str) -> str:
        digest = bytes.fromhex(keyed_hash(self.secret_key, "stix-id", f"{kind}/{key}"))
        return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"

    def pseudonym(self, deployer: str, account_id: str) -> str:
        return (
            "acct-" + keyed_hash(self.secret_key, "stix-account", f"{deployer}/{account_id}")[:24]
        )


def _fingerprints(session: Session, campaign_id: int) -> list[dict[str, Any]]:
    """Per near-duplicate group: its texts' content hashes with their item counts and
    first/last times, and one masked sample."""
    rows: list[tuple[int | None, str, str, datetime]] = []
    logs = (
        select(
            TextPlacement.group_id,
            TextBlob.content_hash,
            TextBlob.masked_text,
            LogRecord.occurred_at,
        )
        .join(CampaignItem, (CampaignItem.item_id == LogRecord.id) & (CampaignItem.kind == "log"))
        .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
        .outerjoin(TextPlacement, TextPlacement.text_id == TextBlob.id)
        .where(CampaignItem.campaign_id == campaign_id)
    )
    reports = (
        select(
            TextPlacement.group_id,
            TextBlob.content_hash,
            TextBlob.masked_text,
            Report.created_at,
        )
        .join(CampaignItem, (CampaignItem.item_id == Report.id) & (CampaignItem.kind == "report"))
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .outerjoin(TextPlacement, TextPlacement.text_id == TextBlob.id)
        .where(CampaignItem.campaign_id == campaign_id)
    )
    for stmt in (logs, reports):
        rows.extend(tuple(r) for r in session.execute(stmt))  # type: ignore[misc]
    groups: dict[int | None, dict[str, Any]] = {}
    for group_id, content_hash, masked, at in rows:
        g = groups.setdefault(
            group_id,
            {"group_id": group_id, "hashes": defaultdict(int), "count": 0, "sample": masked},
        )
        g["hashes"][content_hash] += 1
        g["count"] += 1
        g["first"] = min(g.get("first", at), at)
        g["last"] = max(g.get("last", at), at)
    out = list(groups.values())
    out.sort(key=lambda g: (-g["count"], g["group_id"] or 0))
    return out


def campaign_bundle(
    session: Session, campaign_id: int, *, secret_key: str, tlp: str = DEFAULT_TLP
) -> stix2.Bundle:
    """The STIX 2.1 bundle of one campaign (read only; see :func:`export_campaign`)."""
    if tlp not in TLP_MARKINGS:
        raise ValidationFailed({"tlp": "Must be one of: " + ", ".join(TLP_MARKINGS)})
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}")
    ids = _Ids(secret_key)
    marking = TLP_MARKINGS[tlp]
    common = {"object_marking_refs": [marking.id], "allow_custom": False}
    created = campaign.created_at
    modified = max(campaign.updated_at, created)
    producer = stix2.Identity(
        id=ids("identity", "producer"),
        name=PRODUCER_NAME,
        identity_class="system",
        description="The MisuseWatch instance that found this campaign.",
        created=created,
        modified=modified,
        **common,
    )
    stamps = {"created_by_ref": producer.id, "created": created, "modified": modified, **common}
    name = f"MisuseWatch campaign {campaign.id}"
    if campaign.keywords:
        name += ": " + ", ".join(campaign.keywords[:5])
    stix_campaign = stix2.Campaign(
        id=ids("campaign", str(campaign.id)),
        name=name,
        description=campaign.explanation,
        first_seen=campaign.first_seen,
        last_seen=max(campaign.last_seen, campaign.first_seen),
        labels=[campaign.category_guess] if campaign.category_guess else None,
        **stamps,
    )
    objects: list[Any] = [marking, producer, stix_campaign]

    names: dict[int, str] = {i: n for i, n in session.execute(select(Deployer.id, Deployer.name))}
    deployer_ids: dict[int, str] = {}
    by_deployer: dict[str | None, list[Any]] = defaultdict(list)
    counts: dict[str | None, int] = defaultdict(int)
    for acc in campaign.accounts:
        dname = names.get(acc.deployer_id) if acc.deployer_id else None
        if acc.deployer_id is not None and acc.deployer_id not in deployer_ids:
            identity = stix2.Identity(
                id=ids("identity", f"deployer/{acc.deployer_id}"),
                name=dname or f"deployer {acc.deployer_id}",
                identity_class="organization",
                description="An AI deployer whose log samples carried the campaign.",
                **stamps,
            )
            deployer_ids[acc.deployer_id] = identity.id
            objects.append(identity)
        account = stix2.UserAccount(
            user_id=ids.pseudonym(dname or "report", acc.account_id),
            account_type="misuse-watch-pseudonym",
            object_marking_refs=[marking.id],
        )
        observed = stix2.ObservedData(
            id=ids("observed-data", f"{campaign.id}/{account.id}"),
            first_observed=campaign.first_seen,
            last_observed=max(campaign.last_seen, campaign.first_seen),
            number_observed=max(acc.item_count, 1),
            object_refs=[account.id],
            **stamps,
        )
        objects += [account, observed]
        by_deployer[dname].append((acc.deployer_id, observed.id))
        counts[dname] += acc.item_count

    for dname, observed in by_deployer.items():
        deployer_id = observed[0][0]
        where = [deployer_ids[deployer_id]] if deployer_id in deployer_ids else None
        objects.append(
            stix2.Sighting(
                id=ids("sighting", f"{campaign.id}/campaign/{dname}"),
                sighting_of_ref=stix_campaign.id,
                count=max(counts[dname], 1),
                first_seen=campaign.first_seen,
                last_seen=max(campaign.last_seen, campaign.first_seen),
                observed_data_refs=[o for _, o in observed],
                where_sighted_refs=where,
                description=(f"Items from {dname}" if dname else "Items from public reports"),
                **stamps,
            )
        )

    for g in _fingerprints(session, campaign.id):
        top = sorted(g["hashes"].items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_HASHES_PER_GROUP]
        pattern = " OR ".join(f"[artifact:hashes.'SHA-256' = '{h}']" for h, _ in top)
        label = f"group {g['group_id']}" if g["group_id"] else "ungrouped texts"
        sample = g["sample"][:MAX_SAMPLE]
        indicator = stix2.Indicator(
            id=ids("indicator", f"{campaign.id}/group/{g['group_id']}"),
            name=f"Text fingerprints of near-duplicate {label}",
            description=(
                f"{g['count']} items, {len(g['hashes'])} distinct texts. SHA-256 of the "
                "text after personal data is masked and it is normalised (NFKC, casefolded, "
                "invisible characters removed, whitespace collapsed). Masked sample: " + sample
            ),
            indicator_types=["malicious-activity"],
            pattern=pattern,
            pattern_type="stix",
            valid_from=g["first"],
            **stamps,
        )
        objects.append(indicator)
        objects.append(
            stix2.Relationship(
                id=ids("relationship", f"{indicator.id}/indicates/{stix_campaign.id}"),
                relationship_type="indicates",
                source_ref=indicator.id,
                target_ref=stix_campaign.id,
                **stamps,
            )
        )
        objects.append(
            stix2.Sighting(
                id=ids("sighting", f"{campaign.id}/indicator/{g['group_id']}"),
                sighting_of_ref=indicator.id,
                count=g["count"],
                first_seen=g["first"],
                last_seen=g["last"],
                **stamps,
            )
        )

    for t in session.execute(
        select(CampaignTechnique)
        .where(CampaignTechnique.campaign_id == campaign.id)
        .order_by(CampaignTechnique.id)
    ).scalars():
        pattern_obj = stix2.AttackPattern(
            id=ids("attack-pattern", f"{t.framework}/{t.technique_id}"),
            name=t.name,
            external_references=[
                {
                    "source_name": _SOURCE_NAMES[t.framework],
                    "external_id": t.technique_id,
                    "url": _technique_url(t.framework, t.technique_id),
                }
            ],
            **stamps,
        )
        objects.append(pattern_obj)
        objects.append(
            stix2.Relationship(
                id=ids("relationship", f"{stix_campaign.id}/uses/{pattern_obj.id}"),
                relationship_type="uses",
                source_ref=stix_campaign.id,
                target_ref=pattern_obj.id,
                **stamps,
            )
        )
    return stix2.Bundle(objects=objects, id=ids("bundle", f"{campaign.id}/{modified}/{tlp}"))


def export_campaign(
    session: Session, campaign_id: int, *, secret_key: str, actor: str, tlp: str = DEFAULT_TLP
) -> str:
    """The bundle as JSON text; the export is recorded in the audit log."""
    bundle = campaign_bundle(session, campaign_id, secret_key=secret_key, tlp=tlp)
    text = bundle.serialize(pretty=True)
    audit.record(
        session,
        actor=actor,
        action="campaign.export_stix",
        subject_type="campaign",
        subject_id=campaign_id,
        after={
            "tlp": tlp,
            "objects": len(bundle.objects),
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "at": utcnow().isoformat(),
        },
    )
    session.commit()
    return text


def bundle_counts(text: str) -> dict[str, int]:
    """How many objects of each type a bundle holds (for the command's summary)."""
    kinds: dict[str, int] = defaultdict(int)
    for obj in json.loads(text)["objects"]:
        kinds[obj["type"]] += 1
    return dict(kinds)
