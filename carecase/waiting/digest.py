"""The team leaders' daily waiting-list digest, sent exactly once per team leader, team and working day.

What it lists, for each team:
- keep-in-touch contacts overdue by their band's grace in working days (figures.overdue_contact_q);
- urgent entries not allocated within 2 working days of becoming urgent (England's bank holidays skipped);
- entries waiting beyond the team's target (Team.waiting_target_days).

Rows are made by `create_digests` (one per active team leader with a team, INSERT ... ON CONFLICT DO NOTHING
on the key) and sent through carecase/outbox.py. An email leaves the building, so a crash between sending
and committing could send it again: the row's key goes in the `X-CareCase-Reference` header (GOV.UK Notify's
`reference` in production) so a repeat can be recognised. The content is worked out when it is sent, so it
is current; what it listed (counts and entry ids) is kept on the row, and each person named is written to
the access log for the team leader who received it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import DateField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from carecase import outbox
from carecase.audit.access import access_levels, log_reads_each
from carecase.audit.models import AccessAction
from carecase.staff.models import Role, StaffMember
from carecase.workdays import is_working_day, latest_start_for

from .figures import overdue_contact_q
from .models import Band, PriorityChange, TeamLeaderDigest, WaitingListEntry

logger = logging.getLogger(__name__)

URGENT_ALLOCATE_WITHIN_WORKING_DAYS = 2
LISTED = 20  # entries named per section; the counts cover everyone


@dataclasses.dataclass
class Section:
    title: str
    count: int
    entries: list[WaitingListEntry]

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


@dataclasses.dataclass
class DigestContent:
    team: object
    today: dt.date
    overdue: Section
    urgent: Section
    beyond_target: Section

    @property
    def sections(self) -> list[Section]:
        return [self.overdue, self.urgent, self.beyond_target]

    @property
    def is_empty(self) -> bool:
        return not any(s.count for s in self.sections)

    @property
    def entry_ids(self) -> list[int]:
        return [e.id for s in self.sections for e in s.entries]


def _urgent_since():
    """The day an entry last became urgent (the latest change of band to urgent), else the day it joined."""
    latest = (PriorityChange.objects.filter(entry=OuterRef("pk"), to_band=Band.URGENT).order_by("-at", "-id")
              .values("at")[:1])
    return Coalesce(TruncDate(Subquery(latest)), Cast("waiting_since", DateField()))


def content_for(team, *, today: dt.date | None = None) -> DigestContent:
    today = today or timezone.localdate()
    waiting = (WaitingListEntry.objects.filter(team=team, left_on__isnull=True)
               .select_related("person").annotate(urgent_since=_urgent_since()))

    def section(title, queryset, order):
        return Section(title, queryset.count(), list(queryset.order_by(*order)[:LISTED]))

    overdue = waiting.filter(overdue_contact_q(today))
    urgent = waiting.filter(band=Band.URGENT,
                            urgent_since__lte=latest_start_for(URGENT_ALLOCATE_WITHIN_WORKING_DAYS, today=today))
    beyond = waiting.filter(waiting_since__lt=today - dt.timedelta(days=team.waiting_target_days))
    return DigestContent(
        team=team, today=today,
        overdue=section("Keep-in-touch contacts overdue", overdue, ("next_contact_due", "id")),
        urgent=section(f"Urgent and not allocated within {URGENT_ALLOCATE_WITHIN_WORKING_DAYS} working days", urgent,
                       ("urgent_since", "id")),
        beyond_target=section(f"Waiting longer than the team's target of {team.waiting_target_days} days", beyond,
                              ("waiting_since", "id")),
    )


def create_digests(*, today: dt.date) -> int:
    """One digest row per active team leader with a team, for `today`; returns how many were new. Safe to run
    any number of times, concurrently."""
    leaders = list(StaffMember.objects.filter(role=Role.TEAM_LEADER, team__isnull=False, team__is_active=True,
                                              user__is_active=True).values_list("team_id", "user_id"))
    if not leaders:
        return 0
    return outbox.insert_new(TeamLeaderDigest, [
        {"team_id": team_id, "recipient_id": user_id, "for_date": today,
         "key": TeamLeaderDigest.key_for(team_id, user_id, today)} for team_id, user_id in leaders])


def _entry_url(entry) -> str:
    return settings.PORTAL_URL.rstrip("/") + reverse("waiting-entry", args=[entry.id])


def render(content: DigestContent, *, recipient, visible: set[int], reference: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one digest. People the recipient may not see in full (a restricted
    record) are listed by record number only."""
    context = {"content": content, "recipient": recipient, "portal_url": settings.PORTAL_URL.rstrip("/"),
               "service_name": settings.SERVICE_NAME, "reference": reference,
               "rows": [(s, [(e, _entry_url(e), e.person_id in visible) for e in s.entries])
                        for s in content.sections]}
    subject = f"Waiting list for {content.team.name}: {content.today:%A %-d %B %Y}"
    return (subject, render_to_string("waiting/email/digest.txt", context),
            render_to_string("waiting/email/digest.html", context))


def _send(digests: list[TeamLeaderDigest]) -> None:
    for digest in digests:
        content = content_for(digest.team, today=digest.for_date)
        digest.counts = {"overdue_keep_in_touch": content.overdue.count, "urgent_not_allocated": content.urgent.count,
                         "beyond_target": content.beyond_target.count}
        digest.entry_ids = content.entry_ids
        email = digest.recipient.email
        if not email:
            logger.warning("Team leader %s has no email address: waiting-list digest %s not sent",
                           digest.recipient_id, digest.key)
        elif content.is_empty:
            pass  # nothing to report: no email, and the row says so (sent_to stays empty, counts all zero)
        else:
            levels = access_levels(digest.recipient, {e.person_id: e.person for s in content.sections
                                                      for e in s.entries}.values())
            visible = {pid: access.basis for pid, access in levels.items() if access.is_full}
            subject, text, html = render(content, recipient=digest.recipient, visible=set(visible),
                                         reference=digest.key)
            message = EmailMultiAlternatives(subject, text, to=[email],
                                             headers={"X-CareCase-Reference": digest.key})
            message.attach_alternative(html, "text/html")
            message.send()
            digest.sent_to = email
            log_reads_each(digest.recipient, visible, action=AccessAction.VIEW, resource="waiting-list digest email")
        digest.save(update_fields=["counts", "entry_ids", "sent_to"])


def send_due_digests(*, today: dt.date | None = None, worker: str = "digest",
                     pause_after_claim_seconds: float = 0, now: dt.datetime | None = None) -> outbox.DrainCounts:
    """Create today's digests (on working days only) and send every digest not yet sent, including any left
    by a worker that died."""
    today = today or timezone.localdate()
    if is_working_day(today):
        create_digests(today=today)
    return outbox.drain(TeamLeaderDigest, worker=worker, deliver=_send, related=("team", "recipient"),
                        pause_after_claim_seconds=pause_after_claim_seconds, now=now)
