"""Every write to people and their relationships."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from carecase.audit.access import Level, access_for, access_levels, require_full_access

from . import search_keys
from .identifiers import normalise_nhs_number, normalise_postcode
from .models import Person, PersonRelationship

PERSON_EDITABLE_FIELDS = (
    "given_name", "family_name", "preferred_name", "date_of_birth", "date_of_death", "nhs_number",
    "address_line_1", "address_line_2", "town", "postcode", "phone", "email", "preferred_contact_method",
    "gender", "ethnicity", "first_language", "interpreter_needed", "communication_needs",
    "communication_notes", "client_type", "primary_support_reason", "accommodation_status",
    "has_unpaid_carer", "is_restricted",
)


def _normalise(fields: dict) -> dict:
    fields = dict(fields)
    if "nhs_number" in fields:
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"] or "")
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"] or "")
    for key in ("given_name", "family_name", "preferred_name"):
        if key in fields and fields[key] is not None:
            fields[key] = " ".join(str(fields[key]).split())
    return fields


def refresh_search_keys(person: Person) -> None:
    person.search_keys = search_keys.keys_for_names([person.given_name, person.family_name, person.preferred_name])


@transaction.atomic
def person_create(*, by, **fields) -> Person:
    """Create a person. The creator gets an 8-hour reason to open the record they made."""
    from carecase.audit.services import give_reason

    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person(**_normalise(fields))
    refresh_search_keys(person)
    person.full_clean()
    person.save()
    if access_for(by, person).level >= Level.LIMITED and not access_for(by, person).is_full:
        give_reason(user=by, person=person, reason="Created this record")
    return person


@transaction.atomic
def person_update(*, person: Person, by, **fields) -> Person:
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    require_full_access(by, person)
    for key, value in _normalise(fields).items():
        setattr(person, key, value)
    refresh_search_keys(person)
    person.full_clean()
    person.save()
    return person


def _open_relationship(by, person: Person, related_to: Person) -> None:
    """A relationship sits on both people's records. The user needs the full record of one of them (the one
    they are working in: carers are often allocated to no team) and must be able to see the other in search.
    Raises if not; the selector that opened the page or API request has logged the read."""
    levels = access_levels(by, [person, related_to])
    for subject, other in ((person, related_to), (related_to, person)):
        if levels[subject.id].is_full and levels[other.id].level >= Level.LIMITED:
            require_full_access(by, subject)
            return
    require_full_access(by, person)
    require_full_access(by, related_to)


@transaction.atomic
def relationship_create(
    *,
    person: Person,
    related_to: Person,
    kind: str,
    by,
    family_relationship: str = "",
    lives_in_same_household: bool = False,
    started_on: date | None = None,
    notes: str = "",
) -> PersonRelationship:
    _open_relationship(by, person, related_to)
    if person.pk == related_to.pk:
        raise ValidationError({"related_to": "A person cannot be related to themselves"})
    relationship = PersonRelationship(
        person=person,
        related_to=related_to,
        kind=kind,
        family_relationship=family_relationship,
        lives_in_same_household=lives_in_same_household,
        started_on=started_on,
        notes=notes,
    )
    relationship.full_clean()
    relationship.save()
    return relationship


@transaction.atomic
def relationship_end(*, relationship: PersonRelationship, ended_on: date, by) -> PersonRelationship:
    _open_relationship(by, relationship.person, relationship.related_to)
    if relationship.started_on and ended_on < relationship.started_on:
        raise ValidationError({"ended_on": "The end date must be on or after the start date"})
    relationship.ended_on = ended_on
    relationship.save(update_fields=["ended_on"])
    return relationship


def rebuild_all_search_keys(*, batch_size: int = 2000) -> tuple[int, int]:
    """Recompute search keys for everyone, in batches, writing only rows whose keys changed.
    Returns (changed, total)."""
    changed = total = 0
    last_id = 0
    while True:
        batch = list(
            Person.objects.filter(id__gt=last_id)
            .order_by("id")
            .only("id", "given_name", "family_name", "preferred_name", "search_keys")[:batch_size]
        )
        if not batch:
            return changed, total
        stale = []
        for person in batch:
            keys = search_keys.keys_for_names([person.given_name, person.family_name, person.preferred_name])
            if keys != person.search_keys:
                person.search_keys = keys
                stale.append(person)
        with transaction.atomic():
            Person.objects.bulk_update(stale, ["search_keys"])
        changed += len(stale)
        total += len(batch)
        last_id = batch[-1].id
