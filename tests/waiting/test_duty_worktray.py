"""The team's duty worktray page, the worktray's link to it, and who may open the records of people waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carecase.audit.access import Level, access_for
from carecase.audit.models import AccessBasis, RecordAccessEvent
from carecase.staff.models import Role
from carecase.waiting import reminders
from carecase.waiting.models import WaitingListEntry
from tests.factories import PersonFactory, StaffFactory, UserFactory


def waiting(team, *, due, band="medium", person=None, left=False):
    today = timezone.localdate()
    return WaitingListEntry.objects.create(
        person=person or PersonFactory(), queue="assessment", team=team, waiting_since=today - dt.timedelta(days=40),
        band=band, suggested_band=band, next_contact_due=None if left else due, created_by=UserFactory(),
        left_on=today if left else None, exit_reason="allocated" if left else "")


def test_someone_on_a_teams_waiting_list_is_that_teams_to_open(team, other_team, practitioner, other_practitioner):
    person = PersonFactory()
    entry = waiting(team, due=timezone.localdate())
    assert access_for(practitioner.user, entry.person).level == Level.FULL
    assert access_for(practitioner.user, entry.person).basis == AccessBasis.WAITING
    assert access_for(other_practitioner.user, entry.person).level == Level.LIMITED
    # Leaving the list ends it; a restricted record stays restricted.
    gone = waiting(team, due=None, left=True, person=person)
    assert access_for(practitioner.user, gone.person).level == Level.LIMITED
    hidden = waiting(team, due=timezone.localdate(), person=PersonFactory(is_restricted=True))
    assert access_for(practitioner.user, hidden.person).level == Level.RESTRICTED


def test_the_duty_worktray_lists_the_teams_due_contacts_and_logs_each_name(client, team, other_team, practitioner):
    today = timezone.localdate()
    due = [waiting(team, due=today - dt.timedelta(days=d)) for d in (0, 12)]
    waiting(team, due=today + dt.timedelta(days=3))  # not due yet
    waiting(other_team, due=today)  # another team's
    hidden = waiting(team, due=today, person=PersonFactory(is_restricted=True))
    reminders.sweep_due_reminders(today=today)
    client.force_login(practitioner.user)

    response = client.get(reverse("waiting-duty"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 contacts due" in html
    for entry in due:
        assert entry.person.display_name in html
        assert reverse("waiting-entry", args=[entry.id]) in html
    assert f"Record {hidden.person_id} (restricted)" in html and hidden.person.display_name not in html
    assert html.count("govuk-tag--red\">Overdue") == 1  # 12 days past due; today's is due, not overdue
    logged = set(RecordAccessEvent.objects.filter(user=practitioner.user).values_list("person_id", flat=True))
    assert logged == {e.person_id for e in due}

    home = client.get(reverse("home")).content.decode()
    assert "Keep-in-touch contacts due for people on your team’s waiting lists (3)" in home


def test_the_duty_worktray_needs_a_team(client, db):
    staff = StaffFactory(role=Role.SENIOR_MANAGER, team=None)
    client.force_login(staff.user)
    response = client.get(reverse("waiting-duty"))
    assert response.status_code == 403
    assert "your account is not in one" in response.content.decode()


def test_the_duty_worktray_query_count_does_not_grow_with_rows(client, team, practitioner,
                                                               django_assert_max_num_queries):
    today = timezone.localdate()
    client.force_login(practitioner.user)
    for n in (2, 20):
        for _ in range(n):
            waiting(team, due=today)
        reminders.sweep_due_reminders(today=today)
        with django_assert_max_num_queries(14):
            assert client.get(reverse("waiting-duty")).status_code == 200


@pytest.mark.django_db
def test_nobody_chooses_not_yet_rated_by_hand(person, practitioner):
    from django.core.exceptions import ValidationError

    from carecase.waiting import services

    with pytest.raises(ValidationError, match="urgent, high, medium or low"):
        services.entry_create(person=person, queue="assessment", team=practitioner.team, by=practitioner.user,
                              band="not_rated", note="Not sure yet")
