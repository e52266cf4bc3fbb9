"""factory_boy factories (en_GB) shared by every test."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from carecase import codes
from carecase.people.models import Person, PersonRelationship
from carecase.people.services import refresh_search_keys
from carecase.records.models import CaseNote, Contact
from carecase.staff.models import Allocation, Role, StaffMember, Team, TeamKind

factory.Faker._DEFAULT_LOCALE = "en_GB"

# Valid NHS numbers (they pass the modulus 11 check) for tests.
VALID_NHS_NUMBERS = ["9434765919", "9434765870", "4857773457", "9876543210", "4010232137"]


def valid_nhs_number(n: int) -> str:
    """The n-th valid NHS number in a deterministic sequence starting 900 000 000."""
    base = 900000000 + n * 7
    while True:
        digits = f"{base:09d}"
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)
        base += 1


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Locality Team {n}")
    kind = TeamKind.LOCALITY
    phone = "0116 454 0000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.django.Password("correct-horse-battery")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    role = Role.PRACTITIONER
    team = factory.SubFactory(TeamFactory)
    job_title = "Social worker"
    direct_phone = "0116 454 1234"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=20, maximum_age=95)
    nhs_number = factory.Sequence(valid_nhs_number)
    postcode = "LE2 1AA"
    address_line_1 = factory.Faker("street_address")
    town = "Leicester"
    ethnicity = codes.Ethnicity.WHITE_BRITISH
    gender = codes.Gender.FEMALE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        refresh_search_keys(person)
        person.save()
        return person


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    worker = None
    started_at = factory.LazyFunction(timezone.now)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRelationship

    person = factory.SubFactory(PersonFactory)
    related_to = factory.SubFactory(PersonFactory)
    kind = "unpaid_carer"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    received_at = factory.LazyFunction(timezone.now)
    route_of_access = codes.RouteOfAccess.COMMUNITY
    made_by = "family"
    reason = "My mum keeps falling at home and cannot manage the stairs."
    team = factory.SubFactory(TeamFactory)
    recorded_by = factory.SubFactory(UserFactory)


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    person = factory.SubFactory(PersonFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    kind = "visit"
    summary = "Home visit"
    body = "Visited at home. Talked about what matters: seeing her grandchildren on Sundays."
    author = factory.SubFactory(UserFactory)
