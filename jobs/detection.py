"""The detect job: coordinated-campaign candidates and anomaly alerts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select

from core.db import Database
from core.models import LogRecord, Report, TextBlob, TextPlacement, TopicCluster
from core.services import detection as detection_service
from core.services.detection import CampaignCandidate
from jobs.runs import RunRecorder

# Words in a campaign's texts that point at a harm category when no report names one.
CATEGORY_HINTS: dict[str, tuple[str, ...]] = {
    "disinformation": (
        "election",
        "vote",
        "ballot",
        "polling",
        "hoax",
        "fake",
        "media",
        "breaking",
        "rigged",
        "leaked",
    ),
    "fraud": ("account", "verify", "prize", "gift", "fee", "bank", "claim", "payment"),
    "cybercrime": ("malware", "keylogger", "phishing", "password", "exploit", "ransomware"),
    "hate_speech": ("immigrants", "parasites", "plague", "vermin"),
    "violent_extremism": ("strike", "force", "fight", "glory", "enemies"),
}
ALERT_WINDOW = timedelta(hours=6)


def _items(session: Any) -> dict[str, np.ndarray]:
    """Every grouped item: kind, id, account key, deployer, group, time, offensive prob."""
    kind: list[str] = []
    ids: list[int] = []
    account: list[str] = []
    deployer: list[int] = []
    account_ids: list[str] = []
    group: list[int] = []
    cluster: list[int] = []
    time: list[float] = []
    offensive: list[float] = []
    logs = session.execute(
        select(
            LogRecord.id,
            LogRecord.deployer_id,
            LogRecord.account_id,
            LogRecord.occurred_at,
            TextPlacement.group_id,
            TextPlacement.cluster_id,
            TextBlob.offensive_prob,
        )
        .join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
    )
    for lid, dep, acc, at, gid, cid, off in logs:
        kind.append("log")
        ids.append(lid)
        # Without an account id a sample cannot be linked to others: its own key.
        acc = acc if acc is not None else f"(unknown #{lid})"
        account.append(f"{dep}/{acc}")
        account_ids.append(acc)
        deployer.append(dep)
        group.append(gid)
        cluster.append(cid if cid is not None else -1)
        time.append(at.timestamp())
        offensive.append(off)
    reports = session.execute(
        select(
            Report.id,
            Report.flagger_id,
            Report.api_key_id,
            Report.created_at,
            TextPlacement.group_id,
            TextPlacement.cluster_id,
            TextBlob.offensive_prob,
        )
        .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
        .join(TextBlob, TextBlob.id == Report.output_text_id)
    )
    for rid, flagger, key, at, gid, cid, off in reports:
        kind.append("report")
        ids.append(rid)
        # For reports the submitting key or source is the account; the public, with
        # no key, are each their own.
        src = f"flagger:{flagger}" if flagger else f"key:{key}" if key else f"public:{rid}"
        account.append(f"reports/{src}")
        account_ids.append(src)
        deployer.append(-1)
        group.append(gid)
        cluster.append(cid if cid is not None else -1)
        time.append(at.timestamp())
        offensive.append(off)
    return {
        "kind": np.asarray(kind),
        "id": np.asarray(ids, dtype=np.int64),
        "account": np.asarray(account, dtype=object),
        "account_id": np.asarray(account_ids, dtype=object),
        "deployer": np.asarray(deployer, dtype=np.int64),
        "group": np.asarray(group),
        "cluster": np.asarray(cluster),
        "time": np.asarray(time, dtype=float),
        "offensive": np.asarray(offensive, dtype=float),
    }


def _span_words(seconds: float) -> str:
    if seconds < 2 * 3600:
        return f"{max(seconds / 60, 1):.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def _category(session: Any, groups: set[int], keywords: list[str]) -> str | None:
    categories = Counter(
        session.execute(
            select(Report.category)
            .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
            .where(TextPlacement.group_id.in_(list(groups)))
        ).scalars()
    )
    if categories:
        return categories.most_common(1)[0][0]
    words = {w.lower() for w in keywords}
    best = max(CATEGORY_HINTS, key=lambda c: len(words & set(CATEGORY_HINTS[c])))
    return best if words & set(CATEGORY_HINTS[best]) else None


def run_detect(db: Database, recorder: RunRecorder, progress: Any = None) -> None:
    from analytics.coordination import CoordinationDetector
    from analytics.stable_ids import match_labels

    s = db.settings
    window: float | str = "auto" if s.detect_window <= 0 else float(s.detect_window)
    with db.session_scope() as session:
        items = _items(session)
        n = len(items["id"])
        recorder.params = {"window": window, "min_accounts": s.detect_min_accounts}
        if n == 0:
            recorder.stats = {"items": 0}
            return
        detector = CoordinationDetector(window=window, min_accounts=s.detect_min_accounts)
        detector.fit(
            {
                "account": items["account"],
                "group": items["group"],
                "time": items["time"],
                "deployer": items["deployer"],
            }
        )
        recorder.params["window_resolved"] = float(detector.window_)
        cluster_words = {c.id: c.keywords for c in session.execute(select(TopicCluster)).scalars()}
        found: list[CampaignCandidate] = []
        for community in detector.communities_:
            rows = np.asarray(community["items"], dtype=np.int64)
            is_log = items["kind"][rows] == "log"
            log_rows, report_rows = rows[is_log], rows[~is_log]
            per_account = Counter(
                (
                    int(items["deployer"][r]) if items["deployer"][r] >= 0 else None,
                    str(items["account_id"][r]),
                )
                for r in rows
            )
            groups = {int(g) for g in items["group"][rows]}
            clusters = Counter(int(c) for c in items["cluster"][rows] if c >= 0)
            keywords = cluster_words.get(clusters.most_common(1)[0][0], []) if clusters else []
            # Public reports about the same near-duplicate texts, from anyone.
            public = (
                session.execute(
                    select(Report.id)
                    .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
                    .where(TextPlacement.group_id.in_(list(groups)))
                )
                .scalars()
                .all()
            )
            first = float(items["time"][rows].min())
            last = float(items["time"][rows].max())
            deployers = {d for d, _ in per_account if d is not None}
            offensive_share = float((items["offensive"][rows] >= 0.5).mean())
            about = f" about {', '.join(keywords[:3])}" if keywords else ""
            explanation = (
                f"{len(per_account)} accounts at {len(deployers)} "
                f"deployer{'s' if len(deployers) != 1 else ''} produced {len(rows)} "
                f"near-identical texts{about} within {_span_words(last - first)}; "
                f"{offensive_share:.0%} offensive-language; {len(public)} public "
                f"report{'s' if len(public) != 1 else ''}"
            )
            found.append(
                CampaignCandidate(
                    score=float(community["score"]),
                    accounts=[(d, a, c) for (d, a), c in per_account.most_common()],
                    log_ids=[int(i) for i in items["id"][log_rows]],
                    report_ids=sorted({int(i) for i in items["id"][report_rows]} | set(public)),
                    first_seen=datetime.fromtimestamp(first, UTC),
                    last_seen=datetime.fromtimestamp(last, UTC),
                    explanation=explanation,
                    category_guess=_category(session, groups, keywords),
                    keywords=keywords,
                    features={k: round(float(v), 4) for k, v in community["features"].items()},
                )
            )
        kept = detection_service.save_campaigns(session, found, match=match_labels)
        alerts = _alerts(items, s.detect_contamination)
        raised = detection_service.save_alerts(session, alerts)
        session.commit()
    recorder.items_processed = n
    recorder.stats = {
        "items": n,
        "campaigns": len(kept),
        "new_alerts": raised,
        "window_seconds": round(float(detector.window_)),
    }


def _alerts(items: dict[str, np.ndarray], contamination: float) -> list[dict[str, Any]]:
    """Score per-group and per-account windows against their history; alert on the
    latest windows that stand out, with the features that drove them in words."""
    from analytics.anomaly import AnomalyScorer, window_features

    out: list[dict[str, Any]] = []
    step = ALERT_WINDOW.total_seconds()
    latest = float(items["time"].max())
    for subject, entity in (("group", items["group"]), ("account", items["account"])):
        wf = window_features(
            entity,
            items["time"],
            window=step,
            account=items["account"],
            deployer=items["deployer"],
            group=items["group"],
            offensive=items["offensive"],
            is_report=items["kind"] == "report",
        )
        if len(wf.X) < 20:
            continue
        recent = np.asarray(wf.window_starts, dtype=float) >= latest - 2 * step
        if recent.all() or not recent.any():
            continue
        scorer = AnomalyScorer(contamination=contamination, feature_names=wf.feature_names)
        scorer.fit(wf.X[~recent])
        scores = scorer.score(wf.X[recent])
        rows = np.flatnonzero(recent)
        volume = wf.feature_names.index("volume") if "volume" in wf.feature_names else None
        for row, score in zip(rows, scores, strict=True):
            if score <= scorer.threshold_:
                continue
            # A window of one or two posts cannot be a campaign or a surge.
            if volume is not None and wf.X[row, volume] < 5:
                continue
            reasons = scorer.explain(wf.X[row], top=3)
            start = datetime.fromtimestamp(float(wf.window_starts[row]), UTC)
            out.append(
                {
                    "subject_type": subject,
                    "subject_id": str(wf.entities[row])[:250],
                    "window_start": start,
                    "window_end": start + ALERT_WINDOW,
                    "score": float(score),
                    "features": {
                        n: round(float(v), 4)
                        for n, v in zip(wf.feature_names, wf.X[row], strict=True)
                    },
                    "explanation": f"{subject} {wf.entities[row]}: "
                    + "; ".join(c.text for c in reasons),
                }
            )
    return out
