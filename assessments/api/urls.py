"""Stateless rule endpoints under /api/v1/rules/. Their field names are a contract other systems use."""

from django.urls import path

from .eligibility import EligibilityView
from .support_sequence import SupportSequenceView

urlpatterns = [
    path("eligibility/", EligibilityView.as_view(), name="rules-eligibility"),
    path("support-sequence/", SupportSequenceView.as_view(), name="rules-support-sequence"),
]
