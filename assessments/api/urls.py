"""Stateless rule endpoints under /api/v1/rules/. Their field names are a contract other systems use."""

from django.urls import path  # noqa: F401

urlpatterns: list = [
    # Each engine adds its endpoint here, for example:
    # path("eligibility/", eligibility.EligibilityView.as_view(), name="rules-eligibility"),
]
