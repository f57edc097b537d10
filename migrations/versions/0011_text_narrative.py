"""text_placement.narrative_id: the narrative a text belongs to

Texts that make the same claim in other words are not near-duplicates, yet a
campaign drawing a few posts per account from a wide pool of such texts shows up
only through them. The group job names each text's narrative (the texts linked to
it by a cosine of at least ``narrative_threshold``, named by the lowest text id);
the detect job counts a narrative that several accounts keep returning to as
evidence. Existing placements get theirs at the next full group run.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("text_placement") as batch:
        batch.add_column(sa.Column("narrative_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("text_placement") as batch:
        batch.drop_column("narrative_id")
