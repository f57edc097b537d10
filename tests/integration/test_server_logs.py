"""What ``misuse serve`` (gunicorn) writes to its logs: no client address, and no
line a request could forge, even for requests too malformed to reach the app."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

START_SECONDS = 120
READY = re.compile(r"MisuseWatch ready at http://127\.0\.0\.1:(\d+)/")


def _send(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def served(sqlite_template: Path, tmp_path: Path):
    """``misuse serve`` on a free port of a copy of the migrated database; yields the
    port and a function that stops the server and returns everything it logged."""
    db_path = tmp_path / "misuse.db"
    shutil.copy(sqlite_template, db_path)
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "MISUSE_DATABASE_URL": f"sqlite:///{db_path}",
        "MISUSE_INSTANCE_DIR": str(tmp_path / "instance"),
        "MISUSE_SECRET_KEY": "test-secret",
        "MISUSE_SERVE_SCHEDULER": "false",
        "MISUSE_WEB_THREADS": "2",
    }
    with log.open("wb") as out:
        # Port 0: the system picks a free port, which the server prints once ready, so
        # parallel test processes never race for one.
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--port", "0"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_SECONDS
    while not (ready := READY.search(log.read_text(errors="replace"))):
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the server did not start: " + log.read_text()
        time.sleep(0.05)
    port = int(ready.group(1))

    def stop() -> str:
        proc.terminate()
        proc.wait(timeout=60)
        return log.read_text(errors="replace")

    yield port, stop
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_malformed_requests_leave_no_address_and_no_forged_line(served):
    port, stop = served
    answers = [
        _send(port, b"GET /x\x01y HTTP/1.1\r\nHost: a\r\n\r\n"),  # control character
        _send(port, b"G\x00T / HTTP/1.1\r\n\r\n"),  # invalid method
        _send(port, b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"),  # header without colon
        _send(port, b"GET /report%0aFORGED%20LINE HTTP/1.1\r\nHost: a\r\n\r\n"),
    ]
    log = stop()
    assert all(a.startswith(b"HTTP/1.1 4") for a in answers), answers
    assert "Invalid request from ip=[address]" in log, log
    # The client connects from 127.0.0.1; only the banner with our own address may say it.
    assert not [
        line
        for line in log.splitlines()
        if "127.0.0.1" in line and "serving at" not in line and "ready at" not in line
    ]
    # The access line shows the encoded break as sent; no line starts with the payload.
    assert "GET /report%0AFORGED%20LINE 404" in log, log
    assert not any(line.startswith("FORGED") for line in log.splitlines()), log


def test_scrub_hides_addresses_and_escapes_control_characters():
    from cli.server import scrub

    assert scrub("Invalid request from ip=203.0.113.9: bad") == (
        "Invalid request from ip=[address]: bad"
    )
    assert scrub("peer [2001:db8::1]:443 and ::1") == "peer [[address]]:443 and [address]"
    assert scrub("line\nforged\r\x1b[31m") == "line\\x0aforged\\x0d\\x1b[31m"
    # Times and version numbers are not addresses.
    assert scrub("at 12:30:45, gunicorn 23.0.0") == "at 12:30:45, gunicorn 23.0.0"
