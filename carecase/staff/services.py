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


TEAM_ROLES = {Role.PRACTITIONER, Role.TEAM_LEADER}


def _check_team(role: str, team: Team | None) -> None:
    if role in TEAM_ROLES and team is None:
        raise ValidationError({"team": "Practitioners and team leaders must be in a team. Choose their team"})


def _require_administrator(by) -> None:
    actor = staff_member(by)
    if actor is None or actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied("Only administrators can manage staff accounts.")


def _sync_role_group(user, role: str) -> None:
    """Keep the user's Django group and admin flag in step with their CareCase role."""
    role_groups = [Role(r).label for r in Role.values]
    user.groups.remove(*Group.objects.filter(name__in=role_groups))
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    user.groups.add(group)
    is_admin = role == Role.ADMINISTRATOR
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


@transaction.atomic
def staff_create(*, username: str, first_name: str, last_name: str, email: str, role: str, job_title: str,
                 team: Team | None = None, direct_phone: str = "", password: str | None = None) -> StaffMember:
    user = get_user_model().objects.create_user(
        username=username, first_name=first_name, last_name=last_name, email=email, password=password
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _sync_role_group(user, role)
    return StaffMember.objects.create(user=user, role=role, team=team, job_title=job_title, direct_phone=direct_phone)


@transaction.atomic
def staff_add_by_administrator(*, by, username: str, first_name: str, last_name: str, email: str, role: str,
                               job_title: str, team: Team | None, direct_phone: str,
                               temporary_password: str) -> StaffMember:
    """An administrator adds a member of staff with a temporary password they must change at first sign-in."""
    from django.contrib.auth import password_validation

    _require_administrator(by)
    _check_team(role, team)
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "There is already an account with this username. Choose another"})
    try:
        password_validation.validate_password(temporary_password, get_user_model()(username=username, email=email))
    except ValidationError as exc:
        raise ValidationError({"temporary_password": exc.messages}) from None
    staff = staff_create(username=username, first_name=first_name, last_name=last_name, email=email, role=role,
                         job_title=job_title, team=team, direct_phone=direct_phone, password=temporary_password)
    staff.must_change_password = True
    staff.save(update_fields=["must_change_password"])
    return staff


@transaction.atomic
def staff_update(*, staff: StaffMember, by, role: str, team: Team | None, job_title: str, direct_phone: str,
                 is_active: bool) -> StaffMember:
    """Change a member of staff's role, team or details, or close or reopen their account."""
    _require_administrator(by)
    _check_team(role, team)
    if staff.user_id == by.pk and (not is_active or role != Role.ADMINISTRATOR):
        raise ValidationError({"role": "You cannot remove your own administrator role or close your own account. "
                                       "Ask another administrator"})
    staff.role, staff.team, staff.job_title, staff.direct_phone = role, team, job_title, direct_phone
    staff.save(update_fields=["role", "team", "job_title", "direct_phone"])
    _sync_role_group(staff.user, role)
    if staff.user.is_active != is_active:
        staff.user.is_active = is_active
        staff.user.save(update_fields=["is_active"])
    return staff


@transaction.atomic
def password_changed(*, user) -> None:
    """The person has chosen their own password."""
    StaffMember.objects.filter(user=user, must_change_password=True).update(must_change_password=False)


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
