"""Progress of ``misuse ingest`` and ``misuse jobs run``: one tqdm bar on standard error.

Standard output is for results (summaries, ``--json``), so the bar goes to standard
error, and only when that is a terminal: in a log file or a pipe a bar redrawn in
place is noise, and the command's summary says what happened.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

from tqdm import tqdm

from ingest.summary import FileSummary

# Percent and time left only when the size of the work is known.
_SIZED_FORMAT = "{desc}: {percentage:3.0f}% |{bar:20}| ETA {remaining}{postfix}"
_UNSIZED_FORMAT = "{desc}{postfix}"


def terminal_bar(
    desc: str,
    *,
    total: float | None,
    stream: TextIO | None = None,
    interval: float = 0.2,
    unit: str = "it",
    bar_format: str | None = None,
    leave: bool = False,
) -> tqdm | None:
    """A bar on ``stream`` (standard error by default), or None when it is not a terminal.

    When closed, the bar is cleared, or with ``leave`` kept as its last line.
    """
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        return None
    return tqdm(
        desc=desc,
        total=total,
        unit=unit,
        file=stream,
        leave=leave,
        mininterval=interval,
        dynamic_ncols=True,
        bar_format=bar_format,
    )


class ImportProgress:
    """Receives the progress of :func:`ingest.importer.run_import`: a bar per input file.

    Percent and time left come from the bytes of the file on disk consumed, so they
    are right for compressed files too; records read and records per second follow.
    A finished file's bar is cleared: the command prints a summary line per file.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._bar: tqdm | None = None
        self._started = 0.0

    def start_file(self, path: str, total_bytes: int) -> None:
        self._started = self._clock()
        self._bar = terminal_bar(
            os.path.basename(path),
            total=total_bytes or None,
            stream=self._stream,
            interval=self._interval,
            unit="B",
            bar_format=_SIZED_FORMAT if total_bytes else _UNSIZED_FORMAT,
        )

    def update(self, records_read: int, bytes_done: int) -> None:
        if self._bar is None:
            return
        elapsed = self._clock() - self._started
        note = f"{records_read:,} records"
        if elapsed > 0:
            note += f", {records_read / elapsed:,.0f}/s"
        # Drawn by the update below (or the next one, within the bar's interval).
        self._bar.set_postfix_str(note, refresh=False)
        self._bar.update(bytes_done - self._bar.n)

    def finish_file(self, summary: FileSummary) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class JobProgress:
    """Receives the progress of a job (:data:`jobs.runs.Progress`: items done of a
    total), as a bar named after the job; :meth:`close` ends it and leaves its last
    state on the screen, above the command's one-line result."""

    def __init__(self, name: str, stream: TextIO | None = None, *, interval: float = 0.2) -> None:
        self._name = name
        self._stream = stream
        self._interval = interval
        self._bar: tqdm | None = None
        self._opened = False

    def __call__(self, done: int, total: int) -> None:
        if not self._opened:
            self._opened = True
            self._bar = terminal_bar(
                self._name,
                total=total,
                stream=self._stream,
                interval=self._interval,
                unit=" items",
                leave=True,
            )
        if self._bar is None:
            return
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
