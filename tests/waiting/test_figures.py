"""The waiting-list figures (carecase/waiting/figures.py) checked against direct SQL on the same random data,
and the nightly snapshot and weekly trend."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection

from carecase.waiting import figures
from carecase.waiting.figures import Scope
from carecase.waiting.models import Band, Queue, WaitingListEntry, WaitingListSnapshot
from carecase.workdays import add_working_days
from tests.factories import PersonFactory, TeamFactory, UserFactory

TODAY = dt.date(2026, 11, 23)  # a Monday
GRACE = {"urgent": 1, "high": 2, "medium": 5, "low": 10}


@pytest.fixture
def random_entries(db):
    rng = random.Random(42)
    teams = [TeamFactory(), TeamFactory(), TeamFactory()]
    by = UserFactory()
    people = [PersonFactory() for _ in range(60)]
    entries = []
    for person in people:
        for queue in rng.sample([q for q in Queue.values], 2):
            since = TODAY - dt.timedelta(days=rng.choice([0, 3, 27, 28, 29, 90, 91, 92, 180, 183, 200, 364, 365,
                                                          366, 400, 800]))
            left = rng.random() < 0.2
            entries.append(WaitingListEntry.objects.create(
                person=person, queue=queue, team=rng.choice(teams), waiting_since=since,
                band=rng.choice(Band.values), suggested_band="low", created_by=by,
                next_contact_due=None if left else TODAY - dt.timedelta(days=rng.randint(-20, 20)),
                left_on=TODAY if left else None, exit_reason="allocated" if left else ""))
    return teams, entries


def direct_sql(scope: Scope, today: dt.date) -> dict:
    """The same figures computed another way: plain SQL for the rows, Python for the arithmetic."""
    where, params = ["left_on IS NULL"], []
    for column, values in (("team_id", scope.teams), ("queue", scope.queues), ("band", scope.bands)):
        if values:
            where.append(f"{column} = ANY(%s)")
            params.append(list(values))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT waiting_since, band, next_contact_due FROM waiting_waitinglistentry "
                       f"WHERE {' AND '.join(where)}", params)
        rows = cursor.fetchall()
    waits = sorted((today - since).days for since, _, _ in rows)

    def wait_band(since):
        if since > today - dt.timedelta(days=28):
            return "0_4_weeks"
        if since > today - relativedelta(months=3):
            return "1_3_months"
        if since > today - relativedelta(months=6):
            return "3_6_months"
        if since > today - relativedelta(months=12):
            return "6_12_months"
        return "over_12_months"

    def overdue(band, due):
        if due is None:
            return False
        if band == "not_rated":
            return due < today
        return add_working_days(due, GRACE[band]) < today

    def percentile(values, fraction):  # PostgreSQL's percentile_cont: linear interpolation
        if not values:
            return None
        position = fraction * (len(values) - 1)
        low = int(position)
        high = min(low + 1, len(values) - 1)
        return round(values[low] + (values[high] - values[low]) * (position - low), 1)

    return {
        "total": len(rows),
        "by_priority": {b: sum(1 for _, band, _ in rows if band == b) for b in figures.BANDS},
        "by_band": {k: sum(1 for since, _, _ in rows if wait_band(since) == k) for k, _ in figures.WAIT_BANDS},
        "median_wait_days": None if not waits else round(float(statistics.median(waits)), 1),
        "p90_wait_days": percentile(waits, 0.9),
        "over_6_months": sum(1 for since, _, _ in rows if since <= today - relativedelta(months=6)),
        "overdue_keep_in_touch": sum(1 for _, band, due in rows if overdue(band, due)),
    }


def test_summary_matches_direct_sql_for_every_kind_of_scope(random_entries):
    teams, _ = random_entries
    scopes = [Scope(), Scope(teams=(teams[0].id,)), Scope(queues=("assessment",)),
              Scope(bands=("low", "urgent")), Scope(teams=(teams[1].id, teams[2].id), queues=("review", "dols"),
                                                     bands=("medium",)),
              Scope(teams=(999_999,))]
    for scope in scopes:
        assert figures.summary(scope, today=TODAY) == direct_sql(scope, TODAY), scope


def test_summary_is_one_query(random_entries, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures.summary(Scope(queues=("assessment",)), today=TODAY)


@pytest.mark.django_db
def test_nobody_waiting_gives_zeros_and_no_median():
    result = figures.summary(Scope(), today=TODAY)
    assert result["total"] == 0 and result["median_wait_days"] is None and result["p90_wait_days"] is None
    assert set(result["by_band"]) == {"0_4_weeks", "1_3_months", "3_6_months", "6_12_months", "over_12_months"}


def test_unknown_queue_or_band_is_refused():
    with pytest.raises(ValueError, match="Unknown queue: nonsense"):
        Scope(queues=("nonsense",))
    with pytest.raises(ValueError, match="Unknown band: purple"):
        Scope(bands=("purple",))


def test_overdue_follows_working_days_per_band(db):
    team, by = TeamFactory(), UserFactory()
    friday = dt.date(2026, 11, 20)

    def entry(band, due):
        return WaitingListEntry.objects.create(person=PersonFactory(), queue="assessment", team=team,
                                               waiting_since=dt.date(2026, 1, 5), band=band, suggested_band=band,
                                               next_contact_due=due, created_by=by)

    urgent, high = entry("urgent", friday), entry("high", friday)
    # Urgent: 1 working day of grace after Friday is Monday, so overdue on Tuesday; high: on Wednesday.
    assert [figures.is_contact_overdue(e, dt.date(2026, 11, 23)) for e in (urgent, high)] == [False, False]
    assert [figures.is_contact_overdue(e, dt.date(2026, 11, 24)) for e in (urgent, high)] == [True, False]
    assert [figures.is_contact_overdue(e, dt.date(2026, 11, 25)) for e in (urgent, high)] == [True, True]
    for day, expected in ((dt.date(2026, 11, 23), 0), (dt.date(2026, 11, 24), 1), (dt.date(2026, 11, 25), 2)):
        assert figures.summary(Scope(), today=day)["overdue_keep_in_touch"] == expected


def test_longest_waits_oldest_first_with_last_contact(random_entries):
    rows = list(figures.longest_waits(Scope(), limit=20))
    assert len(rows) == 20
    assert [r.waiting_since for r in rows] == sorted(r.waiting_since for r in rows)
    oldest_open = WaitingListEntry.objects.filter(left_on__isnull=True).order_by("waiting_since", "id").first()
    assert rows[0] == oldest_open and rows[0].last_contact_at is None


@time_machine.travel(dt.datetime(2026, 11, 23, 23, 45, tzinfo=dt.UTC), tick=False)
def test_snapshot_is_written_once_per_day_and_rebuilds_the_past(random_entries):
    first = figures.take_snapshot()
    again = figures.take_snapshot()
    assert first == again > 0
    today_rows = WaitingListSnapshot.objects.filter(taken_on=TODAY)
    assert today_rows.count() == first and not any(r.reconstructed for r in today_rows)
    assert sum(r.waiting for r in today_rows) == WaitingListEntry.objects.filter(
        waiting_since__lte=TODAY, left_on__isnull=True).count()
    for row in today_rows:
        assert row.wait_days == sorted(row.wait_days) and len(row.wait_days) == row.waiting
    # A past day: people who had joined by then and had not left; those who left today were still waiting.
    past = TODAY - dt.timedelta(days=100)
    figures.take_snapshot(on=past)
    rows = WaitingListSnapshot.objects.filter(taken_on=past)
    assert all(r.reconstructed for r in rows)
    assert sum(r.waiting for r in rows) == WaitingListEntry.objects.filter(waiting_since__lte=past).count()
    with pytest.raises(ValueError, match="not happened yet"):
        figures.take_snapshot(on=TODAY + dt.timedelta(days=1))


@time_machine.travel(dt.datetime(2026, 11, 23, 23, 45, tzinfo=dt.UTC), tick=False)
def test_weekly_trend_matches_the_summary_today_and_shows_missing_weeks_as_gaps(random_entries):
    teams, _ = random_entries
    for k in (0, 1, 3):  # week 2 has no snapshot
        figures.take_snapshot(on=TODAY - dt.timedelta(weeks=k))
    scope = Scope(teams=(teams[0].id,), queues=("assessment", "review", "occupational_therapy"))
    trend = figures.weekly_trend(scope, weeks=5)
    assert [p.week_ending for p in trend] == [TODAY - dt.timedelta(weeks=k) for k in (4, 3, 2, 1, 0)]
    assert trend[0].waiting is None and trend[2].waiting is None  # no snapshot: a gap, never a guess
    today = figures.summary(scope, today=TODAY)
    assert trend[-1].waiting == today["total"] and trend[-1].median_wait_days == today["median_wait_days"]
    assert trend[1].reconstructed and not trend[-1].reconstructed


@pytest.mark.django_db
def test_weekly_trend_without_snapshots_is_empty():
    assert figures.weekly_trend(Scope()) == []
