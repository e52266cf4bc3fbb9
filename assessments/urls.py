"""Staff pages for assessments. Included at "" in the root URLconf, so the paths are written in full."""

from django.urls import path

from . import views, views_audit, views_letters, views_plans

A = "assessments/<int:assessment_id>/"
P = "plans/<int:plan_id>/"

urlpatterns = [
    path("practice-audit/", views_audit.practice_audit_page, name="practice-audit"),
    path("people/<int:person_id>/assessments/", views.person_assessments, name="person-assessments"),
    path(A, views.assessment_detail, name="assessment-detail"),
    *[path(f"{A}{section.replace('_', '-')}/", views.assessment_section, {"section": section},
           name=f"assessment-{section}") for section in ("conversation", "wellbeing", "conditions", "capacity",
                                                          "carers")],
    path(f"{A}outcomes/", views.assessment_outcomes, name="assessment-outcomes"),
    path(f"{A}eligibility-preview/", views.eligibility_preview, name="assessment-eligibility-preview"),
    path(f"{A}support-sequence/", views.assessment_sequence, name="assessment-sequence"),
    path(f"{A}support-sequence/from-eligibility/", views.sequence_from_eligibility,
         name="assessment-sequence-from-eligibility"),
    path(f"{A}support-sequence/<int:row_id>/", views.sequence_outcome, name="assessment-sequence-outcome"),
    path(f"{A}support-sequence/<int:row_id>/preview/", views.sequence_preview,
         name="assessment-sequence-preview"),
    path(f"{A}support-sequence/<int:row_id>/remove/", views.sequence_remove, name="assessment-sequence-remove"),
    path(f"{A}decision/", views.assessment_decision, name="assessment-decision"),
    path(f"{A}submit/", views.assessment_submit, name="assessment-submit"),
    path(f"{A}authorise/", views.assessment_authorise, name="assessment-authorise"),
    path(f"{A}return/", views.assessment_return, name="assessment-return"),
    path("assessments/<int:assessment_id>/eligibility-letter.pdf", views_letters.eligibility_letter,
         name="assessment-eligibility-letter"),
    path("plans/<int:plan_id>/plan.pdf", views_letters.support_plan_pdf, name="plan-pdf"),
    path(f"{A}plan/start/", views_plans.plan_start, name="plan-start"),
    path(P, views_plans.plan_detail, name="plan-detail"),
    path(f"{P}outcomes/<int:outcome_id>/", views_plans.plan_outcome, name="plan-outcome"),
    path(f"{P}services/", views_plans.plan_service_add, name="plan-service-add"),
    path(f"{P}services/<int:line_id>/remove/", views_plans.plan_service_remove, name="plan-service-remove"),
    path(f"{P}contribution/", views_plans.plan_contribution, name="plan-contribution"),
    path(f"{P}send-for-approval/", views_plans.plan_send, name="plan-send"),
    path("approvals/", views_plans.approvals, name="approvals"),
    path("approvals/<int:request_id>/", views_plans.approval_detail, name="approval-detail"),
    path("assessments/<int:assessment_id>/summary.pdf", views_letters.assessment_summary_pdf,
         name="assessment-summary-pdf"),
]
