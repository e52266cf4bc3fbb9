"""How the API answers when something is wrong.

- 400: field errors, `{"field": ["what to fix"]}`, for any bad input, including model and constraint checks.
- 401 / 403: `{"detail": ..., "code": ...}`; access refusals carry `reason_required`, `restricted` or `no_access`.
- 404: an unknown id. 409: the change conflicts with the record's state (a locked note, a likely duplicate).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.urls import reverse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from carecase.audit.access import NoAccess, ReasonRequired, RestrictedRecord
from carecase.records.services import NoteLocked

logger = logging.getLogger(__name__)

# Database constraints name themselves; an API caller needs the field to fix and what to do instead.
CONSTRAINT_ERRORS = {
    "unique_nhs_number_when_present": (
        "nhs_number",
        "Another person's record already has this NHS number. Search for that record instead of adding a new one.",
    ),
    "death_after_birth": ("date_of_death", "The date of death must be on or after the date of birth."),
    "relationship_not_to_self": ("related_to", "A person cannot be related to themselves."),
    "one_current_relationship_of_each_kind": (
        "kind",
        "This relationship is already recorded and has not ended. End it before recording it again.",
    ),
    "concluded_contact_has_outcome": ("outcome", "Choose an outcome to conclude the contact."),
}


PLAIN_MESSAGES = {
    exceptions.ParseError: "The request body could not be read. Send it as JSON, for example "
    '{"reason": "Reviewing a safeguarding concern"}.',
    exceptions.UnsupportedMediaType: "Send the request body as JSON, with the header "
    "Content-Type: application/json.",
    exceptions.NotAuthenticated: "Sign in, or send your API token in the header Authorization: Token <your token>.",
    exceptions.AuthenticationFailed: "This API token is not valid, or its account is no longer active. "
    "Ask an administrator for a new token.",
}


def error(status_code: int, code: str, detail: str, **extra) -> Response:
    return Response({"detail": detail, "code": code, **extra}, status=status_code)


def _constraint_error(message: str) -> tuple[str, str] | None:
    for name, field_error in CONSTRAINT_ERRORS.items():
        if name in message:
            return field_error
    return None


def field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF field errors, with constraint messages made plain."""
    raw = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    errors: dict[str, list[str]] = {}
    for field, error_list in raw.items():
        for error_item in error_list:
            message = " ".join(error_item.messages)
            # Model constraints carry their own name as the error code; older ones only say it in the text.
            translated = CONSTRAINT_ERRORS.get(error_item.code or "") or _constraint_error(message)
            key, text = translated if translated else (field, message)
            errors.setdefault("non_field_errors" if key == "__all__" else key, []).append(text)
    return errors


def exception_handler(exc, context):
    if isinstance(exc, NoteLocked):
        return error(status.HTTP_409_CONFLICT, "note_locked", str(exc))
    if isinstance(exc, ReasonRequired):
        return error(
            status.HTTP_403_FORBIDDEN,
            "reason_required",
            "This record is outside your team. Say why you need to open it first, by sending a reason to "
            "the person's access-reason address.",
            access_reason_url=reverse("api:person-access-reason", args=[exc.person_id]),
        )
    if isinstance(exc, RestrictedRecord):
        return error(
            status.HTTP_403_FORBIDDEN,
            "restricted",
            "This record is restricted. Only staff named on it can open it: ask a senior manager if you need to.",
        )
    if isinstance(exc, NoAccess):
        return error(status.HTTP_403_FORBIDDEN, "no_access", str(exc))
    if isinstance(exc, ObjectDoesNotExist):
        return error(status.HTTP_404_NOT_FOUND, "not_found", "Nothing was found with this id. Check the address.")
    if isinstance(exc, IntegrityError):
        # Two requests racing past the same check: say which rule was broken rather than failing with 500.
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or ""
        translated = CONSTRAINT_ERRORS.get(constraint)
        if translated:
            return Response({translated[0]: [translated[1]]}, status=status.HTTP_400_BAD_REQUEST)
        logger.warning("Database integrity error answered 409", exc_info=exc)
        return error(status.HTTP_409_CONFLICT, "conflict", "This change conflicts with another one. Try again.")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException) and not isinstance(
        exc, exceptions.ValidationError
    ):
        # Status and headers (WWW-Authenticate on 401) stay DRF's; the words are ours where DRF's are vague.
        code, detail = exc.get_codes(), str(exc.detail)
        response.data = {"detail": PLAIN_MESSAGES.get(type(exc), detail), "code": code}
        if isinstance(exc, exceptions.ParseError):
            response.data["detail"] += f" ({detail})"
    return response


def unknown_address(request, *args, **kwargs) -> JsonResponse:
    return JsonResponse(
        {
            "detail": "There is nothing at this address. Check it against the API documentation at /api/docs/: "
            "every address ends with a slash.",
            "code": "not_found",
        },
        status=404,
    )
