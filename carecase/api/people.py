"""People: search, read, create, update, reasons to open a record, and relationships between people."""

from __future__ import annotations

import re

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from carecase import codes
from carecase.audit.access import Level, NoAccess, RestrictedRecord, access_levels, can_search
from carecase.audit.services import give_reason
from carecase.people.identifiers import normalise_postcode, validate_nhs_number, validate_postcode
from carecase.people.models import Person, RelationshipKind
from carecase.people.selectors import (
    MAX_RESULTS,
    SearchQuery,
    likely_duplicates,
    person_for_reason_page,
    person_for_user,
    person_to_link,
    relationship_for,
    relationships_for,
    search_people,
)
from carecase.people.services import person_create, person_update, relationship_create, relationship_end

from .base import API_READ, ApiView, Pagination
from .errors import error
from .fields import CodeField, InputSerializer, date_field, text_field
from .schema import CONFLICT, ERRORS_400, ERRORS_403, ERRORS_404

OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


class AccessShown(models.TextChoices):
    """How much of a person's record the caller may see."""

    FULL = "full", "The whole record can be opened"
    LIMITED = "limited", "Outside your team: name, date of birth and NHS number only; give a reason to open it"
    RESTRICTED = "restricted", "A restricted record: only staff named on it can open it"


ACCESS_FOR_LEVEL = {
    Level.FULL: AccessShown.FULL,
    Level.LIMITED: AccessShown.LIMITED,
    Level.RESTRICTED: AccessShown.RESTRICTED,
}


# --- people -------------------------------------------------------------------------------------------


class PeopleSearchQuery(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                 help_text="Any order, and tolerant of small spelling mistakes.")
    date_of_birth = date_field(required=False)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                     help_text="A full postcode, or its first half (for example LE2).")
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=14,
                                       validators=[validate_nhs_number])

    def validate_postcode(self, value: str) -> str:
        if value and not OUTWARD_CODE.match(normalise_postcode(value)):
            validate_postcode(value)
        return value

    def validate(self, attrs):
        if not any(attrs.get(key) for key in ("name", "date_of_birth", "postcode", "nhs_number")):
            raise serializers.ValidationError(
                {"non_field_errors": ["Enter a name, date of birth, postcode or NHS number to search for."]}
            )
        return attrs


class PersonSearchResult(serializers.Serializer):
    """What search shows. A restricted row shows only that the record exists; outside the user's team the
    postcode is left out."""

    id = serializers.IntegerField()
    access = CodeField(AccessShown)
    name = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    nhs_number = serializers.CharField(allow_null=True)
    postcode = serializers.CharField(allow_null=True)

    def to_representation(self, row):
        shows = row.access.level >= Level.LIMITED
        return {
            "id": row.id,
            "access": ACCESS_FOR_LEVEL[row.access.level].value,
            "name": row.display_name if shows else None,
            "date_of_birth": row.date_of_birth.isoformat() if shows and row.date_of_birth else None,
            "nhs_number": (row.nhs_number or None) if shows else None,
            "postcode": (row.postcode or None) if shows else None,
        }


class PersonOutput(serializers.ModelSerializer):
    preferred_contact_method = CodeField(codes.ContactMethod)
    gender = CodeField(codes.Gender)
    ethnicity = CodeField(codes.Ethnicity)
    communication_needs = serializers.ListField(child=CodeField(codes.CommunicationNeed))
    client_type = CodeField(codes.ClientType)
    primary_support_reason = CodeField(codes.PrimarySupportReason)
    accommodation_status = CodeField(codes.AccommodationStatus)

    class Meta:
        model = Person
        fields = [
            "id", "uuid", "given_name", "family_name", "preferred_name", "date_of_birth", "date_of_death",
            "nhs_number", "address_line_1", "address_line_2", "town", "postcode", "phone", "email",
            "preferred_contact_method", "gender", "ethnicity", "first_language", "interpreter_needed",
            "communication_needs", "communication_notes", "client_type", "primary_support_reason",
            "accommodation_status", "has_unpaid_carer", "is_restricted", "created_at", "updated_at",
        ]
        read_only_fields = fields


class PersonInput(InputSerializer):
    given_name = text_field(max_length=100, required_message="Enter the person's given name")
    family_name = text_field(max_length=100, required_message="Enter the person's family name")
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = date_field(required=False, allow_null=True)
    date_of_death = date_field(required=False, allow_null=True)
    nhs_number = serializers.CharField(max_length=14, required=False, allow_blank=True,
                                       validators=[validate_nhs_number])
    address_line_1 = serializers.CharField(max_length=120, required=False, allow_blank=True)
    address_line_2 = serializers.CharField(max_length=120, required=False, allow_blank=True)
    town = serializers.CharField(max_length=80, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, validators=[validate_postcode])
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    preferred_contact_method = CodeField(codes.ContactMethod, required=False)
    gender = CodeField(codes.Gender, required=False)
    ethnicity = CodeField(codes.Ethnicity, required=False)
    first_language = serializers.CharField(max_length=60, required=False)
    interpreter_needed = serializers.BooleanField(required=False)
    communication_needs = serializers.ListField(child=CodeField(codes.CommunicationNeed), required=False)
    communication_notes = serializers.CharField(required=False, allow_blank=True)
    client_type = CodeField(codes.ClientType, required=False)
    primary_support_reason = CodeField(codes.PrimarySupportReason, required=False)
    accommodation_status = CodeField(codes.AccommodationStatus, required=False)
    has_unpaid_carer = serializers.BooleanField(required=False)

    def validate(self, attrs):
        today = timezone.localdate()
        errors = {}
        for key, label in (("date_of_birth", "date of birth"), ("date_of_death", "date of death")):
            if attrs.get(key) and attrs[key] > today:
                errors[key] = [f"The {label} must be today or in the past."]
        born, died = attrs.get("date_of_birth"), attrs.get("date_of_death")
        if born and died and died < born and "date_of_death" not in errors:
            errors["date_of_death"] = ["The date of death must be on or after the date of birth."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PersonCreateInput(PersonInput):
    confirm_not_duplicate = serializers.BooleanField(
        default=False,
        help_text="Send true after checking the likely duplicates the API answered with, to add the person anyway.",
    )


class DuplicatesOutput(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    candidates = PersonSearchResult(many=True)


class SearchPagination(Pagination):
    """Search returns at most MAX_RESULTS best matches, all on one page: every person recorded in the access
    log as listed is one the caller was actually sent."""

    page_size = MAX_RESULTS
    max_page_size = MAX_RESULTS
    page_size_query_param = None


@extend_schema(tags=["People"])
class PeopleView(ApiView):
    pagination_class = SearchPagination

    @extend_schema(
        summary="Search for people",
        parameters=[PeopleSearchQuery],
        responses={200: PersonSearchResult(many=True), 400: ERRORS_400, 403: ERRORS_403},
    )
    def get(self, request):
        """Search by name, date of birth, postcode and NHS number. Every person listed is recorded in the
        access log. Outside your team a row shows only name, date of birth and NHS number."""
        if not can_search(request.user):
            raise NoAccess("Your role does not search people's records.")
        query = self.validated(PeopleSearchQuery, data=request.query_params)
        rows = search_people(user=request.user, query=SearchQuery(**query), path=request.path)
        return self.paginated(rows, PersonSearchResult)

    @extend_schema(
        summary="Add a person",
        request=PersonCreateInput,
        responses={
            201: PersonOutput,
            400: ERRORS_400,
            403: ERRORS_403,
            409: OpenApiResponse(DuplicatesOutput, description="People already on record who may be this person."),
        },
    )
    def post(self, request):
        """Checks for likely duplicates first: if any are found, answers 409 with them. Send the request
        again with `confirm_not_duplicate: true` to add the person anyway."""
        if not can_search(request.user):
            # The duplicate check is a search, so a role that cannot search cannot add people.
            raise NoAccess("Your role does not add people's records.")
        data = dict(self.validated(PersonCreateInput))
        if not data.pop("confirm_not_duplicate"):
            candidates = likely_duplicates(
                user=request.user,
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data.get("date_of_birth"),
                nhs_number=data.get("nhs_number", ""),
                postcode=data.get("postcode", ""),
            )
            if candidates:
                return error(
                    status.HTTP_409_CONFLICT,
                    "possible_duplicate",
                    "This person may already be on record. Check these people; if none of them is the "
                    "person, send the request again with confirm_not_duplicate set to true.",
                    candidates=PersonSearchResult(candidates, many=True).data,
                )
        person = person_create(by=request.user, **data)
        person = person_for_user(
            user=request.user, person_id=person.id, resource="person record", action=API_READ, path=request.path
        )
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["People"])
class PersonView(ApiView):
    @extend_schema(summary="Read a person's record", responses={200: PersonOutput, 403: ERRORS_403, 404: ERRORS_404})
    def get(self, request, pk: int):
        """Outside your team, answers 403 with code `reason_required` until you give a reason."""
        person = person_for_user(
            user=request.user, person_id=pk, resource="person record", action=API_READ, path=request.path
        )
        return Response(PersonOutput(person).data)

    @extend_schema(
        summary="Change a person's record",
        request=PersonInput(partial=True),
        responses={200: PersonOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def patch(self, request, pk: int):
        person = person_for_user(
            user=request.user, person_id=pk, resource="person record", action=API_READ, path=request.path
        )
        data = self.validated(PersonInput, partial=True)
        person = person_update(person=person, by=request.user, **data)
        return Response(PersonOutput(person).data)


class AccessReasonInput(InputSerializer):
    reason = text_field(
        min_length=10,
        max_length=1000,
        required_message="Say why you need to open this record",
        error_messages={"min_length": "Say why you need to open this record, in at least 10 characters"},
    )


class AccessReasonOutput(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    reason = serializers.CharField()
    given_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


@extend_schema(tags=["People"])
class AccessReasonView(ApiView):
    @extend_schema(
        summary="Give a reason to open a record outside your team",
        request=AccessReasonInput,
        responses={201: AccessReasonOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def post(self, request, pk: int):
        """The reason is recorded, and the record then opens to you for a few hours."""
        person, access = person_for_reason_page(user=request.user, person_id=pk, path=request.path)
        if access.level == Level.RESTRICTED:
            raise RestrictedRecord("This record is restricted.")
        reason = self.validated(AccessReasonInput)["reason"]
        try:
            given = give_reason(user=request.user, person=person, reason=reason)
        except ValueError as exc:
            raise serializers.ValidationError({"reason": [str(exc)]}) from exc
        return Response(AccessReasonOutput(given).data, status=status.HTTP_201_CREATED)


# --- relationships ------------------------------------------------------------------------------------


class PersonReference(serializers.Serializer):
    """Another person named on a record. The name is left out where search would not show it (a
    restricted record the user is not named on)."""

    id = serializers.IntegerField()
    name = serializers.CharField(allow_null=True)

    def to_representation(self, person):
        shown = self.context.get("shown_people")
        return {"id": person.id, "name": person.display_name if shown is None or person.id in shown else None}


class RelationshipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonReference()
    kind = CodeField(RelationshipKind)
    related_to = PersonReference()
    family_relationship = serializers.CharField()
    lives_in_same_household = serializers.BooleanField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    is_current = serializers.BooleanField()
    notes = serializers.CharField()


class RelationshipInput(InputSerializer):
    related_to = serializers.IntegerField(
        min_value=1, required=False,
        help_text="Send this, or person: the person in the address is <kind> of the person with this id.",
    )
    person = serializers.IntegerField(
        min_value=1, required=False,
        help_text="Send this, or related_to: the person with this id is <kind> of the person in the address.",
    )
    kind = CodeField(RelationshipKind)
    family_relationship = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                                help_text="For family members: for example daughter, husband.")
    lives_in_same_household = serializers.BooleanField(required=False)
    started_on = date_field(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if ("related_to" in attrs) == ("person" in attrs):
            message = "Give the other person's id, as either related_to or person (not both)."
            raise serializers.ValidationError({"related_to": [message]})
        started_on = attrs.get("started_on")
        if started_on and started_on > timezone.localdate():
            raise serializers.ValidationError({"started_on": ["The start date must be today or in the past."]})
        return attrs


class RelationshipEndInput(InputSerializer):
    ended_on = date_field()

    def validate_ended_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("The end date must be today or in the past.")
        return value


def shown_people(user, people) -> set[int]:
    """Ids of the people whose names the user may see (what search would show them)."""
    return {pid for pid, access in access_levels(user, people).items() if access.level >= Level.LIMITED}


@extend_schema(tags=["Relationships"])
class RelationshipsView(ApiView):
    @extend_schema(
        summary="List a person's relationships",
        responses={200: RelationshipOutput(many=True), 403: ERRORS_403, 404: ERRORS_404},
    )
    def get(self, request, pk: int):
        """Both directions: relationships this person has to others, and others have to them."""
        person, relationships = relationships_for(user=request.user, person_id=pk, action=API_READ, path=request.path)
        others = {p.id: p for r in relationships for p in (r.person, r.related_to) if p.id != person.id}
        shown = shown_people(request.user, others.values()) | {person.id}
        return self.paginated(relationships, RelationshipOutput, shown_people=shown)

    @extend_schema(
        summary="Record a relationship",
        request=RelationshipInput,
        responses={201: RelationshipOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def post(self, request, pk: int):
        """Records that Asha Patel is the unpaid carer of Mohan Patel either on Mohan Patel's address with
        `{"person": <Asha Patel's id>, "kind": "unpaid_carer"}`, or on Asha Patel's address with
        `{"related_to": <Mohan Patel's id>, "kind": "unpaid_carer"}`. You need the full record of the
        person in the address; the other person needs only to be one you could find in search."""
        subject = person_for_user(
            user=request.user, person_id=pk, resource="relationships", action=API_READ, path=request.path
        )
        data = dict(self.validated(RelationshipInput))
        other_side = "related_to" if "related_to" in data else "person"
        other_id = data.pop(other_side)
        if other_id == subject.id:
            raise serializers.ValidationError({other_side: ["A person cannot be related to themselves."]})
        try:
            other = person_to_link(user=request.user, person_id=other_id, action=API_READ, path=request.path)
        except ObjectDoesNotExist as exc:
            raise serializers.ValidationError({other_side: ["There is no person with this id."]}) from exc
        sides = {"person": subject, "related_to": other}
        if other_side == "person":
            sides = {"person": other, "related_to": subject}
        relationship = relationship_create(**sides, by=request.user, **data)
        return Response(
            RelationshipOutput(relationship, context={"shown_people": {subject.id, other.id}}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["Relationships"])
class RelationshipEndView(ApiView):
    @extend_schema(
        summary="End a relationship",
        request=RelationshipEndInput,
        responses={200: RelationshipOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        """The relationship stays on record, with the date it ended."""
        relationship = relationship_for(user=request.user, relationship_id=pk, action=API_READ, path=request.path)
        ended_on = self.validated(RelationshipEndInput)["ended_on"]
        if relationship.ended_on:
            return error(
                status.HTTP_409_CONFLICT,
                "already_ended",
                f"This relationship already ended on {relationship.ended_on:%-d %B %Y}.",
            )
        relationship = relationship_end(relationship=relationship, ended_on=ended_on, by=request.user)
        shown = shown_people(request.user, [relationship.person, relationship.related_to])
        return Response(RelationshipOutput(relationship, context={"shown_people": shown}).data)
