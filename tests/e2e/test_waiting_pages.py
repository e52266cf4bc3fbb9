"""Waiting lists in a real browser: adding a person to the assessment list while the suggested priority
changes live (htmx, evaluated on the server), then recording a keep-in-touch contact; axe on every page."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from carecase.records.models import CaseNote
from carecase.waiting.models import KeepInTouchContact, PriorityChange, WaitingListEntry
from tests.factories import PersonFactory

from .conftest import assert_accessible, sign_in

LIVES_ALONE = "Does the person live alone?"
NO_NETWORK = "Does the person have no family, friends or neighbours who can help?"


def test_add_to_the_assessment_list_and_keep_in_touch(page, world):
    mohan = world["mohan"]
    sign_in(page, "asha")
    page.goto(f"/people/{mohan.id}/waiting/")
    expect(page.get_by_text("is not waiting for anything at the moment")).to_be_visible()
    expect(page.get_by_label("Team")).to_have_value(str(world["east"].id))
    assert_accessible(page)

    # The suggested priority changes as the checklist is answered; nothing is saved meanwhile.
    band = page.locator("#suggestion-live .cc-suggested-band")
    choice = page.locator("#suggested-choice")
    expect(band).to_have_text("Low")
    page.get_by_label("Needs assessment").check()
    page.get_by_label(LIVES_ALONE).check()
    expect(band).to_have_text("Medium")
    expect(choice).to_have_text("Medium")
    page.get_by_label(NO_NETWORK).check()
    expect(band).to_have_text("High")
    expect(choice).to_have_text("High")
    expect(page.locator("#suggestion-live")).to_contain_text("Lives alone with no family, friends or neighbours")
    assert not WaitingListEntry.objects.exists()
    assert_accessible(page)

    # A different priority needs a reason; the answers are kept.
    page.get_by_role("group", name="Priority").get_by_label("Low", exact=True).check()
    page.get_by_role("button", name="Add to the waiting list").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you chose a different priority")
    expect(page.get_by_label(NO_NETWORK)).to_be_checked()
    expect(band).to_have_text("High")
    assert_accessible(page)
    page.get_by_label(re.compile("Use the suggested priority")).check()
    page.get_by_role("button", name="Add to the waiting list").click()

    expect(page.get_by_role("alert")).to_contain_text("added to the Needs assessment waiting list with high priority")
    entry = WaitingListEntry.objects.get(person=mohan)
    assert entry.band == "high" and PriorityChange.objects.filter(entry=entry).count() == 1
    assert_accessible(page)

    # A keep-in-touch contact: a case note, and the next date set from the band.
    page.get_by_role("group", name="Did you speak to them (or their representative)?").get_by_label("Yes").check()
    page.get_by_label("No change").check()
    page.get_by_label("Summary").fill("Rang Mohan while he waits")
    page.get_by_label("What was said").fill("Managing with a neighbour's help. Gave the duty number.")
    page.get_by_role("button", name="Save the contact").click()
    expect(page.get_by_role("alert")).to_contain_text("has been recorded as a case note")
    expect(page.get_by_role("link", name="Rang Mohan while he waits")).to_be_visible()
    due = timezone.localdate() + dt.timedelta(days=14)
    expect(page.locator("#next-contact")).to_contain_text(f"{due.day} {due:%B %Y}")
    assert KeepInTouchContact.objects.filter(entry=entry).count() == 1
    assert CaseNote.objects.filter(person=mohan, summary="Rang Mohan while he waits").exists()
    assert_accessible(page)


def test_the_duty_worktray_leads_to_the_keep_in_touch_form(page, world):
    from carecase.waiting import reminders

    today = timezone.localdate()
    # Someone waiting for the east team (joined from a contact) but not allocated to anyone: the team can
    # still open their record.
    nasreen = PersonFactory(given_name="Nasreen", family_name="Akhtar")
    WaitingListEntry.objects.create(person=nasreen, queue="assessment", team=world["east"], band="medium",
                                    suggested_band="medium", waiting_since=today - dt.timedelta(days=60),
                                    next_contact_due=today - dt.timedelta(days=10), created_by=world["leader"].user)
    reminders.sweep_due_reminders(today=today)

    sign_in(page, "asha")
    page.get_by_role("link", name=re.compile(r"Keep-in-touch contacts due .*\(1\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Duty worktray")
    row = page.get_by_role("row", name=re.compile("Nasreen Akhtar"))
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Medium")
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Nasreen Akhtar")).click()
    expect(page.get_by_role("heading", name="Record a keep-in-touch contact")).to_be_visible()
