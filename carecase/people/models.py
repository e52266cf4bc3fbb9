"""People who draw on support, carers and the people around them, and how they are related."""

from __future__ import annotations

import uuid
from datetime import date

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q

from carecase import codes

from .identifiers import format_nhs_number, validate_nhs_number, validate_postcode


@pghistory.track()
class Person(models.Model):
    """A person known to adult social care. The id is the stable council person id and is never reused."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, validators=[validate_nhs_number])

    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=20, choices=codes.ContactMethod.choices, default=codes.ContactMethod.PHONE
    )

    gender = models.CharField(max_length=20, choices=codes.Gender.choices, default=codes.Gender.UNKNOWN)
    ethnicity = models.CharField(
        max_length=80, choices=codes.Ethnicity.choices, default=codes.Ethnicity.NOT_RECORDED
    )
    first_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    communication_needs = ArrayField(
        models.CharField(max_length=30, choices=codes.CommunicationNeed.choices), default=list, blank=True
    )
    communication_notes = models.TextField(blank=True)

    client_type = models.CharField(max_length=40, choices=codes.ClientType.choices, default=codes.ClientType.PERSON)
    primary_support_reason = models.CharField(
        max_length=80, choices=codes.PrimarySupportReason.choices, default=codes.PrimarySupportReason.UNKNOWN
    )
    accommodation_status = models.CharField(
        max_length=90, choices=codes.AccommodationStatus.choices, default=codes.AccommodationStatus.UNKNOWN
    )
    has_unpaid_carer = models.BooleanField(default=False)
    is_restricted = models.BooleanField(
        default=False, help_text="Only staff granted by name can open a restricted record."
    )

    # Keys for typo-tolerant name search (see search_keys.py); kept in step by the person services.
    search_keys = ArrayField(models.CharField(max_length=40), default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="unique_nhs_number_when_present",
                violation_error_code="unique_nhs_number_when_present",
                violation_error_message="Someone on CareCase already has this NHS number. Search for it before adding "
                "a new person",
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=F("date_of_birth")),
                name="death_after_birth",
                violation_error_code="death_after_birth",
                violation_error_message="The date of death must be on or after the date of birth",
            ),
        ]
        indexes = [
            # fastupdate off: a burst of inserts (an import) must not leave searches scanning a pending list.
            GinIndex(fields=["search_keys"], name="person_search_keys", fastupdate=False),
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["postcode"], name="person_postcode"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    def age_on(self, on: date) -> int | None:
        if not self.date_of_birth:
            return None
        end = min(on, self.date_of_death) if self.date_of_death else on
        dob = self.date_of_birth
        return end.year - dob.year - ((end.month, end.day) < (dob.month, dob.day))


class RelationshipKind(models.TextChoices):
    UNPAID_CARER = "unpaid_carer", "Unpaid carer of"
    NOMINATED_PERSON = "nominated_person", "Nominated person for"
    ATTORNEY = "attorney", "Lasting power of attorney for"
    DEPUTY = "deputy", "Deputy (Court of Protection) for"
    ADVOCATE = "advocate", "Advocate for"
    FAMILY = "family", "Family member of"


@pghistory.track()
class PersonRelationship(models.Model):
    """`person` is <kind> of `related_to`: for example, Asha Patel is unpaid carer of Mohan Patel."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_from")
    related_to = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_to")
    kind = models.CharField(max_length=30, choices=RelationshipKind.choices)
    family_relationship = models.CharField(
        max_length=60, blank=True, help_text="For family members: for example daughter, husband, brother."
    )
    lives_in_same_household = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("related_to")), name="relationship_not_to_self"),
            models.UniqueConstraint(
                fields=["person", "related_to", "kind"],
                condition=Q(ended_on__isnull=True),
                name="one_current_relationship_of_each_kind",
                violation_error_code="one_current_relationship_of_each_kind",
                violation_error_message="This relationship is already recorded. End the current one before adding "
                "it again",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} {self.related_to}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
