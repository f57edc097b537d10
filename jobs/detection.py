"""The detect job: coordinated-campaign candidates and anomaly alerts.

A full run reads every grouped item (log samples and reports whose texts the group
job has placed) and fits the coordination detector from scratch. Between full runs
an incremental run reads only the items added since the last run (new records, and
older ones whose texts a group run has placed since), adds them to the items the last
run kept in the database (the ``job_state`` table, written in the same transaction as
the campaigns and alerts, so any machine that takes the scheduler lease continues
from it), and fits the detector on them all with the window of the last full run.
Campaigns and alerts are then derived from the whole updated state, so an
incremental run writes what a full run on the same data would, with the same
window: an ``auto`` window is re-estimated by full runs only. What an incremental
run saves is the reading: every item from the database, and the window's estimate.
The fitted detector itself is not kept: it holds the account graph (tens of bytes
per linked pair of accounts, 160 MB at a million items), which costs more to save
and load than to recount.

The state is a cache. It names the data it was built from (highest ids and counts
of log records, reports and placements); when that no longer holds (retention
deleted records, a full group run replaced the placements, settings changed) or it
is missing or unreadable, the run is a full one. A full run also happens once the items have
grown by ``FULL_RUN_GROWTH`` since the last one, so that the window follows the data.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from core.db import Database
from core.queries import detection as detection_queries
from core.queries.detection import Accounts, Cursor, Items
from core.services import detection as detection_service
from core.services import job_state
from core.services.detection import CampaignCandidate
from jobs.campaigns import candidates
from jobs.offload import edge_counter
from jobs.runs import RunRecorder

log = logging.getLogger(__name__)

ALERT_WINDOW = timedelta(hours=6)
# Incremental runs until the items have grown by this share since the last full run.
FULL_RUN_GROWTH = 0.25
# The anomaly scorer learns "usual" from the windows of a sample of entities holding
# about this many items: ECOD's cost grows with its history, and a run's must not grow
# with the store (2 s for 400,000 windows, 0.3 s for 60,000).
HISTORY_ITEMS = 100_000
# 3: items carry their prompt's group, which the detector weighs as evidence.
# 4: the window is kept, not the fitted detector.
# 5: items carry their text's narrative. A state of an earlier version is rebuilt by a
# full run.
STATE_VERSION = 5
# The state's name in the job_state table.
STATE_JOB = "detect"


# -- state between runs ------------------------------------------------------------


def _fingerprint(db: Database) -> dict[str, Any]:
    s = db.settings
    return {
        "version": STATE_VERSION,
        "window": s.detect_window,
        "min_accounts": s.detect_min_accounts,
        "contamination": s.detect_contamination,
    }


def _load_state(db: Database) -> dict[str, Any] | None:
    with db.session_scope() as session:
        state = job_state.load(session, STATE_JOB, secret_key=db.settings.secret_key)
    if not isinstance(state, dict) or state.get("fingerprint") != _fingerprint(db):
        return None
    return state


def _why_full(session: Session, state: dict[str, Any] | None, full: bool | None) -> str | None:
    """Why this run must be a full one, or None when an incremental one will do."""
    if full:
        return "asked"
    if state is None:
        return "no state"
    since: Cursor = state["cursor"]
    counts = detection_queries.item_counts(
        session, since.last_log, since.last_report, since.last_run
    )
    if counts != (since.logs_upto, since.reports_upto, since.placed_upto):
        return "records deleted or placements replaced since the last run"
    if full is None and len(state["items"]) > (1 + FULL_RUN_GROWTH) * state["items_at_full"]:
        return f"items grew by over {FULL_RUN_GROWTH:.0%} since the last full run"
    return None


# -- the job -----------------------------------------------------------------------


def run_detect(
    db: Database, recorder: RunRecorder, progress: Any = None, *, full: bool | None = None
) -> None:
    """Find campaigns and raise alerts. ``full=None`` decides by itself (see the
    module's docstring), True forces a full run, False an incremental one when the
    state allows it."""
    from analytics.anomaly import rank_alerts
    from analytics.coordination import CoordinationDetector
    from analytics.stable_ids import match_labels

    s = db.settings
    window: float | str = "auto" if s.detect_window <= 0 else float(s.detect_window)
    state = _load_state(db)
    with db.session_scope() as session:
        why_full = _why_full(session, state, full)
        now = detection_queries.cursor_now(
            session, None if why_full or state is None else state["cursor"]
        )
        recorder.params = {
            "mode": "full" if why_full else "incremental",
            "window": window,
            "min_accounts": s.detect_min_accounts,
        }
        if why_full:
            recorder.params["full_because"] = why_full
            accounts = Accounts()
            items = detection_queries.read_items(session, accounts, now, None)
            new = len(items)
            if new == 0:
                recorder.stats = {"items": 0}
                return
            items_at_full = len(items)
        else:
            assert state is not None
            accounts = state["accounts"]
            added = detection_queries.read_items(session, accounts, now, state["cursor"])
            items, new = state["items"].then(added), len(added)
            items_at_full = state["items_at_full"]
            # The window of the last full run: an "auto" one is estimated by full runs.
            window = state["window"]
        n = len(items)

        def state_after(resolved: float, campaigns: int) -> dict[str, Any]:
            return {
                "fingerprint": _fingerprint(db),
                "cursor": now,
                "items": items,
                "accounts": accounts,
                "window": resolved,
                "campaigns": campaigns,
                "items_at_full": items_at_full,
            }

        if new:
            # A second thread scores the alerts while the detector fits, then
            # compresses the state while the campaigns are described. Each side lets
            # go of the interpreter lock for long stretches (the fit in numpy's sorts,
            # scipy's products and the compiled Louvain; the state in zlib): an
            # incremental run at a million items took 8.6 s against 9.2 s with the
            # alerts scored after the fit (medians of 5, paired, same data).
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="detect") as side:
                alerts = side.submit(alerts_of, items, accounts, s.detect_contamination)
                detector = CoordinationDetector(window=window, min_accounts=s.detect_min_accounts)
                with edge_counter(s, recorder) as count_edges:
                    detector.fit(detector_input(items), count_edges=count_edges)
                resolved, campaigns = float(detector.window_), len(detector.communities_)
                encoded = side.submit(job_state.encode, state_after(resolved, campaigns))
                found: list[CampaignCandidate] | None = candidates(
                    session, items, accounts, detector
                )
                proposed = alerts.result()
                state_payload: Any = encoded.result()
            fresh = detection_service.new_alerts(session, proposed)
            kept_alerts = rank_alerts(fresh, s.detect_max_alerts)
            recorder.params["alerts_over_cap"] = len(fresh) - len(kept_alerts)
        else:
            # Nothing new: campaigns and alerts stay what the last run wrote.
            assert state is not None
            resolved, campaigns = float(state["window"]), int(state["campaigns"])
            found, kept_alerts = None, []
            state_payload = state_after(resolved, campaigns)
        recorder.params["window_resolved"] = resolved
        outcome = detection_service.record_run(
            session,
            found,
            kept_alerts,
            state=state_payload,
            state_job=STATE_JOB,
            secret_key=s.secret_key,
            run_id=recorder.run_id,
            match=match_labels,
        )
    recorder.items_processed = new
    recorder.stats = {
        "items": n,
        "new_items": new,
        "campaigns": campaigns,
        "new_alerts": outcome.alerts_raised,
        "window_seconds": round(resolved),
        "state_bytes": outcome.state_bytes,
    }


def detector_input(items: Items) -> dict[str, np.ndarray]:
    # Account codes, not "deployer/account" keys: numbering a million strings costs the
    # detector seconds, and codes are kept across incremental runs.
    return {
        "account": items.account,
        "group": items.group,
        "prompt_group": items.prompt_group,
        "narrative": items.narrative,
        "time": items.time,
        "deployer": items.deployer,
    }


# -- alerts ------------------------------------------------------------------------


def alerts_of(items: Items, accounts: Accounts, contamination: float) -> list[dict[str, Any]]:
    """Alerts on the latest 6-hour windows of groups and accounts (see
    :func:`analytics.anomaly.latest_window_alerts`)."""
    from analytics.anomaly import latest_window_alerts

    return latest_window_alerts(
        kind=items.kind,
        item_id=items.id,
        group=items.group,
        account=items.account,
        deployer=items.deployer,
        time=items.time,
        offensive=items.offensive,
        account_keys=accounts.key_array(),
        contamination=contamination,
        window=ALERT_WINDOW.total_seconds(),
        history_items=HISTORY_ITEMS,
    )
