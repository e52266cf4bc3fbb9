"""Keep-in-touch scheduling over weeks of simulated time: the band's interval from each contact, the daily
sweep putting the contact in the duty worktray on its day (not before), overdue after the band's grace in
working days, a new band setting a new date, and the waiting clock never moving."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from carecase.waiting import figures, reminders
from carecase.waiting import services as w

pytestmark = pytest.mark.django_db

MONDAY_9AM = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def day(traveller, date):
    traveller.move_to(dt.datetime.combine(date, dt.time(9), tzinfo=dt.UTC))


def tray(team):
    return [r.entry_id for r in reminders.duty_worktray(team)]


def test_a_wait_through_four_weeks_from_high_to_urgent_to_allocated(person, practitioner, team):
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        joined = timezone.localdate()
        entry = w.entry_create(person=person, queue="assessment", team=team, by=practitioner.user, band="high",
                               note="Lives alone after a fall")
        assert entry.next_contact_due == joined + dt.timedelta(days=14)

        # Every morning's sweep: nothing in the tray until the contact's day.
        for offset in range(14):
            day(traveller, joined + dt.timedelta(days=offset))
            reminders.sweep_due_reminders()
            assert tray(team) == []
        due = joined + dt.timedelta(days=14)  # Monday 16 November
        day(traveller, due)
        reminders.sweep_due_reminders()
        assert tray(team) == [entry.id]
        entry.refresh_from_db()
        assert not figures.is_contact_overdue(entry, due)
        # High priority: 2 working days' grace, so overdue on Thursday 19th, not Wednesday 18th.
        assert not figures.is_contact_overdue(entry, due + dt.timedelta(days=2))
        assert figures.is_contact_overdue(entry, due + dt.timedelta(days=3))

        # The contact is made on the Wednesday: out of the tray, next one 14 days from that day.
        day(traveller, due + dt.timedelta(days=2))
        w.keep_in_touch_record(entry=entry, by=practitioner.user, made_contact=True, result="changed",
                               summary="Rang her", body="Fell again at the weekend.")
        entry.refresh_from_db()
        assert entry.next_contact_due == due + dt.timedelta(days=16)
        assert tray(team) == []

        # Circumstances changed: urgent now, so 7 days from today; the wait still counts from joining.
        w.entry_reprioritise(entry=entry, by=practitioner.user, checklist={}, reason="keep_in_touch", band="urgent",
                             note="Second fall, no one at home")
        entry.refresh_from_db()
        assert entry.next_contact_due == due + dt.timedelta(days=9) and entry.waiting_since == joined

        # Nobody rings: the sweep puts it in the tray on its day, once, and it is overdue the next working day
        # after the 1-day grace (due Wednesday 25th: overdue Friday 27th).
        urgent_due = entry.next_contact_due
        for offset in range(3):
            day(traveller, urgent_due + dt.timedelta(days=offset))
            reminders.sweep_due_reminders()
        assert tray(team) == [entry.id]
        assert entry.reminders.count() == 2
        assert [figures.is_contact_overdue(entry, urgent_due + dt.timedelta(days=k)) for k in range(3)] == [
            False, False, True]

        # Allocated at last: off the list and out of the tray; the wait is measured from join to leave.
        day(traveller, urgent_due + dt.timedelta(days=3))
        w.entry_leave(entry=entry, by=practitioner.user, reason="allocated")
        entry.refresh_from_db()
        assert tray(team) == [] and (entry.left_on - entry.waiting_since).days == 26
