"""Staff pages for direct payments. Included at "" in the root URLconf, so the paths are written in full."""

from django.urls import path

from . import views

A = "direct-payments/agreements/<int:agreement_id>/"
R = "direct-payments/recoveries/<int:recovery_id>/"

urlpatterns = [
    path("people/<int:person_id>/direct-payments/", views.person_direct_payments, name="person-direct-payments"),
    path("people/<int:person_id>/direct-payments/new/", views.agreement_new, name="dp-agreement-new"),
    path("direct-payments/", views.dashboard, name="dp-dashboard"),
    path(A, views.agreement_detail, name="dp-agreement"),
    path(f"{A}start/", views.agreement_activate, name="dp-agreement-activate"),
    path(f"{A}status/", views.agreement_status, name="dp-agreement-status"),
    path(f"{A}reprice/", views.agreement_reprice, name="dp-agreement-reprice"),
    path(f"{A}payments/new/", views.agreement_one_off, name="dp-agreement-one-off"),
    path(f"{A}concern/", views.agreement_misuse, name="dp-agreement-misuse"),
    path(f"{A}audits/new/", views.agreement_audit, name="dp-agreement-audit"),
    path(f"{A}agreement.pdf", views.agreement_pdf, name="dp-agreement-pdf"),
    path(f"{A}returns/new/", views.return_new, name="dp-return-new"),
    path(f"{A}employments/new/", views.employment_new, name="dp-employment-new"),
    path(f"{A}employments/<int:employment_id>/", views.employment_detail, name="dp-employment"),
    path(f"{A}employments/<int:employment_id>/change/", views.employment_change, name="dp-employment-change"),
    path(f"{A}employments/<int:employment_id>/end/", views.employment_end, name="dp-employment-end"),
    path(R, views.recovery_detail, name="dp-recovery"),
    path(f"{R}letter.pdf", views.recovery_letter, name="dp-recovery-letter"),
    path("direct-payments/personal-assistants/", views.assistants, name="dp-assistants"),
    path("direct-payments/personal-assistants/new/", views.assistant_new, name="dp-assistant-new"),
    path("direct-payments/personal-assistants/message/", views.broadcast, name="dp-broadcast"),
    path("direct-payments/personal-assistants/<int:assistant_id>/", views.assistant_detail, name="dp-assistant"),
    path("direct-payments/personal-assistants/<int:assistant_id>/change/", views.assistant_edit,
         name="dp-assistant-edit"),
    path("direct-payments/payment-runs/", views.runs, name="dp-runs"),
    path("direct-payments/payment-runs/<int:run_id>/", views.run_detail, name="dp-run"),
    path("direct-payments/payment-runs/<int:run_id>/payments.csv", views.run_csv, name="dp-run-csv"),
]
