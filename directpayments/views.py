"""Staff pages for direct payments (GUIDE §2.5, §2.8): a person's direct payments and setting one up; one
agreement with its payments, returns, employments and status changes, and what can be done to it; recording
a return; deciding a recovery (and its letter); the personal assistants register; payment runs with the
finance file; and the dashboard for direct payments officers, finance officers, team leaders and senior
managers.

Thin, like reviews.views: forms shape what was typed, selectors read (access-checked and logged), services
write. Bad input comes back on the same page with everything typed kept.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecase.audit.access import role_of
from carecase.audit.models import AccessAction
from carecase.staff.models import Role
from carecase.web.decorators import person_page, staff_required
from carecase.web.views import _apply_errors, _person_context, _posted

from . import audits, exports, letters, pricing, selectors, services
from . import forms as f
from .models import (
    AgreementStatus,
    DirectPaymentAgreement,
    Employment,
    PaymentRun,
    PersonalAssistant,
    Recovery,
    RecoveryStatus,
    ReturnStatus,
    Weekday,
)

SECTION = "direct-payments"


def dp_page(view):
    """Views of one agreement or recovery: a missing one is a 404; access outcomes as for person pages."""

    @person_page
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (DirectPaymentAgreement.DoesNotExist, Recovery.DoesNotExist, Employment.DoesNotExist):
            raise Http404("No direct payment record with that number") from None

    return wrapper


def register_page(view):
    """The register, runs and dashboard: direct payments roles only; a missing row is a 404."""

    @staff_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (PersonalAssistant.DoesNotExist, PaymentRun.DoesNotExist):
            raise Http404("Nothing with that number") from None

    return wrapper


# ---------------------------------------------------------------- the person's direct payments


@person_page
def person_direct_payments(request, person_id: int):
    person, agreements, plans = selectors.person_agreements(user=request.user, person_id=person_id,
                                                            path=request.path)
    live_plans = {a.plan_id for a in agreements if a.is_live}
    today = timezone.localdate()
    rows = [{"agreement": a, "price": services.current_price(a, today)} for a in agreements]
    return render(request, "directpayments/person.html", {
        **_person_context(request, person, SECTION), "rows": rows,
        "can_set_up": any(p.pk not in live_plans for p in plans), "plans": plans,
    })


@person_page
def agreement_new(request, person_id: int):
    person, agreements, plans = selectors.person_agreements(user=request.user, person_id=person_id,
                                                            path=request.path)
    live_plans = {a.plan_id for a in agreements if a.is_live}
    plans = [p for p in plans if p.pk not in live_plans]
    if not plans:
        messages.info(request, f"{person.display_name} has no active plan with a service paid by direct payment "
                               "that is not already covered by an agreement.")
        return redirect("person-direct-payments", person.id)
    form = f.AgreementForm(_posted(request), plans=plans)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d.pop("plan", None)
        try:
            agreement = services.agreement_set_up(plan=form.chosen_plan(), by=request.user, **d)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The direct payment agreement is set up. Print it to sign, then start "
                                      "payments with the first payment date.")
            return redirect("dp-agreement", agreement.id)
    return render(request, "directpayments/agreement_new.html", {
        **_person_context(request, person, SECTION), "form": form, "plans": plans,
        "today": timezone.localdate()})


# ---------------------------------------------------------------- one agreement


def _agreement(request, agreement_id: int, **kwargs) -> DirectPaymentAgreement:
    return selectors.agreement_for(user=request.user, agreement_id=agreement_id, path=request.path, **kwargs)


# Each form of the agreement page has its own prefix, so the ids on the page are unique.
ACTION_FORMS = {"activate_form": (f.ActivateForm, "start"), "status_form": (f.StatusForm, "status"),
                "reprice_form": (f.RepriceForm, "reprice"), "one_off_form": (f.OneOffForm, "payment"),
                "misuse_form": (f.MisuseForm, "concern"), "audit_form": (f.AuditForm, "audit")}


def _agreement_page(request, agreement, *, status=200, **forms):
    today = timezone.localdate()
    for name, (form_class, prefix) in ACTION_FORMS.items():
        forms.setdefault(name, form_class(prefix=prefix))
    payments = list(agreement.payments.all())
    returns = list(agreement.returns.all())
    return render(request, "directpayments/agreement.html", {
        **_person_context(request, agreement.person, SECTION), "agreement": agreement, **forms,
        "price": services.current_price(agreement, today), "prices": list(agreement.prices.all()),
        "lines": services.dp_lines(agreement.plan, max(today, agreement.starts_on)),
        "schedule": services.payment_schedule(agreement), "payments": payments[:30],
        "payments_more": max(len(payments) - 30, 0), "waiting": [p for p in payments if p.run_id is None],
        "returns": returns, "status_changes": list(agreement.status_changes.all()),
        "employments": list(agreement.employments.all()),
        "can_activate": agreement.status == AgreementStatus.SET_UP, "today": today,
        "returns_expected": [r for r in returns if r.status == ReturnStatus.EXPECTED],
        "audits": list(agreement.audits.all()), "next_audit": _next_audit(agreement, today),
        "can_audit": role_of(request.user) in (*services.DECIDE_ROLES, Role.FINANCE_OFFICER),
    }, status=status)


def _next_audit(agreement, today):
    if agreement.status not in (AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED):
        return None
    done = [a.done_on for a in agreement.audits.all()]
    return audits.next_audit(first_payment_on=agreement.first_payment_on, last_done_on=max(done, default=None),
                             today=today)


@dp_page
def agreement_detail(request, agreement_id: int):
    return _agreement_page(request, _agreement(request, agreement_id))


def _action(form_name: str, call, done: str):
    """A POST from one of the agreement page's forms: on success back to the page with a message; on bad
    input the page again with that form's errors and what was typed."""

    @dp_page
    @require_POST
    def view(request, agreement_id: int):
        agreement = _agreement(request, agreement_id)
        form_class, prefix = ACTION_FORMS[form_name]
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                call(agreement, request.user, form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("dp-agreement", agreement.id)
        return _agreement_page(request, agreement, status=400, **{form_name: form})

    return view


agreement_activate = _action(
    "activate_form",
    lambda a, by, d: services.agreement_activate(agreement=a, by=by, first_payment_on=d["first_payment_on"]),
    "Payments have started. The first direct payment review is scheduled.")
agreement_status = _action(
    "status_form",
    lambda a, by, d: services.agreement_change_status(agreement=a, by=by, to_status=d["to_status"],
                                                      reason=d["reason"], ends_on=d.get("ends_on")),
    "The status has been changed.")
agreement_reprice = _action(
    "reprice_form",
    lambda a, by, d: services.agreement_reprice(agreement=a, by=by, effective_from=d["effective_from"],
                                                reason=d["reason"], contribution_weekly=d.get("contribution_weekly")),
    "The agreement is repriced from the plan. Any difference for periods already paid is added to the next run.")
agreement_one_off = _action(
    "one_off_form",
    lambda a, by, d: services.payment_one_off_add(agreement=a, by=by, kind=d["kind"], amount=d["amount"],
                                                  due_on=d["due_on"], reason=d["reason"]),
    "The payment is added. It goes in the first payment run on or after its date.")
agreement_audit = _action(
    "audit_form",
    lambda a, by, d: services.audit_record(agreement=a, by=by, **f.AuditForm.service_fields_of(d)),
    "The financial audit is recorded. The next is due in 12 months.")
agreement_misuse = _action(
    "misuse_form",
    lambda a, by, d: services.misuse_concern_raise(agreement=a, by=by, reason=d["reason"]),
    "An unplanned direct payment review has been asked for.")


@dp_page
def agreement_pdf(request, agreement_id: int):
    agreement = _agreement(request, agreement_id, action=AccessAction.PRINT)
    try:
        pdf = letters.render_agreement(agreement, request.user)
    except letters.LetterRefused as exc:
        messages.error(request, str(exc))
        return redirect("dp-agreement", agreement.id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="direct-payment-agreement-{agreement.id}.pdf"'
    return response


@dp_page
def return_new(request, agreement_id: int):
    agreement = _agreement(request, agreement_id)
    form = f.ReturnForm(_posted(request), agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            ret = services.return_record(agreement=agreement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            recovery = getattr(ret, "recovery", None)
            if recovery is not None and recovery.status == RecoveryStatus.PROPOSED:
                messages.warning(request, f"The return is recorded. The balance is above the surplus limit: a "
                                          f"recovery of £{recovery.proposed_amount:,} is proposed for a decision.")
                return redirect("dp-recovery", recovery.id)
            messages.success(request, "The return is recorded.")
            return redirect("dp-agreement", agreement.id)
    return render(request, "directpayments/return_new.html", {
        **_person_context(request, agreement.person, SECTION), "agreement": agreement, "form": form,
        "price": services.current_price(agreement),
        "first_quarter_ends": pricing.quarter(agreement.starts_on)[1]})


@dp_page
def employment_new(request, agreement_id: int):
    agreement = _agreement(request, agreement_id)
    form = f.EmploymentForm(_posted(request), assistants=selectors.assistants_to_employ(),
                            approvers=selectors.necessity_approvers())
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_add(agreement=agreement, by=request.user, **form.service_fields())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The employment is recorded.")
            return redirect("dp-agreement", agreement.id)
    return render(request, "directpayments/employment_new.html", {
        **_person_context(request, agreement.person, SECTION), "agreement": agreement, "form": form,
        "has_assistants": bool(form.assistants)})


def _employment_page(request, agreement, employment, *, status=200, change_form=None, end_form=None):
    today = timezone.localdate()
    decision = employment.necessity_decision
    if change_form is None:
        change_form = f.EmploymentChangeForm(prefix="change", approvers=selectors.necessity_approvers(), initial={
            "relationship": employment.relationship, "same_household": "yes" if employment.same_household else "no"})
    return render(request, "directpayments/employment.html", {
        **_person_context(request, agreement.person, SECTION), "agreement": agreement, "employment": employment,
        "rates": list(employment.rates.all()), "rate_today": employment.rate_on(today), "today": today,
        "decision": decision, "decision_due": decision is not None and decision.review_on <= today,
        "change_form": change_form,
        "end_form": end_form or f.EmploymentEndForm(prefix="end", initial={"ends_on": employment.ends_on,
                                                                           "reason": employment.end_reason}),
    }, status=status)


def _employment(agreement, employment_id: int) -> Employment:
    return agreement.employments.select_related("assistant", "necessity_decision__approved_by").prefetch_related(
        "rates").get(pk=employment_id)


@dp_page
def employment_detail(request, agreement_id: int, employment_id: int):
    agreement = _agreement(request, agreement_id)
    return _employment_page(request, agreement, _employment(agreement, employment_id))


@dp_page
@require_POST
def employment_change(request, agreement_id: int, employment_id: int):
    agreement = _agreement(request, agreement_id)
    employment = _employment(agreement, employment_id)
    form = f.EmploymentChangeForm(request.POST, prefix="change", approvers=selectors.necessity_approvers())
    if form.is_valid():
        try:
            services.employment_change(employment=employment, by=request.user, **form.service_fields())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The employment is changed.")
            return redirect("dp-employment", agreement.id, employment.id)
    return _employment_page(request, agreement, employment, status=400, change_form=form)


@dp_page
@require_POST
def employment_end(request, agreement_id: int, employment_id: int):
    agreement = _agreement(request, agreement_id)
    employment = _employment(agreement, employment_id)
    form = f.EmploymentEndForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            services.employment_end(employment=employment, by=request.user, ends_on=form.cleaned_data["ends_on"],
                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"The employment ends on {form.cleaned_data['ends_on']:%-d %B %Y}.")
            return redirect("dp-employment", agreement.id, employment.id)
    return _employment_page(request, agreement, employment, status=400, end_form=form)


# ---------------------------------------------------------------- recovery


@dp_page
def recovery_detail(request, recovery_id: int):
    recovery = selectors.recovery_for(user=request.user, recovery_id=recovery_id, path=request.path)
    form = f.RecoveryForm(_posted(request))
    can_decide = role_of(request.user) in services.DECIDE_ROLES
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("Only direct payments officers, team leaders and senior managers decide "
                                   "recoveries.")
        if form.is_valid():
            try:
                recovery = services.recovery_decide(recovery=recovery, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "The decision is recorded." + (
                    " Print the letter to send." if recovery.status != RecoveryStatus.WAIVED else ""))
                return redirect("dp-recovery", recovery.id)
    agreement = recovery.agreement
    context = {**_person_context(request, agreement.person, SECTION), "recovery": recovery, "agreement": agreement,
               "ret": recovery.account_return, "form": form, "can_decide": can_decide,
               "threshold": recovery.net_weekly * recovery.threshold_weeks,
               "contingency": recovery.net_weekly * recovery.contingency_weeks}
    return render(request, "directpayments/recovery.html", context, status=400 if form.errors else 200)


@dp_page
def recovery_letter(request, recovery_id: int):
    recovery = selectors.recovery_for(user=request.user, recovery_id=recovery_id, path=request.path,
                                      action=AccessAction.PRINT)
    try:
        pdf = letters.render_recovery(recovery, request.user)
    except letters.LetterRefused as exc:
        messages.error(request, str(exc))
        return redirect("dp-recovery", recovery.id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="direct-payment-recovery-{recovery.id}.pdf"'
    return response


# ---------------------------------------------------------------- dashboard


@register_page
def dashboard(request):
    selectors.require_dp_staff(request.user)
    today = timezone.localdate()
    by_team = selectors.ascof_3d_2a(by="team", today=today)
    by_psr = selectors.ascof_3d_2a(by="psr", today=today)
    total = sum(r["total"] for r in by_team)
    with_dp = sum(r["with_dp"] for r in by_team)
    return render(request, "directpayments/dashboard.html", {
        "counts": selectors.dashboard_counts(today=today), "by_team": by_team, "by_psr": by_psr,
        "ascof_total": total, "ascof_with_dp": with_dp,
        "ascof_share": round(100 * with_dp / total, 1) if total else None,
        "overdue": selectors.returns_overdue(user=request.user, today=today, path=request.path)[:50],
        "recoveries": selectors.recoveries_waiting(user=request.user, path=request.path)[:50],
        "dbs_due": list(selectors.dbs_due(user=request.user)[:50]), "today": today,
        "necessity_due": selectors.necessity_reviews_due(user=request.user, today=today, path=request.path)[:50],
        "audits_due": selectors.audits_due(user=request.user, today=today, path=request.path)[:50],
        "can_run": role_of(request.user) in selectors.RUN_ROLES,
    })


# ---------------------------------------------------------------- personal assistants


@register_page
def assistants(request):
    area = request.GET.get("area", "")
    language = request.GET.get("language", "")
    rows = selectors.assistants(user=request.user, area=area, language=language,
                                dbs_due_within_days=60 if request.GET.get("dbs_due") else None)
    return render(request, "directpayments/assistants.html", {
        "rows": rows[:200], "count": rows.count(), "areas": selectors.areas(), "area": area, "language": language,
        "dbs_due": bool(request.GET.get("dbs_due")), "today": timezone.localdate()})


@register_page
def assistant_new(request):
    selectors.require_dp_staff(request.user)
    form = f.AssistantForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            assistant = services.assistant_add(by=request.user, **form.service_fields())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{assistant.name} is added to the register.")
            return redirect("dp-assistant", assistant.id)
    return render(request, "directpayments/assistant_new.html", {"form": form})


@register_page
def assistant_edit(request, assistant_id: int):
    assistant = selectors.assistant_for(user=request.user, assistant_id=assistant_id)
    initial = {f: getattr(assistant, f) for f in services.PA_FIELDS}
    initial["languages"] = ", ".join(assistant.languages)
    form = f.AssistantForm(_posted(request), initial=initial, with_active=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistant_update(assistant=assistant, by=request.user, **form.service_fields())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{assistant.name}'s details are saved.")
            return redirect("dp-assistant", assistant.id)
    return render(request, "directpayments/assistant_new.html", {"form": form, "assistant": assistant})


@register_page
def assistant_detail(request, assistant_id: int):
    assistant = selectors.assistant_for(user=request.user, assistant_id=assistant_id)
    today = timezone.localdate()
    employments = selectors.assistant_employments(user=request.user, assistant=assistant, path=request.path)
    for item in employments:
        item.row.rate_today = item.row.rate_on(today)
    days = dict(Weekday.choices)
    return render(request, "directpayments/assistant.html", {
        "assistant": assistant, "today": today, "employments": employments,
        "available_days": [days[d] for d in assistant.available_days if d in days]})


@register_page
def broadcast(request):
    selectors.require_dp_staff(request.user)
    form = f.BroadcastForm(_posted(request), areas=selectors.areas())
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.broadcast_send(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"The message is being sent to {sent.recipients_count} personal assistants.")
            return redirect("dp-assistants")
    return render(request, "directpayments/broadcast.html", {"form": form})


# ---------------------------------------------------------------- payment runs


@register_page
def runs(request):
    rows = selectors.runs_list(user=request.user)
    form = f.RunForm(_posted(request), initial={"run_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.payment_run(run_on=form.cleaned_data["run_on"], by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"The payment run for {run.run_on:%-d %B %Y} is done: {run.payments_count} "
                                      f"payments, £{run.total:,} in all.")
            return redirect("dp-run", run.id)
    return render(request, "directpayments/runs.html", {"rows": rows[:100], "form": form},
                  status=400 if form.errors else 200)


@register_page
def run_detail(request, run_id: int):
    run = selectors.run_for(user=request.user, run_id=run_id)
    listed = selectors.run_payments(user=request.user, run=run, path=request.path)
    return render(request, "directpayments/run.html", {
        "run": run, "payments": listed[:500], "payments_more": max(len(listed) - 500, 0),
        "not_shown": run.payments_count - len(listed),
        "skipped": selectors.suspended_in_run(user=request.user, run=run, path=request.path)})


@register_page
def run_csv(request, run_id: int):
    run = selectors.run_for(user=request.user, run_id=run_id)
    exported = selectors.run_payments_export(user=request.user, run=run, path=request.path)
    response = HttpResponse(exports.run_csv(run, exported), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="direct-payments-run-{run.run_on.isoformat()}.csv"'
    return response
