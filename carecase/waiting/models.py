"""Waiting lists: who is waiting for what, how urgently, since when, and the keep-in-touch contacts that
keep them safe while they wait ("waiting well", GUIDE §4)."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from carecase.outbox import OutboxItem, OutboxStatus


class Queue(models.TextChoices):
    ASSESSMENT = "assessment", "Needs assessment"
    CARER_ASSESSMENT = "carer_assessment", "Carer's assessment"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    REVIEW = "review", "Review"
    DP_SETUP = "dp_setup", "Direct payment set-up"
    DOLS = "dols", "Deprivation of Liberty Safeguards (recorded only)"


class Band(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NOT_RATED = "not_rated", "Not yet rated"


class ExitReason(models.TextChoices):
    ALLOCATED = "allocated", "Allocated to a worker"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
    MOVED_AWAY = "moved_away", "Moved to another council"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class ChangeReason(models.TextChoices):
    TRIAGE = "triage", "First triage"
    NEW_INFORMATION = "new_information", "New information"
    CIRCUMSTANCES = "circumstances", "Change in circumstances"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep-in-touch contact"
    INTERIM_SUPPORT = "interim_support", "Interim support in place"
    ESCALATION = "escalation", "Team leader escalation"
    PERSONS_REQUEST = "persons_request", "The person's request"
    CORRECTION = "correction", "Correction"


@pghistory.track()
class WaitingListEntry(models.Model):
    """One person waiting in one queue. The wait runs from `waiting_since`; a change of band never resets it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="waiting_entries")
    queue = models.CharField(max_length=30, choices=Queue.choices)
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="waiting_entries")
    contact = models.ForeignKey("records.Contact", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="waiting_entries")
    waiting_since = models.DateField()
    band = models.CharField(max_length=20, choices=Band.choices, default=Band.NOT_RATED)
    suggested_band = models.CharField(max_length=20, choices=Band.choices, default=Band.NOT_RATED)
    checklist = models.JSONField("risk checklist answers", default=dict, blank=True)
    priority_ruleset_version = models.CharField(max_length=40, blank=True)
    next_contact_due = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=30, choices=ExitReason.choices, blank=True)
    exit_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["waiting_since", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "queue"], condition=Q(left_on__isnull=True),
                                    name="one_open_entry_per_queue",
                                    violation_error_code="one_open_entry_per_queue",
                                    violation_error_message="This person is already waiting in this queue"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | ~Q(exit_reason=""),
                                   name="leaving_has_a_reason",
                                   violation_error_message="Choose why they are leaving the list"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=F("waiting_since")),
                                   name="left_after_joining",
                                   violation_error_message="The date they left must be on or after the date they joined"),
        ]
        indexes = [
            models.Index(fields=["queue", "team", "band"], condition=Q(left_on__isnull=True), name="waiting_open_by_queue"),
            models.Index(fields=["waiting_since"], condition=Q(left_on__isnull=True), name="waiting_open_since"),
            models.Index(fields=["next_contact_due"], condition=Q(left_on__isnull=True), name="waiting_contact_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_queue_display()} since {self.waiting_since:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.left_on is None


@pgtrigger.register(pgtrigger.Protect(name="priority_change_append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class PriorityChange(models.Model):
    """Every change of band: who, when, from what, to what and why (GUIDE §4.4)."""

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.PROTECT, related_name="priority_changes")
    from_band = models.CharField(max_length=20, choices=Band.choices, blank=True)
    to_band = models.CharField(max_length=20, choices=Band.choices)
    suggested_band = models.CharField(max_length=20, choices=Band.choices)
    reason = models.CharField(max_length=30, choices=ChangeReason.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_band=F("suggested_band")) | ~Q(note=""),
                                   name="override_has_a_note",
                                   violation_error_message="Say why you chose a different band from the one suggested"),
        ]

    def __str__(self) -> str:
        return f"{self.from_band or 'new'} to {self.to_band}"


class KeepInTouchResult(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    CHANGED = "changed", "Circumstances changed (reprioritise)"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
    ESCALATED = "escalated", "Escalated to the duty worker"


class KeepInTouchContact(models.Model):
    """A keep-in-touch contact with someone waiting, recorded as a case note with its result."""

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.PROTECT, related_name="keep_in_touch")
    case_note = models.OneToOneField("records.CaseNote", on_delete=models.PROTECT, related_name="keep_in_touch")
    result = models.CharField(max_length=30, choices=KeepInTouchResult.choices)
    made_contact = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    next_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Keep-in-touch: {self.get_result_display().lower()}"


ReminderStatus = OutboxStatus  # pending, claimed by a worker, delivered


class KeepInTouchReminder(OutboxItem):
    """One keep-in-touch contact falling due: one row per entry and due date, so the daily sweep puts each
    into the team's duty worktray exactly once, however many sweeps run and whichever worker dies
    (carecase/outbox.py, carecase/waiting/reminders.py)."""

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.PROTECT, related_name="reminders")
    due_on = models.DateField()
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="keep_in_touch_reminders")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "due_on"], name="one_reminder_per_entry_and_due_date"),
        ]
        indexes = [
            models.Index(fields=["status", "id"], condition=~Q(status="done"), name="reminder_not_done"),
            models.Index(fields=["team", "due_on"], condition=Q(status="done"), name="reminder_worktray"),
        ]

    def __str__(self) -> str:
        return f"Keep-in-touch due {self.due_on:%d %b %Y} ({self.get_status_display().lower()})"

    @staticmethod
    def key_for(entry_id: int, due_on) -> str:
        return f"{entry_id}:{due_on.isoformat()}"


class WaitingListSnapshot(models.Model):
    """Who was waiting at the end of one day, per queue, team and band: how many, and each one's wait in days
    (sorted), so the dashboard's weekly trend can give the exact median for any choice of teams, queues and
    bands. Written nightly by carecase/waiting/figures.py `take_snapshot`, once per day however often it runs.

    `reconstructed` marks a day rebuilt afterwards from the entries' join and leave dates (the demo data's
    history): those rows use each entry's band and team of today, not of that day."""

    taken_on = models.DateField()
    queue = models.CharField(max_length=30, choices=Queue.choices)
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=20, choices=Band.choices)
    waiting = models.PositiveIntegerField()
    wait_days = ArrayField(models.IntegerField(), help_text="Each person's wait in days that day, shortest first")
    reconstructed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "queue", "team", "band"]
        constraints = [
            models.UniqueConstraint(fields=["taken_on", "queue", "team", "band"], name="one_snapshot_row_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.taken_on}: {self.waiting} waiting ({self.queue}, {self.band})"


class DashboardChoice(models.Model):
    """The teams, queues and priorities a member of staff last chose on the waiting-list dashboard, so the
    page opens on them next time. Empty lists mean "all"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    teams = ArrayField(models.IntegerField(), default=list, blank=True)
    queues = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    bands = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Dashboard choice of user {self.user_id}"


class TeamLeaderDigest(OutboxItem):
    """The daily email to one team leader about one team's waiting list: overdue keep-in-touch contacts,
    urgent entries not allocated within 2 working days, and waits beyond the team's target. One row per
    team leader, team and day, sent exactly once (carecase/outbox.py); the row's key goes to the mail
    provider as its reference. What it listed is kept, so "what did the digest say?" can be answered."""

    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    for_date = models.DateField()
    sent_to = models.EmailField(blank=True)
    counts = models.JSONField(default=dict, blank=True)
    entry_ids = ArrayField(models.IntegerField(), default=list, blank=True)

    class Meta:
        ordering = ["-for_date", "team", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "recipient", "for_date"], name="one_digest_per_leader_team_day"),
        ]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"), name="digest_not_done")]

    def __str__(self) -> str:
        return f"Waiting-list digest for {self.for_date:%d %b %Y} ({self.get_status_display().lower()})"

    @staticmethod
    def key_for(team_id: int, user_id: int, day) -> str:
        return f"waiting-digest:{team_id}:{user_id}:{day.isoformat()}"
