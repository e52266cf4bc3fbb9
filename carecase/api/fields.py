"""Building blocks shared by the API's serializers: strict request bodies, code-list fields, plain errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import django_filters
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

UNKNOWN_FIELD = "This field is not recognised. Check its spelling against the API documentation at /api/docs/."
DATE_ERRORS = {"invalid": "Enter a real date in the format YYYY-MM-DD, for example 1948-03-21."}
DATETIME_ERRORS = {
    "invalid": "Enter a date and time in the format YYYY-MM-DDTHH:MM, for example 2025-03-21T14:30.",
    "date": "Enter a time as well as a date, for example 2025-03-21T14:30.",
}


# A request body. Unknown fields are refused: a misspelt field silently ignored would lose what was sent.
class InputSerializer(serializers.Serializer):

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {key: [UNKNOWN_FIELD] for key in data if key not in writable}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class CodeField(serializers.ChoiceField):
    """A value from one of CareCase's code lists, stored and exchanged exactly as the national list spells it.

    The schema documents each list once under its own name, and a wrong value is answered with the values
    that would have been accepted.
    """

    def __init__(self, choices: type[models.Choices] | Iterable[models.Choices], *, name: str = "", **kwargs):
        if isinstance(choices, type) and issubclass(choices, models.Choices):
            members = list(choices)
            name = name or choices.__name__
        else:
            members = list(choices)
        if not name:
            raise TypeError("Name a code list that is a subset of another list")
        self.enum_name = name
        pairs = [(member.value, member.label) for member in members]
        allowed = "; ".join(f'"{value}"' for value, _ in pairs)
        messages = {"invalid_choice": f'"{{input}}" is not an allowed value. Use one of: {allowed}.'}
        messages.update(kwargs.pop("error_messages", {}))
        super().__init__(choices=pairs, error_messages=messages, **kwargs)

    def to_representation(self, value):
        # An unset code (blank in the database) is sent as null rather than as an empty string.
        return value or None


class CodeFieldSchema(OpenApiSerializerFieldExtension):
    target_class = CodeField

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "enum": list(self.target.choices),
            "description": "\n".join(f"* `{value}`: {label}" for value, label in self.target.choices.items()),
        }


class YesNoFilter(django_filters.TypedChoiceFilter):
    """A query filter taking true or false. Anything else is refused rather than silently ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[("true", "true"), ("false", "false")], coerce=lambda v: v == "true", **kwargs)


def date_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(error_messages=DATE_ERRORS, **kwargs)


def datetime_field(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(error_messages=DATETIME_ERRORS, **kwargs)


def text_field(*, required_message: str = "", **kwargs) -> serializers.CharField:
    """Text whose 'missing' and 'blank' messages both say what to enter."""
    messages = {"required": required_message, "blank": required_message} if required_message else {}
    messages.update(kwargs.pop("error_messages", {}))
    return serializers.CharField(error_messages=messages, **kwargs)


class StaffReference(serializers.Serializer):
    """A member of staff named on a record: the author of a note, who recorded a contact."""

    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class TeamReference(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
