"""Health of the database, Redis and the Celery worker, for GET /healthz and the container checks."""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import connection


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def record_worker_heartbeat() -> None:
    with _redis() as client:
        client.set(
            settings.WORKER_HEARTBEAT_KEY, f"{time.time():.3f}", ex=settings.WORKER_HEARTBEAT_STALE_SECONDS
        )


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # any failure means "down"; the message says which
        return False, f"cannot query the database: {exc.__class__.__name__}"


def check_redis() -> tuple[bool, str]:
    try:
        with _redis() as client:
            client.ping()
        return True, "ok"
    except Exception as exc:
        return False, f"cannot reach Redis: {exc.__class__.__name__}"


def check_worker() -> tuple[bool, str]:
    try:
        with _redis() as client:
            raw = client.get(settings.WORKER_HEARTBEAT_KEY)
    except Exception:
        return False, "unknown: Redis is down"
    if raw is None:
        return False, f"no heartbeat from a Celery worker in the last {settings.WORKER_HEARTBEAT_STALE_SECONDS} seconds"
    age = time.time() - float(raw)
    if age > settings.WORKER_HEARTBEAT_STALE_SECONDS:
        return False, f"last heartbeat {age:.0f} seconds ago"
    return True, f"heartbeat {age:.0f} seconds ago"


def overall() -> tuple[bool, dict]:
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}
    healthy = all(ok for ok, _ in checks.values())
    down = [name for name, (ok, _) in checks.items() if not ok]
    return healthy, {"status": "ok" if healthy else "down", "down": down, "checks": body}
