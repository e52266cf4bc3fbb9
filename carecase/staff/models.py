"""Teams, staff roles and the allocation of a person's case to a team and worker."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q


class TeamKind(models.TextChoices):
    LOCALITY = "locality", "Locality social work"
    HOSPITAL = "hospital", "Hospital social work"
    REVIEWING = "reviewing", "Reviewing"
    SAFEGUARDING = "safeguarding", "Safeguarding hub"
    DIRECT_PAYMENTS = "direct_payments", "Direct payments"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    FRONT_DOOR = "front_door", "Front door (contact and advice)"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_LEADER = "team_leader", "Team leader"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    DP_OFFICER = "dp_officer", "Direct payments officer"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    ADMINISTRATOR = "administrator", "Administrator"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=40, choices=TeamKind.choices)
    locality = models.CharField(max_length=80, blank=True)
    phone = models.CharField("team phone number", max_length=30)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    waiting_target_days = models.PositiveIntegerField(
        "waiting-list target in days", default=28,
        help_text="The longest the team aims to keep anyone waiting; longer waits are listed in the team "
                  "leader's daily digest")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class StaffMember(models.Model):
    """A member of staff: their role, team and the direct phone number letters must name."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=40, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=120)
    direct_phone = models.CharField(max_length=30, blank=True)
    # Set when an administrator chooses the password; the person must choose their own at next sign-in.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["team", "role"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.username


@pghistory.track()
class Allocation(models.Model):
    """Who holds a person's case. At most one open allocation per person; closing one keeps its history."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="one_open_allocation_per_person"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="allocation_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["team"], condition=Q(ended_at__isnull=True), name="open_allocation_team"),
            models.Index(fields=["worker"], condition=Q(ended_at__isnull=True), name="open_allocation_worker"),
        ]

    def __str__(self) -> str:
        return f"Allocation of {self.person_id} to {self.team_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
