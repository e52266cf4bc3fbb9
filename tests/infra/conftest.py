from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from carecase import embedded

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def private_redis():
    """A redis-server of the test's own, on a unix socket in a short temporary directory.

    Isolated from the shared embedded Redis, so a worker started here cannot consume anyone else's tasks
    and nobody else's heartbeat can make a test pass. Stopped and removed afterwards.
    """
    # Unix socket paths are limited to ~107 bytes, so not pytest's long tmp_path.
    directory = Path(tempfile.mkdtemp(prefix="cc-redis-", dir="/tmp"))
    try:
        yield embedded.start_redis(directory)
    finally:
        embedded.stop_redis_in(directory)
        shutil.rmtree(directory, ignore_errors=True)


def subprocess_env(**overrides: str) -> dict[str, str]:
    """A minimal environment for a child Python: none of the developer's settings leak in."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "CARECASE_DATA_DIR", "XDG_RUNTIME_DIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["PYTHONPATH"] = str(REPO)
    env.update(overrides)
    return env


PYTHON = sys.executable


def child_database_url() -> str:
    """The test database as a DATABASE_URL, for a child process (a real Celery worker) during a test."""
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return (f"postgres://{quote(s['USER'] or '', safe='')}:{quote(s['PASSWORD'] or '', safe='')}"
            f"@{quote(s['HOST'] or 'localhost', safe='')}{port}/{s['NAME']}")


def kill_worker_after_claim(*, task: str, claimed, expected: int, redis_url: str, log_path: Path,
                            hostname: str) -> None:
    """Start a real Celery worker on `redis_url`, send it `task` told to pause after claiming, wait until the
    queryset `claimed(hostname)` holds `expected` rows, then SIGKILL the worker and its pool child: the
    crash the exactly-once outbox must survive (claimed, not yet delivered)."""
    import signal
    import subprocess
    import time

    from celery import Celery

    from carecase.settings.base import celery_broker_url

    env = subprocess_env(DJANGO_SETTINGS_MODULE="carecase.settings.test", REDIS_URL=redis_url,
                         DATABASE_URL=child_database_url())
    with open(log_path, "w") as out:
        worker = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "carecase", "worker", "--concurrency", "1", "--loglevel", "INFO",
             "--without-mingle", "--without-gossip", "--without-heartbeat", "--hostname", f"{hostname}@%h"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    sender = Celery("test-sender", broker=celery_broker_url(redis_url))
    try:
        sender.send_task(task, kwargs={"pause_after_claim_seconds": 120})
        deadline = time.monotonic() + 90
        while claimed(hostname).count() < expected:
            assert worker.poll() is None, f"the worker exited early:\n{log_path.read_text()}"
            assert time.monotonic() < deadline, f"the worker claimed nothing within 90 s:\n{log_path.read_text()}"
            time.sleep(0.2)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool child, after claiming, before sending
        worker.wait(timeout=20)
    finally:
        sender.close()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def at_the_same_time(call, names=("beat-1", "beat-2"), *, timeout: float = 60) -> dict:
    """Run `call(name)` in one thread per name, released together (two beats, or two workers, at once), each
    on its own database connection; returns each name's result and fails with the first error raised."""
    import threading

    from django.db import connection

    start = threading.Barrier(len(names))
    results, errors = {}, []

    def run(name):
        try:
            start.wait(timeout=10)
            results[name] = call(name)
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors
    assert set(results) == set(names), "a thread did not finish in time"
    return results
