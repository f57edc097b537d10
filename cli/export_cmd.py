"""``misuse export``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from cli.context import CLI_ACTOR, Context, friendly_errors, pass_ctx


def _when(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO 8601 date, e.g. 2026-01-31", param_hint=name) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    # Write beside the target and rename: an interrupted export leaves no half file.
    tmp = output.with_name(output.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    click.echo(f"wrote {output}", err=True)


@click.group("export")
def export() -> None:
    """Statements of reasons and the transparency report."""


@export.command("statements")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--since", default=None, help="Only sanctions that took effect from this date.")
@click.option("--until", default=None, help="... and before this date.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@pass_ctx
def export_statements(
    ctx: Context, fmt: str, since: str | None, until: str | None, output: Path | None
) -> None:
    """Statements of reasons in the EU DSA Transparency Database's shape."""
    import json

    from core.services.transparency import export_statements as build
    from core.services.transparency import statements_csv

    with ctx.db.session_scope() as session:
        rows = build(session, since=_when(since, "--since"), until=_when(until, "--until"))
    text = statements_csv(rows) if fmt == "csv" else json.dumps(rows, indent=2) + "\n"
    _write(text, output)


@export.command("transparency")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--since", default=None, help="Period start (ISO date).")
@click.option("--until", default=None, help="Period end (ISO date), default now.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@pass_ctx
def export_transparency(
    ctx: Context, fmt: str, since: str | None, until: str | None, output: Path | None
) -> None:
    """The transparency report: counts, median time to decision, appeals."""
    import json

    from core.services.transparency import transparency_csv, transparency_report

    with ctx.db.session_scope() as session:
        report = transparency_report(
            session, since=_when(since, "--since"), until=_when(until, "--until")
        )
    text = transparency_csv(report) if fmt == "csv" else json.dumps(report, indent=2) + "\n"
    _write(text, output)


@export.command("stix")
@click.argument("campaign_id", type=click.IntRange(min=1))
@click.option(
    "--tlp",
    type=click.Choice(["clear", "white", "green", "amber", "red"]),
    default="amber",
    show_default=True,
    help="The Traffic Light Protocol marking: who the recipients may share it with.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
@pass_ctx
def export_stix(ctx: Context, campaign_id: int, tlp: str, output: Path | None) -> None:
    """Campaign CAMPAIGN_ID as a STIX 2.1 bundle (pseudonymous accounts, masked texts). Audited."""
    from core.services.stix import export_campaign

    with ctx.db.session_scope() as session, friendly_errors():
        text = export_campaign(
            session, campaign_id, secret_key=ctx.settings.secret_key, actor=CLI_ACTOR, tlp=tlp
        )
    _write(text + "\n", output)
