"""The schema is made only by migrations: one head, and models and migrations agree."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core.migrate import current_revision, head_revisions
from core.models import Base


def test_single_head():
    heads = head_revisions("sqlite://")
    assert len(heads) == 1, f"several migration heads: {heads}"


def test_database_is_at_head(db):
    assert current_revision(db.engine) == head_revisions("sqlite://")[0]


def test_models_match_migrations(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_postgresql_does_not_compress_the_job_state_again(db):
    # The job compresses its state itself; PostgreSQL's own attempt tripled the
    # time of each save at a million items (migration 0010).
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL storage setting; SQLite has none")
    with db.engine.connect() as conn:
        storage = conn.exec_driver_sql(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'job_state'::regclass AND attname = 'payload'"
        ).scalar_one()
    assert storage == "e"
