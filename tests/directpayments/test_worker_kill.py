"""The overdue-return reminders survive a real Celery worker killed after its claim (real time: the worker is
another process, so these tests do not travel in time)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from carecase.outbox import STALE_CLAIM_AFTER
from directpayments import reminders
from directpayments.models import AccountReturn, ReturnReminder
from tests.infra.conftest import private_redis  # noqa: F401 (fixture)

from .conftest import D


def sweep(today, **kwargs):
    return reminders.sweep_return_reminders(today=today, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_killed_after_its_claim_loses_and_doubles_nothing(dp_plan, dp_officer, private_redis,  # noqa: F811
                                                                         tmp_path):
    """A real Celery worker runs the beat's task, claims the reminders and is killed before sending: the next
    sweeps leave its fresh claim alone, then take it up once stale, and each reminder is sent once. (Real
    time here: the worker is another process.)"""
    import os

    from carecase.outbox import OutboxStatus as Status
    from directpayments.tasks import RETURNS_TASK
    from tests.infra.conftest import kill_worker_after_claim

    from .conftest import active_agreement

    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        agreement = active_agreement(dp_plan, dp_officer, recipient_email="mohan.patel@example.org")
    today = timezone.localdate()
    AccountReturn.objects.create(agreement=agreement, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31),
                                 due_on=today - dt.timedelta(days=40))
    kill_worker_after_claim(
        task=RETURNS_TASK, expected=2, redis_url=private_redis, log_path=tmp_path / "worker.log",
        hostname=f"dp-return-kill-{os.getpid()}",
        claimed=lambda host: ReturnReminder.objects.filter(status=Status.CLAIMED, claimed_by__startswith=host))
    made = ReturnReminder.objects.count()
    assert made >= 2 and not ReturnReminder.objects.filter(status=Status.DONE).exists()

    fresh = sweep(today, worker="second")
    assert (fresh.created, fresh.delivered, fresh.claimed_elsewhere) == (0, 0, made)
    later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    stale = sweep(today, worker="second", now=later)
    assert (stale.reclaimed, stale.delivered) == (made, made)
    assert sweep(today, worker="third", now=later).delivered == 0
    assert len(mail.outbox) == made
    assert sorted(m.extra_headers["X-CareCase-Reference"] for m in mail.outbox) == sorted(
        ReturnReminder.objects.values_list("key", flat=True))
