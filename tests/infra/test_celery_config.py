"""The Celery app's delivery guarantees and schedule, and the broker URL it derives from REDIS_URL."""

from __future__ import annotations

import pytest
from django.conf import settings
from kombu import Connection

from carecase.celery import WorkerHeartbeat, app
from carecase.settings.base import celery_broker_url


def test_jobs_are_acknowledged_late_and_never_lost_with_a_worker():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    # Redelivery happens after the visibility timeout; it must outlast the longest a job may run.
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


def test_the_beat_schedule_is_a_dict_kept_in_code():
    assert isinstance(app.conf.beat_schedule, dict)
    # Not a database scheduler: every deployment runs the schedule written in carecase/celery.py.
    assert app.conf.beat_scheduler == "celery.beat:PersistentScheduler"
    assert "django_celery_beat" not in settings.INSTALLED_APPS
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {name!r} names a task that does not exist"


def test_the_worker_heartbeat_runs_in_the_consumer():
    assert WorkerHeartbeat in app.steps["consumer"]


def test_the_broker_is_the_redis_from_redis_url():
    assert settings.CELERY_BROKER_URL == celery_broker_url(settings.REDIS_URL)
    assert app.conf.broker_url == settings.CELERY_BROKER_URL


@pytest.mark.parametrize(
    ("redis_url", "broker_url"),
    [
        ("redis://redis:6379/0", "redis://redis:6379/0"),
        ("rediss://:pw@cache.example:6380/2", "rediss://:pw@cache.example:6380/2"),
        ("unix:///srv/redis.sock", "redis+socket:///srv/redis.sock"),
        ("unix:///srv/redis.sock?db=7", "redis+socket:///srv/redis.sock?virtual_host=7"),
    ],
)
def test_broker_url_spelling(redis_url, broker_url):
    assert celery_broker_url(redis_url) == broker_url


def test_a_unix_socket_broker_uses_the_database_number_given(private_redis):
    # kombu ignores ?db= on redis+socket URLs; without the translation a worker would read db 0's queue.
    with Connection(celery_broker_url(f"{private_redis}?db=7")) as conn:
        client = conn.default_channel.client
        assert client.connection_pool.connection_kwargs["db"] == 7
        assert client.ping()
