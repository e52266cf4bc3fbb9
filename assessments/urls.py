"""Staff pages for assessments. Included at "" in the root URLconf, so the paths are written in full."""

from django.urls import path

from . import views

A = "assessments/<int:assessment_id>/"

urlpatterns = [
    path("people/<int:person_id>/assessments/", views.person_assessments, name="person-assessments"),
    path(A, views.assessment_detail, name="assessment-detail"),
    *[path(f"{A}{section.replace('_', '-')}/", views.assessment_section, {"section": section},
           name=f"assessment-{section}") for section in ("conversation", "wellbeing", "conditions", "capacity",
                                                          "carers")],
    path(f"{A}outcomes/", views.assessment_outcomes, name="assessment-outcomes"),
    path(f"{A}eligibility-preview/", views.eligibility_preview, name="assessment-eligibility-preview"),
    path(f"{A}decision/", views.assessment_decision, name="assessment-decision"),
    path(f"{A}submit/", views.assessment_submit, name="assessment-submit"),
    path(f"{A}authorise/", views.assessment_authorise, name="assessment-authorise"),
    path(f"{A}return/", views.assessment_return, name="assessment-return"),
]
