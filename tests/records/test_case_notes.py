"""Case notes are a legal record: correctable by their author for 24 hours, then only added to."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from carecase.audit.access import ReasonRequired
from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.audit.services import give_reason
from carecase.records.models import CaseNote, CaseNoteAddendum, CaseNoteKind
from carecase.records.selectors import case_note_for, case_notes_for
from carecase.records.services import NoteLocked, addendum_create, case_note_create, case_note_update
from tests.factories import CaseNoteFactory, PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db

BODY = "Visited Mohan at home with his daughter. He wants to keep going to the temple on Sundays."


def refused():
    """A pgtrigger Protect trigger raised inside the database."""
    return pytest.raises(DatabaseError, match="pgtrigger: Cannot")


def write_note(person, by, **overrides):
    fields = {
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
        "kind": CaseNoteKind.VISIT,
        "summary": "Home visit",
        "body": BODY,
    }
    return case_note_create(person=person, by=by, **{**fields, **overrides})


@pytest.fixture
def old_note(person, practitioner):
    """A note written 25 hours ago (created_at is set by the application clock, so travel to write it)."""
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25), tick=False):
        return write_note(person, practitioner.user)


def test_create_note(person, practitioner):
    note = write_note(person, practitioner.user, is_significant=True, kind=CaseNoteKind.OVERSIGHT)
    note.refresh_from_db()
    assert (note.person, note.author, note.kind, note.body, note.is_significant) == (
        person, practitioner.user, CaseNoteKind.OVERSIGHT, BODY, True
    )
    # A write is recorded by the change history, not as a read: the page's selector logs the read.
    assert not RecordAccessEvent.objects.exists()


def test_create_note_needs_full_access(person, other_practitioner):
    with pytest.raises(ReasonRequired):
        write_note(person, other_practitioner.user)
    assert not CaseNote.objects.exists()


def test_future_occurred_at_is_rejected(person, practitioner):
    with pytest.raises(ValidationError) as excinfo:
        write_note(person, practitioner.user, occurred_at=timezone.now() + dt.timedelta(hours=1))
    assert excinfo.value.message_dict == {"occurred_at": ["The date of the note cannot be in the future"]}
    # a few minutes of clock difference between devices is allowed
    write_note(person, practitioner.user, occurred_at=timezone.now() + dt.timedelta(minutes=4))


def test_a_correction_cannot_move_the_note_into_the_future(person, practitioner):
    note = write_note(person, practitioner.user)
    with pytest.raises(ValidationError) as excinfo:
        case_note_update(note=note, by=practitioner.user, occurred_at=timezone.now() + dt.timedelta(days=1))
    assert "occurred_at" in excinfo.value.message_dict
    note.refresh_from_db()
    assert note.occurred_at < timezone.now()


def test_a_note_needs_a_summary_and_a_kind_from_the_list(person, practitioner):
    with pytest.raises(ValidationError) as excinfo:
        write_note(person, practitioner.user, summary="", kind="gossip")
    assert set(excinfo.value.message_dict) == {"summary", "kind"}


def test_author_can_correct_within_24_hours(person, practitioner):
    note = write_note(person, practitioner.user)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23, minutes=59)):
        case_note_update(note=note, by=practitioner.user, body="Corrected: visited with his son.")
    note.refresh_from_db()
    assert note.body == "Corrected: visited with his son."


def test_others_cannot_correct_a_note_even_with_full_access(person, practitioner, team_leader):
    note = write_note(person, practitioner.user)
    with pytest.raises(NoteLocked):
        case_note_update(note=note, by=team_leader.user, body="Rewritten by someone else")
    note.refresh_from_db()
    assert note.body == BODY


def test_only_the_note_content_can_be_corrected(person, practitioner, team_leader):
    note = write_note(person, practitioner.user)
    with pytest.raises(TypeError):
        case_note_update(note=note, by=practitioner.user, author=team_leader.user)
    with pytest.raises(TypeError):
        case_note_update(note=note, by=practitioner.user, created_at=timezone.now())


def test_service_refuses_after_24_hours(person, practitioner):
    note = write_note(person, practitioner.user)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        with pytest.raises(NoteLocked, match="Add an addendum"):
            case_note_update(note=note, by=practitioner.user, body="Too late")
    note.refresh_from_db()
    assert note.body == BODY


def test_database_refuses_any_update_after_24_hours(old_note, practitioner):
    with pytest.raises(NoteLocked):
        case_note_update(note=old_note, by=practitioner.user, body="Rewritten")
    # even bypassing the service: the ORM, a bulk update and raw SQL
    old_note.body = "Rewritten"
    with refused(), transaction.atomic():
        old_note.save()
    with refused(), transaction.atomic():
        CaseNote.objects.filter(pk=old_note.pk).update(is_significant=True)
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_casenote SET body = 'Rewritten' WHERE id = %s", [old_note.pk])
    old_note.refresh_from_db()
    assert (old_note.body, old_note.is_significant) == (BODY, False)


def test_database_allows_updates_within_24_hours(person, practitioner):
    note = write_note(person, practitioner.user)
    CaseNote.objects.filter(pk=note.pk).update(summary="Phone call")
    note.refresh_from_db()
    assert note.summary == "Phone call"


def test_notes_can_never_be_deleted(old_note, person, practitioner):
    fresh_note = write_note(person, practitioner.user)
    for note in (old_note, fresh_note):
        with refused(), transaction.atomic():
            note.delete()
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_casenote")
    assert CaseNote.objects.count() == 2


def test_addendum_after_24_hours_keeps_the_original(old_note, practitioner, team_leader):
    first = addendum_create(note=old_note, by=practitioner.user, body="  The visit was on Tuesday, not Monday.  ")
    second = addendum_create(note=old_note, by=team_leader.user, body="Management oversight: agreed plan.")
    assert first.body == "The visit was on Tuesday, not Monday."
    old_note.refresh_from_db()
    assert old_note.body == BODY
    _person, notes = case_notes_for(user=practitioner.user, person_id=old_note.person_id)
    (note,) = list(notes)
    assert note.body == BODY
    assert [(a.pk, a.author) for a in note.addenda.all()] == [
        (first.pk, practitioner.user), (second.pk, team_leader.user)
    ]


def test_an_empty_addendum_is_refused(old_note, practitioner):
    with pytest.raises(ValidationError):
        addendum_create(note=old_note, by=practitioner.user, body="   ")


def test_addendum_needs_full_access(old_note, other_practitioner):
    with pytest.raises(ReasonRequired):
        addendum_create(note=old_note, by=other_practitioner.user, body="Not my team")
    assert not CaseNoteAddendum.objects.exists()


def test_addenda_cannot_be_edited_or_deleted(person, practitioner):
    note = write_note(person, practitioner.user)
    addendum = addendum_create(note=note, by=practitioner.user, body="Added the GP's name.")
    addendum.body = "Changed"
    with refused(), transaction.atomic():
        addendum.save()
    with refused(), transaction.atomic():
        addendum.delete()
    with refused(), transaction.atomic():
        CaseNoteAddendum.objects.update(body="Changed")
    addendum.refresh_from_db()
    assert addendum.body == "Added the GP's name."


def test_chronology_is_newest_first_with_addenda_in_two_queries(person, practitioner, django_assert_num_queries):
    now = timezone.now()
    older = CaseNoteFactory(person=person, author=practitioner.user, occurred_at=now - dt.timedelta(days=3))
    newer = CaseNoteFactory(person=person, author=practitioner.user, occurred_at=now - dt.timedelta(days=1),
                            is_significant=True)
    CaseNoteFactory()  # someone else's
    for i in range(5):
        addendum_create(note=older, by=practitioner.user, body=f"Addendum {i}")
    _person, notes = case_notes_for(user=practitioner.user, person_id=person.pk)
    with django_assert_num_queries(2):
        rows = [(n.pk, n.author.username, [a.author.username for a in n.addenda.all()]) for n in notes]
    assert [r[0] for r in rows] == [newer.pk, older.pk]
    assert len(rows[1][2]) == 5
    _person, significant = case_notes_for(user=practitioner.user, person_id=person.pk, significant_only=True)
    assert [n.pk for n in significant] == [newer.pk]


def test_reading_notes_is_logged_and_scoped(person, practitioner, other_practitioner):
    note = CaseNoteFactory(person=person, author=practitioner.user)
    case_notes_for(user=practitioner.user, person_id=person.pk, path="/people/1/notes/")
    assert case_note_for(user=practitioner.user, note_id=note.pk) == note
    with pytest.raises(ReasonRequired):
        case_note_for(user=other_practitioner.user, note_id=note.pk)
    events = list(RecordAccessEvent.objects.order_by("id").values_list("user_id", "action", "resource"))
    assert events == [
        (practitioner.user.pk, AccessAction.VIEW, "case notes"),
        (practitioner.user.pk, AccessAction.VIEW, "case note"),
        (other_practitioner.user.pk, AccessAction.DENIED, "case note"),
    ]


def test_a_colleague_in_the_same_team_can_add_but_not_rewrite(person, practitioner, team):
    colleague = StaffFactory(team=team)
    note = write_note(person, practitioner.user)
    addendum_create(note=note, by=colleague.user, body="Spoke to the daughter afterwards.")
    with pytest.raises(NoteLocked):
        case_note_update(note=note, by=colleague.user, body="Rewritten")


def test_unallocated_person_note_needs_a_reason_first(practitioner):
    stranger = PersonFactory()
    with pytest.raises(ReasonRequired):
        write_note(stranger, practitioner.user)
    give_reason(user=practitioner.user, person=stranger, reason="Front door duty: first contact call")
    assert write_note(stranger, get_user_model().objects.get(pk=practitioner.user.pk)).pk
