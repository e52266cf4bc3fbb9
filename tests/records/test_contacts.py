"""Contacts (CLD Request events): outcome coded two ways, concluded only with an outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecase import codes
from carecase.audit.access import ReasonRequired
from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.records.models import Contact, ContactMadeBy
from carecase.records.selectors import contact_for, contacts_for
from carecase.records.services import contact_conclude, contact_create
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

# The CLD request outcomes exactly as the national list spells them (GUIDE §5.4).
CLD_REQUEST_OUTCOMES = {
    "Progress to Reablement/ST-Max",
    "Progress to Assessment",
    "Progress to Support Planning / Services",
    "Progress to End of Life Care",
    "Admitted to hospital",
    "NFA - Information & Advice / Signposting only",
    "NFA - Support declined",
    "NFA - Self-funded client (inc. 12wk disregard)",
    "NFA - 100% NHS funded care",
    "NFA - Moved to another LA",
    "NFA - Deceased",
    "NFA - No services offered - other reason",
    "NFA - Other",
}


def new_contact(person, by, **overrides):
    fields = {
        "received_at": timezone.now() - dt.timedelta(hours=1),
        "route_of_access": codes.RouteOfAccess.COMMUNITY,
        "made_by": ContactMadeBy.FAMILY,
        "made_by_name": "Asha Patel (daughter)",
        "reason": "Dad has had two falls this week and cannot get upstairs.",
    }
    return contact_create(person=person, by=by, **{**fields, **overrides})


def test_request_outcome_codes_are_the_cld_values():
    assert {str(o) for o in codes.REQUEST_OUTCOMES} == CLD_REQUEST_OUTCOMES
    assert set(codes.Layer.values) == {"prevent", "reduce", "delay", "meet"}


def test_open_contact_has_no_outcome_or_conclusion(person, practitioner, team):
    contact = new_contact(person, practitioner.user, urgency="urgent", immediate_risk=True)
    contact.refresh_from_db()
    assert (contact.outcome, contact.layer, contact.concluded_at) == ("", "", None)
    assert contact.team == team  # the recorder's team
    assert contact.recorded_by == practitioner.user
    assert (contact.urgency, contact.immediate_risk) == ("urgent", True)
    assert contact.event_reference  # a stable id for the statutory return
    assert not RecordAccessEvent.objects.exists()  # writes go to the change history, not the read log


@pytest.mark.parametrize(
    ("outcome", "layer"),
    [
        (codes.EventOutcome.NFA_INFO, codes.Layer.PREVENT),
        (codes.EventOutcome.SUPPORT_PLANNING, codes.Layer.REDUCE),
        (codes.EventOutcome.REABLEMENT, codes.Layer.DELAY),
        (codes.EventOutcome.ASSESSMENT, codes.Layer.MEET),
        (codes.EventOutcome.NFA_DECLINED, ""),  # no layer for declined, moved, died...
    ],
)
def test_create_with_outcome_concludes_and_sets_the_default_layer(person, practitioner, outcome, layer):
    before = timezone.now()
    contact = new_contact(person, practitioner.user, outcome=outcome)
    contact.refresh_from_db()
    assert contact.outcome == outcome.value
    assert contact.layer == layer
    assert contact.concluded_at >= before


def test_worker_can_choose_another_layer(person, practitioner):
    contact = new_contact(person, practitioner.user, outcome=codes.EventOutcome.ASSESSMENT,
                          layer=codes.Layer.REDUCE)
    assert contact.layer == codes.Layer.REDUCE


def test_conclude_later(person, practitioner):
    contact = new_contact(person, practitioner.user)
    contact_conclude(contact=contact, by=practitioner.user, outcome=codes.EventOutcome.REABLEMENT)
    contact.refresh_from_db()
    assert contact.outcome == "Progress to Reablement/ST-Max"
    assert contact.layer == codes.Layer.DELAY
    assert contact.concluded_at is not None


@pytest.mark.parametrize(
    "outcome",
    ["", "Made up", codes.EventOutcome.NO_CHANGE, codes.EventOutcome.SERVICE, codes.EventOutcome.NFA_ENDED_OTHER],
)
def test_only_request_outcomes_conclude_a_contact(person, practitioner, outcome):
    contact = new_contact(person, practitioner.user)
    with pytest.raises(ValidationError) as excinfo:
        contact_conclude(contact=contact, by=practitioner.user, outcome=outcome)
    assert "outcome" in excinfo.value.message_dict
    contact.refresh_from_db()
    assert contact.concluded_at is None


@pytest.mark.parametrize("outcome", ["Made up", codes.EventOutcome.NO_CHANGE])
def test_only_request_outcomes_on_create(person, practitioner, outcome):
    with pytest.raises(ValidationError) as excinfo:
        new_contact(person, practitioner.user, outcome=outcome)
    assert "outcome" in excinfo.value.message_dict
    assert not Contact.objects.exists()


def test_database_refuses_a_concluded_contact_without_an_outcome(person, team, practitioner):
    with pytest.raises(IntegrityError, match="concluded_contact_has_outcome"), transaction.atomic():
        ContactFactory(person=person, team=team, concluded_at=timezone.now(), outcome="")
    contact = new_contact(person, practitioner.user, outcome=codes.EventOutcome.NFA_INFO)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(outcome="")


def test_contact_needs_a_team(person, senior_manager):
    with pytest.raises(ValidationError) as excinfo:
        new_contact(person, senior_manager.user)  # senior manager has no team
    assert "team" in excinfo.value.message_dict


def test_contact_needs_full_access(person, other_practitioner):
    with pytest.raises(ReasonRequired):
        new_contact(person, other_practitioner.user)
    assert not Contact.objects.exists()


def test_reading_contacts_is_scoped_and_logged(person, practitioner, other_practitioner):
    contact = new_contact(person, practitioner.user)
    _person, contacts = contacts_for(user=practitioner.user, person_id=person.pk)
    assert list(contacts) == [contact]
    assert contact_for(user=practitioner.user, contact_id=contact.pk) == contact
    with pytest.raises(ReasonRequired):
        contacts_for(user=other_practitioner.user, person_id=person.pk)
    assert list(RecordAccessEvent.objects.order_by("id").values_list("action", "resource")) == [
        (AccessAction.VIEW, "contacts"),
        (AccessAction.VIEW, "contact"),
        (AccessAction.DENIED, "contacts"),
    ]


def test_refused_write_leaves_the_refusal_logged_by_the_selector(person, other_practitioner):
    """The selector logs the refusal outside any transaction, so the service's rollback cannot lose it."""
    with pytest.raises(ReasonRequired):
        contacts_for(user=other_practitioner.user, person_id=person.pk)
    with pytest.raises(ReasonRequired):
        new_contact(person, other_practitioner.user)
    assert list(RecordAccessEvent.objects.values_list("action", flat=True)) == [AccessAction.DENIED]
