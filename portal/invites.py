"""Self-review invitations 6 weeks before the review is due, exactly once (carecase/outbox.py).

The daily sweep makes one row per review and due date for every open review whose route is self-review,
whose due date is 6 weeks away or nearer, and which has no self-review yet (one INSERT ... SELECT ... ON
CONFLICT DO NOTHING). Delivering a row: with an email address on the record, the invitation is made and
emailed (its id is the provider reference); without one, the row goes on the team's "letters to print"
list, and printing makes the invitation, so the one-time code exists only on the printed page.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone

from carecase import outbox
from reviews.models import OPEN_STATUSES, Route

from . import services
from .models import InvitationChannel, InvitationDue

logger = logging.getLogger(__name__)
INVITE_BEFORE_DUE = dt.timedelta(weeks=6)


def create_due(*, today: dt.date) -> int:
    due, review = InvitationDue._meta.db_table, "reviews_review"
    self_review = "portal_selfreview"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {due} (review_id, due_on, team_id, key, status, claimed_by, needs_printing, outcome,
                               created_at)
            SELECT r.id, r.due_on, r.team_id, 'self-review-invite:' || r.id || ':' || to_char(r.due_on, 'YYYY-MM-DD'),
                   'pending', '', false, '', %(now)s
              FROM {review} r
             WHERE r.status = ANY(%(open)s) AND r.route = %(route)s
               AND r.due_on >= %(today)s AND r.due_on <= %(latest)s
               AND NOT EXISTS (SELECT 1 FROM {self_review} s WHERE s.review_id = r.id)
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 (table names are fixed; values are parameters)
            {"now": timezone.now(), "open": list(OPEN_STATUSES), "route": Route.SELF_REVIEW, "today": today,
             "latest": today + INVITE_BEFORE_DUE},
        )
        return cursor.rowcount


def _deliver(rows: list[InvitationDue]) -> None:
    for row in rows:
        review = row.review
        if not review.is_open or review.due_on != row.due_on:
            row.outcome = "Not needed: the review was completed, cancelled or moved"
        elif review.person.email:
            # Sent inside the delivering transaction: a crash before the commit sends it again (at least once,
            # with the invitation's id as the provider reference), never not at all.
            new = services.invitation_create(review=review, channel=InvitationChannel.EMAIL,
                                             email_after_commit=False)
            services.send_invitation_email(new)
            row.invitation, row.outcome = new.invitation, f"Emailed to {review.person.email}"
        else:
            row.needs_printing, row.outcome = True, "Waiting to be printed and posted"
        row.save(update_fields=["invitation", "needs_printing", "outcome"])


def sweep(*, today: dt.date | None = None, worker: str = "invites", now: dt.datetime | None = None
          ) -> outbox.DrainCounts:
    today = today or timezone.localdate()
    created = create_due(today=today)
    counts = outbox.drain(InvitationDue, worker=worker, deliver=_deliver, related=("review__person",), now=now)
    logger.info("Self-review invitations: %s new, %s delivered", created, counts.delivered)
    return counts


def letters_to_print(team):
    return (InvitationDue.objects.filter(team=team, needs_printing=True, printed_at__isnull=True)
            .select_related("review__person").order_by("due_on", "id"))


def print_letters(*, team, by) -> bytes | None:
    """Make the invitations for every letter waiting to be printed for the team and return one PDF of them
    all (None when there is nothing to print). Each is marked printed, so nothing is printed twice."""
    from django.core.exceptions import ValidationError
    from django.template.loader import render_to_string
    from weasyprint import HTML

    with transaction.atomic():
        rows = list(letters_to_print(team).select_for_update(of=("self",)))
        if not rows:
            return None
        pages = []
        for row in rows:
            try:
                with transaction.atomic():
                    new = services.invitation_create(review=row.review, by=by, channel=InvitationChannel.LETTER)
            except ValidationError as exc:  # no postal address yet: it stays on the list, saying why
                row.outcome = " ".join(exc.messages)
                row.save(update_fields=["outcome"])
                continue
            row.invitation, row.printed_at, row.printed_by = new.invitation, timezone.now(), by
            row.outcome = "Printed"
            row.save(update_fields=["invitation", "printed_at", "printed_by", "outcome"])
            pages.append(render_to_string("portal/letters/invitation.html", services.invitation_context(new)))
        if not pages:
            return None
        documents = [HTML(string=html).render() for html in pages]
        combined = documents[0].copy([page for document in documents for page in document.pages])
        return combined.write_pdf()
