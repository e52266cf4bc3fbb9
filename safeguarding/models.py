"""Safeguarding adults (GUIDE §2.9): concerns, section 42 decisions, enquiries with strategy discussions,
actions and plans, organisational enquiries, provider incidents, and the closure that feeds the Safeguarding
Adults Collection (§7.2).

A concern is the safeguarding case: its decision, its enquiry and everything under the enquiry hang from it,
and so do the staff named on it and whether it is restricted further (safeguarding/access.py). The SAC fields
are first-class columns with the national values (safeguarding/codes.py), so the return is a query.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from carecase.outbox import OutboxItem

from .codes import (
    AbuseType,
    AdvocacySupport,
    Capacity,
    LocationOfRisk,
    OutcomesAchieved,
    OutcomesAsked,
    RiskAssessmentOutcome,
    RiskResult,
    SourceOfRisk,
)

CODE = 80  # room for the longest national value


class ConcernStatus(models.TextChoices):
    AWAITING_DECISION = "awaiting_decision", "Waiting for a decision"
    NO_ENQUIRY = "no_enquiry", "Decided: no enquiry"
    ENQUIRY = "enquiry", "Enquiry open"
    CLOSED = "closed", "Closed"


class RaisedByRole(models.TextChoices):
    PERSON = "person", "The adult themselves"
    FAMILY = "family", "Family member, friend or neighbour"
    PROVIDER = "provider", "Care provider"
    HEALTH = "health", "Health (GP, hospital, community health)"
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Social care staff"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Someone else"


class AllegedKnown(models.TextChoices):
    KNOWN = "known", "Yes: the adult or the person raising the concern knows who they are"
    UNKNOWN = "unknown", "No: they are not known (for example a stranger, or not yet identified)"
    NOBODY = "nobody", "No one else is alleged to cause harm (for example self-neglect)"


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


@pghistory.track()
class Concern(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="safeguarding_concerns")
    received_at = models.DateTimeField()
    raised_by_role = models.CharField(max_length=20, choices=RaisedByRole.choices)
    raised_by_name = models.CharField(max_length=200, blank=True)
    raised_by_organisation = models.CharField(max_length=200, blank=True)
    abuse_types = ArrayField(models.CharField(max_length=CODE, choices=AbuseType.choices))
    location_of_risk = models.CharField(max_length=CODE, choices=LocationOfRisk.choices)
    source_of_risk = models.CharField(max_length=CODE, choices=SourceOfRisk.choices)
    what_happened = models.TextField()
    immediate_risk = models.BooleanField()
    protection_actions = models.TextField(blank=True)
    police_informed = models.BooleanField()
    outcomes_asked = models.CharField(max_length=CODE, choices=OutcomesAsked.choices)
    desired_outcomes = models.TextField("what they want to happen, in their own words", blank=True)
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    advocacy = models.CharField(max_length=CODE, choices=AdvocacySupport.choices, blank=True)
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.AWAITING_DECISION)
    decision_due_on = models.DateField()
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_restricted = models.BooleanField(default=False, help_text="Only staff named on this concern may open it")
    # When the adult is at immediate risk and nobody has yet said what was done to protect them, the hub must
    # check and record it the same working day (GUIDE §2.9); who recorded it, and when, if not at receipt.
    protection_recorded_at = models.DateTimeField(null=True, blank=True)
    protection_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="+")
    # The person alleged to cause harm (GUIDE §2.9). Blank on concerns recorded before these were asked.
    alleged_known = models.CharField("is the person alleged to cause harm known?", max_length=10,
                                     choices=AllegedKnown.choices, blank=True)
    alleged_name = models.CharField("their name", max_length=200, blank=True)
    alleged_description = models.TextField("a description of them", blank=True)
    alleged_relationship = models.CharField("their relationship to the adult", max_length=200, blank=True)
    alleged_position_of_trust = models.BooleanField("in a position of trust", null=True, blank=True)
    alleged_care_needs = models.CharField("do they have care and support needs themselves?", max_length=10,
                                          choices=YesNoNotKnown.choices, blank=True)
    # Other adults or children at risk; when children are, the referral to children's services.
    others_at_risk = models.BooleanField(null=True, blank=True)
    others_at_risk_details = models.TextField(blank=True)
    children_at_risk = models.BooleanField(null=True, blank=True)
    children_referral_made = models.BooleanField("referred to children's services", null=True, blank=True)
    children_referral_reason = models.TextField("why no referral to children's services was made", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(abuse_types=[]), name="concern_has_an_abuse_type",
                                   violation_error_message="Select at least one type of abuse or neglect"),
            models.CheckConstraint(condition=~Q(alleged_known=AllegedKnown.KNOWN) | ~Q(alleged_name=""),
                                   name="known_alleged_person_named",
                                   violation_error_message="Give the name of the person alleged to cause harm"),
            models.CheckConstraint(condition=~Q(alleged_known=AllegedKnown.UNKNOWN) | ~Q(alleged_description=""),
                                   name="unknown_alleged_person_described",
                                   violation_error_message="Describe the person alleged to cause harm"),
            models.CheckConstraint(condition=~Q(others_at_risk=True) | ~Q(others_at_risk_details=""),
                                   name="others_at_risk_described",
                                   violation_error_message="Say who else is at risk"),
            models.CheckConstraint(condition=~Q(children_at_risk=True) | Q(children_referral_made__isnull=False),
                                   name="children_at_risk_referral_answered",
                                   violation_error_message="Say whether children's services have been told"),
            models.CheckConstraint(condition=~Q(children_referral_made=False) | ~Q(children_referral_reason=""),
                                   name="no_children_referral_has_reason",
                                   violation_error_message="Say why children's services have not been told"),
            models.CheckConstraint(condition=~Q(outcomes_asked=OutcomesAsked.EXPRESSED) | ~Q(desired_outcomes=""),
                                   name="expressed_outcomes_recorded",
                                   violation_error_message="Write down what they want to happen, in their words"),
            models.CheckConstraint(condition=~Q(capacity=Capacity.LACKS) | ~Q(advocacy=""),
                                   name="lacking_capacity_has_advocacy_answer",
                                   violation_error_message="Say whether they have an advocate, family member or "
                                                           "friend to support them"),
        ]
        indexes = [
            models.Index(fields=["decision_due_on"], condition=Q(status="awaiting_decision"),
                         name="concern_awaiting_due"),
            models.Index(fields=["person", "-received_at"], name="concern_person"),
        ]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk} received {self.received_at:%d %b %Y}"

    def get_abuse_types_display(self) -> str:
        labels = dict(AbuseType.choices)
        return ", ".join(labels.get(code, code) for code in self.abuse_types)

    @property
    def needs_protection_check(self) -> bool:
        """At immediate risk, and nothing yet recorded about what was done to protect them."""
        return self.immediate_risk and not self.protection_actions


@pghistory.track()
class SafeguardingGrant(models.Model):
    """A member of staff named on a safeguarding concern: they may open it even when it is restricted."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "user"], condition=Q(revoked_at__isnull=True),
                                               name="one_live_safeguarding_grant")]

    def __str__(self) -> str:
        return f"Grant to {self.user_id} on concern {self.concern_id}"


class DecisionResult(models.TextChoices):
    S42 = "s42", "Section 42 enquiry"
    OTHER = "other", "Other safeguarding enquiry (not under section 42)"
    NO_FURTHER_ACTION = "no_further_action", "No further safeguarding action (advice or signposting)"
    REFERRAL = "referral", "Referral elsewhere"


ENQUIRY_RESULTS = (DecisionResult.S42, DecisionResult.OTHER)


@pghistory.track()
class Decision(models.Model):
    """The section 42(1) decision: the three questions, each with a reason, and what happens next."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="decision")
    has_care_needs = models.BooleanField()
    has_care_needs_reason = models.TextField()
    at_risk = models.BooleanField()
    at_risk_reason = models.TextField()
    cannot_protect = models.BooleanField()
    cannot_protect_reason = models.TextField()
    result = models.CharField(max_length=20, choices=DecisionResult.choices)
    advice_given = models.TextField(blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    within_timescale = models.BooleanField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(result=DecisionResult.S42) | Q(has_care_needs=True, at_risk=True, cannot_protect=True),
                name="s42_needs_all_three",
                violation_error_message="A section 42 enquiry needs yes to all three questions"),
            models.CheckConstraint(
                condition=~Q(has_care_needs_reason="") & ~Q(at_risk_reason="") & ~Q(cannot_protect_reason=""),
                name="decision_reasons_given", violation_error_message="Give a reason for each answer"),
            models.CheckConstraint(condition=~Q(result=DecisionResult.NO_FURTHER_ACTION) | ~Q(advice_given=""),
                                   name="no_action_has_advice",
                                   violation_error_message="Say what advice or signposting was given"),
            models.CheckConstraint(condition=~Q(result=DecisionResult.REFERRAL) | ~Q(referred_to=""),
                                   name="referral_has_destination",
                                   violation_error_message="Say where the concern was referred"),
        ]

    def __str__(self) -> str:
        return f"Decision on concern {self.concern_id}: {self.get_result_display()}"


class OrganisationalStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


@pghistory.track()
class OrganisationalEnquiry(models.Model):
    """Many adults at risk from one provider: links their enquiries, with shared actions. Each adult keeps
    their own outcomes on their own enquiry."""

    provider_name = models.CharField(max_length=200)
    summary = models.TextField()
    opened_on = models.DateField()
    lead = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=OrganisationalStatus.choices, default=OrganisationalStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_summary = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name_plural = "organisational enquiries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OrganisationalStatus.CLOSED)
                | (Q(closed_on__isnull=False) & ~Q(closure_summary="") & Q(closed_by__isnull=False)),
                name="closed_organisational_is_whole",
                violation_error_message="A closed organisational enquiry needs its summary, date and who closed it"),
        ]

    def __str__(self) -> str:
        return f"Organisational enquiry: {self.provider_name}"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONCLUDED = "concluded", "Concluded"


@pghistory.track()
class Enquiry(models.Model):
    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="enquiry")
    kind = models.CharField(max_length=10, choices=[(DecisionResult.S42.value, "Section 42 enquiry"),
                                                     (DecisionResult.OTHER.value, "Other safeguarding enquiry")])
    lead_enquirer = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    caused_organisation = models.CharField("organisation asked to make the enquiry", max_length=200, blank=True)
    started_on = models.DateField()
    organisational_enquiry = models.ForeignKey(OrganisationalEnquiry, on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="enquiries")
    status = models.CharField(max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN)
    # Clocks after the decision (GUIDE §2.9), set when the enquiry starts: planning (the safeguarding plan)
    # within 5 working days; a strategy discussion within 5 working days, only when one is needed.
    strategy_needed = models.BooleanField(null=True, blank=True)
    strategy_due_on = models.DateField(null=True, blank=True)
    planning_due_on = models.DateField(null=True, blank=True)
    # Closure (GUIDE §5.11, §5.12)
    risk_outcome = models.CharField(max_length=CODE, choices=RiskAssessmentOutcome.choices, blank=True)
    risk_result = models.CharField(max_length=CODE, choices=RiskResult.choices, blank=True)
    no_action_reason = models.TextField(blank=True)
    outcomes_achieved = models.CharField(max_length=CODE, choices=OutcomesAchieved.choices, blank=True)
    feedback_offered = models.BooleanField(null=True, blank=True)
    closure_summary = models.TextField(blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(condition=Q(lead_enquirer__isnull=False) | ~Q(caused_organisation=""),
                                   name="enquiry_has_a_lead",
                                   violation_error_message="Choose a lead enquirer or name the organisation asked "
                                                           "to make the enquiry"),
            models.CheckConstraint(
                condition=~Q(status=EnquiryStatus.CONCLUDED)
                | (~Q(risk_outcome="") & Q(concluded_on__isnull=False) & Q(feedback_offered__isnull=False)),
                name="concluded_enquiry_is_whole",
                violation_error_message="A concluded enquiry needs its risk outcome, date and whether feedback was "
                                        "offered"),
            models.CheckConstraint(
                condition=~Q(risk_outcome=RiskAssessmentOutcome.IDENTIFIED_ACTION) | ~Q(risk_result=""),
                name="risk_action_has_result",
                violation_error_message="Say whether the risk remains, was reduced or was removed"),
            models.CheckConstraint(
                condition=~Q(risk_outcome=RiskAssessmentOutcome.IDENTIFIED_NO_ACTION) | ~Q(no_action_reason=""),
                name="risk_no_action_has_reason",
                violation_error_message="Say why no action was taken"),
        ]
        indexes = [models.Index(fields=["concluded_on"], condition=Q(status="concluded"), name="enquiry_concluded")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for concern {self.concern_id}"


@pghistory.track()
class StrategyDiscussion(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="strategy_discussions")
    held_on = models.DateField()
    is_meeting = models.BooleanField(default=False, help_text="A meeting rather than a discussion")
    attendees = models.TextField()
    police_attended = models.BooleanField()
    crime_possible = models.BooleanField("could a crime have been committed?")
    police_informed = models.BooleanField("police informed or invited", null=True, blank=True)
    no_police_reason = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(crime_possible=False) | Q(police_informed__isnull=False),
                                   name="possible_crime_police_answered",
                                   violation_error_message="Say whether the police were informed or invited"),
            models.CheckConstraint(condition=Q(police_informed=True) | ~Q(no_police_reason=""),
                                   name="no_police_has_reason",
                                   violation_error_message="Say why the police were not involved"),
        ]

    def __str__(self) -> str:
        return f"Strategy discussion on {self.held_on:%d %b %Y}"


@pghistory.track()
class EnquiryAction(models.Model):
    """An action with an owner and a date: for one adult's enquiry, or shared across an organisational one."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="actions")
    organisational_enquiry = models.ForeignKey(OrganisationalEnquiry, on_delete=models.CASCADE, null=True,
                                               blank=True, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who will do it: a name, role or organisation")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(enquiry__isnull=False, organisational_enquiry__isnull=True)
            | Q(enquiry__isnull=True, organisational_enquiry__isnull=False), name="action_belongs_to_one_enquiry")]

    def __str__(self) -> str:
        return self.description[:60]


@pghistory.track()
class SafeguardingPlan(models.Model):
    """The protective plan made with the adult, built with the support sequence (GUIDE §3.5, R8): the outcomes
    are what the adult wants from safeguarding; `sequence` keeps the answers and the engine's result with
    its rule-set version, as reviews do."""

    enquiry = models.OneToOneField(Enquiry, on_delete=models.CASCADE, related_name="plan")
    sequence = models.JSONField(default=dict)
    formal_actions = models.TextField("what the council and other organisations will do", blank=True)
    review_on = models.DateField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Safeguarding plan for enquiry {self.enquiry_id}"


class FeedbackAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_SAID = "not_said", "Did not say"


@pghistory.track()
class EnquiryFeedback(models.Model):
    """What the adult (or their representative) said about the enquiry after it closed (GUIDE §2.9
    "Feedback"): recorded by staff, only when feedback was offered; if they agreed, the short survey."""

    enquiry = models.OneToOneField(Enquiry, on_delete=models.PROTECT, related_name="feedback")
    agreed = models.BooleanField("they agreed to give feedback")
    listened_to = models.CharField("felt listened to", max_length=10, choices=FeedbackAnswer.choices, blank=True)
    got_outcomes = models.CharField("got the outcomes they wanted", max_length=10, choices=FeedbackAnswer.choices,
                                    blank=True)
    feels_safer = models.CharField("feel safer", max_length=10, choices=FeedbackAnswer.choices, blank=True)
    comment = models.TextField("in their words", blank=True)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed=False) | (~Q(listened_to="") & ~Q(got_outcomes="") & ~Q(feels_safer="")),
                name="agreed_feedback_is_whole",
                violation_error_message="Answer each question, or choose did not say"),
        ]

    def __str__(self) -> str:
        return f"Feedback on enquiry {self.enquiry_id}"


class IncidentTriage(models.TextChoices):
    PENDING = "pending", "Waiting for triage"
    NOTIFIABLE_ONLY = "notifiable_only", "Notifiable only: not a safeguarding concern"
    CONCERN_RAISED = "concern_raised", "A safeguarding concern was raised"


@pghistory.track()
class ProviderIncident(models.Model):
    """A notifiable incident from a provider (for example one medication error with no harm). Not a concern
    and not counted as one, unless triage raises a concern from it."""

    provider_name = models.CharField(max_length=200)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    occurred_on = models.DateField()
    received_at = models.DateTimeField()
    description = models.TextField()
    harm_caused = models.BooleanField()
    triage = models.CharField(max_length=20, choices=IncidentTriage.choices, default=IncidentTriage.PENDING)
    triage_note = models.TextField(blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="from_incident")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(triage=IncidentTriage.CONCERN_RAISED) | Q(concern__isnull=False),
                                   name="raised_incident_has_concern",
                                   violation_error_message="An incident raised as a concern must link to it"),
        ]

    def __str__(self) -> str:
        return f"Incident at {self.provider_name} on {self.occurred_on:%d %b %Y}"


class ReminderKind(models.TextChoices):
    DUE = "due", "Decision due today"
    OVERDUE = "overdue", "Decision overdue"


class SafeguardingReminder(OutboxItem):
    """One email to one safeguarding lead about one undecided concern: on its decision due date, and once
    when it is overdue; exactly once through carecase/outbox.py (safeguarding/reminders.py)."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, blank=True)
    sent_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"),
                                name="sg_reminder_not_done")]

    def __str__(self) -> str:
        return f"Safeguarding reminder ({self.kind}) for concern {self.concern_id}"

    @staticmethod
    def key_for(concern_id: int, kind: str, due_on, recipient_id: int) -> str:
        return f"safeguarding:{concern_id}:{kind}:{due_on.isoformat()}:{recipient_id}"
