"""The one Celery app. The beat schedule lives here, in code, so every deployment runs the same jobs."""

from __future__ import annotations

import os
import threading
import time

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecase.settings.dev")

app = Celery("carecase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Later issues add the reminder sweeps here (waiting-list keep-in-touch, overdue reviews).
app.conf.beat_schedule = {}


def _write_heartbeats(stop: threading.Event) -> None:
    from django.conf import settings

    from carecase.health import record_worker_heartbeat

    while not stop.is_set():
        try:
            record_worker_heartbeat()
        except Exception:  # Redis briefly away: the health check will say so; keep trying.
            pass
        stop.wait(settings.WORKER_HEARTBEAT_SECONDS)


_heartbeat_stop = threading.Event()


@signals.worker_ready.connect
def _start_heartbeat(**_kwargs) -> None:
    threading.Thread(target=_write_heartbeats, args=(_heartbeat_stop,), daemon=True, name="heartbeat").start()


@signals.worker_shutdown.connect
def _stop_heartbeat(**_kwargs) -> None:
    _heartbeat_stop.set()
    time.sleep(0)
