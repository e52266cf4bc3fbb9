"""Every read of people goes through here: scoped to the acting user and recorded in the access log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from carecase.audit.access import (
    Access,
    Level,
    access_levels,
    can_search,
    log_reads,
    log_reads_each,
    open_record,
)
from carecase.audit.models import AccessAction, AccessBasis

from . import search_keys
from .identifiers import normalise_nhs_number, normalise_postcode
from .models import Person, PersonRelationship

EXACT_CANDIDATES = 200
FUZZY_CANDIDATES = 300
MAX_RESULTS = 50
_SEARCH_FIELDS = (
    "id",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_death",
    "nhs_number",
    "postcode",
    "is_restricted",
)


@dataclass(frozen=True)
class SearchRow:
    """One search result. Restricted rows carry no personal details unless the user is granted."""

    id: int
    access: Access
    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    date_of_birth: date | None = None
    date_of_death: date | None = None
    nhs_number: str = ""
    postcode: str = ""
    is_restricted: bool = False
    score: float = 0.0

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        from .identifiers import format_nhs_number

        return format_nhs_number(self.nhs_number)

    @property
    def shows_details(self) -> bool:
        return self.access.level >= Level.LIMITED


@dataclass(frozen=True)
class SearchQuery:
    name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    nhs_number: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            search_keys.tokens(self.name)
            or self.date_of_birth
            or normalise_postcode(self.postcode)
            or normalise_nhs_number(self.nhs_number)
        )


def _filtered(query: SearchQuery):
    qs = Person.objects.all()
    if query.date_of_birth:
        qs = qs.filter(date_of_birth=query.date_of_birth)
    # Blank after normalising (only spaces) means not given: "" would match everyone without an NHS number.
    if normalise_nhs_number(query.nhs_number):
        qs = qs.filter(nhs_number=normalise_nhs_number(query.nhs_number))
    if normalise_postcode(query.postcode):
        postcode = normalise_postcode(query.postcode)
        # A full postcode matches exactly; an outward code ("LE2") matches its district.
        qs = qs.filter(postcode=postcode) if " " in postcode else qs.filter(postcode__startswith=postcode + " ")
    return qs


def _candidates(query: SearchQuery) -> list[dict]:
    qs = _filtered(query)
    name_tokens = search_keys.tokens(query.name)[:4]
    if not name_tokens:
        return list(qs.order_by("family_name", "given_name", "id").values(*_SEARCH_FIELDS)[:MAX_RESULTS])
    exact = list(
        qs.filter(search_keys__contains=[f"t:{t}" for t in name_tokens]).values(*_SEARCH_FIELDS)[:EXACT_CANDIDATES]
    )
    # Every word of the query must match some part of the name (in any order), for the query as typed or
    # with two neighbouring words joined; one SQL query, which PostgreSQL answers from the GIN index.
    matches = Q()
    for variant in search_keys.query_variants(name_tokens):
        every_word = Q()
        for token in variant:
            every_word &= Q(search_keys__overlap=search_keys.query_keys_for_token(token))
        matches |= every_word
    fuzzy_qs = qs.filter(matches)
    seen = {row["id"] for row in exact}
    fuzzy = [
        row for row in fuzzy_qs.exclude(id__in=seen).values(*_SEARCH_FIELDS)[:FUZZY_CANDIDATES] if row["id"] not in seen
    ]
    return exact + fuzzy


def search_people(*, user, query: SearchQuery, path: str = "") -> list[SearchRow]:
    """Find people by name (typos and any order), date of birth, postcode and NHS number.

    Logs a 'listed in search results' event for each person shown. Administrators cannot search.
    """
    if not can_search(user) or query.is_empty:
        return []
    rows = _candidates(query)
    for row in rows:
        row["score"] = (
            search_keys.name_score(query.name, [row["given_name"], row["family_name"], row["preferred_name"]])
            if query.name
            else 1.0
        )
    rows.sort(key=lambda r: (-r["score"], r["family_name"], r["given_name"], r["id"]))
    rows = rows[:MAX_RESULTS]
    levels = access_levels(user, [_Light(r["id"], r["is_restricted"]) for r in rows])
    results = []
    for row in rows:
        access = levels[row["id"]]
        if access.level == Level.NONE:
            continue
        if access.level == Level.RESTRICTED:
            results.append(SearchRow(id=row["id"], access=access, is_restricted=True))
        elif access.level == Level.LIMITED:
            # Outside the user's team, search shows only name, date of birth and NHS number.
            results.append(SearchRow(access=access, **{**row, "postcode": "", "date_of_death": None}))
        else:
            results.append(SearchRow(access=access, **row))
    if results:
        log_reads_each(
            user,
            {r.id: r.access.basis or AccessBasis.LIMITED for r in results},
            action=AccessAction.SEARCH,
            resource="search result",
            path=path,
        )
    return results


@dataclass(frozen=True)
class _Light:
    id: int
    is_restricted: bool


def likely_duplicates(*, user, given_name: str, family_name: str, date_of_birth: date | None,
                      nhs_number: str = "", postcode: str = "") -> list[SearchRow]:
    """People who may already be on record, for the warning shown before creating a new person."""
    found: dict[int, SearchRow] = {}
    if nhs_number:
        for row in search_people(user=user, query=SearchQuery(nhs_number=nhs_number), path="duplicate check"):
            found[row.id] = row
    if date_of_birth:
        name = f"{given_name} {family_name}"
        for row in search_people(
            user=user, query=SearchQuery(name=name, date_of_birth=date_of_birth), path="duplicate check"
        ):
            if row.score >= 0.7 or not row.shows_details:
                found[row.id] = row
    elif postcode:
        for row in search_people(
            user=user, query=SearchQuery(name=f"{given_name} {family_name}", postcode=postcode), path="duplicate check"
        ):
            if row.score >= 0.85:
                found[row.id] = row
    return list(found.values())


def person_for_user(*, user, person_id: int, resource: str = "person summary", path: str = "",
                    action: str = AccessAction.VIEW) -> Person:
    """The full record of one person, if the user may open it. Raises ReasonRequired, RestrictedRecord,
    NoAccess or Person.DoesNotExist."""
    person = Person.objects.get(pk=person_id)
    open_record(user, person, resource=resource, action=action, path=path)
    return person


def person_with_relationships(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW) -> Person:
    person = (
        Person.objects.prefetch_related(
            Prefetch(
                "relationships_from",
                queryset=PersonRelationship.objects.select_related("related_to").order_by("kind", "id"),
            ),
            Prefetch(
                "relationships_to", queryset=PersonRelationship.objects.select_related("person").order_by("kind", "id")
            ),
        )
        .get(pk=person_id)
    )
    open_record(user, person, resource="person summary", action=action, path=path)
    return person


def relationships_for(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW):
    person = person_for_user(user=user, person_id=person_id, resource="relationships", path=path, action=action)
    return person, list(
        PersonRelationship.objects.filter(Q(person=person) | Q(related_to=person))
        .select_related("person", "related_to")
        .order_by("ended_on", "kind", "id")
    )


def people_listing(*, user, person_ids: list[int], resource: str = "worktray", action: str = AccessAction.VIEW,
                   path: str = "") -> dict[int, Person]:
    """Names for the people in a list (worktray rows, the dashboard's longest waits) whom the user may see
    in full; the others are left out, for the page to show by record number. Logs one read each, in one
    insert."""
    people = {p.id: p for p in Person.objects.filter(id__in=person_ids)}
    levels = access_levels(user, people.values())
    visible = {pid: p for pid, p in people.items() if levels[pid].is_full}
    if visible:
        log_reads_each(user, {pid: levels[pid].basis for pid in visible}, action=action, resource=resource, path=path)
    return visible


def person_for_reason_page(*, user, person_id: int, path: str = "") -> tuple[Person, Access]:
    """The person and the user's access, for the page that asks for a reason. Only name, date of birth
    and NHS number are shown there, so the read is logged as a limited one."""
    from carecase.audit.access import access_for

    person = Person.objects.get(pk=person_id)
    access = access_for(user, person)
    if access.level == Level.LIMITED:
        log_reads(user, [person.id], action=AccessAction.VIEW, resource="reason page", basis=AccessBasis.LIMITED,
                  path=path)
    return person, access


def person_section_counts(person: Person) -> dict[str, int]:
    """How many contacts, case notes and current relationships a person has, for the sub-navigation.

    One query of independent counts (no join fan-out). Call only for a person already opened above."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def count(model_qs):
        return Coalesce(
            Subquery(model_qs.order_by().annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
        )

    from assessments.models import Assessment
    from carecase.records.models import CaseNote, Contact

    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            contacts_count=count(Contact.objects.filter(person=OuterRef("pk")).values("person")),
            notes_count=count(CaseNote.objects.filter(person=OuterRef("pk")).values("person")),
            assessments_count=count(Assessment.objects.filter(person=OuterRef("pk")).values("person")),
            rel_from=count(PersonRelationship.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
                           .values("person")),
            rel_to=count(PersonRelationship.objects.filter(related_to=OuterRef("pk"), ended_on__isnull=True)
                         .values("related_to")),
        )
        .values("contacts_count", "notes_count", "assessments_count", "rel_from", "rel_to")
        .get()
    )
    return {"contacts": row["contacts_count"], "notes": row["notes_count"], "assessments": row["assessments_count"],
            "relationships": row["rel_from"] + row["rel_to"]}


HISTORY_HIDDEN_FIELDS = {"search_keys", "updated_at", "created_at", "id", "uuid"}
HISTORY_FIELD_NAMES = {"nhs_number": "NHS number", "is_restricted": "Restricted record", "client_type": "Supported as"}


def _shown(field, value):
    """A stored value as staff should read it: choice labels, never code values such as CLD codes."""
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    base = getattr(field, "base_field", None)
    if base is not None and base.choices and isinstance(value, list):
        labels = dict(base.flatchoices)
        return [labels.get(v, v) for v in value]
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return value


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    label: str
    user_id: int | None
    source: str
    changes: list[tuple[str, object, object]]


def person_history(*, user, person_id: int, path: str = "", limit: int = 100) -> tuple[Person, list[HistoryEntry]]:
    """Changes to a person's details, newest first, from the database-trigger history (django-pghistory):
    who or what made each change and the fields that changed, including changes made outside CareCase's
    own forms (bulk updates, tasks, commands)."""
    from django.apps import apps

    person = person_for_user(user=user, person_id=person_id, resource="change history", path=path)
    event_model = apps.get_model("people", "PersonEvent")
    fields = [f for f in Person._meta.concrete_fields if f.name not in HISTORY_HIDDEN_FIELDS]
    events = list(
        event_model.objects.filter(pgh_obj_id=person.pk).select_related("pgh_context").order_by("pgh_id")
    )
    entries: list[HistoryEntry] = []
    previous = None
    for event in events:
        changes = []
        for field in fields:
            new = getattr(event, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None or old != new:
                if previous is None and new in ("", None, [], False):
                    continue
                name = HISTORY_FIELD_NAMES.get(field.name, str(field.verbose_name).capitalize())
                changes.append((name, _shown(field, old), _shown(field, new)))
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        if changes or previous is None:
            entries.append(HistoryEntry(
                at=event.pgh_created_at,
                label="Record created" if previous is None else "Details changed",
                user_id=metadata.get("user"),
                source=metadata.get("source") or metadata.get("url") or "",
                changes=changes,
            ))
        previous = event
    entries.reverse()
    return person, entries[:limit]


def relationship_for(*, user, relationship_id: int, path: str = "", action: str = AccessAction.VIEW
                     ) -> PersonRelationship:
    """One relationship, read through the record of whichever of its two people the user may open in full
    (`person` first), as the relationship services allow: carers are often allocated to no team."""
    relationship = PersonRelationship.objects.select_related("person", "related_to").get(pk=relationship_id)
    levels = access_levels(user, [relationship.person, relationship.related_to])
    subject = relationship.person
    if not levels[subject.id].is_full and levels[relationship.related_to.id].is_full:
        subject = relationship.related_to
    open_record(user, subject, resource="relationships", action=action, path=path)
    return relationship


def person_to_link(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW) -> Person:
    """The other person named in a new relationship. Linking shows only what search shows (name, date of
    birth, NHS number), so a person outside the user's team can be linked without giving a reason; a
    restricted record cannot be linked by someone not named on it."""
    from carecase.audit.access import NoAccess, RestrictedRecord, access_for

    person = Person.objects.get(pk=person_id)
    access = access_for(user, person)
    if access.level == Level.RESTRICTED:
        log_reads(user, [person.id], action=AccessAction.DENIED, resource="relationship link",
                  basis=AccessBasis.LIMITED, path=path)
        raise RestrictedRecord("This record is restricted.")
    if access.level == Level.NONE:
        raise NoAccess("You do not have access to people's records.")
    log_reads(user, [person.id], action=action, resource="relationship link", basis=access.basis, path=path)
    return person


