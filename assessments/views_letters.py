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
