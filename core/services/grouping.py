"""Persisting near-duplicate groups, topic clusters and neighbours, and reading them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import (
    Integer,
    String,
    Table,
    bindparam,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from core.models import (
    LogRecord,
    NearDupGroup,
    Report,
    TextBlob,
    TextNeighbor,
    TextPlacement,
    TopicCluster,
)
from core.models.base import utcnow
from core.queries.common import epoch_seconds, lookup_sorted

# Ids per IN list: well under SQLite's and PostgreSQL's bound-parameter limits.
_IN_CHUNK = 5000


def placements(session: Session) -> dict[int, tuple[int, int | None]]:
    """text id -> (group id, cluster id) as the last run left them."""
    return {
        t: (g, c)
        for t, g, c in session.execute(
            select(TextPlacement.text_id, TextPlacement.group_id, TextPlacement.cluster_id)
        )
    }


def placement_arrays(
    session: Session, text_ids: Sequence[int] | np.ndarray | None = None
) -> PlacementArrays:
    """Placements as columns sorted by text id (every placement, or those of ``text_ids``).

    Read column-wise in chunks: a million placements never become a million Python
    tuples or dict entries at once.
    """
    columns = (
        TextPlacement.text_id,
        TextPlacement.group_id,
        func.coalesce(TextPlacement.cluster_id, -1),
        TextPlacement.x,
        TextPlacement.y,
        func.coalesce(TextPlacement.narrative_id, -1),
    )
    if text_ids is None:
        parts = list(_fetch_columns(session, select(*columns), 6))
    else:
        wanted = np.unique(np.asarray(text_ids, dtype=np.int64))
        parts = [
            part
            for start in range(0, len(wanted), _IN_CHUNK)
            for part in _fetch_columns(
                session,
                select(*columns).where(
                    TextPlacement.text_id.in_(wanted[start : start + _IN_CHUNK].tolist())
                ),
                6,
            )
        ]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return PlacementArrays(empty, empty, empty, np.zeros((0, 2), dtype=np.float32), empty)
    text, group, cluster, x, y, narrative = (np.concatenate(c) for c in zip(*parts, strict=True))
    order = np.argsort(text, kind="stable")
    return PlacementArrays(
        text[order].astype(np.int64),
        group[order].astype(np.int64),
        cluster[order].astype(np.int64),
        np.column_stack([x[order], y[order]]).astype(np.float32),
        narrative[order].astype(np.int64),
    )


def first_seen(session: Session, text_ids: np.ndarray) -> np.ndarray:
    """When each of ``text_ids`` was first seen as an item's text (a report's output or
    a log sample's response), in seconds since the epoch; inf for a text never seen as
    one (a prompt only). The group job links texts of one burst by it."""
    text_ids = np.asarray(text_ids, dtype=np.int64)
    if not len(text_ids):
        return np.zeros(0)
    item = _items()
    when = func.min(epoch_seconds(item.c.seen, session.get_bind().dialect.name))
    stmt = select(item.c.text_id, when).where(item.c.text_id.is_not(None))
    wanted = np.unique(text_ids)
    if len(wanted) > 4 * _IN_CHUNK:
        # Most texts: one pass over every item beats thousands of IN lists.
        chunks: list[Any] = [stmt.group_by(item.c.text_id)]
    else:
        chunks = [
            stmt.where(item.c.text_id.in_(wanted[i : i + _IN_CHUNK].tolist())).group_by(
                item.c.text_id
            )
            for i in range(0, len(wanted), _IN_CHUNK)
        ]
    seen_at = np.full(len(wanted), np.inf)
    for chunk in chunks:
        result = session.execute(chunk)
        # A bounded number of rows as Python objects at a time: a million texts'
        # tuples would cost the group job hundreds of MB at its peak.
        while rows := result.fetchmany(50_000):
            ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
            seen = np.fromiter((r[1] for r in rows), np.float64, len(rows))
            at, mine = lookup_sorted(wanted, ids)
            seen_at[at[mine]] = seen[mine]
    return seen_at[np.searchsorted(wanted, text_ids)]


def neighbor_reach(session: Session, text_ids: np.ndarray, k: int) -> np.ndarray:
    """Per text of ``text_ids``, the cosine of its ``k``-th kept neighbour (a text
    closer than that is among its ``k`` nearest); -inf for a text that keeps fewer
    than ``k``, or none. What ``analytics.neighbors.neighbor_reach`` gives over a full
    run's lists, read back between full runs: those lists keep ``k`` texts, and the
    lists of texts placed between full runs one more, so the ``k``-th best is read
    rather than the last."""
    text_ids = np.asarray(text_ids, dtype=np.int64)
    wanted = np.unique(text_ids[text_ids >= 0])
    if not len(wanted) or k <= 0:
        return np.full(len(text_ids), -np.inf)
    reach = np.full(len(wanted), -np.inf)
    ids, scores = [], []
    for start in range(0, len(wanted), _IN_CHUNK):
        rows = session.execute(
            select(TextNeighbor.text_id, TextNeighbor.score).where(
                TextNeighbor.text_id.in_(wanted[start : start + _IN_CHUNK].tolist())
            )
        ).all()
        ids.append(np.fromiter((r[0] for r in rows), np.int64, len(rows)))
        scores.append(np.fromiter((r[1] for r in rows), np.float64, len(rows)))
    by_text, score = np.concatenate(ids), np.concatenate(scores)
    if len(by_text):
        order = np.lexsort((-score, by_text))
        by_text, score = by_text[order], score[order]
        # Each row's rank within its text's list, best first.
        starts = np.flatnonzero(np.r_[True, by_text[1:] != by_text[:-1]])
        rank = np.arange(len(by_text)) - np.repeat(starts, np.diff(np.r_[starts, len(by_text)]))
        kth = rank == k - 1
        reach[np.searchsorted(wanted, by_text[kth])] = score[kth]
    at, found = lookup_sorted(wanted, text_ids)
    return np.where(found, reach[at], -np.inf)


def _fetch_columns(session: Session, stmt: Any, width: int) -> Iterator[list[np.ndarray]]:
    """Rows of ``stmt`` as numeric column arrays, a chunk at a time."""
    result = session.execute(stmt)
    while rows := result.fetchmany(50_000):
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
        yield [
            np.asarray(c, dtype=np.float64 if i >= 3 else np.int64) for i, c in enumerate(columns)
        ]


@dataclass(frozen=True)
class PlacementArrays:
    """Placements column-wise, sorted by text id; ``cluster`` and ``narrative`` are -1
    for none."""

    text: np.ndarray
    group: np.ndarray
    cluster: np.ndarray
    xy: np.ndarray
    narrative: np.ndarray

    def lookup(self, text_ids: np.ndarray) -> np.ndarray:
        """Row of each of ``text_ids`` in these arrays, -1 where it is not placed."""
        at, found = lookup_sorted(self.text, np.ravel(text_ids))
        return np.where(found, at, -1).reshape(np.shape(text_ids))


def _new_ids(
    session: Session, model: type[NearDupGroup] | type[TopicCluster], count: int
) -> list[int]:
    """Insert ``count`` empty rows in one statement and return their ids, ascending."""
    if count <= 0:
        return []
    # A counting CTE, not generate_series: SQLite has no table functions built in.
    seq = select(literal(1).label("x")).cte("seq", recursive=True)
    seq = seq.union_all(select(seq.c.x + 1).where(seq.c.x < count))
    now = utcnow()
    columns = ["text_count", "report_count", "log_count", "created_at", "updated_at"]
    if model is NearDupGroup:
        columns[3:3] = ["deployer_count", "account_count"]
    values = [
        literal(now, model.__table__.c[c].type) if c.endswith("_at") else literal(0)
        for c in columns
    ]
    if model is TopicCluster:
        columns.append("keywords")
        values.append(literal([], TopicCluster.__table__.c.keywords.type))
    ids = session.execute(
        insert(model).from_select(columns, select(*values).select_from(seq)).returning(model.id)
    ).scalars()
    return sorted(int(i) for i in ids)


def new_group_ids(session: Session, count: int) -> list[int]:
    """Ids of ``count`` new, empty near-duplicate groups (ascending)."""
    return _new_ids(session, NearDupGroup, count)


def new_cluster_ids(session: Session, count: int) -> list[int]:
    """Ids of ``count`` new, empty topic clusters (ascending)."""
    return _new_ids(session, TopicCluster, count)


@dataclass(frozen=True)
class PlacementRow:
    text_id: int
    group_id: int
    cluster_id: int | None
    x: float
    y: float


def write_placements(
    session: Session,
    rows: Sequence[PlacementRow],
    *,
    run_id: int,
    replace_all: bool,
    neighbors: Sequence[tuple[int, int, float]] = (),
    cluster_keywords: Mapping[int, list[str]] | None = None,
) -> None:
    """Write a run's placements (and neighbours) in the caller's transaction.

    ``replace_all`` (a full run) replaces every placement and neighbour, and
    deletes the groups and clusters nothing points to any more. Row objects are
    converted to the columns :func:`write_placement_arrays` takes.
    """
    nb = np.asarray(neighbors, dtype=np.float64).reshape(-1, 3)
    write_placement_arrays(
        session,
        np.asarray([r.text_id for r in rows], dtype=np.int64),
        np.asarray([r.group_id for r in rows], dtype=np.int64),
        np.asarray([-1 if r.cluster_id is None else r.cluster_id for r in rows], dtype=np.int64),
        np.asarray([(r.x, r.y) for r in rows], dtype=np.float64).reshape(-1, 2),
        run_id=run_id,
        replace_all=replace_all,
        neighbors=(nb[:, 0].astype(np.int64), nb[:, 1].astype(np.int64), nb[:, 2]),
        cluster_keywords=cluster_keywords,
    )


def write_placement_arrays(
    session: Session,
    text_ids: np.ndarray,
    group_ids: np.ndarray,
    cluster_ids: np.ndarray,
    xy: np.ndarray,
    *,
    run_id: int,
    replace_all: bool,
    neighbors: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    cluster_keywords: Mapping[int, list[str]] | None = None,
    narrative_ids: np.ndarray | None = None,
) -> None:
    """Write a run's placements and neighbours, given as columns, in the caller's transaction.

    ``cluster_ids`` holds -1 for a text outside every topic cluster (stored as NULL),
    ``narrative_ids`` -1 (or is None) where no narrative was worked out;
    ``neighbors`` is ``(text ids, neighbour ids, scores)``, self-pairs dropped here.
    ``replace_all`` (a full run) replaces every placement and neighbour and deletes the
    groups and clusters nothing points to any more; otherwise the placements and
    neighbours of ``text_ids`` are replaced.
    """
    text_ids = np.asarray(text_ids, dtype=np.int64)
    if replace_all:
        session.execute(delete(TextPlacement))
        session.execute(delete(TextNeighbor))
    else:
        for start in range(0, len(text_ids), _IN_CHUNK):
            chunk = text_ids[start : start + _IN_CHUNK].tolist()
            session.execute(delete(TextPlacement).where(TextPlacement.text_id.in_(chunk)))
            session.execute(delete(TextNeighbor).where(TextNeighbor.text_id.in_(chunk)))
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    bulk_insert(
        session,
        _table(TextPlacement),
        {
            "text_id": text_ids,
            "group_id": np.asarray(group_ids, dtype=np.int64),
            "cluster_id": np.asarray(cluster_ids, dtype=np.int64),
            "x": xy[:, 0],
            "y": xy[:, 1],
            "run_id": np.full(len(text_ids), run_id, dtype=np.int64),
            "narrative_id": (
                np.full(len(text_ids), -1, dtype=np.int64)
                if narrative_ids is None
                else np.asarray(narrative_ids, dtype=np.int64)
            ),
        },
        null_if_negative=("cluster_id", "narrative_id"),
    )
    if neighbors is not None:
        a, b, score = (np.asarray(c) for c in neighbors)
        keep = a != b
        bulk_insert(
            session,
            _table(TextNeighbor),
            {
                "text_id": a[keep].astype(np.int64),
                "neighbor_id": b[keep].astype(np.int64),
                "score": score[keep].astype(np.float64),
            },
        )
    if cluster_keywords:
        # One executemany, not a statement per cluster.
        session.connection().execute(
            update(_table(TopicCluster))
            .where(_table(TopicCluster).c.id == bindparam("cluster"))
            .values(keywords=bindparam("words", type_=TopicCluster.keywords.type)),
            [{"cluster": int(c), "words": list(w)} for c, w in cluster_keywords.items()],
        )
    if replace_all:
        # NOT EXISTS, not NOT IN: PostgreSQL plans NOT IN over a million ids as a
        # subquery scanned once per row when its hash outgrows work_mem.
        session.execute(
            delete(NearDupGroup).where(
                ~select(TextPlacement.text_id)
                .where(TextPlacement.group_id == NearDupGroup.id)
                .exists()
            )
        )
        session.execute(
            delete(TopicCluster).where(
                ~select(TextPlacement.text_id)
                .where(TextPlacement.cluster_id == TopicCluster.id)
                .exists()
            )
        )


def _table(model: Any) -> Table:
    """A model's Core table (for statements that bypass the ORM's per-row work)."""
    table: Table = model.__table__
    return table


def bulk_insert(
    session: Session,
    table: Table,
    columns: Mapping[str, np.ndarray],
    *,
    null_if_negative: Sequence[str] = (),
    chunk: int = 100_000,
) -> None:
    """Insert rows given as numeric columns, in the caller's transaction.

    PostgreSQL gets one ``INSERT .. SELECT FROM unnest(arrays)`` per chunk: a few
    parameters per hundred thousand rows, converted by the driver in C. SQLite gets
    one executemany of plain tuples, which its driver binds in C. An ORM or Core
    executemany converts every value in Python and took most of a full run's write
    time at a million texts. Columns in ``null_if_negative`` store NULL for -1.
    """
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    if n == 0:
        return
    conn = session.connection()
    dialect = conn.dialect.name

    def value(name: str, marker: str) -> str:
        return f"NULLIF({marker}, -1)" if name in null_if_negative else marker

    if dialect == "postgresql":
        casts = ", ".join(
            f"CAST(:c{i} AS {'float8' if columns[name].dtype.kind == 'f' else 'int8'}[])"
            for i, name in enumerate(names)
        )
        picks = ", ".join(value(name, f"u.c{i}") for i, name in enumerate(names))
        # Names from the table's own definition, values bound: nothing from input.
        aliases = ", ".join(f"c{i}" for i in range(len(names)))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {picks} "
        sql = text(f"{statement}FROM unnest({casts}) AS u({aliases})")
        for start in range(0, n, chunk):
            conn.execute(
                sql,
                {
                    f"c{i}": columns[name][start : start + chunk].tolist()
                    for i, name in enumerate(names)
                },
            )
        return
    marks = ", ".join(value(name, "?") for name in names)
    sql_text = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
    for start in range(0, n, chunk):
        conn.exec_driver_sql(
            sql_text,
            list(
                zip(*(columns[name][start : start + chunk].tolist() for name in names), strict=True)
            ),
        )


def _items() -> Any:
    """Every item (report output or log response) with its text, time, deployer and account."""
    reports = select(
        Report.output_text_id.label("text_id"),
        literal("report").label("kind"),
        Report.created_at.label("seen"),
        literal(None, Integer).label("deployer_id"),
        literal(None, String).label("account_id"),
        Report.id.label("item_id"),
    )
    logs = select(
        LogRecord.response_text_id.label("text_id"),
        literal("log").label("kind"),
        LogRecord.occurred_at.label("seen"),
        LogRecord.deployer_id.label("deployer_id"),
        LogRecord.account_id.label("account_id"),
        LogRecord.id.label("item_id"),
    )
    return union_all(reports, logs).subquery("item")


@dataclass(frozen=True)
class ItemMark:
    """The highest log record and report ids a group run has counted."""

    log: int
    report: int

    def as_dict(self) -> dict[str, int]:
        return {"log": self.log, "report": self.report}


def item_mark(session: Session) -> ItemMark:
    """The highest item ids now: read before a run's statistics, saved with the run."""
    return ItemMark(
        int(session.execute(select(func.coalesce(func.max(LogRecord.id), 0))).scalar_one()),
        int(session.execute(select(func.coalesce(func.max(Report.id), 0))).scalar_one()),
    )


def _touched(column: Any, run_id: int, since: ItemMark | None) -> Any:
    """Groups (or clusters) of ``column`` that a run changed: those it placed texts in,
    and those holding items added after ``since``."""
    parts = [select(column).where(TextPlacement.run_id == run_id)]
    if since is not None:
        parts += [
            select(column)
            .join(LogRecord, LogRecord.response_text_id == TextPlacement.text_id)
            .where(LogRecord.id > since.log),
            select(column)
            .join(Report, Report.output_text_id == TextPlacement.text_id)
            .where(Report.id > since.report),
        ]
    return union(*parts)


def refresh_stats(
    session: Session, *, run_id: int | None = None, since: ItemMark | None = None
) -> None:
    """Recompute the precomputed counts and time spans of groups and clusters in SQL.

    One ``UPDATE .. FROM (SELECT .. GROUP BY)`` per table. Without ``run_id`` every
    group and cluster that holds a text is refreshed (a full run). With it only those
    the run touched: the ones it placed texts in, and, given ``since`` (the item ids
    the previous run counted), the ones holding items that arrived after it.
    """
    now = utcnow()
    item = _items()
    for model, column in (
        (NearDupGroup, TextPlacement.group_id),
        (TopicCluster, TextPlacement.cluster_id),
    ):
        scope = [column.is_not(None)]
        if run_id is not None:
            scope.append(column.in_(_touched(column, run_id, since)))
        texts = (
            select(
                column.label("key"),
                func.count().label("text_count"),
                func.substr(func.min(TextBlob.masked_text), 1, 500).label("sample"),
            )
            .join(TextBlob, TextBlob.id == TextPlacement.text_id)
            .where(*scope)
            .group_by(column)
            .subquery("texts")
        )
        # One account = one (deployer, account id) pair, a missing account id
        # included; reports carry no deployer and count as neither.
        account = case(
            (
                item.c.deployer_id.is_not(None),
                cast(item.c.deployer_id, String)
                + ":"
                + func.coalesce(literal("=") + item.c.account_id, literal("-")),
            ),
        )
        items = (
            select(
                column.label("key"),
                func.sum(case((item.c.kind == "report", 1), else_=0)).label("report_count"),
                func.sum(case((item.c.kind == "log", 1), else_=0)).label("log_count"),
                func.count(distinct(item.c.deployer_id)).label("deployer_count"),
                func.count(distinct(account)).label("account_count"),
                func.min(item.c.seen).label("first_seen"),
                func.max(item.c.seen).label("last_seen"),
            )
            .join(item, item.c.text_id == TextPlacement.text_id)
            .where(*scope)
            .group_by(column)
            .subquery("items")
        )
        stats = (
            select(
                texts.c.key,
                texts.c.text_count,
                texts.c.sample,
                func.coalesce(items.c.report_count, 0).label("report_count"),
                func.coalesce(items.c.log_count, 0).label("log_count"),
                func.coalesce(items.c.deployer_count, 0).label("deployer_count"),
                func.coalesce(items.c.account_count, 0).label("account_count"),
                items.c.first_seen,
                items.c.last_seen,
            )
            .outerjoin(items, items.c.key == texts.c.key)
            .subquery("stats")
        )
        values: dict[str, Any] = {
            "text_count": stats.c.text_count,
            "report_count": stats.c.report_count,
            "log_count": stats.c.log_count,
            "first_seen": stats.c.first_seen,
            "last_seen": stats.c.last_seen,
            "updated_at": literal(now, model.__table__.c.updated_at.type),
        }
        if model is NearDupGroup:
            values.update(
                deployer_count=stats.c.deployer_count,
                account_count=stats.c.account_count,
                sample_text=stats.c.sample,
            )
        table = _table(model)
        session.execute(update(table).where(table.c.id == stats.c.key).values(**values))
