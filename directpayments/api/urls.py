"""Included at /api/v1/direct-payments/ by carecase/api/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("agreements/", views.AgreementsView.as_view(), name="dp-agreements"),
    path("agreements/<int:pk>/", views.AgreementView.as_view(), name="dp-agreement"),
    path("agreements/<int:pk>/returns/", views.AgreementReturnsView.as_view(), name="dp-agreement-returns"),
    path("payments/", views.PaymentsView.as_view(), name="dp-payments"),
    path("runs/", views.RunsView.as_view(), name="dp-runs"),
    path("runs/<int:pk>/", views.RunView.as_view(), name="dp-run"),
    path("personal-assistants/", views.AssistantsView.as_view(), name="dp-assistants"),
    path("personal-assistants/<int:pk>/", views.AssistantView.as_view(), name="dp-assistant"),
    path("returns/", views.ReturnsView.as_view(), name="dp-returns"),
]
