"""Campaigns as STIX 2.1 bundles: valid for the OASIS validator, parseable by stix2,
and carrying no personal data."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import stix2
from sqlalchemy import select
from stix2validator import ValidationOptions, validate_string

from core.exceptions import Conflict, ValidationFailed
from core.models import (
    AuditEvent,
    Campaign,
    CampaignAccount,
    CampaignItem,
    JobRun,
    LogRecord,
    NearDupGroup,
    TextPlacement,
)
from core.services import clients, stix
from core.services import users as user_service
from factories import log_record
from ingest.validation import parse_log_record

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def assert_valid(text: str) -> None:
    result = validate_string(text, ValidationOptions(version="2.1", strict=False))
    assert result.is_valid, [str(e) for e in result.errors]
    parsed = stix2.parse(text, allow_custom=False)
    assert json.loads(parsed.serialize()) == json.loads(text)


def _campaign(db, analyzer) -> int:
    """A campaign of 12 log samples from 3 accounts at acme: two near-duplicate groups,
    the account ids e-mail addresses, one text carrying a phone number."""
    with db.session_scope() as s:
        dep, _ = clients.create_deployer(
            s, "acme", retention_days=30, secret_key=db.settings.secret_key, actor="t"
        )
        records = []
        for i in range(12):
            text = (
                "Claim your prize now, call +44 20 7946 0958 today!"
                if i % 2
                else f"Send a fee to unlock your inheritance, ref {i % 3}"
            )
            records.append(
                (
                    i,
                    parse_log_record(
                        log_record(
                            i,
                            account_id=f"victim{i % 3}@mail.example",
                            response=text,
                            timestamp=(T0 + timedelta(minutes=i)).isoformat(),
                        )
                    ),
                )
            )
        from core.services.logs import ingest_log_batch

        ingest_log_batch(s, dep.id, records, analyzer=analyzer)
        logs = s.execute(select(LogRecord).order_by(LogRecord.id)).scalars().all()
        run = JobRun(job="group", status="ok", started_at=T0)
        groups = [NearDupGroup(), NearDupGroup()]
        s.add_all([run, *groups])
        s.flush()
        for log in logs:
            if s.get(TextPlacement, log.response_text_id) is None:
                group = groups[0] if "prize" in log.response_text.masked_text else groups[1]
                s.add(
                    TextPlacement(
                        text_id=log.response_text_id, group_id=group.id, x=0, y=0, run_id=run.id
                    )
                )
        c = Campaign(
            score=0.9,
            keywords=["prize", "inheritance"],
            category_guess="fraud",
            explanation="12 near-identical scam texts from 3 accounts within 12 minutes.",
            account_count=3,
            deployer_count=1,
            item_count=12,
            first_seen=T0,
            last_seen=T0 + timedelta(minutes=11),
        )
        s.add(c)
        s.flush()
        for n in range(3):
            s.add(
                CampaignAccount(
                    campaign_id=c.id,
                    deployer_id=dep.id,
                    account_id=f"victim{n}@mail.example",
                    item_count=4,
                )
            )
        for log in logs:
            s.add(CampaignItem(campaign_id=c.id, kind="log", item_id=log.id))
        s.commit()
        return c.id


def _analyst(db, role="analyst"):
    with db.session_scope() as s:
        return user_service.create_user(s, f"{role}@example.org", PASSWORD, role=role, actor="t")


def test_campaign_bundle_validates_and_leaks_no_personal_data(db, analyzer):
    campaign_id = _campaign(db, analyzer)
    user = _analyst(db)
    with db.session_scope() as s:
        from core.models import User

        ana = s.get(User, user.id)
        stix.tag_technique(
            s,
            campaign_id,
            user=ana,
            framework="disarm",
            technique_id="t0019",
            name="Generate information pollution",
        )
        stix.tag_technique(s, campaign_id, user=ana, framework="atlas", technique_id="AML.T0054")
        with pytest.raises(Conflict):
            stix.tag_technique(s, campaign_id, user=ana, framework="disarm", technique_id="T0019")
        for framework, technique in (("disarm", "AML.T0054"), ("atlas", "T0019"), ("x", "T1")):
            with pytest.raises(ValidationFailed):
                stix.tag_technique(
                    s, campaign_id, user=ana, framework=framework, technique_id=technique
                )
        text = stix.export_campaign(
            s, campaign_id, secret_key=db.settings.secret_key, actor="t", tlp="green"
        )
        exported = s.execute(
            select(AuditEvent).where(AuditEvent.action == "campaign.export_stix")
        ).scalar_one()
        assert exported.after["tlp"] == "green"
    assert_valid(text)
    assert "@mail.example" not in text and "7946" not in text and "victim" not in text

    objects = json.loads(text)["objects"]
    by_type: dict[str, list[dict]] = {}
    for o in objects:
        by_type.setdefault(o["type"], []).append(o)
    (campaign,) = by_type["campaign"]
    assert campaign["description"].startswith("12 near-identical scam texts")
    assert campaign["first_seen"].startswith("2026-11-20T12:00:00")
    assert {i["name"] for i in by_type["identity"]} == {"MisuseWatch", "acme"}
    assert len(by_type["user-account"]) == 3
    assert all(a["user_id"].startswith("acct-") for a in by_type["user-account"])
    # Two groups, two indicators; each pattern matches the stored content hashes.
    assert len(by_type["indicator"]) == 2
    with db.session_scope() as s:
        from core.models import TextBlob

        hashes = set(
            s.execute(
                select(TextBlob.content_hash).join(
                    LogRecord, LogRecord.response_text_id == TextBlob.id
                )
            ).scalars()
        )
    in_patterns = {h for i in by_type["indicator"] for h in hashes if f"'{h}'" in i["pattern"]}
    assert in_patterns == hashes
    assert sorted(s["count"] for s in by_type["sighting"]) == [6, 6, 12]
    assert {p["external_references"][0]["external_id"] for p in by_type["attack-pattern"]} == {
        "T0019",
        "AML.T0054",
    }
    kinds = sorted(r["relationship_type"] for r in by_type["relationship"])
    assert kinds == ["indicates", "indicates", "uses", "uses"]
    marked = [o for o in objects if o["type"] != "marking-definition"]
    assert all(o["object_marking_refs"] == [stix2.TLP_GREEN.id] for o in marked)

    # Stable ids: a second export is the same objects, so consumers update, not add.
    with db.session_scope() as s:
        again = stix.export_campaign(
            s, campaign_id, secret_key=db.settings.secret_key, actor="t", tlp="green"
        )
    assert {o["id"] for o in json.loads(again)["objects"]} == {o["id"] for o in objects}


def test_stix_api_needs_an_analyst_and_defaults_to_amber(app, client, db, analyzer):
    campaign_id = _campaign(db, analyzer)
    url = f"/api/v1/campaigns/{campaign_id}/stix"
    assert client.get(url).status_code == 401
    _analyst(db)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={"email": "analyst@example.org", "password": PASSWORD, "csrf_token": token},
    )
    ok = client.get(url)
    assert ok.status_code == 200, ok.data
    assert ok.mimetype == "application/stix+json"
    assert_valid(ok.get_data(as_text=True))
    markings = [o for o in ok.get_json()["objects"] if o["type"] == "marking-definition"]
    assert [m["id"] for m in markings] == [stix2.TLP_AMBER.id]
    bad = client.get(url + "?tlp=purple")
    assert bad.status_code == 400 and "tlp" in bad.get_data(as_text=True)
    assert client.get("/api/v1/campaigns/999999/stix").status_code == 404

    tagged = client.post(
        f"/api/v1/campaigns/{campaign_id}/techniques",
        json={"framework": "disarm", "technique_id": "T0085", "name": "Develop text content"},
    )
    assert tagged.status_code == 201, tagged.data
    listed = client.get(f"/api/v1/campaigns/{campaign_id}").get_json()
    assert listed["techniques"][0]["technique_id"] == "T0085"
    gone = client.post(
        f"/api/v1/campaigns/{campaign_id}/techniques/remove",
        json={"framework": "disarm", "technique_id": "T0085"},
    )
    assert gone.status_code == 200
    assert client.get(f"/api/v1/campaigns/{campaign_id}").get_json()["techniques"] == []


def test_cli_exports_a_bundle_to_a_file(db, analyzer, runner, tmp_path):
    campaign_id = _campaign(db, analyzer)
    out = tmp_path / "c.json"
    result = runner.invoke("export", "stix", str(campaign_id), "--tlp", "red", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert_valid(text)
    assert stix2.TLP_RED.id in text
    missing = runner.invoke("export", "stix", "999999")
    assert missing.exit_code == 1 and "no campaign" in missing.output
