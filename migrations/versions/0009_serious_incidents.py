"""serious incidents (EU AI Act): incidents, their frozen reports, the report form's flag

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 11:12:16.442557
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import core.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("aware_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolved_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("declared_by", sa.String(length=200), nullable=False),
        sa.Column("declared_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_incident_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("case_id", name=op.f("uq_incident_case_id")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_status"), ["status"], unique=False)

    op.create_table(
        "incident_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("incomplete", sa.Boolean(), nullable=False),
        sa.Column("due_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("audit_event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_event_id"],
            ["audit_event.id"],
            name=op.f("fk_incident_report_audit_event_id_audit_event"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_incident_report_incident_id_incident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_report")),
        sa.UniqueConstraint(
            "incident_id", "number", name=op.f("uq_incident_report_incident_id_number")
        ),
    )
    with op.batch_alter_table("incident_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_report_incident_id"), ["incident_id"], unique=False
        )

    with op.batch_alter_table("report", schema=None) as batch_op:
        # Reports sent before the form asked are not flagged.
        batch_op.add_column(
            sa.Column("serious_incident", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_index(batch_op.f("ix_report_triage"))
        batch_op.create_index(
            "ix_report_triage",
            ["status", "serious_incident", "trusted_flagger", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_triage")
        batch_op.create_index(
            batch_op.f("ix_report_triage"),
            ["status", "trusted_flagger", "created_at"],
            unique=False,
        )
        batch_op.drop_column("serious_incident")

    with op.batch_alter_table("incident_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_report_incident_id"))

    op.drop_table("incident_report")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_status"))

    op.drop_table("incident")
