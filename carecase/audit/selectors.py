"""Reads of the access rules and the access log for one person: only after the record is opened."""

from __future__ import annotations

from carecase.people.selectors import person_for_user

from .models import AccessReason, RecordAccessEvent, RestrictedAccessGrant


def restriction_for(*, user, person_id: int, path: str = ""):
    """The person and the names on their restricted record (live first, then removed)."""
    person = person_for_user(user=user, person_id=person_id, resource="restriction", path=path)
    grants = (
        RestrictedAccessGrant.objects.filter(person=person)
        .select_related("user", "granted_by")
        .order_by("revoked_at", "-granted_at")
    )
    return person, list(grants)


def access_log_for(*, person):
    """Who has read the record, newest first, and the reasons given. The caller has checked
    can_see_access_log for an opened record."""
    events = RecordAccessEvent.objects.filter(person=person).select_related("user")
    reasons = AccessReason.objects.filter(person=person).select_related("user")
    return events, reasons
