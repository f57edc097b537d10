"""What the detect job reads: every grouped item as columns, and what it needs to
name and explain a campaign.

A full run reads every log sample and report whose texts the group job has placed;
an incremental one only those it has not read yet (new records, and older ones whose
texts were placed since), bounded by a :class:`Cursor` counted before the read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core.models import LogRecord, NearDupGroup, Report, TextBlob, TextPlacement, TopicCluster
from core.queries.common import epoch_seconds, lookup_sorted

_CHUNK = 500


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
    narrative: np.ndarray  # -1: none worked out
    time: np.ndarray  # seconds since the epoch
    offensive: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    @classmethod
    def empty(cls) -> Items:
        return cls(*(np.zeros(0, dtype=t) for t in (np.int8,) + (np.int64,) * 7 + (float,) * 2))

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


def item_counts(
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


def cursor_now(session: Session, since: Cursor | None) -> Cursor:
    """Bounds for this run's reads, counted before reading: a row that commits
    between the count and the read makes the next run's count differ (a full run),
    it is never silently skipped. After ``since`` (just checked to still hold) only
    the rows above it are counted."""
    last_log = session.execute(select(func.coalesce(func.max(LogRecord.id), 0))).scalar_one()
    last_report = session.execute(select(func.coalesce(func.max(Report.id), 0))).scalar_one()
    last_run = session.execute(
        select(func.coalesce(func.max(TextPlacement.run_id), 0))
    ).scalar_one()
    counts = item_counts(session, last_log, last_report, last_run, above=since)
    if since is not None:
        logs, reports, placed = counts
        counts = (since.logs_upto + logs, since.reports_upto + reports, since.placed_upto + placed)
    return Cursor(last_log, last_report, last_run, *counts)


def read_items(session: Session, accounts: Accounts, now: Cursor, since: Cursor | None) -> Items:
    """Grouped items within ``now``; with ``since``, only those not read by then: new
    records, and older ones whose texts were placed after it."""
    dialect = session.get_bind().dialect.name
    placements = _placements(session, now) if since is None else None
    out = Items.empty()
    for kind in ("log", "report"):
        columns = _item_columns(session, kind, dialect, now, since, placements)
        if columns is None:
            continue
        ids, a, b, t, group, prompt_group, cluster, narrative, off = columns
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
            narrative=narrative,
            time=t,
            offensive=off,
        )
        # In id order, whatever order the database returned, so that every full run
        # on the same data gets the same input, ties and all.
        out = out.then(part.take(np.argsort(part.id, kind="stable")))
    return out


def _placements(session: Session, now: Cursor) -> tuple[np.ndarray, ...]:
    """Every placed text: id (sorted), group, cluster and narrative (-1 for none),
    offensive prob."""
    rows = session.execute(
        select(
            TextPlacement.text_id,
            TextPlacement.group_id,
            func.coalesce(TextPlacement.cluster_id, -1),
            func.coalesce(TextPlacement.narrative_id, -1),
            TextBlob.offensive_prob,
        )
        .join(TextBlob, TextBlob.id == TextPlacement.text_id)
        .where(TextPlacement.run_id <= now.last_run)
    ).all()
    columns = list(zip(*rows, strict=True)) or [()] * 5
    text, group, cluster, narrative, off = (
        np.asarray(c, dtype=d)
        for c, d in zip(columns, (np.int64, np.int64, np.int64, np.int64, float), strict=True)
    )
    order = np.argsort(text, kind="stable")
    return text[order], group[order], cluster[order], narrative[order], off[order]


def _item_columns(
    session: Session,
    kind: str,
    dialect: str,
    now: Cursor,
    since: Cursor | None,
    placements: tuple[np.ndarray, ...] | None,
) -> tuple[Any, ...] | None:
    """(ids, deployer or flagger, account or key, time, group, prompt group, cluster,
    narrative, offensive)."""
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
            select(*cols, epoch_seconds(at, dialect), text_id, prompt_id).where(model.id <= last)
        ).all()
        if not rows:
            return None
        ids, a, b, t, texts, prompts = (list(c) for c in zip(*rows, strict=True))
        del rows
        placed_text, group, cluster, narrative, off = placements
        at_text, placed = lookup_sorted(placed_text, np.asarray(texts, dtype=np.int64))
        at_prompt, prompt_placed = lookup_sorted(
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
            narrative[rows_at],
            off[rows_at],
        )
    prompt_placement = aliased(TextPlacement)
    base = (
        select(
            *cols,
            epoch_seconds(at, dialect),
            TextPlacement.group_id,
            func.coalesce(prompt_placement.group_id, -1),
            func.coalesce(TextPlacement.cluster_id, -1),
            func.coalesce(TextPlacement.narrative_id, -1),
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
            for c, d in zip(
                rest, (float, np.int64, np.int64, np.int64, np.int64, float), strict=True
            )
        ),
    )


def reports_in_groups(session: Session, groups: set[int]) -> list[tuple[int, str, int]]:
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


def group_samples(session: Session, groups: list[int]) -> dict[int, str]:
    """Each group's sample text ("" for none)."""
    samples: dict[int, str] = {}
    for start in range(0, len(groups), _CHUNK):
        for g, text in session.execute(
            select(NearDupGroup.id, NearDupGroup.sample_text).where(
                NearDupGroup.id.in_(groups[start : start + _CHUNK])
            )
        ):
            samples[g] = text or ""
    return samples


def background_samples(session: Session, about: int, leave_out: set[int]) -> list[str]:
    """Sample texts of about ``about`` groups spread over the store (every k-th id),
    those in ``leave_out`` left out: what ordinary texts look like."""
    total = session.execute(select(func.count()).select_from(NearDupGroup)).scalar_one()
    step = max(1, total // about)
    return [
        t
        for g, t in session.execute(
            select(NearDupGroup.id, NearDupGroup.sample_text).where(NearDupGroup.id % step == 0)
        )
        if t and g not in leave_out
    ]


def cluster_keywords(session: Session) -> dict[int, list[str]]:
    """Every topic cluster's keywords."""
    return {c.id: c.keywords for c in session.execute(select(TopicCluster)).scalars()}
