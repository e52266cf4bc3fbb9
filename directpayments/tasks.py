"""Celery entry points for direct payments: thin wrappers around reminders.py."""

from __future__ import annotations

import dataclasses

from celery import shared_task

from carecase.audit.history import acting_as
from carecase.waiting.tasks import _follow_up_if_claims_left, _worker_name

from . import reminders

RETURNS_TASK = "directpayments.tasks.sweep_return_reminders"
MESSAGES_TASK = "directpayments.tasks.send_assistant_messages"
DBS_TASK = "directpayments.tasks.sweep_dbs_reminders"


@shared_task(bind=True, name=RETURNS_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_return_reminders(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The daily sweep (beat, 07:10 London time): returns 4 weeks overdue, a reminder each to the recipient
    and the officer, exactly once. `pause_after_claim_seconds` is for the killed-worker test only."""
    with acting_as(source="task:dp_return_reminders"):
        counts = reminders.sweep_return_reminders(worker=_worker_name(self),
                                                  pause_after_claim_seconds=pause_after_claim_seconds)
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)


@shared_task(bind=True, name=MESSAGES_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_assistant_messages(self, *, follow_up: bool = False) -> dict:
    """Broadcast emails to personal assistants, each exactly once."""
    with acting_as(source="task:pa_messages"):
        counts = reminders.send_assistant_messages(worker=_worker_name(self))
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)


@shared_task(bind=True, name=DBS_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_dbs_reminders(self, *, follow_up: bool = False) -> dict:
    """The daily sweep (beat, 07:20 London time): an email to the direct payments officers 30 days before a
    personal assistant's DBS renewal date, exactly once per assistant and renewal date."""
    with acting_as(source="task:pa_dbs_reminders"):
        counts = reminders.sweep_dbs_reminders(worker=_worker_name(self))
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)
