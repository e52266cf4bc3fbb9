"""The practice audit: counts per worker and month worked out by hand on a small fixture, team scoping,
month grouping, a constant number of queries, and the page itself."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.audit import first_month, practice_audit
from assessments.models import Assessment, AssessmentStatus, AssessmentTransition, SequenceOutcome
from carecase.audit.models import RecordAccessEvent
from tests.factories import PersonFactory

STEPS = ["own_strengths", "technology_equipment", "family_friends", "community_universal"]
TODAY = datetime.date(2025, 6, 18)
THIS_MONTH, LAST_MONTH = datetime.date(2025, 6, 1), datetime.date(2025, 5, 1)


def _assessment(worker, started_on, status=AssessmentStatus.DRAFT, returns=(), authorised=False):
    a = Assessment.objects.create(person=PersonFactory(), assessment_type="needs", worker=worker.user,
                                  started_on=started_on, status=status)
    for reason in returns:
        AssessmentTransition.objects.create(assessment=a, from_status="submitted", to_status="returned",
                                            by=worker.user, reason=reason)
    if authorised:
        AssessmentTransition.objects.create(assessment=a, from_status="submitted", to_status="authorised",
                                            by=worker.user)
    return a


def _row(assessment, code, *, missing, status="incomplete", existing=False, formal=False, override="",
         evaluated=True):
    return SequenceOutcome.objects.create(
        assessment=assessment, code=code, label=f"Outcome {code}", existing_support=existing,
        formal_support_requested=formal, crisis_override_reason=override, status=status if evaluated else "",
        result={"code": code, "status": status, "missing": list(missing)} if evaluated else {},
    )


@pytest.fixture
def fixture(practitioner, other_practitioner):
    """Worker A (practitioner, City East) and worker B (other_practitioner, City West).

    A, June 2025: a1 authorised after one return, with r1 (4 of 4, justified) and r2 (already supported:
    4 of 5, justified by a crisis override); a2 submitted with r3 (2 of 4, formal support asked, blank
    override reason, so not an override).
    A, May 2025: a3 returned once, r4 (0 of 4, override reason but no formal support asked); a4 a draft
    with r5 never evaluated (already supported: 0 of 5).
    B, June 2025: one authorised assessment with a crisis override. Outside the 12-month window (from July 2024): one from 30 June 2024.
    """
    a1 = _assessment(practitioner, THIS_MONTH, AssessmentStatus.AUTHORISED, returns=["Step 2 has no note"],
                     authorised=True)
    _row(a1, "meals", missing=[], status="formal_support_justified", formal=True)
    _row(a1, "washing", missing=["done_differently"], status="formal_support_justified", existing=True,
         formal=True, override="Carer admitted to hospital")
    a2 = _assessment(practitioner, datetime.date(2025, 6, 30), AssessmentStatus.SUBMITTED)
    _row(a2, "meals", missing=["technology_equipment", "family_friends"], formal=True, override="   ")
    a3 = _assessment(practitioner, datetime.date(2025, 5, 31), AssessmentStatus.RETURNED,
                     returns=["Capacity not recorded"])
    _row(a3, "meals", missing=STEPS, override="Not asked for")
    a4 = _assessment(practitioner, LAST_MONTH)
    _row(a4, "meals", missing=[], existing=True, evaluated=False)
    b1 = _assessment(other_practitioner, THIS_MONTH, AssessmentStatus.AUTHORISED, authorised=True)
    _row(b1, "meals", missing=STEPS, status="formal_support_justified", formal=True, override="Carer breakdown")
    _assessment(practitioner, datetime.date(2024, 6, 30), AssessmentStatus.AUTHORISED, authorised=True)
    return {"a1": a1, "b1": b1}


def _by_month(report):
    return {(r.worker_id, r.month): r for r in report.rows}


def test_counts_match_the_hand_worked_figures(fixture, team_leader, practitioner):
    report = practice_audit(user=team_leader.user, today=TODAY)
    assert report.team == team_leader.team and report.since == datetime.date(2024, 7, 1)
    rows = _by_month(report)
    assert set(rows) == {(practitioner.user_id, THIS_MONTH), (practitioner.user_id, LAST_MONTH)}

    june = rows[(practitioner.user_id, THIS_MONTH)]
    c = june.counts
    assert (c.started, c.authorised, c.returned, c.sequence_rows) == (2, 1, 1, 3)
    assert (c.steps_evidenced, c.steps_required, c.evidenced_percent) == (10, 13, 77)
    assert (c.justified, c.justified_complete, c.crisis_overrides, c.evidence_rate) == (2, 1, 1, 50)
    assert june.return_reasons == ["Step 2 has no note"]
    assert june.worker_name == practitioner.user.get_full_name()

    may = rows[(practitioner.user_id, LAST_MONTH)].counts
    assert (may.started, may.authorised, may.returned, may.sequence_rows) == (2, 0, 1, 2)
    assert (may.steps_evidenced, may.steps_required, may.evidenced_percent) == (0, 9, 0)
    assert (may.justified, may.crisis_overrides, may.evidence_rate) == (0, 0, None)

    t = report.totals
    assert (t.started, t.authorised, t.returned, t.sequence_rows) == (4, 1, 2, 5)
    assert (t.steps_evidenced, t.steps_required, t.evidenced_percent) == (10, 22, 45)
    assert (t.justified, t.justified_complete, t.crisis_overrides, t.evidence_rate) == (2, 1, 1, 50)


def test_months_are_calendar_months_of_the_start_date(fixture, team_leader, practitioner):
    # 31 May and 1 June fall in different rows; 30 June in June's.
    rows = _by_month(practice_audit(user=team_leader.user, today=TODAY))
    assert rows[(practitioner.user_id, THIS_MONTH)].counts.started == 2
    assert rows[(practitioner.user_id, LAST_MONTH)].counts.started == 2
    # The window counts whole calendar months back from this one; 30 June 2024 is outside even 12.
    assert first_month(3, TODAY) == datetime.date(2025, 4, 1)
    assert first_month(12, datetime.date(2025, 1, 31)) == datetime.date(2024, 2, 1)
    assert practice_audit(user=team_leader.user, months=6, today=TODAY).totals.started == 4
    _assessment(practitioner, datetime.date(2025, 1, 1))
    assert practice_audit(user=team_leader.user, months=6, today=TODAY).totals.started == 5
    assert practice_audit(user=team_leader.user, months=3, today=TODAY).totals.started == 4
    assert practice_audit(user=team_leader.user, months=12, today=TODAY).totals.started == 5
    with pytest.raises(ValueError):
        practice_audit(user=team_leader.user, months=5, today=TODAY)


def test_leader_sees_only_their_team(fixture, team_leader, other_practitioner, other_team):
    report = practice_audit(user=team_leader.user, today=TODAY)
    assert other_practitioner.user_id not in {r.worker_id for r in report.rows}
    with pytest.raises(PermissionDenied):
        practice_audit(user=team_leader.user, team_id=other_team.id, today=TODAY)
    # Their own team named explicitly is fine.
    assert practice_audit(user=team_leader.user, team_id=team_leader.team_id, today=TODAY).totals.started == 4


def test_other_roles_are_refused(fixture, practitioner, administrator):
    for staff in (practitioner, administrator):
        with pytest.raises(PermissionDenied):
            practice_audit(user=staff.user, today=TODAY)


def test_senior_manager_sees_all_teams_or_chooses_one(fixture, senior_manager, practitioner,
                                                      other_practitioner, other_team):
    everyone = practice_audit(user=senior_manager.user, today=TODAY)
    assert everyone.team is None
    assert {r.worker_id for r in everyone.rows} == {practitioner.user_id, other_practitioner.user_id}
    assert everyone.totals.started == 5 and everyone.totals.crisis_overrides == 2

    west = practice_audit(user=senior_manager.user, team_id=other_team.id, today=TODAY)
    assert west.team == other_team
    assert [(r.worker_id, r.month) for r in west.rows] == [(other_practitioner.user_id, THIS_MONTH)]
    c = west.totals
    assert (c.started, c.authorised, c.returned, c.steps_evidenced, c.steps_required) == (1, 1, 0, 0, 4)
    assert (c.justified, c.justified_complete, c.crisis_overrides, c.evidence_rate) == (1, 0, 1, 0)


def _many(worker, n, start):
    for i in range(n):
        a = _assessment(worker, start + datetime.timedelta(days=i % 40), AssessmentStatus.RETURNED,
                        returns=[f"Reason {i}"])
        _row(a, "meals", missing=["family_friends"], status="formal_support_justified", formal=True,
             override="Crisis")
        _row(a, "washing", missing=[], existing=True)


def _count(user, **kwargs) -> int:
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=user.pk)  # no cached staff row
    with CaptureQueriesContext(connection) as ctx:
        report = practice_audit(user=fresh, today=TODAY, **kwargs)
    return len(ctx.captured_queries), report


def test_query_count_does_not_grow_with_assessments(team_leader, practitioner, senior_manager, team):
    _many(practitioner, 3, datetime.date(2025, 3, 1))
    few, report = _count(team_leader.user)
    assert report.totals.started == 3
    _many(practitioner, 17, datetime.date(2025, 4, 1))
    many, report = _count(team_leader.user)
    assert report.totals.started == 20 and report.totals.returned == 20 and report.totals.sequence_rows == 40
    # The staff row, assessment counts, sequence counts, return reasons and workers' names.
    assert few == many == 5
    assert _count(senior_manager.user, team_id=team.id)[0] == few + 1  # and the chosen team


def test_page_query_count_is_constant(client, team_leader, practitioner):
    client.force_login(team_leader.user)
    url = reverse("practice-audit")
    _many(practitioner, 3, first_month(3))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(practitioner, 17, first_month(3))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and "160 of 180" in response.content.decode()  # 20 x (3 of 4 + 5 of 5)
    assert len(few.captured_queries) == len(many.captured_queries)


# ---------------------------------------------------------------- the page


@pytest.fixture
def live_fixture(practitioner, other_practitioner):
    """The same shape as `fixture`, dated in this month so the page's default window includes it."""
    this_month = timezone.localdate().replace(day=1)
    a1 = _assessment(practitioner, this_month, AssessmentStatus.AUTHORISED, returns=["Step 2 has no note"],
                     authorised=True)
    _row(a1, "meals", missing=[], status="formal_support_justified", formal=True)
    _row(a1, "washing", missing=["done_differently"], status="formal_support_justified", existing=True,
         formal=True, override="Carer admitted to hospital")
    b1 = _assessment(other_practitioner, this_month, AssessmentStatus.AUTHORISED, authorised=True)
    _row(b1, "meals", missing=STEPS, status="formal_support_justified", formal=True, override="Carer breakdown")
    return a1


def test_page_for_team_leader(client, live_fixture, team_leader, practitioner, other_practitioner, other_team):
    client.force_login(team_leader.user)
    events = RecordAccessEvent.objects.count()
    response = client.get(reverse("practice-audit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Practice audit" in html and team_leader.team.name in html
    assert practitioner.user.get_full_name() in html
    assert other_practitioner.user.get_full_name() not in html
    assert "8 of 9" in html and "(89%)" in html
    assert "Step 2 has no note" not in html  # free-text reasons may name a person: not on this page
    assert live_fixture.person.display_name not in html  # counts only: no person's name
    assert RecordAccessEvent.objects.count() == events
    # A leader cannot reach another team by changing the address: the team is always their own.
    html = client.get(reverse("practice-audit"), {"team": other_team.id}).content.decode()
    assert other_practitioner.user.get_full_name() not in html
    for word in ("service user", "client", "customer"):
        assert word not in html.lower()


def test_page_refuses_practitioners(client, live_fixture, practitioner):
    client.force_login(practitioner.user)
    assert client.get(reverse("practice-audit")).status_code == 403


def test_page_for_senior_manager_chooses_team(client, live_fixture, senior_manager, practitioner,
                                              other_practitioner, other_team):
    client.force_login(senior_manager.user)
    html = client.get(reverse("practice-audit")).content.decode()
    assert "All teams" in html and practitioner.user.get_full_name() in html
    assert other_practitioner.user.get_full_name() in html
    html = client.get(reverse("practice-audit"), {"team": other_team.id, "months": "3"}).content.decode()
    assert other_practitioner.user.get_full_name() in html
    assert practitioner.user.get_full_name() not in html
    assert "last 3 months" in html
    bad = client.get(reverse("practice-audit"), {"team": "999999", "months": "5"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "There is a problem" in html and "Select a team from the list" in html
    assert "Select a period of 3, 6 or 12 months" in html


def test_worktray_links_leaders_to_the_audit(client, team_leader, practitioner):
    client.force_login(team_leader.user)
    assert reverse("practice-audit") in client.get(reverse("home")).content.decode()
    client.force_login(practitioner.user)
    assert reverse("practice-audit") not in client.get(reverse("home")).content.decode()
