"""A real Dask cluster for the tests: a scheduler and workers started with Dask's own
commands (``dask scheduler``, ``dask worker``) as separate processes on 127.0.0.1,
in this environment, exactly as a deployment starts them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jobs.offload import close_cluster_clients

DASK = Path(sys.executable).with_name("dask")


class DaskCluster:
    def __init__(self, root: Path, models: Path | None = None) -> None:
        """``models``: a compiled-model cache the workers fit from, as the workers of
        one machine share one; without it each worker of this cluster exports the
        model itself."""
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        if models is not None:
            (root / "worker-instance").mkdir(exist_ok=True)
            (root / "worker-instance" / "models").symlink_to(models, target_is_directory=True)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.address = ""
        self.env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            # The model export, shared by this cluster's workers.
            "MISUSE_INSTANCE_DIR": str(root / "worker-instance"),
            # A worker's work must not depend on this process's settings.
            **{k: "" for k in os.environ if k.startswith("MISUSE_") and k != "MISUSE_INSTANCE_DIR"},
            # Dask's diagnostics, which nothing here reads: the workers' statistical
            # profiler (a stack sample every 10 ms), the event-loop tick check every
            # 20 ms and the GIL monitor. Off, an idle cluster costs a third of the
            # CPU, and a test's clusters are idle most of their lives.
            "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
            "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
            "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__GIL__ENABLED": "False",
        }

    def _spawn(self, name: str, args: list[str]) -> None:
        # The child keeps its own descriptor: ours is closed at once.
        with (self.root / f"{name}.log").open("ab") as log:
            self.procs[name] = subprocess.Popen(
                [str(DASK), *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def start(self, workers: int = 2, port: int = 0) -> DaskCluster:
        """``port`` 0: a free one."""
        info = self.root / "scheduler.json"
        info.unlink(missing_ok=True)
        self._spawn(
            "scheduler",
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
        )
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            if time.monotonic() > deadline or self.procs["scheduler"].poll() is not None:
                raise RuntimeError(self.log("scheduler"))
            time.sleep(0.2)
        self.address = json.loads(info.read_text())["address"]
        for n in range(workers):
            self.add_worker(f"w{n + 1}")
        self.wait_for_workers(workers)
        return self

    def add_worker(self, name: str) -> None:
        self._spawn(
            name,
            [
                "worker",
                self.address,
                "--name",
                name,
                "--nthreads",
                "1",
                # No nanny: a killed worker stays dead, as a lost machine does.
                "--no-nanny",
                "--no-dashboard",
                "--local-directory",
                str(self.root / name),
            ],
        )

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(n, timeout=120)

    def workers(self) -> dict[str, str]:
        """Worker name -> address, as the scheduler knows them."""
        from distributed import Client

        with Client(self.address, timeout="30s", set_as_default=False) as client:
            info = client.scheduler_info(n_workers=-1)["workers"]
        return {str(w["name"]): addr for addr, w in info.items()}

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def restart(self, workers: int) -> None:
        """SIGKILL to the scheduler, as a crashed machine's, then a new scheduler at
        the same address with ``workers`` new workers (a worker without a nanny
        stops when its scheduler goes)."""
        port = int(self.address.rsplit(":", 1)[1])
        self.kill("scheduler")
        # Not stop(): the jobs' kept client must find out for itself.
        self._stop_processes()
        self.start(workers, port=port)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        # The jobs' client of this cluster, which runs keep: it would otherwise try to
        # reconnect for a while, and log that it could not.
        if self.address:
            close_cluster_clients(self.address)
        self._stop_processes()

    def _stop_processes(self) -> None:
        # Workers first, so that none reconnects to a scheduler that is going away.
        for name in sorted(self.procs, key=lambda n: n == "scheduler"):
            proc = self.procs[name]
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
        self.procs.clear()
