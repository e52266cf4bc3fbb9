"""The team leaders' waiting-list dashboard in a real browser: the figures, the longest waits, the weekly
chart and its table, choosing teams and priorities (remembered next time), a bad choice, the download and a
phone-sized screen; axe on every state."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.waiting import figures
from carecase.waiting.models import DashboardChoice, WaitingListEntry
from tests.factories import AllocationFactory, PersonFactory

from .conftest import assert_accessible, sign_in


@pytest.fixture
def waiting_world(world):
    """Thirty people waiting in the two teams, the low priority holding the oldest waits, and a year of
    weekly snapshots: rebuilt ones for the past, tonight's for today, and a few weeks missing."""
    rng = random.Random(4)
    today = timezone.localdate()
    east, west = world["east"], world["west"]
    for i in range(30):
        team = east if i % 3 else west
        band = ["urgent", "high", "medium", "medium", "low", "low", "not_rated"][i % 7]
        longest = {"urgent": 20, "high": 90, "medium": 300, "low": 700, "not_rated": 3}[band]
        person = PersonFactory()
        AllocationFactory(person=person, team=team)
        WaitingListEntry.objects.create(
            person=person, queue=rng.choice(["assessment", "assessment", "review", "occupational_therapy"]),
            team=team, band=band, suggested_band=band, created_by=world["leader"].user,
            waiting_since=today - dt.timedelta(days=rng.randint(0, longest)),
            next_contact_due=today + dt.timedelta(days=rng.randint(-20, 30)))
    for weeks_ago in range(52):
        if weeks_ago not in (5, 6, 30):  # no snapshot those nights: gaps, never guessed
            figures.take_snapshot(on=today - dt.timedelta(weeks=weeks_ago))
    return world


def test_the_dashboard_for_a_team_leader(page, waiting_world):
    east, west = waiting_world["east"], waiting_world["west"]
    sign_in(page, "leader")
    page.goto("/waiting/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting lists dashboard")
    # The first visit shows the team leader's own team.
    expect(page.locator("#dashboard-scope")).to_contain_text("in City East Locality Team, on all waiting lists")
    total = figures.summary(figures.Scope(teams=(east.id,)))["total"]
    expect(page.locator("#figure-total")).to_have_text(str(total))
    expect(page.locator("#longest-waits tbody tr")).to_have_count(min(total, 20))
    expect(page.locator("#longest-waits tbody tr").first.locator(".govuk-tag").first).to_have_text("Low")
    expect(page.get_by_role("img", name="Chart of the number of people waiting")).to_be_visible()
    page.get_by_text("The weekly figures as a table").click()
    expect(page.locator("#trend-table tbody tr")).to_have_count(52)
    expect(page.locator("#trend-table")).to_contain_text("No snapshot")
    expect(page.locator("#rebuilt-note")).to_be_visible()
    assert_accessible(page)

    # Choose the other team and two priorities; the choice is remembered.
    page.get_by_text("Choose teams, waiting lists and priorities").click()
    page.get_by_role("group", name="Teams").get_by_label("City East Locality Team").uncheck()
    page.get_by_role("group", name="Teams").get_by_label("City West Locality Team").check()
    page.get_by_role("group", name="Priorities").get_by_label("Low").check()
    page.get_by_role("group", name="Priorities").get_by_label("Medium").check()
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#dashboard-scope")).to_contain_text("in City West Locality Team")
    expect(page.locator("#dashboard-scope")).to_contain_text("with Medium and Low priority")
    chosen = figures.Scope(teams=(west.id,), bands=("low", "medium"))
    expect(page.locator("#figure-total")).to_have_text(str(figures.summary(chosen)["total"]))
    assert_accessible(page)
    choice = DashboardChoice.objects.get(user=waiting_world["leader"].user)
    assert choice.teams == [west.id] and sorted(choice.bands) == ["low", "medium"]
    page.goto("/waiting/dashboard/")
    expect(page.locator("#dashboard-scope")).to_contain_text("in City West Locality Team")

    # The download: the same choice, IDs not names, and an export event for each person in it.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = info.value
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert ["Teams", "City West Locality Team"] in rows
    assert ["People waiting", str(figures.summary(chosen)["total"])] in rows
    exported = RecordAccessEvent.objects.filter(user=waiting_world["leader"].user, action=AccessAction.EXPORT)
    assert exported.count() == min(figures.summary(chosen)["total"], 20)

    # A bad choice: a plain-English error, what was chosen kept, and no figures.
    page.goto("/waiting/dashboard/?chosen=1&team=999999&band=low")
    expect(page.get_by_role("alert")).to_contain_text("There is no open team “999999”")
    expect(page.get_by_role("group", name="Priorities").get_by_label("Low")).to_be_checked()
    expect(page.locator("#figure-total")).to_have_count(0)
    assert_accessible(page)


def test_the_dashboard_on_a_phone(browser, live_server, waiting_world):
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "leader")
        page.goto("/waiting/dashboard/?chosen=1")
        expect(page.locator("#figure-total")).to_have_text(str(figures.summary(figures.Scope())["total"]))
        # Wide tables and the chart scroll sideways inside their own pane, not the whole page.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)
    finally:
        context.close()


def test_a_practitioner_cannot_see_it(page, waiting_world):
    sign_in(page, "asha")
    page.goto("/waiting/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    expect(page.get_by_text("for team leaders and senior managers")).to_be_visible()
    assert_accessible(page)
