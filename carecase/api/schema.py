"""Shared descriptions of error answers, for the OpenAPI schema."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong and what to do, in plain English.")
    code = serializers.CharField(
        help_text="For example reason_required, restricted, no_access, not_found, note_locked."
    )


ERRORS_400 = OpenApiResponse(
    description='Bad input. Each field with a problem lists what to fix: {"nhs_number": ["..."]}.'
)
ERRORS_403 = OpenApiResponse(
    ErrorOutput,
    description="Not allowed. code is reason_required (outside your team: give a reason first), restricted "
    "(only staff named on the record) or no_access (your role does not read records).",
)
ERRORS_404 = OpenApiResponse(ErrorOutput, description="Nothing was found with this id.")
CONFLICT = OpenApiResponse(ErrorOutput, description="The record's state does not allow this change.")
