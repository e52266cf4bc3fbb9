"""Writes to the access rules: reasons given to open a record, and grants to restricted records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carecase.staff.models import Role

from .access import Level, NoAccess, access_for, staff_member
from .models import AccessReason, RestrictedAccessGrant


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




@transaction.atomic
def grant_access(*, person, user, granted_by, reason: str) -> RestrictedAccessGrant:
    """Name a member of staff who may open a restricted record. Only senior managers and those already
    granted may grant."""
    granter = staff_member(granted_by)
    if granter is None or not (
        granter.role == Role.SENIOR_MANAGER
        or RestrictedAccessGrant.objects.filter(person=person, user=granted_by, revoked_at__isnull=True).exists()
    ):
        raise NoAccess("Only a senior manager or someone already named on this record can grant access.")
    existing = RestrictedAccessGrant.objects.filter(person=person, user=user, revoked_at__isnull=True).first()
    if existing:
        return existing
    return RestrictedAccessGrant.objects.create(person=person, user=user, granted_by=granted_by, reason=reason)


@transaction.atomic
def revoke_access(*, grant: RestrictedAccessGrant, revoked_by) -> RestrictedAccessGrant:
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    return grant
