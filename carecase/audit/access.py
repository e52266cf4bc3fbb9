"""The access policy for person-level data, and the access log.

Every selector that reads a person's data calls `open_record` (one person) or `access_levels` (a list),
so scoping by role, team and restriction lives in one place, and every read leaves a RecordAccessEvent.

Levels:
- FULL: may read the whole record (basis says why): their team's people (allocated or waiting), a reason given,
  a grant by name, senior managers, and direct payments officers for people with a direct payment.
- LIMITED: may see name, date of birth and NHS number in search; opening the record needs a reason.
- RESTRICTED: may see only that a restricted record exists.
- NONE: may not see the person at all (administrators without a grant, or no staff role).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from assessments.models import PlanStatus, SupportPlan
from carecase import codes
from carecase.staff.models import Allocation, Role, StaffMember
from carecase.waiting.models import WaitingListEntry
from directpayments.models import LIVE_STATUSES, DirectPaymentAgreement

from .models import AccessAction, AccessBasis, AccessReason, RecordAccessEvent, RestrictedAccessGrant


class Level(enum.IntEnum):
    NONE = 0
    RESTRICTED = 1
    LIMITED = 2
    FULL = 3


@dataclass(frozen=True)
class Access:
    level: Level
    basis: str = ""

    @property
    def is_full(self) -> bool:
        return self.level == Level.FULL


class NoAccess(PermissionDenied):
    """The user may not open this record at all."""


class RestrictedRecord(PermissionDenied):
    """The record is restricted and the user is not named on a grant."""


class ReasonRequired(PermissionDenied):
    """The record is outside the user's team: they must give a reason first."""

    def __init__(self, person_id: int):
        super().__init__(f"A reason is needed to open record {person_id}")
        self.person_id = person_id


def staff_member(user) -> StaffMember | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_carecase_staff", False)
    if cached is False:
        cached = StaffMember.objects.select_related("team").filter(user_id=user.pk).first()
        user._carecase_staff = cached
    return cached


def role_of(user) -> str | None:
    staff = staff_member(user)
    return staff.role if staff else None


def can_search(user) -> bool:
    return role_of(user) not in (None, Role.ADMINISTRATOR)


def _decide(staff, *, restricted: bool, granted: bool, team_id: int | None, has_reason: bool,
            waiting_teams: frozenset[int] = frozenset(), direct_payment: bool = False) -> Access:
    if staff is None:
        return Access(Level.NONE)
    if granted:
        return Access(Level.FULL, AccessBasis.GRANT)
    if staff.role == Role.ADMINISTRATOR:
        # Administrators manage accounts: without a grant they may not learn that a person exists,
        # restricted or not.
        return Access(Level.NONE)
    if restricted:
        return Access(Level.RESTRICTED)
    if staff.role == Role.SENIOR_MANAGER:
        return Access(Level.FULL, AccessBasis.SENIOR)
    if team_id is not None and staff.team_id == team_id:
        return Access(Level.FULL, AccessBasis.TEAM)
    if staff.team_id is not None and staff.team_id in waiting_teams:
        # Someone waiting on the team's list is the team's to keep in touch with before anyone is allocated.
        return Access(Level.FULL, AccessBasis.WAITING)
    if direct_payment and staff.role == Role.DP_OFFICER:
        # The direct payments team sets up and monitors every direct payment, whichever team holds the case.
        return Access(Level.FULL, AccessBasis.DIRECT_PAYMENT)
    if has_reason:
        return Access(Level.FULL, AccessBasis.REASON)
    return Access(Level.LIMITED, AccessBasis.LIMITED)


def access_levels(user, people: Iterable) -> dict[int, Access]:
    """Access for many people in three queries, whatever their number (for search results and lists).

    `people` are objects with `id` and `is_restricted` (Person rows or light value objects).
    """
    people = list(people)
    if not people:
        return {}
    staff = staff_member(user)
    if staff is None:
        return {p.id: Access(Level.NONE) for p in people}
    decided = _decide_pairs({staff.user_id: staff}, {p.id: p for p in people}, [(staff.user_id, p.id) for p in people])
    return {p.id: decided[(staff.user_id, p.id)] for p in people}


def access_for_pairs(pairs: Iterable[tuple[object, object]]) -> dict[tuple[int, int], Access]:
    """Access for many (user, person) pairs at once, e.g. the recipients of a batch of reminders: the same
    decision as `access_levels`, with the inputs gathered for every user together (four queries whatever the
    number of users or people)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    users = {user.pk: user for user, _ in pairs}
    people = {person.id: person for _, person in pairs}
    staff = {s.user_id: s for s in StaffMember.objects.select_related("team").filter(
        user_id__in=[pk for pk, user in users.items() if user.is_active])}
    return _decide_pairs(staff, people, [(user.pk, person.id) for user, person in pairs])


def _decide_pairs(staff: dict[int, StaffMember], people: dict[int, object],
                  pairs: list[tuple[int, int]]) -> dict[tuple[int, int], Access]:
    ids = list(people)
    user_ids = list(staff)
    now = timezone.now()
    # The team the person is allocated to, and the teams whose waiting lists they are on, in one query.
    allocated = (Allocation.objects.filter(person_id__in=ids, ended_at__isnull=True)
                 .annotate(waiting=Value(False)).values_list("person_id", "team_id", "waiting"))
    on_list = (WaitingListEntry.objects.filter(person_id__in=ids, left_on__isnull=True)  # noqa: TID251 (the policy)
               .annotate(waiting=Value(True)).values_list("person_id", "team_id", "waiting"))
    teams: dict[int, int] = {}
    waiting: dict[int, set[int]] = {}
    for person_id, team_id, is_waiting in allocated.union(on_list, all=True):
        if is_waiting:
            waiting.setdefault(person_id, set()).add(team_id)
        else:
            teams[person_id] = team_id
    granted = set(RestrictedAccessGrant.objects.filter(person_id__in=ids, user_id__in=user_ids,
                                                       revoked_at__isnull=True).values_list("user_id", "person_id"))
    reasons = set(AccessReason.objects.filter(person_id__in=ids, user_id__in=user_ids, expires_at__gt=now)
                  .values_list("user_id", "person_id"))
    direct_payment = _direct_payment_people(ids) if any(s.role == Role.DP_OFFICER for s in staff.values()) else set()
    return {
        (user_id, person_id): _decide(
            staff.get(user_id),
            restricted=people[person_id].is_restricted,
            granted=(user_id, person_id) in granted,
            team_id=teams.get(person_id),
            has_reason=(user_id, person_id) in reasons,
            waiting_teams=frozenset(waiting.get(person_id, ())),
            direct_payment=person_id in direct_payment,
        )
        for user_id, person_id in pairs
    }


def _direct_payment_people(ids: list[int]) -> set[int]:
    """Of these people, those with a direct payment agreement not yet ended, or an active plan with a service
    paid by direct payment (the agreement is still to be set up). One query; asked only for DP officers."""
    live = DirectPaymentAgreement.objects.filter(person_id__in=ids, status__in=LIVE_STATUSES).values_list("person_id")
    planned = (SupportPlan.objects.filter(person_id__in=ids, status=PlanStatus.ACTIVE)
               .filter(Q(services__delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT))
               .values_list("person_id"))
    return {pid for (pid,) in live.union(planned)}


def full_access_q(user, *, person: str = "person") -> Q:
    """The queryset twin of the policy: a filter for rows whose person the user may open in full, for lists
    that must show only what the page behind them would open. `person` is the path to the Person foreign key
    ("" when filtering people themselves). It must agree with `access_levels`; a test checks them on
    generated data."""
    staff = staff_member(user)
    if staff is None:
        return Q(pk__in=[])
    ref = OuterRef(f"{person}_id" if person else "pk")
    unrestricted = Q(**{f"{person}__is_restricted" if person else "is_restricted": False})
    granted = Exists(RestrictedAccessGrant.objects.filter(person_id=ref, user_id=user.pk, revoked_at__isnull=True))
    if staff.role == Role.ADMINISTRATOR:
        return Q(granted)
    if staff.role == Role.SENIOR_MANAGER:
        return Q(granted) | unrestricted
    opens = Q(Exists(AccessReason.objects.filter(person_id=ref, user_id=user.pk, expires_at__gt=timezone.now())))
    if staff.team_id is not None:
        opens |= Q(Exists(Allocation.objects.filter(person_id=ref, team_id=staff.team_id, ended_at__isnull=True)))
        opens |= Q(Exists(WaitingListEntry.objects.filter(  # noqa: TID251 (the policy)
            person_id=ref, team_id=staff.team_id, left_on__isnull=True)))
    if staff.role == Role.DP_OFFICER:
        opens |= Q(Exists(DirectPaymentAgreement.objects.filter(person_id=ref, status__in=LIVE_STATUSES)))
        opens |= Q(Exists(SupportPlan.objects.filter(person_id=ref, status=PlanStatus.ACTIVE,
                                                     services__delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT)))
    return Q(granted) | (unrestricted & opens)


def access_for(user, person) -> Access:
    return access_levels(user, [person])[person.id]


def log_reads(user, people_ids: Iterable[int], *, action: str, resource: str, basis: str, path: str = "") -> None:
    RecordAccessEvent.objects.bulk_create(
        [
            RecordAccessEvent(user=user, person_id=pid, action=action, resource=resource, basis=basis, path=path[:300])
            for pid in people_ids
        ]
    )


def log_reads_each(user, bases: dict[int, str], *, action: str, resource: str, path: str = "") -> None:
    """Log reads of many people, each with its own basis, in one insert (constant queries for lists)."""
    RecordAccessEvent.objects.bulk_create(
        [
            RecordAccessEvent(user=user, person_id=pid, action=action, resource=resource, basis=basis, path=path[:300])
            for pid, basis in bases.items()
        ]
    )


def require_full_access(user, person) -> Access:
    """For services (writes): raise unless the user may work on the whole record. Logs nothing, because a
    service runs inside a transaction that a refusal rolls back; the selector that opened the record for
    the page or API request has already logged the read or the refusal, outside any transaction."""
    access = access_for(user, person)
    if access.is_full:
        return access
    if access.level == Level.NONE:
        raise NoAccess("You do not have access to people's records.")
    if access.level == Level.RESTRICTED:
        raise RestrictedRecord("This record is restricted.")
    raise ReasonRequired(person.id)


def open_record(user, person, *, resource: str, action: str = AccessAction.VIEW, path: str = "") -> Access:
    """Check the user may read `resource` of `person` in full, and log the read. Raises if not."""
    access = access_for(user, person)
    if access.is_full:
        log_reads(user, [person.id], action=action, resource=resource, basis=access.basis, path=path)
        # Kept on the instance so the page can decide what else to show without asking again.
        person.opened_with = access
        return access
    if access.level == Level.NONE:
        raise NoAccess("You do not have access to people's records.")
    # A refused attempt is worth recording too: it answers "who tried to look".
    log_reads(user, [person.id], action=AccessAction.DENIED, resource=resource, basis=AccessBasis.LIMITED, path=path)
    if access.level == Level.RESTRICTED:
        raise RestrictedRecord("This record is restricted.")
    raise ReasonRequired(person.id)


def opened_access(user, person) -> Access:
    """The access the user opened this person with in this request, or a fresh decision."""
    return getattr(person, "opened_with", None) or access_for(user, person)


def can_see_access_log(user, person) -> bool:
    """Team leaders of the person's team, and senior managers, may see who has looked at a record."""
    staff = staff_member(user)
    if staff is None:
        return False
    if staff.role == Role.SENIOR_MANAGER:
        return opened_access(user, person).is_full
    if staff.role == Role.TEAM_LEADER:
        return opened_access(user, person).basis == AccessBasis.TEAM
    return False
