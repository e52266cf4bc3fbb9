"""seed_demo --profile small: what a new user sees after `make run`."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import get_commands
from django.db import DatabaseError

from carecase import codes
from carecase.audit.models import RestrictedAccessGrant
from carecase.people.identifiers import nhs_number_is_valid, validate_postcode
from carecase.people.models import Person, PersonRelationship
from carecase.people.search_keys import keys_for_names
from carecase.people.selectors import SearchQuery, search_people
from carecase.records.models import CaseNote, Contact
from carecase.staff.models import Allocation, Role, StaffMember

from .conftest import AS_OF, seed

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "practitioner": Role.PRACTITIONER,
    "team.leader": Role.TEAM_LEADER,
    "safeguarding.lead": Role.SAFEGUARDING_LEAD,
    "dp.officer": Role.DP_OFFICER,
    "finance.officer": Role.FINANCE_OFFICER,
    "senior.manager": Role.SENIOR_MANAGER,
    "admin": Role.ADMINISTRATOR,
}


def test_seed_demo_is_a_management_command():
    # Needs "carecase.demo" in INSTALLED_APPS, so `manage.py seed_demo` and `make run` find it.
    assert get_commands().get("seed_demo") == "carecase.demo"


def test_small_profile_loads_about_300_people_with_their_records(seeded):
    assert 250 <= Person.objects.count() <= 350
    assert Contact.objects.count() > 200
    assert CaseNote.objects.count() > 200
    assert Allocation.objects.filter(ended_at__isnull=True).count() > 80
    kinds = set(PersonRelationship.objects.values_list("kind", flat=True))
    assert {"unpaid_carer", "family"} <= kinds
    assert PersonRelationship.objects.filter(lives_in_same_household=True).exists()
    assert "Demo sign-ins" in seeded and "carecase-demo" in seeded


def test_every_nhs_number_is_valid_and_unique(seeded):
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    assert len(numbers) > 200
    assert all(nhs_number_is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    # The range the NHS keeps for testing, so no demo number is a real person's.
    assert all(n.startswith("999") for n in numbers)


def test_every_postcode_is_a_valid_leicester_postcode(seeded):
    postcodes = list(Person.objects.values_list("postcode", flat=True))
    assert all(postcodes)
    for postcode in postcodes:
        validate_postcode(postcode)  # raises if not a valid UK postcode
        assert postcode.split(" ")[0] in {"LE1", "LE2", "LE3", "LE4", "LE5"}


def test_people_are_searchable_and_coded(seeded):
    for person in Person.objects.all()[:50]:
        assert person.search_keys == keys_for_names([person.given_name, person.family_name, person.preferred_name])
    people = list(Person.objects.all())
    for person in people:
        person.full_clean(exclude=["uuid"])  # every choice, validator and constraint holds
    assert {p.gender for p in people} <= set(codes.Gender.values)
    assert {p.primary_support_reason for p in people} <= set(codes.PrimarySupportReason.values)
    assert {p.accommodation_status for p in people} <= set(codes.AccommodationStatus.values)
    ethnicities = Counter(p.ethnicity for p in people)
    assert ethnicities[codes.Ethnicity.WHITE_BRITISH] > 60 and ethnicities[codes.Ethnicity.INDIAN] > 60


def test_contacts_carry_a_request_outcome_and_layer(seeded):
    for contact in Contact.objects.all():
        if contact.concluded_at:
            assert contact.outcome in codes.REQUEST_OUTCOMES
        assert contact.route_of_access in codes.RouteOfAccess.values
        if contact.outcome == codes.EventOutcome.NFA_INFO:
            assert contact.layer == codes.Layer.PREVENT
    layers = set(Contact.objects.values_list("layer", flat=True))
    assert {codes.Layer.PREVENT, codes.Layer.REDUCE, codes.Layer.DELAY, codes.Layer.MEET} <= layers


def test_wording_never_says_service_user_client_or_customer(seeded):
    texts = [f"{n.summary} {n.body}" for n in CaseNote.objects.all()]
    texts += [f"{c.reason} {c.made_by_name}" for c in Contact.objects.all()]
    texts += list(PersonRelationship.objects.values_list("notes", flat=True))
    for text in texts:
        lowered = text.lower()
        assert "service user" not in lowered and "client" not in lowered and "customer" not in lowered, text
        assert "{" not in text and "}" not in text, text  # every placeholder was filled


def test_one_demo_sign_in_per_role_with_the_demo_password(seeded):
    users = get_user_model().objects.filter(username__in=DEMO_ROLES)
    assert users.count() == len(DEMO_ROLES)
    for user in users:
        assert user.check_password("carecase-demo")
        assert user.staff.role == DEMO_ROLES[user.username]
    practitioner = StaffMember.objects.get(user__username="practitioner")
    leader = StaffMember.objects.get(user__username="team.leader")
    assert practitioner.team is not None and practitioner.team == leader.team
    assert practitioner.team.kind == "locality"
    assert Allocation.objects.filter(worker=practitioner, ended_at__isnull=True).count() >= 10
    assert CaseNote.objects.filter(person__allocations__worker=practitioner).exists()


def test_restricted_records_in_the_demo_team_show_both_sides(seeded):
    practitioner = get_user_model().objects.get(username="practitioner")
    team = practitioner.staff.team
    restricted = Person.objects.filter(is_restricted=True, allocations__team=team, allocations__ended_at__isnull=True)
    granted = {g.person_id for g in RestrictedAccessGrant.objects.filter(user=practitioner)}
    assert any(p.id in granted for p in restricted)
    assert any(p.id not in granted for p in restricted)


def test_search_finds_seeded_people_for_a_practitioner(seeded):
    user = get_user_model().objects.get(username="practitioner")
    people = list(Person.objects.filter(is_restricted=False).order_by("id")[::40])
    assert len(people) >= 5
    for person in people:
        found = search_people(user=user, query=SearchQuery(name=f"{person.given_name} {person.family_name}"))
        assert person.id in [row.id for row in found], person.full_name
    # A typo (two letters swapped in the family name) still finds them.
    person = next(p for p in people if len(p.family_name) >= 5)
    family = person.family_name
    typo = family[0] + family[2] + family[1] + family[3:]
    found = search_people(user=user, query=SearchQuery(name=f"{person.given_name} {typo}",
                                                        date_of_birth=person.date_of_birth))
    assert person.id in [row.id for row in found]


def test_older_people_on_support_are_mostly_over_80(seeded):
    supported = Person.objects.exclude(primary_support_reason__in=["Unknown", codes.PrimarySupportReason.CARER])
    ages = [p.age_on(AS_OF) for p in supported]
    older = [a for a in ages if a >= 65]
    assert len(older) > 40
    assert sum(a >= 80 for a in older) / len(older) > 0.45
    assert all(a >= 18 for a in ages)


def test_history_has_an_insert_event_for_every_seeded_row(seeded):
    assert Person.pgh_event_model.objects.filter(pgh_label="insert").count() == Person.objects.count()
    assert CaseNote.pgh_event_model.objects.filter(pgh_label="insert").count() == CaseNote.objects.count()
    contexts = set(Person.pgh_event_model.objects.values_list("pgh_context__metadata__command", flat=True))
    assert contexts == {"seed_demo"}


def test_if_empty_leaves_a_database_with_people_alone(seeded):
    before = Person.objects.count()
    output = seed("--if-empty")
    assert "already recorded" in output
    assert Person.objects.count() == before


def test_case_notes_older_than_a_day_are_locked_by_the_database(seeded):
    note = CaseNote.objects.order_by("occurred_at").first()
    note.body = "Rewritten"
    with pytest.raises(DatabaseError, match="Cannot update rows from records_casenote"):
        note.save()


def test_bad_postcodes_would_be_caught():
    with pytest.raises(ValidationError):
        validate_postcode("LE1 1CI")

