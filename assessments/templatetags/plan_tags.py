"""The worktray's count of plans waiting for the signed-in approver's decision."""

from __future__ import annotations

from django import template

from assessments import selectors

register = template.Library()


@register.simple_tag
def plans_waiting_count(user) -> int:
    """How many plans wait for this user's decision (a count: no person is named or logged)."""
    return selectors.approval_queue_count(user=user)
