"""job state in the database (the detect job's incremental state)

Revision ID: 0008
Revises: 0007_incidents_stix
Create Date: 2026-12-06 05:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0008"
down_revision: str | None = "0007_incidents_stix"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_state",
        sa.Column("job", sa.String(length=80), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_state")),
    )


def downgrade() -> None:
    op.drop_table("job_state")
