"""The jobs in-process against the same jobs on a Dask cluster of 1 and 2 workers.

Run from the repository root:

    .venv/bin/python benchmarks/distributed.py [--repeats 3] [--posts 6000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
    .venv/bin/python benchmarks/distributed.py --detect-only --repeats 15

The cluster is real: ``dask scheduler`` and ``dask worker`` started as separate
processes on 127.0.0.1, exactly as a deployment starts them. Every configuration
works on a copy of the same ingested store (SQLite by default; with
``--database-url`` a PostgreSQL server, one fresh database per run), after a
warm-up that loads the model everywhere, so the figures compare the work and not
the model's load. Figures are medians over the repeats; the ratio is against the
in-process run measured in the same run.

Prints: embed texts/s, group and detect seconds per configuration, each against
the in-process run; the in-process run against the same jobs at a baseline revision
(``--baseline``, default ``main``: what the code did before the cluster path, run
in a subprocess from ``git archive`` of that revision on copies of the same store),
which is how "no slower without the setting" is measured; the scheduling overhead
per task (a no-op task's round trip, and per task in a batch of many) and what a
run pays to get its client: the timed runs use the client the scheduler process
keeps between runs, as a deployment does, and the first run of a process, which
connects, is timed apart; the seconds of the group job's link and lexical phases
(the steps that go to the workers); and the partition sizes used (texts per embed
task, vectors per search shard, texts per lexical block, occasion rows per
counting task).

``--detect-only`` times the detect job alone (in-process, 1 and 2 workers, each
run on the store embedded and grouped once in-process, put back before every run at
the same URL: a run with other settings than the last registers the worker plugin
again, which a deployment, whose settings stay put, does not), cheap
enough to repeat many times: a run of a fraction of a second on a shared machine
needs more than three readings for its median to mean something. Beside them, 1
worker with a client of its own per run (connected before, closed after, as the
first run of a scheduler process does): what keeping the client saves.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on the path, and its name would
# hide the distributed package itself.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.machine import cpu_name  # noqa: E402
from core.db import Database, make_engine  # noqa: E402
from core.migrate import upgrade  # noqa: E402
from core.models import JobRun, TextBlob  # noqa: E402
from core.settings import load_settings  # noqa: E402
from demo.load import store_scenario  # noqa: E402
from demo.scenario import Scenario, build_scenario  # noqa: E402
from ingest.signals import TextAnalyzer  # noqa: E402
from jobs.grouping import CLUSTER_EMBED_BATCHES, make_embedder_id  # noqa: E402
from jobs.offload import close_cluster_clients  # noqa: E402
from jobs.scheduler import run_job  # noqa: E402
from jobs.specs import get_job  # noqa: E402

DASK = Path(sys.executable).with_name("dask")
# Read when the model loads, here and in the workers this script starts.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen[bytes]] = []
        self.address = ""

    def _spawn(self, name: str, args: list[str]) -> None:
        env = {**os.environ, "MISUSE_INSTANCE_DIR": str(self.root / "worker-instance")}
        with (self.root / f"{name}.log").open("ab") as log:
            self.procs.append(subprocess.Popen([str(DASK), *args], env=env, stdout=log, stderr=log))

    def start(self, workers: int) -> Cluster:
        from distributed import Client

        info = self.root / "scheduler.json"
        self._spawn(
            "scheduler",
            [
                *("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"),
                *("--scheduler-file", str(info)),
            ],
        )
        while not info.exists() or not info.read_text().strip():
            time.sleep(0.2)
        self.address = json.loads(info.read_text())["address"]
        for n in range(workers):
            self._spawn(
                f"w{n}",
                [
                    # No nanny: a nanny sets OMP_NUM_THREADS=1 and the like for its
                    # worker, which halved the model's speed here (see
                    # docs/distributed.md); this compares the code paths.
                    *("worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard"),
                    *("--local-directory", str(self.root / f"w{n}")),
                ],
            )
        with Client(self.address, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=180)
        return self

    def stop(self) -> None:
        # The jobs' client of this cluster, kept between runs: closed first, or it
        # would try to reconnect for a while.
        if self.address:
            close_cluster_clients(self.address)
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


class Stores:
    """Fresh copies of one ingested store: files for SQLite, databases for PostgreSQL."""

    def __init__(self, root: Path, admin_url: str | None) -> None:
        self.root = root
        self.admin_url = admin_url
        self.made: list[str] = []

    def _new_url(self) -> str:
        if self.admin_url is None:
            return f"sqlite:///{self.root / f'store-{len(self.made)}.db'}"
        admin = make_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        name = f"misuse_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def template(self, scenario: Scenario) -> str:
        url = self._new_url()
        self.made.append(url)
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        db = Database(load_settings(environ={}, database_url=url, secret_key="bench"))
        with db.session_scope() as s:
            store_scenario(
                s,
                scenario,
                analyzer=TextAnalyzer(),
                secret_key="bench",
                retention_days=3650,
                actor="bench",
                source="api",
            )
        db.dispose()
        return url

    def copy(self, template: str) -> str:
        if self.admin_url is None:
            url = self._new_url()
            shutil.copy(make_url(template).database or "", make_url(url).database or "")
        else:
            name = f"misuse_bench_{uuid.uuid4().hex[:10]}"
            self._clone(template, name)
            url = make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        self.made.append(url)
        return url

    def restore(self, template: str, url: str) -> None:
        """Put the template's content back into the store at ``url``, which keeps its
        URL: runs of one configuration then send the workers the same settings every
        time, as a deployment's runs do (a new URL would register the worker plugin
        again, two round trips that no deployment pays between runs)."""
        if self.admin_url is None:
            path = Path(make_url(url).database or "")
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copy(make_url(template).database or "", path)
            return
        self._clone(template, make_url(url).database or "", drop_first=True)

    def _clone(self, template: str, name: str, *, drop_first: bool = False) -> None:
        """PostgreSQL: database ``name`` made from the template's (dropped first when
        ``drop_first``)."""
        admin = make_engine(self.admin_url or "", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if drop_first:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            source = make_url(template).database
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        admin.dispose()

    def drop_all(self) -> None:
        if self.admin_url is None:
            return
        admin = make_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for url in self.made:
                name = make_url(url).database
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_jobs(settings: Any) -> dict[str, Any]:
    """Seconds of embed, group and detect on a fresh copy; texts embedded; embed tasks;
    the group run's phase seconds; the group and detect runs' params (partitions)."""
    db = Database(settings)
    try:
        with db.session_scope() as s:
            texts = s.execute(select(func.count()).select_from(TextBlob)).scalar_one()
        out: dict[str, Any] = {"texts": float(texts)}
        for job in ("embed", "group", "detect"):
            started = time.perf_counter()
            assert run_job(db, get_job(job))
            out[job] = time.perf_counter() - started
        with db.session_scope() as s:
            runs = {
                job: s.execute(
                    select(JobRun.params, JobRun.stats)
                    .where(JobRun.job == job)
                    .order_by(JobRun.id.desc())
                    .limit(1)
                ).one()
                for job in ("embed", "group", "detect")
            }
        out["tasks"] = float(runs["embed"].params.get("tasks", 0))
        out["group_seconds"] = runs["group"].stats.get("seconds", {})
        out["group_params"] = runs["group"].params
        out["detect_params"] = runs["detect"].params
        return out
    finally:
        db.dispose()


def baseline_runs(revision: str, root: Path, urls: list[str], warm_url: str) -> list[dict]:
    """In-process runs of the jobs as revision ``revision`` has them, on ``urls``.

    The revision's tree comes from ``git archive`` and runs in a subprocess whose
    imports resolve there only; it uses that revision's own ``run_jobs``.
    """
    tree = root / f"baseline-{revision.replace('/', '-')}"
    if not tree.exists():
        tree.mkdir(parents=True)
        repo = Path(__file__).resolve().parents[1]
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", revision], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    code = (
        "import json, sys\n"
        "from dataclasses import replace\n"
        "from pathlib import Path\n"
        "from benchmarks.distributed import run_jobs\n"
        "from core.settings import load_settings\n"
        "from jobs.grouping import make_embedder_id\n"
        "root, warm, urls = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]\n"
        "base = load_settings(environ={}, instance_dir=root / 'instance', secret_key='bench')\n"
        "make_embedder_id(base)\n"
        "run_jobs(replace(base, database_url=warm))\n"
        "out = [run_jobs(replace(base, database_url=u)) for u in urls]\n"
        "print(json.dumps([{k: v for k, v in r.items() if isinstance(v, float)} for r in out]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(root), warm_url, *urls],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def connect_seconds(address: str, settings: Any, n: int = 15) -> tuple[float, float]:
    """Median seconds a run spends getting its client: the first run of a process
    (connecting, waiting for a worker, registering the plugin; and closing that
    client again, which a scheduler process pays once, on stopping), and every
    later run (checking the kept client)."""
    from jobs import cluster

    settings = replace(settings, dask_scheduler=address)
    first, later = [], []
    for _ in range(n):
        cluster.close_kept(address)
        started = time.perf_counter()
        with cluster.connect(settings):
            pass
        cluster.close_kept(address)
        first.append(time.perf_counter() - started)
    with cluster.connect(settings):
        pass
    for _ in range(n):
        started = time.perf_counter()
        with cluster.connect(settings):
            pass
        later.append(time.perf_counter() - started)
    return statistics.median(first), statistics.median(later)


def scheduling_overhead(address: str, n: int = 400) -> tuple[float, float]:
    """Milliseconds of one no-op task's round trip, and per task of ``n`` submitted at once."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        trips = []
        for i in range(30):
            started = time.perf_counter()
            client.submit(int, i, pure=False).result()
            trips.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.gather(client.map(int, range(n), pure=False))
        batch = (time.perf_counter() - started) / n
    return 1000 * statistics.median(trips), 1000 * batch


def warm(address: str, settings: Any) -> None:
    """Load the model and the analytics libraries on every worker, as a long-lived
    worker has them, so that no timed run pays for either."""
    from jobs import cluster

    def load(dask_worker: Any) -> str:
        import analytics.coordination
        import analytics.lexical
        import analytics.neighbors  # noqa: F401

        return str(dask_worker.plugins["misuse-watch"].embedder.model_id_)

    with cluster.connect(replace(settings, dask_scheduler=address)) as client:
        client.run(load)


def step_data(size: int) -> dict[str, Any]:
    """Inputs for the three steps that go to the workers, at a size the jobs above do
    not reach here: ``size`` vectors (384-d, in families) for the search, ``size``
    texts (a fifth of them copies of a few templates) for the lexical links, and
    occasions of 2 to 40 accounts, about ``10 * size`` rows, for the counting."""
    from analytics.neighbors import normalize_rows

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(size // 20, 384)).astype(np.float32)
    vectors = normalize_rows(
        centres[rng.integers(0, len(centres), size)]
        + 0.3 * rng.normal(size=(size, 384)).astype(np.float32)
    )
    words = np.array(
        [
            "the",
            "a",
            "vote",
            "count",
            "city",
            "news",
            "share",
            "now",
            "today",
            "people",
            "new",
            "old",
            "free",
        ]
    )
    texts = [
        f"template {i % 40}: share this now, the count was changed overnight ref {i % 7}"
        if i % 5 == 0
        else " ".join(words[rng.integers(0, len(words), 14)]) + f" {i}"
        for i in range(size)
    ]
    n_acc, n_occ = size // 10, size // 2
    sizes = rng.integers(2, 41, n_occ)
    account = np.concatenate([np.sort(rng.choice(n_acc, k, replace=False)) for k in sizes])
    return {
        "vectors": vectors,
        "texts": texts,
        "occasion": np.repeat(np.arange(n_occ), sizes),
        "account": account,
        "weight": 1.0 / (sizes - 1.0),
        "n_acc": n_acc,
    }


def piece_times(data: dict[str, Any]) -> dict[str, float]:
    """Seconds of each piece of the three steps, run one after the other in this
    process: what stays in the scheduler process and what a task does (all of
    the step in one task here). The projection for N machines is made of these."""
    from analytics.coordination import co_posting
    from analytics.lexical import ShingleLinker, distinct_pairs
    from analytics.neighbors import (
        NearDuplicateGrouper,
        coarse_probes,
        merge_shard_results,
        search_shard,
        shard_index,
    )
    from jobs.cluster_detect import _range_input

    out: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        started = time.perf_counter()
        result = fn()
        out[name] = time.perf_counter() - started
        return result

    grouper = NearDuplicateGrouper(threshold=0.91, k=10, index="ivf")
    X = data["vectors"]
    timed("search: build index (scheduler)", lambda: grouper.index_vectors(X))
    index = grouper.index_
    probes = timed("search: coarse lists (scheduler)", lambda: coarse_probes(index, X))
    shards = timed("search: cut shards (scheduler)", lambda: shard_index(index, 1))
    part = timed("search: scan (workers)", lambda: search_shard(shards[0], X, 11, probes))
    timed("search: merge (scheduler)", lambda: merge_shard_results([part], 11))
    linker = ShingleLinker()
    grams, starts, sig = timed("lexical: sign (workers)", lambda: linker.signatures(data["texts"]))
    eligible = np.flatnonzero(np.diff(starts) >= linker.min_shingles)

    def buckets() -> Any:
        keys = linker.band_keys(sig[eligible])
        found, big = [], []
        for band in range(linker.bands):
            pairs, large = linker.bucket_pairs(keys[:, band], eligible, None)
            found.append(pairs)
            big.extend(large)
        return found, big

    found, big = timed("lexical: band keys and buckets (workers)", buckets)
    candidates = timed(
        "lexical: chain large buckets, distinct (scheduler)",
        lambda: distinct_pairs([*found, *(linker.chain_pairs(b) for b in big)]),
    )
    timed(
        "lexical: exact containment (workers)", lambda: linker.link(grams, starts, sig, candidates)
    )
    occasion, account, weight, n_acc = (data[k] for k in ("occasion", "account", "weight", "n_acc"))
    piece = timed(
        "count: cut by accounts (scheduler)",
        lambda: _range_input(occasion, account, weight, 0, n_acc),
    )
    timed("count: co-posting product (workers)", lambda: co_posting(*piece, n_acc))
    return out


def time_steps(data: dict[str, Any], client: Any, repeats: int) -> dict[str, float]:
    """Median seconds of each step, in this process (``client`` None) or on the
    cluster; each result is checked against the in-process one."""
    from analytics.coordination import co_posting
    from analytics.lexical import ShingleLinker
    from analytics.neighbors import NearDuplicateGrouper

    search = lexical = count = None
    if client is not None:
        from jobs import cluster_detect, cluster_group

        search = cluster_group.sharded_search(client, f"bench-{uuid.uuid4().hex}")
        count = cluster_detect.distributed_counter(client, f"bench-{uuid.uuid4().hex}")

        def lexical(linker: Any, texts: list[str]) -> Any:
            return cluster_group.lexical_pairs(client, linker, texts, uuid.uuid4().hex)

    steps = {
        "search": lambda: (
            NearDuplicateGrouper(threshold=0.91, k=10, index="ivf")
            .fit(data["vectors"], search=search)
            .pairs_
        ),
        "lexical": lambda: (
            lexical(ShingleLinker(), data["texts"])
            if lexical
            else ShingleLinker().fit(data["texts"]).pairs_
        ),
        "count": lambda: (count or co_posting)(
            data["occasion"], data["account"], data["weight"], data["n_acc"]
        ),
    }
    out = {}
    for name, step in steps.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            got = step()
            times.append(time.perf_counter() - started)
        want = data.setdefault(f"result-{name}", got)
        assert np.array_equal(got, want), f"{name} on the cluster differs from in-process"
        out[name] = statistics.median(times)
    return out


def print_pieces(data: dict[str, Any], repeats: int) -> None:
    runs = [piece_times(data) for _ in range(repeats)]
    print(f"pieces of the steps (s, median of {repeats}), in one process:")
    for name in runs[0]:
        print(f"  {name:52} {statistics.median(r[name] for r in runs):7.2f}")


def detect_only(
    stores: Stores, template: str, warm_store: str, base: Any, root: Path, repeats: int
) -> None:
    """The detect job alone, in-process and on 1 and 2 workers, each run on the store
    embedded and grouped once in this process, put back as it was before every run
    (one store per configuration, so that its runs keep their settings, as a
    deployment's do).

    A detect run at this size takes a fraction of a second, where a shared machine's
    load moves a single reading by tens of percent: this takes as many repeats as
    asked, at the cost of a few seconds each, where the whole set of jobs costs
    minutes per repeat."""
    for url in (template, warm_store):
        db = Database(replace(base, database_url=url))
        try:
            for job in ("embed", "group"):
                assert run_job(db, get_job(job))
        finally:
            db.dispose()
    from jobs import cluster as cluster_jobs

    settings_of = {"in-process": base}
    clusters: list[Cluster] = []
    times: dict[str, list[float]] = {}
    task_rows: dict[str, Any] = {}
    # Runs of the scheduler process keep their client of the cluster. This one
    # connects for each run and closes after it, as every run did before the client
    # was kept, and as the first run of a scheduler process still does (the close
    # then comes when the process stops): the cost the kept client saves, measured
    # beside it.
    connecting = "1 worker, own client"
    try:
        for label, workers in (("1 worker", 1), ("2 workers", 2)):
            cluster = Cluster(root / f"cluster-{workers}").start(workers)
            clusters.append(cluster)
            settings_of[label] = replace(base, dask_scheduler=cluster.address)
        settings_of = {
            "in-process": base,
            "1 worker": settings_of["1 worker"],
            connecting: settings_of["1 worker"],
            "2 workers": settings_of["2 workers"],
        }
        # Untimed: the first detect run in a process or worker pays for imports.
        for settings in settings_of.values():
            db = Database(replace(settings, database_url=stores.copy(warm_store)))
            assert run_job(db, get_job("detect"))
            db.dispose()
        first, later = connect_seconds(clusters[0].address, base)
        # One store per configuration, its content put back before every run.
        slots = {label: stores.copy(template) for label in settings_of}
        for _ in range(repeats):
            for label, settings in settings_of.items():
                stores.restore(template, slots[label])
                db = Database(replace(settings, database_url=slots[label]))
                try:
                    if label == connecting:
                        cluster_jobs.close_kept(settings.dask_scheduler)
                    started = time.perf_counter()
                    assert run_job(db, get_job("detect"))
                    if label == connecting:
                        cluster_jobs.close_kept(settings.dask_scheduler)
                    times.setdefault(label, []).append(time.perf_counter() - started)
                    if label == connecting:
                        # Untimed: the kept client "1 worker" runs use, as it was
                        # (with their settings registered on the workers).
                        with cluster_jobs.connect(
                            replace(settings_of["1 worker"], database_url=slots["1 worker"])
                        ):
                            pass
                    with db.session_scope() as s:
                        params = s.execute(
                            select(JobRun.params)
                            .where(JobRun.job == "detect")
                            .order_by(JobRun.id.desc())
                            .limit(1)
                        ).scalar_one()
                    task_rows[label] = params.get("count_task_rows")
                finally:
                    db.dispose()
    finally:
        for cluster in clusters:
            cluster.stop()
    base_time = statistics.median(times["in-process"])
    print()
    print(
        f"detect alone (s; median and quartiles of {repeats}; ratio: in-process / this, "
        ">1 = faster, of the medians and the median of each repeat's own):"
    )
    for label, runs in times.items():
        q1, q2, q3 = statistics.quantiles(runs, n=4) if len(runs) > 1 else (runs[0],) * 3
        # The configurations of one repeat ran back to back, under about the same load.
        paired = statistics.median(a / b for a, b in zip(times["in-process"], runs, strict=True))
        print(
            f"  {label:20} {q2:6.3f} ({q1:.3f}-{q3:.3f})  ratio {base_time / q2:5.2f}, "
            f"paired {paired:5.2f}  counting tasks (occasion rows) {task_rows[label]}"
        )
    print(
        f"getting the client (1 worker, median of 15): first run of a process {first:.4f} s "
        f"(connect, wait for a worker, register the plugin, close), later runs "
        f"{later:.4f} s (one round trip to check the kept client)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--posts", type=int, default=6000, help="organic posts to generate")
    parser.add_argument("--database-url", default=None, help="PostgreSQL admin URL")
    parser.add_argument(
        "--baseline", default="main", help="revision whose in-process jobs are the baseline"
    )
    parser.add_argument(
        "--step-size", type=int, default=100_000, help="vectors and texts of the step timings"
    )
    parser.add_argument(
        "--pieces-only", action="store_true", help="print the steps' piece timings only"
    )
    parser.add_argument(
        "--detect-only",
        action="store_true",
        help="time the detect job alone (on a store embedded and grouped once)",
    )
    args = parser.parse_args()
    if args.pieces_only:
        print(f"CPU: {cpu_name()}")
        print_pieces(step_data(args.step_size), args.repeats)
        return

    root = Path(tempfile.mkdtemp(prefix="misuse-bench-dask-"))
    stores = Stores(root, args.database_url)
    scenario = build_scenario(
        seed=11,
        organic_accounts=max(100, args.posts // 10),
        organic_posts=args.posts,
        campaigns=3,
        campaign_accounts=16,
    )
    print(f"CPU: {cpu_name()} (shared: figures are medians)")
    started = time.perf_counter()
    template = stores.template(scenario)
    print(
        f"store: {'PostgreSQL' if args.database_url else 'SQLite'}, ingested in "
        f"{time.perf_counter() - started:.1f} s"
    )
    base = load_settings(environ={}, instance_dir=root / "instance", secret_key="bench")
    make_embedder_id(base)  # the in-process model, loaded before any timed run
    # Every configuration first runs the jobs once, untimed, on a small store: the
    # first run in a process (here, or in a worker) pays for importing the jobs'
    # libraries, which a long-lived scheduler process or worker pays once.
    warm_store = stores.template(
        build_scenario(
            seed=12, organic_accounts=100, organic_posts=300, campaigns=3, campaign_accounts=16
        )
    )
    run_jobs(replace(base, database_url=stores.copy(warm_store)))
    if args.detect_only:
        try:
            detect_only(stores, template, warm_store, base, root, args.repeats)
        finally:
            stores.drop_all()
            shutil.rmtree(root, ignore_errors=True)
        return

    results: dict[str, list[dict[str, Any]]] = {}
    overhead: dict[str, tuple[float, float]] = {}
    connecting: dict[str, tuple[float, float]] = {}
    step_runs: dict[str, list[dict[str, float]]] = {}
    data = step_data(args.step_size)
    clusters: list[Cluster] = []
    try:
        settings_of = {"in-process": base}
        for label, workers in (("1 worker", 1), ("2 workers", 2)):
            cluster = Cluster(root / f"cluster-{workers}").start(workers)
            clusters.append(cluster)
            warm(cluster.address, base)
            overhead[label] = scheduling_overhead(cluster.address)
            connecting[label] = connect_seconds(cluster.address, base)
            settings_of[label] = replace(base, dask_scheduler=cluster.address)
            run_jobs(replace(settings_of[label], database_url=stores.copy(warm_store)))
        # One repeat of every configuration after the other, not every repeat of one
        # configuration at once: on a shared machine the load drifts over minutes,
        # and would otherwise favour whichever configuration ran last.
        baseline = f"{args.baseline} in-proc"
        results[baseline] = []
        for _ in range(args.repeats):
            results[baseline] += baseline_runs(
                args.baseline, root, [stores.copy(template)], stores.copy(warm_store)
            )
            for label, settings in settings_of.items():
                results.setdefault(label, []).append(
                    run_jobs(replace(settings, database_url=stores.copy(template)))
                )
        from jobs import cluster as cluster_jobs

        with contextlib.ExitStack() as stack:
            clients = {
                label: stack.enter_context(cluster_jobs.connect(settings))
                for label, settings in settings_of.items()
                if settings.dask_scheduler
            }
            for _ in range(args.repeats):
                for label in settings_of:
                    step_runs.setdefault(label, []).append(time_steps(data, clients.get(label), 1))
    finally:
        for cluster in clusters:
            cluster.stop()
        stores.drop_all()
        shutil.rmtree(root, ignore_errors=True)

    step_times = {
        label: {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        for label, runs in step_runs.items()
    }

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in results[label])

    def phase(label: str, name: str) -> float:
        return statistics.median(r["group_seconds"].get(name, 0.0) for r in results[label])

    base_rate = median("in-process", "texts") / median("in-process", "embed")
    print()
    print(
        f"{'':14} {'embed texts/s':>13} {'ratio':>6} {'group s':>8} {'ratio':>6} "
        f"{'detect s':>9} {'ratio':>6}   (ratio: in-process / this, >1 = faster)"
    )
    for label in results:
        rate = median(label, "texts") / median(label, "embed")
        group, detect = median(label, "group"), median(label, "detect")
        print(
            f"{label:14} {rate:13.0f} {rate / base_rate:6.2f} "
            f"{group:8.2f} {median('in-process', 'group') / group:6.2f} "
            f"{detect:9.2f} {median('in-process', 'detect') / detect:6.2f}"
        )
    # A job of a fraction of a second: its median of three can hide one slow run or
    # be made of two, so every run is shown.
    print(
        "detect, every run (s): "
        + "; ".join(
            f"{label} " + ", ".join(f"{r['detect']:.2f}" for r in runs)
            for label, runs in results.items()
        )
    )
    print()
    print("group phases (s, median):  link (index + search)  lexical")
    for label in ("in-process", "1 worker", "2 workers"):
        print(f"  {label:12} {phase(label, 'link'):22.2f} {phase(label, 'lexical'):8.2f}")
    print()
    rows = len(data["occasion"])
    print(
        f"steps alone (s, median; {args.step_size} vectors / texts, {rows} occasion rows "
        f"of {data['n_acc']} accounts):"
    )
    print(f"  {'':12} {'search':>8} {'lexical':>8} {'count':>8}")
    for label, t in step_times.items():
        print(f"  {label:12} {t['search']:8.2f} {t['lexical']:8.2f} {t['count']:8.2f}")
    print()
    print_pieces(data, args.repeats)
    texts = int(median("in-process", "texts"))
    task_texts = CLUSTER_EMBED_BATCHES * base.embed_batch_size
    print()
    print(
        f"texts: {texts}; embed task: {task_texts} texts "
        f"({CLUSTER_EMBED_BATCHES} model batches of {base.embed_batch_size}); "
        f"tasks per run: {int(median('1 worker', 'tasks'))}"
    )
    for label in ("1 worker", "2 workers"):
        g, d = results[label][-1]["group_params"], results[label][-1]["detect_params"]
        print(
            f"{label}: search shards (vectors) {g.get('search_shards')}; lexical blocks "
            f"{g.get('lexical_blocks')} x {g.get('lexical_block_texts')} texts, "
            f"{g.get('lexical_link_tasks')} link tasks for {g.get('lexical_candidates')} "
            f"candidates; counting tasks (occasion rows) {d.get('count_task_rows')}"
        )
    for label, (trip, per_task) in overhead.items():
        embed_task = median(label, "embed") / max(median(label, "tasks"), 1)
        print(
            f"{label}: no-op task round trip {trip:.1f} ms, {per_task:.2f} ms per task of "
            f"400 at once; one embed task {embed_task:.2f} s "
            f"(overhead {per_task / 1000 / embed_task:.2%}); getting the client: first run "
            f"of a process {connecting[label][0]:.4f} s, later runs {connecting[label][1]:.4f} s"
        )


if __name__ == "__main__":
    main()
