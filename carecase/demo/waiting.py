"""Waiting lists for the demo council (GUIDE §4, §6.4), drawn after everyone else, from their own random stream.

The people already drawn by generator.py are not changed: this module only decides which of them wait in
which queue, since when, at what priority and with what keep-in-touch history. It has a random stream of its
own, so adding or changing waiting lists never moves a name, a date of birth or a case note.

- Needs assessment: everyone in the `waiting` cohort (Leicester's published 2,101, their waits in the
  published bands), each from the contact that asked for the assessment, in the team that holds the case.
- Carer's assessment, occupational therapy, direct-payment set-up and DoLS: Leicester's suggested sizes
  (300, 600, 80 and 1,200) scaled by the profile's assessment queue; carers, people at home, people on
  long-term support and care-home residents respectively. Occupational therapy goes to the occupational
  therapy team, direct-payment set-up to the direct payments team, everything else to a locality team.
  There is no "awaiting care" queue in CareCase, and the review queue is left empty here.
- Priority: urgent 1%, high 12%, medium 47%, low 40% in every queue, exactly, with low skewed to the longest
  waits (Leicester says people with lower needs wait longest). Each entry's checklist answers make the
  current rule set suggest its band; a few entries carry a worker's override with a note.
- Keep-in-touch: the next contact falls due around the seed date, so some are overdue and some due today;
  the keep-in-touch calls and letters among the waiting people's case notes are recorded as contacts.
- Left the list in the last year, so waits can be measured after the fact and the weekly snapshots rebuilt
  from join and leave dates show a list that was nearly as long a year ago (without the people who left,
  a rebuilt history would show the list growing fourfold): the long-term people assessed this year; a
  flow of people who waited, were allocated for assessment (or died, moved away or no longer needed it)
  and are new people in their own cohort, "waited"; equipment and adaptations from the occupational
  therapy team; requests that ended because the person died, moved away or declined; and, in the other
  queues, people already on record. About 2,400 left the assessment list in the year at Leicester's
  scale, in line with a list of 2,101 whose waits are in the published bands.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from assessments.engine import waiting_priority
from carecase import codes
from carecase.codes import EventOutcome as Out
from carecase.waiting.models import Band, ChangeReason, ExitReason, KeepInTouchResult, Queue

from . import places

# Leicester's assessment queue (published) and the other queues at Leicester's scale (GUIDE §6.4, suggested).
LEICESTER_ASSESSMENT_QUEUE = 2101
OTHER_QUEUES = {
    Queue.CARER_ASSESSMENT: 300,
    Queue.OCCUPATIONAL_THERAPY: 600,
    Queue.DP_SETUP: 80,
    Queue.DOLS: 1200,
}
PRIORITY_MIX = ((Band.URGENT, 0.01), (Band.HIGH, 0.12), (Band.MEDIUM, 0.47), (Band.LOW, 0.40))
# How strongly low priority goes to the longest waits: the weight of the wait in the ranking score.
LOW_SKEW = 0.9
OVERRIDE_SHARE = 0.03

# How many left each list in the last year at Leicester's scale, beyond the exits that follow from the people
# generator.py already made (long-term people assessed this year, reablement equipment, front-door requests
# that ended): the assessment queue's are new people; the other queues' are people already on record.
# Chosen so that the rebuilt list a year ago is about 85-90% of today's in each queue (carers: Leicester does
# about 1,500 carer's assessments a year, GUIDE §6.4).
LEFT_IN_THE_YEAR = {
    Queue.ASSESSMENT: 2000,
    Queue.CARER_ASSESSMENT: 850,
    Queue.OCCUPATIONAL_THERAPY: 1150,
    Queue.DP_SETUP: 450,
    Queue.DOLS: 1300,
}
# The waits of people who left the assessment list in the year.
LEAVER_WAITS = ((1, 27, 8), (28, 90, 12), (91, 181, 20), (182, 364, 32), (365, 700, 28))
LEAVER_EXITS = (
    (ExitReason.ALLOCATED, "", 78), (ExitReason.NO_LONGER_NEEDED, "", 10), (ExitReason.DIED, "", 6),
    (ExitReason.MOVED_AWAY, "", 4), (ExitReason.OTHER, "Long-term NHS care (continuing healthcare) agreed.", 1),
    (ExitReason.OTHER, "Duplicate of another entry for the same request.", 1),
)
PAST_WAITER = "waited"  # the cohort of the people who left the assessment list in the year

# Days waited in the other queues: (low, high, weight). Carers and direct payments move faster than
# occupational therapy; DoLS applications wait longest (the national backlog).
OTHER_WAITS = {
    Queue.CARER_ASSESSMENT: ((1, 27, 30), (28, 90, 35), (91, 181, 20), (182, 364, 12), (365, 540, 3)),
    Queue.OCCUPATIONAL_THERAPY: ((1, 27, 18), (28, 90, 25), (91, 181, 25), (182, 364, 22), (365, 600, 10)),
    Queue.DP_SETUP: ((1, 27, 45), (28, 90, 40), (91, 181, 15)),
    Queue.DOLS: ((1, 27, 10), (28, 90, 15), (91, 181, 20), (182, 364, 25), (365, 1000, 30)),
}

# Checklist answers that make the rule set suggest each band: (answers that are yes, what the person needs
# for them to make sense). "carer": has an unpaid carer; "alone": lives at home with no carer on record;
# "home": not in a care home. Queues listed prefer these answers (a therapy wait is about falls and equipment).
ANSWERS = {
    Band.URGENT: (
        (("carer_breakdown_risk", "severe_carer_strain"), "carer", ()),
        (("essential_needs_unmet",), "", ()),
        (("lives_alone", "no_network", "recent_fall", "frequent_falls"), "alone", (Queue.OCCUPATIONAL_THERAPY,)),
        (("no_heating_or_food", "self_neglect"), "home", ()),
        (("hospital_discharge_blocked", "leaving_hospital"), "home", ()),
        (("open_safeguarding_concern",), "", (Queue.DOLS,)),
    ),
    Band.HIGH: (
        (("frequent_falls", "recent_fall"), "", (Queue.OCCUPATIONAL_THERAPY,)),
        (("severe_carer_strain",), "carer", (Queue.CARER_ASSESSMENT,)),
        (("deteriorating_health",), "", ()),
        (("lives_alone", "no_network"), "alone", ()),
        (("self_neglect",), "home", ()),
        (("lacks_capacity_no_representative",), "", (Queue.DOLS,)),
        (("leaving_hospital",), "home", ()),
    ),
    Band.MEDIUM: (
        (("moderate_carer_strain",), "carer", (Queue.CARER_ASSESSMENT,)),
        (("recent_fall",), "", (Queue.OCCUPATIONAL_THERAPY,)),
        (("lives_alone",), "alone", ()),
        (("interim_support_unsustainable",), "", (Queue.DP_SETUP, Queue.DOLS)),
        (("lives_alone", "recent_fall"), "alone", (Queue.OCCUPATIONAL_THERAPY,)),
    ),
    Band.LOW: (
        ((), "", (Queue.CARER_ASSESSMENT, Queue.DOLS)),
        (("wants_change_of_service",), "", (Queue.DP_SETUP,)),
        (("minor_equipment",), "", (Queue.OCCUPATIONAL_THERAPY,)),
    ),
}
LOWER = {Band.URGENT: Band.HIGH, Band.HIGH: Band.MEDIUM, Band.MEDIUM: Band.LOW}
OVERRIDE_NOTES = (
    "Spoke to the family: things are harder at home than the checklist shows. Raised one band.",
    "The GP rang with concerns about a decline over the last fortnight; raised while we wait for more detail.",
    "Team leader raised the priority after reading the contact notes: the situation is fragile.",
)
EXIT_FOR_OUTCOME = {
    Out.NFA_DECEASED: (ExitReason.DIED, ""),
    Out.NFA_MOVED: (ExitReason.MOVED_AWAY, ""),
    Out.NFA_DECLINED: (ExitReason.NO_LONGER_NEEDED, ""),
    Out.NFA_SELF_FUNDED: (ExitReason.OTHER, "Arranging and paying for their own care; knows how to get back in touch."),
}


@dataclass(slots=True)
class WaitingEntryRow:
    key: int
    person: object  # generator.PersonRow
    queue: str
    team: str
    waiting_since: date
    created_by: object  # generator.StaffRow
    created_at: datetime
    contact: object | None = None  # generator.ContactRow
    band: str = Band.NOT_RATED
    suggested_band: str = Band.NOT_RATED
    checklist: dict[str, bool] = field(default_factory=dict)
    ruleset_version: str = ""
    next_contact_due: date | None = None
    left_on: date | None = None
    exit_reason: str = ""
    exit_note: str = ""
    override_note: str = ""


@dataclass(slots=True)
class PriorityChangeRow:
    entry: WaitingEntryRow
    from_band: str
    to_band: str
    suggested_band: str
    reason: str
    note: str
    by: object  # generator.StaffRow
    at: datetime


@dataclass(slots=True)
class KeepInTouchRow:
    entry: WaitingEntryRow
    note: object  # generator.NoteRow
    result: str
    made_contact: bool
    by: object
    at: datetime
    next_due: date | None


@dataclass
class WaitingLists:
    entries: list[WaitingEntryRow]
    priority_changes: list[PriorityChangeRow]
    keep_in_touch: list[KeepInTouchRow]


def scaled(profile_waiting: int, leicester_size: int) -> int:
    return round(leicester_size * profile_waiting / LEICESTER_ASSESSMENT_QUEUE)


class WaitingListBuilder:
    """Draws the waiting lists for a council already built by generator.CouncilBuilder."""

    def __init__(self, council, *, long_term, short_term, waiting, contact_only):
        self.council = council
        self.profile = council.profile
        self.as_of: date = council.as_of
        self.latest: datetime = council.latest
        self.rng = random.Random(f"carecase-demo-waiting:{self.profile.name}:{council.seed}")
        # Only for drawing the new people, before anything that depends on the seed date, so they are the
        # same people whatever day the demo is seeded (as everyone else is).
        self.people_rng = random.Random(f"carecase-demo-waited:{self.profile.name}:{council.seed}")
        self.rules = waiting_priority.current_rules()
        self.questions = [code for code, _ in waiting_priority.checklist(self.rules)]
        self.suggestions: dict[tuple[str, ...], waiting_priority.Suggestion] = {}
        self.long_term = long_term
        self.short_term = short_term
        self.waiting = waiting
        self.contact_only = contact_only
        self.entries: list[WaitingEntryRow] = []
        self.changes: list[PriorityChangeRow] = []
        self.keep_in_touch: list[KeepInTouchRow] = []
        self.contacts_of: dict[int, list] = {}
        for contact in council.contacts:
            self.contacts_of.setdefault(contact.person.key, []).append(contact)
        self.allocations_of: dict[int, list] = {}
        for allocation in council.allocations:
            self.allocations_of.setdefault(allocation.person.key, []).append(allocation)
        self.cared_for: dict[int, object] = {}
        for rel in council.relationships:
            if rel.kind == "unpaid_carer":
                self.cared_for.setdefault(rel.person.key, rel.related_to)
        self.kind_of = {spec.name: spec.kind for spec in self.profile.teams}
        self.ot_team = council.team_of_kind[places.OCCUPATIONAL_THERAPY]
        self.dp_team = council.team_of_kind[places.DIRECT_PAYMENTS]
        self.left_over: dict[str, tuple[list, object]] = {}  # queue -> (people not taken, team for them)

    # --- helpers ----------------------------------------------------------------------------------------

    def moment(self, day: date, *, not_before: datetime | None = None) -> datetime:
        """A working-hours moment on `day` (moved off a weekend to the Monday), never after the last working
        moment before the seed date."""
        while day.weekday() >= 5:
            day += timedelta(days=1)
        minute = self.rng.randrange(9 * 60, 17 * 60)
        moment = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.latest.tzinfo)
        if not_before is not None and moment < not_before:
            moment = not_before + timedelta(minutes=self.rng.randint(5, 240))
        return min(moment, self.latest)

    def worker(self, team: str):
        """Someone in the team who triages its waiting list: a practitioner or officer, now and then the leader."""
        staff = self.council.staff_by_team.get(team, [])
        workers = [s for s in staff if s.role in ("practitioner", "dp_officer")]
        if not workers or self.rng.random() < 0.15:
            return self.council.team_leader[team]
        return self.rng.choice(workers)

    def locality_team(self, row) -> str:
        locality = self.profile.locality_merge.get(row.area.locality, row.area.locality)
        return self.council.locality_team.get(locality) or next(
            spec.name for spec in self.profile.teams if spec.kind == places.LOCALITY)

    def holding_team(self, row) -> str:
        """The locality team that holds the person's case: their open allocation's team if that is a locality
        team, else the team they would go to, else the locality team for where they live."""
        for allocation in self.allocations_of.get(row.key, []):
            if allocation.ended_at is None and self.kind_of.get(allocation.team) == places.LOCALITY:
                return allocation.team
        if row.home_team and self.kind_of.get(row.home_team) == places.LOCALITY:
            return row.home_team
        return self.locality_team(row)

    def alive(self, row) -> bool:
        return row.date_of_death is None

    def wait_from(self, bands, rng: random.Random | None = None) -> int:
        rng = rng or self.rng
        total = sum(weight for *_, weight in bands)
        pick = rng.random() * total
        for low, high, weight in bands:
            if pick < weight:
                return rng.randint(low, high)
            pick -= weight
        low, high, _ = bands[-1]
        return rng.randint(low, high)

    def add(self, row, queue: str, team: str, waiting_since: date, *, contact=None, created_by=None,
            created_at: datetime | None = None) -> WaitingEntryRow:
        created_at = created_at or self.moment(waiting_since, not_before=row.known_since)
        entry = WaitingEntryRow(
            key=len(self.entries), person=row, queue=queue, team=team, waiting_since=waiting_since,
            created_by=created_by or self.worker(team), created_at=created_at, contact=contact)
        self.entries.append(entry)
        return entry

    # --- the queues -------------------------------------------------------------------------------------

    def assessment_queue(self) -> list[WaitingEntryRow]:
        made = []
        for row, _psr, _band, _waited in self.waiting:
            asked = [c for c in self.contacts_of.get(row.key, []) if c.outcome == Out.ASSESSMENT]
            contact = min(asked, key=lambda c: c.received_at) if asked else None
            since = (contact.received_at if contact else row.known_since).date()
            created_at = (contact.concluded_at or contact.received_at) if contact else None
            made.append(self.add(row, Queue.ASSESSMENT, self.holding_team(row), since, contact=contact,
                                 created_by=contact.recorded_by if contact else None, created_at=created_at))
        return made

    def other_queue(self, queue: str, pool: list, team_for) -> list[WaitingEntryRow]:
        """`pool`: (person, contact or None) in order of preference; the first ones are taken, up to the size.
        Without a contact, the wait is drawn for the queue (but never from before the council knew them)."""
        wanted = scaled(self.profile.waiting, OTHER_QUEUES[queue])
        made, seen = [], set()
        used = 0
        for row, contact in pool:
            if len(made) >= wanted:
                break
            used += 1
            if row.key in seen or not self.alive(row):
                continue
            seen.add(row.key)
            if contact is not None:
                since = contact.received_at.date()
                created_at = contact.concluded_at or contact.received_at
            else:
                since = self.as_of - timedelta(days=self.wait_from(OTHER_WAITS[queue]))
                since = max(since, row.known_since.date())
                created_at = None
            made.append(self.add(row, queue, team_for(row), since, contact=contact,
                                 created_by=contact.recorded_by if contact else None, created_at=created_at))
        self.left_over[queue] = ([row for row, _ in pool[used:]], team_for)
        return made

    def carers_queue(self) -> list[WaitingEntryRow]:
        carers = [row for row in self.council.people if row.cohort == "carer"]
        asked, others = [], []
        recent = self.as_of - timedelta(days=OTHER_WAITS[Queue.CARER_ASSESSMENT][-1][1])
        for row in carers:
            # Carers who asked for an assessment in the queue's longest wait are still waiting; earlier
            # requests have been met.
            contacts = [c for c in self.contacts_of.get(row.key, [])
                        if c.outcome == Out.ASSESSMENT and c.received_at.date() >= recent]
            if contacts:
                asked.append((row, contacts[-1]))
            else:
                others.append((row, None))
        self.rng.shuffle(others)

        def team(row):
            cared_for = self.cared_for.get(row.key)
            return self.holding_team(cared_for) if cared_for is not None else self.locality_team(row)

        return self.other_queue(Queue.CARER_ASSESSMENT, asked + others, team)

    def therapy_queue(self) -> list[WaitingEntryRow]:
        at_home = [(row, None) for row, *_ in self.long_term if not row.care_home]
        at_home += [(row, None) for row in self.contact_only]
        at_home += [(row, None) for row, *_ in self.waiting]
        self.rng.shuffle(at_home)
        # Mostly older people, as in a real therapy list (most referrals are about falls and getting about).
        older = [p for p in at_home if p[0].age >= 65]
        younger = [p for p in at_home if p[0].age < 65]
        mixed, i, j = [], 0, 0
        while i < len(older) or j < len(younger):  # about four older people to one younger
            for _ in range(4):
                if i < len(older):
                    mixed.append(older[i])
                    i += 1
            if j < len(younger):
                mixed.append(younger[j])
                j += 1
        return self.other_queue(Queue.OCCUPATIONAL_THERAPY, mixed, lambda row: self.ot_team)

    def direct_payments_queue(self) -> list[WaitingEntryRow]:
        setting_up = [row for row, *_ in self.long_term if any(
            a.ended_at is None and a.team == self.dp_team for a in self.allocations_of.get(row.key, []))]
        chosen = {row.key for row in setting_up}
        others = [row for row, *_ in self.long_term if not row.care_home and row.key not in chosen]
        self.rng.shuffle(setting_up)
        self.rng.shuffle(others)
        return self.other_queue(Queue.DP_SETUP, [(r, None) for r in setting_up + others], lambda row: self.dp_team)

    def dols_queue(self) -> list[WaitingEntryRow]:
        in_care_homes = [row for row, *_ in self.long_term if row.care_home]
        self.rng.shuffle(in_care_homes)
        # Memory and cognition first: most applications are for people living with dementia.
        in_care_homes.sort(key=lambda row: row.primary_support_reason != codes.PrimarySupportReason.MEMORY)
        # Not enough care-home residents at this scale: people at home with dementia or a learning disability
        # (applications for supported living go through the Court of Protection, but they wait too).
        others = [row for row, psr, _ in self.long_term if not row.care_home and psr in (
            codes.PrimarySupportReason.MEMORY, codes.PrimarySupportReason.LEARNING_DISABILITY)]
        self.rng.shuffle(others)
        made = self.other_queue(Queue.DOLS, [(r, None) for r in in_care_homes + others], self.holding_team)
        # For those who left the list in the year, older people on long-term support too.
        rest = [row for row, _psr, band in self.long_term if band == "65+" and not row.care_home]
        self.rng.shuffle(rest)
        self.left_over[Queue.DOLS][0].extend(rest)
        return made

    def past_waiters(self) -> list[tuple]:
        """New people who waited for a needs assessment and left the list in the last year: drawn like the
        `waiting` cohort (generator.py), from their own random stream so that they are the same whatever the
        seed date. Their contact, entry and allocation come later, in `past_waiters_records`."""
        from . import generator  # generator imports this module

        council, rng = self.council, self.people_rng
        count = scaled(self.profile.waiting, LEFT_IN_THE_YEAR[Queue.ASSESSMENT])
        exits = [(reason, note) for reason, note, _ in LEAVER_EXITS]
        exit_weights = [weight for *_, weight in LEAVER_EXITS]
        made = []
        saved, council.rng = council.rng, rng  # the council's person helpers draw from council.rng
        try:
            for _ in range(count):
                left_days_ago = rng.randint(1, 364)
                waited = self.wait_from(LEAVER_WAITS, rng)
                band = "18-64" if rng.random() < 0.35 else "65+"
                psr = generator.LONG_TERM_PSR[band].pick(rng)
                days = left_days_ago + waited
                known, rank = council.moment_and_rank(days, days + 0.9)
                row = council.person(PAST_WAITER, age=council.age_for(psr, band),
                                     female=council.gender_for(psr, band), known_since=known, rank=rank)
                council.support_needs(row, psr if rng.random() >= 0.6 else codes.PrimarySupportReason.UNKNOWN,
                                      band)
                council.accommodation(row, psr, band, allow_care_home=False)
                reason, note = rng.choices(exits, exit_weights)[0]
                made.append((row, psr, band, left_days_ago, reason, note))
        finally:
            council.rng = saved
        return made

    def past_waiters_records(self, past) -> list[WaitingEntryRow]:
        """The contact that asked for an assessment, the closed entry and, for those allocated, the allocation
        for the assessment (ended a few weeks later, once assessed, unless that is still to come)."""
        from . import generator

        council = self.council
        made = []
        saved, council.rng = council.rng, self.rng  # council.contact draws from council.rng
        try:
            for row, psr, band, left_days_ago, reason, note in past:
                theme = "memory" if psr == codes.PrimarySupportReason.MEMORY else \
                    "mental_health" if psr == codes.PrimarySupportReason.MENTAL_HEALTH else \
                    self.rng.choice(("falls", "carer_stress", "falls", "provider"))
                urgency = "soon" if self.rng.random() < 0.12 else "routine"
                contact = council.contact(row, received=row.known_since, outcome=Out.ASSESSMENT, theme=theme,
                                          urgency=urgency)
                team = council.team_for(row, psr, band)
                since = contact.received_at.date()
                left_on = min(max(self.as_of - timedelta(days=left_days_ago), since), self.as_of)
                entry = self.add(row, Queue.ASSESSMENT, team, since, contact=contact,
                                 created_by=contact.recorded_by, created_at=contact.concluded_at or contact.received_at)
                entry.left_on, entry.exit_reason, entry.exit_note = left_on, reason, note
                if reason == ExitReason.DIED:
                    row.date_of_death = left_on
                elif reason == ExitReason.ALLOCATED:
                    workers = [s for s in council.staff_by_team.get(team, []) if s.role == "practitioner"]
                    started = self.moment(left_on, not_before=contact.received_at)
                    ended = started + timedelta(days=self.rng.randint(20, 60))
                    council.allocations.append(generator.AllocationRow(
                        person=row, team=team, worker=self.rng.choice(workers) if workers else None,
                        started_at=started, ended_at=ended if ended < self.latest else None,
                        reason="Allocated for a needs assessment", allocated_by=council.team_leader.get(team)))
                made.append(entry)
        finally:
            council.rng = saved
        return made

    def other_queue_flow(self, queue: str, pool: list, team_for, open_entries: list[WaitingEntryRow]) -> list:
        """People already on record who left `queue` in the last year (most allocated, some no longer needing
        it), never someone still waiting in that queue. The wait is drawn first and then the next person in
        `pool` who was known to the council by then takes it, so the waits keep their shape."""
        count = scaled(self.profile.waiting, LEFT_IN_THE_YEAR[queue])
        waiting_now = {entry.person.key for entry in open_entries}
        candidates = iter(row for row in pool if row.key not in waiting_now and self.alive(row))
        passed_over: list = []  # not known yet for an earlier (longer) wait; may suit a later one
        made = []
        for _ in range(count):
            left_on = self.as_of - timedelta(days=self.rng.randint(1, 364))
            since = left_on - timedelta(days=self.wait_from(OTHER_WAITS[queue]))
            person = None
            for index, row in enumerate(passed_over):
                if row.known_since.date() <= since:
                    person = passed_over.pop(index)
                    break
            else:
                for row in candidates:
                    if row.known_since.date() <= since:
                        person = row
                        break
                    passed_over.append(row)
            if person is None:
                continue  # nobody left who was known then
            entry = self.add(person, queue, team_for(person), since)
            entry.left_on = left_on
            entry.exit_reason = ExitReason.ALLOCATED if self.rng.random() < 0.85 else ExitReason.NO_LONGER_NEEDED
            made.append(entry)
        return made

    def left_in_the_last_year(self) -> list[WaitingEntryRow]:
        """Entries closed in the twelve months before the seed date, so waits can be measured afterwards."""
        year_ago = self.as_of - timedelta(days=365)
        made = []
        for row, *_ in self.long_term:
            allocations = self.allocations_of.get(row.key, [])
            if len(allocations) != 1 or not self.alive(row):
                continue  # allocated straight from hospital, or still waiting to be allocated
            allocated = allocations[0].started_at.date()
            asked = [c for c in self.contacts_of.get(row.key, []) if c.outcome == Out.ASSESSMENT
                     and c.received_at.date() <= allocated]
            if not asked or not year_ago <= allocated <= self.as_of:
                continue
            contact = min(asked, key=lambda c: c.received_at)
            entry = self.add(row, Queue.ASSESSMENT, self.holding_team(row), contact.received_at.date(),
                             contact=contact, created_by=contact.recorded_by,
                             created_at=contact.concluded_at or contact.received_at)
            entry.left_on, entry.exit_reason = allocated, ExitReason.ALLOCATED
            made.append(entry)
        for row, *_ in self.short_term:
            for allocation in self.allocations_of.get(row.key, []):
                started = allocation.started_at.date()
                if allocation.team == self.ot_team and year_ago <= started <= self.as_of:
                    entry = self.add(row, Queue.OCCUPATIONAL_THERAPY, self.ot_team, row.known_since.date())
                    entry.left_on = max(started, entry.waiting_since)
                    entry.exit_reason = ExitReason.ALLOCATED
                    made.append(entry)
                    break
        for row in self.contact_only:
            for contact in self.contacts_of.get(row.key, []):
                if contact.outcome not in EXIT_FOR_OUTCOME or contact.concluded_at is None:
                    continue
                if contact.received_at.date() < year_ago or self.rng.random() > 0.25:
                    continue
                reason, note = EXIT_FOR_OUTCOME[contact.outcome]
                entry = self.add(row, Queue.ASSESSMENT, self.holding_team(row), contact.received_at.date(),
                                 contact=contact, created_by=contact.recorded_by, created_at=contact.received_at)
                left = contact.concluded_at.date()
                if reason == ExitReason.DIED and row.date_of_death:
                    left = max(left, row.date_of_death)
                entry.left_on = min(max(left, entry.waiting_since), self.as_of)
                entry.exit_reason, entry.exit_note = reason, note
                made.append(entry)
                break
        return made

    # --- priority, checklist, keep-in-touch ---------------------------------------------------------------

    def set_bands(self, entries: list[WaitingEntryRow]) -> None:
        """Exactly the priority mix, by ranking: a random draw, pushed up by an urgent contact and down by a
        long wait, so low priority collects the oldest waits. At least one urgent entry in a queue of ten
        or more, so the demo always shows one."""
        if not entries:
            return
        n = len(entries)
        quotas = [(band, math.floor(n * share + 0.5)) for band, share in PRIORITY_MIX[:-1]]
        if n >= 10 and quotas[0][1] == 0:
            quotas[0] = (Band.URGENT, 1)
        quotas.append((Band.LOW, n - sum(q for _, q in quotas)))
        scored = []
        for entry in entries:
            waited = (self.as_of - entry.waiting_since).days
            score = self.rng.random() - LOW_SKEW * min(waited, 730) / 730
            if entry.contact is not None and entry.contact.urgency == "urgent":
                score += 1.0
            elif entry.contact is not None and entry.contact.urgency == "soon":
                score += 0.3
            scored.append((score, entry.key, entry))
        scored.sort(key=lambda item: (-item[0], item[1]))
        position = 0
        for band, quota in quotas:
            for _, _, entry in scored[position:position + quota]:
                entry.band = band
            position += quota

    def answers_for(self, band: str, entry: WaitingEntryRow) -> dict[str, bool]:
        row = entry.person
        has_carer = row.carer is not None or entry.queue == Queue.CARER_ASSESSMENT
        at_home = not row.care_home
        fits = {"": True, "carer": has_carer, "home": at_home, "alone": at_home and row.carer is None}
        options = [(yes, queues) for yes, need, queues in ANSWERS[band] if fits[need]]
        preferred = [yes for yes, queues in options if entry.queue in queues]
        if preferred and self.rng.random() < 0.7:
            yes = self.rng.choice(preferred)
        else:
            yes = self.rng.choice([yes for yes, _ in options])
        return {code: code in yes for code in self.questions}

    def triage(self, entry: WaitingEntryRow) -> None:
        """Checklist answers for the entry's band, the suggestion they give, and now and then a worker's
        override one band up (with the note the database insists on)."""
        suggested_band = entry.band
        if entry.band in (Band.HIGH, Band.MEDIUM) and self.rng.random() < OVERRIDE_SHARE:
            suggested_band = LOWER[entry.band]
            entry.override_note = self.rng.choice(OVERRIDE_NOTES)
        entry.checklist = self.answers_for(suggested_band, entry)
        yes = tuple(code for code, answer in entry.checklist.items() if answer)
        if yes not in self.suggestions:  # a few dozen different answer sets: evaluate each once
            self.suggestions[yes] = waiting_priority.suggest(entry.checklist, self.rules)
        suggestion = self.suggestions[yes]
        if suggestion.band != suggested_band:  # a template that no longer fits the rule file
            raise ValueError(f"Demo checklist {entry.checklist} suggests {suggestion.band}, not {suggested_band}")
        entry.suggested_band = suggestion.band
        entry.ruleset_version = suggestion.ruleset_version

    def next_contact(self, entry: WaitingEntryRow) -> None:
        """When the next keep-in-touch contact is due: for most, in the coming interval; about one in twenty due
        today and about one in five past due (some past the grace period, so overdue). Someone who joined less
        than an interval ago is first due an interval after joining."""
        interval = waiting_priority.interval_days(entry.band, self.rules)
        first_due = entry.waiting_since + timedelta(days=interval)
        if first_due >= self.as_of:
            entry.next_contact_due = first_due
            return
        roll = self.rng.random()
        if roll < 0.06:
            offset = 0
        elif roll < 0.26:
            offset = -self.rng.randint(1, min(interval, 21))
        else:
            offset = self.rng.randint(1, interval)
        entry.next_contact_due = max(self.as_of + timedelta(days=offset), entry.waiting_since + timedelta(days=1))

    def history(self, entry: WaitingEntryRow) -> None:
        """The first triage, and for the waiting people's keep-in-touch case notes, a contact each (a call that
        found things had changed looks at the priority again)."""
        triaged_at = self.moment(entry.created_at.date() + timedelta(days=self.rng.choice((0, 0, 1))),
                                 not_before=entry.created_at)
        if entry.left_on is not None and triaged_at.date() > entry.left_on:
            triaged_at = entry.created_at + timedelta(minutes=30)
        notes = self.council.keep_in_touch_notes.get(entry.person.key, []) \
            if entry.queue == Queue.ASSESSMENT and entry.left_on is None else []
        notes = [(note, kind) for note, kind in notes if note.created_at > triaged_at]
        changed = next((note for note, kind in notes if kind == 1), None)
        first_band = entry.band
        if changed is not None and entry.band in LOWER and not entry.override_note:
            first_band = LOWER[entry.band]
        self.changes.append(PriorityChangeRow(
            entry=entry, from_band="", to_band=first_band,
            suggested_band=entry.suggested_band if first_band == entry.band else first_band,
            reason=ChangeReason.TRIAGE, note=entry.override_note if first_band == entry.band else "",
            by=self.worker(entry.team), at=triaged_at))
        for note, kind in notes:
            band_then = first_band if changed is None or note.created_at <= changed.created_at else entry.band
            result = KeepInTouchResult.CHANGED if kind == 1 else KeepInTouchResult.NO_CHANGE
            interval = waiting_priority.interval_days(band_then, self.rules)
            self.keep_in_touch.append(KeepInTouchRow(
                entry=entry, note=note, result=result, made_contact=kind != 2, by=note.author, at=note.created_at,
                next_due=note.occurred_at.date() + timedelta(days=interval)))
            if note is changed and first_band != entry.band:
                self.changes.append(PriorityChangeRow(
                    entry=entry, from_band=first_band, to_band=entry.band, suggested_band=entry.suggested_band,
                    reason=ChangeReason.KEEP_IN_TOUCH, note="", by=self.council.team_leader[entry.team],
                    at=min(note.created_at + timedelta(hours=2), self.latest)))

    def build(self) -> WaitingLists:
        past = self.past_waiters()  # first: new people, drawn before anything that depends on the date
        queues = {
            Queue.ASSESSMENT: self.assessment_queue(),
            Queue.CARER_ASSESSMENT: self.carers_queue(),
            Queue.OCCUPATIONAL_THERAPY: self.therapy_queue(),
            Queue.DP_SETUP: self.direct_payments_queue(),
            Queue.DOLS: self.dols_queue(),
        }
        for entries in queues.values():
            self.set_bands(entries)
        closed = self.left_in_the_last_year() + self.past_waiters_records(past)
        for queue, (pool, team_for) in self.left_over.items():
            closed += self.other_queue_flow(queue, pool, team_for, queues[queue])
        for entry in closed:
            entry.band = self.rng.choices([b for b, _ in PRIORITY_MIX], [s for _, s in PRIORITY_MIX])[0]
        for entry in self.entries:
            self.triage(entry)
            if entry.left_on is None:
                self.next_contact(entry)
            self.history(entry)
        self.changes.sort(key=lambda c: (c.at, c.entry.key))
        self.keep_in_touch.sort(key=lambda k: (k.at, k.entry.key))
        return WaitingLists(self.entries, self.changes, self.keep_in_touch)
