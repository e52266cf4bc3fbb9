"""Letters as PDFs. Printing a letter is a read of the record, logged as a print."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from carecase.audit.models import AccessAction
from carecase.web.decorators import person_page

from . import selectors
from .letters import LetterRefused, render_assessment_summary, render_eligibility_letter, render_support_plan
from .models import Assessment, SupportPlan


def _pdf_response(request, record, render: Callable, filename: str, back: tuple):
    """The PDF inline, or back to the page with the letter service's reason when it refuses."""
    try:
        pdf = render(record)
    except LetterRefused as exc:
        messages.error(request, str(exc))
        return redirect(*back)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}-{record.person_id}-{record.id}.pdf"'
    return response


def _printed_assessment(request, assessment_id: int) -> Assessment:
    try:
        return selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path,
                                        action=AccessAction.PRINT)
    except Assessment.DoesNotExist:
        raise Http404("No assessment with that number") from None


@person_page
def eligibility_letter(request, assessment_id: int):
    assessment = _printed_assessment(request, assessment_id)
    return _pdf_response(request, assessment, render_eligibility_letter, "eligibility-decision",
                         ("assessment-detail", assessment.id))


@person_page
def assessment_summary_pdf(request, assessment_id: int):
    assessment = _printed_assessment(request, assessment_id)
    return _pdf_response(request, assessment, render_assessment_summary, "assessment-summary",
                         ("assessment-detail", assessment.id))


@person_page
def support_plan_pdf(request, plan_id: int):
    try:
        plan = selectors.plan_for(user=request.user, plan_id=plan_id, path=request.path, action=AccessAction.PRINT)
    except SupportPlan.DoesNotExist:
        raise Http404("No plan with that number") from None
    return _pdf_response(request, plan, render_support_plan, "care-and-support-plan", ("person-detail", plan.person_id))
