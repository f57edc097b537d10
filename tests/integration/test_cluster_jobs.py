"""The jobs with MISUSE_DASK_SCHEDULER set, on a real cluster: a scheduler and two
workers started with ``dask scheduler`` / ``dask worker`` as separate processes.

What a cluster run stores must be what an in-process run stores on the same data:
two databases of the same dialect get the same records, one is worked in-process,
the other on the cluster, and every stored result is compared.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dask_cluster import DaskCluster
from sqlalchemy import func, select

from core.db import Database
from core.exceptions import ConfigurationError
from core.models import Deployer, Embedding, JobRun, TextBlob, TextNeighbor, TextPlacement
from core.services import clients
from core.services.detection import list_alerts, list_campaigns
from core.services.logs import ingest_log_batch
from core.settings import load_settings
from demo.scenario import build_scenario
from ingest.validation import parse_log_record
from jobs.cluster import PLUGIN_NAME, ClusterUnavailable
from jobs.scheduler import run_job
from jobs.specs import get_job

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, model_cache):
    c = DaskCluster(tmp_path_factory.mktemp("dask"), models=model_cache)
    try:
        c.start(workers=2)
        yield c
    finally:
        c.stop()


@pytest.fixture
def w1_expendable(cluster):
    """The module's cluster, whose worker w1 the test may kill: afterwards a new w1
    joins, with none of the test's worker plugins. Starting a cluster of its own for
    each such test cost a scheduler and two workers, each importing the project and
    loading the model: seconds of a core each."""
    yield cluster
    from distributed import Client

    with Client(cluster.address, timeout="30s", set_as_default=False) as client:
        for name in client.run_on_scheduler(
            lambda dask_scheduler: list(dask_scheduler.worker_plugins)
        ):
            if name != PLUGIN_NAME:
                client.unregister_worker_plugin(name)
    dead = cluster.procs.get("w1")
    if dead is None or dead.poll() is not None:
        cluster.procs.pop("w1", None)
        # A new worker of the same name once the scheduler has let go of the old one.
        deadline = time.monotonic() + 60
        while "w1" in cluster.workers():
            assert time.monotonic() < deadline, "the scheduler still holds the killed w1"
            time.sleep(0.1)
        cluster.add_worker("w1")
    cluster.wait_for_workers(2)


@pytest.fixture
def settings(settings, model_cache):
    """The suite's settings, with the run's compiled model in the instance folder: the
    in-process side of a comparison fits from it, as the workers do."""
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    (settings.instance_dir / "models").symlink_to(model_cache, target_is_directory=True)
    return settings


@pytest.fixture
def twin_url(database_url, tmp_path, store_copies):
    """A second, empty migrated database of the same dialect as ``database_url``."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url, _ = store_copies.copy(backend, "empty", lambda url: None, tmp_path)
    return url


def _twins(settings, twin_url: str, address: str) -> tuple[Database, Database]:
    """The same settings in-process (``here``) and on the cluster at ``address`` with
    an empty store of the same dialect (``there``)."""
    return Database(settings), Database(
        replace(settings, database_url=twin_url, dask_scheduler=address)
    )


def _load_and_run(dbs, analyzer, records, jobs: tuple[str, ...]) -> None:
    """The same records into each store, then the same jobs on each."""
    for db in dbs:
        _load(db, analyzer, records)
        for job in jobs:
            assert run_job(db, get_job(job))


def _load(db: Database, analyzer, rows_by_deployer) -> None:
    for deployer, rows in rows_by_deployer.items():
        with db.session_scope() as s:
            deployer_id = s.execute(
                select(Deployer.id).where(Deployer.name == deployer)
            ).scalar_one_or_none()
            if deployer_id is None:
                dep, _ = clients.create_deployer(
                    s, deployer, retention_days=3650, secret_key=db.settings.secret_key, actor="t"
                )
                deployer_id = dep.id
        with db.session_scope() as s:
            ingest_log_batch(
                s,
                deployer_id,
                [(i, parse_log_record(r)) for i, r in enumerate(rows)],
                analyzer=analyzer,
            )


def _stored(db: Database) -> dict:
    with db.session_scope() as s:
        vectors = {
            t: np.frombuffer(v, dtype=np.float32)
            for t, v in s.execute(select(Embedding.text_id, Embedding.vector))
        }
        placements = sorted(
            s.execute(
                select(
                    TextPlacement.text_id,
                    TextPlacement.group_id,
                    TextPlacement.cluster_id,
                    TextPlacement.narrative_id,
                )
            ).all()
        )
        neighbors = sorted(
            s.execute(
                select(TextNeighbor.text_id, TextNeighbor.neighbor_id, TextNeighbor.score)
            ).all()
        )
        campaigns = list_campaigns(s, include_inactive=True)
        alerts = [
            {k: v for k, v in a.items() if k != "created_at"} for a in list_alerts(s, limit=100_000)
        ]
    for c in campaigns:
        for k in ("created_at", "updated_at"):
            c.pop(k, None)
    return {
        "vectors": vectors,
        "placements": placements,
        "neighbors": neighbors,
        "campaigns": campaigns,
        "alerts": alerts,
    }


def _last_run(db: Database, job: str) -> JobRun:
    with db.session_scope() as s:
        run = (
            s.execute(select(JobRun).where(JobRun.job == job).order_by(JobRun.id.desc()))
            .scalars()
            .first()
        )
        assert run is not None
        s.expunge(run)
        return run


def _assert_same(a: dict, b: dict) -> None:
    assert a["vectors"].keys() == b["vectors"].keys()
    for t, v in a["vectors"].items():
        np.testing.assert_array_equal(v, b["vectors"][t])
    assert a["placements"] == b["placements"]
    assert a["neighbors"] == b["neighbors"]
    assert a["campaigns"] == b["campaigns"]
    assert a["alerts"] == b["alerts"]


def test_jobs_on_a_cluster_store_what_in_process_runs_store(settings, twin_url, cluster, analyzer):
    sc = build_scenario(
        seed=3, organic_accounts=300, organic_posts=1500, campaigns=2, campaign_accounts=16
    )
    # Most of the records first (full group and detect runs), the rest later
    # (incremental runs, whose refit counts on the cluster too).
    first = {d: rows[: len(rows) * 5 // 6] for d, rows in sc.records.items()}
    later = {d: rows[len(rows) * 5 // 6 :] for d, rows in sc.records.items()}
    # Small model batches: the cluster run then has several tasks for its two workers.
    base = replace(settings, embed_batch_size=128)
    here, there = _twins(base, twin_url, cluster.address)
    try:
        _load_and_run((here, there), analyzer, first, ("embed", "group", "detect"))
        embed, group, detect = (_last_run(there, job) for job in ("embed", "group", "detect"))
        assert embed.params["cluster"] == cluster.address and embed.params["tasks"] >= 2
        assert group.params["mode"] == "full" and group.params["cluster"] == cluster.address
        assert group.stats["lexical_links"] > 0
        assert detect.params["mode"] == "full" and detect.params["cluster"] == cluster.address
        assert "cluster" not in _last_run(here, "group").params
        a, b = _stored(here), _stored(there)
        _assert_same(a, b)
        assert len(a["vectors"]) > 1000 and len(a["campaigns"]) >= 2
        # Links to find: texts sharing a group.
        assert len({g for _, g, _, _ in a["placements"]}) < len(a["placements"])
        # Narratives hold several groups, worked out on the cluster as in one process.
        narratives = {n for *_, n in a["placements"]}
        assert None not in narratives
        assert len(narratives) < len({g for _, g, _, _ in a["placements"]})

        for db in (here, there):
            _load(db, analyzer, later)
            for job in ("embed", "group", "detect"):
                assert run_job(db, get_job(job))
        detect = _last_run(there, "detect")
        assert detect.params["mode"] == "incremental"
        assert detect.params["cluster"] == cluster.address
        _assert_same(_stored(here), _stored(there))
    finally:
        here.dispose()
        there.dispose()


def test_the_group_steps_on_a_cluster_give_what_one_process_gives(settings, cluster):
    """Beyond what a small store exercises: an inverted-file index over more vectors
    than the exact one takes, and lexical buckets too large for every pair."""
    from analytics.lexical import ShingleLinker
    from analytics.neighbors import NearDuplicateGrouper, normalize_rows
    from jobs import cluster as cluster_jobs
    from jobs import cluster_group

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(300, 64)).astype(np.float32)
    X = normalize_rows(centres[rng.integers(0, 300, 9000)] + 0.4 * rng.normal(size=(9000, 64)))
    texts = [
        f"share this now: the vote count in district {i % 9} was changed overnight, "
        f"insiders say{'!' * (i % 4)} ref {i % 13}"
        for i in range(400)
    ] + [f"an ordinary question number {i} about cooking pasta and rice" for i in range(300)]
    with cluster_jobs.connect(replace(settings, dask_scheduler=cluster.address)) as client:
        whole = NearDuplicateGrouper(threshold=0.85, k=8, index="ivf").fit(X)
        spread = NearDuplicateGrouper(threshold=0.85, k=8, index="ivf").fit(
            X, search=cluster_group.sharded_search(client, "test-search")
        )
        linker = ShingleLinker(threshold=0.8, max_bucket=6)
        lexical = cluster_group.lexical_pairs(client, linker, texts, "test-lexical")
    assert not whole.exact_
    for got, want in zip(spread.fitted_neighbors(), whole.fitted_neighbors(), strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(spread.pairs_, whole.pairs_)
    in_process = ShingleLinker(threshold=0.8, max_bucket=6).fit(texts)
    assert len(in_process.pairs_) > 100
    np.testing.assert_array_equal(lexical, in_process.pairs_)


def test_the_detect_counting_on_a_cluster_gives_what_one_process_gives(
    settings, cluster, monkeypatch
):
    """A small input is counted as one task; a large one is cut by account range
    across the workers. Either way the edges are those of one count in one process."""
    from analytics.coordination import co_posting
    from jobs import cluster as cluster_jobs
    from jobs import cluster_detect

    rng = np.random.default_rng(5)
    n_acc, n_occ = 500, 4000
    sizes = rng.integers(2, 40, n_occ)
    occasion = np.repeat(np.arange(n_occ), sizes)
    account = np.concatenate([np.sort(rng.choice(n_acc, k, replace=False)) for k in sizes])
    weight = 1.0 / (sizes - 1.0)
    want = co_posting(occasion, account, weight, n_acc)
    assert len(want) > 10_000
    with cluster_jobs.connect(replace(settings, dask_scheduler=cluster.address)) as client:
        whole: dict = {}
        count = cluster_detect.distributed_counter(client, "test-count-whole", whole)
        np.testing.assert_array_equal(count(occasion, account, weight, n_acc), want)
        assert whole["count_task_rows"] == [len(occasion)]
        # The same rows as if they were many: two ranges for each of the two workers.
        monkeypatch.setattr(cluster_detect, "MIN_RANGE_ROWS", len(occasion) // 10)
        cut: dict = {}
        count = cluster_detect.distributed_counter(client, "test-count-cut", cut)
        np.testing.assert_array_equal(count(occasion, account, weight, n_acc), want)
        assert len(cut["count_task_rows"]) == 4


def test_a_worker_killed_mid_group_run_leaves_the_same_groups(
    settings, twin_url, analyzer, caplog, w1_expendable
):
    """SIGKILL to a worker as it starts a task of the lexical shuffle of a full group
    run: the step runs again on the worker left, the run completes, and it stores
    what an in-process run stores, once."""
    from distributed import Client
    from distributed.diagnostics.plugin import WorkerPlugin

    class DiesAtShuffle(WorkerPlugin):
        name = "dies-at-shuffle"

        def setup(self, worker) -> None:
            self.doomed = worker.name == "w1"

        def transition(self, key, start, finish, **kwargs) -> None:
            import os
            import signal

            if self.doomed and finish == "executing" and "-reduce-" in str(key):
                os.kill(os.getpid(), signal.SIGKILL)

    sc = build_scenario(seed=5, organic_accounts=80, organic_posts=300, campaigns=1)
    c = w1_expendable
    here, there = _twins(settings, twin_url, c.address)
    try:
        _load_and_run((here, there), analyzer, sc.records, ("embed",))
        with Client(c.address, set_as_default=False) as client:
            client.register_plugin(DiesAtShuffle())
        with caplog.at_level("WARNING", logger="jobs.cluster"):
            for db in (here, there):
                assert run_job(db, get_job("group"))
        assert "w1" not in c.workers(), "the worker was never killed"
        # The shuffle's inputs went with the worker: the step ran again.
        assert "running it again" in caplog.text
        run = _last_run(there, "group")
        assert run.status == "ok" and run.params["cluster"] == c.address
        a, b = _stored(here), _stored(there)
        assert a["placements"] == b["placements"] and a["neighbors"] == b["neighbors"]
        # One placement per text: nothing written twice.
        assert len({t for t, *_ in b["placements"]}) == len(b["placements"]) == len(a["vectors"])
    finally:
        here.dispose()
        there.dispose()


def test_a_worker_killed_mid_embed_leaves_every_text_embedded_once(
    settings, analyzer, w1_expendable
):
    # About 1,200 texts: when w1 is killed, after 128 are stored, some 30 batches of 32
    # are left for the run to finish without it (2,100 texts took twice the embedding
    # and loading and checked nothing more; too few and the run could end before the
    # kill, which the test reports as a failure, below).
    sc = build_scenario(seed=5, organic_accounts=200, organic_posts=600, campaigns=1)
    c = w1_expendable
    db = Database(replace(settings, embed_batch_size=32, dask_scheduler=c.address))
    try:
        _load(db, analyzer, sc.records)
        with db.session_scope() as s:
            n_texts = s.execute(select(func.count()).select_from(TextBlob)).scalar_one()
        outcome: dict = {}

        def embed() -> None:
            try:
                outcome["ran"] = run_job(db, get_job("embed"))
            except BaseException as exc:  # reported by the assertion below
                outcome["error"] = exc

        worker = threading.Thread(target=embed)
        worker.start()
        # Kill w1 once some batches are stored and it is busy with more.
        deadline = time.monotonic() + 300
        while True:
            with db.session_scope() as s:
                stored = s.execute(select(func.count()).select_from(Embedding)).scalar_one()
            if stored >= 128:
                break
            assert time.monotonic() < deadline and worker.is_alive(), (outcome, c.log("w1"))
            time.sleep(0.2)
        assert stored < n_texts, "the run ended before the worker could be killed"
        c.kill("w1")
        worker.join(timeout=600)
        assert "error" not in outcome, outcome.get("error")
        with db.session_scope() as s:
            per_text = dict(
                s.execute(select(Embedding.text_id, func.count()).group_by(Embedding.text_id)).all()
            )
            ids = s.execute(select(TextBlob.id)).scalars().all()
            run = (
                s.execute(select(JobRun).where(JobRun.job == "embed").order_by(JobRun.id.desc()))
                .scalars()
                .first()
            )
        assert sorted(per_text) == sorted(ids)
        assert set(per_text.values()) == {1}
        assert run.status == "ok"
        # Rows written, counted by the tasks that finished: never more than the texts,
        # although the killed worker's tasks ran again elsewhere.
        assert run.items_processed <= n_texts
        assert "w1" not in c.workers()
    finally:
        db.dispose()


def test_an_embed_task_run_twice_writes_once(settings, analyzer, cluster):
    from distributed import Client

    from jobs import cluster as cluster_jobs

    sc = build_scenario(seed=7, organic_accounts=20, organic_posts=60, campaigns=0)
    db = Database(replace(settings, dask_scheduler=cluster.address))
    try:
        _load(db, analyzer, sc.records)
        with db.session_scope() as s:
            ids = s.execute(select(TextBlob.id).order_by(TextBlob.id)).scalars().all()
        with cluster_jobs.connect(db.settings) as client:
            assert isinstance(client, Client)
            model_id = client.submit(cluster_jobs.worker_model_id, pure=False).result()
            batch = np.asarray(ids, dtype=np.int64)
            first = client.submit(cluster_jobs.embed_batch, batch, model_id, 512, pure=False)
            assert first.result() == len(ids)
            with db.session_scope() as s:
                written_at = dict(s.execute(select(Embedding.text_id, Embedding.created_at)).all())
            again = client.submit(cluster_jobs.embed_batch, batch, model_id, 512, pure=False)
            assert again.result() == 0
        with db.session_scope() as s:
            after = dict(s.execute(select(Embedding.text_id, Embedding.created_at)).all())
        assert after == written_at
        # The plugin registered again (here: other settings), the workers keep the
        # model they loaded.
        loaded, plugins = [], []
        for window in (0, 3600):
            with cluster_jobs.connect(replace(db.settings, detect_window=window)) as client:
                plugins.append(
                    client.run(lambda dask_worker: id(dask_worker.plugins["misuse-watch"]))
                )
                loaded.append(
                    client.run(lambda dask_worker: id(dask_worker.plugins["misuse-watch"].embedder))
                )
        assert plugins[0] != plugins[1]
        assert loaded[0] == loaded[1] and len(loaded[0]) == 2
    finally:
        db.dispose()


def test_runs_keep_one_client_and_register_the_plugin_once(settings, analyzer, cluster):
    """The scheduler process connects to the cluster once, not once per run: runs
    share one client, and the workers keep the plugin the first run registered
    (connecting, registering and closing cost about 20 ms a run)."""
    from distributed import Client

    def clients_and_plugins() -> tuple[set, dict]:
        with Client(cluster.address, timeout="30s", set_as_default=False) as observer:
            clients = observer.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.clients))
            plugins = observer.run(lambda dask_worker: id(dask_worker.plugins["misuse-watch"]))
            return set(clients) - {observer.id, "fire-and-forget"}, plugins

    sc = build_scenario(seed=7, organic_accounts=40, organic_posts=160, campaigns=1)
    db = Database(replace(settings, dask_scheduler=cluster.address))
    try:
        _load(db, analyzer, sc.records)
        for job in ("embed", "group", "detect"):
            assert run_job(db, get_job(job))
        clients, plugins = clients_and_plugins()
        assert len(clients) == 1 and len(plugins) == 2
        assert run_job(db, get_job("group"), {"full": True})
        assert run_job(db, get_job("detect"), {"full": True})
        assert _last_run(db, "detect").params["cluster"] == cluster.address
        assert clients_and_plugins() == (clients, plugins)
    finally:
        db.dispose()


# What this checks is the kept client's life across a restarted Dask scheduler, the
# same whatever the store (the stores are compared on both dialects by
# test_jobs_on_a_cluster_store_what_in_process_runs_store): one store, and a smaller
# scenario, keep the suite about 60 s shorter.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_runs_go_on_after_the_dask_scheduler_restarts(
    settings, twin_url, analyzer, tmp_path, model_cache
):
    """The Dask scheduler killed and started again at the same address between two
    runs (with new workers): the kept client has gone stale, and the next run still
    succeeds and stores what an in-process run stores. Twice: once as soon as the
    new scheduler and worker are up, once after the kept client has reconnected by
    itself to a scheduler that knows nothing of the plugin."""
    from jobs import cluster as cluster_jobs

    sc = build_scenario(seed=5, organic_accounts=40, organic_posts=150, campaigns=1)
    c = DaskCluster(tmp_path / "dask", models=model_cache).start(workers=1)
    here, there = _twins(settings, twin_url, c.address)
    try:
        _load_and_run((here, there), analyzer, sc.records, ("embed", "group", "detect"))
        kept = cluster_jobs._kept[c.address].client
        first_scheduler = kept.scheduler_info()["id"]

        c.restart(workers=1)
        for db in (here, there):
            assert run_job(db, get_job("group"), {"full": True})
            assert run_job(db, get_job("detect"), {"full": True})
        _assert_same(_stored(here), _stored(there))

        kept = cluster_jobs._kept[c.address].client
        second_scheduler = kept.scheduler_info()["id"]
        assert second_scheduler != first_scheduler
        c.restart(workers=1)
        deadline = time.monotonic() + 30
        while kept.status != "running" or kept.scheduler_info()["id"] == second_scheduler:
            assert time.monotonic() < deadline, "the client never reconnected"
            time.sleep(0.1)
        for db in (here, there):
            assert run_job(db, get_job("detect"), {"full": True})
        # The same client, reconnected: the run registered the plugin again.
        assert cluster_jobs._kept[c.address].client is kept
        run = _last_run(there, "detect")
        assert run.status == "ok" and run.params["cluster"] == c.address
        _assert_same(_stored(here), _stored(there))
    finally:
        here.dispose()
        there.dispose()
        c.stop()


def test_an_unreachable_scheduler_fails_the_run_cleanly(settings, monkeypatch):
    # A port nothing listens on: bound then closed. Nothing answers, so the client
    # waits out its whole connect timeout: a short one keeps the test short.
    import socket

    import jobs.cluster

    monkeypatch.setattr(jobs.cluster, "CONNECT_TIMEOUT", "2s")

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = Database(replace(settings, dask_scheduler=f"tcp://127.0.0.1:{port}"))
    try:
        with pytest.raises(ClusterUnavailable, match=f"127.0.0.1:{port}.*MISUSE_DASK_SCHEDULER"):
            run_job(db, get_job("embed"))
        with db.session_scope() as s:
            run = s.execute(select(JobRun).order_by(JobRun.id.desc())).scalars().first()
        assert run.status == "failed" and "cannot reach the Dask scheduler" in run.error
        # Only the address is recorded; the database URL never leaves the settings.
        assert db.settings.resolved_database_url not in run.error
    finally:
        db.dispose()


def test_settings_refuse_a_malformed_scheduler_address(tmp_path):
    with pytest.raises(ConfigurationError, match="MISUSE_DASK_SCHEDULER"):
        load_settings(environ={"MISUSE_DASK_SCHEDULER": "localhost"}, instance_dir=tmp_path)


def _in_a_fresh_interpreter(code: str) -> str:
    """What ``code`` prints, run by a new Python: this one has imported distributed
    for the cluster tests."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout


def test_the_web_tier_never_imports_distributed(settings):
    # A fresh interpreter: this one has imported distributed for the cluster tests.
    instance, url = str(settings.instance_dir), settings.resolved_database_url
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from core.settings import load_settings\n"
        "from portal import create_app\n"
        f"settings = load_settings(environ={{}}, instance_dir=Path({instance!r}),"
        f" database_url={url!r}, secret_key='k')\n"
        "app = create_app(settings)\n"
        "app.test_client().get('/report')\n"
        "import jobs.grouping, jobs.detection, jobs.scheduler\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = _in_a_fresh_interpreter(code)
    assert out.strip() == "[]", out


def test_jobs_run_in_process_without_the_setting_never_import_distributed(settings, analyzer):
    """Without MISUSE_DASK_SCHEDULER, full group and detect runs take the in-process
    path: nothing of Dask is imported (checked in a fresh interpreter)."""
    sc = build_scenario(seed=9, organic_accounts=60, organic_posts=240, campaigns=1)
    db = Database(settings)
    try:
        _load(db, analyzer, sc.records)
        assert run_job(db, get_job("embed"))  # here: it loads the model
    finally:
        db.dispose()
    instance, url = str(settings.instance_dir), settings.resolved_database_url
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from core.db import Database\n"
        "from core.settings import load_settings\n"
        "from jobs.scheduler import run_job\n"
        "from jobs.specs import get_job\n"
        f"settings = load_settings(environ={{}}, instance_dir=Path({instance!r}),"
        f" database_url={url!r}, secret_key={settings.secret_key!r})\n"
        "db = Database(settings)\n"
        "assert run_job(db, get_job('group')) and run_job(db, get_job('detect'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = _in_a_fresh_interpreter(code)
    assert out.strip().splitlines()[-1] == "[]", out
    db = Database(settings)
    try:
        group, detect = _last_run(db, "group"), _last_run(db, "detect")
    finally:
        db.dispose()
    assert group.status == detect.status == "ok"
    assert group.params["mode"] == detect.params["mode"] == "full"
    assert "cluster" not in group.params and "cluster" not in detect.params
