"""Writes generated demo data to the database.

Teams and staff go through the ordinary services (so groups and roles are set the usual way); the large
tables (people, allocations, relationships, contacts, case notes) go in with PostgreSQL COPY, formatted
here rather than through the ORM, so the city-scale profile (about 76,000 rows) loads in a few seconds.

History: django-pghistory's row triggers would write each "insert" event one row at a time, and its
context function opens a subtransaction per row; tens of thousands of those in one transaction made the
city-scale seed take 40 seconds instead of 6. So while copying, just those pghistory insert triggers are
switched off (inside the transaction, so a failure leaves them on; every other trigger and constraint still
applies) and the same "insert" events are then written with one INSERT ... SELECT per table, tagged with the
seed_demo history context. The database ends in the state the triggers would have left it in.

Ids are given explicitly, continuing from the highest id already in each table, so people are numbered in
the order they became known to the council, and the same seed gives the same ids in an empty database.

Care and support plans go in the same way: for each person on long-term support an authorised assessment (with
its outcomes, status changes and support sequence), an active plan with its outcomes, services and approval,
and its reviews, completed and open (plans.py), all dated when they happened.

Waiting lists go in the same way (entries, their priority changes and keep-in-touch contacts, by COPY with the
dates they happened rather than the time of loading, which `auto_now_add` would force through the ORM). Then
a year of weekly snapshots is rebuilt with the nightly job's own `take_snapshot`, and the daily keep-in-touch
sweep runs once, so the dashboard has its trend and each team's duty worktray has its due contacts at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

import pghistory
import pghistory.trigger
import pgtrigger
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from assessments.engine import approval
from assessments.models import (
    ApprovalRequest,
    Assessment,
    AssessmentOutcome,
    AssessmentTransition,
    SequenceOutcome,
    ServiceLine,
    SupportPlan,
)
from assessments.models import PlanOutcome as SupportPlanOutcome
from carecase import codes
from carecase.audit.models import RestrictedAccessGrant
from carecase.people import search_keys
from carecase.people.models import Person, PersonRelationship
from carecase.records.models import CaseNote, CaseNoteAddendum, Contact
from carecase.staff.models import Allocation, StaffMember, Team
from carecase.staff.services import staff_create
from carecase.waiting import figures, reminders
from carecase.waiting.models import (
    KeepInTouchContact,
    PriorityChange,
    WaitingListEntry,
    WaitingListSnapshot,
)
from reviews.models import Review, ReviewOutcome, ReviewStatus

from . import directpayments as directpayments_demo
from . import safeguarding as safeguarding_demo
from .generator import DEMO_PASSWORD, DemoData

_MISSING = object()


def _next_id(cursor, model) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
    return cursor.fetchone()[0]


def _reset_sequence(cursor, model) -> None:
    table = model._meta.db_table
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
        f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))'
    )


_EVENT_BOOKKEEPING = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "pgh_context_id"}


def _history_insert_triggers() -> list[tuple[type, pghistory.trigger.Event]]:
    return [
        (model, trigger) for model, trigger in pgtrigger.registered()
        if model in TRACKED and isinstance(trigger, pghistory.trigger.Event) and str(trigger.operation) == "INSERT"
    ]


def _history_for_new_rows(cursor, model, trigger: pghistory.trigger.Event, after_id: int, context) -> None:
    """Write the pghistory event for every row with id > after_id, as the insert trigger would have."""
    event = trigger.event_model
    columns = [f.column for f in event._meta.concrete_fields if f.column not in _EVENT_BOOKKEEPING]
    listed = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(
        f'INSERT INTO "{event._meta.db_table}" ({listed}, "pgh_created_at", "pgh_label", "pgh_obj_id", '
        f'"pgh_context_id") SELECT {listed}, NOW(), %s, "id", %s FROM "{model._meta.db_table}" '
        f'WHERE "id" > %s ORDER BY "id"',
        [trigger.label, str(context.id), after_id],
    )


_SPECIAL = ("\\", "\t", "\n", "\r")
_ARRAY_SPECIAL = frozenset(' ,{}"\\')


def _escape(text: str) -> str:
    if any(ch in text for ch in _SPECIAL):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _array_element(item) -> str:
    text = str(item)
    if text == "" or text.upper() == "NULL" or any(ch in _ARRAY_SPECIAL for ch in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, list | tuple):
        return _escape("{" + ",".join(_array_element(item) for item in value) + "}")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return _escape(json.dumps(value))
    return str(value)  # numbers and UUIDs


def copy_lines(cursor, table: str, columns: list[str], rows: Iterable[Sequence], chunk: int = 2000) -> int:
    """COPY rows (sequences in column order) into a table, formatting the text ourselves: several times
    faster than psycopg's per-value adapters for wide rows with arrays."""
    listed = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with cursor.copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
        buffer = []
        for row in rows:
            buffer.append("\t".join([copy_value(v) for v in row]))
            count += 1
            if len(buffer) >= chunk:
                copy.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            copy.write("\n".join(buffer) + "\n")
    return count


def copy_rows(cursor, model, rows: Iterable[dict], *, with_id: bool) -> int:
    """COPY dicts of attname -> value into the model's table. Columns left out take the field default (or ""
    for a text field that may be blank), so a field added to a model later does not break the seed."""
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]

    def ordered():
        for row in rows:
            values = []
            for f in fields:
                value = row.get(f.attname, _MISSING)
                if value is _MISSING:
                    if f.has_default() or (f.empty_strings_allowed and f.blank and not f.null):
                        value = f.get_default()  # "" for a blank text field, as Django would give it
                    elif f.null:
                        value = None
                    else:
                        raise ValueError(f"{model.__name__}.{f.name} has no value and no default")
                values.append(value)
            yield values

    return copy_lines(cursor, model._meta.db_table, [f.column for f in fields], ordered())


def _teams(data: DemoData) -> dict[str, Team]:
    teams = {}
    for index, spec in enumerate(data.profile.teams):
        slug = spec.name.lower().replace(" ", "-").replace(":", "").replace("(", "").replace(")", "")
        slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")[:50]
        team, _ = Team.objects.get_or_create(
            name=spec.name,
            defaults={"kind": spec.kind, "locality": spec.locality, "phone": f"0116 496 0{100 + index:03d}",
                      "email": f"{slug}@example.gov.uk"},
        )
        teams[spec.name] = team
    return teams


def _staff(data: DemoData, teams: dict[str, Team]) -> dict[int, StaffMember]:
    """Create staff through staff_create; the demo sign-ins get the shared demo password."""
    User = get_user_model()
    taken = set(User.objects.filter(username__in=[s.username for s in data.staff]).values_list("username",
                                                                                                 flat=True))
    made: dict[int, StaffMember] = {}
    for row in data.staff:
        team = teams.get(row.team) if row.team else None
        if row.demo and row.username in taken:
            # Seeding again into a database that has the demo sign-ins: reuse them, reset the password.
            user = User.objects.get(username=row.username)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            member = StaffMember.objects.filter(user=user).first()
            if member is None:
                member = StaffMember.objects.create(user=user, role=row.role, team=team, job_title=row.job_title,
                                                    direct_phone=row.direct_phone)
            made[row.key] = member
            continue
        username = row.username
        n = 1
        while username in taken:
            n += 1
            username = f"{row.username}{n}"
        taken.add(username)
        # staff_create passes the password to create_user, which hashes it with set_password and no
        # validators: the demo password is short on purpose and exists only in demo mode.
        made[row.key] = staff_create(
            username=username, first_name=row.first_name, last_name=row.last_name,
            email=f"{username}@example.gov.uk", role=row.role, job_title=row.job_title, team=team,
            direct_phone=row.direct_phone, password=DEMO_PASSWORD if row.demo else None,
        )
    return made


TRACKED = (Person, Allocation, PersonRelationship, Contact, CaseNote, WaitingListEntry, Assessment, AssessmentOutcome,
           SequenceOutcome, SupportPlan, SupportPlanOutcome, ServiceLine, Review, ReviewOutcome)
SNAPSHOT_WEEKS = 52


@transaction.atomic
def load(data: DemoData) -> dict[str, int]:
    """Write everything in one transaction; returns how many rows went into each table."""
    with pghistory.context(command="seed_demo", profile=data.profile.name, seed=data.seed) as context:
        with connection.cursor() as cursor:
            # One seed at a time, and no one adding people while ids are handed out.
            cursor.execute(f'LOCK TABLE "{Person._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE')
        teams = _teams(data)
        staff = _staff(data, teams)
        user_of = {key: member.user_id for key, member in staff.items()}
        member_of = {key: member.id for key, member in staff.items()}
        now = timezone.now()
        counts: dict[str, int] = {"teams": len(teams), "staff": len(staff)}

        with connection.cursor() as cursor:
            before = {model: _next_id(cursor, model) for model in TRACKED}
            cursor.execute(
                "INSERT INTO pghistory_context (id, metadata, created_at, updated_at) VALUES (%s, %s, NOW(), NOW()) "
                "ON CONFLICT (id) DO NOTHING",
                [str(context.id), json.dumps(context.metadata)],
            )
            history_triggers = _history_insert_triggers()
            for model, trigger in history_triggers:
                cursor.execute(f'ALTER TABLE "{model._meta.db_table}" DISABLE TRIGGER "{trigger.get_pgid(model)}"')
            person_base = before[Person]
            person_id = {}
            for offset, row in enumerate(data.people, start=1):
                row.id = person_base + offset
                person_id[row.key] = row.id
            counts["people"] = copy_rows(cursor, Person, (
                {
                    "id": row.id, "uuid": row.uuid, "given_name": row.given_name, "family_name": row.family_name,
                    "preferred_name": row.preferred_name, "date_of_birth": row.date_of_birth,
                    "date_of_death": row.date_of_death, "nhs_number": row.nhs_number,
                    "address_line_1": row.address_line_1, "address_line_2": row.address_line_2,
                    "town": row.town, "postcode": row.postcode, "phone": row.phone, "email": row.email,
                    "preferred_contact_method": row.preferred_contact_method, "gender": row.gender,
                    "ethnicity": row.ethnicity, "first_language": row.first_language,
                    "interpreter_needed": row.interpreter_needed, "communication_needs": row.communication_needs,
                    "communication_notes": row.communication_notes, "client_type": row.client_type,
                    "primary_support_reason": row.primary_support_reason,
                    "accommodation_status": row.accommodation_status, "has_unpaid_carer": row.has_unpaid_carer,
                    "is_restricted": row.is_restricted,
                    "search_keys": search_keys.keys_for_names([row.given_name, row.family_name,
                                                               row.preferred_name]),
                    "created_at": row.known_since, "updated_at": row.known_since,
                }
                for row in data.people
            ), with_id=True)
            _reset_sequence(cursor, Person)

            counts["allocations"] = copy_rows(cursor, Allocation, (
                {
                    "person_id": person_id[a.person.key], "team_id": teams[a.team].id,
                    "worker_id": member_of[a.worker.key] if a.worker else None, "started_at": a.started_at,
                    "ended_at": a.ended_at, "reason": a.reason,
                    "allocated_by_id": user_of[a.allocated_by.key] if a.allocated_by else None,
                }
                for a in data.allocations
            ), with_id=False)

            counts["relationships"] = copy_rows(cursor, PersonRelationship, (
                {
                    "person_id": person_id[r.person.key], "related_to_id": person_id[r.related_to.key],
                    "kind": r.kind, "family_relationship": r.family_relationship,
                    "lives_in_same_household": r.lives_in_same_household, "started_on": r.started_on,
                    "ended_on": None, "notes": r.notes, "created_at": r.created_at,
                }
                for r in data.relationships
            ), with_id=False)

            counts["contacts"] = copy_rows(cursor, Contact, (
                {
                    "event_reference": c.event_reference, "person_id": person_id[c.person.key],
                    "received_at": c.received_at, "route_of_access": c.route_of_access, "made_by": c.made_by,
                    "made_by_name": c.made_by_name, "channel": c.channel, "reason": c.reason,
                    "urgency": c.urgency, "immediate_risk": c.immediate_risk, "has_carer": c.has_carer,
                    "outcome": c.outcome, "layer": c.layer, "concluded_at": c.concluded_at,
                    "team_id": teams[c.team].id, "recorded_by_id": user_of[c.recorded_by.key],
                    "created_at": min(c.received_at, now),
                }
                for c in data.contacts
            ), with_id=False)

            note_base = before[CaseNote]
            note_id = {}
            for offset, note in enumerate(data.notes, start=1):
                note_id[note.key] = note_base + offset
            counts["case notes"] = copy_rows(cursor, CaseNote, (
                {
                    "id": note_id[n.key], "person_id": person_id[n.person.key], "occurred_at": n.occurred_at,
                    "kind": n.kind, "summary": n.summary, "body": n.body, "is_significant": n.is_significant,
                    "author_id": user_of[n.author.key], "created_at": n.created_at, "updated_at": n.created_at,
                }
                for n in data.notes
            ), with_id=True)
            _reset_sequence(cursor, CaseNote)

            counts["addenda"] = copy_rows(cursor, CaseNoteAddendum, (
                {"note_id": note_id[a.note.key], "body": a.body, "author_id": user_of[a.author.key],
                 "created_at": a.created_at}
                for a in data.addenda
            ), with_id=False)

            granted = set()
            grants = []
            for g in data.grants:
                key = (g.person.key, g.user.key)
                if key in granted:
                    continue
                granted.add(key)
                grants.append(RestrictedAccessGrant(
                    person_id=person_id[g.person.key], user_id=user_of[g.user.key],
                    granted_by_id=user_of[g.granted_by.key], reason=g.reason,
                ))
            RestrictedAccessGrant.objects.bulk_create(grants)
            counts["restricted access grants"] = len(grants)

            counts |= _waiting_lists(cursor, data, teams, user_of, person_id, note_id, before[WaitingListEntry])
            counts |= _plans_and_reviews(cursor, data, teams, user_of, person_id, before)

            # Check the deferred foreign keys now: a table with pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model, trigger in history_triggers:
                cursor.execute(f'ALTER TABLE "{model._meta.db_table}" ENABLE TRIGGER "{trigger.get_pgid(model)}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model, trigger in history_triggers:
                _history_for_new_rows(cursor, model, trigger, before[model], context)

            # Fresh statistics so the first searches use the indexes, and the GIN "pending list" merged
            # into the name-search index now: until autovacuum gets to it, every search would scan the
            # thousands of keys just copied in one by one (120 ms instead of 7 ms at city scale).
            for model in (Person, Allocation, PersonRelationship, Contact, CaseNote, WaitingListEntry,
                          PriorityChange, Assessment, SupportPlan, SupportPlanOutcome, ServiceLine, Review):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin' AND i.indrelid = %s::regclass",
                [Person._meta.db_table],
            )
        counts |= _snapshots_and_sweep(data)
        counts |= safeguarding_demo.load(data)
        counts |= directpayments_demo.load(data)
    return counts


def _waiting_lists(cursor, data: DemoData, teams, user_of, person_id, note_id, entry_base: int) -> dict[str, int]:
    lists = data.waiting_lists
    linked = [str(e.contact.event_reference) for e in lists.entries if e.contact is not None]
    cursor.execute(f'SELECT event_reference, id FROM "{Contact._meta.db_table}" WHERE event_reference = ANY(%s::uuid[])',
                   [linked])
    contact_id = {str(ref): pk for ref, pk in cursor.fetchall()}
    entry_id = {e.key: entry_base + offset for offset, e in enumerate(lists.entries, start=1)}
    counts = {"waiting-list entries": copy_rows(cursor, WaitingListEntry, (
        {
            "id": entry_id[e.key], "person_id": person_id[e.person.key], "queue": e.queue, "team_id": teams[e.team].id,
            "contact_id": contact_id[str(e.contact.event_reference)] if e.contact is not None else None,
            "waiting_since": e.waiting_since, "band": e.band, "suggested_band": e.suggested_band,
            "checklist": e.checklist, "priority_ruleset_version": e.ruleset_version,
            "next_contact_due": e.next_contact_due, "left_on": e.left_on, "exit_reason": e.exit_reason,
            "exit_note": e.exit_note, "created_by_id": user_of[e.created_by.key], "created_at": e.created_at,
        }
        for e in lists.entries
    ), with_id=True)}
    _reset_sequence(cursor, WaitingListEntry)
    counts["priority changes"] = copy_rows(cursor, PriorityChange, (
        {
            "entry_id": entry_id[c.entry.key], "from_band": c.from_band, "to_band": c.to_band,
            "suggested_band": c.suggested_band, "reason": c.reason, "note": c.note, "by_id": user_of[c.by.key],
            "at": c.at,
        }
        for c in lists.priority_changes
    ), with_id=False)
    counts["keep-in-touch contacts"] = copy_rows(cursor, KeepInTouchContact, (
        {
            "entry_id": entry_id[k.entry.key], "case_note_id": note_id[k.note.key], "result": k.result,
            "made_contact": k.made_contact, "by_id": user_of[k.by.key], "at": k.at, "next_due": k.next_due,
        }
        for k in lists.keep_in_touch
    ), with_id=False)
    return counts


def _plans_and_reviews(cursor, data: DemoData, teams, user_of, person_id, before) -> dict[str, int]:
    """Assessments, plans, services, approvals and reviews (plans.py), by COPY with the dates they happened."""
    made = data.plans
    for offset, a in enumerate(made.assessments, start=1):
        a.id = before[Assessment] + offset
    for offset, row in enumerate(made.sequence_outcomes, start=1):
        row.id = before[SequenceOutcome] + offset
    outcome_base = before[SupportPlanOutcome]
    review_base = before[Review]
    reviews = []
    for offset, plan in enumerate(made.plans, start=1):
        plan.id = before[SupportPlan] + offset
        for outcome in plan.outcomes:
            outcome_base += 1
            outcome.id = outcome_base
        for review in plan.reviews:
            review_base += 1
            review.id = review_base
            reviews.append(review)
    psr_label = dict(codes.PrimarySupportReason.choices)
    serialised: dict[int, str] = {}

    def as_json(value: dict) -> str:
        """The engines' answers are shared between rows (each different answer was evaluated once): write each
        one's JSON once."""
        if id(value) not in serialised:
            serialised[id(value)] = json.dumps(value)
        return serialised[id(value)]

    counts = {"assessments": copy_rows(cursor, Assessment, (
        {
            "id": a.id, "event_reference": a.event_reference, "person_id": person_id[a.person.key],
            "assessment_type": "needs", "kind": "adult", "status": "authorised", "started_on": a.started_on,
            "completed_on": a.completed_on, "worker_id": user_of[a.worker.key], "what_matters": a.what_matters,
            "strengths": a.strengths, "networks": a.networks, "wellbeing_areas": a.wellbeing_areas,
            "impairment_or_illness": True,
            "impairment_note": f"Primary support reason: {psr_label.get(a.person.primary_support_reason, '')}.",
            "significant_impact_on_wellbeing": True, "capacity_doubt": a.capacity_doubt,
            "capacity_outcome": "Has capacity to take part in the assessment and to decide about support, with "
                                "time and easy read information." if a.capacity_doubt else "",
            "substantial_difficulty": False, "appropriate_person": a.person.carer is not None,
            "carer_details": a.networks if a.person.carer is not None else "",
            "carer_assessment_offered": True if a.person.carer is not None else None,
            "eligibility_ruleset_version": a.ruleset_version, "eligibility_result": as_json(a.eligibility_result),
            "engine_eligible": True, "practitioner_agrees": True, "eligible": True,
            "created_at": a.started_at, "updated_at": a.authorised_at,
        }
        for a in made.assessments
    ), with_id=True)}
    _reset_sequence(cursor, Assessment)
    copy_rows(cursor, AssessmentOutcome, (
        {"assessment_id": a.id, "code": code, "statuses": statuses, "description": description}
        for a in made.assessments for code, statuses, description in a.outcomes
    ), with_id=False)
    copy_rows(cursor, AssessmentTransition, (
        {"assessment_id": a.id, "from_status": from_status, "to_status": to_status, "by_id": user_of[by.key],
         "at": at, "reason": ""}
        for a in made.assessments
        for from_status, to_status, by, at in (("", "draft", a.worker, a.started_at),
                                               ("draft", "submitted", a.worker, a.submitted_at),
                                               ("submitted", "authorised", a.authorised_by, a.authorised_at))
    ), with_id=False)
    copy_rows(cursor, SequenceOutcome, (
        {
            "id": row.id, "assessment_id": row.assessment.id, "code": row.code, "label": row.label,
            "national_outcome": row.national_outcome, "existing_support": False, "steps": as_json(row.steps),
            "done_differently": {}, "formal_support_requested": row.formal,
            "crisis_override_reason": row.crisis_override_reason, "status": row.status,
            "result": as_json(row.result),
            "ruleset_version": row.ruleset_version,
        }
        for row in made.sequence_outcomes
    ), with_id=True)
    _reset_sequence(cursor, SequenceOutcome)
    counts["support plans"] = copy_rows(cursor, SupportPlan, (
        {
            "id": p.id, "event_reference": p.event_reference, "person_id": person_id[p.person.key],
            "assessment_id": p.assessment.id, "status": "active", "starts_on": p.starts_on,
            "assessed_contribution_weekly": p.contribution, "review_due_on": p.open_review.due_on,
            "created_by_id": user_of[p.created_by.key], "approved_by_id": user_of[p.approved_by.key],
            "approved_at": p.approved_at, "created_at": p.created_at, "updated_at": p.approved_at,
        }
        for p in made.plans
    ), with_id=True)
    _reset_sequence(cursor, SupportPlan)
    limits = approval.current_rules()
    copy_rows(cursor, ApprovalRequest, (
        {
            "plan_id": p.id, "requested_by_id": user_of[p.created_by.key], "requested_at": p.requested_at,
            "weekly_cost": p.weekly_cost, "yearly_cost": approval.yearly_cost(p.weekly_cost, limits),
            "level": p.level, "limits_version": limits["version"], "long_term": True,
            "sequence_result": as_json(p.sequence_result), "sequence_ruleset_version": p.sequence_result["ruleset_version"],
            "crisis_override": p.crisis_override, "status": "approved", "decided_by_id": user_of[p.approved_by.key],
            "decided_at": p.approved_at, "reason": "",
        }
        for p in made.plans
    ), with_id=False)
    copy_rows(cursor, SupportPlanOutcome, (
        {"id": o.id, "plan_id": p.id, "sequence_outcome_id": o.sequence.id, "label": o.label, "how_met": o.how_met,
         "by_whom": o.by_whom}
        for p in made.plans for o in p.outcomes
    ), with_id=True)
    _reset_sequence(cursor, SupportPlanOutcome)
    counts["services"] = copy_rows(cursor, ServiceLine, (
        {
            "event_reference": s.event_reference, "plan_id": p.id, "outcome_id": s.outcome.id if s.outcome else None,
            "service_type": s.service_type, "component": s.component, "provider": s.provider,
            "units_per_week": s.units_per_week, "unit": s.unit, "unit_cost": s.unit_cost,
            "delivery_mechanism": s.delivery_mechanism, "starts_on": s.starts_on, "ends_on": None,
        }
        for p in made.plans for s in p.services
    ), with_id=False)
    counts["reviews"] = copy_rows(cursor, Review, (
        {
            "id": r.id, "person_id": person_id[r.plan.person.key], "plan_id": r.plan.id, "kind": r.kind,
            "route": "worker", "status": ReviewStatus.COMPLETED if r.completed_on else ReviewStatus.SCHEDULED,
            "window_opens_on": r.window_opens_on, "due_on": r.due_on, "team_id": teams[r.team].id,
            "reviewer_id": user_of[r.completed_by.key] if r.completed_by else None, "what_works": r.what_works,
            "what_does_not": r.what_does_not, "changes": r.changes, "carer_able_willing": r.carer_able_willing,
            "result": r.result, "cld_outcome": r.cld_outcome, "completed_on": r.completed_on,
            "completed_by_id": user_of[r.completed_by.key] if r.completed_by else None,
            "next_review_due_on": r.next_review_due_on, "created_by_id": user_of[r.created_by.key],
            "created_at": r.created_at,
        }
        for r in reviews
    ), with_id=True)
    _reset_sequence(cursor, Review)
    copy_rows(cursor, ReviewOutcome, (
        {"review_id": r.id, "plan_outcome_id": o.id,
         "still_met": "partly" if r.result == "plan_changed" and i == 0 else "yes", "note": ""}
        for r in reviews if r.completed_on for i, o in enumerate(r.plan.outcomes)
    ), with_id=False)
    return counts


def _snapshots_and_sweep(data: DemoData) -> dict[str, int]:
    """A year of weekly snapshots back from the seed date (days before today are rebuilt from join and leave
    dates and marked reconstructed, by take_snapshot itself), then the daily sweep, so each team's duty
    worktray holds the keep-in-touch contacts due by the seed date. A seed date in the future has neither."""
    today = timezone.localdate()
    days = [data.as_of - timedelta(weeks=k) for k in range(SNAPSHOT_WEEKS)]
    before = WaitingListSnapshot.objects.count()
    for day in reversed(days):
        if day <= today:
            figures.take_snapshot(on=day)
    counts = {"waiting-list snapshot rows": WaitingListSnapshot.objects.count() - before}
    if data.as_of <= today:
        swept = reminders.sweep_due_reminders(today=data.as_of, worker="seed_demo")
        counts["keep-in-touch contacts due in duty worktrays"] = swept.delivered
    return counts
