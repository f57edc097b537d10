from datetime import timedelta

from sqlalchemy import func, select, text

from core.models import EvidenceHold, LogRecord, TextBlob
from core.models.base import utcnow
from core.services import audit, clients, retention
from core.services.logs import ingest_log_batch
from factories import log_record
from ingest.validation import parse_log_record


def test_verify_names_an_edited_and_a_deleted_entry(db, runner):
    with db.session_scope() as s:
        for n in range(5):
            audit.record(
                s,
                actor="t",
                action="x.change",
                subject_type="x",
                subject_id=n,
                before={"v": n},
                after={"v": n + 1},
            )
        s.commit()
    assert runner.invoke("audit", "verify").exit_code == 0
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = 2"))
    result = runner.invoke("audit", "verify")
    assert result.exit_code == 1
    assert "audit entry 2: content was edited" in result.output
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = 4"))
    result = runner.invoke("audit", "verify")
    assert "audit entry 5: does not link" in result.output


def test_retention_deletes_old_samples_but_keeps_evidence(db, analyzer):
    now = utcnow()
    with db.session_scope() as s:
        deployer, _ = clients.create_deployer(
            s, "acme", retention_days=30, secret_key="k", actor="t"
        )
        records = [
            (
                i,
                parse_log_record(
                    log_record(
                        i, timestamp=(now - timedelta(days=age)).isoformat(), response=f"text {i}"
                    )
                ),
            )
            for i, age in enumerate([1, 10, 40, 50, 60])
        ]
        ingest_log_batch(s, deployer.id, records, analyzer=analyzer)
        held = s.execute(select(LogRecord.id).where(LogRecord.external_id == "rec-3")).scalar()
        s.add(EvidenceHold(log_record_id=held, holder_type="case", holder_id=1))
        s.commit()
        deleted = retention.apply_retention(s, now=now)
        assert deleted == {"acme": 2}
        kept = set(s.execute(select(LogRecord.external_id)).scalars())
        assert kept == {"rec-0", "rec-1", "rec-3"}
        # Texts only the deleted samples used are gone too.
        texts = set(s.execute(select(TextBlob.masked_text)).scalars())
        assert "text 2" not in texts and "text 4" not in texts and "text 3" in texts
        assert s.execute(select(func.count()).select_from(LogRecord)).scalar_one() == 3
