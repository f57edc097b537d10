"""session generations and login throttling

Login failures move from a per-account counter (which let anyone lock an
analyst out, and answered differently for unknown accounts) to a table keyed
by the typed e-mail and the client address; each user gets a session
generation that ends every login session when raised.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 01:20:31.195412
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_hash", sa.String(length=64), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttle")),
        sa.UniqueConstraint(
            "account_hash",
            "address_hash",
            name=op.f("uq_login_throttle_account_hash_address_hash"),
        ),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("locked_until", core.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("session_generation")
    op.drop_table("login_throttle")
