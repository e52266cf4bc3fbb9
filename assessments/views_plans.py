"""Staff pages for care and support plans, the personal budget and approval (issue 3, §4).

Thin, like assessments.views: forms shape what was typed, selectors read (access-checked and logged),
services write and decide what is valid.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carecase.audit.access import staff_member
from carecase.web.decorators import person_page, staff_required
from carecase.web.views import _apply_errors, _person_context

from . import forms_plans as pf
from . import selectors, services
from .engine import approval
from .models import (
    ApprovalRequest,
    ApprovalStatus,
    Assessment,
    PlanOutcome,
    PlanStatus,
    ServiceLine,
    SupportPlan,
)
from .views import SEQUENCE_STATUSES

PLAN_TAGS = {
    PlanStatus.DRAFT: "govuk-tag--grey",
    PlanStatus.AWAITING_APPROVAL: "govuk-tag--blue",
    PlanStatus.RETURNED: "govuk-tag--orange",
    PlanStatus.ACTIVE: "govuk-tag--green",
    PlanStatus.ENDED: "govuk-tag--grey",
}
APPROVAL_TAGS = {
    ApprovalStatus.PENDING: "govuk-tag--blue",
    ApprovalStatus.APPROVED: "govuk-tag--green",
    ApprovalStatus.RETURNED: "govuk-tag--orange",
}


def approver_roles() -> set[str]:
    """The roles that decide at some approval level (from the current approval limits)."""
    return {role for level in approval.current_rules()["levels"] for role in level["roles"]}


def plan_page(view):
    """person_page's handling of access refusals, and a 404 for a plan or row that does not exist."""

    @person_page
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (SupportPlan.DoesNotExist, Assessment.DoesNotExist):
            raise Http404("No care and support plan with that number") from None
        except (PlanOutcome.DoesNotExist, ServiceLine.DoesNotExist, ApprovalRequest.DoesNotExist):
            raise Http404("Nothing with that number in this plan") from None

    return wrapper


def _costs(plan: SupportPlan) -> dict:
    weekly = services.plan_weekly_cost(plan)
    yearly = approval.yearly_cost(weekly)
    level = approval.required_level(yearly)
    contribution = plan.assessed_contribution_weekly
    return {"weekly": weekly, "yearly": yearly, "budget": weekly, "contribution": contribution,
            "council_pays": max(weekly - contribution, 0), "level_label": level.label,
            "yearly_weeks": approval.current_rules()["yearly_weeks"]}


def _approvals(plan: SupportPlan) -> list[dict]:
    return [{"request": r, "level_label": approval.level_label(r.level), "tag": APPROVAL_TAGS.get(r.status, "")}
            for r in plan.approvals.all()]


def _render_plan(request, plan: SupportPlan, *, outcome_forms=None, service_form=None, contribution_form=None,
                 send_errors=None, status: int = 200):
    editable = plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
    outcome_forms = outcome_forms or {}
    outcomes = [(o, outcome_forms.get(o.pk) or pf.OutcomeForm(outcome=o)) for o in plan.outcomes.all()]
    service_form = service_form or pf.ServiceForm(plan=plan)
    contribution_form = contribution_form or pf.ContributionForm(plan=plan)
    # The one form with errors (if any) feeds the error summary at the top of the page.
    error_form = next((f for f in [*(f for _, f in outcomes), service_form, contribution_form] if f.errors), None)
    approvals = _approvals(plan)
    pending = next((a for a in approvals if a["request"].status == ApprovalStatus.PENDING), None)
    last_return = next((a["request"] for a in reversed(approvals) if a["request"].status == ApprovalStatus.RETURNED),
                       None)
    return render(request, "assessments/plan_detail.html", {
        **_person_context(request, plan.person, "assessments"), "plan": plan, "editable": editable,
        "status_tag": PLAN_TAGS.get(plan.status, "govuk-tag--grey"), "outcomes": outcomes,
        "service_lines": list(plan.services.all()), "service_form": service_form,
        "contribution_form": contribution_form, "form": error_form, "costs": _costs(plan),
        "not_ready": services.plan_not_ready(plan) if editable else [], "send_errors": send_errors or [],
        "approvals": approvals, "pending": pending,
        "last_return": last_return if plan.status == PlanStatus.RETURNED else None,
    }, status=status)


def _plan(request, plan_id: int) -> SupportPlan:
    return selectors.plan_for(user=request.user, plan_id=plan_id, path=request.path)


# ---------------------------------------------------------------- start and show a plan


@require_POST
@plan_page
def plan_start(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    try:
        plan = services.plan_create(assessment=assessment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessment-detail", assessment.id)
    messages.success(request, "The care and support plan has been started.")
    return redirect("plan-detail", plan.id)


@plan_page
def plan_detail(request, plan_id: int):
    return _render_plan(request, _plan(request, plan_id))


@require_POST
@plan_page
def plan_outcome(request, plan_id: int, outcome_id: int):
    plan = _plan(request, plan_id)
    outcome = next((o for o in plan.outcomes.all() if o.pk == outcome_id), None)
    if outcome is None:
        raise PlanOutcome.DoesNotExist
    outcome.plan = plan
    form = pf.OutcomeForm(request.POST, outcome=outcome)
    if form.is_valid():
        try:
            services.plan_outcome_save(outcome=outcome, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"\u201c{outcome.label}\u201d has been saved.")
            return redirect(f"{reverse('plan-detail', args=[plan.id])}#outcome-{outcome.pk}")
    return _render_plan(request, plan, outcome_forms={outcome.pk: form})


@require_POST
@plan_page
def plan_service_add(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = pf.ServiceForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            line = services.service_line_add(plan=plan, by=request.user, **form.answers())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{line.get_component_display()} has been added.")
            return redirect("plan-detail", plan.id)
    return _render_plan(request, plan, service_form=form)


@require_POST
@plan_page
def plan_service_remove(request, plan_id: int, line_id: int):
    plan = _plan(request, plan_id)
    line = next((s for s in plan.services.all() if s.pk == line_id), None)
    if line is None:
        raise ServiceLine.DoesNotExist
    line.plan = plan
    try:
        services.service_line_remove(line=line, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{line.get_component_display()} has been removed.")
    return redirect("plan-detail", plan.id)


@require_POST
@plan_page
def plan_contribution(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = pf.ContributionForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.plan_set_contribution(plan=plan, by=request.user, weekly=form.cleaned_data["weekly"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The assessed contribution has been saved.")
            return redirect("plan-detail", plan.id)
    return _render_plan(request, plan, contribution_form=form)


@require_POST
@plan_page
def plan_send(request, plan_id: int):
    plan = _plan(request, plan_id)
    try:
        approval_request = services.plan_request_approval(plan=plan, by=request.user)
    except ValidationError as exc:
        plan = _plan(request, plan_id)  # the plan as saved, not half-changed
        return _render_plan(request, plan, send_errors=exc.messages)
    messages.success(request, "The plan has been sent for approval to: "
                              f"{approval.level_label(approval_request.level).lower()}.")
    return redirect("plan-detail", plan.id)


# ---------------------------------------------------------------- approval


@staff_required
def approvals(request):
    staff = staff_member(request.user)
    if staff.role not in approver_roles():
        raise PermissionDenied("Only team leaders and senior managers decide plans.")
    rows = [{"request": r, "person": person, "level_label": approval.level_label(r.level)}
            for r, person in selectors.approval_queue(user=request.user)]
    return render(request, "assessments/approvals.html", {"rows": rows})


@plan_page
def approval_detail(request, request_id: int):
    # Only the plan's number is looked up here; the plan, its person and its requests are read (and the
    # read logged) through plan_for.
    plan_id = ApprovalRequest.objects.values_list("plan_id", flat=True).get(pk=request_id)
    plan = _plan(request, plan_id)
    approval_request = next((r for r in plan.approvals.all() if r.pk == request_id), None)
    if approval_request is None:
        raise ApprovalRequest.DoesNotExist
    approval_request.plan = plan
    if not services.can_decide_approval(request.user, approval_request):
        raise PermissionDenied(f"This plan needs a decision from: {approval.level_label(approval_request.level)}. "
                               "You cannot decide a plan you sent for approval.")
    approve_form, return_form = pf.ApproveForm(), pf.ReturnPlanForm()
    if request.method == "POST" and approval_request.status == ApprovalStatus.PENDING:
        approve = request.POST.get("decision") == "approve"
        form = pf.ApproveForm(request.POST) if approve else pf.ReturnPlanForm(request.POST)
        if approve:
            approve_form = form
        else:
            return_form = form
        if form.is_valid():
            try:
                services.approval_decide(request=approval_request, by=request.user, approve=approve,
                                         reason=form.cleaned_data.get("reason", ""),
                                         starts_on=form.cleaned_data.get("starts_on"))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                name = plan.person.display_name
                messages.success(request, f"The plan for {name} has been approved and is now active." if approve
                                 else f"The plan for {name} has been returned to "
                                      f"{approval_request.requested_by.get_full_name() or 'the worker'}.")
                return redirect("approvals")
    steps = {s["code"]: s["name"] for s in services.sequence_steps()}
    labels = {o.sequence_outcome_id: o.label for o in plan.outcomes.all()}
    rows = {r.code: r for r in plan.assessment.sequence_outcomes.all()}
    trace = []
    for outcome in approval_request.sequence_result.get("outcomes", []):
        row = rows.get(outcome["code"])
        status_label, tag = SEQUENCE_STATUSES.get(outcome["status"], (outcome["status"], "govuk-tag--grey"))
        trace.append({"label": labels.get(row.pk, row.label) if row else outcome["code"], "status_label": status_label,
                      "tag": tag, "explanation": outcome.get("explanation", []),
                      "missing": [steps.get(c, c) for c in outcome.get("missing", [])],
                      "crisis": "crisis_override" in outcome.get("flags", []),
                      "crisis_reason": row.crisis_override_reason if row else ""})
    error_form = approve_form if approve_form.errors else return_form if return_form.errors else None
    return render(request, "assessments/plan_approval.html", {
        **_person_context(request, plan.person, "assessments"), "plan": plan, "approval": approval_request,
        "level_label": approval.level_label(approval_request.level), "service_lines": list(plan.services.all()),
        "trace": trace, "approve_form": approve_form, "return_form": return_form, "form": error_form,
        "decided": approval_request.status != ApprovalStatus.PENDING,
        "status_tag": APPROVAL_TAGS.get(approval_request.status, ""),
        "contribution": plan.assessed_contribution_weekly,
    })
