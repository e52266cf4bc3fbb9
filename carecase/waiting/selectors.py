"""Reads of waiting-list entries: through the person's access check, and logged."""

from __future__ import annotations

from django.db.models import Prefetch

from carecase.audit.models import AccessAction
from carecase.people.selectors import person_for_user

from .models import KeepInTouchContact, PriorityChange, WaitingListEntry


def entries_for(*, user, person_id: int, path: str = ""):
    person = person_for_user(user=user, person_id=person_id, resource="waiting lists", path=path)
    return person, list(WaitingListEntry.objects.filter(person=person).select_related("team"))


def entry_for(*, user, entry_id: int, path: str = "", action: str = AccessAction.VIEW) -> WaitingListEntry:
    entry = (
        WaitingListEntry.objects.select_related("team")
        .prefetch_related(
            Prefetch("priority_changes", queryset=PriorityChange.objects.select_related("by")),
            Prefetch("keep_in_touch", queryset=KeepInTouchContact.objects.select_related("case_note", "by")),
        )
        .get(pk=entry_id)
    )
    entry.person = person_for_user(user=user, person_id=entry.person_id, resource="waiting list entry", path=path,
                                   action=action)
    return entry
