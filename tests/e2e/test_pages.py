"""Each page a member of staff uses, in a real browser, with an axe check (WCAG 2.2 A and AA)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from carecase.audit.models import AccessReason, RecordAccessEvent
from carecase.records.models import CaseNote

from .conftest import assert_accessible, sign_in


def test_sign_in_page_and_wrong_password(page, world):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)
    page.get_by_label("Username").fill("asha")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Username").input_value() == "asha"
    assert_accessible(page)


def test_worktray_search_and_person_page(page, world):
    sign_in(page, "asha")
    expect(page.get_by_role("heading", name="Your worktray")).to_be_visible()
    expect(page.get_by_role("link", name="Mohan Patel")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Find a person").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("patle mohan")  # typo and reversed order
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Mohan Patel").click()
    expect(page.get_by_role("heading", name=re.compile("Mohan Patel"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Person record sections")).to_be_visible()
    assert_accessible(page)
    assert RecordAccessEvent.objects.filter(person=world["mohan"], user=world["worker"].user, action="view").exists()


def test_search_errors_keep_answers(page, world):
    sign_in(page, "asha")
    page.goto("/search/?name=&nhs_number=12345")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=re.compile("NHS number with 10 digits"))).to_be_visible()
    assert page.get_by_label("NHS number").input_value() == "12345"
    assert_accessible(page)


def test_opening_a_record_outside_the_team_asks_for_a_reason(page, world):
    sign_in(page, "asha")
    page.goto(f"/people/{world['elsewhere'].id}/")
    expect(page.get_by_role("heading", name="This person is not allocated to your team")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why do you need to open this record?").fill("Duty call from her son about a fall at home")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name=re.compile("Margaret Smith"))).to_be_visible()
    assert AccessReason.objects.filter(person=world["elsewhere"], user=world["worker"].user).count() == 1


def test_case_notes_add_with_errors_then_addendum(page, world):
    sign_in(page, "asha")
    page.goto(f"/people/{world['mohan'].id}/case-notes/")
    assert_accessible(page)
    page.get_by_label("Summary").fill("Phone call with daughter")
    page.get_by_role("button", name="Save case note").click()
    # Nothing typed is lost when the note is incomplete.
    expect(page.get_by_role("alert").get_by_text("Enter the date of the visit, call or meeting")).to_be_visible()
    assert page.get_by_label("Summary").input_value() == "Phone call with daughter"
    assert_accessible(page)

    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("Note", exact=True).fill("Priya says her dad is eating less since the winter.")
    page.get_by_role("button", name="Save case note").click()
    expect(page.get_by_text("Your case note has been added.")).to_be_visible()
    assert CaseNote.objects.filter(person=world["mohan"], summary="Phone call with daughter").exists()

    page.get_by_role("link", name="Add an addendum to: First visit").click()
    assert_accessible(page)
    page.get_by_label("Addendum").fill("Daughter confirmed the visit time.")
    page.get_by_role("button", name="Save addendum").click()
    expect(page.get_by_text("Daughter confirmed the visit time.")).to_be_visible()
    assert_accessible(page)


def test_other_person_pages(page, world):
    sign_in(page, "leader")
    pid = world["mohan"].id
    for path in (f"/people/{pid}/contacts/", f"/people/{pid}/contacts/new/", f"/people/{pid}/relationships/",
                 f"/people/{pid}/allocation/", f"/people/{pid}/access-log/", f"/people/{pid}/edit/",
                 f"/people/{pid}/history/",
                 "/people/new/", "/teams/", "/accessibility/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def test_add_person_warns_about_duplicates(page, world):
    sign_in(page, "asha")
    mohan = world["mohan"]
    page.goto("/people/new/")
    page.get_by_label("First name").fill("Mohan")
    page.get_by_label("Last name").fill("Pattel")
    dob = page.get_by_role("group", name="Date of birth")
    dob.get_by_label("Day").fill(str(mohan.date_of_birth.day))
    dob.get_by_label("Month").fill(str(mohan.date_of_birth.month))
    dob.get_by_label("Year").fill(str(mohan.date_of_birth.year))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This person may already be on CareCase")).to_be_visible()
    assert page.get_by_label("Last name").input_value() == "Pattel"
    assert_accessible(page)


def test_restriction_page(page, world):
    sign_in(page, "leader")
    page.goto(f"/people/{world['mohan'].id}/restriction/")
    assert_accessible(page)
    page.get_by_role("button", name="Restrict this record").click()
    expect(page.get_by_role("alert").get_by_text("Say why the record must be restricted")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why must this record be restricted?").fill("Her son is a member of council staff")
    page.get_by_role("button", name="Restrict this record").click()
    expect(page.get_by_role("heading", name="Who can open this restricted record")).to_be_visible()
    expect(page.get_by_text("Restricted record").first).to_be_visible()
    assert_accessible(page)


def test_staff_account_pages(page, world):
    from tests.factories import StaffFactory

    StaffFactory(user__username="sysadmin", user__first_name="Tom", user__last_name="Hextall", role="administrator",
                 team=None, job_title="Systems administrator")
    sign_in(page, "sysadmin")
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a member of staff").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.goto("/staff/")
    assert_accessible(page)
    page.get_by_role("link", name="Change Asha Mistry").click()
    assert_accessible(page)
    page.goto("/accounts/password/")
    assert_accessible(page)
