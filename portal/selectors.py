"""Reads for staff about the portal: the duty tasks a team must do, with names through the access check."""

from __future__ import annotations

from .models import DutyTask, DutyTaskStatus


def open_duty_tasks(team):
    """The team's duty tasks not yet done, most urgent and oldest first."""
    return (DutyTask.objects.filter(team=team, status=DutyTaskStatus.OPEN)
            .select_related("self_review").order_by("-is_urgent", "due_on", "id"))
