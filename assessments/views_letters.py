"""Letters as PDFs. Printing a letter is a read of the record, logged as a print."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from carecase.audit.models import AccessAction
from carecase.web.decorators import person_page

from . import selectors
from .letters import LetterRefused, render_eligibility_letter
from .models import Assessment


@person_page
def eligibility_letter(request, assessment_id: int):
    try:
        assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path,
                                              action=AccessAction.PRINT)
    except Assessment.DoesNotExist:
        raise Http404("No assessment with that number") from None
    try:
        pdf = render_eligibility_letter(assessment)
    except LetterRefused as exc:
        messages.error(request, str(exc))
        return redirect("assessment-detail", assessment.id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="eligibility-decision-{assessment.person_id}-{assessment.id}.pdf"'
    return response


@person_page
def support_plan_pdf(request, plan_id: int):
    from .letters import render_support_plan
    from .models import SupportPlan

    try:
        plan = selectors.plan_for(user=request.user, plan_id=plan_id, path=request.path, action=AccessAction.PRINT)
    except SupportPlan.DoesNotExist:
        raise Http404("No plan with that number") from None
    try:
        pdf = render_support_plan(plan)
    except LetterRefused as exc:
        messages.error(request, str(exc))
        return redirect("person-detail", plan.person_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="care-and-support-plan-{plan.person_id}-{plan.id}.pdf"'
    return response


@person_page
def assessment_summary_pdf(request, assessment_id: int):
    from .letters import render_assessment_summary

    try:
        assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path,
                                              action=AccessAction.PRINT)
    except Assessment.DoesNotExist:
        raise Http404("No assessment with that number") from None
    try:
        pdf = render_assessment_summary(assessment)
    except LetterRefused as exc:
        messages.error(request, str(exc))
        return redirect("assessment-detail", assessment.id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assessment-summary-{assessment.person_id}-{assessment.id}.pdf"'
    return response
