"""Direct payments at scale (issue 6 §6), in its own database bench_dp: a payment run over 10,000 agreements.

The data, generated in SQL (INSERT ... SELECT over generate_series, as reviews_data.py does): 10,000 people each
with an active plan and an active direct payment agreement (1 in 10 paid weekly, the rest every 4 weeks), first
paid 0 to 7 weeks before the load date, so a run on the load date pays one or two 4-weekly periods and up to
eight weekly ones; a price period each, and a second one from 3 weeks ago for 1 in 5 (a plan change, so periods
straddle two prices); 1 in 50 suspended (skipped and listed); a one-off payment waiting for 1 in 20.

Timed, each from an empty payments table: `directpayments.services.payment_run` for the load date (target
under 30 s); the same run again (idempotent: nothing new is paid); the next week's run; and the finance file
for the first run (the export selector, which logs an export per person, and the CSV). The bare-SQL baseline
is the run's INSERT ... SELECT alone.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from assessments.models import Assessment, SupportPlan
from carecase import codes
from carecase.audit.models import RecordAccessEvent
from carecase.people.models import Person
from carecase.staff.models import Role, Team, TeamKind
from carecase.staff.services import staff_create
from directpayments import exports, selectors, services
from directpayments.models import DirectPaymentAgreement, Payment, PaymentRun, PricePeriod

from . import database
from .common import code_version, machine
from .reviews_data import _insert

AGREEMENTS = 10_000
TARGET_S = 30.0
MIGRATIONS = ("directpayments/migrations/*.py", "assessments/migrations/*.py", "carecase/*/migrations/*.py")


def prepare(*, reseed: bool = False, log=print) -> dict:
    wanted = {"profile": "dp", "agreements": AGREEMENTS, "code": code_version("benchmarks/dp.py", *MIGRATIONS)}
    marker = database.reuse_or_empty(wanted, reseed=reseed, log=log)
    if marker is not None:
        return marker
    log(f"Creating {database.database_name()}: {AGREEMENTS:,} direct payment agreements with their people and plans.")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    team = Team.objects.create(name="Direct payments", kind=TeamKind.DIRECT_PAYMENTS, phone="0116 496 0100")
    officer = staff_create(username="dp.officer", first_name="Sunita", last_name="Chauhan",
                           email="dp.officer@example.gov.uk", role=Role.DP_OFFICER, job_title="Direct payments officer",
                           team=team)
    staff_create(username="finance.officer", first_name="Femi", last_name="Ade", email="finance@example.gov.uk",
                 role=Role.FINANCE_OFFICER, job_title="Finance officer")
    by = officer.user_id
    params = {"today": timezone.localdate(), "n": AGREEMENTS, "by": by}
    series = "generate_series(1, %(n)s) g"
    tables = [m._meta.db_table for m in (Person, Assessment, SupportPlan, DirectPaymentAgreement, PricePeriod,
                                         Payment)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        _insert(cursor, Person, {
            "id": "g", "uuid": "gen_random_uuid()", "given_name": "'Person'", "family_name": "'Number ' || g",
            "gender": f"'{codes.Gender.UNKNOWN}'", "search_keys": "'{}'::varchar(40)[]", "created_at": "now()",
            "updated_at": "now()"}, series, params)
        _insert(cursor, Assessment, {
            "id": "g", "event_reference": "gen_random_uuid()", "person_id": "g", "assessment_type": "'needs'",
            "status": "'authorised'", "started_on": "%(today)s::date - 400", "completed_on": "%(today)s::date - 380",
            "worker_id": "%(by)s", "eligible": "true", "engine_eligible": "true", "practitioner_agrees": "true",
            "created_at": "now()", "updated_at": "now()"}, series, params)
        _insert(cursor, SupportPlan, {
            "id": "g", "event_reference": "gen_random_uuid()", "person_id": "g", "assessment_id": "g",
            "status": "'active'", "starts_on": "%(today)s::date - 365", "created_by_id": "%(by)s",
            "created_at": "now()", "updated_at": "now()"}, series, params)
        _insert(cursor, DirectPaymentAgreement, {
            "id": "g", "person_id": "g", "plan_id": "g", "recipient_kind": "'person'",
            "recipient_name": "'Person Number ' || g", "starts_on": "%(today)s::date - 49",
            "frequency": "CASE WHEN g %% 10 = 0 THEN 'weekly' ELSE 'four_weekly' END",
            "account_type": "(ARRAY['own_bank', 'prepaid_card', 'managed'])[1 + g %% 3]",
            "payee_reference": "'DP' || lpad(g::text, 7, '0')",
            "status": "CASE WHEN g %% 50 = 7 THEN 'suspended' ELSE 'active' END",
            "first_payment_on": "%(today)s::date - 7 * (g %% 8)", "officer_id": "%(by)s", "created_by_id": "%(by)s",
            "created_at": "now()", "updated_at": "now()"}, series, params)
        # 140 to 400 pounds a week gross, a contribution for half; a plan change 3 weeks ago for 1 in 5.
        gross = "(140 + (g * 37 %% 261))::numeric(9,2)"
        contribution = "(CASE WHEN g %% 2 = 0 THEN (g %% 40)::numeric(9,2) ELSE 0 END)"
        _insert(cursor, PricePeriod, {
            "agreement_id": "g", "effective_from": "%(today)s::date - 49",
            "effective_to": "CASE WHEN g %% 5 = 0 THEN %(today)s::date - 22 END", "gross_weekly": gross,
            "contribution_weekly": contribution, "net_weekly": f"{gross} - {contribution}",
            "reason": "'Agreement set up'", "created_by_id": "%(by)s", "created_at": "now()"}, series, params)
        _insert(cursor, PricePeriod, {
            "agreement_id": "g", "effective_from": "%(today)s::date - 21", "gross_weekly": f"{gross} + 32.50",
            "contribution_weekly": contribution, "net_weekly": f"{gross} + 32.50 - {contribution}",
            "reason": "'Plan change'", "created_by_id": "%(by)s", "created_at": "now()"},
            "generate_series(5, %(n)s, 5) g", params)
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))')
    database.settle()
    marker = {**wanted, "loaded_on": timezone.localdate().isoformat(),
              "load_s": round(time.perf_counter() - started, 1)}
    database.write_marker(marker)
    return marker


def _reset(today) -> None:
    """No payments, runs or access events; the one-off payments waiting again."""
    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{Payment._meta.db_table}", "{PaymentRun._meta.db_table}" CASCADE')
        cursor.execute(f'TRUNCATE "{RecordAccessEvent._meta.db_table}"')
        cursor.execute(
            f'INSERT INTO "{Payment._meta.db_table}" (agreement_id, kind, due_on, amount, reason, created_at) '  # noqa: S608
            "SELECT g, 'start_up', %s, 250.00, 'Payroll set-up', now() FROM generate_series(3, %s, 20) g",
            [today, AGREEMENTS])
        cursor.execute(f'ANALYZE "{Payment._meta.db_table}"')


def _timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _bare_sql(today, user) -> tuple[float, int]:
    """The baseline: the regular payments' INSERT ... SELECT alone, into an empty table, rolled back."""
    from django.db import transaction

    run = PaymentRun.objects.create(run_on=today, created_by=user)
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(services._REGULAR_SQL.format(**services._tables()),
                           {"run_on": today, "run_id": run.pk, "by": user.pk, "now": timezone.now()})
            rows = cursor.rowcount
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    run.delete()
    return seconds, rows


def run(*, loaded_on: str | None = None, log=print) -> dict:
    from datetime import date

    from django.contrib.auth import get_user_model

    host = machine()
    today = date.fromisoformat(loaded_on) if loaded_on else timezone.localdate()
    finance = get_user_model().objects.get(username="finance.officer")
    single = []

    def row(name, seconds, rows, note="", target=None):
        single.append({"name": name, "rows": rows, "seconds": [round(s, 2) for s in seconds],
                       **({"target_s": target, "passed": max(seconds) < target} if target else {}), "note": note})
        log(f"  {name}: {[round(s, 2) for s in seconds]} s, {rows:,} rows")

    firsts = []
    for _ in range(3):
        _reset(today)
        seconds, first = _timed(lambda: services.payment_run(run_on=today, by=finance))
        firsts.append(seconds)
    row(f"payment_run() for the load date over {AGREEMENTS:,} agreements (from an empty payments table)", firsts,
        first.payments_count, f"total £{first.total:,}; {len(first.skipped)} suspended agreements skipped and "
        "listed; one-off payments included", TARGET_S)
    regular_paid = Payment.objects.filter(run=first, kind="regular").count()
    again_s, again = _timed(lambda: services.payment_run(run_on=today, by=finance))
    row("The same run again (idempotent: nobody is paid twice)", [again_s], again.payments_count - first.payments_count,
        f"{again.payments_count:,} payments in the run, as before")
    next_s, following = _timed(lambda: services.payment_run(run_on=today + timedelta(days=7), by=finance))
    row("The next week's run", [next_s], following.payments_count)
    csv_s, text = _timed(lambda: exports.run_csv(first, selectors.run_payments_export(user=finance, run=first)))
    row("The finance file (CSV) for the first run, with an export access event per person", [csv_s],
        text.count("\n") - 2)
    bare, bare_rows = [], 0
    for _ in range(3):
        _reset(today)
        seconds, bare_rows = _bare_sql(today, finance)
        bare.append(seconds)
    row("Baseline: the regular payments' INSERT ... SELECT alone, rolled back", bare, bare_rows)
    return {
        "profile": "dp",
        "machine": host,
        "dataset": {"agreements": AGREEMENTS, "run date": today.isoformat(),
                    "regular periods paid by the first run": regular_paid},
        "results": [],
        "single_runs": single,
        "ratios": {"payment run / bare INSERT ... SELECT": round(min(firsts) / max(min(bare), 1e-6), 1)},
        "notes": ["Each payment run is one transaction: the run row for the date (locked, so two runs of one date "
                  "queue), one INSERT ... SELECT of every regular period due and not yet paid (priced from the "
                  "price periods in SQL, ON CONFLICT DO NOTHING on the unique agreement and period start), one "
                  "UPDATE for the one-off payments, and the run's totals."],
    }
