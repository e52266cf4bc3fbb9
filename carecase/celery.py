"""The one Celery app. The beat schedule lives here, in code, so every deployment runs the same jobs."""

from __future__ import annotations

import logging
import os

from celery import Celery, bootsteps
from celery.schedules import crontab

from directpayments.beat import BEAT as DIRECT_PAYMENT_JOBS
from safeguarding.beat import BEAT as SAFEGUARDING_JOBS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecase.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("carecase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Europe/London (CELERY_TIMEZONE). Each job is an idempotent sweep over database rows, so a missed
# or doubled beat loses and doubles nothing; `expires` drops a run the workers could not start that morning
# (the next day's sweep catches up on everything still due).
app.conf.beat_schedule = {
    "waiting-keep-in-touch-sweep": {
        "task": "carecase.waiting.tasks.sweep_keep_in_touch_reminders",
        "schedule": crontab(hour=6, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "waiting-team-leader-digest": {
        "task": "carecase.waiting.tasks.send_team_leader_digests",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    "review-reminder-sweep": {
        "task": "reviews.tasks.sweep_review_reminders",
        "schedule": crontab(hour=6, minute=45),
        "options": {"expires": 6 * 60 * 60},
    },
    "review-overdue-digest": {
        # Daily: the week's digests go on its first working day (Monday, or after a bank holiday Monday).
        "task": "reviews.tasks.send_overdue_review_digests",
        "schedule": crontab(hour=7, minute=15),
        "options": {"expires": 6 * 60 * 60},
    },
    "self-review-invitations": {
        "task": "portal.tasks.send_self_review_invitations",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "waiting-nightly-snapshot": {
        "task": "carecase.waiting.tasks.take_waiting_list_snapshot",
        "schedule": crontab(hour=23, minute=45),
        "options": {"expires": 10 * 60},
    },
    # Each app keeps its own jobs beside its tasks (a plain dict: no models imported here).
    **DIRECT_PAYMENT_JOBS,
    **SAFEGUARDING_JOBS,
}


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Record a heartbeat in Redis every WORKER_HEARTBEAT_SECONDS for GET /healthz.

    It runs as a consumer step on the worker's own event-loop timer rather than in a side thread, so the
    heartbeat stops when the worker stops consuming (broker connection lost, loop wedged), not only when
    the process dies. Celery stops and restarts consumer steps around a broker reconnection.
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self._timer_entry = None

    def start(self, parent) -> None:
        from django.conf import settings

        self._beat()
        self._timer_entry = parent.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, self._beat)

    def stop(self, parent) -> None:
        if self._timer_entry is not None:
            self._timer_entry.cancel()
            self._timer_entry = None

    shutdown = stop

    @staticmethod
    def _beat() -> None:
        from carecase.health import record_worker_heartbeat

        try:
            record_worker_heartbeat()
        except Exception:  # Redis briefly away: /healthz says so; the next tick tries again.
            logger.warning("Could not record the worker heartbeat in Redis", exc_info=True)


app.steps["consumer"].add(WorkerHeartbeat)
