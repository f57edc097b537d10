"""campaign techniques (DISARM, MITRE ATLAS) for the STIX export

Revision ID: 0007_incidents_stix
Revises: 0007_incidents_webhooks
Create Date: 2026-12-06 05:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0007_incidents_stix"
down_revision: str | None = "0007_incidents_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_technique",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=20), nullable=False),
        sa.Column("technique_id", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tagged_by", sa.String(length=200), nullable=False),
        sa.Column("tagged_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_campaign_technique_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_technique")),
        sa.UniqueConstraint(
            "campaign_id",
            "framework",
            "technique_id",
            name=op.f("uq_campaign_technique_campaign_id_framework_technique_id"),
        ),
    )
    with op.batch_alter_table("campaign_technique", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_technique_campaign_id"), ["campaign_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_technique", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_technique_campaign_id"))
    op.drop_table("campaign_technique")
