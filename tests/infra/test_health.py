"""GET /healthz against real services: a real Celery worker, a real Redis (and a dead one), the database."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import redis
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from carecase import health

from .conftest import PYTHON, REPO, subprocess_env

DEAD_REDIS = "unix:///tmp/carecase-no-such-redis/redis.sock"


def _worker_env(redis_url: str) -> dict[str, str]:
    env = subprocess_env(DJANGO_SETTINGS_MODULE="carecase.settings.test", REDIS_URL=redis_url)
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return env


@pytest.mark.django_db
def test_healthz_names_the_worker_until_a_real_worker_beats(client, settings, private_redis, tmp_path):
    settings.REDIS_URL = private_redis

    before = client.get("/healthz")
    assert before.status_code == 503
    assert before["Content-Type"] == "application/json"
    assert "no-cache" in before["Cache-Control"]
    body = before.json()
    assert body["status"] == "down"
    assert body["down"] == ["worker"]
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert "no heartbeat" in body["checks"]["worker"]["detail"]

    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "carecase", "worker", "--concurrency", "1", "--loglevel", "INFO",
             "--without-mingle", "--without-gossip", "--hostname", f"healthz-test-{os.getpid()}@%h"],
            cwd=REPO, env=_worker_env(private_redis), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            after = client.get("/healthz")
            if after.status_code == 200:
                break
            assert worker.poll() is None, f"the worker exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no heartbeat within 60 s:\n{log.read_text()}"
            time.sleep(0.25)
        body = after.json()
        assert body["status"] == "ok" and body["down"] == []
        assert all(check["ok"] for check in body["checks"].values())
        assert body["checks"]["worker"]["detail"].startswith("heartbeat ")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


@pytest.mark.django_db
def test_a_stale_heartbeat_counts_as_no_worker(client, settings, private_redis):
    settings.REDIS_URL = private_redis
    with redis.Redis.from_url(private_redis) as r:
        r.set(settings.WORKER_HEARTBEAT_KEY, f"{time.time() - 300:.3f}")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]
    assert "last heartbeat 300 seconds ago" in response.json()["checks"]["worker"]["detail"]


@pytest.mark.django_db
def test_healthz_names_redis_when_it_is_unreachable(client, settings):
    settings.REDIS_URL = DEAD_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["down"]
    assert body["checks"]["redis"]["detail"].startswith("cannot reach Redis")
    # The worker's state cannot be known without Redis; it is reported as down, not as fine.
    assert "worker" in body["down"]
    assert body["checks"]["database"]["ok"]


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_cannot_be_queried(client, settings, private_redis, monkeypatch):
    settings.REDIS_URL = private_redis
    # A real connection attempt to a database that does not exist on the same server.
    broken = DatabaseWrapper({**connection.settings_dict, "NAME": "carecase_no_such_database"}, "broken")
    monkeypatch.setattr(health, "connection", broken)
    try:
        response = client.get("/healthz")
    finally:
        broken.close()

    assert response.status_code == 503
    body = response.json()
    assert "database" in body["down"]
    assert body["checks"]["database"]["detail"] == "cannot query the database: OperationalError"
    assert body["checks"]["redis"]["ok"]


def test_healthz_answers_only_get(client):
    assert client.post("/healthz").status_code == 405
