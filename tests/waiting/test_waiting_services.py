"""Waiting-list entries: joining, priority from the rules with overrides kept, keep-in-touch contacts and
leaving; the waiting clock never resets."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase.audit.access import ReasonRequired
from carecase.records.models import CaseNote
from carecase.waiting import services as w
from carecase.waiting.models import PriorityChange, WaitingListEntry

pytestmark = pytest.mark.django_db

RISKY = {"lives_alone": True, "recent_fall": True, "no_network": True}


def join(person, practitioner, team, **kwargs):
    return w.entry_create(person=person, queue="assessment", team=team, by=practitioner.user, **kwargs)


def test_join_with_the_suggested_band_and_the_next_contact_date(person, practitioner, team):
    entry = join(person, practitioner, team, checklist=RISKY)
    suggested = waiting_priority.suggest(RISKY).band
    assert entry.band == entry.suggested_band == suggested != "not_rated"
    assert entry.next_contact_due == timezone.localdate() + dt.timedelta(days=waiting_priority.interval_days(suggested))
    change = PriorityChange.objects.get(entry=entry)
    assert (change.from_band, change.to_band, change.reason) == ("", suggested, "triage")


def test_no_answers_is_not_yet_rated_and_due_tomorrow(person, practitioner, team):
    entry = join(person, practitioner, team)
    assert entry.band == "not_rated"
    assert entry.next_contact_due == timezone.localdate() + dt.timedelta(days=1)


def test_override_needs_a_note_and_is_kept(person, practitioner, team):
    with pytest.raises(ValidationError, match="different priority"):
        join(person, practitioner, team, checklist=RISKY, band="low")
    entry = join(person, practitioner, team, checklist=RISKY, band="low", note="Daughter has moved in for a month")
    change = PriorityChange.objects.get(entry=entry)
    assert change.to_band == "low" and change.suggested_band != "low" and "Daughter" in change.note


def test_one_open_entry_per_queue_and_unknown_answers_refused(person, practitioner, team):
    join(person, practitioner, team)
    with pytest.raises(ValidationError, match="already waiting"):
        join(person, practitioner, team)
    with pytest.raises(ValidationError):
        w.entry_create(person=person, queue="occupational_therapy", team=team, by=practitioner.user,
                       checklist={"owns_a_cat": True})


def test_reprioritising_keeps_the_waiting_clock(person, practitioner, team):
    started = timezone.localdate() - dt.timedelta(days=200)
    entry = join(person, practitioner, team, waiting_since=started)
    w.entry_reprioritise(entry=entry, by=practitioner.user, checklist=RISKY, reason="circumstances")
    entry.refresh_from_db()
    assert entry.waiting_since == started and entry.band == waiting_priority.suggest(RISKY).band
    assert list(entry.priority_changes.values_list("reason", flat=True)) == ["triage", "circumstances"]
    with pytest.raises(Exception, match="Cannot"), transaction.atomic():
        PriorityChange.objects.filter(entry=entry).update(note="rewritten")


def test_keep_in_touch_records_a_case_note_and_moves_the_date(person, practitioner, team):
    entry = join(person, practitioner, team, checklist=RISKY)
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        contact = w.keep_in_touch_record(entry=entry, by=practitioner.user, made_contact=True, result="no_change",
                                         summary="Rang Mohan while he waits", body="Managing; daughter shopping.")
        today = timezone.localdate()
    entry.refresh_from_db()
    assert CaseNote.objects.get(pk=contact.case_note_id).summary == "Rang Mohan while he waits"
    assert entry.next_contact_due == today + dt.timedelta(days=waiting_priority.interval_days(entry.band))


def test_no_longer_needed_takes_them_off_the_list(person, practitioner, team):
    entry = join(person, practitioner, team)
    w.keep_in_touch_record(entry=entry, by=practitioner.user, made_contact=True, result="no_longer_needed",
                           summary="Family arranging private care", body="They no longer want an assessment.")
    entry.refresh_from_db()
    assert entry.left_on == timezone.localdate() and entry.exit_reason == "no_longer_needed"
    assert entry.next_contact_due is None


def test_leaving_needs_a_reason_and_other_needs_a_note(person, practitioner, team):
    entry = join(person, practitioner, team)
    with pytest.raises(ValidationError):
        w.entry_leave(entry=entry, by=practitioner.user, reason="bored")
    with pytest.raises(ValidationError, match="Say why"):
        w.entry_leave(entry=entry, by=practitioner.user, reason="other")
    w.entry_leave(entry=entry, by=practitioner.user, reason="allocated")
    assert not WaitingListEntry.objects.filter(left_on__isnull=True).exists()
    join(person, practitioner, team)  # can join the same queue again later


def test_outside_the_team_needs_a_reason(person, other_practitioner, other_team):
    with pytest.raises(ReasonRequired):
        w.entry_create(person=person, queue="assessment", team=other_team, by=other_practitioner.user)


def test_reading_entries_is_scoped_and_logged(person, practitioner, other_practitioner, team):
    from carecase.audit.models import RecordAccessEvent
    from carecase.waiting.selectors import entry_for

    entry = join(person, practitioner, team)
    assert entry_for(user=practitioner.user, entry_id=entry.id).id == entry.id
    assert RecordAccessEvent.objects.filter(person=person, resource="waiting list entry").exists()
    with pytest.raises(ReasonRequired):
        entry_for(user=other_practitioner.user, entry_id=entry.id)


def test_a_contact_for_an_assessment_joins_the_waiting_list_once(person, practitioner, team):
    from carecase import codes
    from carecase.records import services as record_services

    received = timezone.now() - dt.timedelta(days=3)
    contact = record_services.contact_create(
        person=person, by=practitioner.user, received_at=received, route_of_access=codes.RouteOfAccess.COMMUNITY,
        made_by="family", reason="Mum cannot manage the stairs", outcome=codes.EventOutcome.ASSESSMENT)
    entry = WaitingListEntry.objects.get(person=person, queue="assessment", left_on__isnull=True)
    assert entry.contact == contact and entry.waiting_since == timezone.localtime(received).date()
    assert entry.team == team and entry.band == "not_rated"
    record_services.contact_create(
        person=person, by=practitioner.user, received_at=timezone.now(), route_of_access=codes.RouteOfAccess.COMMUNITY,
        made_by="person", reason="Chasing the assessment", outcome=codes.EventOutcome.ASSESSMENT)
    assert WaitingListEntry.objects.filter(person=person, queue="assessment").count() == 1


def test_other_outcomes_do_not_join_a_list(person, practitioner):
    from carecase import codes
    from carecase.records import services as record_services

    open_contact = record_services.contact_create(
        person=person, by=practitioner.user, received_at=timezone.now(), route_of_access=codes.RouteOfAccess.COMMUNITY,
        made_by="family", reason="Advice about blue badges", outcome=codes.EventOutcome.NFA_INFO)
    assert not WaitingListEntry.objects.exists()
    assert open_contact.outcome
