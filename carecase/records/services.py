"""Writes to contacts and case notes. A case note is a legal record: see case_note_update."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecase import codes
from carecase.audit.access import require_full_access, staff_member
from carecase.people.models import Person

from .models import CaseNote, CaseNoteAddendum, Contact

# The default layer for each request outcome (GUIDE §2.1); the worker may choose another.
LAYER_FOR_OUTCOME = {
    codes.EventOutcome.NFA_INFO: codes.Layer.PREVENT,
    codes.EventOutcome.SUPPORT_PLANNING: codes.Layer.REDUCE,
    codes.EventOutcome.REABLEMENT: codes.Layer.DELAY,
    codes.EventOutcome.ASSESSMENT: codes.Layer.MEET,
}


def _join_assessment_queue(contact: Contact, by) -> None:
    """A contact whose outcome is a needs assessment puts the person on the assessment waiting list
    (GUIDE §2.2), waiting from the day they got in touch, unless they are already waiting there."""
    from carecase.waiting.models import Queue, WaitingListEntry
    from carecase.waiting.services import entry_create

    if contact.outcome != codes.EventOutcome.ASSESSMENT:
        return
    if WaitingListEntry.objects.filter(person=contact.person, queue=Queue.ASSESSMENT, left_on__isnull=True).exists():
        return
    entry_create(person=contact.person, queue=Queue.ASSESSMENT, team=contact.team, by=by, contact=contact,
                 waiting_since=timezone.localtime(contact.received_at).date())


class NoteLocked(PermissionDenied):
    """The note is past its edit window (or not the user's): add an addendum instead."""


@transaction.atomic
def contact_create(*, person: Person, by, received_at: datetime, route_of_access: str, made_by: str,
                   reason: str, made_by_name: str = "", channel: str = "phone", urgency: str = "routine",
                   immediate_risk: bool = False, has_carer: bool = False, outcome: str = "", layer: str = "",
                   team=None) -> Contact:
    require_full_access(by, person)
    staff = staff_member(by)
    team = team or (staff.team if staff else None)
    if team is None:
        raise ValidationError({"team": "Choose the team recording this contact"})
    if outcome and outcome not in codes.REQUEST_OUTCOMES:
        raise ValidationError({"outcome": "Choose an outcome from the list"})
    if outcome and not layer:
        layer = LAYER_FOR_OUTCOME.get(outcome, "")
    contact = Contact(
        person=person, received_at=received_at, route_of_access=route_of_access, made_by=made_by,
        made_by_name=made_by_name, channel=channel, reason=reason, urgency=urgency,
        immediate_risk=immediate_risk, has_carer=has_carer, outcome=outcome, layer=layer,
        concluded_at=timezone.now() if outcome else None, team=team, recorded_by=by,
    )
    contact.full_clean()
    contact.save()
    _join_assessment_queue(contact, by)
    return contact


@transaction.atomic
def contact_conclude(*, contact: Contact, by, outcome: str, layer: str = "") -> Contact:
    require_full_access(by, contact.person)
    # A contact is a CLD Request event: only the request outcomes apply (GUIDE §5.4).
    if outcome not in codes.REQUEST_OUTCOMES:
        raise ValidationError({"outcome": "Choose an outcome from the list"})
    contact.outcome = outcome
    contact.layer = layer or LAYER_FOR_OUTCOME.get(outcome, "")
    contact.concluded_at = timezone.now()
    contact.full_clean()
    contact.save(update_fields=["outcome", "layer", "concluded_at"])
    _join_assessment_queue(contact, by)
    return contact


@transaction.atomic
def case_note_create(*, person: Person, by, occurred_at: datetime, kind: str, summary: str, body: str,
                     is_significant: bool = False) -> CaseNote:
    require_full_access(by, person)
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The date of the note cannot be in the future"})
    note = CaseNote(person=person, author=by, occurred_at=occurred_at, kind=kind, summary=summary, body=body,
                    is_significant=is_significant)
    note.full_clean()
    note.save()
    return note


def note_is_editable(note: CaseNote, user) -> bool:
    window = timedelta(hours=settings.CASE_NOTE_EDIT_HOURS)
    return note.author_id == user.pk and timezone.now() - note.created_at < window


@transaction.atomic
def case_note_update(*, note: CaseNote, by, **fields) -> CaseNote:
    """Correct one's own note within 24 hours. Afterwards the database itself refuses the change."""
    require_full_access(by, note.person)
    if not note_is_editable(note, by):
        raise NoteLocked("This note can no longer be changed. Add an addendum to it instead.")
    allowed = {"occurred_at", "kind", "summary", "body", "is_significant"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"Cannot change {key} on a case note")
        setattr(note, key, value)
    if note.occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The date of the note cannot be in the future"})
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def addendum_create(*, note: CaseNote, by, body: str) -> CaseNoteAddendum:
    require_full_access(by, note.person)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter the addendum"})
    return CaseNoteAddendum.objects.create(note=note, author=by, body=body)
