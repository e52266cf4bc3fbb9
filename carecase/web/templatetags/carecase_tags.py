"""Small presentation filters, available in every template (TEMPLATES builtins)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from carecase import codes

register = template.Library()
_NEEDS = dict(codes.CommunicationNeed.choices)


@register.filter
def age_today(person) -> str:
    age = person.age_on(timezone.localdate())
    return "" if age is None else str(age)


@register.filter
def communication_needs_display(person) -> str:
    return ", ".join(_NEEDS.get(n, n) for n in person.communication_needs).capitalize() if person.communication_needs else ""


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def history_value(value) -> str:
    if value in (None, "", []):
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@register.filter
def money(value) -> str:
    """Pounds with pence and thousands separators: £12,409.28."""
    if value in (None, ""):
        return ""
    from decimal import Decimal

    return f"£{Decimal(value):,.2f}"
