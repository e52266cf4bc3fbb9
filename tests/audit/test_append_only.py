"""The access log and the reasons given are append-only: the database itself refuses changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from carecase.audit.access import log_reads
from carecase.audit.models import AccessAction, AccessBasis, AccessReason, RecordAccessEvent
from carecase.audit.services import give_reason

pytestmark = pytest.mark.django_db



def refused():
    """The pgtrigger Protect trigger raised inside the database."""
    return pytest.raises(DatabaseError, match="pgtrigger: Cannot update or delete rows")


@pytest.fixture
def event(person, practitioner):
    log_reads(practitioner.user, [person.pk], action=AccessAction.VIEW, resource="case notes",
              basis=AccessBasis.TEAM)
    return RecordAccessEvent.objects.get()


@pytest.fixture
def reason(person, other_practitioner):
    return give_reason(user=other_practitioner.user, person=person, reason="Covering the duty rota today")


def test_access_event_cannot_be_updated(event):
    event.resource = "nothing to see"
    with refused(), transaction.atomic():
        event.save()
    with refused(), transaction.atomic():
        RecordAccessEvent.objects.update(basis=AccessBasis.SENIOR)
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_recordaccessevent SET user_id = user_id")
    event.refresh_from_db()
    assert (event.resource, event.basis) == ("case notes", AccessBasis.TEAM)


def test_access_event_cannot_be_deleted(event):
    with refused(), transaction.atomic():
        event.delete()
    with refused(), transaction.atomic():
        RecordAccessEvent.objects.all().delete()
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_recordaccessevent")
    assert RecordAccessEvent.objects.filter(pk=event.pk).exists()


def test_access_reason_cannot_be_extended_or_deleted(reason):
    expires_at = reason.expires_at
    with refused(), transaction.atomic():
        AccessReason.objects.filter(pk=reason.pk).update(expires_at=expires_at.replace(year=2099))
    with refused(), transaction.atomic():
        reason.delete()
    reason.refresh_from_db()
    assert reason.expires_at == expires_at


def test_new_events_can_still_be_added(event, person, practitioner):
    log_reads(practitioner.user, [person.pk, person.pk], action=AccessAction.SEARCH, resource="search result",
              basis=AccessBasis.TEAM, path="/" + "x" * 400)
    assert RecordAccessEvent.objects.count() == 3
    assert len(RecordAccessEvent.objects.filter(action=AccessAction.SEARCH).first().path) == 300
