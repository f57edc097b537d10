import json
import re

from sqlalchemy import func, select

from core.models import AuditEvent, LogRecord
from factories import log_record


def _key(output):
    return re.search(r"(mw_\S+)", output).group(1)


def test_deployer_create_prints_key_once_and_stores_hash(runner, db):
    result = runner.invoke("deployers", "create", "acme", "--retention-days", "30")
    assert result.exit_code == 0, result.output
    key = _key(result.output)
    listing = runner.invoke("keys", "list", "--json")
    rows = json.loads(listing.output)
    assert rows[0]["owner"] == "acme" and key not in listing.output
    assert rows[0]["scopes"] == ["logs:write", "sanctions:read"]
    dup = runner.invoke("deployers", "create", "acme")
    assert dup.exit_code == 1 and "exists already" in dup.output


def test_keys_create_and_revoke(runner):
    runner.invoke("flaggers", "create", "checkers")
    made = runner.invoke("keys", "create", "checkers", "--name", "ci", "--scope", "reports:write")
    assert made.exit_code == 0, made.output
    key_id = re.search(r"\(id (\d+)\)", made.output).group(1)
    revoked = runner.invoke("keys", "revoke", key_id, "--reason", "rotated")
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    again = runner.invoke("keys", "revoke", key_id, "--reason", "rotated")
    assert again.exit_code == 1 and "already" in again.output
    missing = runner.invoke("keys", "create", "nobody", "--scope", "logs:write")
    assert missing.exit_code == 1 and "nobody" in missing.output


def test_purge_deletes_logs_and_is_audited(runner, client, db):
    key = _key(runner.invoke("deployers", "create", "acme").output)
    client.post(
        "/api/v1/logs",
        json=[log_record(n) for n in range(5)],
        headers={"Authorization": f"Bearer {key}"},
    )
    result = runner.invoke("deployers", "purge", "acme", "--yes")
    assert result.exit_code == 0 and "deleted 5" in result.output
    with db.session_scope() as s:
        assert s.execute(select(func.count()).select_from(LogRecord)).scalar_one() == 0
        actions = list(s.execute(select(AuditEvent.action)).scalars())
    assert "deployer.purge" in actions
    assert runner.invoke("audit", "verify").exit_code == 0
