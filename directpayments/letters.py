"""Direct payment letters as PDFs (WeasyPrint): the agreement to sign, and the decision to recover a surplus.
Each names a contact the person can call, or is refused (GUIDE §1.3), as assessments/letters.py does."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.letters import ContactBlock, LetterRefused, contact_block

from . import services
from .models import AccountType, RecipientKind, RecoveryStatus

__all__ = ["LetterRefused", "agreement_context", "recovery_context", "render_agreement", "render_recovery"]


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context), base_url=str(settings.BASE_DIR)).write_pdf()


def _contact(agreement, fallback_user) -> ContactBlock:
    return contact_block(agreement.officer or fallback_user)


def _common(agreement, user) -> dict:
    person = agreement.person
    return {"person": person, "agreement": agreement, "today": timezone.localdate(),
            "council_name": settings.COUNCIL_NAME, "contact": _contact(agreement, user),
            "large_print": "large_print" in (person.communication_needs or []),
            "to_person": agreement.recipient_kind == RecipientKind.PERSON}


def agreement_context(agreement, user) -> dict:
    price = services.current_price(agreement, agreement.starts_on)
    return {**_common(agreement, user), "price": price,
            "lines": services.dp_lines(agreement.plan, agreement.starts_on)}


def render_agreement(agreement, user) -> bytes:
    """The direct payment agreement for the recipient to sign. Raises LetterRefused."""
    return _pdf("directpayments/letters/agreement.html", agreement_context(agreement, user))


HOW_TO_REPAY = {
    AccountType.PREPAID_CARD: "We will take this amount back from the prepaid card account. You do not need to do "
                              "anything.",
    AccountType.MANAGED: "We will ask the provider that manages the account to pay this amount back to us. You "
                         "do not need to do anything.",
    AccountType.OWN_BANK: "Please pay this amount back to us by bank transfer within 28 days. We will send an "
                          "invoice with the bank details. If paying it all at once is hard, call us and we will "
                          "agree a plan with you.",
}


def recovery_context(recovery, user) -> dict:
    if recovery.status not in (RecoveryStatus.APPROVED, RecoveryStatus.ADJUSTED):
        raise LetterRefused("A letter is sent only when a recovery has been approved.")
    agreement = recovery.agreement
    threshold = (recovery.net_weekly * recovery.threshold_weeks).quantize(recovery.net_weekly)
    contingency = (recovery.net_weekly * recovery.contingency_weeks).quantize(recovery.net_weekly)
    return {**_common(agreement, user), "recovery": recovery, "ret": recovery.account_return,
            "threshold": threshold, "contingency": contingency, "left": recovery.closing_balance - recovery.amount,
            "adjusted": recovery.status == RecoveryStatus.ADJUSTED,
            "how_to_repay": HOW_TO_REPAY[agreement.account_type]}


def render_recovery(recovery, user) -> bytes:
    """The letter explaining the amount to be paid back, with the figures. Raises LetterRefused."""
    return _pdf("directpayments/letters/recovery.html", recovery_context(recovery, user))
