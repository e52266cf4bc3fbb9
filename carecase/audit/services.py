"""Writes to the access rules: reasons given to open a record, and grants to restricted records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carecase.staff.models import Role

from .access import Level, NoAccess, access_for, opened_access, staff_member
from .models import AccessBasis, AccessReason, RestrictedAccessGrant


@transaction.atomic
def give_reason(*, user, person, reason: str) -> AccessReason:
    """Record why the user needs a record outside their team; it then opens for ACCESS_REASON_HOURS."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValueError("Say why you need to open this record, in at least 10 characters")
    access = access_for(user, person)
    if access.level < Level.LIMITED:
        raise NoAccess("You cannot open this record by giving a reason.")
    return AccessReason.objects.create(
        user=user,
        person=person,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=settings.ACCESS_REASON_HOURS),
    )




def _can_manage_restriction(user, person) -> bool:
    """Senior managers, and anyone already named on a restricted record, manage who else may open it."""
    staff = staff_member(user)
    if staff is None:
        return False
    if staff.role == Role.SENIOR_MANAGER:
        return True
    return RestrictedAccessGrant.objects.filter(person=person, user=user, revoked_at__isnull=True).exists()


def can_restrict(user, person) -> bool:
    """Who may restrict a record: senior managers, the team leader of its team, or anyone named on it."""
    staff = staff_member(user)
    if staff is None:
        return False
    if staff.role == Role.SENIOR_MANAGER:
        return True
    # A live grant always decides access first, so the basis says whether the user is named on the record.
    basis = opened_access(user, person).basis
    return basis == AccessBasis.GRANT or (staff.role == Role.TEAM_LEADER and basis == AccessBasis.TEAM)


@transaction.atomic
def grant_access(*, person, user, granted_by, reason: str) -> RestrictedAccessGrant:
    """Name a member of staff who may open a restricted record."""
    if not _can_manage_restriction(granted_by, person):
        raise NoAccess("Only a senior manager or someone already named on this record can grant access.")
    if not (reason or "").strip():
        raise ValueError("Say why they need access")
    if staff_member(user) is None:
        raise ValueError("That account has no CareCase role, so it cannot be given access")
    existing = RestrictedAccessGrant.objects.filter(person=person, user=user, revoked_at__isnull=True).first()
    if existing:
        return existing
    return RestrictedAccessGrant.objects.create(person=person, user=user, granted_by=granted_by, reason=reason.strip())


@transaction.atomic
def revoke_access(*, grant: RestrictedAccessGrant, revoked_by) -> RestrictedAccessGrant:
    if not _can_manage_restriction(revoked_by, grant.person):
        raise NoAccess("Only a senior manager or someone named on this record can remove access.")
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = revoked_by
        grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant


@transaction.atomic
def restrict_record(*, person, by, reason: str) -> None:
    """Restrict a record. The person restricting it and the allocated worker stay named on it, so it is
    never locked away from the people working with the person."""
    from carecase.staff.models import Allocation

    if not can_restrict(by, person):
        raise NoAccess("Only a senior manager or the team leader of the person's team can restrict a record.")
    if not (reason or "").strip():
        raise ValueError("Say why the record must be restricted")
    named = {by.pk: by}
    allocation = Allocation.objects.select_related("worker__user").filter(person=person, ended_at__isnull=True).first()
    if allocation and allocation.worker:
        named[allocation.worker.user.pk] = allocation.worker.user
    for user in named.values():
        if not RestrictedAccessGrant.objects.filter(person=person, user=user, revoked_at__isnull=True).exists():
            RestrictedAccessGrant.objects.create(person=person, user=user, granted_by=by,
                                                 reason=f"Named when the record was restricted: {reason.strip()}")
    type(person).objects.filter(pk=person.pk).update(is_restricted=True)
    person.is_restricted = True


@transaction.atomic
def lift_restriction(*, person, by) -> None:
    if not _can_manage_restriction(by, person):
        raise NoAccess("Only a senior manager or someone named on this record can lift the restriction.")
    type(person).objects.filter(pk=person.pk).update(is_restricted=False)
    person.is_restricted = False
