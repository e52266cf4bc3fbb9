"""The team leaders' weekly overdue-reviews digest, sent exactly once per team leader, team and week.

It goes on the week's first working day (Monday, or the next working day when Monday is a bank holiday).
The daily check makes the week's rows on any working day, so a Monday on which no worker ran is made up on
the next working day; the key (team, leader and the week's Monday) keeps it to one a week.

What it lists, for the team (open reviews of the team past their due date, `schedule.state_q(OVERDUE)`): how
many are overdue for each allocated worker (and those with no worker), with the longest wait; and the 20
most overdue, with their worker and days overdue. People the leader may not open in full are given by
record number only; each person named is written to the access log for the leader who received it.

Rows are made by `create_digests` (INSERT ... ON CONFLICT DO NOTHING on the key) and sent through
carecase/outbox.py; the row's key goes in the `X-CareCase-Reference` header. The figures are worked out as
of the row's day when it is sent; what it listed is kept on the row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Min, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from carecase import outbox
from carecase.audit.access import access_levels, log_reads_each
from carecase.audit.models import AccessAction
from carecase.staff.models import Allocation, Role, StaffMember
from carecase.workdays import is_working_day

from . import schedule
from .models import Review, ReviewDigest
from .reminders import review_url

logger = logging.getLogger(__name__)

LISTED = 20  # reviews named; the counts cover every overdue review
NO_WORKER = "Not allocated to a worker"


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week `day` falls in."""
    return day - dt.timedelta(days=day.weekday())


@dataclasses.dataclass
class WorkerLine:
    worker_id: int | None
    name: str
    count: int
    most_days_overdue: int


@dataclasses.dataclass
class DigestContent:
    team: object
    today: dt.date
    total: int
    by_worker: list[WorkerLine]
    most_overdue: list[Review]  # each with `worker_name` and `days_overdue`

    @property
    def is_empty(self) -> bool:
        return not self.total

    @property
    def more(self) -> int:
        return self.total - len(self.most_overdue)

    @property
    def review_ids(self) -> list[int]:
        return [r.id for r in self.most_overdue]


def content_for(team, *, today: dt.date | None = None) -> DigestContent:
    """The team's overdue reviews on `today`: three queries whatever their number."""
    today = today or timezone.localdate()
    holder = Allocation.objects.filter(person_id=OuterRef("person_id"), ended_at__isnull=True).values("worker_id")[:1]
    overdue = (Review.objects.filter(schedule.state_q(schedule.OVERDUE, today), team=team)
               .annotate(worker_id=Subquery(holder)))
    groups = list(overdue.values("worker_id").annotate(count=Count("id"), oldest=Min("due_on")).order_by())
    most = list(overdue.select_related("person").order_by("due_on", "id")[:LISTED])
    worker_ids = {g["worker_id"] for g in groups} - {None}
    names = {s.id: s.full_name for s in StaffMember.objects.filter(id__in=worker_ids).select_related("user")}
    by_worker = sorted(
        (WorkerLine(g["worker_id"], names.get(g["worker_id"], NO_WORKER), g["count"], (today - g["oldest"]).days)
         for g in groups),
        key=lambda line: (line.worker_id is None, line.name.lower()))
    for review in most:
        review.worker_name = names.get(review.worker_id, NO_WORKER)
        review.days_overdue = schedule.days_overdue(review, today)
    return DigestContent(team=team, today=today, total=sum(g["count"] for g in groups), by_worker=by_worker,
                         most_overdue=most)


def create_digests(*, today: dt.date) -> int:
    """One digest row per active team leader with an active team, for the week of `today`; returns how many
    were new. Safe to run any number of times, concurrently."""
    leaders = list(StaffMember.objects.filter(role=Role.TEAM_LEADER, team__isnull=False, team__is_active=True,
                                              user__is_active=True).values_list("team_id", "user_id"))
    if not leaders:
        return 0
    monday = week_of(today)
    return outbox.insert_new(ReviewDigest, [
        {"team_id": team_id, "recipient_id": user_id, "week_of": monday, "for_date": today,
         "key": ReviewDigest.key_for(team_id, user_id, monday)} for team_id, user_id in leaders])


def render(content: DigestContent, *, recipient, visible: set[int], reference: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one digest. People the recipient may not see in full are listed by
    record number only."""
    monday = week_of(content.today)
    context = {"content": content, "recipient": recipient, "monday": monday, "reference": reference,
               "service_name": settings.SERVICE_NAME,
               "rows": [(r, review_url(r.id), r.person_id in visible) for r in content.most_overdue]}
    subject = f"Overdue reviews for {content.team.name}: week of {monday:%A %-d %B %Y}"
    return (subject, render_to_string("reviews/email/digest.txt", context),
            render_to_string("reviews/email/digest.html", context))


def _send(digests: list[ReviewDigest]) -> None:
    for digest in digests:
        content = content_for(digest.team, today=digest.for_date)
        digest.counts = {"overdue": content.total,
                         "by_worker": {str(line.worker_id or "none"): line.count for line in content.by_worker}}
        digest.review_ids = content.review_ids
        email = digest.recipient.email
        if not email:
            logger.warning("Team leader %s has no email address: overdue reviews digest %s not sent",
                           digest.recipient_id, digest.key)
        elif content.is_empty:
            pass  # nothing overdue: no email, and the row says so (sent_to stays empty, the count is 0)
        else:
            levels = access_levels(digest.recipient, {r.person_id: r.person for r in content.most_overdue}.values())
            visible = {pid: access.basis for pid, access in levels.items() if access.is_full}
            subject, text, html = render(content, recipient=digest.recipient, visible=set(visible),
                                         reference=digest.key)
            message = EmailMultiAlternatives(subject, text, to=[email], headers={"X-CareCase-Reference": digest.key})
            message.attach_alternative(html, "text/html")
            message.send()
            digest.sent_to = email
            log_reads_each(digest.recipient, visible, action=AccessAction.VIEW, resource="overdue reviews digest email")
        digest.save(update_fields=["counts", "review_ids", "sent_to"])


def send_due_digests(*, today: dt.date | None = None, worker: str = "review-digest",
                     pause_after_claim_seconds: float = 0, now: dt.datetime | None = None) -> outbox.DrainCounts:
    """Make this week's digests (on a working day: the first of the week, or a later one if that day's run was
    missed) and send every digest not yet sent, including any left by a worker that died."""
    today = today or timezone.localdate()
    if is_working_day(today):
        create_digests(today=today)
    return outbox.drain(ReviewDigest, worker=worker, deliver=_send, related=("team", "recipient"),
                        pause_after_claim_seconds=pause_after_claim_seconds, now=now)
