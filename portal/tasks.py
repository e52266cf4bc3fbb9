"""Celery entry point for self-review invitations: a thin wrapper around portal/invites.py."""

from __future__ import annotations

import dataclasses

from celery import shared_task

from carecase.audit.history import acting_as
from carecase.waiting.tasks import _follow_up_if_claims_left, _worker_name

from . import invites

INVITES_TASK = "portal.tasks.send_self_review_invitations"


@shared_task(bind=True, name=INVITES_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_self_review_invitations(self, *, follow_up: bool = False) -> dict:
    """Daily (beat, 07:30 London time): invitations for self-review route reviews due within 6 weeks."""
    with acting_as(source="task:self_review_invitations"):
        counts = invites.sweep(worker=_worker_name(self))
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)
