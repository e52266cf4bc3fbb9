"""Care Act needs and carers' assessments: the conversation, the outcomes and the eligibility decision.

The eligibility engine's answer is kept with the rule-set version it used, and next to it the
practitioner's own decision (they confirm it, or record why they disagree). Every change of status is
an append-only AssessmentTransition row.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from carecase import codes


class AssessmentType(models.TextChoices):
    NEEDS = "needs", "Needs assessment"
    CARER = "carer", "Carer's assessment"
    JOINT = "joint", "Joint assessment"
    REASSESSMENT = "reassessment", "Reassessment"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for authorisation"
    RETURNED = "returned", "Returned for changes"
    AUTHORISED = "authorised", "Authorised"
    CLOSED = "closed", "Closed"


class WellbeingArea(models.TextChoices):
    """The nine areas of wellbeing in the Care Act 2014, section 1(2)."""

    DIGNITY = "dignity", "Personal dignity, including being treated with respect"
    HEALTH = "health", "Physical and mental health and emotional wellbeing"
    PROTECTION = "protection", "Protection from abuse and neglect"
    CONTROL = "control", "Control over day-to-day life, including care and support"
    PARTICIPATION = "participation", "Taking part in work, education, training or recreation"
    SOCIAL_ECONOMIC = "social_economic", "Social and economic wellbeing"
    RELATIONSHIPS = "relationships", "Domestic, family and personal relationships"
    ACCOMMODATION = "accommodation", "Suitability of where they live"
    CONTRIBUTION = "contribution", "Their contribution to society"


class EngineKind(models.TextChoices):
    """Which set of outcomes the assessment asks about, as the eligibility engine names them."""

    ADULT = "adult", "Adult who may need care and support"
    CARER = "carer", "Carer"


@pghistory.track()
class Assessment(models.Model):
    event_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    assessment_type = models.CharField(max_length=20, choices=AssessmentType.choices)
    kind = models.CharField(max_length=10, choices=EngineKind.choices, default=EngineKind.ADULT)
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # The conversation, in the person's own words where possible.
    what_matters = models.TextField("what matters to them", blank=True)
    good_day = models.TextField("what a good day looks like", blank=True)
    strengths = models.TextField("their strengths", blank=True)
    networks = models.TextField("family, friends and community around them", blank=True)

    wellbeing_areas = ArrayField(models.CharField(max_length=20, choices=WellbeingArea.choices), default=list,
                                 blank=True)
    wellbeing_note = models.TextField(blank=True)

    # Eligibility conditions (None: not answered yet).
    impairment_or_illness = models.BooleanField(null=True, blank=True)
    impairment_note = models.TextField(blank=True)
    necessary_care = models.BooleanField(null=True, blank=True)
    health_at_risk = models.BooleanField(null=True, blank=True)
    significant_impact_on_wellbeing = models.BooleanField(null=True, blank=True)
    wellbeing_impact_note = models.TextField(blank=True)
    needs_fluctuate = models.BooleanField(default=False)
    fluctuation_period = models.CharField("period considered", max_length=200, blank=True)

    # Mental Capacity Act 2005 and independent advocacy (Care Act s67).
    capacity_doubt = models.BooleanField("reason to doubt capacity", null=True, blank=True)
    capacity_outcome = models.TextField(blank=True)
    substantial_difficulty = models.BooleanField(null=True, blank=True)
    appropriate_person = models.BooleanField("has an appropriate person to support them", null=True, blank=True)
    advocacy_note = models.TextField(blank=True)

    # Carers around the person.
    carer_details = models.TextField(blank=True)
    carer_assessment_offered = models.BooleanField(null=True, blank=True)

    # The engine suggests; the practitioner decides.
    eligibility_ruleset_version = models.CharField(max_length=40, blank=True)
    eligibility_result = models.JSONField(default=dict, blank=True)
    engine_eligible = models.BooleanField(null=True, blank=True)
    practitioner_agrees = models.BooleanField(null=True, blank=True)
    disagreement_reason = models.TextField(blank=True)
    eligible = models.BooleanField("eligible needs identified", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "-started_on"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("started_on")),
                name="assessment_completed_after_start",
                violation_error_message="The completion date must be on or after the start date",
            ),
            models.CheckConstraint(
                condition=~Q(practitioner_agrees=False) | ~Q(disagreement_reason=""),
                name="disagreement_has_reason",
                violation_error_message="Say why you disagree with the suggested eligibility decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_assessment_type_display()} started {self.started_on:%d %b %Y}"

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


@pghistory.track()
class AssessmentOutcome(models.Model):
    """One specified outcome: achieved, or one or more of the meanings of 'unable to achieve'."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=40)
    statuses = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="one_row_per_outcome")]

    def __str__(self) -> str:
        return f"{self.code}: {', '.join(self.statuses) or 'not answered'}"


@pgtrigger.register(
    pgtrigger.Protect(name="assessment_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class AssessmentTransition(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=AssessmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AssessmentStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_status=AssessmentStatus.RETURNED) | ~Q(reason=""),
                name="return_has_reason",
                violation_error_message="Say why the assessment is being returned",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} to {self.to_status}"


@pghistory.track()
class SequenceOutcome(models.Model):
    """One outcome to be met (an eligible need or the person's own goal) worked through the support
    sequence: own strengths, technology and equipment, family and friends, community and universal
    services, then formal support. The engine's answer is kept with the rule-set version it used."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sequence_outcomes")
    code = models.SlugField(max_length=60)
    label = models.CharField("the outcome, in their words", max_length=300)
    national_outcome = models.CharField(max_length=40, blank=True)
    existing_support = models.BooleanField(default=False)
    # {step code: {"considered": bool, "meets": "fully"|"partly"|"no"|None, "note": str}}
    steps = models.JSONField(default=dict, blank=True)
    done_differently = models.JSONField(default=dict, blank=True)
    formal_support_requested = models.BooleanField(default=False)
    crisis_override_reason = models.TextField(blank=True)
    # Step 5: the formal option being considered and what it would cost, shown beside the steps.
    formal_option = models.CharField(max_length=200, blank=True)
    formal_units_per_week = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    formal_unit_cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    status = models.CharField(max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)
    ruleset_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="one_sequence_row_per_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def formal_weekly_cost(self) -> Decimal | None:
        if self.formal_units_per_week is None or self.formal_unit_cost is None:
            return None
        return (Decimal(self.formal_units_per_week) * Decimal(self.formal_unit_cost)).quantize(Decimal("0.01"))


# --- care and support plans, personal budgets and approval ---------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    RETURNED = "returned", "Returned for changes"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


@pghistory.track()
class SupportPlan(models.Model):
    """The care and support plan: how each outcome will be met, the services, the personal budget."""

    event_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="support_plans")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # Worked out in the financial assessment and recorded here; the person pays this towards the budget.
    assessed_contribution_weekly = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    review_due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(assessed_contribution_weekly__gte=0), name="contribution_not_negative",
                                   violation_error_message="The contribution cannot be less than zero"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="plan_ends_after_start", violation_error_message="The end date must be on or after the start"),
        ]

    def __str__(self) -> str:
        return f"Support plan {self.pk} ({self.get_status_display().lower()})"


@pghistory.track()
class PlanOutcome(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    sequence_outcome = models.ForeignKey(SequenceOutcome, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+")
    label = models.CharField(max_length=300)
    how_met = models.TextField("how it will be met", blank=True)
    by_whom = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


@pghistory.track()
class ServiceLine(models.Model):
    """One service in the plan: the CLD service event, with its own stable reference."""

    event_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="services")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="services")
    service_type = models.CharField(max_length=80, choices=codes.ServiceType.choices)
    component = models.CharField(max_length=30, choices=codes.ServiceComponent.choices)
    provider = models.CharField(max_length=200, blank=True)
    units_per_week = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=10, choices=codes.ServiceUnit.choices)
    unit_cost = models.DecimalField(max_digits=8, decimal_places=2)
    delivery_mechanism = models.CharField(max_length=40, choices=codes.DeliveryMechanism.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(units_per_week__gt=0), name="service_units_positive",
                                   violation_error_message="Enter how many a week, more than zero"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="service_cost_not_negative",
                                   violation_error_message="The cost cannot be less than zero"),
            models.CheckConstraint(condition=~Q(delivery_mechanism=""), name="service_has_delivery_mechanism",
                                   violation_error_message="Choose how the service is delivered"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="service_ends_after_start",
                                   violation_error_message="The end date must be on or after the start date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_component_display()}: {self.units_per_week} {self.get_unit_display()} a week"

    @property
    def weekly_cost(self) -> Decimal:
        return (self.units_per_week * self.unit_cost).quantize(Decimal("0.01"))


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


class ApprovalRequest(models.Model):
    """A plan sent for approval, with the cost and the support-sequence evidence as they were then."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="approvals")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2)
    yearly_cost = models.DecimalField(max_digits=12, decimal_places=2)
    level = models.CharField("who must decide", max_length=40)
    limits_version = models.CharField(max_length=40)
    long_term = models.BooleanField()
    sequence_result = models.JSONField(default=dict, blank=True)
    sequence_ruleset_version = models.CharField(max_length=40, blank=True)
    crisis_override = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["status", "level"])]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(status="pending"), name="one_pending_approval"),
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(reason=""), name="approval_return_has_reason",
                                   violation_error_message="Say why the plan is being returned"),
        ]

    def __str__(self) -> str:
        return f"Approval of plan {self.plan_id}: {self.get_status_display().lower()}"
