"""The payment run file for the council's finance system: one row per payment, then the run total.

Made from the rows the selector has logged as an export (selectors.run_payments_export)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

COLUMNS = ["payee_reference", "agreement_id", "carecase_person_id", "payee_name", "payment_kind", "period_start",
           "period_end", "due_on", "amount", "account_type", "support_service", "run_date",
           "frequency"]


def run_csv(run, exported) -> str:
    """CSV text. Amounts are pounds with two decimal places; dates are ISO (YYYY-MM-DD). Every payment of the
    run is in the file; for a restricted record only the payee reference, agreement and amount are given.
    `frequency` is how often the agreement pays a regular payment (weekly, four_weekly or monthly); blank for
    one-off payments and adjustments."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    total = Decimal("0.00")
    for item in exported:
        payment = item.row
        agreement = payment.agreement
        total += payment.amount
        writer.writerow([
            agreement.payee_reference, agreement.pk, agreement.person_id if item.shows_person else "",
            agreement.recipient_name if item.shows_person else "", payment.kind,
            payment.period_start.isoformat() if payment.period_start else "",
            payment.period_end.isoformat() if payment.period_end else "", payment.due_on.isoformat(),
            f"{payment.amount:.2f}", agreement.account_type, agreement.support_service, run.run_on.isoformat(),
            agreement.frequency if payment.kind == "regular" else ""])
    writer.writerow(["TOTAL", "", "", "", "", "", "", "", f"{total:.2f}", "", "", run.run_on.isoformat(), ""])
    return out.getvalue()
