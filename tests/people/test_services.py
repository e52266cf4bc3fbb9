"""Writes to people and their relationships: validation, normalisation, search keys and access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carecase import codes
from carecase.audit.access import Level, ReasonRequired, RestrictedRecord, access_for
from carecase.audit.models import AccessBasis, AccessReason
from carecase.people.models import Person, PersonRelationship, RelationshipKind
from carecase.people.selectors import (
    SearchQuery,
    person_for_user,
    person_with_relationships,
    relationships_for,
    search_people,
)
from carecase.people.services import person_create, person_update, relationship_create, relationship_end
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def create(by, **fields):
    base = {"given_name": "Mohan", "family_name": "Patel", "date_of_birth": dt.date(1948, 3, 2)}
    return person_create(by=by.user, **{**base, **fields})


def test_create_normalises_identifiers_and_names(practitioner):
    person = create(practitioner, given_name="  Mohan   Lal ", nhs_number="943 476 5919", postcode="le16zg",
                    primary_support_reason=codes.PrimarySupportReason.MEMORY,
                    communication_needs=[codes.CommunicationNeed.LARGE_PRINT])
    person.refresh_from_db()
    assert (person.given_name, person.nhs_number, person.postcode) == ("Mohan Lal", "9434765919", "LE1 6ZG")
    assert person.nhs_number_display == "943 476 5919"
    assert person.primary_support_reason == "Support with Memory & Cognition"
    assert {"t:mohan", "t:lal", "t:patel", "x:pat"} <= set(person.search_keys)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number"),
        ({"nhs_number": "12345"}, "nhs_number"),
        ({"postcode": "LE1"}, "postcode"),
        ({"given_name": ""}, "given_name"),
        ({"gender": "Alien"}, "gender"),
        ({"date_of_death": dt.date(1940, 1, 1)}, "__all__"),
    ],
)
def test_create_rejects_bad_input_with_field_errors(practitioner, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        create(practitioner, **fields)
    assert field in excinfo.value.message_dict
    assert not Person.objects.exists()


def test_nhs_number_is_unique_when_present(practitioner):
    create(practitioner, nhs_number="9434765919")
    create(practitioner, given_name="Asha", nhs_number="")
    create(practitioner, given_name="Ravi", nhs_number="")
    with pytest.raises(ValidationError) as excinfo:
        create(practitioner, given_name="Other", nhs_number="943-476-5919")
    assert "nhs_number" in str(excinfo.value) or "__all__" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(nhs_number="9434765919")


def test_unknown_fields_are_refused(practitioner):
    with pytest.raises(TypeError):
        create(practitioner, search_keys=["t:hack"])


def test_creator_outside_the_person_team_gets_a_reason_to_open_it(practitioner):
    person = create(practitioner)
    reason = AccessReason.objects.get()
    assert (reason.user, reason.person, reason.reason) == (practitioner.user, person, "Created this record")
    access = access_for(fresh(practitioner.user), person)
    assert access.level == Level.FULL and access.basis == AccessBasis.REASON


def test_senior_manager_creating_needs_no_reason(senior_manager):
    create(senior_manager)
    assert not AccessReason.objects.exists()


def test_update_refreshes_search_keys_so_the_new_name_is_found(person, practitioner):
    person_update(person=person, by=practitioner.user, family_name="Mistry", postcode="le2 1aa")
    person.refresh_from_db()
    assert person.postcode == "LE2 1AA"
    assert [r.id for r in search_people(user=practitioner.user, query=SearchQuery(name="Mohan Mistry"))] == [
        person.pk
    ]
    assert search_people(user=practitioner.user, query=SearchQuery(name="Mohan Patel")) == []


def test_update_needs_full_access_and_validates(person, practitioner, other_practitioner):
    with pytest.raises(ReasonRequired):
        person_update(person=person, by=other_practitioner.user, phone="0116 000 0000")
    with pytest.raises(ValidationError):
        person_update(person=person, by=practitioner.user, nhs_number="1111111112")
    with pytest.raises(TypeError):
        person_update(person=person, by=practitioner.user, uuid="x")


def test_person_for_user_opens_and_logs(person, practitioner, other_practitioner):
    assert person_for_user(user=practitioner.user, person_id=person.pk) == person
    with pytest.raises(ReasonRequired):
        person_for_user(user=other_practitioner.user, person_id=person.pk)
    with pytest.raises(Person.DoesNotExist):
        person_for_user(user=practitioner.user, person_id=person.pk + 999)


# Relationships


@pytest.fixture
def carer(db):
    return PersonFactory(given_name="Asha", family_name="Patel")


def test_relationship_create_and_end(person, carer, practitioner):
    rel = relationship_create(person=carer, related_to=person, kind=RelationshipKind.UNPAID_CARER,
                              by=practitioner.user, lives_in_same_household=True,
                              started_on=dt.date(2020, 1, 1))
    assert rel.is_current
    # the carer is allocated to no team: the practitioner works from Mohan's record
    _opened, rels = relationships_for(user=practitioner.user, person_id=person.pk)
    assert rels == [rel]
    loaded = person_with_relationships(user=practitioner.user, person_id=person.pk)
    assert [r.person for r in loaded.relationships_to.all()] == [carer]
    relationship_end(relationship=rel, ended_on=dt.date(2024, 6, 30), by=fresh(practitioner.user))
    rel.refresh_from_db()
    assert not rel.is_current


def test_relationship_needs_the_full_record_of_one_of_the_two(person, carer, other_practitioner):
    for subject, other in ((person, carer), (carer, person)):
        with pytest.raises(ReasonRequired):
            relationship_create(person=subject, related_to=other, kind=RelationshipKind.FAMILY,
                                by=other_practitioner.user)
    assert not PersonRelationship.objects.exists()


def test_relationship_cannot_reach_a_restricted_record(person, practitioner):
    hidden = PersonFactory(is_restricted=True)
    for subject, other in ((person, hidden), (hidden, person)):
        with pytest.raises(RestrictedRecord):
            relationship_create(person=subject, related_to=other, kind=RelationshipKind.FAMILY,
                                by=practitioner.user)
    assert not PersonRelationship.objects.exists()


def test_relationship_rules(person, carer, practitioner):
    with pytest.raises(ValidationError):
        relationship_create(person=person, related_to=person, kind=RelationshipKind.FAMILY, by=practitioner.user)
    with pytest.raises(ValidationError):
        relationship_create(person=person, related_to=carer, kind="best_friend", by=practitioner.user)
    rel = relationship_create(person=person, related_to=carer, kind=RelationshipKind.FAMILY,
                              family_relationship="father", by=practitioner.user, started_on=dt.date(2001, 1, 1))
    with pytest.raises(ValidationError):  # one current relationship of each kind
        relationship_create(person=person, related_to=carer, kind=RelationshipKind.FAMILY, by=practitioner.user)
    with pytest.raises(ValidationError) as excinfo:
        relationship_end(relationship=rel, ended_on=dt.date(2000, 1, 1), by=practitioner.user)
    assert "ended_on" in excinfo.value.message_dict
    relationship_end(relationship=rel, ended_on=dt.date(2010, 1, 1), by=practitioner.user)
    # once ended, a new one of the same kind may start
    relationship_create(person=person, related_to=carer, kind=RelationshipKind.FAMILY, by=practitioner.user)
    assert PersonRelationship.objects.count() == 2


def test_rebuild_search_keys_command_refreshes_stale_keys(practitioner):
    from django.core.management import call_command

    from carecase.people.models import Person
    from tests.factories import PersonFactory

    person = PersonFactory(given_name="Abdul", family_name="Rahman")
    Person.objects.filter(pk=person.pk).update(search_keys=["t:old"])
    out = io.StringIO()
    call_command("rebuild_search_keys", stdout=out)
    person.refresh_from_db()
    assert "t:rahman" in person.search_keys and "t:old" not in person.search_keys
    assert "updated the search keys of 1" in out.getvalue()
