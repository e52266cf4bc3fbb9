"""Waiting lists in the demo data (GUIDE §4, §6.4): every queue scaled from Leicester's figures, the priority
mix with low priority on the oldest waits, checklist answers that give each band, keep-in-touch dates around
the seed date, people who left in the last year, and a year of weekly snapshots."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Count
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase.demo import places
from carecase.demo.generator import generate
from carecase.demo.profiles import PROFILES
from carecase.demo.waiting import OTHER_QUEUES, scaled
from carecase.waiting import figures
from carecase.waiting.figures import Scope
from carecase.waiting.models import (
    ChangeReason,
    KeepInTouchContact,
    KeepInTouchReminder,
    PriorityChange,
    Queue,
    WaitingListEntry,
    WaitingListSnapshot,
)

from .conftest import AS_OF

TEAM_KIND = {
    Queue.ASSESSMENT: places.LOCALITY,
    Queue.CARER_ASSESSMENT: places.LOCALITY,
    Queue.OCCUPATIONAL_THERAPY: places.OCCUPATIONAL_THERAPY,
    Queue.DP_SETUP: places.DIRECT_PAYMENTS,
    Queue.DOLS: places.LOCALITY,
}


def expected_sizes(profile) -> dict[str, int]:
    return {Queue.ASSESSMENT: profile.waiting} | {q: scaled(profile.waiting, n) for q, n in OTHER_QUEUES.items()}


def open_entries():
    return WaitingListEntry.objects.filter(left_on__isnull=True)


# ----------------------------------------------------------------- the small profile, in the database


@pytest.mark.django_db
def test_every_queue_is_scaled_from_leicesters_and_held_by_the_right_kind_of_team(seeded):
    sizes = Counter(open_entries().values_list("queue", flat=True))
    assert sizes == expected_sizes(PROFILES["small"])  # 32 assessment, 5 carers, 9 therapy, 1 DP, 18 DoLS
    kinds = set(open_entries().values_list("queue", "team__kind"))
    assert kinds == set(TEAM_KIND.items())
    assert "waiting-list entries" in seeded


@pytest.mark.django_db
def test_one_open_entry_per_person_per_queue_and_nobody_waits_before_they_were_known(seeded):
    doubled = (open_entries().values("person_id", "queue").annotate(n=Count("id")).filter(n__gt=1))
    assert not doubled.exists()
    for entry in WaitingListEntry.objects.select_related("person"):
        assert entry.person.created_at.date() <= entry.waiting_since <= AS_OF
        if entry.person.date_of_death:
            assert entry.left_on is not None and entry.left_on <= entry.person.date_of_death


@pytest.mark.django_db
def test_the_priority_mix_with_low_priority_on_the_oldest_waits(seeded):
    entries = list(open_entries())
    bands = Counter(e.band for e in entries)
    share = {band: n / len(entries) for band, n in bands.items()}
    assert bands["urgent"] >= 1  # at least one in the assessment queue, so the demo shows one
    assert 0.07 <= share["high"] <= 0.18 and 0.38 <= share["medium"] <= 0.56 and 0.32 <= share["low"] <= 0.48
    assert "not_rated" not in bands
    waits = {band: [(AS_OF - e.waiting_since).days for e in entries if e.band == band] for band in bands}
    others = waits["urgent"] + waits["high"] + waits["medium"]
    assert statistics.median(waits["low"]) > statistics.median(others)


@pytest.mark.django_db
def test_checklists_give_each_band_under_the_current_rules_and_overrides_have_a_note(seeded):
    version = waiting_priority.current_rules()["version"]
    for entry in WaitingListEntry.objects.all():
        assert set(entry.checklist) == {code for code, _ in waiting_priority.checklist()}
        assert waiting_priority.suggest(entry.checklist).band == entry.suggested_band
        assert entry.priority_ruleset_version == version
    triage = PriorityChange.objects.filter(reason=ChangeReason.TRIAGE)
    assert triage.count() == WaitingListEntry.objects.count()  # one triage row each
    assert not triage.values("entry_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    for change in PriorityChange.objects.select_related("by__staff"):
        assert change.by.staff is not None  # made by a member of staff
        if change.to_band != change.suggested_band:
            assert change.note
    # The latest change of every entry leaves it on its current band.
    for entry in WaitingListEntry.objects.prefetch_related("priority_changes"):
        assert list(entry.priority_changes.all())[-1].to_band == entry.band


@pytest.mark.django_db
def test_keep_in_touch_dates_around_the_seed_date_give_the_duty_worktray_work(seeded):
    dues = list(open_entries().values_list("next_contact_due", flat=True))
    assert all(dues)
    assert any(d < AS_OF for d in dues) and any(d > AS_OF for d in dues)
    assert figures.summary(Scope(), today=AS_OF)["overdue_keep_in_touch"] > 0
    # The sweep ran at the seed date: every contact due by then is in its team's worktray.
    due = open_entries().filter(next_contact_due__lte=AS_OF).count()
    assert due > 0 and KeepInTouchReminder.objects.filter(status="done").count() == due
    # Keep-in-touch contacts are the waiting people's keep-in-touch case notes.
    contacts = KeepInTouchContact.objects.select_related("entry", "case_note")
    assert contacts.exists()
    for contact in contacts:
        assert contact.case_note.person_id == contact.entry.person_id
        assert contact.entry.queue == Queue.ASSESSMENT


@pytest.mark.django_db
def test_people_who_left_in_the_last_year_with_their_reasons(seeded):
    left = WaitingListEntry.objects.filter(left_on__isnull=False)
    assert left.count() >= 30
    for entry in left:
        assert AS_OF - timedelta(days=366) <= entry.left_on <= AS_OF
        assert entry.waiting_since <= entry.left_on and entry.exit_reason and entry.next_contact_due is None
    reasons = Counter(left.values_list("exit_reason", flat=True))
    assert reasons.most_common(1)[0][0] == "allocated" and len(reasons) >= 3
    assert set(left.values_list("queue", flat=True)) >= {Queue.ASSESSMENT, Queue.OCCUPATIONAL_THERAPY}


@pytest.mark.django_db
def test_a_year_of_weekly_snapshots_agrees_with_the_entries(seeded):
    days = sorted(set(WaitingListSnapshot.objects.values_list("taken_on", flat=True)))
    assert days == [AS_OF - timedelta(weeks=k) for k in range(51, -1, -1)]
    today = timezone.localdate()
    assert all(s.reconstructed == (s.taken_on < today) for s in WaitingListSnapshot.objects.all())
    latest = sum(WaitingListSnapshot.objects.filter(taken_on=AS_OF).values_list("waiting", flat=True))
    assert latest == figures.summary(Scope(), today=AS_OF)["total"] == open_entries().count()
    trend = figures.weekly_trend(Scope(queues=(Queue.ASSESSMENT,)), today=AS_OF)
    assert len(trend) == 52 and all(point.waiting for point in trend)
    # People left as well as joined, so the list a year ago was not a fraction of today's.
    assert trend[0].waiting >= 0.6 * trend[-1].waiting


@pytest.mark.django_db
def test_history_has_an_insert_event_for_every_entry(seeded):
    events = WaitingListEntry.pgh_event_model.objects.filter(pgh_label="insert")
    assert events.count() == WaitingListEntry.objects.count()
    assert set(events.values_list("pgh_context__metadata__command", flat=True)) == {"seed_demo"}


# ----------------------------------------------------------------- Leicester, generated in memory


def test_leicester_waiting_lists_follow_the_published_figures():
    """2,101 waiting for assessment, about 1,009 of them over six months (GUIDE §4.6, §6.4), in the wait bands
    as the dashboard counts them (figures.wait_band_starts); the suggested mix; the other queues."""
    data = generate(PROFILES["leicester"], seed=1, as_of=AS_OF)
    entries = data.waiting_lists.entries
    still = [e for e in entries if e.left_on is None]
    assert Counter(e.queue for e in still) == {"assessment": 2101, "carer_assessment": 300,
                                                "occupational_therapy": 600, "dp_setup": 80, "dols": 1200}
    assert max((AS_OF - e.waiting_since).days for e in still) <= 1000  # nobody forgotten for years
    assessment = [e for e in still if e.queue == Queue.ASSESSMENT]
    six_months = AS_OF - relativedelta(months=6)
    assert 960 <= sum(e.waiting_since <= six_months for e in assessment) <= 1060  # 1,009 published

    published = {"0_4_weeks": 210, "1_3_months": 357, "3_6_months": 525, "6_12_months": 588, "over_12_months": 421}
    for key, (after, up_to) in figures.wait_band_starts(AS_OF).items():
        n = sum((after is None or e.waiting_since > after) and (up_to is None or e.waiting_since <= up_to)
                for e in assessment)
        assert abs(n - published[key]) <= 0.1 * published[key], key

    assert Counter(e.band for e in assessment) == {"urgent": 21, "high": 252, "medium": 987, "low": 841}
    over_a_year = [e for e in assessment if e.waiting_since <= AS_OF - relativedelta(months=12)]
    assert sum(e.band == "low" for e in over_a_year) / len(over_a_year) > 0.6  # low holds the oldest waits

    # Rebuilt from join and leave dates, the assessment list a year ago was 80-95% of today's.
    year_ago = AS_OF - timedelta(weeks=51)
    then = sum(e.queue == Queue.ASSESSMENT and e.waiting_since <= year_ago and (e.left_on is None or e.left_on > year_ago)
               for e in entries)
    assert 0.8 * 2101 <= then <= 0.95 * 2101

    kinds = {spec.name: spec.kind for spec in PROFILES["leicester"].teams}
    assert {(e.queue, kinds[e.team]) for e in entries} == set(TEAM_KIND.items())


@pytest.mark.parametrize("name", ["small", "county"])
def test_every_profile_has_its_waiting_lists(name):
    profile = PROFILES[name]
    data = generate(profile, seed=1, as_of=AS_OF)
    still = Counter(e.queue for e in data.waiting_lists.entries if e.left_on is None)
    assert still == expected_sizes(profile)
