"""Reads of waiting-list entries: through the person's access check, and logged."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, F, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from carecase.audit.access import Level, NoAccess, access_levels, can_search, log_reads_each
from carecase.audit.models import AccessAction, AccessBasis
from carecase.people.selectors import person_for_user

from .figures import BANDS, Scope, overdue_contact_q
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


# ---------------------------------------------------------------- the list of entries (API)

_BAND_RANK = Case(*[When(band=band, then=Value(rank)) for rank, band in enumerate(BANDS)],
                  default=Value(len(BANDS)), output_field=IntegerField())

# Each ordering ends in a unique key, so pages never overlap or skip rows.
ENTRY_ORDERINGS = {
    "waiting_since": ("waiting_since", "id"),  # longest wait first: the default
    "-waiting_since": ("-waiting_since", "-id"),
    "band": (_BAND_RANK.asc(), "waiting_since", "id"),  # urgent first, then longest wait
    "next_contact_due": (F("next_contact_due").asc(nulls_last=True), "waiting_since", "id"),
    "-next_contact_due": (F("next_contact_due").desc(nulls_last=True), "waiting_since", "id"),
}


class EntryListing:
    """Waiting-list entries in a scope, for a paginator to slice.

    Counting reads no person. Taking a slice (one page) reads those entries with their people, decides the
    user's access to each person in one go (`access_levels`) and records one access event per person on the
    page (`log_reads_each`): only the people actually sent are logged, in a constant number of queries
    whatever the page size. Each entry comes back with `access` (the caller's Access to the person),
    `days_waiting` (to today, or to the day they left) and `keep_in_touch_overdue` (figures' rule)."""

    def __init__(self, *, user, queryset, today: dt.date, action: str, path: str):
        self._user, self._qs, self._today, self._action, self._path = user, queryset, today, action, path

    def count(self) -> int:
        return self._qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[WaitingListEntry]:
        if not isinstance(index, slice):
            raise TypeError("Take a page of entries with a slice")
        entries = list(self._qs[index])
        levels = access_levels(self._user, {e.person_id: e.person for e in entries}.values())
        shown: dict[int, str] = {}
        for entry in entries:
            entry.access = levels[entry.person_id]
            entry.days_waiting = ((entry.left_on or self._today) - entry.waiting_since).days
            if entry.access.level > Level.NONE:
                shown[entry.person_id] = entry.access.basis or AccessBasis.LIMITED
        if shown:
            log_reads_each(self._user, shown, action=self._action, resource="waiting list", path=self._path)
        return entries


def entries_listing(*, user, scope: Scope, ordering: str = "waiting_since", include_left: bool = False,
                    today: dt.date | None = None, action: str = AccessAction.VIEW, path: str = "") -> EntryListing:
    """The entries in `scope` (open ones, or with `include_left` also those who have left), in one of
    ENTRY_ORDERINGS. Every member of staff who works with records may list them (administrators may not);
    what each row shows of the person follows the access policy, decided and logged page by page."""
    if not can_search(user):
        raise NoAccess("Your role does not read people's records.")
    today = today or timezone.localdate()
    qs = WaitingListEntry.objects.filter(scope.q())
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    overdue = Q(left_on__isnull=True) & overdue_contact_q(today)
    qs = (
        qs.select_related("person", "team")
        # Case, not a bare comparison: an entry with no contact date is "not overdue", never NULL.
        .annotate(keep_in_touch_overdue=Case(When(overdue, then=Value(True)), default=Value(False),
                                             output_field=BooleanField()))
        .order_by(*ENTRY_ORDERINGS[ordering])
    )
    return EntryListing(user=user, queryset=qs, today=today, action=action, path=path)
