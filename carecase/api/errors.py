"""API errors: access refusals answer 403 with a plain reason; validation answers 400 with field errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from carecase.audit.access import ReasonRequired, RestrictedRecord


def exception_handler(exc, context):
    if isinstance(exc, ReasonRequired):
        return Response(
            {"detail": "This record is outside your team. Give a reason first: POST to the person's "
             "access-reason endpoint.", "code": "reason_required"},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, RestrictedRecord):
        return Response({"detail": "This record is restricted.", "code": "restricted"}, status=403)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
