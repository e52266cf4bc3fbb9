"""Reads of contacts and case notes: always through the person's access check, and logged."""

from __future__ import annotations

from django.db.models import Prefetch

from carecase.audit.models import AccessAction
from carecase.people.selectors import person_for_user

from .models import CaseNote, CaseNoteAddendum, Contact


def case_notes_for(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW,
                   significant_only: bool = False):
    """The person and their chronology, newest first, each note with its addenda (two queries)."""
    person = person_for_user(user=user, person_id=person_id, resource="case notes", path=path, action=action)
    notes = (
        CaseNote.objects.filter(person=person)
        .select_related("author")
        .prefetch_related(
            Prefetch("addenda", queryset=CaseNoteAddendum.objects.select_related("author").order_by("created_at"))
        )
    )
    if significant_only:
        notes = notes.filter(is_significant=True)
    return person, notes


def case_note_for(*, user, note_id: int, path: str = "", action: str = AccessAction.VIEW) -> CaseNote:
    note = CaseNote.objects.select_related("author").get(pk=note_id)
    person_for_user(user=user, person_id=note.person_id, resource="case note", path=path, action=action)
    return note


def contacts_for(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW):
    person = person_for_user(user=user, person_id=person_id, resource="contacts", path=path, action=action)
    return person, Contact.objects.filter(person=person).select_related("team", "recorded_by")


def contact_for(*, user, contact_id: int, path: str = "", action: str = AccessAction.VIEW) -> Contact:
    contact = Contact.objects.select_related("team", "recorded_by").get(pk=contact_id)
    person_for_user(user=user, person_id=contact.person_id, resource="contact", path=path, action=action)
    return contact


def person_summary(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW):
    """What the summary page shows, opened and logged once: the person with the people around them,
    their latest significant events and their latest contact."""
    from carecase.people.selectors import person_with_relationships

    person = person_with_relationships(user=user, person_id=person_id, path=path, action=action)
    significant = list(
        CaseNote.objects.filter(person=person, is_significant=True).order_by("-occurred_at", "-id")[:5]
    )
    latest_contact = Contact.objects.filter(person=person).order_by("-received_at").first()
    return person, significant, latest_contact


def open_contacts_for_worktray(*, user, limit: int = 50):
    """Contacts still waiting for an outcome: for a worker, those of the people allocated to them; for a
    team leader, those recorded by their team. Oldest first, because they have waited longest."""
    from carecase.audit.access import staff_member
    from carecase.staff.models import Role

    staff = staff_member(user)
    if staff is None:
        return []
    qs = Contact.objects.filter(outcome="").select_related("team").order_by("received_at")
    if staff.role == Role.TEAM_LEADER and staff.team_id:
        qs = qs.filter(team_id=staff.team_id)
    else:
        qs = qs.filter(person__allocations__worker=staff, person__allocations__ended_at__isnull=True)
    return list(qs[:limit])
