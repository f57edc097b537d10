"""What the scheduled jobs compute: embeddings, near-duplicate groups, topic clusters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, JSONType, utcnow


class Embedding(Base):
    """One vector per distinct text (float32, L2-normalised), tagged with the model
    that made it: a different ``model_id`` means the text is embedded again."""

    __tablename__ = "embedding"

    text_id: Mapped[int] = mapped_column(
        ForeignKey("text_blob.id", ondelete="CASCADE"), primary_key=True
    )
    model_id: Mapped[str] = mapped_column(String(200), index=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NearDupGroup(Base):
    """Texts linked by cosine similarity above the threshold, with item statistics
    precomputed by the group job so that pages only read."""

    __tablename__ = "near_dup_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_count: Mapped[int] = mapped_column(Integer, default=0)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    log_count: Mapped[int] = mapped_column(Integer, default=0)
    deployer_count: Mapped[int] = mapped_column(Integer, default=0)
    account_count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]
    sample_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicCluster(Base):
    __tablename__ = "topic_cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    text_count: Mapped[int] = mapped_column(Integer, default=0)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    log_count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextPlacement(Base):
    """Where the group job put a text: its group, its narrative, its cluster, its 2-D
    position."""

    __tablename__ = "text_placement"
    __table_args__ = (Index("ix_text_placement_cluster", "cluster_id"),)

    text_id: Mapped[int] = mapped_column(
        ForeignKey("text_blob.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("near_dup_group.id"), index=True)
    # None: noise, no topic cluster.
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("topic_cluster.id"))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    # Its narrative: the texts linked to it, directly or through others, by a cosine of
    # at least ``narrative_threshold`` (the same claim in other words; a near-duplicate
    # group lies inside one). Named by its lowest text id; None where not worked out.
    narrative_id: Mapped[int | None] = mapped_column(Integer)
    # Indexed: the incremental detect run asks which texts a group run placed since.
    run_id: Mapped[int] = mapped_column(ForeignKey("job_run.id"), index=True)


class JobRun(Base):
    """Every run of a scheduled or manual job, with its parameters and outcome."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|ok|failed
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    items_processed: Mapped[int] = mapped_column(Integer, default=0)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class TextNeighbor(Base):
    """The nearest texts of each text, precomputed by the group job, so that
    "similar items" is a read, never a model run, in a request."""

    __tablename__ = "text_neighbor"

    text_id: Mapped[int] = mapped_column(
        ForeignKey("text_blob.id", ondelete="CASCADE"), primary_key=True
    )
    neighbor_id: Mapped[int] = mapped_column(
        ForeignKey("text_blob.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)


class Lease(Base):
    """A named lock with an expiry, held by one process at a time (the scheduler, or
    one run of a job). Expiry frees it when its holder dies without releasing."""

    __tablename__ = "lease"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class JobState(Base):
    """What a job keeps between runs to work incrementally (the detect job's items
    and detector), in the database rather than on one machine's disk: whichever
    machine takes the scheduler lease next continues from it.

    ``payload`` is a pickle, so ``digest`` is its HMAC under the secret key: only a
    process holding the key could have written a payload that is ever unpickled.
    """

    __tablename__ = "job_state"

    job: Mapped[str] = mapped_column(String(80), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
