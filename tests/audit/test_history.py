"""Change history by database triggers (django-pghistory), with who or what made each change."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from pghistory.middleware import HistoryMiddleware

from carecase.audit.history import acting_as
from carecase.people.models import Person
from carecase.people.services import person_update
from carecase.staff.services import allocate

pytestmark = pytest.mark.django_db

PersonEvent = apps.get_model("people", "PersonEvent")
AllocationEvent = apps.get_model("staff", "AllocationEvent")


def last_event(person):
    return PersonEvent.objects.filter(pgh_obj_id=person.pk).select_related("pgh_context").latest("pgh_id")


def test_change_inside_acting_as_records_the_user_and_source(person, practitioner):
    with acting_as(practitioner.user, source="command:import_people"):
        person_update(person=person, by=practitioner.user, phone="0116 496 0000")
    event = last_event(person)
    assert event.pgh_label == "update"
    assert event.phone == "0116 496 0000"
    assert event.pgh_context.metadata == {"user": practitioner.user.pk, "source": "command:import_people"}


def test_system_job_without_a_user_records_the_source(person):
    with acting_as(source="task:nightly_tidy"):
        Person.objects.filter(pk=person.pk).update(town="Oadby")
    assert last_event(person).pgh_context.metadata == {"user": None, "source": "task:nightly_tidy"}


def test_bulk_queryset_update_is_captured_for_every_row(person, practitioner):
    others = [Person.objects.create(given_name=n, family_name="Mistry") for n in ("Anil", "Meena")]
    with acting_as(practitioner.user, source="command:fix_towns") as context:
        changed = Person.objects.filter(family_name__in=["Patel", "Mistry"]).update(town="Wigston")
    assert changed == 3
    events = PersonEvent.objects.filter(pgh_label="update", town="Wigston")
    assert sorted(events.values_list("pgh_obj_id", flat=True)) == sorted([person.pk, *(p.pk for p in others)])
    # one context row groups the whole change
    assert set(events.values_list("pgh_context_id", flat=True)) == {context.id}


def test_raw_sql_and_changes_outside_any_context_are_still_captured(person):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET phone = %s WHERE id = %s", ["07700 900123", person.pk])
    event = last_event(person)
    assert (event.pgh_label, event.phone, event.pgh_context) == ("update", "07700 900123", None)


def test_other_tracked_models_share_the_context(person, team_leader, other_team):
    with acting_as(team_leader.user, source="task:rebalance_caseloads"):
        allocate(person=person, team=other_team, worker=None, by=team_leader.user)
    events = AllocationEvent.objects.filter(person_id=person.pk).select_related("pgh_context")
    labelled = sorted((e.pgh_label, e.ended_at is None) for e in events if e.pgh_context)
    assert labelled == [("insert", True), ("update", False)]
    assert {e.pgh_context.metadata["source"] for e in events if e.pgh_context} == {"task:rebalance_caseloads"}


def test_a_web_request_records_the_acting_user_and_address(person, practitioner):
    request = RequestFactory().post(f"/people/{person.pk}/edit/")
    request.user = practitioner.user

    def view(request):
        person_update(person=person, by=request.user, preferred_name="Mo")
        return HttpResponse()

    HistoryMiddleware(view)(request)
    event = last_event(person)
    assert event.preferred_name == "Mo"
    assert event.pgh_context.metadata == {"user": practitioner.user.pk, "url": f"/people/{person.pk}/edit/"}


def test_acting_as_inside_a_request_adds_the_source(person, practitioner):
    request = RequestFactory().post("/api/v1/people/")
    request.user = practitioner.user

    def view(request):
        with acting_as(request.user, source="api"):
            person_update(person=person, by=request.user, town="Leicester")
        return HttpResponse()

    HistoryMiddleware(view)(request)
    assert last_event(person).pgh_context.metadata == {
        "user": practitioner.user.pk, "url": "/api/v1/people/", "source": "api"
    }


def test_acting_as_needs_a_source():
    with pytest.raises(ValueError, match="Say what is making the change"):
        with acting_as(source=""):
            pass
