"""Planted campaigns and decoys through the public interfaces, then the jobs, then the CLI."""

import json
from datetime import datetime, timedelta

import pytest

from core.services import clients
from demo.scenario import build_scenario, score_detection
from jobs.detection import run_detect
from jobs.grouping import run_embed, run_group
from jobs.runs import recorded_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder(model_cache):
    """The backend the embed job runs by default. On these 1,600 texts fp32 torch costs
    about six times its CPU; the two backends' vectors are held together by
    tests/unit/test_analytics_embedding.py, and tests/integration/test_grouping_jobs.py
    runs the jobs on torch."""
    from analytics.embedding import SentenceEmbedder
    from core.settings import Settings

    return SentenceEmbedder(backend=Settings.embed_backend, cache_dir=str(model_cache)).fit()


def test_planted_campaigns_found_and_decoys_left_alone(client, db, runner, embedder):
    sc = build_scenario(
        seed=3, organic_accounts=300, organic_posts=1500, campaigns=2, campaign_accounts=16
    )
    # Two campaign accounts also chat: the day before the campaigns, they and three
    # organic users ask one everyday question and get the same answer. That text is
    # theirs in common, not the campaign's: the campaign's span must not reach back
    # to it.
    acme = sc.records["acme-ai"]
    users = sorted({r["account_id"] for r in acme if r["account_id"].startswith("user-")})[:3]
    chat_at = datetime.fromisoformat(min(r["timestamp"] for r in acme)) - timedelta(days=1)
    for n, account in enumerate(["disi-0-000", "disi-0-002", *users]):
        acme.append(
            {
                "external_id": f"chat-{n}",
                "timestamp": (chat_at + timedelta(minutes=30 * n)).isoformat(),
                "model": "chat-small:1.4",
                "account_id": account,
                "prompt": "How long should I boil an egg for a soft yolk?",
                "response": "About six minutes in boiling water, then into cold water.",
            }
        )
    for deployer, rows in sc.records.items():
        with db.session_scope() as s:
            _, issued = clients.create_deployer(
                s, deployer, retention_days=3650, secret_key=db.settings.secret_key, actor="t"
            )
        for start in range(0, len(rows), 1000):
            resp = client.post(
                "/api/v1/logs",
                json=rows[start : start + 1000],
                headers={"Authorization": f"Bearer {issued.key}"},
            )
            assert resp.get_json()["rejected_count"] == 0
    with recorded_run(db, "embed") as rec:
        run_embed(db, rec, embedder=embedder)
    with recorded_run(db, "group") as rec:
        run_group(db, rec, model_id=embedder.model_id_)
    with recorded_run(db, "detect") as rec:
        run_detect(db, rec)

    found = json.loads(runner.invoke("campaigns", "list", "--json").output)
    flagged = [{(a["deployer"], a["account_id"]) for a in c["accounts"]} for c in found]
    metrics = score_detection(sc, flagged)
    assert metrics["campaigns_found"] == metrics["campaigns_planted"], metrics
    assert metrics["account_precision"] >= 0.9 and metrics["account_recall"] >= 0.9, metrics
    assert not metrics["viral_decoy_flagged"] and not metrics["heavy_user_flagged"], metrics

    top = found[0]
    assert "accounts at 2 deployers posted" in top["explanation"]
    # The stored span is the one the explanation gives: the campaign's own material,
    # not the chat two of its accounts had with organic users the day before.
    for c in found:
        first, last = (datetime.fromisoformat(c[k]) for k in ("first_seen", "last_seen"))
        assert f"between {first:%Y-%m-%d %H:%M} and {last:%Y-%m-%d %H:%M} UTC" in c["explanation"]
        assert first > chat_at + timedelta(hours=3), (c["first_seen"], chat_at)
    assert "Not organic:" in top["explanation"]
    assert top["category_guess"] in ("disinformation", "fraud", "hate_speech")
    assert all(i["external_id"] for i in top["items"] if i["kind"] == "log")

    first_alerts = json.loads(runner.invoke("alerts", "list", "--json").output)
    assert 1 <= len(first_alerts) <= db.settings.detect_max_alerts
    assert rec.stats["new_alerts"] == len(first_alerts)
    for a in first_alerts:
        assert a["explanation"] and a["status"] == "open"

    # A second run keeps campaign ids (and whatever status analysts gave them), and
    # raises no alert again for the same subject and window.
    with recorded_run(db, "detect") as rec:
        run_detect(db, rec)
    again = json.loads(runner.invoke("campaigns", "list", "--json").output)
    assert sorted(c["id"] for c in again) == sorted(c["id"] for c in found)
    assert rec.stats["new_alerts"] == 0
    alerts = json.loads(runner.invoke("alerts", "list", "--json").output)
    assert sorted(a["id"] for a in alerts) == sorted(a["id"] for a in first_alerts)
