import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cli.main import main
from core.models import Alert, Campaign, CampaignAccount, Report, ReportMessage, Sanction
from core.services.users import verify_login


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", list(_commands(main)))
def test_every_subcommand_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert len(result.output.strip().splitlines()) >= 3


def test_each_command_is_found_in_the_module_named_after_it():
    """`misuse NAME ...` lives in cli/NAME_cmd.py (the code map in CONTRIBUTING.md)."""
    for name, command in main.commands.items():
        assert command.callback.__module__ == f"cli.{name}_cmd", name


def assert_valid_stix(text):
    import json

    import stix2
    from stix2validator import ValidationOptions, validate_string

    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    assert json.loads(stix2.parse(text).serialize()) == json.loads(text)


def test_db_upgrade_is_idempotent(runner):
    first = runner.invoke("db", "upgrade")
    second = runner.invoke("db", "upgrade")
    assert first.exit_code == second.exit_code == 0
    assert "at revision" in second.output


# The demo runs the embed, group and detect jobs. Its instance folder gets the run's
# compiled model, as the cluster tests' do: exporting and probing it again cost each
# store about ten seconds, and the export has tests of its own
# (tests/unit/test_analytics_embedding.py).
@pytest.mark.slow
def test_demo_load_fills_an_empty_database_once(runner, db, settings, model_cache):
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    (settings.instance_dir / "models").symlink_to(model_cache, target_is_directory=True)
    result = runner.invoke("demo", "load", "--if-empty")
    assert result.exit_code == 0, result.output
    with db.session_scope() as s:
        reports = s.execute(select(func.count()).select_from(Report)).scalar_one()
        categories = s.execute(select(func.count(func.distinct(Report.category)))).scalar_one()
        reporter_types = s.execute(
            select(func.count(func.distinct(Report.reporter_type)))
        ).scalar_one()
        messages = s.execute(select(func.count()).select_from(ReportMessage)).scalar_one()
    assert reports >= 50 and categories >= 8 and reporter_types == 3 and messages > 0
    # The first run ends on a populated workspace: the jobs ran, a campaign was found,
    # a case waits for a supervisor, and the demo logins were printed.
    with db.session_scope() as s:
        campaigns = s.execute(select(func.count()).select_from(Campaign)).scalar_one()
        proposed = s.execute(
            select(func.count()).select_from(Sanction).where(Sanction.status == "proposed")
        ).scalar_one()
        alerts = s.execute(select(func.count()).select_from(Alert)).scalar_one()
    assert campaigns >= 1 and proposed == 1 and alerts >= 1
    # Both planted campaigns are found, each as itself: the fraud one posts in step, the
    # disinformation one runs from one prompt template in short bursts over the week
    # (which an app's users, steady over time, must not be taken for).
    with db.session_scope() as s:
        rows = s.execute(select(CampaignAccount.campaign_id, CampaignAccount.account_id)).all()
    kinds: dict[int, set[str]] = {}
    for campaign_id, account_id in rows:
        kinds.setdefault(campaign_id, set()).add(account_id.split("-")[0])
    assert sorted(kinds.values(), key=sorted) == [{"disi"}, {"frau"}], kinds
    logins = re.findall(
        r"demo:\s+(analyst|supervisor)\s+(\S+@demo\.invalid)\s+(\S+)", result.output
    )
    assert [role for role, _, _ in logins] == ["analyst", "supervisor"]
    with db.session_scope() as s:
        user = verify_login(s, logins[1][1], logins[1][2], secret_key=db.settings.secret_key)
        assert user.role == "supervisor"
    # The demo campaign is shareable: its STIX bundle passes the OASIS validator and
    # round-trips through stix2 (here, where the demo is loaded once anyway).
    with db.session_scope() as s:
        campaign_id = s.execute(select(Campaign.id).order_by(Campaign.score.desc())).scalar()
    bundle = runner.invoke("export", "stix", str(campaign_id))
    assert bundle.exit_code == 0, bundle.output
    assert_valid_stix(bundle.output)
    again = runner.invoke("demo", "load", "--if-empty")
    assert "nothing loaded" in again.output
    with db.session_scope() as s:
        assert s.execute(select(func.count()).select_from(Report)).scalar_one() == reports


@pytest.mark.parametrize("command", [("jobs", "run", "expire"), ("scheduler",)])
def test_jobs_on_a_database_not_migrated_say_what_to_run(command, tmp_path):
    env = {
        "MISUSE_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "MISUSE_INSTANCE_DIR": str(tmp_path / "instance"),
        "MISUSE_SECRET_KEY": "k",
    }
    result = CliRunner().invoke(main, list(command), env=env)
    assert result.exit_code == 1
    assert "not the latest: run `misuse db upgrade` first" in result.output
    assert "Traceback" not in result.output and "sqlite3" not in result.output
