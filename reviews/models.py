"""Reviews of care and support plans: when each falls due, who leads it, and what it found (GUIDE §2.7, §5.14).

A review is scheduled for every active plan: the first 8 weeks after the plan starts (it can be done from
6 weeks), then within 12 months of each completed review, or sooner when the reviewer says so. An
unplanned review (asked for by the person, a carer, a provider, or after a hospital stay) brings the open
review forward rather than adding a second one: each plan has at most one open review.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from carecase import codes
from carecase.outbox import OutboxItem


class ReviewKind(models.TextChoices):
    FIRST = "first", "First review (6 to 8 weeks after the plan starts)"
    PLANNED = "planned", "Planned review"
    UNPLANNED = "unplanned", "Unplanned review"
    REQUESTED = "requested", "Requested review"
    POST_DISCHARGE = "post_discharge", "Review after a hospital stay"
    DIRECT_PAYMENT_FIRST = "dp_first", "First direct payment review (within 6 months of the first payment)"


class Topic(models.TextChoices):
    """What is reviewed. A plan paid partly by direct payment has two schedules side by side: the plan's own
    reviews, and the direct payment's (within 6 months of the first payment, then every 12 months)."""
    PLAN = "plan", "The care and support plan"
    DIRECT_PAYMENT = "direct_payment", "The direct payment"


class Route(models.TextChoices):
    WORKER = "worker", "By the worker"
    SELF_REVIEW = "self_review", "Self-review by the person or their representative"
    PROVIDER = "provider", "Provider-led"
    THERAPY = "therapy", "Therapy or reablement-led"


class ReviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_TRIAGE = "awaiting_triage", "Submitted, waiting for a worker to look at it"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS, ReviewStatus.AWAITING_TRIAGE)


class RequestedBy(models.TextChoices):
    PERSON = "person", "The person"
    CARER = "carer", "A carer"
    PROVIDER = "provider", "A provider"
    HOSPITAL = "hospital", "After a hospital stay"
    WORKER = "worker", "A worker"


class ReviewResult(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    PLAN_CHANGED = "plan_changed", "The plan changes"
    REASSESSMENT = "reassessment", "Reassessment needed"
    SUPPORT_ENDS = "support_ends", "Support ends"


# The client level data review outcome for each result (GUIDE §5.4).
CLD_OUTCOME = {
    ReviewResult.NO_CHANGE: codes.EventOutcome.NO_CHANGE,
    ReviewResult.PLAN_CHANGED: codes.EventOutcome.SUPPORT_PLANNING,
    ReviewResult.REASSESSMENT: codes.EventOutcome.REASSESSMENT,
    ReviewResult.SUPPORT_ENDS: codes.EventOutcome.NFA_ENDED_OTHER,
}


class CarerAbleWilling(models.TextChoices):
    YES = "yes", "Yes, still able and willing"
    STRUGGLING = "struggling", "Willing, but finding it harder"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "There is no unpaid carer"


@pghistory.track()
class Review(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reviews")
    plan = models.ForeignKey("assessments.SupportPlan", on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.PLAN)
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.WORKER)
    route_reasons = models.JSONField(default=list, blank=True)
    routing_ruleset_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED)
    window_opens_on = models.DateField(help_text="The review can be done from this day")
    due_on = models.DateField()
    requested_by = models.CharField(max_length=20, choices=RequestedBy.choices, blank=True)
    request_reason = models.TextField(blank=True)
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    # The record
    what_works = models.TextField(blank=True)
    what_does_not = models.TextField(blank=True)
    changes = models.TextField("changes in needs, health or circumstances", blank=True)
    carer_able_willing = models.CharField(max_length=20, choices=CarerAbleWilling.choices, blank=True)
    done_differently = models.JSONField("could anything be done differently (support sequence)", default=dict,
                                        blank=True)
    result = models.CharField(max_length=20, choices=ReviewResult.choices, blank=True)
    cld_outcome = models.CharField(max_length=80, choices=codes.EventOutcome.choices, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    next_review_due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "topic"], condition=Q(status__in=OPEN_STATUSES),
                                    name="one_open_review_per_plan_topic",
                                    violation_error_message="This plan already has a review waiting to be done"),
            models.CheckConstraint(condition=Q(window_opens_on__lte=F("due_on")), name="window_opens_before_due",
                                   violation_error_message="The review cannot open after it is due"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.COMPLETED)
                | (Q(completed_on__isnull=False) & ~Q(result="") & ~Q(cld_outcome="")
                   & (Q(result=ReviewResult.SUPPORT_ENDS) | Q(next_review_due_on__isnull=False))),
                name="completed_review_is_whole",
                violation_error_message="A completed review needs its date, its result and the next review date"),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=OPEN_STATUSES), name="review_open_due"),
            models.Index(fields=["team", "due_on"], condition=Q(status__in=OPEN_STATUSES), name="review_open_team_due"),
            models.Index(fields=["person", "completed_on"], condition=Q(status=ReviewStatus.COMPLETED),
                         name="review_completed_person"),
        ]

    def __str__(self) -> str:
        return f"{self.label} due {self.due_on:%d %b %Y}"

    @property
    def label(self) -> str:
        """What the review is, for pages and emails: its kind, and whether it reviews the direct payment."""
        if self.topic == Topic.DIRECT_PAYMENT and self.kind != ReviewKind.DIRECT_PAYMENT_FIRST:
            return f"{self.get_kind_display()} of the direct payment"
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OutcomeStillMet(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


@pghistory.track()
class ReviewOutcome(models.Model):
    """For one outcome of the plan: is it still being met?"""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcomes")
    plan_outcome = models.ForeignKey("assessments.PlanOutcome", on_delete=models.PROTECT, related_name="+")
    still_met = models.CharField(max_length=10, choices=OutcomeStillMet.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "plan_outcome"], name="one_answer_per_outcome")]

    def __str__(self) -> str:
        return f"{self.plan_outcome}: {self.get_still_met_display()}"


class ReviewReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", "28 days before the due date"
    DUE = "due", "On the due date"
    OVERDUE = "overdue", "Weekly while overdue"


class ReviewReminderOutcome(models.TextChoices):
    SENT = "sent", "Sent"
    NOT_NEEDED = "not needed", "Not needed: the review was no longer open or its due date had changed"
    NO_EMAIL = "no email address", "Not sent: the recipient has no email address"


class ReviewReminder(OutboxItem):
    """One reminder email about one review to one member of staff: 28 days before the due date, on the due
    date, then weekly while overdue. The recipient is the allocated worker, or when nobody is allocated, each
    team leader of the review's team, chosen when the row is made. The key holds the review, the kind, the
    due date and the day the reminder is for, so a changed due date gives new reminders and the same one is
    never made twice; sent exactly once through carecase/outbox.py (reviews/reminders.py)."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReviewReminderKind.choices)
    due_on = models.DateField(help_text="The review's due date when the reminder was made")
    for_date = models.DateField(help_text="The day the reminder falls: 28 days before, the due date, or a week on")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    as_team_leader = models.BooleanField(default=False, help_text="Sent to a team leader: no worker was allocated")
    outcome = models.CharField(max_length=20, choices=ReviewReminderOutcome.choices, blank=True)
    sent_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["for_date", "id"]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"), name="review_reminder_not_done")]

    def __str__(self) -> str:
        return f"Review reminder ({self.get_kind_display().lower()}) for {self.for_date:%d %b %Y}"

    @staticmethod
    def key_for(review_id: int, kind: str, due_on, for_date, recipient_id: int) -> str:
        return f"review:{review_id}:{kind}:{due_on.isoformat()}:{for_date.isoformat()}:{recipient_id}"


class ReviewDigest(OutboxItem):
    """The weekly email to one team leader about one team's overdue reviews, by worker with days overdue.
    One row per team leader, team and week (the Monday), sent on the week's first working day, exactly once
    (carecase/outbox.py, reviews/digest.py). What it listed is kept on the row."""

    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    week_of = models.DateField(help_text="The Monday of the week")
    for_date = models.DateField(help_text="The working day it was made for; its figures are as of this day")
    sent_to = models.EmailField(blank=True)
    counts = models.JSONField(default=dict, blank=True)
    review_ids = ArrayField(models.IntegerField(), default=list, blank=True)

    class Meta:
        ordering = ["-week_of", "team", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "recipient", "week_of"], name="one_review_digest_per_leader_week"),
        ]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"), name="review_digest_not_done")]

    def __str__(self) -> str:
        return f"Overdue reviews digest for the week of {self.week_of:%d %b %Y} ({self.get_status_display().lower()})"

    @staticmethod
    def key_for(team_id: int, user_id: int, monday) -> str:
        return f"review-digest:{team_id}:{user_id}:{monday.isoformat()}"
