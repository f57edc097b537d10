"""The detect job: coordinated-campaign candidates and anomaly alerts.

A full run reads every grouped item (log samples and reports whose texts the group
job has placed) and fits the coordination detector from scratch. Between full runs
an incremental run reads only the items added since the last run (new records, and
older ones whose texts a group run has placed since), and updates what the last run
kept in the database (the ``job_state`` table, written in the same transaction as
the campaigns and alerts, so any machine that takes the scheduler lease continues
from it): the items, and the detector with
its co-posting counts, of which only those the new items can change are recounted
(see ``CoordinationDetector.partial_fit``). Campaigns and alerts are then derived
from the whole updated state, so an incremental run writes what a full run on the
same data would, with the same window: an ``auto`` window is re-estimated by full
runs only.

The state is a cache. It names the data it was built from (highest ids and counts
of log records, reports and placements); when that no longer holds (retention
deleted records, a full group run replaced the placements, settings changed) or it
is missing or unreadable, the run is a full one. A full run also happens once the items have
grown by ``FULL_RUN_GROWTH`` since the last one, so that the window follows the data.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Float, Integer, cast, extract, func, select
from sqlalchemy.orm import Session, aliased

from core.db import Database
from core.models import LogRecord, NearDupGroup, Report, TextBlob, TextPlacement, TopicCluster
from core.services import detection as detection_service
from core.services import job_state
from core.services.detection import CampaignCandidate
from jobs.runs import RunRecorder

log = logging.getLogger(__name__)

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
# Incremental runs until the items have grown by this share since the last full run.
FULL_RUN_GROWTH = 0.25
# The anomaly scorer learns "usual" from the windows of a sample of entities holding
# about this many items: ECOD's cost grows with its history, and a run's must not grow
# with the store (2 s for 400,000 windows, 0.3 s for 60,000).
HISTORY_ITEMS = 100_000
# 3: items carry their prompt's group, which the detector weighs as evidence; a state
# of an earlier version lacks it and is rebuilt by a full run.
STATE_VERSION = 3
# The state's name in the job_state table.
STATE_JOB = "detect"
_CHUNK = 500


# -- items -------------------------------------------------------------------------


@dataclass
class Items:
    """Every grouped item as columns. ``account`` indexes an :class:`Accounts`."""

    kind: np.ndarray  # int8: 0 log sample, 1 report
    id: np.ndarray
    account: np.ndarray
    deployer: np.ndarray  # -1 for reports
    group: np.ndarray
    prompt_group: np.ndarray  # -1: no prompt, or not placed yet
    cluster: np.ndarray  # -1: no topic cluster
    time: np.ndarray  # seconds since the epoch
    offensive: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    @classmethod
    def empty(cls) -> Items:
        return cls(*(np.zeros(0, dtype=t) for t in (np.int8,) + (np.int64,) * 6 + (float,) * 2))

    def take(self, rows: np.ndarray) -> Items:
        return Items(*(getattr(self, f.name)[rows] for f in fields(self)))

    def then(self, other: Items) -> Items:
        return Items(
            *(np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self))
        )


class Accounts:
    """Distinct accounts: a deployer's account, or a report's submitting key or source.

    Codes are kept across incremental runs, so the detector's keys (``deployer/account``)
    are built once per account, not once per item.
    """

    def __init__(self) -> None:
        self.deployer: list[int | None] = []
        self.account_id: list[str] = []
        self.keys: list[str] = []
        self._index: dict[tuple[int | None, str], int] = {}

    def codes(self, deployers: list[int | None], account_ids: list[str]) -> np.ndarray:
        index = self._index
        start = len(index)
        out = np.fromiter(
            (index.setdefault(k, len(index)) for k in zip(deployers, account_ids, strict=True)),
            np.int64,
            len(account_ids),
        )
        for dep, acc in list(index)[start:]:
            self.deployer.append(dep)
            self.account_id.append(acc)
            self.keys.append(f"{dep}/{acc}" if dep is not None else f"reports/{acc}")
        return out

    def key_array(self) -> np.ndarray:
        out = np.empty(len(self.keys), dtype=object)
        out[:] = self.keys
        return out


def _seconds(column: Any, dialect: str) -> Any:
    """A stored UTC time as float seconds since the epoch, computed by the database:
    converting a million datetimes in Python costs seconds."""
    if dialect == "postgresql":
        return cast(extract("epoch", column), Float)
    # SQLAlchemy stores 'YYYY-MM-DD HH:MM:SS.ffffff' on SQLite.
    return cast(func.strftime("%s", column), Integer) + cast(func.substr(column, 20), Float)


@dataclass
class Cursor:
    """What a run has read: highest ids and run id, and how many rows were at or below
    them then. A later count that differs means rows were deleted or arrived late."""

    last_log: int = 0
    last_report: int = 0
    last_run: int = 0
    logs_upto: int = 0
    reports_upto: int = 0
    placed_upto: int = 0


def _counts(
    session: Session, last_log: int, last_report: int, last_run: int, above: Cursor | None = None
) -> tuple[int, int, int]:
    """Rows at or below these bounds (and above those of ``above``)."""
    floor = above or Cursor()
    return (
        session.execute(
            select(func.count())
            .select_from(LogRecord)
            .where(LogRecord.id > floor.last_log, LogRecord.id <= last_log)
        ).scalar_one(),
        session.execute(
            select(func.count())
            .select_from(Report)
            .where(Report.id > floor.last_report, Report.id <= last_report)
        ).scalar_one(),
        session.execute(
            select(func.count())
            .select_from(TextPlacement)
            .where(TextPlacement.run_id > floor.last_run, TextPlacement.run_id <= last_run)
        ).scalar_one(),
    )


def _cursor_now(session: Session, since: Cursor | None) -> Cursor:
    """Bounds for this run's reads, counted before reading: a row that commits
    between the count and the read makes the next run's count differ (a full run),
    it is never silently skipped. After ``since`` (just checked to still hold) only
    the rows above it are counted."""
    last_log = session.execute(select(func.coalesce(func.max(LogRecord.id), 0))).scalar_one()
    last_report = session.execute(select(func.coalesce(func.max(Report.id), 0))).scalar_one()
    last_run = session.execute(
        select(func.coalesce(func.max(TextPlacement.run_id), 0))
    ).scalar_one()
    counts = _counts(session, last_log, last_report, last_run, above=since)
    if since is not None:
        logs, reports, placed = counts
        counts = (since.logs_upto + logs, since.reports_upto + reports, since.placed_upto + placed)
    return Cursor(last_log, last_report, last_run, *counts)


def _read_items(session: Session, accounts: Accounts, now: Cursor, since: Cursor | None) -> Items:
    """Grouped items within ``now``; with ``since``, only those not read by then: new
    records, and older ones whose texts were placed after it."""
    dialect = session.get_bind().dialect.name
    placements = _placements(session, now) if since is None else None
    out = Items.empty()
    for kind in ("log", "report"):
        columns = _item_columns(session, kind, dialect, now, since, placements)
        if columns is None:
            continue
        ids, a, b, t, group, prompt_group, cluster, off = columns
        if kind == "log":
            deployer = np.asarray(a, dtype=np.int64)
            # Without an account id a sample cannot be linked to others: its own key.
            acc = [x if x is not None else f"(unknown #{i})" for x, i in zip(b, ids, strict=True)]
            codes = accounts.codes(a, acc)
        else:
            deployer = np.full(len(ids), -1, dtype=np.int64)
            # For reports the submitting key or source is the account; the public, with
            # no key, are each their own.
            src = [
                f"flagger:{f}" if f else f"key:{k}" if k else f"public:{i}"
                for f, k, i in zip(a, b, ids, strict=True)
            ]
            codes = accounts.codes([None] * len(src), src)
        part = Items(
            kind=np.full(len(ids), 0 if kind == "log" else 1, dtype=np.int8),
            id=np.asarray(ids, dtype=np.int64),
            account=codes,
            deployer=deployer,
            group=group,
            prompt_group=prompt_group,
            cluster=cluster,
            time=t,
            offensive=off,
        )
        # In id order, whatever order the database returned, so that every full run
        # on the same data gets the same input, ties and all.
        out = out.then(part.take(np.argsort(part.id, kind="stable")))
    return out


def _lookup(sorted_ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``wanted`` ids in ``sorted_ids`` and whether each is there."""
    if not len(sorted_ids):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    return at, sorted_ids[at] == wanted


def _placements(session: Session, now: Cursor) -> tuple[np.ndarray, ...]:
    """Every placed text: id (sorted), group, cluster (-1 for none), offensive prob."""
    rows = session.execute(
        select(
            TextPlacement.text_id,
            TextPlacement.group_id,
            func.coalesce(TextPlacement.cluster_id, -1),
            TextBlob.offensive_prob,
        )
        .join(TextBlob, TextBlob.id == TextPlacement.text_id)
        .where(TextPlacement.run_id <= now.last_run)
    ).all()
    columns = list(zip(*rows, strict=True)) or [()] * 4
    text, group, cluster, off = (
        np.asarray(c, dtype=d)
        for c, d in zip(columns, (np.int64, np.int64, np.int64, float), strict=True)
    )
    order = np.argsort(text, kind="stable")
    return text[order], group[order], cluster[order], off[order]


def _item_columns(
    session: Session,
    kind: str,
    dialect: str,
    now: Cursor,
    since: Cursor | None,
    placements: tuple[np.ndarray, ...] | None,
) -> tuple[Any, ...] | None:
    """(ids, deployer or flagger, account or key, time, group, prompt group, cluster,
    offensive)."""
    if kind == "log":
        model: Any = LogRecord
        cols = [LogRecord.id, LogRecord.deployer_id, LogRecord.account_id]
        at, text_id, prompt_id, last, before = (
            LogRecord.occurred_at,
            LogRecord.response_text_id,
            LogRecord.prompt_text_id,
            now.last_log,
            since.last_log if since else 0,
        )
    else:
        model = Report
        cols = [Report.id, Report.flagger_id, Report.api_key_id]
        at, text_id, prompt_id, last, before = (
            Report.created_at,
            Report.output_text_id,
            Report.prompt_text_id,
            now.last_report,
            since.last_report if since else 0,
        )
    if placements is not None:
        # Every record, then its text's placement looked up here: joining a million
        # records to their placements in the database takes several times longer
        # than reading both tables in order.
        rows = session.execute(
            select(*cols, _seconds(at, dialect), text_id, prompt_id).where(model.id <= last)
        ).all()
        if not rows:
            return None
        ids, a, b, t, texts, prompts = (list(c) for c in zip(*rows, strict=True))
        del rows
        placed_text, group, cluster, off = placements
        at_text, placed = _lookup(placed_text, np.asarray(texts, dtype=np.int64))
        at_prompt, prompt_placed = _lookup(
            placed_text, np.asarray([-1 if x is None else x for x in prompts], dtype=np.int64)
        )
        keep = np.flatnonzero(placed)
        rows_at = at_text[keep]
        pick = keep.tolist()
        return (
            [ids[i] for i in pick],
            [a[i] for i in pick],
            [b[i] for i in pick],
            np.asarray(t, dtype=np.float64)[keep],
            group[rows_at],
            np.where(prompt_placed, group[at_prompt], -1)[keep],
            cluster[rows_at],
            off[rows_at],
        )
    prompt_placement = aliased(TextPlacement)
    base = (
        select(
            *cols,
            _seconds(at, dialect),
            TextPlacement.group_id,
            func.coalesce(prompt_placement.group_id, -1),
            func.coalesce(TextPlacement.cluster_id, -1),
            TextBlob.offensive_prob,
        )
        .join(TextPlacement, TextPlacement.text_id == text_id)
        .join(TextBlob, TextBlob.id == text_id)
        .outerjoin(prompt_placement, prompt_placement.text_id == prompt_id)
    )
    assert since is not None
    placed_now = TextPlacement.run_id <= now.last_run
    # Records read by an earlier run are those at or below its highest id whose texts
    # were placed by then; the rest of them are read once their texts are placed.
    # Driven by the few texts placed since, through the index on the text column: a
    # filter on the joined placement would scan every record.
    placed_since = select(TextPlacement.text_id).where(
        TextPlacement.run_id > since.last_run, placed_now
    )
    new = session.execute(base.where(model.id > before, model.id <= last, placed_now)).all()
    late = session.execute(base.where(model.id <= before, text_id.in_(placed_since))).all()
    if not new and not late:
        return None
    ids, a, b, *rest = (list(c) for c in zip(*new, *late, strict=True))
    return (
        ids,
        a,
        b,
        *(
            np.asarray(c, dtype=d)
            for c, d in zip(rest, (float, np.int64, np.int64, np.int64, float), strict=True)
        ),
    )


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
    counts = _counts(session, since.last_log, since.last_report, since.last_run)
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
    from analytics.coordination import CoordinationDetector
    from analytics.stable_ids import match_labels

    s = db.settings
    window: float | str = "auto" if s.detect_window <= 0 else float(s.detect_window)
    state = _load_state(db)
    with db.session_scope() as session:
        why_full = _why_full(session, state, full)
        now = _cursor_now(session, None if why_full or state is None else state["cursor"])
        recorder.params = {
            "mode": "full" if why_full else "incremental",
            "window": window,
            "min_accounts": s.detect_min_accounts,
        }
        if why_full:
            recorder.params["full_because"] = why_full
            accounts = Accounts()
            items = _read_items(session, accounts, now, None)
            new = len(items)
            if new == 0:
                recorder.stats = {"items": 0}
                return
            detector = CoordinationDetector(window=window, min_accounts=s.detect_min_accounts)
            detector.fit(_detector_input(items, accounts))
            items_at_full = len(items)
        else:
            assert state is not None
            accounts, detector = state["accounts"], state["detector"]
            added = _read_items(session, accounts, now, state["cursor"])
            items, new = state["items"].then(added), len(added)
            items_at_full = state["items_at_full"]
            if new:
                detector.partial_fit(_detector_input(added, accounts))
        n = len(items)
        recorder.params["window_resolved"] = float(detector.window_)
        if new:
            found = _candidates(session, items, accounts, detector)
            kept = detection_service.save_campaigns(session, found, match=match_labels)
            proposed = _alerts(items, accounts, s.detect_contamination)
            fresh = detection_service.new_alerts(session, proposed)
            kept_alerts = rank_alerts(fresh, s.detect_max_alerts)
            raised = detection_service.save_alerts(session, kept_alerts)
            recorder.params["alerts_over_cap"] = len(fresh) - len(kept_alerts)
        else:
            # Nothing new: campaigns and alerts are what the last run wrote.
            kept, raised = list(range(len(detector.communities_))), 0
        # In the results' transaction: a state ahead of the database would make the
        # next run skip items whose campaigns were never written, one behind it would
        # count items twice.
        state_bytes = job_state.save(
            session,
            STATE_JOB,
            {
                "fingerprint": _fingerprint(db),
                "cursor": now,
                "items": items,
                "accounts": accounts,
                "detector": detector,
                "items_at_full": items_at_full,
            },
            secret_key=s.secret_key,
            run_id=recorder.run_id,
        )
        session.commit()
    recorder.items_processed = new
    recorder.stats = {
        "items": n,
        "new_items": new,
        "campaigns": len(kept),
        "new_alerts": raised,
        "window_seconds": round(float(detector.window_)),
        "state_bytes": state_bytes,
    }


def _detector_input(items: Items, accounts: Accounts) -> dict[str, np.ndarray]:
    # Account codes, not "deployer/account" keys: numbering a million strings costs the
    # detector seconds, and codes are kept across incremental runs.
    return {
        "account": items.account,
        "group": items.group,
        "prompt_group": items.prompt_group,
        "time": items.time,
        "deployer": items.deployer,
    }


# -- campaigns ---------------------------------------------------------------------


# Groups read as the background a campaign's own words are set against.
BACKGROUND_GROUPS = 2_000


def _span_words(seconds: float) -> str:
    if seconds < 2 * 3600:
        return f"{max(seconds / 60, 1):.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def _reports_in_groups(session: Session, groups: set[int]) -> list[tuple[int, str, int]]:
    """(report id, category, group) of every report whose text is in these groups,
    read once for all communities."""
    wanted = sorted(groups)
    out: list[tuple[int, str, int]] = []
    for start in range(0, len(wanted), _CHUNK):
        out.extend(
            session.execute(
                select(Report.id, Report.category, TextPlacement.group_id)
                .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
                .where(TextPlacement.group_id.in_(wanted[start : start + _CHUNK]))
            ).all()
        )
    return out


def _category(categories: Counter[str], keywords: list[str]) -> str | None:
    if categories:
        # Most reported; ties by name, so that every run picks the same one.
        return min(categories, key=lambda c: (-categories[c], c))
    words = {w.lower() for w in keywords}
    best = max(CATEGORY_HINTS, key=lambda c: len(words & set(CATEGORY_HINTS[c])))
    return best if words & set(CATEGORY_HINTS[best]) else None


def _campaign_keywords(session: Session, community_groups: list[set[int]]) -> list[list[str]]:
    """Each campaign's keywords from its own texts, against a sample of the others.

    The campaign's largest topic cluster named it before, and a cluster can be
    about something else than the few near-duplicates a campaign posts.
    """
    from analytics.keywords import contrast_keywords

    mine = sorted(set().union(*community_groups)) if community_groups else []
    samples: dict[int, str] = {}
    for start in range(0, len(mine), _CHUNK):
        for g, text in session.execute(
            select(NearDupGroup.id, NearDupGroup.sample_text).where(
                NearDupGroup.id.in_(mine[start : start + _CHUNK])
            )
        ):
            samples[g] = text or ""
    total = session.execute(select(func.count()).select_from(NearDupGroup)).scalar_one()
    step = max(1, total // BACKGROUND_GROUPS)
    background = [
        t
        for g, t in session.execute(
            select(NearDupGroup.id, NearDupGroup.sample_text).where(NearDupGroup.id % step == 0)
        )
        if t and g not in samples
    ]
    return contrast_keywords(
        [[samples[g] for g in sorted(groups) if samples.get(g)] for groups in community_groups],
        background,
        top_n=20,
    )


def _share(x: float) -> str:
    return f"{x:.0%}" if x < 0.995 else "all"


def _explain(
    community: dict[str, Any],
    n_deployers: int,
    n_items: int,
    keywords: list[str],
    public: int,
    offensive: float,
    window: float,
) -> str:
    """What was found and why it is not organic, in words, from the detector's tests."""
    f, summary = community["features"], community["summary"]
    n = summary["n_accounts"]
    first = datetime.fromtimestamp(community["first_time"], UTC)
    last = datetime.fromtimestamp(community["last_time"], UTC)
    about = f" about {', '.join(keywords[:4])}" if keywords else ""
    shared = [f"{summary['n_groups']} near-duplicate texts"]
    if summary.get("n_prompt_groups"):
        shared.append(f"{summary['n_prompt_groups']} prompts")
    what = (
        f"{n} accounts at {n_deployers} deployer{'s' if n_deployers != 1 else ''} posted "
        f"{n_items} texts{about} between {first:%Y-%m-%d %H:%M} and {last:%Y-%m-%d %H:%M} UTC "
        f"({_span_words(last.timestamp() - first.timestamp())}). They shared "
        f"{' and '.join(shared)} that hardly anyone else used ({_share(f['exclusivity'])} of "
        f"the accounts using them are among them); each account shares such content with "
        f"the others {f['evidence']:.1f} times on average, resting on {f['sources']:.0f} "
        "independent texts or bursts."
    )
    why = [
        f"the evidence rests on many texts ({f['sources']:.0f}), not on one viral post or copypasta"
    ]
    if f["sync_excess"] >= 0.3:
        why.append(
            f"{_share(f['pair_sync'])} of their pairs of shared posts came within "
            f"{_span_words(window)} of each other, where chance predicts "
            f"{f['expected_pair_sync']:.0%}"
        )
    if f["density"] >= 0.15:
        why.append(
            f"{_share(f['density'])} of the account pairs are linked, where people who ask the "
            "same common questions meet at random"
        )
    if f["repetition"] >= 20:
        # An operation at scale (the detector waives focus and concentration for it).
        why.append(
            f"each account shares content with the others from {f['repetition']:.0f} "
            "independent texts or bursts, where people who ask common questions take part "
            "in a handful"
        )
    why.append(f"these posts are {_share(f['focus'])} of the accounts' activity")
    reports = f"{public} public report{'s' if public != 1 else ''}"
    tail = f" {offensive:.0%} offensive-language; {reports}."
    return f"{what} Not organic: {'; '.join(why)}.{tail}"


def _candidates(
    session: Session, items: Items, accounts: Accounts, detector: Any
) -> list[CampaignCandidate]:
    communities = detector.communities_
    if not communities:
        return []
    rows_per = [np.asarray(c["items"], dtype=np.int64) for c in communities]
    cluster_words = {c.id: c.keywords for c in session.execute(select(TopicCluster)).scalars()}
    community_groups = [{int(g) for g in items.group[rows]} for rows in rows_per]
    own_words = _campaign_keywords(session, community_groups)
    reports = _reports_in_groups(session, set().union(*community_groups))
    found: list[CampaignCandidate] = []
    for community, rows, groups, own in zip(
        communities, rows_per, community_groups, own_words, strict=True
    ):
        is_log = items.kind[rows] == 0
        codes, counts = np.unique(items.account[rows], return_counts=True)
        # Most items first; ties in a fixed order, so that every run lists them alike.
        per_account = sorted(
            (
                (accounts.deployer[c], accounts.account_id[c], int(k))
                for c, k in zip(codes.tolist(), counts.tolist(), strict=True)
            ),
            key=lambda x: (-x[2], x[0] if x[0] is not None else -1, x[1]),
        )
        clusters = Counter(int(c) for c in items.cluster[rows] if c >= 0)
        top_cluster = min(clusters, key=lambda c: (-clusters[c], c)) if clusters else None
        cluster_keywords = cluster_words.get(top_cluster, []) if top_cluster is not None else []
        # Eight words to show, from the campaign's own texts; the category guess reads
        # twenty of them and, as before, its largest cluster's words.
        keywords = own[:8]
        # Public reports about the same near-duplicate texts, from anyone.
        about = [(rid, cat) for rid, cat, g in reports if g in groups]
        public = {rid for rid, _ in about}
        deployers = {d for d, _, _ in per_account if d is not None}
        explanation = _explain(
            community,
            len(deployers),
            len(rows),
            keywords,
            len(public),
            float((items.offensive[rows] >= 0.5).mean()),
            float(detector.window_),
        )
        found.append(
            CampaignCandidate(
                score=float(community["score"]),
                accounts=per_account,
                log_ids=sorted(int(i) for i in items.id[rows[is_log]]),
                report_ids=sorted({int(i) for i in items.id[rows[~is_log]]} | public),
                first_seen=datetime.fromtimestamp(float(items.time[rows].min()), UTC),
                last_seen=datetime.fromtimestamp(float(items.time[rows].max()), UTC),
                explanation=explanation,
                category_guess=_category(Counter(cat for _, cat in about), own + cluster_keywords),
                keywords=keywords,
                features={k: round(float(v), 4) for k, v in community["features"].items()},
            )
        )
    return found


# -- alerts ------------------------------------------------------------------------


def _stable_unit(keys: np.ndarray) -> np.ndarray:
    """A number in [0, 1) per key, the same in every process and run."""
    if keys.dtype == object:
        return np.fromiter(
            (zlib.crc32(str(k).encode()) / 2**32 for k in keys), np.float64, len(keys)
        )
    x = keys.astype(np.uint64)
    # splitmix64's finaliser: consecutive ids spread evenly.
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / 2**53


def rank_alerts(alerts: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    """The ``cap`` most anomalous of a run's new alerts: a first run over a large store
    would otherwise raise hundreds that no one can read. The rest stay unraised (and
    are proposed again while their window is among the latest)."""
    return sorted(alerts, key=lambda a: (-a["score"], a["subject_type"], a["subject_id"]))[
        : max(cap, 0)
    ]


def _alerts(items: Items, accounts: Accounts, contamination: float) -> list[dict[str, Any]]:
    """Score per-group and per-account windows against their history; alert on the
    latest windows that stand out, with the features that drove them in words.

    Windows are 6 hours on a grid from the epoch (00:00, 06:00... UTC), so a window
    keeps its start whatever else is stored. The latest windows are those starting
    within two windows of the latest item; the history is every earlier window of a
    stable sample of entities holding about ``HISTORY_ITEMS`` items.
    """
    from analytics.anomaly import AnomalyScorer, window_features

    out: list[dict[str, Any]] = []
    n = len(items)
    if n == 0:
        return out
    step = ALERT_WINDOW.total_seconds()
    latest = float(items.time.max())
    first_recent = int(np.ceil((latest - 2 * step) / step))
    win = np.floor(items.time / step).astype(np.int64)
    share = min(1.0, HISTORY_ITEMS / n)
    group_size = np.bincount(items.group)
    first_seen = np.full(len(accounts.keys), np.inf)
    np.minimum.at(first_seen, items.account, items.time)
    keys = accounts.key_array()
    for subject, entity in (("group", items.group), ("account", items.account)):
        distinct, inverse = np.unique(entity, return_inverse=True)
        entity_sampled = _stable_unit(distinct if subject == "group" else keys[distinct]) < share
        sampled = entity_sampled[inverse.ravel()]
        # Items of sampled entities, and those of every entity's latest windows and
        # the window before them (growth compares with it), in a fixed order so
        # that sums come out the same in full and incremental runs.
        rows = np.flatnonzero(sampled | (win >= first_recent - 1))
        rows = rows[np.lexsort((items.id[rows], items.kind[rows]))]
        part = items.take(rows)
        wf = window_features(
            part.group if subject == "group" else part.account,
            part.time,
            window=step,
            start=0.0,
            account=part.account,
            deployer=part.deployer,
            near_duplicate=group_size[part.group] >= 2,
            offensive=part.offensive,
            is_report=part.kind == 1,
            first_seen=first_seen[part.account],
        )
        row_win = np.round(np.asarray(wf.window_starts, dtype=float) / step).astype(np.int64)
        row_sampled = entity_sampled[np.searchsorted(distinct, wf.entities)]
        recent = row_win >= first_recent
        history = row_sampled & ~recent
        if history.sum() < 20 or not recent.any():
            continue
        scorer = AnomalyScorer(contamination=contamination, feature_names=wf.feature_names)
        scorer.fit(wf.X[history])
        scores = scorer.decision_function(wf.X[recent])
        volume = wf.feature_names.index("volume")
        for row, score in zip(np.flatnonzero(recent), scores, strict=True):
            if score <= scorer.threshold_:
                continue
            # A window of one or two posts cannot be a campaign or a surge.
            if wf.X[row, volume] < 5:
                continue
            name = str(wf.entities[row]) if subject == "group" else keys[wf.entities[row]]
            reasons = scorer.explain(wf.X[row], top=3)
            start = datetime.fromtimestamp(float(wf.window_starts[row]), UTC)
            out.append(
                {
                    "subject_type": subject,
                    "subject_id": name[:250],
                    "window_start": start,
                    "window_end": start + ALERT_WINDOW,
                    "score": float(score),
                    "features": {
                        f: round(float(v), 4)
                        for f, v in zip(wf.feature_names, wf.X[row], strict=True)
                    },
                    "explanation": f"{subject} {name}: " + "; ".join(c.text for c in reasons),
                }
            )
    out.sort(key=lambda a: (a["subject_type"], a["subject_id"], a["window_start"]))
    return out
