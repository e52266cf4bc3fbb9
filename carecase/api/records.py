"""Contacts (requests for support) and case notes, always read and written through the person's record."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from carecase import codes
from carecase.people.selectors import person_for_user
from carecase.records.models import CaseNote, CaseNoteKind, Contact, ContactChannel, ContactMadeBy, Urgency
from carecase.records.selectors import case_note_for, case_notes_for, contact_for, contacts_for
from carecase.records.services import (
    NoteLocked,
    addendum_create,
    case_note_create,
    case_note_update,
    contact_conclude,
    contact_create,
    note_is_editable,
)
from carecase.staff.selectors import teams_list

from .base import API_READ, ApiView
from .errors import error
from .fields import (
    CodeField,
    InputSerializer,
    StaffReference,
    TeamReference,
    YesNoFilter,
    datetime_field,
    text_field,
)
from .schema import CONFLICT, ERRORS_400, ERRORS_403, ERRORS_404

# A little leeway for clocks that run ahead of the server's.
CLOCK_LEEWAY = timedelta(minutes=5)


def not_in_future(value):
    if value > timezone.now() + CLOCK_LEEWAY:
        raise serializers.ValidationError("This must be now or in the past, not in the future.")
    return value


def request_outcome_field(**kwargs) -> CodeField:
    return CodeField(codes.REQUEST_OUTCOMES, name="RequestOutcome", **kwargs)


# --- contacts -----------------------------------------------------------------------------------------


class ContactFilter(django_filters.FilterSet):
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    concluded = YesNoFilter(
        field_name="concluded_at", lookup_expr="isnull", exclude=True, label="Concluded (true) or still open (false)"
    )
    received_from = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte")
    received_to = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte")

    class Meta:
        model = Contact
        fields = ["urgency", "concluded", "received_from", "received_to"]


class ContactOutput(serializers.Serializer):
    id = serializers.IntegerField()
    event_reference = serializers.UUIDField()
    person = serializers.IntegerField(source="person_id")
    received_at = serializers.DateTimeField()
    route_of_access = CodeField(codes.RouteOfAccess)
    made_by = CodeField(ContactMadeBy)
    made_by_name = serializers.CharField()
    channel = CodeField(ContactChannel)
    reason = serializers.CharField()
    urgency = CodeField(Urgency)
    immediate_risk = serializers.BooleanField()
    has_carer = serializers.BooleanField()
    outcome = CodeField(codes.EventOutcome, allow_null=True)
    layer = CodeField(codes.Layer, allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)
    team = TeamReference()
    recorded_by = StaffReference()
    created_at = serializers.DateTimeField()


class ContactInput(InputSerializer):
    received_at = datetime_field(validators=[not_in_future])
    route_of_access = CodeField(codes.RouteOfAccess)
    made_by = CodeField(ContactMadeBy)
    made_by_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    channel = CodeField(ContactChannel, required=False)
    reason = text_field(required_message="Enter the reason for the contact, in the person's own words if you can")
    urgency = CodeField(Urgency, required=False)
    immediate_risk = serializers.BooleanField(required=False)
    has_carer = serializers.BooleanField(required=False)
    outcome = request_outcome_field(required=False, help_text="Only if the contact is concluded straight away.")
    layer = CodeField(codes.Layer, required=False, help_text="Chosen from the outcome when left out.")
    team = serializers.IntegerField(
        min_value=1, required=False, help_text="The team recording the contact. Defaults to your own team."
    )

    def validate_team(self, value):
        team = teams_list().filter(pk=value).first()
        if team is None:
            raise serializers.ValidationError("There is no active team with this id.")
        return team

    def validate(self, attrs):
        if attrs.get("layer") and not attrs.get("outcome"):
            raise serializers.ValidationError({"layer": ["Give the outcome as well as the layer."]})
        return attrs


class ContactConcludeInput(InputSerializer):
    outcome = request_outcome_field()
    layer = CodeField(codes.Layer, required=False, help_text="Chosen from the outcome when left out.")


@extend_schema(tags=["Contacts"])
class ContactsView(ApiView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ContactFilter
    queryset = Contact.objects.none()  # noqa: TID251 - names the model for the schema; rows come from the selector

    @extend_schema(
        summary="List a person's contacts",
        responses={200: ContactOutput(many=True), 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def get(self, request, pk: int):
        _, contacts = contacts_for(user=request.user, person_id=pk, action=API_READ, path=request.path)
        return self.paginated(contacts, ContactOutput)

    @extend_schema(
        summary="Record a contact",
        request=ContactInput,
        responses={201: ContactOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def post(self, request, pk: int):
        person = person_for_user(
            user=request.user, person_id=pk, resource="contacts", action=API_READ, path=request.path
        )
        data = self.validated(ContactInput)
        contact = contact_create(person=person, by=request.user, **data)
        return Response(ContactOutput(contact).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Contacts"])
class ContactConcludeView(ApiView):
    @extend_schema(
        summary="Conclude a contact",
        request=ContactConcludeInput,
        responses={200: ContactOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        """Records the outcome from the national request outcome list, and the Prevent, Reduce, Delay or
        Meet layer."""
        contact = contact_for(user=request.user, contact_id=pk, action=API_READ, path=request.path)
        data = self.validated(ContactConcludeInput)
        if contact.concluded_at:
            return error(
                status.HTTP_409_CONFLICT,
                "already_concluded",
                f"This contact was already concluded on {timezone.localtime(contact.concluded_at):%-d %B %Y}.",
            )
        contact = contact_conclude(contact=contact, by=request.user, **data)
        return Response(ContactOutput(contact).data)


# --- case notes ---------------------------------------------------------------------------------------


class CaseNoteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CaseNoteKind.choices)
    significant = YesNoFilter(field_name="is_significant")
    occurred_from = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte")
    occurred_to = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte")

    class Meta:
        model = CaseNote
        fields = ["kind", "significant", "occurred_from", "occurred_to"]


class AddendumOutput(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    author = StaffReference()
    created_at = serializers.DateTimeField()


class CaseNoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    occurred_at = serializers.DateTimeField()
    kind = CodeField(CaseNoteKind)
    summary = serializers.CharField()
    body = serializers.CharField()
    is_significant = serializers.BooleanField()
    author = StaffReference()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    can_be_changed = serializers.SerializerMethodField(
        help_text="Whether you can still correct this note. Otherwise add an addendum."
    )
    addenda = AddendumOutput(many=True, source="addenda.all")

    def get_can_be_changed(self, note) -> bool:
        return note_is_editable(note, self.context["request"].user)


class CaseNoteInput(InputSerializer):
    occurred_at = datetime_field(validators=[not_in_future], help_text="When the visit, call or meeting happened.")
    kind = CodeField(CaseNoteKind)
    summary = text_field(max_length=200, required_message="Enter a short summary of the note")
    body = text_field(required_message="Enter the note")
    is_significant = serializers.BooleanField(required=False)


class AddendumInput(InputSerializer):
    body = text_field(required_message="Enter the addendum")


@extend_schema(tags=["Case notes"])
class CaseNotesView(ApiView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseNoteFilter
    queryset = CaseNote.objects.none()  # noqa: TID251 - names the model for the schema; rows come from the selector

    @extend_schema(
        summary="List a person's case notes",
        responses={200: CaseNoteOutput(many=True), 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def get(self, request, pk: int):
        """The chronology, newest first. Each note comes with its addenda."""
        _, notes = case_notes_for(user=request.user, person_id=pk, action=API_READ, path=request.path)
        return self.paginated(notes, CaseNoteOutput)

    @extend_schema(
        summary="Write a case note",
        request=CaseNoteInput,
        responses={201: CaseNoteOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def post(self, request, pk: int):
        person = person_for_user(
            user=request.user, person_id=pk, resource="case notes", action=API_READ, path=request.path
        )
        data = self.validated(CaseNoteInput)
        note = case_note_create(person=person, by=request.user, **data)
        return Response(CaseNoteOutput(note, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Case notes"])
class CaseNoteView(ApiView):
    @extend_schema(summary="Read a case note", responses={200: CaseNoteOutput, 403: ERRORS_403, 404: ERRORS_404})
    def get(self, request, pk: int):
        note = case_note_for(user=request.user, note_id=pk, action=API_READ, path=request.path)
        return Response(CaseNoteOutput(note, context={"request": request}).data)

    @extend_schema(
        summary="Correct a case note",
        request=CaseNoteInput(partial=True),
        responses={200: CaseNoteOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404, 409: CONFLICT},
    )
    def patch(self, request, pk: int):
        """Only the author, and only within 24 hours of writing it: a case note is a legal record.
        After that the API answers 409; add an addendum instead."""
        note = case_note_for(user=request.user, note_id=pk, action=API_READ, path=request.path)
        data = self.validated(CaseNoteInput, partial=True)
        try:
            note = case_note_update(note=note, by=request.user, **data)
        except NoteLocked as exc:
            if note.author_id != request.user.pk:
                raise NoteLocked("Only the author of a case note can change it. Add an addendum instead.") from exc
            raise
        return Response(CaseNoteOutput(note, context={"request": request}).data)


@extend_schema(tags=["Case notes"])
class AddendaView(ApiView):
    @extend_schema(
        summary="Add an addendum to a case note",
        request=AddendumInput,
        responses={201: AddendumOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404},
    )
    def post(self, request, pk: int):
        """The note itself never changes after 24 hours; an addendum adds to it and the original stays."""
        note = case_note_for(user=request.user, note_id=pk, action=API_READ, path=request.path)
        data = self.validated(AddendumInput)
        addendum = addendum_create(note=note, by=request.user, **data)
        return Response(AddendumOutput(addendum).data, status=status.HTTP_201_CREATED)
