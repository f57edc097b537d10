"""The jobs' heavy work on a Dask distributed cluster (``MISUSE_DASK_SCHEDULER``).

The scheduler process (``misuse scheduler`` / ``misuse serve``) still decides when a
job runs, under its database lease; a job that finds the setting submits its tasks
through the process's client of the Dask scheduler. That client is made by the first
run and kept for the next ones (:func:`connect`): connecting, registering the plugin
and closing again cost about 20 ms a run, a tenth of a small detect run. Before each
run it is checked in one round trip, and replaced when its scheduler went away or
was restarted, so that a run never fails for a client that went stale.

Workers are started with Dask's own command (``dask worker tcp://...``) in an
environment where MisuseWatch is installed, and nothing else. What they need
arrives from the client as a worker plugin: the database settings (without the
secret key, which no task needs) and, loaded once per worker on first use, the
embedding model. A worker that joins later gets the plugin from the scheduler; the
plugin is registered again whenever the settings or the Dask scheduler changed.

Nothing here is imported unless the setting is set: the in-process path (and the
web tier) never imports ``distributed``.
"""

from __future__ import annotations

import atexit
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from distributed import Client, get_worker
from distributed.client import FutureCancelledError
from distributed.comm.core import CommClosedError
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from core.db import Database
from core.settings import Settings

log = logging.getLogger(__name__)

PLUGIN_NAME = "misuse-watch"
# How long a job waits for the scheduler to answer, and then for a first worker.
CONNECT_TIMEOUT = "20s"
WORKER_WAIT_SECONDS = 60


class ClusterUnavailable(RuntimeError):
    """The Dask scheduler named by the setting cannot be used for this run."""


T = TypeVar("T")
# What a step raises when a worker holding its data went away.
_LOST = (FutureCancelledError, KilledWorker, CommClosedError)


def worker_settings(settings: Settings) -> Settings:
    """What workers get: the database resolved to a URL (the SQLite default is a path
    under the client's instance directory, which a worker would resolve against its
    own) and no secret key."""
    return replace(
        settings,
        database_url=settings.resolved_database_url,
        secret_key="",
        dask_scheduler="",
    )


class MisuseWorkerPlugin(WorkerPlugin):
    """Per-worker state of MisuseWatch tasks: the database and the embedding model.

    Both are made on first use, so a worker that only groups never loads the model;
    the model is then kept for the worker process's life. The model cache (its ONNX export) goes to
    the worker's ``MISUSE_INSTANCE_DIR`` when that is set, else to the system's
    temporary directory, shared by the workers of one machine.
    """

    name = PLUGIN_NAME

    def __init__(self, settings: Settings) -> None:
        self._start(settings)

    def _start(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._db: Database | None = None
        # One embedding at a time per worker: the model uses every core by itself,
        # and a worker started with several threads would otherwise run several.
        self.embed_lock = threading.Lock()

    def __repr__(self) -> str:
        # Dask logs plugins by repr; the settings hold the database URL and password.
        return f"<{type(self).__name__}>"

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._start(state["settings"])

    def setup(self, worker: Any) -> None:
        local = os.environ.get("MISUSE_INSTANCE_DIR")
        instance = Path(local) if local else Path(tempfile.gettempdir()) / "misuse-watch"
        self.settings = replace(self.settings, instance_dir=instance)

    def teardown(self, worker: Any) -> None:
        if self._db is not None:
            self._db.dispose()

    @property
    def db(self) -> Database:
        with self._lock:
            if self._db is None:
                self._db = Database(self.settings)
            return self._db

    @property
    def embedder(self) -> Any:
        with _MODELS_LOCK:
            # Kept by the process, not the plugin: the plugin is registered anew when
            # the settings or the Dask scheduler change, and reloading the model then
            # would cost seconds.
            key = (self.settings.embed_backend, str(self.settings.instance_dir))
            if key not in _MODELS:
                from jobs.embedder import make_embedder

                _MODELS[key] = make_embedder(self.settings)
            return _MODELS[key]


# The embedding models this worker process has loaded, by backend and cache directory.
_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.Lock()


def plugin() -> MisuseWorkerPlugin:
    """This worker's plugin, inside a task."""
    worker = get_worker()
    found = worker.plugins.get(PLUGIN_NAME)
    if not isinstance(found, MisuseWorkerPlugin):
        raise ClusterUnavailable(
            f"worker {worker.address} has no {PLUGIN_NAME} plugin: tasks must be "
            "submitted through jobs.cluster.connect"
        )
    return found


@dataclass
class _Kept:
    """The process's client of one Dask scheduler, and what it registered there."""

    client: Client
    pid: int
    # The scheduler (its id: a restarted one has a new id and no plugin) and the
    # settings the plugin was last registered with.
    registered: tuple[str, Settings] | None = None


# By scheduler address: a deployment has one; a benchmark comparing clusters, more.
_kept: dict[str, _Kept] = {}
# Held while a run takes its client (checking, reconnecting, registering), not for
# the run: runs of one process at the same time share the client, as Dask allows.
_KEPT_LOCK = threading.Lock()


@contextmanager
def connect(settings: Settings) -> Iterator[Client]:
    """The process's client of the cluster at ``settings.dask_scheduler``, checked and
    with the plugin registered, for one job run.

    The client outlives the run: the next run reuses it. Futures the run made are
    released as the run lets go of them (Dask counts references), so a failed run's
    pending tasks are forgotten as before, when each run closed its own client.
    """
    address = settings.dask_scheduler
    wanted = worker_settings(settings)
    with _KEPT_LOCK:
        kept = _kept.get(address)
        if kept is not None and not _may_reuse(kept):
            _forget(address)
            kept = None
        if kept is not None:
            try:
                # The round trip that checks the connection also brings the
                # scheduler's identity, and with it the id compared below.
                _wait_for_worker(kept.client, address)
            except OSError as exc:
                # A dropped connection the client has not noticed yet.
                log.info("the kept Dask client is stale (%s); connecting again", exc)
                _forget(address)
                kept = None
        if kept is None:
            kept = _kept[address] = _Kept(_new_client(address), os.getpid())
            _wait_for_worker(kept.client, address)
        client = kept.client
        registered = (str(client.scheduler_info()["id"]), wanted)
        if kept.registered != registered:
            client.register_plugin(MisuseWorkerPlugin(wanted), name=PLUGIN_NAME)
            kept.registered = registered
    yield client


def _new_client(address: str) -> Client:
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(
            f"cannot reach the Dask scheduler at {address} (MISUSE_DASK_SCHEDULER): {exc}"
        ) from None


def _may_reuse(kept: _Kept) -> bool:
    """Whether the kept client may serve a run: it is this process's (a forked child
    cannot use its parent's event loop thread), and connected. A client whose
    scheduler went away notices it as its connection drops, and tries to reconnect
    (``connecting``); one that reconnected to a scheduler restarted at the same
    address is ``running`` again, and the plugin is registered again with that
    scheduler's new id."""
    return kept.pid == os.getpid() and kept.client.status == "running"


def _wait_for_worker(client: Client, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError:
        raise ClusterUnavailable(
            f"the Dask scheduler at {address} has had no worker for "
            f"{WORKER_WAIT_SECONDS} s; start one with: dask worker {address}"
        ) from None


def _forget(address: str) -> None:
    """Close the kept client of ``address`` and let it go (with ``_KEPT_LOCK`` held)."""
    kept = _kept.pop(address, None)
    if kept is None or kept.pid != os.getpid():
        # None kept, or the parent process's: its loop thread is not in this one.
        return
    try:
        kept.client.close(timeout=5)
    except Exception as exc:  # a client already broken: nothing left to release
        log.debug("closing a kept Dask client: %s", exc)


@atexit.register
def close_kept(address: str | None = None) -> None:
    """Close the process's client of ``address`` (of every scheduler when None): the
    scheduler process on stopping, and at exit."""
    with _KEPT_LOCK:
        for kept_address in [address] if address else list(_kept):
            _forget(kept_address)


def worker_count(client: Client) -> int:
    """Workers the cluster has now (at least one: :func:`connect` waited for one)."""
    return max(1, len(client.scheduler_info(n_workers=-1)["workers"]))


# Times a step of a job is run again after a worker holding its data was lost.
STEP_RERUNS = 2


def rerun_if_lost(client: Client, step: Callable[[int], T]) -> T:
    """``step(attempt)``, run again (up to ``STEP_RERUNS`` times) when it fails
    because a worker went away with data it needed.

    A step sends its inputs to the workers (``scatter``): Dask reruns a lost task
    from its inputs, but cannot remake an input that was only on a lost worker.
    The whole step is then sent again to the workers left. Steps write nothing
    (their job writes once, after the last step), so a rerun writes nothing twice.
    With no worker left, the run fails (and is recorded as failed).
    """
    for attempt in range(STEP_RERUNS + 1):
        try:
            return step(attempt)
        except _LOST as exc:
            left = len(client.scheduler_info(n_workers=-1)["workers"])
            if attempt == STEP_RERUNS or left == 0:
                raise ClusterUnavailable(
                    f"a step failed as workers were lost ({type(exc).__name__}: {exc}); "
                    f"{left} worker(s) left"
                ) from exc
            log.warning("a worker was lost during a step (%s); running it again", exc)
    raise AssertionError("unreachable")


# -- embed -------------------------------------------------------------------------


def worker_model_id() -> str:
    """The model id this worker embeds with (loading the model if need be)."""
    return str(plugin().embedder.model_id_)


def embed_batch(text_ids: Any, model_id: str, batch_size: int) -> int:
    """Embed the texts of ``text_ids`` still pending on the worker; rows written.

    Run twice (its first worker died after committing), it writes nothing the
    second time: see ``core.services.embeddings.embed_texts``.
    """
    from core.services import embeddings as embedding_service

    state = plugin()
    embedder = state.embedder
    if embedder.model_id_ != model_id:
        raise ClusterUnavailable(
            f"worker {get_worker().address} embeds with {embedder.model_id_}, the run with "
            f"{model_id}: install the same MisuseWatch and backend on every worker"
        )
    with state.embed_lock, state.db.session_scope() as session:
        return embedding_service.embed_texts(session, embedder, text_ids, batch_size=batch_size)
