"""The self-review portal: invitations, portal accounts and self-reviews (issue 5 §4).

A portal account belongs to one person (or their representative acting for them) and is a separate realm
from staff accounts: it is not a Django user, it signs in with its own session key, and every portal page
reads only the signed-in account's own person and review. Nothing in a portal URL names a person or a
review; the only identifier that ever appears is the invitation's random token.

Secrets are stored as hashes: the invitation token (SHA-256, so it can be looked up), the one-time code
and the password (Django's password hashers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecase.outbox import OutboxItem


class InvitationChannel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


class Invitation(models.Model):
    """An invitation to review one's own support: a link with a random token plus a one-time code, sent by
    email or printed in a letter. Used once; expires."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=InvitationChannel.choices)
    sent_to = models.CharField(max_length=300, blank=True, help_text="The email address, or the postal address")
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Self-review invitation by {self.get_channel_display().lower()} ({self.created_at:%d %b %Y})"


class PortalAccount(models.Model):
    """Someone who signs in to the portal: the person, or a representative acting for them."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="portal_accounts")
    email = models.EmailField(blank=True)
    password_hash = models.CharField(max_length=200, blank=True)
    is_representative = models.BooleanField(default=False)
    representative_name = models.CharField(max_length=200, blank=True)
    failed_sign_ins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="portal_email_unique",
                                    violation_error_message="This email address already has a portal account"),
        ]

    def __str__(self) -> str:
        return f"Portal account {self.pk}"


class SignInLink(models.Model):
    """A single-use sign-in link emailed to a portal account instead of a password."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sign-in link ({'used' if self.used_at else 'not used'})"


class SelfReviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Started"
    SUBMITTED = "submitted", "Sent"
    ACCEPTED = "accepted", "Accepted as the review"
    TURNED_INTO_WORKER_REVIEW = "worker_review", "Turned into a review by a worker"


class SelfReview(models.Model):
    """The answers a person (or their representative) gives about their own support; saved as they go."""

    review = models.OneToOneField("reviews.Review", on_delete=models.PROTECT, related_name="self_review")
    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="self_reviews")
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=SelfReviewStatus.choices, default=SelfReviewStatus.IN_PROGRESS)
    reference = models.CharField(max_length=20, unique=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Self-review {self.reference}"


class DutyTaskStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"


class DutyTask(models.Model):
    """Something the team's duty worker must do today: for now, ringing someone who said in their
    self-review that they do not feel safe."""

    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="duty_tasks")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="duty_tasks")
    self_review = models.ForeignKey(SelfReview, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="duty_tasks")
    reason = models.TextField()
    is_urgent = models.BooleanField(default=True)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=DutyTaskStatus.choices, default=DutyTaskStatus.OPEN)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["team", "due_on"], condition=Q(status="open"), name="duty_task_open")]

    def __str__(self) -> str:
        return f"Duty task due {self.due_on:%d %b %Y}"


class InvitationDue(OutboxItem):
    """A self-review invitation falling due, 6 weeks before a self-review route review is due: one row per
    review and due date, sent exactly once by the daily sweep (portal/invites.py). With an email address the
    sweep emails it; without one the row waits on the team's "letters to print" list, and printing makes
    the invitation, so the one-time code is only ever on paper."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    needs_printing = models.BooleanField(default=False)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "due_on"], name="one_invitation_per_review_due")]
        indexes = [models.Index(fields=["team"], condition=Q(needs_printing=True, printed_at__isnull=True),
                                name="invitation_letters_to_print")]

    def __str__(self) -> str:
        return f"Self-review invitation due for the review due {self.due_on:%d %b %Y}"


class ProviderReviewStatus(models.TextChoices):
    SENT = "sent", "Link sent to the provider"
    SUBMITTED = "submitted", "Completed by the provider, waiting for a worker to sign it off"
    SIGNED_OFF = "signed_off", "Signed off as the review"
    TURNED_INTO_WORKER_REVIEW = "worker_review", "Turned into a review by a worker"
    WITHDRAWN = "withdrawn", "Link withdrawn"


class ProviderReview(models.Model):
    """A provider-led review: the provider completes it through a secure single-use link (no account), and a
    worker signs it off. The link's token is stored as a SHA-256 hash; it works once and expires."""

    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="provider_reviews")
    provider_name = models.CharField(max_length=200)
    sent_to = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=ProviderReviewStatus.choices, default=ProviderReviewStatus.SENT)
    answers = models.JSONField(default=dict, blank=True)
    completed_by_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Provider-led review by {self.provider_name}"
