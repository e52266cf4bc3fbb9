"""`make run` (scripts/run.py) for real: fresh start, reuse, Ctrl-C, a dying child, a busy port.

Each test gets its own data directory, so its own embedded PostgreSQL and Redis, and its own port. A
process "belongs" to a run when its environment or command line carries that run's CARECASE_DATA_DIR: the
web server, the worker, beat, and also the PostgreSQL and Redis servers started for it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from .conftest import PYTHON, REPO, subprocess_env

SECOND_RUN_LIMIT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_of(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        try:
            # redis-server rewrites its process title over its environment, but the title names its socket.
            if proc.environ().get("CARECASE_DATA_DIR") == str(data_dir) or any(
                str(data_dir) in arg for arg in proc.cmdline()
            ):
                found.append(proc)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def describe(procs: list[psutil.Process]) -> str:
    lines = []
    for proc in procs:
        try:
            lines.append(f"{proc.pid}: {' '.join(proc.cmdline())[:160]}")
        except psutil.Error:
            pass
    return "\n".join(lines)


def env_for(data_dir: Path, port: int) -> dict[str, str]:
    return subprocess_env(CARECASE_DATA_DIR=str(data_dir), CARECASE_PORT=str(port))


def start_servers(data_dir: Path) -> None:
    subprocess.run(
        [PYTHON, "-c", "from carecase import embedded; embedded.postgres_settings(); embedded.redis_url()"],
        cwd=REPO, env=env_for(data_dir, 0), check=True, capture_output=True, timeout=120,
    )


def stop_servers(data_dir: Path) -> None:
    subprocess.run(
        [PYTHON, "-c", "from carecase import embedded; embedded.stop_all()"],
        cwd=REPO, env=env_for(data_dir, 0), capture_output=True, timeout=60,
    )


@pytest.fixture
def data_dir():
    # Short, because PostgreSQL's and Redis's unix sockets live inside it.
    directory = Path(tempfile.mkdtemp(prefix="cc-run-", dir="/tmp"))
    try:
        yield directory
    finally:
        for proc in processes_of(directory):
            if "postgres" not in proc.name() and "redis" not in proc.name():
                proc.kill()
        stop_servers(directory)
        shutil.rmtree(directory, ignore_errors=True)


class Run:
    def __init__(self, data_dir: Path, port: int, log: Path):
        self.port, self.log = port, log
        self.started = time.monotonic()
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [PYTHON, "scripts/run.py"], cwd=REPO, env=env_for(data_dir, port),
                stdout=out, stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 180) -> float:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.process.poll() is None, f"run.py exited {self.process.returncode}:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {text!r} within {timeout} s:\n{self.output()}"
            time.sleep(0.1)
        return time.monotonic() - self.started

    def healthz(self) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def wait_until_healthy(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.healthz()
            if status == 200:
                return body
            assert time.monotonic() < deadline, f"/healthz still {status} {body}:\n{self.output()}"
            time.sleep(0.25)

    def stop(self, sig: int, timeout: float = 60) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


def test_a_fresh_run_serves_everything_and_ctrl_c_stops_all_it_started(data_dir, tmp_path):
    run = Run(data_dir, free_port(), tmp_path / "run.log")
    run.wait_for_output("ready in")
    out = run.output()
    assert "Starting the embedded PostgreSQL" in out and "Starting the embedded Redis" in out
    assert f"CareCase is running at http://127.0.0.1:{run.port}/" in out
    for username in ("practitioner", "team.leader", "safeguarding.lead", "dp.officer", "finance.officer",
                     "senior.manager", "admin"):
        assert f"  {username} " in out
    assert "carecase-demo" in out

    # Web, database, Redis and a beating worker: the whole system is up.
    body = run.wait_until_healthy()
    assert body["down"] == []
    assert "beat: Starting..." in run.output()

    assert run.stop(signal.SIGINT) == 0
    assert "Stopping the embedded Redis." in run.output()
    assert "Stopping the embedded PostgreSQL." in run.output()
    leftovers = processes_of(data_dir)
    assert not leftovers, f"still running after Ctrl-C:\n{describe(leftovers)}"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", run.port), timeout=1).close()


def test_a_second_run_reuses_running_servers_quickly_and_leaves_them_running(data_dir, tmp_path):
    start_servers(data_dir)
    first = Run(data_dir, free_port(), tmp_path / "first.log")
    first.wait_for_output("ready in")
    assert first.stop(signal.SIGTERM) == 0

    second = Run(data_dir, free_port(), tmp_path / "second.log")
    seconds = second.wait_for_output("ready in")
    assert seconds < SECOND_RUN_LIMIT_SECONDS, second.output()
    assert "Starting the embedded" not in second.output()
    assert second.stop(signal.SIGTERM) == 0

    # This run did not start PostgreSQL or Redis, so it left them running for whoever did.
    remaining = {proc.name() for proc in processes_of(data_dir)}
    assert any("postgres" in name for name in remaining), remaining
    assert any("redis" in name for name in remaining), remaining
    assert all("postgres" in name or "redis" in name for name in remaining), remaining


def test_when_a_child_dies_the_rest_stop_and_the_exit_code_says_so(data_dir, tmp_path):
    run = Run(data_dir, free_port(), tmp_path / "run.log")
    run.wait_for_output("ready in")
    workers = [p for p in processes_of(data_dir) if "worker" in p.cmdline() and p.ppid() == run.process.pid]
    assert len(workers) == 1, describe(processes_of(data_dir))

    os.kill(workers[0].pid, signal.SIGKILL)

    assert run.process.wait(timeout=60) == 1
    assert "the Celery worker stopped unexpectedly (exit code -9); stopping the rest" in run.output()
    leftovers = processes_of(data_dir)
    assert not leftovers, describe(leftovers)


def test_a_busy_port_gives_a_clear_message_and_starts_nothing(data_dir, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [PYTHON, "scripts/run.py"], cwd=REPO, env=env_for(data_dir, port),
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "CARECASE_PORT=" in result.stderr
    assert not (data_dir / "pg").exists() and not processes_of(data_dir)
