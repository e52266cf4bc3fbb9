"""Every write to waiting lists. The band is suggested by the priority rules (kept as data) and accepted or
overridden with a note; every change of band is kept; the wait is measured from the day the person joined."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase.audit.access import require_full_access
from carecase.records import services as record_services

from .models import (
    Band,
    ChangeReason,
    DashboardChoice,
    ExitReason,
    KeepInTouchContact,
    KeepInTouchResult,
    PriorityChange,
    Queue,
    WaitingListEntry,
)


def next_contact_due(band: str, *, after: dt.date | None = None) -> dt.date:
    """When to get in touch next: the band's interval from the rule file (not yet rated: the next day, so
    triage happens within a working day)."""
    after = after or timezone.localdate()
    if band == Band.NOT_RATED:
        return after + dt.timedelta(days=1)
    return after + dt.timedelta(days=waiting_priority.interval_days(band))


def _band_from(checklist: Mapping[str, bool], band: str | None, note: str):
    try:
        suggestion = waiting_priority.suggest(dict(checklist))
    except ValueError as exc:
        raise ValidationError({"checklist": str(exc)}) from None
    chosen = band or suggestion.band
    if chosen not in Band.values or band == Band.NOT_RATED:
        # "Not yet rated" only comes from an unanswered checklist (a contact joining the list); nobody chooses it.
        raise ValidationError({"band": "Choose a priority from the list: urgent, high, medium or low"})
    if chosen != suggestion.band and not (note or "").strip():
        raise ValidationError({"note": "Say why you chose a different priority from the one suggested"})
    return suggestion, chosen


@transaction.atomic
def entry_create(*, person, queue: str, team, by, checklist: Mapping[str, bool] | None = None,
                 band: str | None = None, note: str = "", waiting_since: dt.date | None = None,
                 contact=None) -> WaitingListEntry:
    require_full_access(by, person)
    if queue not in Queue.values:
        raise ValidationError({"queue": "Choose a waiting list"})
    waiting_since = waiting_since or timezone.localdate()
    if waiting_since > timezone.localdate():
        raise ValidationError({"waiting_since": "The date they started waiting cannot be in the future"})
    if WaitingListEntry.objects.filter(person=person, queue=queue, left_on__isnull=True).exists():
        raise ValidationError({"queue": "This person is already waiting in this queue"})
    suggestion, chosen = _band_from(checklist or {}, band, note)
    entry = WaitingListEntry.objects.create(
        person=person, queue=queue, team=team, contact=contact, waiting_since=waiting_since, band=chosen,
        suggested_band=suggestion.band, checklist=dict(checklist or {}),
        priority_ruleset_version=suggestion.ruleset_version, next_contact_due=next_contact_due(chosen),
        created_by=by)
    PriorityChange.objects.create(entry=entry, from_band="", to_band=chosen, suggested_band=suggestion.band,
                                  reason=ChangeReason.TRIAGE, note=(note or "").strip(), by=by)
    return entry


@transaction.atomic
def entry_reprioritise(*, entry: WaitingListEntry, by, checklist: Mapping[str, bool], reason: str,
                       band: str | None = None, note: str = "") -> WaitingListEntry:
    """Answer the checklist again; the new band resets the next contact date, never the waiting clock."""
    require_full_access(by, entry.person)
    if not entry.is_open:
        raise ValidationError("This person has left the waiting list.")
    if reason not in ChangeReason.values or reason == ChangeReason.TRIAGE:
        raise ValidationError({"reason": "Choose why the priority is being looked at again"})
    suggestion, chosen = _band_from(checklist, band, note)
    PriorityChange.objects.create(entry=entry, from_band=entry.band, to_band=chosen, suggested_band=suggestion.band,
                                  reason=reason, note=(note or "").strip(), by=by)
    entry.band, entry.suggested_band, entry.checklist = chosen, suggestion.band, dict(checklist)
    entry.priority_ruleset_version = suggestion.ruleset_version
    entry.next_contact_due = next_contact_due(chosen)
    entry.save(update_fields=["band", "suggested_band", "checklist", "priority_ruleset_version", "next_contact_due"])
    return entry


@transaction.atomic
def entry_leave(*, entry: WaitingListEntry, by, reason: str, left_on: dt.date | None = None,
                note: str = "") -> WaitingListEntry:
    require_full_access(by, entry.person)
    if not entry.is_open:
        raise ValidationError("This person has already left the waiting list.")
    if reason not in ExitReason.values:
        raise ValidationError({"reason": "Choose why they are leaving the list"})
    if reason == ExitReason.OTHER and not (note or "").strip():
        raise ValidationError({"note": "Say why they are leaving the list"})
    entry.left_on = left_on or timezone.localdate()
    entry.exit_reason, entry.exit_note, entry.next_contact_due = reason, (note or "").strip(), None
    entry.full_clean()
    entry.save(update_fields=["left_on", "exit_reason", "exit_note", "next_contact_due"])
    return entry


@transaction.atomic
def keep_in_touch_record(*, entry: WaitingListEntry, by, made_contact: bool, result: str, summary: str, body: str,
                         method: str = "phone") -> KeepInTouchContact:
    """Record a keep-in-touch contact as a case note with its result, and set the next contact date.
    'No longer needed' takes the person off the list; 'changed' asks for the priority to be looked at again
    (the worker does that with entry_reprioritise, reason 'keep-in-touch contact')."""
    require_full_access(by, entry.person)
    if not entry.is_open:
        raise ValidationError("This person has left the waiting list.")
    if result not in KeepInTouchResult.values:
        raise ValidationError({"result": "Choose the result of the contact"})
    note = record_services.case_note_create(
        person=entry.person, by=by, occurred_at=timezone.now(), kind=method,
        summary=(summary or "Keep-in-touch contact while waiting").strip()[:200], body=body, is_significant=False)
    today = timezone.localdate()
    next_due = None if result == KeepInTouchResult.NO_LONGER_NEEDED else next_contact_due(entry.band, after=today)
    contact = KeepInTouchContact.objects.create(entry=entry, case_note=note, result=result,
                                                made_contact=made_contact, by=by, next_due=next_due)
    if result == KeepInTouchResult.NO_LONGER_NEEDED:
        entry_leave(entry=entry, by=by, reason=ExitReason.NO_LONGER_NEEDED, note=f"Keep-in-touch contact: {summary}")
    else:
        entry.next_contact_due = next_due
        entry.save(update_fields=["next_contact_due"])
    return contact


def dashboard_choice_save(*, user, scope) -> None:
    """Remember the teams, queues and priorities the user chose on the dashboard (a preference, no person's
    data)."""
    DashboardChoice.objects.update_or_create(
        user=user, defaults={"teams": list(scope.teams), "queues": list(scope.queues), "bands": list(scope.bands)})
