"""Direct payments (GUIDE §2.5, §2.8, §5.15, §5.16): the agreement with the person or their representative,
its price periods, the payments and payment runs, the personal assistants register and the employments that
link a personal assistant to a recipient (with the family rule), quarterly account returns with their
reminders, and the recovery of surplus balances.

Money is Decimal, in pounds with two decimal places. A price period keeps the weekly amounts from one date,
so a plan change reprices from its effective date and payments before and after it stay right.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from carecase import codes
from carecase.outbox import OutboxItem


class RecipientKind(models.TextChoices):
    PERSON = "person", "The person themselves"
    NOMINATED = "nominated", "A nominated person (the person has capacity and asks someone else to manage it)"
    AUTHORISED = "authorised", "An authorised person (the person lacks capacity to manage it)"


RECIPIENT_SHORT = {RecipientKind.PERSON: "the person", RecipientKind.NOMINATED: "nominated person",
                   RecipientKind.AUTHORISED: "authorised person"}


class AccountType(models.TextChoices):
    OWN_BANK = "own_bank", "Own bank account, used only for the direct payment"
    PREPAID_CARD = "prepaid_card", "Prepaid card account from the council"
    MANAGED = "managed", "Managed account with a provider"


class Frequency(models.TextChoices):
    FOUR_WEEKLY = "four_weekly", "Every 4 weeks"
    WEEKLY = "weekly", "Every week"
    MONTHLY = "monthly", "Every calendar month"


# Days in a period of the fixed-length frequencies; a monthly period is a calendar month (pricing.py).
PERIOD_DAYS = {Frequency.FOUR_WEEKLY: 28, Frequency.WEEKLY: 7}


class AgreementStatus(models.TextChoices):
    SET_UP = "set_up", "Being set up"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    ENDED = "ended", "Ended"


LIVE_STATUSES = (AgreementStatus.SET_UP, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED)

# Which status may follow which; every change needs a reason.
TRANSITIONS = {
    AgreementStatus.SET_UP: (AgreementStatus.ACTIVE, AgreementStatus.ENDED),
    AgreementStatus.ACTIVE: (AgreementStatus.SUSPENDED, AgreementStatus.ENDED),
    AgreementStatus.SUSPENDED: (AgreementStatus.ACTIVE, AgreementStatus.ENDED),
    AgreementStatus.ENDED: (),
}


@pghistory.track()
class DirectPaymentAgreement(models.Model):
    """The agreement to pay a direct payment for the direct payment lines of one support plan."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="dp_agreements")
    plan = models.ForeignKey("assessments.SupportPlan", on_delete=models.PROTECT, related_name="dp_agreements")
    recipient_kind = models.CharField(max_length=20, choices=RecipientKind.choices, default=RecipientKind.PERSON)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_relationship = models.CharField("relationship to the person", max_length=100, blank=True)
    recipient_phone = models.CharField(max_length=30, blank=True)
    recipient_email = models.EmailField(blank=True)
    recipient_address = models.TextField(blank=True)
    capacity_decided_on = models.DateField("date of the capacity decision", null=True, blank=True)
    capacity_decided_by = models.CharField("who made the capacity decision", max_length=200, blank=True)
    capacity_summary = models.TextField("summary of the capacity decision", blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.FOUR_WEEKLY)
    account_type = models.CharField(max_length=20, choices=AccountType.choices)
    payee_reference = models.CharField("payee reference for finance", max_length=40, blank=True)
    support_service = models.CharField("direct payment support service", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.SET_UP)
    first_payment_on = models.DateField(null=True, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", help_text="The direct payments officer for this agreement")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(status__in=LIVE_STATUSES),
                                    name="one_live_dp_agreement_per_plan",
                                    violation_error_message="This plan already has a direct payment agreement"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="dp_agreement_ends_after_start",
                                   violation_error_message="The end date must be on or after the start date"),
            models.CheckConstraint(
                condition=~Q(recipient_kind=RecipientKind.AUTHORISED)
                | (Q(capacity_decided_on__isnull=False) & ~Q(capacity_decided_by="") & ~Q(capacity_summary="")),
                name="authorised_recipient_has_capacity_decision",
                violation_error_message="An authorised person needs the capacity decision: when, by whom and what "
                                        "was decided"),
            models.CheckConstraint(condition=Q(recipient_kind=RecipientKind.PERSON) | ~Q(recipient_name=""),
                                   name="representative_is_named",
                                   violation_error_message="Enter the name of the person who will receive the "
                                                           "money"),
            models.CheckConstraint(condition=~Q(status=AgreementStatus.ACTIVE) | Q(first_payment_on__isnull=False),
                                   name="active_agreement_has_first_payment",
                                   violation_error_message="An active agreement needs its first payment date"),
        ]
        indexes = [models.Index(fields=["status"], name="dp_agreement_status"),
                   models.Index(fields=["person"], name="dp_agreement_person")]

    def __str__(self) -> str:
        return f"Direct payment agreement {self.pk}"

    @property
    def period_days(self) -> int | None:
        """Days in each period, or None for monthly payments (calendar months)."""
        return PERIOD_DAYS.get(self.frequency)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def recipient_kind_short(self) -> str:
        return RECIPIENT_SHORT[self.recipient_kind]


@pghistory.track()
class PricePeriod(models.Model):
    """The weekly amounts of an agreement from one date (to the day before the next period starts)."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.CASCADE, related_name="prices")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    gross_weekly = models.DecimalField(max_digits=9, decimal_places=2)
    contribution_weekly = models.DecimalField(max_digits=9, decimal_places=2)
    net_weekly = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "effective_from"], name="one_price_per_agreement_day"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                                   name="price_period_ends_after_start"),
            models.CheckConstraint(
                condition=Q(gross_weekly__gte=0) & Q(contribution_weekly__gte=0) & Q(net_weekly__gte=0)
                & Q(net_weekly=F("gross_weekly") - F("contribution_weekly")),
                name="price_net_is_gross_less_contribution",
                violation_error_message="The net payment is the gross amount less the contribution, never below zero"),
        ]

    def __str__(self) -> str:
        return f"£{self.net_weekly} a week from {self.effective_from:%-d %B %Y}"


class StatusChange(models.Model):
    """Who changed an agreement's status, when and why (append-only, as well as pghistory)."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=AgreementStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AgreementStatus.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="status_change_has_reason")]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} to {self.to_status}"


class PaymentRunStatus(models.TextChoices):
    DONE = "done", "Done"


@pghistory.track()
class PaymentRun(models.Model):
    """One payment run for a date: every regular period due by then and not yet paid, and the one-off
    payments due by then. Running the same date again adds only what was not paid before."""

    run_on = models.DateField(unique=True)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    payments_count = models.PositiveIntegerField(default=0)
    skipped = ArrayField(models.IntegerField(), default=list, blank=True,
                         help_text="Agreements left out because they were suspended")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run_on"]

    def __str__(self) -> str:
        return f"Payment run for {self.run_on:%-d %B %Y}"


class PaymentKind(models.TextChoices):
    REGULAR = "regular", "Regular payment"
    START_UP = "start_up", "Start-up payment"
    CONTINGENCY = "contingency", "Contingency payment"
    ADJUSTMENT = "adjustment", "Adjustment"


# A ledger row: never deleted (the database refuses), and the only change ever made is a one-off payment joining
# the run that pays it. So it has no pghistory trigger: a row trigger per payment made the 10,000-agreement run
# 20 times slower (benchmarks/dp.py), for history that would only repeat the row.
@pgtrigger.register(pgtrigger.Protect(name="payment_never_deleted", operation=pgtrigger.Delete))
class Payment(models.Model):
    """One payment to one agreement's recipient. A regular payment covers one period and is unique per
    agreement and period start in the database, so no period is ever paid twice, even by two runs at once.
    One-off payments wait (no run) until the first run on or after their due date."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="payments")
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    kind = models.CharField(max_length=20, choices=PaymentKind.choices)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=11, decimal_places=2)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period_start"], condition=Q(kind="regular"),
                                    name="one_regular_payment_per_period"),
            models.CheckConstraint(
                condition=~Q(kind="regular") | (Q(period_start__isnull=False) & Q(period_end__gte=F("period_start"))),
                name="regular_payment_has_period"),
            models.CheckConstraint(condition=Q(kind="adjustment") | Q(amount__gt=0),
                                   name="payment_is_positive_unless_adjustment",
                                   violation_error_message="The amount must be more than zero"),
            models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero",
                                   violation_error_message="The amount cannot be zero"),
            models.CheckConstraint(condition=Q(kind="regular") | ~Q(reason=""), name="one_off_payment_has_reason",
                                   violation_error_message="Say what the payment is for"),
        ]
        indexes = [models.Index(fields=["run"], name="dp_payment_run"),
                   models.Index(fields=["due_on"], condition=Q(run__isnull=True), name="dp_payment_waiting")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of £{self.amount}"


# --- personal assistants -------------------------------------------------------------------------------------


class Weekday(models.TextChoices):
    MONDAY = "mon", "Monday"
    TUESDAY = "tue", "Tuesday"
    WEDNESDAY = "wed", "Wednesday"
    THURSDAY = "thu", "Thursday"
    FRIDAY = "fri", "Friday"
    SATURDAY = "sat", "Saturday"
    SUNDAY = "sun", "Sunday"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"


@pghistory.track()
class PersonalAssistant(models.Model):
    """Someone employed by direct payment recipients. Not a person record, but their details are personal
    data: only direct payments staff see them."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    area = models.CharField(max_length=80, blank=True)
    dbs_checked_on = models.DateField("DBS check date", null=True, blank=True)
    dbs_renewal_due_on = models.DateField("DBS renewal date", null=True, blank=True)
    training = models.TextField(blank=True)
    available_days = ArrayField(models.CharField(max_length=3, choices=Weekday.choices), default=list, blank=True,
                                help_text="The days they are free to take on work")
    availability = models.TextField("times they are free", blank=True,
                                    help_text="In their words, for example mornings only, or not Sunday evenings")
    languages = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    ethnicity = models.CharField(max_length=80, choices=codes.Ethnicity.choices, blank=True)
    ethnicity_consent = models.BooleanField("consented to record ethnicity", default=False)
    consent_to_contact = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ethnicity="") | Q(ethnicity_consent=True),
                                   name="pa_ethnicity_only_with_consent",
                                   violation_error_message="Ethnicity is recorded only with the personal "
                                                           "assistant's consent"),
            models.CheckConstraint(
                condition=Q(dbs_renewal_due_on__isnull=True) | Q(dbs_checked_on__isnull=True)
                | Q(dbs_renewal_due_on__gte=F("dbs_checked_on")),
                name="pa_dbs_renewal_after_check",
                violation_error_message="The DBS renewal date must be after the check date"),
        ]
        indexes = [models.Index(fields=["dbs_renewal_due_on"], condition=Q(is_active=True), name="pa_dbs_due")]

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    NONE = "none", "Not a relative"
    SPOUSE_PARTNER = "spouse_partner", "Spouse, civil partner or partner"
    PARENT = "parent", "Parent or parent-in-law"
    CHILD = "child", "Son or daughter, or son- or daughter-in-law"
    SIBLING = "sibling", "Brother or sister"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_CLOSE = "other_close", "Other close relative (aunt, uncle, or their partner)"
    OTHER = "other", "Other relative or friend (not close)"


CLOSE_RELATIVES = (Relationship.SPOUSE_PARTNER, Relationship.PARENT, Relationship.CHILD, Relationship.SIBLING,
                   Relationship.GRANDPARENT, Relationship.OTHER_CLOSE)

FAMILY_RULE_MESSAGE = (
    "A close relative who lives in the same household as the person can be paid from the direct payment only "
    "if the council decides it is necessary. Record the necessity decision (why it is necessary, who approved "
    "it and when it will be looked at again) before saving this employment.")


class NecessityDecision(models.Model):
    """The council's decision that paying a close relative in the same household is necessary (Care and
    Support (Direct Payments) Regulations 2014, reg 3)."""

    reason = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    review_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="necessity_has_reason"),
            models.CheckConstraint(condition=Q(review_on__gte=F("decided_on")), name="necessity_review_after"),
        ]

    def __str__(self) -> str:
        return f"Necessity decision of {self.decided_on:%-d %B %Y}"


@pghistory.track()
class Employment(models.Model):
    """A personal assistant employed by an agreement's recipient (the recipient is the employer, not the
    council). The family rule is a database constraint as well as a service check."""

    assistant = models.ForeignKey(PersonalAssistant, on_delete=models.PROTECT, related_name="employments")
    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="employments")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2)
    relationship = models.CharField("relationship to the person", max_length=20, choices=Relationship.choices,
                                    default=Relationship.NONE)
    same_household = models.BooleanField("lives in the same household as the person", default=False)
    necessity_decision = models.OneToOneField(NecessityDecision, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="employment")
    end_reason = models.TextField("why the employment ended", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(relationship__in=CLOSE_RELATIVES) | Q(same_household=False)
                | Q(necessity_decision__isnull=False),
                name="family_rule_needs_necessity_decision", violation_error_message=FAMILY_RULE_MESSAGE),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="employment_rate_positive",
                                   violation_error_message="Enter the hourly rate, more than zero"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="employment_ends_after_start",
                                   violation_error_message="The end date must be on or after the start date"),
        ]

    def __str__(self) -> str:
        return f"{self.assistant} employed from {self.starts_on:%-d %B %Y}"

    def rate_on(self, day) -> models.DecimalField:
        """The hourly rate on `day`: the latest change in force, or the rate the employment started at."""
        changes = [r for r in self.rates.all() if r.effective_from <= day]
        return changes[-1].hourly_rate if changes else self.hourly_rate

    def is_ended_by(self, day) -> bool:
        return self.ends_on is not None and self.ends_on < day


@pghistory.track()
class EmploymentRate(models.Model):
    """A change of an employment's hourly rate from a date (the rate it started at is on the employment)."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField()
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["employment", "effective_from"], name="one_rate_per_employment_day"),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="employment_rate_change_positive",
                                   violation_error_message="Enter the hourly rate, more than zero"),
        ]

    def __str__(self) -> str:
        return f"£{self.hourly_rate} an hour from {self.effective_from:%-d %B %Y}"


class Broadcast(models.Model):
    """An email to all active personal assistants who agreed to be contacted, or to those of one area."""

    subject = models.CharField(max_length=200)
    body = models.TextField()
    area = models.CharField(max_length=80, blank=True, help_text="Blank: every area")
    recipients_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class AssistantMessage(OutboxItem):
    """One broadcast to one personal assistant, sent exactly once through carecase/outbox.py."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.PROTECT, related_name="messages")
    assistant = models.ForeignKey(PersonalAssistant, on_delete=models.PROTECT, related_name="+")
    sent_to = models.EmailField(blank=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"), name="pa_message_not_done")]

    def __str__(self) -> str:
        return f"{self.broadcast} to {self.assistant_id}"


class DbsReminder(OutboxItem):
    """The email to the direct payments officers 30 days before a personal assistant's DBS renewal date:
    exactly once per assistant and renewal date (a new renewal date is a new reminder)."""

    assistant = models.ForeignKey(PersonalAssistant, on_delete=models.PROTECT, related_name="+")
    renewal_due_on = models.DateField()
    sent_to = models.CharField(max_length=1000, blank=True)
    outcome = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"), name="pa_dbs_rem_not_done")]

    def __str__(self) -> str:
        return f"DBS renewal reminder for {self.assistant_id} ({self.renewal_due_on:%-d %B %Y})"

    @staticmethod
    def key_for(assistant_id: int, renewal_due_on) -> str:
        return f"pa-dbs:{assistant_id}:{renewal_due_on.isoformat()}"


# --- monitoring and recovery ---------------------------------------------------------------------------------


class ReturnStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    RECEIVED = "received", "Received"


@pghistory.track()
class AccountReturn(models.Model):
    """The recipient's account return for one quarter: what was in the account, what was spent."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="returns")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.EXPECTED)
    opening_balance = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    closing_balance = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    spend = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    evidence_received = models.BooleanField("bank statements or receipts received", default=False)
    received_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period_start"], name="one_return_per_quarter"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="return_period_order"),
            models.CheckConstraint(
                condition=~Q(status=ReturnStatus.RECEIVED)
                | (Q(received_on__isnull=False) & Q(opening_balance__isnull=False)
                   & Q(closing_balance__isnull=False) & Q(spend__gte=0)),
                name="received_return_is_whole",
                violation_error_message="A received return needs the date, both balances and the spend"),
        ]
        indexes = [models.Index(fields=["due_on"], condition=Q(status="expected"), name="dp_return_expected")]

    def __str__(self) -> str:
        return f"Account return {self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"


class ReturnReminderTo(models.TextChoices):
    RECIPIENT = "recipient", "The recipient"
    OFFICER = "officer", "The direct payments officer"


class ReturnReminder(OutboxItem):
    """One reminder about one overdue return to the recipient or to the officer, sent exactly once."""

    account_return = models.ForeignKey(AccountReturn, on_delete=models.PROTECT, related_name="reminders")
    to = models.CharField(max_length=10, choices=ReturnReminderTo.choices)
    sent_to = models.EmailField(blank=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], condition=~Q(status="done"), name="dp_return_rem_not_done")]

    def __str__(self) -> str:
        return f"Return reminder to {self.get_to_display().lower()}"

    @staticmethod
    def key_for(return_id: int, to: str) -> str:
        return f"dp-return:{return_id}:{to}"


class RecoveryStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    ADJUSTED = "adjusted", "Approved with a different amount"
    WAIVED = "waived", "Waived"


@pghistory.track()
class Recovery(models.Model):
    """A surplus found in a return, proposed for recovery, and the officer's decision."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="recoveries")
    account_return = models.OneToOneField(AccountReturn, on_delete=models.PROTECT, related_name="recovery")
    closing_balance = models.DecimalField(max_digits=11, decimal_places=2)
    net_weekly = models.DecimalField(max_digits=9, decimal_places=2)
    threshold_weeks = models.PositiveIntegerField()
    contingency_weeks = models.PositiveIntegerField()
    proposed_amount = models.DecimalField(max_digits=11, decimal_places=2)
    status = models.CharField(max_length=10, choices=RecoveryStatus.choices, default=RecoveryStatus.PROPOSED)
    amount = models.DecimalField("amount to recover", max_digits=11, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(proposed_amount__gt=0), name="recovery_proposed_positive"),
            models.CheckConstraint(condition=~Q(status__in=["adjusted", "waived"]) | ~Q(reason=""),
                                   name="recovery_adjust_or_waive_has_reason",
                                   violation_error_message="Give the reason for the decision"),
            models.CheckConstraint(condition=~Q(status__in=["approved", "adjusted"]) | Q(amount__gt=0),
                                   name="recovery_approved_has_amount"),
        ]
        indexes = [models.Index(fields=["status"], name="dp_recovery_status")]

    def __str__(self) -> str:
        return f"Recovery of £{self.amount or self.proposed_amount}"


@pghistory.track()
class FinancialAudit(models.Model):
    """A financial audit of the direct payment account (GUIDE §2.8): the contribution paid in, spending
    against the plan, unspent money. The first is due 3 months after the first payment, then a year after
    the last one done (directpayments/audits.py)."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="audits")
    done_on = models.DateField()
    contribution_paid = models.BooleanField("the contribution was paid in", default=False)
    spending_matches_plan = models.BooleanField("spending matches the support plan", default=False)
    unspent = models.DecimalField("unspent money found", max_digits=11, decimal_places=2, default=0)
    findings = models.TextField(blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(unspent__gte=0), name="audit_unspent_not_negative",
                                              violation_error_message="The unspent money cannot be less than zero")]

    def __str__(self) -> str:
        return f"Financial audit of {self.done_on:%-d %B %Y}"
