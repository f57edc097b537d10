"""The jobs in-process against the same jobs on a Dask cluster of 1 and 2 workers.

Run from the repository root:

    .venv/bin/python benchmarks/distributed.py [--repeats 3] [--posts 6000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The cluster is real: ``dask scheduler`` and ``dask worker`` started as separate
processes on 127.0.0.1, exactly as a deployment starts them. Every configuration
works on a copy of the same ingested store (SQLite by default; with
``--database-url`` a PostgreSQL server, one fresh database per run), after a
warm-up that loads the model everywhere, so the figures compare the work and not
the model's load. Figures are medians over the repeats; the ratio is against the
in-process run measured in the same run.

Prints: embed texts/s, group and detect seconds per configuration; the
scheduling overhead per task (a no-op task's round trip, and per task in a batch
of many); the partition sizes used (texts per embed task, tasks per run).
"""

from __future__ import annotations

import argparse
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
        self.template_url = url
        return url

    def copy(self) -> str:
        if self.admin_url is None:
            url = self._new_url()
            shutil.copy(make_url(self.template_url).database or "", make_url(url).database or "")
        else:
            admin = make_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            name = f"misuse_bench_{uuid.uuid4().hex[:10]}"
            source = make_url(self.template_url).database
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
            admin.dispose()
            url = make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        self.made.append(url)
        return url

    def drop_all(self) -> None:
        if self.admin_url is None:
            return
        admin = make_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for url in self.made:
                name = make_url(url).database
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_jobs(settings: Any) -> dict[str, float]:
    """Seconds of embed, group and detect on a fresh copy; texts embedded; embed tasks."""
    db = Database(settings)
    try:
        with db.session_scope() as s:
            texts = s.execute(select(func.count()).select_from(TextBlob)).scalar_one()
        out: dict[str, float] = {"texts": float(texts)}
        for job in ("embed", "group", "detect"):
            started = time.perf_counter()
            assert run_job(db, get_job(job))
            out[job] = time.perf_counter() - started
        with db.session_scope() as s:
            params = s.execute(
                select(JobRun.params).where(JobRun.job == "embed").order_by(JobRun.id.desc())
            ).scalar_one()
        out["tasks"] = float(params.get("tasks", 0))
        return out
    finally:
        db.dispose()


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
    """Load the model on every worker, so that no timed run pays for it."""
    from jobs import cluster

    with cluster.connect(replace(settings, dask_scheduler=address)) as client:
        client.run(lambda dask_worker: dask_worker.plugins["misuse-watch"].embedder.model_id_)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--posts", type=int, default=6000, help="organic posts to generate")
    parser.add_argument("--database-url", default=None, help="PostgreSQL admin URL")
    args = parser.parse_args()

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
    stores.template(scenario)
    print(
        f"store: {'PostgreSQL' if args.database_url else 'SQLite'}, ingested in "
        f"{time.perf_counter() - started:.1f} s"
    )
    base = load_settings(environ={}, instance_dir=root / "instance", secret_key="bench")
    make_embedder_id(base)  # the in-process model, loaded before any timed run
    # One untimed in-process run: the first run of the group and detect jobs in a
    # process pays for importing their libraries, which is no cost of either path.
    run_jobs(replace(base, database_url=stores.copy()))

    results: dict[str, list[dict[str, float]]] = {}
    overhead: dict[str, tuple[float, float]] = {}
    try:
        for label, workers in (("in-process", 0), ("1 worker", 1), ("2 workers", 2)):
            cluster = Cluster(root / f"cluster-{workers}").start(workers) if workers else None
            try:
                settings = base
                if cluster is not None:
                    warm(cluster.address, base)
                    overhead[label] = scheduling_overhead(cluster.address)
                    settings = replace(base, dask_scheduler=cluster.address)
                runs = []
                for _ in range(args.repeats):
                    runs.append(run_jobs(replace(settings, database_url=stores.copy())))
                results[label] = runs
            finally:
                if cluster is not None:
                    cluster.stop()
    finally:
        stores.drop_all()
        shutil.rmtree(root, ignore_errors=True)

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in results[label])

    base_rate = median("in-process", "texts") / median("in-process", "embed")
    print()
    print(f"{'':12} {'embed texts/s':>14} {'vs in-proc':>10} {'group s':>8} {'detect s':>9}")
    for label in results:
        rate = median(label, "texts") / median(label, "embed")
        print(
            f"{label:12} {rate:14.0f} {rate / base_rate:10.2f} "
            f"{median(label, 'group'):8.2f} {median(label, 'detect'):9.2f}"
        )
    texts = int(median("in-process", "texts"))
    task_texts = CLUSTER_EMBED_BATCHES * base.embed_batch_size
    print()
    print(
        f"texts: {texts}; embed task: {task_texts} texts "
        f"({CLUSTER_EMBED_BATCHES} model batches of {base.embed_batch_size}); "
        f"tasks per run: {int(median('1 worker', 'tasks'))}"
    )
    for label, (trip, per_task) in overhead.items():
        embed_task = median(label, "embed") / max(median(label, "tasks"), 1)
        print(
            f"{label}: no-op task round trip {trip:.1f} ms, {per_task:.2f} ms per task of "
            f"400 at once; one embed task {embed_task:.2f} s "
            f"(overhead {per_task / 1000 / embed_task:.2%})"
        )
    print(
        "group and detect run in the scheduler process in every configuration: "
        "their figures show what the cluster path costs them (nothing), not a speed-up"
    )


if __name__ == "__main__":
    main()
