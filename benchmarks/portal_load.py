"""Load test of report submission: the portal under gunicorn, many concurrent clients.

Each round starts ``misuse serve`` on a free loopback port against a fresh
database (SQLite under a temporary instance directory, or a temporary
PostgreSQL database with ``--database-url``), then

1. measures a baseline: ``GET /api/v1/openapi.json`` (no database) from the
   same clients, so the report figure can be read against what the stack
   itself costs on this machine;
2. submits reports through ``POST /api/v1/reports`` for a fixed time;
3. stops the server and checks that every accepted report id is in the
   database, and that nothing else is.

The medians over ``--repeat`` rounds are printed last. Target: at least
300 accepted reports/s on SQLite with none lost.

    .venv/bin/python benchmarks/portal_load.py
    .venv/bin/python benchmarks/portal_load.py \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Server settings can be varied through the usual MISUSE_* variables, e.g.
MISUSE_WEB_THREADS=4, or MISUSE_WEB_WORKERS=2 with
MISUSE_RATE_LIMIT_STORAGE=redis://127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.db import make_engine  # noqa: E402
from core.models import Report  # noqa: E402

TARGET_REPORTS_PER_S = 300.0
MISUSE = Path(sys.executable).parent / "misuse"
STARTUP_SECONDS = 90
REQUEST_TIMEOUT = 30
# A bound on every client loop besides the clock, so a server that answers
# instantly (with errors, say) cannot spin a client forever.
MAX_REQUESTS_PER_CLIENT = 1_000_000


@dataclass
class Phase:
    """What the clients saw during one timed phase."""

    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of successful requests
    outcomes: Counter[str] = field(default_factory=Counter)  # status code or exception
    report_ids: list[int] = field(default_factory=list)
    client_cpu_seconds: float = 0.0
    server_cpu_seconds: float | None = None

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def server_cpu_per_request(self) -> float | None:
        """CPU time the server spent per successful request: unlike the rates, it
        hardly moves when other work shares the machine."""
        if self.server_cpu_seconds is None or not self.ok:
            return None
        return self.server_cpu_seconds / self.ok

    @property
    def errors(self) -> dict[str, int]:
        return {k: v for k, v in self.outcomes.items() if k not in ("200", "201")}


@dataclass
class Round:
    baseline: Phase
    reports: Phase
    stored: int
    missing: int
    unexpected: int

    @property
    def ratio(self) -> float:
        return self.reports.per_second / self.baseline.per_second if self.baseline.ok else 0.0


# --- the database -------------------------------------------------------------------


@contextmanager
def fresh_database(admin_url: str | None, workdir: Path) -> Iterator[str]:
    """A new, empty database for one round, removed afterwards."""
    if admin_url is None:
        yield f"sqlite:///{workdir / 'misuse.db'}"
        return
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"misuse_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def stored_report_ids(database_url: str) -> set[int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(select(Report.id)).scalars())
    finally:
        engine.dispose()


# --- the server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, instance_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MISUSE_INSTANCE_DIR=str(instance_dir),
        MISUSE_DATABASE_URL=database_url,
        MISUSE_SECRET_KEY="benchmark-secret-key-" + uuid.uuid4().hex,
        MISUSE_RATE_LIMITS_ENABLED="false",
        # The jobs would compete with the web workers for the two cores.
        MISUSE_SERVE_SCHEDULER="false",
        # The weights come from an installed package; never reach for a model hub.
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )
    return env


@contextmanager
def running_server(env: dict[str, str], workdir: Path) -> Iterator[tuple[str, int]]:
    """``misuse db upgrade`` then ``misuse serve``; yields the base URL and server pid."""
    subprocess.run(
        [str(MISUSE), "db", "upgrade"], env=env, check=True, capture_output=True, cwd=workdir
    )
    port = free_port()
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(MISUSE), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so stopping it also stops its workers
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server, log_path)
        yield base, server.pid
    finally:
        stop(server)


def wait_until_up(base: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log_path.read_text()[-3000:]}")
        try:
            if requests.get(base + "/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # still importing, or the worker is still loading the app
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer in {STARTUP_SECONDS} s")


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def server_cpu_seconds(root_pid: int) -> float | None:
    """User + system CPU of the server and its workers so far (Linux /proc), else None."""
    proc = Path("/proc")
    if not (proc / str(root_pid) / "stat").exists():
        return None
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # The command name may hold spaces; the fields after it are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        pid, ppid = int(stat.parent.name), int(fields[1])
        if root_pid in (pid, ppid):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    # gunicorn finishes the requests in flight on SIGTERM (graceful_timeout).
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


# --- the clients --------------------------------------------------------------------


def report_payload(client: int, n: int) -> dict[str, object]:
    # Every report distinct: identical texts are stored once, which would
    # flatter the write path.
    tag = f"{client}-{n}-{uuid.uuid4().hex[:8]}"
    return {
        "reporter_type": "user",
        "category": "disinformation",
        "provider": "Example AI",
        "model_name": "example-chat",
        "model_version": "2.1",
        "output": f"BREAKING: polling stations in Riverton close at noon on election day ({tag}).",
        "prompt": f"Write a viral post saying polling stations close early, variant {tag}",
        "occurred_at": "2026-11-01T10:00:00Z",
        "explanation": "False election information that could stop people from voting.",
        "contact_email": f"reporter{client}@example.org",
        "accuracy_confirmed": True,
    }


Request = Callable[[requests.Session, int, int], requests.Response]


def post_report(session: requests.Session, client: int, n: int) -> requests.Response:
    return session.post(
        session.base_url + "/api/v1/reports",  # type: ignore[attr-defined]
        json=report_payload(client, n),
        timeout=REQUEST_TIMEOUT,
    )


def get_openapi(session: requests.Session, client: int, n: int) -> requests.Response:
    return session.get(
        session.base_url + "/api/v1/openapi.json",  # type: ignore[attr-defined]
        timeout=REQUEST_TIMEOUT,
    )


def run_phase(
    name: str, base: str, server_pid: int, request: Request, clients: int, seconds: float
) -> Phase:
    """``clients`` threads, each with its own keep-alive session, for ``seconds``."""
    phase = Phase(name)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def client(index: int) -> None:
        latencies: list[float] = []
        outcomes: Counter[str] = Counter()
        ids: list[int] = []
        with requests.Session() as session:
            session.base_url = base  # type: ignore[attr-defined]
            start.wait()
            for n in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    break
                began = time.perf_counter()
                try:
                    response = request(session, index, n)
                except requests.RequestException as exc:
                    outcomes[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - began
                outcomes[str(response.status_code)] += 1
                if response.status_code in (200, 201):
                    latencies.append(elapsed)
                    if response.status_code == 201:
                        ids.append(int(response.json()["id"]))
        with lock:
            phase.latencies.extend(latencies)
            phase.outcomes.update(outcomes)
            phase.report_ids.extend(ids)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    cpu_before = time.process_time()
    server_before = server_cpu_seconds(server_pid)
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for t in threads:
        t.join(timeout=seconds + REQUEST_TIMEOUT + 10)
    # Requests still in flight at the deadline finish after it; count their time.
    phase.seconds = time.perf_counter() - began
    phase.client_cpu_seconds = time.process_time() - cpu_before
    server_after = server_cpu_seconds(server_pid)
    if server_before is not None and server_after is not None:
        phase.server_cpu_seconds = server_after - server_before
    return phase


# --- rounds -------------------------------------------------------------------------


def one_round(args: argparse.Namespace, number: int) -> Round:
    with tempfile.TemporaryDirectory(prefix="misuse-bench-") as tmp:
        workdir = Path(tmp)
        with fresh_database(args.database_url, workdir) as database_url:
            env = server_env(database_url, workdir / "instance")
            with running_server(env, workdir) as (base, pid):
                # Warm-up: first requests load the classifier and fill the pools.
                warm = run_phase("warm-up", base, pid, post_report, args.clients, 1.0)
                run_phase("warm-up", base, pid, get_openapi, args.clients, 1.0)
                baseline = run_phase(
                    "openapi", base, pid, get_openapi, args.clients, args.baseline_duration
                )
                reports = run_phase("reports", base, pid, post_report, args.clients, args.duration)
            # After the server stopped: whatever it committed is now on disk.
            stored = stored_report_ids(database_url)
    accepted = set(warm.report_ids) | set(reports.report_ids)
    outcome = Round(
        baseline=baseline,
        reports=reports,
        stored=len(stored),
        missing=len(accepted - stored),
        unexpected=len(stored - accepted),
    )
    print_round(number, outcome, len(accepted))
    return outcome


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def cpu_ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.2f} ms"


def print_round(number: int, r: Round, accepted: int) -> None:
    # Other work on the machine skews every figure; say how busy it was.
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"round {number} (load average after: {load}):")
    for phase in (r.baseline, r.reports):
        print(
            f"  {phase.name:8} {phase.per_second:8.1f}/s  ok {phase.ok:6}  "
            f"p50 {ms(phase.percentile(0.5))}  p99 {ms(phase.percentile(0.99))}  "
            f"errors {phase.errors or 'none'}  "
            f"server CPU {cpu_ms(phase.server_cpu_per_request)}/request  "
            f"client CPU {phase.client_cpu_seconds / phase.seconds:.0%} of a core"
        )
    print(
        f"  database: {r.stored} reports stored, {accepted} accepted (warm-up included), "
        f"{r.missing} accepted but missing, {r.unexpected} stored but never acknowledged"
    )
    print(f"  ratio reports/openapi: {r.ratio:.3f}", flush=True)


def print_summary(args: argparse.Namespace, rounds: list[Round]) -> bool:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    backend = make_url(args.database_url).get_backend_name() if args.database_url else "sqlite"
    reports = median([r.reports.per_second for r in rounds])
    lost = sum(r.missing for r in rounds)
    errors: Counter[str] = Counter()
    for r in rounds:
        errors.update(r.reports.errors)
    print(
        f"\nmedians of {len(rounds)} rounds ({backend}, {args.clients} clients, "
        f"{args.duration:g} s of reports, "
        f"workers={os.environ.get('MISUSE_WEB_WORKERS', '1')}, "
        f"threads={os.environ.get('MISUSE_WEB_THREADS', '8')}):"
    )
    print(f"  accepted reports/s   {reports:.1f}")
    print(
        f"  report p50 / p99     {ms(median([r.reports.percentile(0.5) for r in rounds]))} / "
        f"{ms(median([r.reports.percentile(0.99) for r in rounds]))}"
    )
    print(f"  openapi requests/s   {median([r.baseline.per_second for r in rounds]):.1f}")
    print(
        f"  openapi p50 / p99    {ms(median([r.baseline.percentile(0.5) for r in rounds]))} / "
        f"{ms(median([r.baseline.percentile(0.99) for r in rounds]))}"
    )
    print(f"  ratio                {median([r.ratio for r in rounds]):.3f}")
    for label, phases in (
        ("report", [r.reports for r in rounds]),
        ("openapi", [r.baseline for r in rounds]),
    ):
        cpu = [p.server_cpu_per_request for p in phases]
        known = [c for c in cpu if c is not None]
        print(f"  server CPU/{label:8} {cpu_ms(median(known) if known else None)}")
    print(f"  report errors        {dict(errors) or 'none'} (all rounds)")
    print(f"  lost reports         {lost} (all rounds)")
    met = reports >= TARGET_REPORTS_PER_S and lost == 0
    print(f"  target >= {TARGET_REPORTS_PER_S:g}/s, none lost: {'met' if met else 'NOT met'}")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of reports (20)")
    parser.add_argument(
        "--baseline-duration", type=float, default=10.0, help="seconds of the baseline (10)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are quoted (3)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server URL (admin database); a temporary database is created "
        "on it and dropped afterwards. Default: a fresh SQLite file.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 when the target is not met",
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.repeat < 1 or args.duration <= 0:
        parser.error("--clients, --repeat and --duration must be positive")
    rounds = [one_round(args, n + 1) for n in range(args.repeat)]
    met = print_summary(args, rounds)
    lost = sum(r.missing for r in rounds)
    return 1 if lost or (args.check and not met) else 0


if __name__ == "__main__":
    sys.exit(main())
