"""Reads of teams, staff, allocations and worktrays."""

from __future__ import annotations

from django.db.models import Count, Q

from carecase.audit.access import open_record, staff_member

from .models import Allocation, Role, StaffMember, Team


def teams_list():
    return Team.objects.filter(is_active=True).annotate(
        open_cases=Count("allocations", filter=Q(allocations__ended_at__isnull=True))
    )


def staff_list(*, team_id: int | None = None, include_closed: bool = False):
    qs = StaffMember.objects.select_related("user", "team")
    if not include_closed:
        qs = qs.filter(user__is_active=True)
    if team_id:
        qs = qs.filter(team_id=team_id)
    return qs


def current_allocation(person_id: int) -> Allocation | None:
    return (
        Allocation.objects.select_related("team", "worker__user")
        .filter(person_id=person_id, ended_at__isnull=True)
        .first()
    )


def allocation_history(*, user, person, path: str = ""):
    open_record(user, person, resource="allocation history", path=path)
    return list(
        Allocation.objects.filter(person=person).select_related("team", "worker__user", "allocated_by")
    )


def worktray_allocations(*, user):
    """The open allocations a worker holds, or for a team leader, their team's; oldest first."""
    staff = staff_member(user)
    if staff is None:
        return Allocation.objects.none()
    qs = Allocation.objects.filter(ended_at__isnull=True).select_related("person", "team", "worker__user")
    if staff.role == Role.TEAM_LEADER and staff.team_id:
        return qs.filter(team_id=staff.team_id).order_by("worker__user__last_name", "started_at")
    return qs.filter(worker=staff).order_by("started_at")
