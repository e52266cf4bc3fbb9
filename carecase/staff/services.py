"""Writes to staff, teams and allocations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecase.audit.access import staff_member

from .models import Allocation, Role, StaffMember, Team

ALLOCATORS = {Role.TEAM_LEADER, Role.SENIOR_MANAGER}


@transaction.atomic
def staff_create(*, username: str, first_name: str, last_name: str, email: str, role: str, job_title: str,
                 team: Team | None = None, direct_phone: str = "", password: str | None = None) -> StaffMember:
    user = get_user_model().objects.create_user(
        username=username, first_name=first_name, last_name=last_name, email=email, password=password
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    user.groups.add(group)
    if role == Role.ADMINISTRATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return StaffMember.objects.create(user=user, role=role, team=team, job_title=job_title, direct_phone=direct_phone)


@transaction.atomic
def allocate(*, person, team: Team, worker: StaffMember | None, by, reason: str = "") -> Allocation:
    """Allocate a person's case, closing any open allocation so the history is kept."""
    allocator = staff_member(by)
    if allocator is None or (
        allocator.role not in ALLOCATORS and not (allocator.team_id and allocator.team_id == team.id)
    ):
        raise PermissionDenied("Only a team leader or senior manager can allocate to another team.")
    if worker is not None and worker.team_id != team.id:
        raise ValidationError({"worker": f"{worker.full_name} is not in {team.name}"})
    now = timezone.now()
    current = Allocation.objects.select_for_update().filter(person=person, ended_at__isnull=True).first()
    if current and allocator.role not in ALLOCATORS and current.team_id != allocator.team_id:
        # Otherwise a practitioner could take another team's case into their own and open it in full.
        raise PermissionDenied("Only a team leader or senior manager can move a case from another team.")
    if current and current.team_id == team.id and current.worker_id == (worker.id if worker else None):
        return current
    if current:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    return Allocation.objects.create(
        person=person, team=team, worker=worker, started_at=now, reason=reason, allocated_by=by
    )


@transaction.atomic
def deallocate(*, person, by, reason: str) -> None:
    allocator = staff_member(by)
    if allocator is None or allocator.role not in ALLOCATORS:
        raise PermissionDenied("Only a team leader or senior manager can close an allocation.")
    Allocation.objects.filter(person=person, ended_at__isnull=True).update(ended_at=timezone.now(), reason=reason)
