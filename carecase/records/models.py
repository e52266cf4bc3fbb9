"""Contacts (requests for support, the CLD Request event) and the case-note chronology."""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from carecase import codes


class ContactMadeBy(models.TextChoices):
    PERSON = "person", "The person"
    FAMILY = "family", "Family, friend or neighbour"
    PROFESSIONAL = "professional", "Professional (for example a GP)"
    HOSPITAL = "hospital", "Hospital"
    POLICE = "police", "Police"
    PROVIDER = "provider", "Care provider"
    ONLINE = "online", "Online self-assessment"
    OTHER = "other", "Someone else"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    ONLINE = "online", "Online form"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon (within a week)"
    URGENT = "urgent", "Urgent (today)"


@pghistory.track()
class Contact(models.Model):
    """A request for support. Its outcome is coded both ways: the CLD request outcome and the layer."""

    event_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField()
    route_of_access = models.CharField(max_length=60, choices=codes.RouteOfAccess.choices)
    made_by = models.CharField(max_length=20, choices=ContactMadeBy.choices)
    made_by_name = models.CharField("name of who made contact", max_length=120, blank=True)
    channel = models.CharField(max_length=20, choices=ContactChannel.choices, default=ContactChannel.PHONE)
    reason = models.TextField(help_text="In the person's own words where possible.")
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    immediate_risk = models.BooleanField(default=False)
    has_carer = models.BooleanField(default=False)
    outcome = models.CharField(max_length=60, choices=codes.EventOutcome.choices, blank=True)
    layer = models.CharField(max_length=10, choices=codes.Layer.choices, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="contacts")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # A concluded event always has an outcome (CLD data-quality rule, GUIDE §7.5).
            models.CheckConstraint(
                condition=Q(concluded_at__isnull=True) | ~Q(outcome=""), name="concluded_contact_has_outcome"
            ),
        ]
        indexes = [models.Index(fields=["person", "-received_at"]), models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"Contact on {self.received_at:%d %b %Y}"


class CaseNoteKind(models.TextChoices):
    VISIT = "visit", "Visit"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    OVERSIGHT = "oversight", "Management oversight"
    OTHER = "other", "Other"


@pghistory.track()
@pgtrigger.register(
    # A case note is a legal record: once past the edit window it can only be added to. Who wrote it,
    # whose record it is on and when it was written never change, so the window cannot be reopened.
    pgtrigger.Protect(
        name="case_note_locked_after_24_hours",
        operation=pgtrigger.Update,
        condition=pgtrigger.Condition(
            "OLD.created_at < now() - interval '24 hours'"
            " OR NEW.created_at IS DISTINCT FROM OLD.created_at"
            " OR NEW.author_id IS DISTINCT FROM OLD.author_id"
            " OR NEW.person_id IS DISTINCT FROM OLD.person_id"
        ),
    ),
    pgtrigger.Protect(name="case_note_never_deleted", operation=pgtrigger.Delete),
)
class CaseNote(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    occurred_at = models.DateTimeField(help_text="When the visit, call or meeting happened.")
    kind = models.CharField(max_length=20, choices=CaseNoteKind.choices)
    summary = models.CharField(max_length=200)
    body = models.TextField()
    is_significant = models.BooleanField("significant event", default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_at:%d %b %Y}: {self.summary}"


@pgtrigger.register(
    pgtrigger.Protect(name="addendum_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class CaseNoteAddendum(models.Model):
    """Added to a case note after its edit window. Never changed; the original note stays visible."""

    note = models.ForeignKey(CaseNote, on_delete=models.PROTECT, related_name="addenda")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Addendum to note {self.note_id}"
