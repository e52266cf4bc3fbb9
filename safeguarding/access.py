"""Who may see safeguarding records: stricter than the person's record, and built on the one access policy
(carecase/audit/access.py).

A safeguarding concern (and its decision, enquiry, strategy discussions, actions and plan) may be opened by:

1. staff named on the concern by a safeguarding lead (SafeguardingGrant), whatever else is true;
2. otherwise nobody, when the concern is restricted further (only named staff);
3. otherwise nobody, when the person's record is restricted and the user is not named on the record's own
   grant (the base policy's restriction still holds: the safeguarding role does not open it);
4. safeguarding staff: the safeguarding lead role, and anyone in a team of kind "safeguarding hub";
5. the person's allocated worker.

Administrators, directly-paid-support officers, practitioners of other teams, team leaders and senior
managers are not on the list: they see nothing of safeguarding unless named. Every read is logged as a
RecordAccessEvent with resource "safeguarding"; every refusal of a concern too (action "denied").
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from carecase.audit.access import log_reads, log_reads_each, staff_member
from carecase.audit.models import AccessAction, AccessBasis, RestrictedAccessGrant
from carecase.staff.models import Allocation, Role, TeamKind

from .models import Concern, SafeguardingGrant

RESOURCE = "safeguarding"
# Access-log bases (the log's column holds 10 characters).
BASIS_NAMED = AccessBasis.GRANT
BASIS_SAFEGUARDING = "safeguard"
BASIS_ALLOCATED = "allocated"


class SafeguardingDenied(PermissionDenied):
    """The user may not open this safeguarding record."""


def is_safeguarding_staff(user) -> bool:
    """The safeguarding lead role, or a member of a safeguarding hub team. No query beyond the cached staff row."""
    staff = staff_member(user)
    if staff is None:
        return False
    return staff.role == Role.SAFEGUARDING_LEAD or (staff.team is not None and staff.team.kind == TeamKind.SAFEGUARDING)


def is_safeguarding_lead(user) -> bool:
    staff = staff_member(user)
    return staff is not None and staff.role == Role.SAFEGUARDING_LEAD


def _named(user_id: int):
    return SafeguardingGrant.objects.filter(concern_id=OuterRef("pk"), user_id=user_id, revoked_at__isnull=True)


def _record_granted(user_id: int):
    return RestrictedAccessGrant.objects.filter(person_id=OuterRef("person_id"), user_id=user_id,
                                                revoked_at__isnull=True)


def _allocated(staff_id: int):
    return Allocation.objects.filter(person_id=OuterRef("person_id"), worker_id=staff_id, ended_at__isnull=True)


def visible_q(user) -> Q | None:
    """A filter for the concerns the user may open (None: none at all). Used by every list, so a list never
    shows what the page behind it would refuse."""
    staff = staff_member(user)
    if staff is None:
        return None
    named = Exists(_named(user.pk))
    open_to_all = Q(is_restricted=False) & (Q(person__is_restricted=False) | Exists(_record_granted(user.pk)))
    if is_safeguarding_staff(user):
        return Q(named) | open_to_all
    if staff.role == Role.ADMINISTRATOR:
        return Q(named)
    return Q(named) | (open_to_all & Exists(_allocated(staff.id)))


def basis_for(user, concern: Concern) -> str | None:
    """Why the user may open this concern, or None."""
    staff = staff_member(user)
    if staff is None:
        return None
    if SafeguardingGrant.objects.filter(concern_id=concern.pk, user_id=user.pk, revoked_at__isnull=True).exists():
        return BASIS_NAMED
    if concern.is_restricted:
        return None
    return can_see_person_safeguarding(user, concern.person)


def open_concern(user, concern: Concern, *, action: str = AccessAction.VIEW, path: str = "") -> str:
    """Check the user may open the concern and log the read; log the refusal and raise if not."""
    basis = basis_for(user, concern)
    if basis is None:
        if staff_member(user) is not None:
            log_reads(user, [concern.person_id], action=AccessAction.DENIED, resource=RESOURCE,
                      basis=AccessBasis.LIMITED, path=path)
        raise SafeguardingDenied("Safeguarding records are open only to the safeguarding team, the person's "
                                 "allocated worker and staff named on the concern.")
    log_reads(user, [concern.person_id], action=action, resource=RESOURCE, basis=basis, path=path)
    return basis


def can_see_person_safeguarding(user, person) -> str | None:
    """May the user see the person's safeguarding page (their concerns, and raise one)? Safeguarding staff
    and the allocated worker may, when the person's record is not restricted to them."""
    staff = staff_member(user)
    if staff is None or staff.role == Role.ADMINISTRATOR:
        return None
    if person.is_restricted and not RestrictedAccessGrant.objects.filter(
            person_id=person.pk, user_id=user.pk, revoked_at__isnull=True).exists():
        return None
    if is_safeguarding_staff(user):
        return BASIS_SAFEGUARDING
    if Allocation.objects.filter(person_id=person.pk, worker_id=staff.id, ended_at__isnull=True).exists():
        return BASIS_ALLOCATED
    return None


def shows_person_tab(user, person, *, allocated: bool) -> bool:
    """Should the person's record show this user a Safeguarding tab? Yes when their safeguarding page would
    let them in: staff named on any live concern about the person, or (as can_see_person_safeguarding)
    safeguarding staff and the allocated worker, when the person's record is open to them. `allocated`: the
    page already knows whether the user is the allocated worker. At most one query, none for safeguarding
    staff and the allocated worker on an unrestricted record."""
    staff = staff_member(user)
    if staff is None:
        return False
    by_role = staff.role != Role.ADMINISTRATOR and (is_safeguarding_staff(user) or allocated)
    if by_role and not person.is_restricted:
        return True
    named = SafeguardingGrant.objects.filter(concern__person_id=person.pk, user_id=user.pk, revoked_at__isnull=True)
    q = Q(Exists(named))
    if by_role:
        q |= Q(Exists(RestrictedAccessGrant.objects.filter(person_id=person.pk, user_id=user.pk,
                                                           revoked_at__isnull=True)))
    return type(person).objects.filter(pk=person.pk).filter(q).exists()


def log_list(user, concerns: Iterable[Concern], *, action: str = AccessAction.VIEW, path: str = "") -> None:
    """One access-log insert for everyone named on a list."""
    bases = {}
    for concern in concerns:
        bases.setdefault(concern.person_id, getattr(concern, "access_basis", None) or BASIS_SAFEGUARDING)
    if bases:
        log_reads_each(user, bases, action=action, resource=RESOURCE, path=path)
