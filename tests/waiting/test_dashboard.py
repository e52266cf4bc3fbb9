"""The team leaders' waiting-list dashboard and its CSV download, through the Django test client on the real
database: who may see it, the remembered choice of teams, lists and priorities, plain-English errors for bad
choices, figures equal to carecase.waiting.figures, names only through the access-checked listing, the
access events written, and a query count that does not grow with the number of people waiting."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.waiting import figures
from carecase.waiting.figures import Scope
from carecase.waiting.models import DashboardChoice, KeepInTouchContact, WaitingListEntry
from carecase.waiting.views_dashboard import csv_safe
from tests.factories import AllocationFactory, CaseNoteFactory, PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # a Monday
URL = "/waiting/dashboard/"
CSV_URL = "/waiting/dashboard/export.csv"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _entry(team, *, queue="assessment", band="medium", days=30, person=None, allocated=True, due_in=10,
           **person_fields) -> WaitingListEntry:
    if person is None:
        person = PersonFactory(**person_fields)
        if allocated:
            AllocationFactory(person=person, team=team)
    return WaitingListEntry.objects.create(
        person=person, queue=queue, team=team, band=band, suggested_band=band, created_by=UserFactory(),
        waiting_since=TODAY - dt.timedelta(days=days), next_contact_due=TODAY + dt.timedelta(days=due_in))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _figure(html: str, name: str) -> str:
    return re.search(rf'id="figure-{name}">([^<]*)<', html).group(1).strip()


def _checked(html: str, field: str) -> set[str]:
    return set(re.findall(rf'name="{field}" type="checkbox" value="([^"]*)" checked', html))


@pytest.fixture
def waiting(team, other_team):
    """People waiting in two teams: every priority, waits from a few days to over two years."""
    rows = [
        (team, "assessment", "urgent", 3), (team, "assessment", "high", 45), (team, "review", "medium", 100),
        (team, "assessment", "low", 800), (team, "occupational_therapy", "low", 400), (team, "review", "not_rated", 1),
        (team, "carer_assessment", "medium", 200), (other_team, "assessment", "low", 600),
        (other_team, "review", "high", 20), (other_team, "dols", "medium", 190),
    ]
    return [_entry(t, queue=q, band=b, days=d) for t, q, b, d in rows]


def _login(client, staff):
    client.force_login(staff.user)
    return client


# ---------------------------------------------------------------- who may see it


def test_practitioners_and_administrators_are_refused(client, practitioner, administrator):
    for staff in (practitioner, administrator):
        _login(client, staff)
        for url in (URL, CSV_URL):
            response = client.get(url)
            assert response.status_code == 403
            assert "for team leaders and senior managers" in _text(response)
    assert not RecordAccessEvent.objects.exists()


def test_signed_out_goes_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_team_leaders_and_senior_managers_see_it(client, team_leader, senior_manager, waiting):
    assert reverse("waiting-dashboard") == URL and reverse("waiting-dashboard-csv") == CSV_URL
    for staff in (team_leader, senior_manager):
        response = _login(client, staff).get(URL)
        assert response.status_code == 200
        html = _text(response)
        assert "<title>Waiting lists dashboard" in html and "Waiting lists dashboard </h1>" in html
        for word in ("service user", "client", "customer"):
            assert word not in html.lower()


# ---------------------------------------------------------------- the choice, remembered


def test_a_team_leaders_first_visit_shows_their_own_team(client, team_leader, team, other_team, waiting):
    html = _text(_login(client, team_leader).get(URL))
    assert _checked(html, "team") == {str(team.id)}
    assert "Showing people waiting in City East Locality Team, on all waiting lists, with all priorities." in html
    assert _figure(html, "total") == str(figures.summary(Scope(teams=(team.id,)), today=TODAY)["total"]) == "7"
    assert not DashboardChoice.objects.exists()  # nothing chosen yet, so nothing saved


def test_a_senior_managers_first_visit_shows_every_team(client, senior_manager, waiting):
    html = _text(_login(client, senior_manager).get(URL))
    assert _checked(html, "team") == set() and "in all teams" in html and _figure(html, "total") == "10"


def test_the_choice_is_saved_and_used_next_time(client, team_leader, other_team, waiting):
    _login(client, team_leader)
    html = _text(client.get(URL, {"chosen": "1", "team": [other_team.id], "queue": ["assessment", "review"],
                                  "band": ["low", "high"]}))
    assert _figure(html, "total") == "2"
    choice = DashboardChoice.objects.get(user=team_leader.user)
    assert (choice.teams, sorted(choice.queues), sorted(choice.bands)) == (
        [other_team.id], ["assessment", "review"], ["high", "low"])
    again = _text(client.get(URL))
    assert _checked(again, "team") == {str(other_team.id)} and _checked(again, "queue") == {"assessment", "review"}
    assert _checked(again, "band") == {"low", "high"} and _figure(again, "total") == "2"
    assert ("Showing people waiting in City West Locality Team, on Needs assessment and Review, with High and Low "
            "priority.") in again


def test_unticking_everything_means_all_and_is_remembered(client, team_leader, waiting):
    _login(client, team_leader)
    html = _text(client.get(URL, {"chosen": "1"}))
    assert _figure(html, "total") == "10"
    assert DashboardChoice.objects.get(user=team_leader.user).teams == []
    assert _figure(_text(client.get(URL)), "total") == "10"  # not back to their own team


def test_a_saved_team_closed_since_is_left_out(client, senior_manager, team, other_team, waiting):
    DashboardChoice.objects.create(user=senior_manager.user, teams=[team.id, other_team.id])
    other_team.is_active = False
    other_team.save()
    html = _text(_login(client, senior_manager).get(URL))
    assert _checked(html, "team") == {str(team.id)} and _figure(html, "total") == "7"


def test_bad_choices_get_plain_english_errors_and_keep_the_rest(client, team_leader, team, waiting):
    _login(client, team_leader)
    DashboardChoice.objects.create(user=team_leader.user, teams=[team.id])
    response = client.get(URL, {"chosen": "1", "team": ["999999", "abc"], "queue": ["nonsense", "review"],
                                "band": ["low", "purple"]})
    assert response.status_code == 200
    html = _text(response)
    assert "There is a problem" in html and "(error)" in html
    assert "Select teams from the list. There is no open team “999999”" in html
    assert "Select waiting lists from the list. There is no waiting list “nonsense”" in html
    assert "Select priorities from the list. There is no priority “purple”" in html
    assert 'href="#id_team_0"' in html and 'href="#id_queue_0"' in html
    assert _checked(html, "queue") == {"review"} and _checked(html, "band") == {"low"}  # what was chosen stays
    assert 'id="figure-total"' not in html and "Correct the choice above to see the figures." in html
    assert DashboardChoice.objects.get(user=team_leader.user).teams == [team.id]  # not saved
    assert not RecordAccessEvent.objects.exists()
    # The download with the same choice goes back to the page that explains.
    response = client.get(CSV_URL, {"team": "999999"})
    assert response.status_code == 302 and response.url == f"{URL}?team=999999"


# ---------------------------------------------------------------- the figures


def test_the_figures_are_those_of_figures_summary(client, senior_manager, team, waiting):
    # One overdue keep-in-touch contact (urgent: 1 working day of grace).
    _entry(team, band="urgent", days=10, due_in=-5)
    scope = Scope(teams=(team.id,))
    expected = figures.summary(scope, today=TODAY)
    html = _text(_login(client, senior_manager).get(URL, {"chosen": "1", "team": [team.id]}))
    assert _figure(html, "total") == str(expected["total"]) == "8"
    assert _figure(html, "median") == f"{expected['median_wait_days']:g} days"
    assert _figure(html, "p90") == f"{expected['p90_wait_days']:g} days"
    assert _figure(html, "over-6-months") == str(expected["over_6_months"]) == "3"
    assert _figure(html, "overdue") == str(expected["overdue_keep_in_touch"]) == "1"
    for code in figures.BANDS:  # each priority: its wait bands and total, from the same figures
        row = re.search(rf'<tr class="govuk-table__row" id="priority-{code}">(.*?)</tr>', html).group(1)
        cells = re.findall(r'numeric">([^<]*)<', row)
        by_band = figures.summary(Scope(teams=(team.id,), bands=(code,)), today=TODAY)["by_band"]
        assert cells[:6] == [str(by_band[k]) for k, _ in figures.WAIT_BANDS] + [str(expected["by_priority"][code])]
    all_row = re.search(r'id="priority-all">(.*?)</tr>', html).group(1)
    assert re.findall(r'bold">([^<]*)<', all_row)[:5] == [str(expected["by_band"][k]) for k, _ in figures.WAIT_BANDS]
    assert 'govuk-tag govuk-tag--green">Low</strong>' in html and "Over 12 months" in html


def test_nobody_waiting(client, senior_manager):
    html = _text(_login(client, senior_manager).get(URL))
    assert _figure(html, "total") == "0" and _figure(html, "median") == "Nobody waiting"
    assert "Nobody is waiting in this choice" in html and "No snapshot has been taken yet" in html


def test_longest_waits_named_through_the_access_checked_listing(client, team_leader, team, other_team, waiting):
    restricted = _entry(team, band="low", days=1000, is_restricted=True, given_name="Zephyrine",
                        family_name="Quillfeather")  # names no other factory row can share
    kit = waiting[3]  # low priority, 800 days: the oldest waits are in the low band, shown first
    KeepInTouchContact.objects.create(entry=kit, case_note=CaseNoteFactory(person=kit.person), result="no_change",
                                      made_contact=True, by=UserFactory())
    _login(client, team_leader)
    html = _text(client.get(URL, {"chosen": "1"}))
    table = re.search(r'id="longest-waits">.*?<tbody[^>]*>(.*?)</tbody>', html).group(1)
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table)
    assert len(rows) == 11
    assert f"Record {restricted.person_id}</a> (restricted)" in rows[0] and restricted.person.family_name not in html
    assert f'href="{reverse("person-detail", args=[kit.person_id])}">{kit.person.display_name}</a>' in rows[1]
    assert "Needs assessment" in rows[1] and 'govuk-tag--green">Low' in rows[1] and re.search(r'numeric"> ?800 ', rows[1])
    assert "City East Locality Team" in rows[1] and "23 November 2026" in rows[1]
    other = waiting[7]  # another team's person: no name, and opening it asks for a reason
    assert other.person.display_name not in html and f"Record {other.person_id}</a>" in rows[2]
    assert "Another team's record" in rows[2]
    events = RecordAccessEvent.objects.filter(user=team_leader.user)
    assert set(events.values_list("action", flat=True)) == {AccessAction.VIEW}
    named = {e.person_id for e in waiting if e.team_id == team.id}
    assert set(events.values_list("person_id", flat=True)) == named  # one event per person named, no others
    assert events.count() == len(named)


def test_weekly_chart_and_its_table(client, senior_manager, team, waiting):
    for weeks_ago in (0, 1, 3, 10):  # weeks 2 and 4-9 have no snapshot; only today's was taken that night
        figures.take_snapshot(on=TODAY - dt.timedelta(weeks=weeks_ago))
    html = _text(_login(client, senior_manager).get(URL, {"chosen": "1", "team": [team.id]}))
    svg = re.search(r"<svg(.*?)</svg>", html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="trend-chart-title"' in svg
    title = re.search(r'<title id="trend-chart-title">(.*?)</title>', svg).group(1)
    assert "week ending 23 November 2026" in title and "48 weeks have no snapshot" in title
    assert "3 weeks were rebuilt afterwards" in title
    table = re.search(r'id="trend-table">.*?<tbody[^>]*>(.*?)</tbody>', html).group(1)
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table)
    assert len(rows) == 52 and "No snapshot" in rows[-3] and "Rebuilt afterwards" in rows[-2]
    today = figures.summary(Scope(teams=(team.id,)), today=TODAY)
    last = re.findall(r'numeric">([^<]*)<', rows[-1])
    assert last == [str(today["total"]), f"{today['median_wait_days']:g}"] and "Rebuilt" not in rows[-1]
    # In each panel: one line for the last two weeks, and a dot for each week on its own between gaps.
    assert 'id="rebuilt-note"' in html and svg.count("<polyline") == 2 and svg.count("<circle") == 4


# ---------------------------------------------------------------- the download


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_download_has_the_figures_and_logs_an_export_for_everyone_in_it(client, senior_manager, team, waiting):
    restricted = _entry(team, band="low", days=1000, is_restricted=True, given_name="Zephyrine",
                        family_name="Quillfeather")  # names no other factory row can share
    _login(client, senior_manager)
    response = client.get(CSV_URL, {"chosen": "1", "team": [team.id]})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="waiting-lists-2026-11-23.csv"'
    rows = _csv(response)
    expected = figures.summary(Scope(teams=(team.id,)), today=TODAY)
    values = {r[0]: r[1] for r in rows if len(r) == 2}
    assert values["Teams"] == "City East Locality Team" and values["Waiting lists"] == "all waiting lists"
    assert values["People waiting"] == str(expected["total"])
    assert values["Median wait (days)"] == str(expected["median_wait_days"])
    assert values["90th percentile wait (days)"] == str(expected["p90_wait_days"])
    assert values["Waiting 6 months or more"] == str(expected["over_6_months"])
    assert values["Keep-in-touch contacts overdue"] == str(expected["overdue_keep_in_touch"])
    assert values["Priority: Low"] == str(expected["by_priority"]["low"])
    assert values["Waited: Over 12 months"] == str(expected["by_band"]["over_12_months"])
    header = rows.index(["CareCase ID", "Waiting list", "Priority", "Waiting since", "Days waiting", "Team",
                         "Last keep-in-touch contact", "Keep-in-touch contact overdue"])
    longest = rows[header + 1:]
    assert len(longest) == 8 and longest[0][:5] == [str(restricted.person_id), "Needs assessment", "Low",
                                                    "2024-02-27", "1000"]
    content = response.content.decode()
    for entry in waiting:  # CareCase IDs only, never names
        assert entry.person.display_name not in content
    events = RecordAccessEvent.objects.filter(user=senior_manager.user)
    assert set(events.values_list("action", flat=True)) == {AccessAction.EXPORT}
    assert sorted(events.values_list("person_id", flat=True)) == sorted(int(r[0]) for r in longest)
    assert events.get(person_id=restricted.person_id).basis == "limited"  # listed, not opened
    assert events.exclude(person_id=restricted.person_id).filter(basis="senior").count() == 7
    assert all(e.resource == "waiting-list dashboard download" and e.path.startswith(CSV_URL) for e in events)


def test_download_without_a_choice_uses_the_saved_one(client, team_leader, team, waiting):
    _login(client, team_leader)
    rows = _csv(client.get(CSV_URL))
    assert ["Teams", "City East Locality Team"] in rows and ["People waiting", "7"] in rows
    assert not DashboardChoice.objects.exists()  # downloading does not change the saved choice


def test_the_page_links_to_the_download_with_its_choice(client, team_leader, other_team, waiting):
    html = _text(_login(client, team_leader).get(URL, {"chosen": "1", "team": [other_team.id], "band": ["low"]}))
    link = re.search(r'href="(/waiting/dashboard/export\.csv\?[^"]*)"', html).group(1).replace("&amp;", "&")
    assert link == f"{CSV_URL}?chosen=1&team={other_team.id}&band=low"
    assert ["People waiting", "1"] in _csv(client.get(link))


def test_text_that_a_spreadsheet_would_run_is_made_harmless(client, senior_manager):
    team = TeamFactory(name="=HYPERLINK(\"http://example.com\",\"Team\")")
    _entry(team)
    rows = _csv(_login(client, senior_manager).get(CSV_URL, {"chosen": "1"}))
    assert rows[-1][5] == "'=HYPERLINK(\"http://example.com\",\"Team\")"
    assert [csv_safe(v) for v in ("=1+1", "+44", "-3", "@SUM(A1)", "\tx", "Team", 5, None)] == [
        "'=1+1", "'+44", "'-3", "'@SUM(A1)", "'\tx", "Team", 5, None]


# ---------------------------------------------------------------- queries do not grow with the rows


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_waiting(client, senior_manager, team, other_team):
    def add(n):
        for i in range(n):
            entry = _entry(team if i % 2 else other_team, band=["urgent", "high", "medium", "low"][i % 4],
                           days=10 + 37 * i, queue=["assessment", "review"][i % 2])
            KeepInTouchContact.objects.create(entry=entry, case_note=CaseNoteFactory(person=entry.person),
                                              result="no_change", made_contact=True, by=UserFactory())

    add(3)
    for weeks_ago in range(0, 52, 5):
        figures.take_snapshot(on=TODAY - dt.timedelta(weeks=weeks_ago))
    _login(client, senior_manager)
    params = {"chosen": "1"}
    for url in (URL, CSV_URL):  # warm: the saved choice exists after this
        _queries(client, url, params)
    few = _queries(client, URL, params), _queries(client, CSV_URL, params)
    add(22)
    many = _queries(client, URL, params), _queries(client, CSV_URL, params)
    assert few == many and max(many) <= 30, (few, many)
    assert RecordAccessEvent.objects.filter(action=AccessAction.EXPORT).count() == 3 + 3 + 20  # the 20 longest waits
