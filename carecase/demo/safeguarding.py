"""Demo safeguarding records: concerns in every state for the safeguarding lead (`safeguarding.lead`) and the
hub, written through the safeguarding services so they obey the same rules as the pages.

- concerns waiting for a decision: received today (due in 2 working days), due today, and overdue;
- decisions of every kind (section 42, other enquiry, no further action with advice, referral elsewhere);
- open enquiries of several ages, with strategy discussions, actions and a plan built with the support sequence;
- concluded section 42 enquiries spread over the last financial year and this one, so the Safeguarding Adults
  Collection page and dashboard have figures;
- an organisational enquiry linking three adults at one care home, and provider incidents (one raised as a
  concern, two notifiable only, one waiting for triage);
- one concern about someone allocated to the demo practitioner, so the allocated worker's view can be shown.

Small and fixed in size whatever the profile (about 40 concerns), so seeding stays fast.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from carecase.people.models import Person
from carecase.staff.models import Allocation, Role, StaffMember, TeamKind
from safeguarding import services
from safeguarding.codes import (
    AbuseType,
    Capacity,
    LocationOfRisk,
    OutcomesAchieved,
    OutcomesAsked,
    RiskAssessmentOutcome,
    RiskResult,
    SourceOfRisk,
)
from safeguarding.models import Concern, DecisionResult, Enquiry, EnquiryStatus

WHAT = [
    ("His nephew has been taking money from his bank account and his pension.", [AbuseType.FINANCIAL],
     SourceOfRisk.KNOWN, LocationOfRisk.OWN_HOME, "I want my money to be safe and my nephew to stop"),
    ("Bruising on both arms noticed by the district nurse; she said a carer was rough with her.",
     [AbuseType.PHYSICAL], SourceOfRisk.SERVICE_PROVIDER, LocationOfRisk.CARE_HOME_RESIDENTIAL,
     "I want the carers to be gentle"),
    ("Left in a wet bed overnight and missed two meals.", [AbuseType.NEGLECT], SourceOfRisk.SERVICE_PROVIDER,
     LocationOfRisk.CARE_HOME_NURSING, "I want to be kept clean and fed"),
    ("Her partner shouts at her and controls who she sees.", [AbuseType.DOMESTIC, AbuseType.PSYCHOLOGICAL],
     SourceOfRisk.KNOWN, LocationOfRisk.OWN_HOME, "I want to stay in my home without him"),
    ("People he met in town are using his flat to sell drugs (cuckooing).", [AbuseType.FINANCIAL,
     AbuseType.MODERN_SLAVERY], SourceOfRisk.UNKNOWN, LocationOfRisk.OWN_HOME, "I want my flat back"),
    ("Not eating, the house is full of rubbish and the heating is off.", [AbuseType.SELF_NEGLECT],
     SourceOfRisk.KNOWN, LocationOfRisk.OWN_HOME, "I want to be left alone but warm"),
    ("A doorstep trader charged her £4,000 for work that was not done.", [AbuseType.FINANCIAL],
     SourceOfRisk.UNKNOWN, LocationOfRisk.OWN_HOME, "I want my money back"),
    ("Staff at the day centre made comments about his religion.", [AbuseType.DISCRIMINATORY],
     SourceOfRisk.SERVICE_PROVIDER, LocationOfRisk.COMMUNITY_SERVICE, "I want them to say sorry"),
]
# For each of WHAT: the person alleged to cause harm, and anyone else at risk.
def _known(name, relationship, trust, needs="no"):
    return {"alleged_known": "known", "alleged_name": name, "alleged_relationship": relationship,
            "alleged_position_of_trust": trust, "alleged_care_needs": needs}


def _unknown(description, relationship=""):
    return {"alleged_known": "unknown", "alleged_description": description, "alleged_relationship": relationship,
            "alleged_position_of_trust": False, "alleged_care_needs": "not_known"}


NOBODY_ELSE_AT_RISK = {"others_at_risk": False}
RESIDENTS_AT_RISK = {"others_at_risk": True, "others_at_risk_details": "Other residents cared for by the same staff",
                     "children_at_risk": False}
ALLEGED = [
    (_known("Ravi Mistry", "Nephew", False), NOBODY_ELSE_AT_RISK),
    (_known("A care worker on the day shift (named by the home)", "Paid carer", True), RESIDENTS_AT_RISK),
    (_known("Night staff at the home (named by the home)", "Paid carers", True), RESIDENTS_AT_RISK),
    (_known("Gary Thompson", "Partner", False, "not_known"),
     {"others_at_risk": True, "others_at_risk_details": "Her two grandchildren stay at weekends",
      "children_at_risk": True, "children_referral_made": True}),
    (_unknown("Two young men he met in town; names not known", "Acquaintances"), NOBODY_ELSE_AT_RISK),
    ({"alleged_known": "nobody"}, NOBODY_ELSE_AT_RISK),
    (_unknown("A man with a white van who called at the door", "Stranger"),
     {"others_at_risk": True, "others_at_risk_details": "Neighbours on the same street were visited",
      "children_at_risk": False}),
    (_known("Day centre staff (named by the centre)", "Paid staff", True), NOBODY_ELSE_AT_RISK),
]

RAISED_BY = [("provider", "Oak House Care Home"), ("health", "Leicester GP Practice"), ("family", ""),
             ("police", "Leicestershire Police"), ("housing", "Council housing")]


def _received(today: dt.date, days_ago: int, rng: random.Random) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
    return min(timezone.make_aware(at), timezone.now() - dt.timedelta(minutes=1))


def load(data) -> dict[str, int]:
    """Write the demo safeguarding records; returns counts. Does nothing without the safeguarding lead."""
    rng = random.Random(f"safeguarding-{data.seed}")
    users = get_user_model().objects
    lead = StaffMember.objects.select_related("user", "team").filter(user__username="safeguarding.lead").first()
    if lead is None:
        return {}
    hub_staff = list(StaffMember.objects.select_related("user").filter(team__kind=TeamKind.SAFEGUARDING,
                                                                     role=Role.PRACTITIONER)[:3]) or [lead]
    today = min(data.as_of, timezone.localdate())
    practitioner = users.filter(username="practitioner").first()
    mine = list(Allocation.objects.filter(worker__user=practitioner, ended_at__isnull=True,
                                          person__is_restricted=False, person__date_of_death__isnull=True)
                .values_list("person_id", flat=True)[:1]) if practitioner else []
    pool = list(Person.objects.filter(is_restricted=False, date_of_death__isnull=True)
                .exclude(id__in=mine).order_by("id").values_list("id", flat=True)[:3000])
    chosen = mine + rng.sample(pool, min(40, len(pool)))
    people = Person.objects.in_bulk(chosen)
    people = [people[pk] for pk in chosen]
    by = lead.user

    def concern(person, days_ago: int, n: int) -> Concern:
        what, types, source, where, wants = WHAT[n % len(WHAT)]
        alleged, others = ALLEGED[n % len(ALLEGED)]
        role, organisation = RAISED_BY[n % len(RAISED_BY)]
        asked = OutcomesAsked.EXPRESSED if n % 5 else OutcomesAsked.NOT_EXPRESSED
        capacity = Capacity.LACKS if n % 4 == 0 else Capacity.HAS
        return services.concern_create(
            by=by, person=person, received_at=_received(today, days_ago, rng), raised_by_role=role,
            raised_by_organisation=organisation, abuse_types=types, location_of_risk=where, source_of_risk=source,
            what_happened=what, immediate_risk=n % 3 == 0,
            protection_actions="Safety plan agreed by phone; provider asked to change the carer" if n % 3 == 0
            else "", police_informed=source == SourceOfRisk.UNKNOWN, outcomes_asked=asked,
            desired_outcomes=wants if asked == OutcomesAsked.EXPRESSED else "", capacity=capacity,
            advocacy="Yes" if capacity == Capacity.LACKS else "", team=lead.team, **alleged, **others)

    def decide(c: Concern, result: str, lead_enquirer=None) -> None:
        all_three = result == DecisionResult.S42
        services.decision_record(
            concern=c, by=by, has_care_needs=True, has_care_needs_reason="Known to adult social care; needs help "
            "with personal care", at_risk=True, at_risk_reason="The account given is credible and recent",
            cannot_protect=all_three, cannot_protect_reason="Cannot protect themselves because of their needs"
            if all_three else "Has capacity and can seek help; chose to act with support",
            result=result, advice_given="Advice on scams and the bank's fraud team; Age UK befriending"
            if result == DecisionResult.NO_FURTHER_ACTION else "",
            referred_to="Leicestershire Partnership NHS Trust" if result == DecisionResult.REFERRAL else "",
            lead_enquirer=lead_enquirer or rng.choice(hub_staff), strategy_needed=all_three and rng.random() < 0.6,
            decided_at=min(c.received_at + dt.timedelta(days=rng.choice((0, 1, 1, 2, 4))), timezone.now()))

    counts = {"safeguarding concerns": 0, "safeguarding enquiries": 0}
    people_iter = iter(people)
    # Waiting for a decision: received today, and on each of the last 8 days (some now overdue).
    for n, days_ago in enumerate((0, 0, 1, 2, 3, 6, 8)):
        concern(next(people_iter), days_ago, n)
    # Decided without an enquiry.
    for n, result in enumerate((DecisionResult.NO_FURTHER_ACTION, DecisionResult.REFERRAL,
                                DecisionResult.NO_FURTHER_ACTION)):
        decide(concern(next(people_iter), 20 + 7 * n, n), result)
    # Open enquiries of several ages, with strategy discussions, actions and plans.
    open_enquiries: list[Enquiry] = []
    for n, days_ago in enumerate((5, 12, 40, 75, 130, 200)):
        c = concern(next(people_iter), days_ago, n + 1)
        decide(c, DecisionResult.S42 if n % 3 else DecisionResult.OTHER, lead if n == 0 else None)
        enquiry = Enquiry.objects.get(concern=c)
        open_enquiries.append(enquiry)
        held = min(enquiry.started_on + dt.timedelta(days=2), today)
        services.strategy_discussion_record(
            enquiry=enquiry, by=by, held_on=held, attendees="Safeguarding lead, police, GP, provider manager",
            police_attended=n % 2 == 0, crime_possible=n % 2 == 0, police_informed=True if n % 2 == 0 else None,
            no_police_reason="" if n % 2 == 0 else "No crime suspected: poor practice, not a criminal act",
            decisions="Visit within 2 days; provider to review the care plan")
        services.action_add(by=by, enquiry=enquiry, description="Visit and speak to the adult alone",
                            owner=lead.full_name, due_on=held + dt.timedelta(days=3))
        if n % 2:
            services.plan_save(enquiry=enquiry, by=by, formal_actions="Provider to change the carer; review in 3 months",
                               review_on=timezone.localdate() + dt.timedelta(days=60), outcomes=[{
                                   "text": c.desired_outcomes or "To feel safe at home", "steps": {
                                       "own_strengths": {"considered": True, "meets": "partly",
                                                         "note": "Knows how to turn away doorstep callers"},
                                       "technology_equipment": {"considered": True, "meets": "partly",
                                                                "note": "Video doorbell fitted"},
                                       "family_friends": {"considered": True, "meets": "partly",
                                                          "note": "Son takes over paying the bills"},
                                       "community_universal": {"considered": True, "meets": "no",
                                                               "note": "Scam-awareness group offered, declined"}}}])
    # Concluded section 42 enquiries across last financial year and this one (the return and dashboard).
    outcomes = list(RiskAssessmentOutcome)
    for n in range(18):
        days_ago = 60 + n * 22
        c = concern(next(people_iter, None) or rng.choice(people), days_ago, n + 2)
        decide(c, DecisionResult.S42)
        enquiry = Enquiry.objects.get(concern=c)
        outcome = outcomes[n % len(outcomes)]
        services.enquiry_close(
            enquiry=enquiry, by=by, risk_outcome=outcome,
            risk_result=list(RiskResult)[n % 3] if outcome == RiskAssessmentOutcome.IDENTIFIED_ACTION else "",
            no_action_reason="The adult chose to accept the risk" if outcome == RiskAssessmentOutcome.IDENTIFIED_NO_ACTION
            else "", outcomes_achieved=list(OutcomesAchieved)[n % 3] if c.outcomes_asked == OutcomesAsked.EXPRESSED
            else "", feedback_offered=n % 4 != 0, concluded_on=min(enquiry.started_on + dt.timedelta(days=30 + n), today))
    # An organisational enquiry into one care home, linking three adults' open enquiries.
    org = services.organisational_enquiry_create(by=by, provider_name="Oak House Care Home",
                                                 summary="Several residents with unexplained bruising and missed "
                                                         "medication", opened_on=today - dt.timedelta(days=30),
                                                 lead=lead)
    for enquiry in open_enquiries[:3]:
        services.organisational_link(organisational_enquiry=org, enquiry=enquiry, by=by)
    services.action_add(by=by, organisational_enquiry=org, description="Unannounced visit with the CQC inspector",
                        owner="Contracts and assurance team", due_on=today + dt.timedelta(days=7))
    # Provider incidents: notifiable only, waiting for triage, and raised as a concern.
    for n, (what, harm) in enumerate((("One missed evening dose of paracetamol; no harm", False),
                                      ("Resident found on the floor; no injury, GP informed", False),
                                      ("Medication given 2 hours late; no harm", False))):
        incident = services.incident_create(by=by, provider_name="Oak House Care Home",
                                            occurred_on=today - dt.timedelta(days=10 + n),
                                            received_at=timezone.now() - dt.timedelta(days=9 + n),
                                            description=what, harm_caused=harm)
        if n < 2:
            services.incident_notifiable_only(incident=incident, by=by, note="Single incident, no harm, handled "
                                                                            "by the home")
    raised = services.incident_create(by=by, provider_name="Meadow View Home Care", person=people[-1],
                                      occurred_on=today - dt.timedelta(days=4), description="Carer took £50 from "
                                      "her purse", harm_caused=True)
    services.concern_create(by=by, person=people[-1], received_at=timezone.now() - dt.timedelta(days=3),
                            raised_by_role="provider", raised_by_organisation="Meadow View Home Care",
                            abuse_types=[AbuseType.FINANCIAL], location_of_risk=LocationOfRisk.OWN_HOME,
                            source_of_risk=SourceOfRisk.SERVICE_PROVIDER, what_happened=raised.description,
                            immediate_risk=False, police_informed=True, outcomes_asked=OutcomesAsked.EXPRESSED,
                            desired_outcomes="I want a different carer", capacity=Capacity.HAS, team=lead.team,
                            incident=raised, **_known("A home care worker from Meadow View", "Paid carer", True),
                            **NOBODY_ELSE_AT_RISK)
    counts["safeguarding concerns"] = Concern.objects.count()
    counts["safeguarding enquiries"] = Enquiry.objects.count()
    counts["concluded safeguarding enquiries"] = Enquiry.objects.filter(status=EnquiryStatus.CONCLUDED).count()
    return counts
