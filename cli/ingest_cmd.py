"""``misuse ingest logs|reports``: streaming, resumable importers."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Any

import click

from cli.context import Context, echo_json, pass_ctx


@click.group()
def ingest() -> None:
    """Import log samples and reports from files (streaming, resumable, gzip ok)."""


def _formats() -> list[str]:
    from ingest.formats import available_formats

    return ["auto", *available_formats()]


def _finish(summary: Any, as_json: bool) -> None:
    if as_json:
        echo_json(summary.to_dict())
    else:
        for f in summary.files:
            click.echo(
                f"{f.path}: read {f.read:,}, accepted {f.accepted:,}, duplicates "
                f"{f.duplicates:,}, rejected {f.rejected:,}"
                + (f" (see {f.rejected_path})" if f.rejected_path else "")
            )
        click.echo(
            f"total: read {summary.read:,}, accepted {summary.accepted:,}, duplicates "
            f"{summary.duplicates:,}, rejected {summary.rejected:,}, elapsed "
            f"{summary.elapsed:.1f} s, {summary.rate:,.0f} records/s"
            + (" (interrupted: rerun to continue)" if summary.interrupted else "")
        )
    # Non-zero only when nothing could be ingested at all.
    if summary.read and summary.accepted + summary.duplicates == 0:
        sys.exit(1)
    if summary.interrupted:
        sys.exit(130)


def _run(paths: tuple[str, ...], fmt: str, batch_size: int, store: Any, parse: Any) -> Any:
    import gc

    from cli.progress import ImportProgress
    from ingest.importer import ImportFailed, run_import

    # The libraries and the offensive-language model stay for the whole import:
    # spare them from every garbage collection (12-25% of the CPU time measured).
    gc.freeze()

    try:
        return run_import(
            list(paths),
            fmt=fmt,
            batch_size=batch_size,
            store_batch=store,
            parse=parse,
            progress=ImportProgress(),
        )
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from exc
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@ingest.command("logs")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--deployer", required=True, help="Name of the deployer the logs come from.")
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    type=click.Choice(_formats()),
    help="Input format (auto: by name and content).",
)
@click.option(
    "--batch-size",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 20000),
    help="Records per transaction (for line-based formats: lines read, rejected ones too).",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(0, 64),
    help="Processes that parse and analyse while this one writes [default: one per "
    "CPU left idle by other work, 1 to 4; 0: none, all in this process].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def ingest_logs(
    ctx: Context,
    files: tuple[str, ...],
    deployer: str,
    fmt: str,
    batch_size: int,
    workers: int | None,
    as_json: bool,
) -> None:
    """Import log samples of DEPLOYER from FILES (jsonl, json, csv, openai-chat; .gz ok).

    Each batch is one transaction; a rerun after an interruption stores nothing
    twice. Rejected lines go to FILE.rejected.jsonl with line, field and reason.
    """
    import gc

    from sqlalchemy import select

    from cli.progress import ImportProgress
    from core.models import Deployer
    from ingest.importer import ImportFailed, run_pipelined_import
    from ingest.pipelined import LogImportPipeline

    with ctx.db.session_scope() as session:
        deployer_id = session.execute(
            select(Deployer.id).where(Deployer.name == deployer)
        ).scalar_one_or_none()
        if deployer_id is None:
            raise click.ClickException(
                f"no deployer is called {deployer!r} (create it: misuse deployers create "
                f"{deployer})"
            )
        session.rollback()  # end the read transaction before the import's own

        pipeline = LogImportPipeline(session, deployer_id, source="cli", workers=workers)
        # The libraries stay for the whole import: spare them from every
        # garbage collection (12-25% of the CPU time measured).
        gc.freeze()
        try:
            summary = run_pipelined_import(
                list(files),
                pipeline=pipeline,
                fmt=fmt,
                batch_size=batch_size,
                progress=ImportProgress(),
            )
        except ImportFailed as exc:
            raise click.ClickException(str(exc)) from exc
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            pipeline.close()
    _finish(summary, as_json)


def _merge(summaries: list[Any]) -> Any:
    summary = summaries[0]
    for extra in summaries[1:]:
        summary.files.extend(extra.files)
        summary.elapsed += extra.elapsed
        summary.interrupted = summary.interrupted or extra.interrupted
    return summary


def _report_format(path: str, fmt: str) -> str:
    """Reports share the JSON readers with logs; their CSV has its own columns."""
    from ingest.formats import detect_format

    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except Exception:  # unreadable: let the importer report it with the file name
            return "jsonl"
    return "report-csv" if fmt == "csv" else fmt


@ingest.command("reports")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--flagger",
    default=None,
    help="Trusted flagger the reports come from (they then come first in triage).",
)
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "jsonl", "json", "csv"]),
    help="Input format.",
)
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10000),
    help="Reports per transaction.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def ingest_reports(
    ctx: Context,
    files: tuple[str, ...],
    flagger: str | None,
    fmt: str,
    batch_size: int,
    as_json: bool,
) -> None:
    """Import reports from FILES, one report object per record (fields as in the API).

    A record without ``external_id`` is identified by file name and line, so a
    rerun of the same file stores nothing twice.
    """
    from sqlalchemy import select

    from core.models import TrustedFlagger
    from core.services.reports import store_report_batch
    from ingest.importer import BatchOutcome
    from ingest.reports import parse_report
    from ingest.signals import TextAnalyzer

    analyzer = TextAnalyzer()
    current_file = {"name": ""}

    def parse(obj: object) -> Any:
        if not isinstance(obj, dict):
            return {"record": "Must be a JSON object."}
        return parse_report({"reporter_type": "user", **obj}, allow_external_id=True)

    with ctx.db.session_scope() as session:
        flagger_id = None
        if flagger:
            flagger_id = session.execute(
                select(TrustedFlagger.id).where(TrustedFlagger.name == flagger)
            ).scalar_one_or_none()
            if flagger_id is None:
                raise click.ClickException(f"no trusted flagger is called {flagger!r}")

        def store(batch: list[tuple[int, Any]]) -> BatchOutcome:
            # A report without external_id is identified by <file>:<line>, so a
            # rerun of the same file after an interruption stores nothing twice.
            name = current_file["name"]
            keyed = [
                (i, r if r.external_id else replace(r, external_id=f"{name}:{i}")) for i, r in batch
            ]
            outcome = store_report_batch(
                session,
                keyed,
                source="import",
                flagger_id=flagger_id,
                analyzer=analyzer,
                secret_key=ctx.settings.secret_key,
                keep_original=ctx.settings.keep_unmasked_original,
            )
            # Nobody sees the receipts of imported reports.
            return BatchOutcome(accepted=len(outcome.accepted), duplicates=len(outcome.duplicates))

        summaries = []
        for path in files:
            current_file["name"] = os.path.basename(path)
            summaries.append(_run((path,), _report_format(path, fmt), batch_size, store, parse))
    _finish(_merge(summaries), as_json)
