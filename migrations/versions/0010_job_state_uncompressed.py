"""job_state.payload stored without PostgreSQL's compression

The detect job's state is compressed by the job already (zlib). PostgreSQL tried
its own compression on it again on every save, slowly and for almost nothing: a
22 MB state at a million items took 0.53 s to insert, 0.17 s stored as it is
(EXTERNAL: out of line, not compressed). SQLite has no such setting.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:58:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE job_state ALTER COLUMN payload SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE job_state ALTER COLUMN payload SET STORAGE EXTENDED")
