"""Generates a synthetic council's people, staff and records as plain rows, without touching the database.

Everything is drawn from one `random.Random` seeded with the profile and seed, and nothing iterates over a
set or hashes a string, so the same profile, seed and `as_of` date always give the same rows in the same
order. Who the people are (names, ages, addresses, NHS numbers, the order of their ids) does not depend on
`as_of` either: the random draws that make them never depend on a date, so seeding on another day gives the
same people, with dates of birth and events moved along to that day. `loader.py` writes the rows.

The people come in cohorts that follow Leicester's published figures (GUIDE §6.1, §6.4):

- long-term support: primary support reason by age group as published; about 29% of older people and 17%
  of working-age people in care homes; most allocated to a team, some to a named worker;
- short-term support in the last year: mostly reablement after a hospital stay, nearly all now ended;
- waiting for assessment: the published wait bands, allocated to a team's queue with no worker;
- contact only: people whose request in the last year ended at the front door (information and advice,
  equipment, no service);
- unpaid carers and family of the people above, some also attorneys, deputies or nominated people; and a
  few independent advocates.

Then the waiting lists (waiting.py) and the care and support plans with their reviews (plans.py), each from a
random stream of its own, so they never move anyone above.
"""

from __future__ import annotations

import bisect
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from carecase import codes
from carecase.codes import AccommodationStatus as Acc
from carecase.codes import EventOutcome as Out
from carecase.codes import PrimarySupportReason as PSR

from . import names, places, texts
from .plans import PlanBuilder, Plans
from .profiles import Profile
from .waiting import WaitingListBuilder, WaitingLists

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "carecase-demo"
CASES_PER_WORKER = 25  # Leicestershire's published norm (GUIDE §6.2)

LONG_TERM = "long_term"
SHORT_TERM = "short_term"
WAITING = "waiting"
CONTACT_ONLY = "contact_only"
CARER = "carer"
FAMILY = "family"
ADVOCATE = "advocate"

# Layer for each request outcome, as in carecase.records.services.LAYER_FOR_OUTCOME (GUIDE §2.1).
LAYER = {
    Out.NFA_INFO: codes.Layer.PREVENT,
    Out.SUPPORT_PLANNING: codes.Layer.REDUCE,
    Out.REABLEMENT: codes.Layer.DELAY,
    Out.ASSESSMENT: codes.Layer.MEET,
}


class Weighted:
    """A fixed weighted choice, drawn with one random() call."""

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.items = [item for item, _ in pairs]
        self.cumulative = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


# Long-term support by primary support reason, Leicester 2023/24 (GUIDE §6.1).
LONG_TERM_PSR = {
    "18-64": Weighted([
        (PSR.ACCESS_MOBILITY, 74), (PSR.PERSONAL_CARE, 571), (PSR.VISUAL, 14), (PSR.HEARING, 12),
        (PSR.DUAL_SENSORY, 6), (PSR.MEMORY, 30), (PSR.LEARNING_DISABILITY, 754), (PSR.MENTAL_HEALTH, 687),
        (PSR.SUBSTANCE, 11), (PSR.ASYLUM, 1), (PSR.ISOLATION, 61),
    ]),
    "65+": Weighted([
        (PSR.ACCESS_MOBILITY, 126), (PSR.PERSONAL_CARE, 1999), (PSR.VISUAL, 12), (PSR.HEARING, 9),
        (PSR.DUAL_SENSORY, 3), (PSR.MEMORY, 179), (PSR.LEARNING_DISABILITY, 131), (PSR.MENTAL_HEALTH, 358),
        (PSR.SUBSTANCE, 3), (PSR.ISOLATION, 38),
    ]),
}
LONG_TERM_WORKING_AGE_SHARE = 2221 / 5079
SHORT_TERM_WORKING_AGE_SHARE = 299 / 1395
REQUEST_WORKING_AGE_SHARE = 4536 / 12884
SHORT_TERM_PSR = Weighted([
    (PSR.PERSONAL_CARE, 55), (PSR.ACCESS_MOBILITY, 30), (PSR.MEMORY, 5), (PSR.MENTAL_HEALTH, 5),
    (PSR.VISUAL, 2), (PSR.ISOLATION, 3),
])

# Ages within a band. Older people on support are mostly over 80 (home care: 46.7% aged 80+).
OLDER_AGES = Weighted([((65, 69), 10), ((70, 79), 28), ((80, 89), 40), ((90, 101), 22)])
WORKING_AGES = {
    PSR.LEARNING_DISABILITY: Weighted([((18, 29), 35), ((30, 44), 35), ((45, 64), 30)]),
    PSR.MENTAL_HEALTH: Weighted([((18, 29), 15), ((30, 44), 35), ((45, 64), 50)]),
    "other": Weighted([((18, 29), 8), ((30, 44), 17), ((45, 64), 75)]),
}

# Care-home shares from the delivery table: residential + nursing over everyone on long-term support.
CARE_HOME_RATE = {"65+": 0.27, "65+memory": 0.5, PSR.LEARNING_DISABILITY: 0.25, PSR.MENTAL_HEALTH: 0.15,
                  "18-64": 0.10}
ACCOMMODATION = {
    "65+": Weighted([(Acc.OWNER, 45), (Acc.TENANT_SOCIAL, 25), (Acc.FAMILY_SETTLED, 10), (Acc.SHELTERED, 10),
                     (Acc.TENANT_PRIVATE, 5), (Acc.UNKNOWN, 3), (Acc.HOSPITAL, 2)]),
    PSR.LEARNING_DISABILITY: Weighted([(Acc.FAMILY_SETTLED, 35), (Acc.SUPPORTED, 35), (Acc.TENANT_SOCIAL, 15),
                                       (Acc.SHARED_LIVES, 8), (Acc.OWNER, 2), (Acc.UNKNOWN, 5)]),
    PSR.MENTAL_HEALTH: Weighted([(Acc.TENANT_SOCIAL, 35), (Acc.TENANT_PRIVATE, 15), (Acc.SUPPORTED, 20),
                                 (Acc.FAMILY_SETTLED, 15), (Acc.OWNER, 5), (Acc.TEMPORARY, 3), (Acc.HOSTEL, 2),
                                 (Acc.UNKNOWN, 5)]),
    PSR.SUBSTANCE: Weighted([(Acc.TENANT_SOCIAL, 40), (Acc.HOSTEL, 25), (Acc.ROUGH_SLEEPER, 10),
                             (Acc.TEMPORARY, 15), (Acc.UNKNOWN, 10)]),
    PSR.ASYLUM: Weighted([(Acc.TEMPORARY, 70), (Acc.SHORT_TERM_GUEST, 30)]),
    "18-64": Weighted([(Acc.OWNER, 30), (Acc.TENANT_SOCIAL, 35), (Acc.FAMILY_SETTLED, 20),
                       (Acc.TENANT_PRIVATE, 10), (Acc.UNKNOWN, 5)]),
}

# Wait bands for the assessment queue (GUIDE §6.4): days waited and how many people.
WAIT_BANDS = Weighted([((1, 28), 210), ((29, 91), 357), ((92, 182), 525), ((183, 365), 588), ((366, 730), 421)])

# Outcomes of requests that ended at the front door, tuned so the year's mix lands near Leicester's:
# about a third information and advice, a third no service for other reasons, then short-term support,
# equipment and long-term support (GUIDE §2.1).
CONTACT_ONLY_OUTCOMES = Weighted([
    (Out.NFA_INFO, 44), (Out.NFA_NO_SERVICES, 17), (Out.NFA_DECLINED, 8), (Out.NFA_SELF_FUNDED, 7),
    (Out.NFA_NHS, 2), (Out.NFA_MOVED, 1), (Out.NFA_OTHER, 6), (Out.NFA_DECEASED, 3), (Out.SUPPORT_PLANNING, 10),
    (Out.REABLEMENT, 1), ("", 1),
])
RECONTACT_OUTCOMES = Weighted([
    (Out.NFA_INFO, 35), (Out.SUPPORT_PLANNING, 30), (Out.REABLEMENT, 10), ("safeguarding", 10),
    (Out.HOSPITAL, 5), (Out.END_OF_LIFE, 5), (Out.NFA_OTHER, 5),
])
THEMES_FOR_OUTCOME = {
    Out.NFA_INFO: ("information",),
    Out.NFA_NO_SERVICES: ("information", "falls", "equipment"),
    Out.NFA_DECLINED: ("falls", "memory", "carer_stress"),
    Out.NFA_SELF_FUNDED: ("information", "self_funder"),
    Out.NFA_NHS: ("hospital_discharge",),
    Out.NFA_MOVED: ("information",),
    Out.NFA_OTHER: ("information", "falls"),
    Out.NFA_DECEASED: ("hospital_discharge", "falls"),
    Out.SUPPORT_PLANNING: ("equipment",),
    Out.REABLEMENT: ("hospital_discharge", "falls"),
    Out.HOSPITAL: ("falls", "provider"),
    Out.END_OF_LIFE: ("hospital_discharge",),
    "": ("falls", "information", "memory"),
    "safeguarding": ("safeguarding",),
}

CARER_RELATIONS = {
    "older": Weighted([("spouse", 45), ("daughter", 30), ("son", 15), ("daughter-in-law", 5), ("friend", 5)]),
    PSR.LEARNING_DISABILITY: Weighted([("mother", 55), ("father", 20), ("sibling", 15), ("friend", 10)]),
    "working": Weighted([("spouse", 45), ("mother", 25), ("child", 20), ("friend", 10)]),
}
HOUSEHOLD_RATE = {"spouse": 0.95, "mother": 0.85, "father": 0.85, "daughter": 0.3, "son": 0.3, "child": 0.3,
                  "sibling": 0.3, "daughter-in-law": 0.2, "friend": 0.02}


@dataclass(slots=True)
class PersonRow:
    key: int
    cohort: str
    pool: names.NamePool
    area: places.Area
    given_name: str
    family_name: str
    preferred_name: str
    gender: str
    date_of_birth: date
    ethnicity: str
    first_language: str
    interpreter_needed: bool
    known_since: datetime
    age: int = 0  # on as_of; drawn, so it is the same whatever the date
    rank: float = 0.0  # days before as_of the person became known, before moving off weekends: orders ids
    nhs_number: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    preferred_contact_method: str = codes.ContactMethod.PHONE
    communication_needs: list[str] = field(default_factory=list)
    communication_notes: str = ""
    client_type: str = codes.ClientType.PERSON
    primary_support_reason: str = PSR.UNKNOWN
    accommodation_status: str = Acc.UNKNOWN
    has_unpaid_carer: bool = False
    is_restricted: bool = False
    date_of_death: date | None = None
    uuid: uuid.UUID | None = None
    care_home: str = ""
    interest: str = ""
    carer: PersonRow | None = None
    carer_relation: str = ""  # what the carer is to this person: "daughter", "wife"
    home_team: str = ""  # the team that would hold the case
    cared_for_relation: str = ""  # on a carer's row: what the cared-for person is to them: "mum"
    id: int = 0

    @property
    def first(self) -> str:
        return self.preferred_name or self.given_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_female(self) -> bool:
        return self.gender == codes.Gender.FEMALE

    def age_on(self, on: date) -> int:
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@dataclass(slots=True)
class StaffRow:
    key: int
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None
    job_title: str
    direct_phone: str
    demo: bool = False


@dataclass(slots=True)
class AllocationRow:
    person: PersonRow
    team: str
    worker: StaffRow | None
    started_at: datetime
    ended_at: datetime | None
    reason: str
    allocated_by: StaffRow | None


@dataclass(slots=True)
class ContactRow:
    person: PersonRow
    received_at: datetime
    route_of_access: str
    made_by: str
    made_by_name: str
    channel: str
    reason: str
    urgency: str
    immediate_risk: bool
    has_carer: bool
    outcome: str
    layer: str
    concluded_at: datetime | None
    team: str
    recorded_by: StaffRow
    event_reference: uuid.UUID


@dataclass(slots=True)
class NoteRow:
    key: int
    person: PersonRow
    occurred_at: datetime
    kind: str
    summary: str
    body: str
    is_significant: bool
    author: StaffRow
    created_at: datetime


@dataclass(slots=True)
class AddendumRow:
    note: NoteRow
    body: str
    author: StaffRow
    created_at: datetime


@dataclass(slots=True)
class RelationshipRow:
    person: PersonRow
    related_to: PersonRow
    kind: str
    family_relationship: str
    lives_in_same_household: bool
    started_on: date | None
    notes: str
    created_at: datetime


@dataclass(slots=True)
class GrantRow:
    person: PersonRow
    user: StaffRow
    granted_by: StaffRow
    reason: str


@dataclass
class DemoData:
    profile: Profile
    seed: int
    as_of: date
    people: list[PersonRow]
    staff: list[StaffRow]
    allocations: list[AllocationRow]
    contacts: list[ContactRow]
    notes: list[NoteRow]
    addenda: list[AddendumRow]
    relationships: list[RelationshipRow]
    grants: list[GrantRow]
    waiting_lists: WaitingLists = field(default_factory=lambda: WaitingLists([], [], []))
    plans: Plans = field(default_factory=lambda: Plans([], [], []))

    def counts(self) -> dict[str, int]:
        return {
            "people": len(self.people),
            "staff": len(self.staff),
            "allocations": len(self.allocations),
            "contacts": len(self.contacts),
            "case notes": len(self.notes),
            "relationships": len(self.relationships),
            "waiting-list entries": len(self.waiting_lists.entries),
            "support plans": len(self.plans.plans),
            "reviews": sum(len(p.reviews) for p in self.plans.plans),
        }


# The demo sign-ins: one per role (username, first name, last name, role, team kind or None, job title).
DEMO_SIGN_INS = (
    ("practitioner", "Priya", "Mistry", "practitioner", "demo", "Social worker"),
    ("team.leader", "Helen", "Walsh", "team_leader", "demo", "Team leader"),
    ("safeguarding.lead", "Marcus", "Campbell", "safeguarding_lead", places.SAFEGUARDING, "Safeguarding lead"),
    ("dp.officer", "Sunita", "Chauhan", "dp_officer", places.DIRECT_PAYMENTS, "Direct payments officer"),
    ("finance.officer", "Gareth", "Lloyd", "finance_officer", None, "Financial assessment officer"),
    ("senior.manager", "Ruth", "Adebayo", "senior_manager", None, "Head of Service, Adult Social Care"),
    ("admin", "Tom", "Hextall", "administrator", None, "Systems administrator"),
)

JOB_TITLES = {
    places.LOCALITY: Weighted([("Social worker", 50), ("Senior social worker", 15), ("Social care practitioner", 25),
                               ("Community care officer", 10)]),
    places.HOSPITAL: Weighted([("Hospital social worker", 60), ("Discharge coordinator", 40)]),
    places.REVIEWING: Weighted([("Reviewing officer", 80), ("Social worker", 20)]),
    places.SAFEGUARDING: Weighted([("Safeguarding social worker", 100)]),
    places.DIRECT_PAYMENTS: Weighted([("Direct payments officer", 100)]),
    places.OCCUPATIONAL_THERAPY: Weighted([("Occupational therapist", 60), ("Occupational therapy assistant", 40)]),
    places.FRONT_DOOR: Weighted([("Contact officer", 70), ("Care management officer", 30)]),
}


class CouncilBuilder:
    """Draws one council. The benchmarks reuse its name, address and NHS-number helpers for bulk people."""

    def __init__(self, profile: Profile, seed: int, as_of: date):
        self.profile = profile
        self.seed = seed
        self.as_of = as_of
        self.rng = random.Random(f"carecase-demo:{profile.name}:{seed}")
        self.latest = datetime.combine(as_of - timedelta(days=1), time(17, 30), tzinfo=LONDON)
        self.people: list[PersonRow] = []
        self.staff: list[StaffRow] = []
        self.allocations: list[AllocationRow] = []
        self.contacts: list[ContactRow] = []
        self.notes: list[NoteRow] = []
        self.addenda: list[AddendumRow] = []
        self.relationships: list[RelationshipRow] = []
        self.grants: list[GrantRow] = []
        # The keep-in-touch calls and letters among the waiting people's case notes: person key -> (note, which
        # of texts.NOTES_WAITING), so waiting.py can record them as keep-in-touch contacts.
        self.keep_in_touch_notes: dict[int, list[tuple[NoteRow, int]]] = {}
        self.used_nhs: set[str] = set()
        self.used_usernames: set[str] = set()
        self.postcodes: dict[tuple[str, str, int], str] = {}
        self.teams = {spec.name: spec for spec in profile.teams}
        self.team_of_kind = {}
        for spec in profile.teams:
            self.team_of_kind.setdefault(spec.kind, spec.name)
        self.locality_team = {}
        for spec in profile.teams:
            if spec.kind == places.LOCALITY and not spec.name.startswith("Working Age"):
                self.locality_team[spec.locality] = spec.name
        self.ethnicity = Weighted(profile.ethnicity)
        self.pools_for = {eth: Weighted([((g, f), w) for g, f, w in combos])
                          for eth, combos in names.ETHNICITY_POOLS.items()}
        self.family_names = {key: Weighted(pool.family) for key, pool in names.POOLS.items()}
        self.care_homes = self._care_homes()
        self.staff_by_team: dict[str, list[StaffRow]] = {}
        self.team_leader: dict[str, StaffRow] = {}

    # --- small helpers -------------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, days_ago_low: float, days_ago_high: float) -> datetime:
        """A working-hours moment between the two numbers of days before `as_of`, on a weekday."""
        return self.moment_and_rank(days_ago_low, days_ago_high)[0]

    def moment_and_rank(self, days_ago_low: float, days_ago_high: float) -> tuple[datetime, float]:
        days = self.rng.uniform(days_ago_low, days_ago_high)
        return self.days_ago(days), days

    def days_ago(self, days: float) -> datetime:
        day = self.as_of - timedelta(days=max(1, int(days)))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        # The time of day comes from the fraction of the day drawn, so no extra draw and no date dependence.
        minute = 8 * 60 + 30 + int((days % 1) * 9 * 60)
        return min(datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LONDON), self.latest)

    def after(self, start: datetime, low_days: float, high_days: float) -> datetime:
        moment = start + timedelta(days=self.rng.uniform(low_days, high_days))
        while moment.weekday() >= 5:
            moment += timedelta(days=1)
        hour_minute = self.rng.randrange(8 * 60 + 30, 17 * 60 + 30)
        moment = moment.replace(hour=hour_minute // 60, minute=hour_minute % 60, second=0, microsecond=0)
        if moment < start:
            moment = start + timedelta(minutes=self.rng.randint(10, 90))
        return min(moment, self.latest)

    def nhs_number(self) -> str:
        # 999 000 000x to 999 999 999x is the range the NHS keeps for testing: never a real person's number.
        while True:
            base = f"999{self.rng.randrange(10**6):06d}"
            total = sum(int(d) * w for d, w in zip(base, range(10, 1, -1), strict=True))
            check = 11 - total % 11
            check = 0 if check == 11 else check
            if check == 10:
                continue
            number = base + str(check)
            if number not in self.used_nhs:
                self.used_nhs.add(number)
                return number

    def phone(self, mobile: bool) -> str:
        n = self.rng.randrange(1000)
        return f"{places.MOBILE_PREFIX}{n:03d}" if mobile else f"{places.LANDLINE_PREFIX}{n:03d}"

    def postcode(self, area: places.Area, street: str, number: int) -> str:
        key = (area.neighbourhood, street, number // 40)
        if key not in self.postcodes:
            sector = self.rng.choice(area.sectors)
            unit = self.rng.choice(places.UNIT_LETTERS) + self.rng.choice(places.UNIT_LETTERS)
            self.postcodes[key] = f"{area.outward} {sector}{unit}"
        return self.postcodes[key]

    def _care_homes(self) -> list[tuple[str, places.Area, str, int]]:
        homes = []
        for name in places.CARE_HOMES:
            area = self.rng.choice(self.profile.areas)
            homes.append((name, area, self.rng.choice(area.streets), self.rng.randrange(1, 200)))
        return homes

    # --- people --------------------------------------------------------------------------------------

    def community(self, ethnicity: str) -> str:
        if ethnicity.startswith("White"):
            return "white"
        if ethnicity in (codes.Ethnicity.INDIAN, codes.Ethnicity.MIXED_WA):
            return "indian"
        if ethnicity in (codes.Ethnicity.PAKISTANI, codes.Ethnicity.BANGLADESHI, codes.Ethnicity.ARAB):
            return "muslim"
        if ethnicity.startswith("Black") or ethnicity in (codes.Ethnicity.MIXED_WBC, codes.Ethnicity.MIXED_WBA):
            return "black"
        return "other"

    def area_for(self, ethnicity: str) -> places.Area:
        community = self.community(ethnicity)
        cache = self.__dict__.setdefault("_area_weights", {})
        if community not in cache:
            cache[community] = Weighted([(area, getattr(area, community)) for area in self.profile.areas])
        return cache[community].pick(self.rng)

    def name_for(self, ethnicity: str, female: bool, older: bool, *, family: str | None = None,
                 family_pool: names.NamePool | None = None):
        """Given name, family name, preferred name and name pool. `older`: born before about 1960."""
        given_key, family_key = self.pools_for[ethnicity].pick(self.rng)
        if family_pool is not None and not ethnicity.startswith("Mixed"):
            # Family members share a community: a Gujarati family, not a Punjabi given name in it.
            given_key = family_key = family_pool.key
        elif family_pool is not None:
            family_key = family_pool.key
        pool = names.POOLS[given_key]
        if female:
            given = self.rng.choice(pool.female_older if older else pool.female_younger)
        else:
            given = self.rng.choice(pool.male_older if older else pool.male_younger)
        preferred = ""
        if older and pool.honorific_rate and self.chance(pool.honorific_rate * (1 if female else 0.25)):
            preferred = given
            given = given + (pool.female_honorific if female else pool.male_honorific)
        elif given in names.NICKNAMES and self.chance(0.25):
            preferred = self.rng.choice(names.NICKNAMES[given])
        fpool = family_pool or names.POOLS[family_key]
        if family is not None:
            # Kaur and Begum are women's names, Singh men's: a husband does not take his wife's.
            if female and family in fpool.male_family and fpool.female_family:
                family = self.rng.choice(fpool.female_family)
            elif not female and family in fpool.female_family:
                family = self.family_names[fpool.key].pick(self.rng)
        if family is None:
            if female and fpool.female_family and self.chance(fpool.female_family_rate * (1 if older else 0.3)):
                family = self.rng.choice(fpool.female_family)
            elif not female and fpool.male_family and self.chance(fpool.male_family_rate):
                family = self.rng.choice(fpool.male_family)
            else:
                family = self.family_names[fpool.key].pick(self.rng)
        family = names.family_form(fpool, family, female)
        return given, family, preferred, pool

    def person(self, cohort: str, *, age: int, female: bool, known_since: datetime, rank: float,
               ethnicity: str | None = None, family: str | None = None, family_pool=None,
               area: places.Area | None = None, address: tuple[str, str, str, str] | None = None) -> PersonRow:
        rng = self.rng
        ethnicity = ethnicity or self.ethnicity.pick(rng)
        # A date of birth that makes them exactly `age` on as_of: the fraction drawn picks the day.
        fraction = rng.random()
        dob = _birth_date(self.as_of, age, fraction)
        since_eighteen = (age - 18) * 365.25 + (1 - fraction) * 365
        if cohort in (LONG_TERM, SHORT_TERM, WAITING, CONTACT_ONLY) and rank > since_eighteen - 20:
            # Adult social care starts at 18: someone known for ten years who is 22 now became known at 18.
            rank = max(1.0 + rank % 1, since_eighteen - 20)
            known_since = self.days_ago(rank)
        older = age >= 66
        given, family_name, preferred, pool = self.name_for(ethnicity, female, older, family=family,
                                                            family_pool=family_pool)
        language = pool.older_language if older else pool.younger_language
        if ethnicity in (codes.Ethnicity.MIXED_WA, codes.Ethnicity.MIXED_WBC, codes.Ethnicity.MIXED_OTHER,
                         codes.Ethnicity.MIXED_WBA):
            language = "English"
        interpreter = language != "English" and self.chance(
            pool.older_interpreter_rate if older else pool.younger_interpreter_rate
        )
        gender = codes.Gender.FEMALE if female else codes.Gender.MALE
        roll = rng.random()
        if roll < 0.003:
            gender = codes.Gender.NOT_STATED
        elif roll < 0.006:
            gender = codes.Gender.OTHER
        row = PersonRow(
            key=len(self.people), cohort=cohort, pool=pool, area=area or self.area_for(ethnicity),
            given_name=given, family_name=family_name, preferred_name=preferred, gender=gender,
            date_of_birth=dob, ethnicity=ethnicity, first_language=language, interpreter_needed=interpreter,
            known_since=known_since, uuid=self.uuid(), age=age, rank=rank,
        )
        row.interest = rng.choice(pool.interests or names.BRITISH.interests)
        if address:
            row.address_line_1, row.address_line_2, row.town, row.postcode = address
        else:
            self.home_address(row)
        if cohort not in (ADVOCATE,) and self.chance(0.93 if cohort != CONTACT_ONLY else 0.85):
            row.nhs_number = self.nhs_number()
        age_now = age
        if self.chance(0.9):
            row.phone = self.phone(mobile=self.chance(0.4 if age_now >= 65 else 0.85))
        if age_now < 65 and self.chance(0.25):
            local = f"{row.given_name}.{row.family_name}".lower().replace(" ", "").replace("'", "")
            row.email = f"{local}{rng.randrange(1, 99)}@example.com"
        if age_now >= 65:
            methods = [("phone", 60), ("letter", 25), ("visit", 10), ("text", 5)]
        else:
            methods = [("phone", 40), ("text", 35), ("email", 20 if row.email else 0), ("letter", 5)]
        row.preferred_contact_method = Weighted(methods).pick(rng)
        if interpreter:
            row.communication_notes = (
                f"Speaks {language}. Book a professional interpreter for assessments and reviews; family "
                "members should not be asked to interpret."
            )
        self.people.append(row)
        return row

    def home_address(self, row: PersonRow) -> None:
        area = row.area
        street = self.rng.choice(area.streets)
        number = self.rng.randrange(1, 240)
        row.address_line_1 = f"{number} {street}"
        if self.chance(0.08):
            row.address_line_1 = f"Flat {self.rng.randrange(1, 24)}, {number} {street}"
        # "Saffron and Eyres Monsell" is one area but two neighbourhoods: an address names one.
        parts = area.neighbourhood.split(" and ")
        row.address_line_2 = parts[area.streets.index(street) % len(parts)] if area.neighbourhood != area.town else ""
        row.town = area.town
        row.postcode = self.postcode(area, street, number)

    def move_to_care_home(self, row: PersonRow) -> None:
        home, area, street, number = self.rng.choice(self.care_homes)
        row.care_home = home
        row.accommodation_status = Acc.CARE_HOME
        row.address_line_1 = home
        row.address_line_2 = f"{number} {street}"
        row.town = area.town
        row.postcode = self.postcode(area, street, number)
        row.area = area
        if row.phone.startswith(places.LANDLINE_PREFIX):
            row.phone = ""

    def support_needs(self, row: PersonRow, psr: str, band: str) -> None:
        row.primary_support_reason = psr
        needs = []
        if psr == PSR.VISUAL:
            needs = [self.rng.choice(["large_print", "audio", "braille"])]
        elif psr == PSR.HEARING:
            needs = [self.rng.choice(["bsl", "hearing_loop"])]
        elif psr == PSR.DUAL_SENSORY:
            needs = ["deafblind"]
        elif psr == PSR.LEARNING_DISABILITY and self.chance(0.7):
            needs = ["easy_read"]
        elif psr == PSR.MEMORY and self.chance(0.3):
            needs = ["advocate_present"]
        elif band == "65+" and self.chance(0.06):
            needs = ["large_print"]
        row.communication_needs = needs
        if needs == ["bsl"]:
            row.communication_notes = "British Sign Language user: book a BSL interpreter for every visit."
            row.preferred_contact_method = "text"
        elif needs == ["easy_read"] and not row.communication_notes:
            row.communication_notes = "Easy read letters, please. Likes time to think before answering."

    def accommodation(self, row: PersonRow, psr: str, band: str, *, allow_care_home: bool = True) -> None:
        if band == "65+":
            rate = CARE_HOME_RATE["65+memory" if psr == PSR.MEMORY else "65+"]
            table = ACCOMMODATION["65+"]
        else:
            rate = CARE_HOME_RATE.get(psr, CARE_HOME_RATE["18-64"])
            table = ACCOMMODATION.get(psr, ACCOMMODATION["18-64"])
        if allow_care_home and self.chance(rate):
            self.move_to_care_home(row)
        else:
            row.accommodation_status = table.pick(self.rng)

    def gender_for(self, psr: str, band: str) -> bool:
        """True for female."""
        if band == "65+":
            return self.chance(0.6)
        if psr == PSR.LEARNING_DISABILITY:
            return self.chance(0.42)
        if psr == PSR.MENTAL_HEALTH:
            return self.chance(0.48)
        return self.chance(0.5)

    def age_for(self, psr: str, band: str) -> int:
        if band == "65+":
            low, high = OLDER_AGES.pick(self.rng)
        else:
            low, high = WORKING_AGES.get(psr, WORKING_AGES["other"]).pick(self.rng)
        return self.rng.randint(low, high)

    def team_for(self, row: PersonRow, psr: str, band: str) -> str:
        if band == "18-64":
            if psr == PSR.LEARNING_DISABILITY:
                return self.by_prefix("Working Age Adults (Learning")
            if psr == PSR.MENTAL_HEALTH:
                return self.by_prefix("Working Age Adults (Mental")
            return self.by_prefix("Working Age Adults (Physical")
        locality = self.profile.locality_merge.get(row.area.locality, row.area.locality)
        return self.locality_team[locality]

    def by_prefix(self, prefix: str) -> str:
        for spec in self.profile.teams:
            if spec.name.startswith(prefix):
                return spec.name
        raise KeyError(prefix)

    # --- cohorts -------------------------------------------------------------------------------------

    def long_term(self) -> list[tuple[PersonRow, str, str]]:
        made = []
        for _ in range(self.profile.long_term):
            band = "18-64" if self.chance(LONG_TERM_WORKING_AGE_SHARE) else "65+"
            psr = LONG_TERM_PSR[band].pick(self.rng)
            new_this_year = self.chance(0.17)
            known, rank = self.moment_and_rank(20, 365) if new_this_year else self.moment_and_rank(366, 365 * 10)
            row = self.person(LONG_TERM, age=self.age_for(psr, band), female=self.gender_for(psr, band),
                              known_since=known, rank=rank)
            self.support_needs(row, psr, band)
            self.accommodation(row, psr, band)
            made.append((row, psr, band))
        return made

    def short_term(self) -> list[tuple[PersonRow, str, str]]:
        made = []
        for _ in range(self.profile.short_term):
            band = "18-64" if self.chance(SHORT_TERM_WORKING_AGE_SHARE) else "65+"
            psr = SHORT_TERM_PSR.pick(self.rng)
            known, rank = self.moment_and_rank(3, 365)
            row = self.person(SHORT_TERM, age=self.age_for(psr, band), female=self.gender_for(psr, band),
                              known_since=known, rank=rank)
            self.support_needs(row, psr, band)
            self.accommodation(row, psr, band, allow_care_home=False)
            made.append((row, psr, band))
        return made

    def waiting(self) -> list[tuple[PersonRow, str, str, int]]:
        made = []
        for _ in range(self.profile.waiting):
            low, high = WAIT_BANDS.pick(self.rng)
            waited = self.rng.randint(low, high)
            band = "18-64" if self.chance(0.35) else "65+"
            psr = LONG_TERM_PSR[band].pick(self.rng)
            known, rank = self.moment_and_rank(waited, waited + 0.9)
            row = self.person(WAITING, age=self.age_for(psr, band), female=self.gender_for(psr, band),
                              known_since=known, rank=rank)
            self.support_needs(row, psr if not self.chance(0.6) else PSR.UNKNOWN, band)
            self.accommodation(row, psr, band, allow_care_home=False)
            made.append((row, psr, band, waited))
        return made

    def contact_only(self, count: int) -> list[PersonRow]:
        made = []
        for _ in range(count):
            band = "18-64" if self.chance(REQUEST_WORKING_AGE_SHARE) else "65+"
            psr = PSR.UNKNOWN if self.chance(0.85) else SHORT_TERM_PSR.pick(self.rng)
            known, rank = self.moment_and_rank(1, 365)
            row = self.person(CONTACT_ONLY, age=self.age_for(psr, band), female=self.gender_for(psr, band),
                              known_since=known, rank=rank)
            self.support_needs(row, psr, band)
            row.accommodation_status = Acc.UNKNOWN if self.chance(0.4) else self.rng.choice(
                [Acc.OWNER, Acc.TENANT_SOCIAL, Acc.FAMILY_SETTLED, Acc.TENANT_PRIVATE]
            )
            made.append(row)
        return made

    # --- carers, family and representatives ---------------------------------------------------------

    def add_carer(self, row: PersonRow, psr: str, band: str) -> PersonRow | None:
        if band == "65+":
            rate, table = 0.40, CARER_RELATIONS["older"]
        elif psr == PSR.LEARNING_DISABILITY:
            rate, table = 0.55, CARER_RELATIONS[PSR.LEARNING_DISABILITY]
        elif psr == PSR.MENTAL_HEALTH:
            rate, table = 0.2, CARER_RELATIONS["working"]
        else:
            rate, table = 0.3, CARER_RELATIONS["working"]
        if not self.chance(rate):
            return None
        relation = table.pick(self.rng)
        age = row.age
        person_female = row.is_female
        if relation == "spouse":
            female = not person_female if self.chance(0.97) else person_female
            carer_age = max(18, age + self.rng.randint(-6, 6))
            label = ("wife" if female else "husband") if row.gender in ("Female", "Male") else "partner"
            same_family = self.chance(0.85)
        elif relation in ("daughter", "son", "daughter-in-law", "child"):
            female = relation in ("daughter", "daughter-in-law") or (relation == "child" and self.chance(0.6))
            carer_age = max(18, age - self.rng.randint(22, 36))
            label = relation if relation != "child" else ("daughter" if female else "son")
            same_family = label == "son" or (label == "daughter" and self.chance(0.45))
        elif relation in ("mother", "father"):
            female = relation == "mother"
            carer_age = min(95, age + self.rng.randint(22, 36))
            label = relation
            same_family = True
        elif relation == "sibling":
            female = self.chance(0.6)
            carer_age = max(18, age + self.rng.randint(-8, 8))
            label = "sister" if female else "brother"
            same_family = self.chance(0.8)
        else:
            female = self.chance(0.65)
            carer_age = max(18, age + self.rng.randint(-15, 10))
            label = self.rng.choice(["friend", "neighbour"])
            same_family = False
        if carer_age > 98:
            return None
        household = row.accommodation_status != Acc.CARE_HOME and self.chance(HOUSEHOLD_RATE.get(relation, 0.05))
        address = (row.address_line_1, row.address_line_2, row.town, row.postcode) if household else None
        family_pool = row.pool if label not in ("friend", "neighbour") else None
        carer = self.person(
            CARER, age=carer_age, female=female, known_since=row.known_since, rank=row.rank,
            ethnicity=row.ethnicity if label not in ("friend", "neighbour") else None,
            family=row.family_name if same_family else None, family_pool=family_pool,
            area=row.area, address=address,
        )
        carer.primary_support_reason = PSR.CARER
        carer.client_type = codes.ClientType.CARER_BY_ASSOCIATION
        carer.cared_for_relation = _inverse_relation(label, row)
        row.carer = carer
        row.carer_relation = label
        row.has_unpaid_carer = True
        family_word = label if label not in ("friend", "neighbour") else ""
        started = (row.known_since - timedelta(days=self.rng.randint(30, 2000))).date()
        self.relationships.append(RelationshipRow(
            carer, row, "unpaid_carer", family_word, household, started, "", row.known_since,
        ))
        if label in ("daughter", "son") and age >= 75 and self.chance(0.35 if psr != PSR.MEMORY else 0.7):
            which = "attorney_health" if self.chance(0.5) else "attorney_money"
            self.relationships.append(RelationshipRow(
                carer, row, "attorney", label, household, started, texts.RELATIONSHIP_NOTES[which],
                row.known_since,
            ))
        elif psr == PSR.LEARNING_DISABILITY and label in ("mother", "father") and self.chance(0.12):
            self.relationships.append(RelationshipRow(
                carer, row, "deputy", label, household, started, texts.RELATIONSHIP_NOTES["deputy"],
                row.known_since,
            ))
        elif self.chance(0.05):
            self.relationships.append(RelationshipRow(
                carer, row, "nominated_person", family_word, household, started,
                texts.RELATIONSHIP_NOTES["nominated"].format(first=row.first), row.known_since,
            ))
        if label in ("wife", "husband", "partner", "daughter", "son") and self.chance(0.08):
            # Another family member on record, not the main carer.
            other_female = self.chance(0.5)
            other = self.person(
                FAMILY, age=max(18, age - self.rng.randint(22, 36)), female=other_female,
                known_since=row.known_since, rank=row.rank, ethnicity=row.ethnicity,
                family=row.family_name if not other_female else None, family_pool=row.pool,
            )
            other.client_type = codes.ClientType.CARER_BY_ASSOCIATION
            self.relationships.append(RelationshipRow(
                other, row, "family", "daughter" if other_female else "son", False, None, "", row.known_since,
            ))
        return carer

    def advocates(self, supported: list[tuple[PersonRow, str, str]]) -> None:
        candidates = [row for row, psr, _ in supported
                      if row.carer is None and psr in (PSR.LEARNING_DISABILITY, PSR.MENTAL_HEALTH, PSR.MEMORY)]
        count = max(1, len(candidates) // 12)
        pool = []
        for _ in range(max(1, count // 8)):
            known, rank = self.moment_and_rank(400, 2000)
            advocate = self.person(ADVOCATE, age=self.rng.randint(28, 60), female=self.chance(0.65),
                                   known_since=known, rank=rank)
            advocate.communication_notes = "Independent advocate with a local advocacy service."
            pool.append(advocate)
        for row in candidates[:count]:
            advocate = self.rng.choice(pool)
            self.relationships.append(RelationshipRow(
                advocate, row, "advocate", "", False, row.known_since.date(), texts.RELATIONSHIP_NOTES["advocate"],
                row.known_since,
            ))

    # --- staff ---------------------------------------------------------------------------------------

    def username(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "").replace("-", "")
        name, n = base, 1
        while name in self.used_usernames:
            n += 1
            name = f"{base}{n}"
        self.used_usernames.add(name)
        return name

    def add_staff(self, role: str, team: str | None, job_title: str, *, username: str | None = None,
                  first: str | None = None, last: str | None = None, demo: bool = False) -> StaffRow:
        if first is None:
            ethnicity = self.ethnicity.pick(self.rng)
            first, last, _, _ = self.name_for(ethnicity, self.chance(0.75), False)
        if username is None:
            username = self.username(first, last)
        else:
            self.used_usernames.add(username)
        row = StaffRow(
            key=len(self.staff), username=username, first_name=first, last_name=last, role=role, team=team,
            job_title=job_title, direct_phone=f"{places.LANDLINE_PREFIX}{500 + len(self.staff) % 500:03d}",
            demo=demo,
        )
        self.staff.append(row)
        if team:
            self.staff_by_team.setdefault(team, []).append(row)
        return row

    def core_staff(self) -> None:
        demo_team = self.profile.demo_team
        for username, first, last, role, team_kind, title in DEMO_SIGN_INS:
            team = demo_team if team_kind == "demo" else (self.team_of_kind[team_kind] if team_kind else None)
            staff = self.add_staff(role, team, title, username=username, first=first, last=last, demo=True)
            if role == "team_leader":
                self.team_leader[team] = staff
        for spec in self.profile.teams:
            if spec.name not in self.team_leader:
                title = "Team manager" if spec.kind in (places.LOCALITY, places.HOSPITAL) else "Team leader"
                self.team_leader[spec.name] = self.add_staff("team_leader", spec.name, title)
        self.senior = [s for s in self.staff if s.role == "senior_manager"]
        self.senior.append(self.add_staff("senior_manager", None, "Principal social worker"))
        for _ in range(max(1, round(self.profile.long_term / 2500))):
            self.add_staff("finance_officer", None, "Financial assessment officer")
        self.add_staff("administrator", None, "Systems administrator")

    def workers_for(self, team: str, named_cases: int) -> list[StaffRow]:
        """Practitioners for a team, at about CASES_PER_WORKER open named cases each."""
        spec = self.teams[team]
        role = "dp_officer" if spec.kind == places.DIRECT_PAYMENTS else "practitioner"
        existing = [s for s in self.staff_by_team.get(team, []) if s.role == role]
        wanted = max(2 if spec.kind == places.LOCALITY else 1, math.ceil(named_cases / CASES_PER_WORKER))
        while len(existing) < wanted:
            existing.append(self.add_staff(role, team, JOB_TITLES[spec.kind].pick(self.rng)))
        return existing

    # --- the whole council ---------------------------------------------------------------------------

    def build(self) -> DemoData:
        profile = self.profile
        self.core_staff()
        long_term = self.long_term()
        short_term = self.short_term()
        waiting = self.waiting()
        # Requests in the last year not accounted for by the cohorts above came from people whose
        # request ended at the front door.
        in_year = (sum(1 for *_, w in waiting if w <= 365) + len(short_term)
                   + sum(1 for row, *_ in long_term if row.rank <= 365))
        recontact_rate = 0.12
        accounted = in_year + round(len(long_term) * recontact_rate)
        contact_only = self.contact_only(max(0, round((profile.requests_per_year - accounted) / 1.07)))

        supported = long_term + short_term + [(row, psr, band) for row, psr, band, _ in waiting]
        for row, psr, band in supported:
            self.add_carer(row, psr, band)
        self.advocates(long_term)

        plans = self.plan_allocations(long_term, short_term, waiting)
        self.staff_allocations(plans)
        # A contact officer handles about 2,500 requests a year.
        front_door = self.workers_for(self.team_of_kind[places.FRONT_DOOR],
                                      profile.requests_per_year * CASES_PER_WORKER // 2500)
        hospital_team = self.team_of_kind[places.HOSPITAL]
        self.front_door = front_door
        self.hospital_staff = self.workers_for(hospital_team, 0)

        for row, psr, band in long_term:
            self.first_contact(row, psr, band)
            if self.chance(recontact_rate):
                self.recontact(row)
        for row, _psr, _band in short_term:
            self.short_term_contact(row)
        for row, psr, band, waited in waiting:
            self.waiting_contact(row, psr, band, waited)
        for row in contact_only:
            self.front_door_contact(row)
            if self.chance(0.07):
                self.front_door_contact(row, again=True)
        for row in self.people:
            if row.cohort == CARER and self.chance(0.12):
                self.carer_contact(row)
        self.write_notes()
        self.restrict()
        self.open_contacts_in_demo_team()
        waiting_lists = WaitingListBuilder(self, long_term=long_term, short_term=short_term, waiting=waiting,
                                           contact_only=contact_only).build()
        care_plans = PlanBuilder(self, long_term=long_term).build()

        # Ids follow the order people became known, as they would in a real system.
        order = sorted(self.people, key=lambda p: (-p.rank, p.key))
        self.people = order
        return DemoData(profile, self.seed, self.as_of, self.people, self.staff, self.allocations,
                        sorted(self.contacts, key=lambda c: (c.received_at, c.person.key)),
                        self.notes, self.addenda, self.relationships, self.grants, waiting_lists,
                        care_plans)

    def plan_allocations(self, long_term, short_term, waiting) -> list[dict]:
        """Decide who holds each case, before the staff exist (their number depends on it)."""
        plans = []
        reviewing = self.team_of_kind[places.REVIEWING]
        direct_payments = self.team_of_kind[places.DIRECT_PAYMENTS]
        hospital = self.team_of_kind[places.HOSPITAL]
        therapy = self.team_of_kind[places.OCCUPATIONAL_THERAPY]
        for row, psr, band in long_term:
            home_team = self.team_for(row, psr, band)
            row.home_team = home_team
            started = self.after(row.known_since, 20, 120)
            if self.chance(0.25):
                earlier = hospital if self.chance(0.5) else home_team
                plans.append(dict(person=row, team=earlier, named=True, started=row.known_since, ended=started,
                                  reason="Moved to the long-term team after assessment"))
            roll = self.rng.random()
            if roll < 0.08:
                continue  # waiting to be allocated
            if roll < 0.23:
                plans.append(dict(person=row, team=reviewing, named=self.chance(0.2), started=started,
                                  ended=None, reason="Annual review"))
            elif roll < 0.26:
                plans.append(dict(person=row, team=direct_payments, named=True, started=started, ended=None,
                                  reason="Direct payment set-up"))
            else:
                plans.append(dict(person=row, team=home_team, named=self.chance(0.5), started=started,
                                  ended=None, reason="Allocated after assessment"))
        for row, _psr, _band in short_term:
            team = hospital if self.chance(0.6) else therapy
            started = self.after(row.known_since, 0.5, 3)
            ended = started + timedelta(days=self.rng.randint(14, 42))
            plans.append(dict(person=row, team=team, named=True, started=started,
                              ended=ended if ended < self.latest else None,
                              reason="Reablement after discharge" if team == hospital else "Equipment and "
                              "adaptations"))
        for row, psr, band, _waited in waiting:
            plans.append(dict(person=row, team=self.team_for(row, psr, band), named=False,
                              started=self.after(row.known_since, 0.5, 2), ended=None,
                              reason="Waiting for a needs assessment"))
        return plans

    def staff_allocations(self, plans: list[dict]) -> None:
        open_named: dict[str, int] = {}
        for plan in plans:
            if plan["named"] and plan["ended"] is None:
                open_named[plan["team"]] = open_named.get(plan["team"], 0) + 1
        workers = {spec.name: self.workers_for(spec.name, open_named.get(spec.name, 0))
                   for spec in self.profile.teams if spec.kind != places.FRONT_DOOR}
        turn = {team: 0 for team in workers}
        for plan in plans:
            team = plan["team"]
            worker = None
            if plan["named"]:
                # Round robin keeps caseloads even; the demo practitioner is first in the demo team.
                team_workers = workers[team]
                worker = team_workers[turn[team] % len(team_workers)]
                turn[team] += 1
            self.allocations.append(AllocationRow(
                person=plan["person"], team=team, worker=worker, started_at=plan["started"],
                ended_at=plan["ended"], reason=plan["reason"], allocated_by=self.team_leader.get(team),
            ))
        self.top_up_demo_caseload(workers[self.profile.demo_team][0])
        self.open_allocation = {a.person.key: a for a in self.allocations if a.ended_at is None}
        self.any_allocation: dict[int, AllocationRow] = {}
        for a in self.allocations:
            self.any_allocation[a.person.key] = a

    def top_up_demo_caseload(self, practitioner: StaffRow) -> None:
        """At small scale the demo practitioner would hold only a handful of cases; give them a worktray
        worth showing by taking on team cases that had no named worker (assessed people first)."""
        target = min(CASES_PER_WORKER, max(12, self.profile.long_term // 6))
        team = self.profile.demo_team
        held = sum(1 for a in self.allocations if a.worker is practitioner and a.ended_at is None)
        unnamed = [a for a in self.allocations if a.team == team and a.worker is None and a.ended_at is None]
        unnamed.sort(key=lambda a: (a.person.cohort != LONG_TERM, a.started_at))
        for allocation in unnamed[: max(0, target - held)]:
            allocation.worker = practitioner
            if allocation.person.cohort == WAITING:
                allocation.reason = "Allocated for a needs assessment"

    # --- contacts ------------------------------------------------------------------------------------

    def contact(self, row: PersonRow, *, received: datetime, outcome: str, theme: str,
                route: str | None = None, urgency: str = "routine", safeguarding: bool = False) -> ContactRow:
        rng = self.rng
        options = texts.CONTACT_REASONS[theme]
        made_by, channel, wording = rng.choice(options)
        ward = rng.choice(places.HOSPITAL_WARDS)
        gp = rng.choice(places.GP_PRACTICES)
        reason = self.fill(wording, row, ward=ward, gp=gp)
        if route is None:
            route = {
                "hospital": codes.RouteOfAccess.HOSPITAL_DISCHARGE,
            }.get(made_by, codes.RouteOfAccess.COMMUNITY)
            if theme == "self_funder":
                route = codes.RouteOfAccess.SELF_FUNDER
            elif theme == "transition":
                route = codes.RouteOfAccess.TRANSITION
            elif route == codes.RouteOfAccess.COMMUNITY and theme == "falls" and self.chance(0.05):
                route = codes.RouteOfAccess.HOSPITAL_DIVERSION
        if made_by == "family":
            if row.carer is not None:
                made_by_name = f"{row.carer.full_name} ({row.carer_relation})"
            else:
                female = self.chance(0.65)
                parent = row.age < 40
                caller_age = row.age + 28 if parent else row.age - 28
                given, family, _, _ = self.name_for(row.ethnicity, female, caller_age >= 66, family=row.family_name,
                                                    family_pool=row.pool)
                caller = ("mother" if female else "father") if parent else ("daughter" if female else "son")
                made_by_name = f"{given} {family} ({caller})"
        elif made_by == "professional":
            made_by_name = {
                "mental_health": "Community mental health team",
                "transition": "Transitions worker, children's services",
                "memory": "Memory clinic nurse",
            }.get(theme, f"Practice nurse, {gp}")
        elif made_by == "hospital":
            made_by_name = f"Discharge coordinator, {ward}"
        elif made_by == "police":
            made_by_name = "Leicestershire Police"
        elif made_by == "provider":
            made_by_name = "Home care provider"
        elif made_by == "other":
            made_by_name = "A neighbour"
        else:
            made_by_name = ""
        hospital_route = route == codes.RouteOfAccess.HOSPITAL_DISCHARGE
        recorder = rng.choice(self.hospital_staff if hospital_route else self.front_door)
        team = recorder.team
        concluded = self.after(received, 0, 6) if outcome else None
        if concluded and concluded < received:
            concluded = received
        layer = "" if safeguarding else LAYER.get(outcome, "")
        contact = ContactRow(
            person=row, received_at=received, route_of_access=route, made_by=made_by, made_by_name=made_by_name,
            channel=channel if made_by != "online" else "online", reason=reason, urgency=urgency,
            immediate_risk=safeguarding, has_carer=row.carer is not None, outcome=outcome, layer=layer,
            concluded_at=concluded, team=team, recorded_by=recorder, event_reference=self.uuid(),
        )
        self.contacts.append(contact)
        return contact

    def first_contact(self, row: PersonRow, psr: str, band: str) -> None:
        theme = self.rng.choice(("falls", "falls", "hospital_discharge", "carer_stress", "provider",
                                 "police", "self_funder"))
        if psr == PSR.LEARNING_DISABILITY and row.age - row.rank / 365.25 < 20:
            theme = "transition"
        elif psr == PSR.MENTAL_HEALTH:
            theme = "mental_health"
        elif psr == PSR.MEMORY:
            theme = "memory"
        self.contact(row, received=row.known_since, outcome=Out.ASSESSMENT, theme=theme)

    def recontact(self, row: PersonRow) -> None:
        outcome = RECONTACT_OUTCOMES.pick(self.rng)
        safeguarding = outcome == "safeguarding"
        theme = self.rng.choice(THEMES_FOR_OUTCOME[outcome])
        received = self.moment(2, 365)
        if received < row.known_since:
            received = self.after(row.known_since, 5, 30)
        if safeguarding:
            outcome = Out.ASSESSMENT
        elif (self.as_of - received.date()).days <= 21:
            outcome = ""  # still being looked at: worktrays show these as waiting for an outcome
        self.contact(row, received=received, outcome=outcome, theme=theme,
                     urgency="urgent" if safeguarding else "routine", safeguarding=safeguarding)

    def short_term_contact(self, row: PersonRow) -> None:
        allocation = self.any_allocation[row.key]
        hospital = allocation.team == self.team_of_kind[places.HOSPITAL]
        if hospital:
            self.contact(row, received=row.known_since, outcome=Out.REABLEMENT, theme="hospital_discharge",
                         route=codes.RouteOfAccess.HOSPITAL_DISCHARGE, urgency="soon")
        else:
            self.contact(row, received=row.known_since, outcome=Out.SUPPORT_PLANNING, theme="equipment")

    def waiting_contact(self, row: PersonRow, psr: str, band: str, waited: int) -> None:
        priority = self.rng.random()
        # Urgent 1%, high 12%, medium 47%, low 40% (GUIDE §6.4); low waits longest.
        if waited > 182 and priority < 0.6:
            urgency = "routine"
        elif priority < 0.01:
            urgency = "urgent"
        elif priority < 0.13:
            urgency = "soon"
        else:
            urgency = "routine"
        theme = "memory" if psr == PSR.MEMORY else "mental_health" if psr == PSR.MENTAL_HEALTH else \
            self.rng.choice(("falls", "carer_stress", "falls", "provider"))
        self.contact(row, received=row.known_since, outcome=Out.ASSESSMENT, theme=theme, urgency=urgency)

    def front_door_contact(self, row: PersonRow, again: bool = False) -> None:
        outcome = CONTACT_ONLY_OUTCOMES.pick(self.rng)
        received = row.known_since
        if again:
            received = self.after(row.known_since, 20, 200)
            if outcome == Out.NFA_DECEASED or row.date_of_death:
                return
        if outcome == "":
            received = self.moment(1, 6)
            if received < row.known_since:
                received = row.known_since
        theme = self.rng.choice(THEMES_FOR_OUTCOME[outcome])
        contact = self.contact(row, received=received, outcome=outcome, theme=theme)
        if outcome == Out.NFA_DECEASED:
            died = received.date() + timedelta(days=self.rng.randint(0, 5))
            row.date_of_death = min(died, self.as_of - timedelta(days=1))
            if contact.concluded_at and contact.concluded_at.date() < row.date_of_death:
                contact.concluded_at = self.after(datetime.combine(row.date_of_death, time(9), tzinfo=LONDON), 0, 2)

    def carer_contact(self, row: PersonRow) -> None:
        outcome = Out.ASSESSMENT if self.chance(0.5) else Out.NFA_INFO
        row.client_type = codes.ClientType.CARER
        received = self.after(row.known_since, 10, 400)
        self.contact(row, received=received, outcome=outcome, theme="carer_own")

    # --- case notes ----------------------------------------------------------------------------------

    def fill(self, template: str, row: PersonRow, **extra) -> str:
        return template.format_map(_Fill(self, row, extra))

    def note(self, row: PersonRow, template, occurred: datetime, author: StaffRow) -> NoteRow:
        kind, summary, body, significant = template
        created = min(occurred + timedelta(minutes=self.rng.randint(20, 60 * 30)), self.latest)
        note = NoteRow(
            key=len(self.notes), person=row, occurred_at=occurred, kind=kind,
            summary=self.fill(summary, row)[:200], body=self.fill(body, row), is_significant=significant,
            author=author, created_at=max(created, occurred),
        )
        self.notes.append(note)
        return note

    def team_member(self, team: str) -> StaffRow:
        members = [s for s in self.staff_by_team.get(team, []) if s.role in ("practitioner", "dp_officer")]
        return self.rng.choice(members or self.staff_by_team[team])

    def write_notes(self) -> None:
        rng = self.rng
        for row in self.people:
            allocation = self.open_allocation.get(row.key)
            if row.cohort == LONG_TERM:
                if allocation is None:
                    count, author = rng.randint(0, 1), None
                elif allocation.worker is not None:
                    count, author = rng.randint(3, 8), allocation.worker
                else:
                    count, author = rng.randint(1, 3), None
                team_name = allocation.team if allocation else row.home_team
                templates = texts.NOTES_CARE_HOME if row.care_home else texts.NOTES_LONG_TERM
                start = max(row.known_since, self.latest - timedelta(days=540))
                span = max(1.0, (self.latest - start).total_seconds() / 86400)
                moments = sorted(self.after(start, 0, span) for _ in range(count))
                for moment in moments:
                    template = rng.choice(templates)
                    if template[3] and rng.random() < 0.5:
                        template = rng.choice(templates)  # significant events are rarer
                    self.note(row, template, moment, author or self.team_member(team_name))
                if allocation is not None and allocation.worker is not None and self.chance(0.25):
                    leader = self.team_leader[allocation.team]
                    self.note(row, rng.choice(texts.NOTES_OVERSIGHT), self.moment(1, 120), leader)
            elif row.cohort == SHORT_TERM:
                allocation = self.any_allocation[row.key]
                start = allocation.started_at
                end = allocation.ended_at or self.latest
                span = max(1.0, (end - start).total_seconds() / 86400)
                for template in rng.sample(texts.NOTES_SHORT_TERM, rng.randint(2, 3)):
                    self.note(row, template, self.after(start, 0, span), allocation.worker or
                              self.team_member(allocation.team))
            elif row.cohort == WAITING and allocation is not None:
                waited = (self.latest - row.known_since).days
                for i in range(min(2, waited // 45)):
                    which = 2 if i == 0 and self.chance(0.3) else (1 if self.chance(0.05) else 0)
                    note = self.note(row, texts.NOTES_WAITING[which],
                                     self.after(row.known_since, 40 * (i + 1), 40 * (i + 1) + 10),
                                     self.team_member(allocation.team))
                    self.keep_in_touch_notes.setdefault(row.key, []).append((note, which))
            elif row.cohort == CONTACT_ONLY and self.chance(0.1):
                self.note(row, rng.choice(texts.NOTES_CONTACT), self.after(row.known_since, 0, 1),
                          rng.choice(self.front_door))
            elif row.cohort == CARER and self.chance(0.1):
                self.note(row, texts.NOTES_CARER[0], self.after(row.known_since, 10, 300),
                          rng.choice(self.front_door))
        for note in self.notes:
            if self.chance(0.01) and note.created_at < self.latest - timedelta(days=2):
                self.addenda.append(AddendumRow(
                    note=note, body=self.fill(rng.choice(texts.ADDENDA), note.person), author=note.author,
                    created_at=self.after(note.created_at, 2, 20),
                ))
        self.notes.sort(key=lambda n: (n.occurred_at, n.key))

    # --- work in progress ----------------------------------------------------------------------------

    def open_contacts_in_demo_team(self) -> None:
        """Three recent contacts still waiting for an outcome for people the demo practitioner holds, so the
        demo worktray has work on it."""
        practitioner = next(s for s in self.staff if s.username == "practitioner")
        received = [self.moment(1, 6) for _ in range(3)]
        held = [a.person for a in self.allocations if a.ended_at is None and a.worker is practitioner
                and not a.person.is_restricted and a.person.known_since < min(received)]
        for row, theme, when in zip(held[:3], ("carer_stress", "falls", "provider"), received, strict=False):
            self.contact(row, received=when, outcome="", theme=theme, urgency="soon" if theme == "falls" else "routine")

    # --- restricted records --------------------------------------------------------------------------

    def restrict(self) -> None:
        """A few restricted records (well-known people, staff's relatives). In the demo team, one the demo
        practitioner is named on and one they are not, so both screens can be shown."""
        demo_team = self.profile.demo_team
        practitioner = next(s for s in self.staff if s.username == "practitioner")
        lead = next(s for s in self.staff if s.username == "safeguarding.lead")
        senior = next(s for s in self.staff if s.username == "senior.manager")
        allocated = [a for a in self.allocations if a.ended_at is None and a.person.cohort in (LONG_TERM, WAITING)]
        in_demo = [a for a in allocated if a.team == demo_team]
        mine = [a for a in in_demo if a.worker is practitioner]
        others = [a for a in in_demo if a.worker is not practitioner]
        chosen: list[AllocationRow] = []
        if mine:
            chosen.append(mine[len(mine) // 2])
        if others:
            chosen.append(others[len(others) // 2])
        extra = max(0, round(len(self.people) * 0.002) - len(chosen))
        pool = [a for a in allocated if a not in chosen]
        chosen.extend(self.rng.sample(pool, min(extra, len(pool))))
        for allocation in chosen:
            row = allocation.person
            row.is_restricted = True
            # Only the allocated worker is named, so the demo practitioner can open the first record
            # and sees only that the second exists.
            if allocation.worker is not None:
                self.grants.append(GrantRow(row, allocation.worker, senior,
                                            "Allocated worker: needs the record to provide support."))
            if self.chance(0.5):
                self.grants.append(GrantRow(row, lead, senior, "Safeguarding lead oversight."))


def _birth_date(as_of: date, age: int, fraction: float) -> date:
    """A date of birth on which someone is exactly `age` on `as_of`; `fraction` in [0, 1) picks the day."""
    def years_before(years: int) -> date:
        try:
            return as_of.replace(year=as_of.year - years)
        except ValueError:  # 29 February in a year without one
            return as_of.replace(year=as_of.year - years, day=28)

    latest = years_before(age)  # born on this day: just turned `age`
    earliest = years_before(age + 1) + timedelta(days=1)
    return earliest + timedelta(days=int(fraction * ((latest - earliest).days + 1)))


def _inverse_relation(label: str, cared_for: PersonRow) -> str:
    female = cared_for.is_female
    return {
        "wife": "husband" if not female else "wife", "husband": "wife" if female else "husband",
        "partner": "partner", "daughter": "mum" if female else "dad", "son": "mum" if female else "dad",
        "daughter-in-law": "mother-in-law" if female else "father-in-law",
        "mother": "daughter" if female else "son", "father": "daughter" if female else "son",
        "sister": "sister" if female else "brother", "brother": "sister" if female else "brother",
    }.get(label, "friend")


class _Fill(dict):
    """Values for the placeholders in texts.py, worked out only when a template asks for them."""

    def __init__(self, builder: CouncilBuilder, row: PersonRow, extra: dict):
        super().__init__(extra)
        self.builder = builder
        self.row = row

    def __missing__(self, key: str) -> str:
        row, rng = self.row, self.builder.rng
        female = row.gender == codes.Gender.FEMALE
        male = row.gender == codes.Gender.MALE
        pronouns = {
            "they": "she" if female else "he" if male else "they",
            "them": "her" if female else "him" if male else "them",
            "their": "her" if female else "his" if male else "their",
        }
        if key in pronouns:
            return pronouns[key]
        if key in ("They", "Them", "Their", "Carer"):
            value = self.__missing__(key.lower())
            return value[0].upper() + value[1:]
        if key in ("is", "has", "does", "s"):
            singular = female or male
            return {"is": ("is", "are"), "has": ("has", "have"), "does": ("does", "do"),
                    "s": ("s", "")}[key][0 if singular else 1]
        if key == "first":
            return row.first
        if key == "full":
            return row.full_name
        if key in ("carer", "carer_first"):
            if row.carer is not None:
                first = row.carer.first
                relation = row.carer_relation
            else:
                # The same friend every time this person's notes mention one.
                friends = row.pool.female_older if row.age >= 65 else row.pool.female_younger
                first = friends[row.key % len(friends)]
                if first == row.first:
                    first = friends[(row.key + 1) % len(friends)]
                relation = "friend"
            if key == "carer_first":
                return first
            return f"{pronouns['their']} {relation} {first}"
        if key == "interest":
            return row.interest
        if key == "worship":
            return row.pool.place_of_worship or "the community centre"
        if key == "worship_group":
            place = row.pool.place_of_worship or "the community centre"
            return f"the lunch club at {place}"
        if key == "gp":
            return rng.choice(places.GP_PRACTICES)
        if key == "ward":
            return rng.choice(places.HOSPITAL_WARDS)
        if key == "home":
            return row.care_home or "the care home"
        if key == "area":
            return row.area.neighbourhood
        if key in ("relative", "relative_mid"):
            relation = row.carer_relation
            if not relation and row.age < 40:
                word = "my daughter" if female else "my son"
            elif relation in ("daughter", "son", "daughter-in-law") or not relation:
                word = "Mum" if female else "Dad" if male else "my parent"
            elif relation in ("wife", "husband", "partner"):
                word = "my wife" if female else "my husband" if male else "my partner"
            elif relation in ("mother", "father"):
                word = "my daughter" if female else "my son"
            elif relation in ("sister", "brother"):
                word = "my sister" if female else "my brother"
            else:
                word = "my friend"
            return word[0].upper() + word[1:] if key == "relative" else word
        if key == "language_phrase":
            return f" with staff who speak {row.first_language}" if row.first_language != "English" else ""
        if key == "cared_for":
            return row.cared_for_relation or "relative"
        raise KeyError(key)


def generate(profile: Profile, *, seed: int, as_of: date) -> DemoData:
    return CouncilBuilder(profile, seed, as_of).build()
