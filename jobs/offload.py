"""Where a job's heavy work runs: in this process, or on the Dask cluster named by
``MISUSE_DASK_SCHEDULER``.

The jobs ask here, and nothing here imports ``distributed`` unless the setting is
set: without it a job runs the same code it always did, in the calling process.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.settings import Settings
from jobs.runs import RunRecorder


@contextmanager
def cluster_client(settings: Settings, recorder: RunRecorder) -> Iterator[Any]:
    """The process's client of the cluster, for one run, when the setting is set (the
    run's record names the cluster), else None."""
    if not settings.dask_scheduler:
        yield None
        return
    from jobs import cluster

    with cluster.connect(settings) as client:
        recorder.params["cluster"] = settings.dask_scheduler
        yield client


@contextmanager
def edge_counter(settings: Settings, recorder: RunRecorder) -> Iterator[Any]:
    """The detector's ``count_edges``: None in-process, the counting split across the
    cluster's workers when the setting is set (``jobs.cluster_detect``)."""
    with cluster_client(settings, recorder) as client:
        if client is None:
            yield None
            return
        from jobs.cluster_detect import distributed_counter

        yield distributed_counter(client, f"detect-{recorder.run_id}", recorder.params)


def close_cluster_clients(address: str | None = None) -> None:
    """Close the client the runs of this process kept of the Dask scheduler at
    ``address`` (of every one when None), if any run made one, without importing
    ``distributed`` when none did: the scheduler process on stopping, and whoever
    stops a cluster the runs used (the client would otherwise try to reconnect)."""
    cluster = sys.modules.get("jobs.cluster")
    if cluster is not None:
        cluster.close_kept(address)
