"""What an import did: counts per input file and for the whole run.

:func:`ingest.importer.run_import` and :func:`ingest.importer.run_pipelined_import`
return an :class:`ImportSummary`; ``misuse ingest`` prints it, or its
:meth:`ImportSummary.to_dict` with ``--json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class FileSummary:
    """Counts for one input file.

    ``read`` counts every record read (blank lines excluded); it equals
    ``accepted + duplicates + rejected + discarded``, where ``discarded`` are
    valid records of an unfinished batch dropped because the import was interrupted.
    """

    path: str
    format: str
    read: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    discarded: int = 0
    elapsed: float = 0.0
    rejected_path: str | None = None  # set only when something was rejected

    @property
    def rate(self) -> float:
        """Records read per second."""
        return self.read / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(slots=True)
class ImportSummary:
    """Counts for a whole run: totals over ``files``, plus the run's wall time."""

    files: list[FileSummary] = field(default_factory=list)
    elapsed: float = 0.0
    interrupted: bool = False

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def discarded(self) -> int:
        return sum(f.discarded for f in self.files)

    @property
    def rate(self) -> float:
        """Records read per second over the whole run."""
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view, for ``--json`` output."""
        totals = ("read", "accepted", "duplicates", "rejected", "discarded")
        return {
            **{name: getattr(self, name) for name in totals},
            "elapsed": round(self.elapsed, 3),
            "rate": round(self.rate, 1),
            "interrupted": self.interrupted,
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    **{name: getattr(f, name) for name in totals},
                    "elapsed": round(f.elapsed, 3),
                    "rate": round(f.rate, 1),
                    "rejected_path": f.rejected_path,
                }
                for f in self.files
            ],
        }
