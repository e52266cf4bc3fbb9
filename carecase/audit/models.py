"""Who may open which record beyond their team, and the append-only log of every read."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models


class AccessBasis(models.TextChoices):
    TEAM = "team", "Allocated to their team"
    WAITING = "waiting", "On their team's waiting list"
    REASON = "reason", "Gave a reason"
    SENIOR = "senior", "Senior manager"
    GRANT = "grant", "Granted by name"
    CREATOR = "creator", "Created the record"
    LIMITED = "limited", "Search details only"
    SELF = "self", "Their own record"
    DIRECT_PAYMENT = "dp", "Direct payments officer: the person has or is planned a direct payment"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Listed in search results"
    API = "api", "Read through the API"
    PRINT = "print", "Printed"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Tried to open without access"


@pgtrigger.register(pgtrigger.Protect(name="access_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class RecordAccessEvent(models.Model):
    """One read of person-level data. Written by selectors and the API; never changed or deleted."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    resource = models.CharField(max_length=60, help_text="What was read, for example 'case notes'.")
    basis = models.CharField(max_length=10, choices=AccessBasis.choices)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"]), models.Index(fields=["user", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.resource} of {self.person_id}"


@pgtrigger.register(pgtrigger.Protect(name="access_reason_append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class AccessReason(models.Model):
    """A reason given to open a record outside one's team. Opens it for ACCESS_REASON_HOURS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["user", "person", "-expires_at"])]

    def __str__(self) -> str:
        return f"Reason by {self.user_id} for {self.person_id}"


class RestrictedAccessGrant(models.Model):
    """Names a member of staff who may open a restricted record (or, for administrators, any record)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"], condition=models.Q(revoked_at__isnull=True), name="one_live_grant"
            )
        ]

    def __str__(self) -> str:
        return f"Grant to {self.user_id} for {self.person_id}"
