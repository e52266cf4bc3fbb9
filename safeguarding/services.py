"""Every write to safeguarding records: keyword-only, atomic, checked against the safeguarding access policy,
with plain-English errors keyed by field (the pages and the API put them next to the answer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.engine import support_sequence
from carecase.staff.models import StaffMember
from carecase.workdays import add_working_days

from . import access
from .codes import (
    AbuseType,
    AdvocacySupport,
    Capacity,
    LocationOfRisk,
    OutcomesAchieved,
    OutcomesAsked,
    RiskAssessmentOutcome,
    RiskResult,
    SourceOfRisk,
)
from .conf import decision_working_days
from .models import (
    ENQUIRY_RESULTS,
    AllegedKnown,
    Concern,
    ConcernStatus,
    Decision,
    DecisionResult,
    Enquiry,
    EnquiryAction,
    EnquiryFeedback,
    EnquiryStatus,
    FeedbackAnswer,
    IncidentTriage,
    OrganisationalEnquiry,
    OrganisationalStatus,
    ProviderIncident,
    RaisedByRole,
    SafeguardingGrant,
    SafeguardingPlan,
    StrategyDiscussion,
    YesNoNotKnown,
)

# The steps of a safeguarding plan: the support sequence's first four (GUIDE §3.5); the formal protective
# actions are the plan's own field, and R5/R6 do not apply (§3.3 R8).
PLAN_STEPS = tuple(code for code in support_sequence.STEP_CODES if code != "done_differently")

# GUIDE §2.9 clocks after the decision.
STRATEGY_WORKING_DAYS = 5
PLANNING_WORKING_DAYS = 5
PLAN_REVIEW_MONTHS = 3


def decision_due_on(received_at: dt.datetime) -> dt.date:
    """The decision is due on the N-th working day after the day the concern was received (London time),
    counting only Monday to Friday that are not England bank holidays (carecase/workdays.py, offline).

    The day of receipt is day 0 whatever its time or kind: a concern received at 4pm or at 11pm on a Monday
    is due on Wednesday, and one received on a Saturday is due on Tuesday. We do not move late-evening
    receipts to the next day: the hub's duty is to screen on receipt, and a simple rule is one nobody has
    to argue about at 5.01pm."""
    return add_working_days(timezone.localtime(received_at).date(), decision_working_days())


def _require(condition: bool, message: str = "You cannot change this safeguarding record.") -> None:
    if not condition:
        raise access.SafeguardingDenied(message)


def _may_work_on(by, concern: Concern) -> None:
    _require(access.basis_for(by, concern) is not None)


def _may_decide(by, concern: Concern) -> None:
    basis = access.basis_for(by, concern)
    _require(basis is not None and (access.is_safeguarding_staff(by) or basis == access.BASIS_NAMED),
             "Only the safeguarding team, or staff named on the concern, can make this decision.")


def _check_choice(errors: dict, field: str, value: str, choices, message: str) -> None:
    if value not in choices.values:
        errors[field] = message


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- concerns


@transaction.atomic
def concern_create(*, by, person, received_at: dt.datetime, raised_by_role: str, raised_by_name: str = "",
                   raised_by_organisation: str = "", abuse_types: Sequence[str], location_of_risk: str,
                   source_of_risk: str, what_happened: str, immediate_risk: bool, protection_actions: str = "",
                   police_informed: bool, outcomes_asked: str, desired_outcomes: str = "", capacity: str,
                   advocacy: str = "", team=None, incident: ProviderIncident | None = None,
                   alleged_known: str, alleged_name: str = "", alleged_description: str = "",
                   alleged_relationship: str = "", alleged_position_of_trust: bool | None = None,
                   alleged_care_needs: str = "", others_at_risk: bool | None, others_at_risk_details: str = "",
                   children_at_risk: bool | None = None, children_referral_made: bool | None = None,
                   children_referral_reason: str = "") -> Concern:
    """Record a concern about `person`. Its decision falls due `decision_working_days()` working days after
    receipt. Safeguarding staff may raise one about anyone they may see; the allocated worker about the
    people allocated to them.

    When the adult is at immediate risk, say what was done to protect them if it is known; if not, the
    concern is flagged for the hub's immediate-risk check the same working day (`protection_record`)."""
    _require(access.can_see_person_safeguarding(by, person) is not None,
             "Only the safeguarding team or the person's allocated worker can record a concern here. Call the "
             "safeguarding hub instead.")
    errors: dict[str, str] = {}
    if received_at is None:
        errors["received_at"] = "Enter the date and time the concern was received"
    elif received_at > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = "The date the concern was received must be today or in the past"
    _check_choice(errors, "raised_by_role", raised_by_role, RaisedByRole, "Select who raised the concern")
    abuse_types = list(dict.fromkeys(abuse_types or []))
    if not abuse_types:
        errors["abuse_types"] = "Select at least one type of abuse or neglect"
    elif any(code not in AbuseType.values for code in abuse_types):
        errors["abuse_types"] = "Select types of abuse from the list"
    _check_choice(errors, "location_of_risk", location_of_risk, LocationOfRisk, "Select where the risk is")
    _check_choice(errors, "source_of_risk", source_of_risk, SourceOfRisk, "Select who the risk comes from")
    if not (what_happened or "").strip():
        errors["what_happened"] = "Say what happened"
    if immediate_risk is None:
        errors["immediate_risk"] = "Select whether the adult is at immediate risk"
    if police_informed is None:
        errors["police_informed"] = "Select whether the police have been told"
    harm = _alleged_person(errors, alleged_known, alleged_name, alleged_description, alleged_relationship,
                           alleged_position_of_trust, alleged_care_needs)
    others = _others_at_risk(errors, others_at_risk, others_at_risk_details, children_at_risk,
                             children_referral_made, children_referral_reason)
    _check_choice(errors, "outcomes_asked", outcomes_asked, OutcomesAsked,
                  "Select whether they were asked what they want to happen")
    if outcomes_asked == OutcomesAsked.EXPRESSED and not (desired_outcomes or "").strip():
        errors["desired_outcomes"] = "Write down what they want to happen, in their own words"
    _check_choice(errors, "capacity", capacity, Capacity,
                  "Select whether they have capacity to make decisions about this concern")
    if advocacy and advocacy not in AdvocacySupport.values:
        errors["advocacy"] = "Select an answer about advocacy from the list"
    if capacity == Capacity.LACKS and not advocacy:
        errors["advocacy"] = "Say whether an advocate, family member or friend is supporting them"
    if incident is not None and incident.triage != IncidentTriage.PENDING:
        errors["__all__"] = "This provider incident has already been triaged"
    _raise(errors)
    concern = Concern.objects.create(
        person=person, received_at=received_at, raised_by_role=raised_by_role,
        raised_by_name=raised_by_name.strip(), raised_by_organisation=raised_by_organisation.strip(),
        abuse_types=abuse_types, location_of_risk=location_of_risk, source_of_risk=source_of_risk,
        what_happened=what_happened.strip(), immediate_risk=immediate_risk,
        protection_actions=(protection_actions or "").strip(), police_informed=police_informed,
        outcomes_asked=outcomes_asked, desired_outcomes=(desired_outcomes or "").strip(), capacity=capacity,
        advocacy=advocacy, decision_due_on=decision_due_on(received_at), team=team, created_by=by,
        protection_recorded_at=timezone.now() if (protection_actions or "").strip() else None,
        protection_recorded_by=by if (protection_actions or "").strip() else None, **harm, **others)
    if incident is not None:
        incident.triage, incident.concern = IncidentTriage.CONCERN_RAISED, concern
        incident.triaged_by, incident.triaged_at = by, timezone.now()
        if incident.person_id is None:
            incident.person = person
        incident.save()
    return concern


def _alleged_person(errors: dict, known, name: str, description: str, relationship: str,
                    position_of_trust: bool | None, care_needs: str) -> dict:
    """The person alleged to cause harm (GUIDE §2.9): known or not; their name (or, if not known, a
    description); their relationship to the adult; whether they are in a position of trust; whether they
    have care and support needs themselves. Nothing more is asked when no one else is alleged to cause harm."""
    name, description, relationship = ((v or "").strip() for v in (name, description, relationship))
    if known not in AllegedKnown.values:
        errors["alleged_known"] = "Select whether the person alleged to cause harm is known"
        return {}
    if known == AllegedKnown.NOBODY:
        return {"alleged_known": known}
    if known == AllegedKnown.KNOWN and not name:
        errors["alleged_name"] = "Give the name of the person alleged to cause harm"
    if known == AllegedKnown.UNKNOWN and not description:
        errors["alleged_description"] = ("Describe the person alleged to cause harm, for example what they look "
                                         "like or where the adult met them")
    if known == AllegedKnown.KNOWN and not relationship:
        errors["alleged_relationship"] = "Say how they are related to or know the adult, for example “nephew”"
    if position_of_trust is None:
        errors["alleged_position_of_trust"] = ("Select whether they are in a position of trust, such as a paid "
                                               "carer or a professional")
    if care_needs not in YesNoNotKnown.values:
        errors["alleged_care_needs"] = "Select whether they have care and support needs themselves"
    return {"alleged_known": known, "alleged_name": name, "alleged_description": description,
            "alleged_relationship": relationship, "alleged_position_of_trust": position_of_trust,
            "alleged_care_needs": care_needs}


def _others_at_risk(errors: dict, others, details: str, children: bool | None, referral_made: bool | None,
                    referral_reason: str) -> dict:
    """Other adults or children at risk (GUIDE §2.9). When children are at risk, the referral to children's
    services: made, or why not."""
    details, referral_reason = (details or "").strip(), (referral_reason or "").strip()
    if others is None:
        errors["others_at_risk"] = "Select whether any other adults or children are at risk"
        return {}
    if not others:
        return {"others_at_risk": False}
    if not details:
        errors["others_at_risk_details"] = "Say who else is at risk and how"
    if children is None:
        errors["children_at_risk"] = "Select whether any children are at risk"
    elif children:
        if referral_made is None:
            errors["children_referral_made"] = "Select whether a referral has been made to children’s services"
        elif not referral_made and not referral_reason:
            errors["children_referral_reason"] = "Say why no referral has been made to children’s services"
    if not children:
        referral_made, referral_reason = None, ""
    elif referral_made:
        referral_reason = ""
    return {"others_at_risk": True, "others_at_risk_details": details, "children_at_risk": children,
            "children_referral_made": referral_made, "children_referral_reason": referral_reason}


@transaction.atomic
def protection_record(*, concern: Concern, by, protection_actions: str) -> Concern:
    """The immediate-risk check (GUIDE §2.9, the same working day): say what was done to protect an adult at
    immediate risk when it was not known when the concern was recorded."""
    _may_work_on(by, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if not concern.immediate_risk:
        raise ValidationError("This concern does not say the adult is at immediate risk.")
    if not (protection_actions or "").strip():
        raise ValidationError({"protection_actions": "Say what was done to protect them from the immediate risk"})
    concern.protection_actions = protection_actions.strip()
    concern.protection_recorded_at, concern.protection_recorded_by = timezone.now(), by
    concern.save(update_fields=["protection_actions", "protection_recorded_at", "protection_recorded_by"])
    return concern


@transaction.atomic
def concern_restrict(*, concern: Concern, by, restricted: bool) -> Concern:
    """Restrict the concern further: then only staff named on it may open it. Safeguarding leads only; the
    lead who restricts it is named on it, so nobody locks themselves out."""
    _require(access.is_safeguarding_lead(by) and access.basis_for(by, concern) is not None,
             "Only a safeguarding lead can restrict a safeguarding concern.")
    if restricted:
        SafeguardingGrant.objects.get_or_create(concern=concern, user=by, revoked_at=None,
                                                defaults={"granted_by": by, "reason": "Restricted the concern"})
    concern.is_restricted = restricted
    concern.save(update_fields=["is_restricted"])
    return concern


@transaction.atomic
def grant_add(*, concern: Concern, by, user, reason: str) -> SafeguardingGrant:
    _require(access.is_safeguarding_lead(by) and access.basis_for(by, concern) is not None,
             "Only a safeguarding lead can name staff on a safeguarding concern.")
    errors = {}
    if user is None:
        errors["user"] = "Choose a member of staff"
    elif SafeguardingGrant.objects.filter(concern=concern, user=user, revoked_at__isnull=True).exists():
        errors["user"] = "This member of staff is already named on the concern"
    if not (reason or "").strip():
        errors["reason"] = "Say why they need to see this concern"
    _raise(errors)
    return SafeguardingGrant.objects.create(concern=concern, user=user, granted_by=by, reason=reason.strip())


@transaction.atomic
def grant_revoke(*, grant: SafeguardingGrant, by) -> None:
    _require(access.is_safeguarding_lead(by), "Only a safeguarding lead can remove a name from a concern.")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])


# ---------------------------------------------------------------- the section 42 decision


@transaction.atomic
def decision_record(*, concern: Concern, by, has_care_needs: bool | None, has_care_needs_reason: str,
                    at_risk: bool | None, at_risk_reason: str, cannot_protect: bool | None,
                    cannot_protect_reason: str, result: str, advice_given: str = "", referred_to: str = "",
                    lead_enquirer: StaffMember | None = None, caused_organisation: str = "",
                    decided_at: dt.datetime | None = None, strategy_needed: bool | None = None) -> Decision:
    """Answer the three section 42(1) questions with reasons and decide what happens next. A section 42
    enquiry needs yes to all three; otherwise an "other" enquiry may still be made. An enquiry starts at once
    with its lead enquirer, or the organisation the council causes to make it."""
    _may_decide(by, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    errors: dict[str, str] = {}
    if concern.status != ConcernStatus.AWAITING_DECISION:
        raise ValidationError("A decision has already been made on this concern.")
    questions = (("has_care_needs", has_care_needs, has_care_needs_reason, "whether they have needs for care and "
                  "support"), ("at_risk", at_risk, at_risk_reason, "whether they are experiencing, or at risk of, "
                  "abuse or neglect"), ("cannot_protect", cannot_protect, cannot_protect_reason, "whether they "
                  "can protect themselves"))
    for field, answer, reason, words in questions:
        if answer is None:
            errors[field] = f"Select yes or no for {words}"
        if not (reason or "").strip():
            errors[f"{field}_reason"] = f"Give a reason for your answer about {words}"
    if result not in DecisionResult.values:
        errors["result"] = "Select what happens next"
    elif result == DecisionResult.S42 and not (has_care_needs and at_risk and cannot_protect):
        errors["result"] = ("A section 42 enquiry needs yes to all three questions. Choose another enquiry, no "
                            "further safeguarding action or a referral elsewhere")
    if result == DecisionResult.S42 and strategy_needed is None:
        errors["strategy_needed"] = "Select whether a strategy discussion is needed"
    if result == DecisionResult.NO_FURTHER_ACTION and not (advice_given or "").strip():
        errors["advice_given"] = "Say what advice or signposting was given"
    if result == DecisionResult.REFERRAL and not (referred_to or "").strip():
        errors["referred_to"] = "Say where the concern was referred"
    if result in ENQUIRY_RESULTS and lead_enquirer is None and not (caused_organisation or "").strip():
        errors["lead_enquirer"] = "Choose a lead enquirer, or name the organisation asked to make the enquiry"
    decided_at = decided_at or timezone.now()
    if decided_at < concern.received_at:
        errors["__all__"] = "The decision cannot be made before the concern was received"
    _raise(errors)
    decision = Decision.objects.create(
        concern=concern, has_care_needs=has_care_needs, has_care_needs_reason=has_care_needs_reason.strip(),
        at_risk=at_risk, at_risk_reason=at_risk_reason.strip(), cannot_protect=cannot_protect,
        cannot_protect_reason=cannot_protect_reason.strip(), result=result,
        advice_given=(advice_given or "").strip(), referred_to=(referred_to or "").strip(), decided_by=by,
        decided_at=decided_at,
        within_timescale=timezone.localtime(decided_at).date() <= concern.decision_due_on)
    if result in ENQUIRY_RESULTS:
        started_on = timezone.localtime(decided_at).date()
        Enquiry.objects.create(concern=concern, kind=result, lead_enquirer=lead_enquirer,
                               caused_organisation=(caused_organisation or "").strip() if lead_enquirer is None
                               else "", started_on=started_on, strategy_needed=strategy_needed,
                               strategy_due_on=add_working_days(started_on, STRATEGY_WORKING_DAYS)
                               if strategy_needed else None,
                               planning_due_on=add_working_days(started_on, PLANNING_WORKING_DAYS))
        concern.status = ConcernStatus.ENQUIRY
    else:
        concern.status = ConcernStatus.NO_ENQUIRY
    concern.save(update_fields=["status"])
    return decision


# ---------------------------------------------------------------- the enquiry


def _open_enquiry(enquiry: Enquiry) -> None:
    if enquiry.status != EnquiryStatus.OPEN:
        raise ValidationError("This enquiry has been concluded and cannot be changed.")


@transaction.atomic
def strategy_discussion_record(*, enquiry: Enquiry, by, held_on: dt.date | None, is_meeting: bool = False,
                               attendees: str, police_attended: bool | None, crime_possible: bool | None,
                               police_informed: bool | None = None, no_police_reason: str = "",
                               decisions: str = "") -> StrategyDiscussion:
    """A strategy discussion or meeting. "Could a crime have been committed?" must be answered. If yes, say
    whether the police were informed or invited, with a reason if not; if no, say why the police are not
    involved (GUIDE §2.9: the police prompt)."""
    _may_work_on(by, enquiry.concern)
    _open_enquiry(enquiry)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the discussion"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of the discussion must be today or in the past"
    if not (attendees or "").strip():
        errors["attendees"] = "List who took part"
    if police_attended is None:
        errors["police_attended"] = "Select whether the police took part"
    if crime_possible is None:
        errors["crime_possible"] = "Select whether a crime could have been committed"
    elif crime_possible:
        if police_informed is None:
            errors["police_informed"] = "Select whether the police were informed or invited"
        elif not police_informed and not (no_police_reason or "").strip():
            errors["no_police_reason"] = "Say why the police were not informed or invited"
    else:
        police_informed = police_informed if police_informed else None
        if not police_informed and not (no_police_reason or "").strip():
            errors["no_police_reason"] = "Say why a crime is not suspected and the police are not involved"
    _raise(errors)
    return StrategyDiscussion.objects.create(
        enquiry=enquiry, held_on=held_on, is_meeting=is_meeting, attendees=attendees.strip(),
        police_attended=police_attended, crime_possible=crime_possible, police_informed=police_informed,
        no_police_reason=(no_police_reason or "").strip() if not police_informed else "",
        decisions=(decisions or "").strip(), recorded_by=by)


def _action_errors(description: str, owner: str, due_on: dt.date | None) -> dict:
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Say what needs to be done"
    if not (owner or "").strip():
        errors["owner"] = "Say who will do it"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    return errors


@transaction.atomic
def action_add(*, by, description: str, owner: str, due_on: dt.date | None, enquiry: Enquiry | None = None,
               organisational_enquiry: OrganisationalEnquiry | None = None) -> EnquiryAction:
    if enquiry is not None:
        _may_work_on(by, enquiry.concern)
        _open_enquiry(enquiry)
    else:
        _require(access.is_safeguarding_staff(by), "Only the safeguarding team can add shared actions.")
        if organisational_enquiry is not None and organisational_enquiry.status != OrganisationalStatus.OPEN:
            raise ValidationError("This organisational enquiry is closed, so it takes no more shared actions.")
    _raise(_action_errors(description, owner, due_on))
    return EnquiryAction.objects.create(enquiry=enquiry, organisational_enquiry=organisational_enquiry,
                                        description=description.strip(), owner=owner.strip(), due_on=due_on,
                                        created_by=by)


@transaction.atomic
def action_done(*, action: EnquiryAction, by, done_on: dt.date | None = None) -> EnquiryAction:
    if action.enquiry_id:
        _may_work_on(by, action.enquiry.concern)
    else:
        _require(access.is_safeguarding_staff(by))
    action.done_on = done_on or timezone.localdate()
    action.save(update_fields=["done_on"])
    return action


def plan_sequence(outcomes: Sequence[Mapping]) -> dict:
    """The support sequence over the adult's safeguarding outcomes, by the assessments engine, as reviews
    use it. `outcomes` are [{"text": the outcome in their words, "steps": {step code: {"considered",
    "meets", "note"}}}]. Kept with the engine's answer and rule-set version."""
    engine_outcomes = [{"code": f"outcome-{n}", "existing_support": False, "steps": dict(o.get("steps") or {}),
                        "done_differently": None, "formal_support_requested": False}
                       for n, o in enumerate(outcomes, start=1)]
    try:
        result = support_sequence.evaluate(support_sequence.request_from_dict({"outcomes": engine_outcomes}))
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError({"__all__": f"The support sequence answers are not complete: {exc}"}) from None
    return {"outcomes": [{"text": o["text"], "steps": dict(o.get("steps") or {})} for o in outcomes],
            "result": result.to_dict()}


@transaction.atomic
def plan_save(*, enquiry: Enquiry, by, outcomes: Sequence[Mapping], formal_actions: str = "",
              review_on: dt.date | None) -> SafeguardingPlan:
    """Make or update the safeguarding plan: for each outcome the adult wants, what their own strengths,
    technology, family and friends, and community services can do (GUIDE §3.5), then what the council and
    others will do; reviewed by `review_on` (within 3 months, suggested)."""
    _may_work_on(by, enquiry.concern)
    _open_enquiry(enquiry)
    errors: dict[str, str] = {}
    outcomes = [o for o in outcomes if (o.get("text") or "").strip()]
    if not outcomes:
        errors["outcome_1"] = "Write at least one outcome the adult wants from the plan, in their words"
    for n, outcome in enumerate(outcomes, start=1):
        for code, answer in (outcome.get("steps") or {}).items():
            if code not in PLAN_STEPS:
                errors["__all__"] = f"Unknown support sequence step: {code}"
            elif answer.get("considered") and not (answer.get("note") or "").strip():
                errors[f"o{n}_{code}_note"] = "Say what was found for this step, or select no"
    today = timezone.localdate()
    if review_on is None:
        errors["review_on"] = "Enter the date the plan will be reviewed"
    elif review_on < today:
        errors["review_on"] = "The review date must be today or in the future"
    elif review_on > today + relativedelta(months=PLAN_REVIEW_MONTHS):
        errors["review_on"] = (f"Review the plan within {PLAN_REVIEW_MONTHS} months: by "
                               f"{today + relativedelta(months=PLAN_REVIEW_MONTHS):%-d %B %Y} at the latest")
    _raise(errors)
    sequence = plan_sequence(outcomes)
    plan, _ = SafeguardingPlan.objects.update_or_create(
        enquiry=enquiry, defaults={"sequence": sequence, "formal_actions": (formal_actions or "").strip(),
                                   "review_on": review_on, "updated_by": by})
    return plan


@transaction.atomic
def enquiry_close(*, enquiry: Enquiry, by, risk_outcome: str, risk_result: str = "", no_action_reason: str = "",
                  outcomes_achieved: str = "", feedback_offered: bool | None, closure_summary: str = "",
                  concluded_on: dt.date | None = None) -> Enquiry:
    """Conclude the enquiry with the SAC risk outcome (§5.11), whether the outcomes the adult wanted were
    achieved (when they said what they wanted) and whether feedback was offered. Everything must be answered."""
    _may_decide(by, enquiry.concern)
    enquiry = Enquiry.objects.select_for_update().select_related("concern").get(pk=enquiry.pk)
    _open_enquiry(enquiry)
    concern = enquiry.concern
    errors: dict[str, str] = {}
    _check_choice(errors, "risk_outcome", risk_outcome, RiskAssessmentOutcome, "Select the risk outcome")
    if risk_outcome == RiskAssessmentOutcome.IDENTIFIED_ACTION:
        _check_choice(errors, "risk_result", risk_result, RiskResult,
                      "Select whether the risk remains, was reduced or was removed")
    else:
        risk_result = ""
    if risk_outcome == RiskAssessmentOutcome.IDENTIFIED_NO_ACTION:
        if not (no_action_reason or "").strip():
            errors["no_action_reason"] = "Say why no action was taken"
    else:
        no_action_reason = ""
    if concern.outcomes_asked == OutcomesAsked.EXPRESSED:
        _check_choice(errors, "outcomes_achieved", outcomes_achieved, OutcomesAchieved,
                      "Select whether the outcomes they wanted were fully, partially or not achieved")
    elif outcomes_achieved and outcomes_achieved not in OutcomesAchieved.values:
        errors["outcomes_achieved"] = "Select an answer from the list"
    if feedback_offered is None:
        errors["feedback_offered"] = "Select whether they were offered the chance to give feedback"
    concluded_on = concluded_on or timezone.localdate()
    if concluded_on > timezone.localdate():
        errors["concluded_on"] = "The date the enquiry concluded must be today or in the past"
    elif concluded_on < enquiry.started_on:
        errors["concluded_on"] = "The enquiry cannot conclude before it started"
    _raise(errors)
    enquiry.risk_outcome, enquiry.risk_result, enquiry.no_action_reason = risk_outcome, risk_result, (
        no_action_reason or "").strip()
    enquiry.outcomes_achieved, enquiry.feedback_offered = outcomes_achieved, feedback_offered
    enquiry.closure_summary = (closure_summary or "").strip()
    enquiry.status, enquiry.concluded_on, enquiry.concluded_by = EnquiryStatus.CONCLUDED, concluded_on, by
    enquiry.save()
    concern.status = ConcernStatus.CLOSED
    concern.save(update_fields=["status"])
    return enquiry


# ---------------------------------------------------------------- organisational enquiries and incidents


@transaction.atomic
def organisational_enquiry_create(*, by, provider_name: str, summary: str, opened_on: dt.date | None,
                                  lead: StaffMember | None) -> OrganisationalEnquiry:
    _require(access.is_safeguarding_staff(by), "Only the safeguarding team can open an organisational enquiry.")
    errors = {}
    if not (provider_name or "").strip():
        errors["provider_name"] = "Enter the name of the provider"
    if not (summary or "").strip():
        errors["summary"] = "Say what the enquiry is about"
    if opened_on is None:
        errors["opened_on"] = "Enter the date the enquiry opened"
    if lead is None:
        errors["lead"] = "Choose who leads the enquiry"
    _raise(errors)
    return OrganisationalEnquiry.objects.create(provider_name=provider_name.strip(), summary=summary.strip(),
                                                opened_on=opened_on, lead=lead, created_by=by)


@transaction.atomic
def organisational_link(*, organisational_enquiry: OrganisationalEnquiry, enquiry: Enquiry | None, by) -> Enquiry:
    _require(access.is_safeguarding_staff(by), "Only the safeguarding team can link enquiries.")
    if enquiry is None:
        raise ValidationError({"enquiry": "There is no open enquiry with that number"})
    _may_work_on(by, enquiry.concern)
    organisational_enquiry = OrganisationalEnquiry.objects.select_for_update().get(pk=organisational_enquiry.pk)
    if organisational_enquiry.status != OrganisationalStatus.OPEN:
        raise ValidationError({"enquiry": "This organisational enquiry is closed"})
    if enquiry.organisational_enquiry_id and enquiry.organisational_enquiry_id != organisational_enquiry.pk:
        raise ValidationError({"enquiry": "This enquiry is already part of another organisational enquiry"})
    enquiry.organisational_enquiry = organisational_enquiry
    enquiry.save(update_fields=["organisational_enquiry"])
    return enquiry


@transaction.atomic
def organisational_close(*, organisational_enquiry: OrganisationalEnquiry, by, closure_summary: str,
                         closed_on: dt.date | None = None) -> OrganisationalEnquiry:
    """Close an organisational enquiry with a summary, the date and who closed it. Each adult's own enquiry
    keeps its own outcomes, so every linked enquiry must be concluded first."""
    _require(access.is_safeguarding_staff(by), "Only the safeguarding team can close an organisational enquiry.")
    org = OrganisationalEnquiry.objects.select_for_update().get(pk=organisational_enquiry.pk)
    if org.status != OrganisationalStatus.OPEN:
        raise ValidationError("This organisational enquiry is already closed.")
    errors: dict[str, str] = {}
    still_open = Enquiry.objects.filter(organisational_enquiry=org, status=EnquiryStatus.OPEN).count()
    if still_open:
        errors["__all__"] = (
            f"You cannot close this organisational enquiry yet: {still_open} adult"
            f"{'’s enquiry is' if still_open == 1 else 's’ enquiries are'} still open. Conclude each adult’s own "
            "enquiry first, with their own risk and Making Safeguarding Personal outcomes, then close this one.")
    if not (closure_summary or "").strip():
        errors["closure_summary"] = "Write a summary of what the organisational enquiry found and what changed"
    today = timezone.localdate()
    closed_on = closed_on or today
    if closed_on > today:
        errors["closed_on"] = "The date it closed must be today or in the past"
    elif closed_on < org.opened_on:
        errors["closed_on"] = "It cannot close before it opened"
    _raise(errors)
    org.status, org.closed_on, org.closed_by = OrganisationalStatus.CLOSED, closed_on, by
    org.closure_summary = closure_summary.strip()
    org.save()
    return org


@transaction.atomic
def feedback_record(*, enquiry: Enquiry, by, agreed: bool | None, listened_to: str = "", got_outcomes: str = "",
                    feels_safer: str = "", comment: str = "", given_on: dt.date | None = None) -> EnquiryFeedback:
    """After closure, when feedback was offered (GUIDE §2.9 "Feedback"): whether the adult agreed to give it
    and, if they did, the short survey, entered by staff: felt listened to, got the outcomes they wanted,
    feel safer (each yes, partly, no or did not say) and a comment in their words."""
    _may_work_on(by, enquiry.concern)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status != EnquiryStatus.CONCLUDED:
        raise ValidationError("Feedback is recorded after the enquiry has been concluded.")
    if not enquiry.feedback_offered:
        raise ValidationError("The enquiry was closed without offering feedback, so there is none to record.")
    if EnquiryFeedback.objects.filter(enquiry=enquiry).exists():
        raise ValidationError("Feedback has already been recorded for this enquiry.")
    errors: dict[str, str] = {}
    if agreed is None:
        errors["agreed"] = "Select whether they agreed to give feedback"
    elif agreed:
        for field, value, words in (("listened_to", listened_to, "they felt listened to"),
                                    ("got_outcomes", got_outcomes, "they got the outcomes they wanted"),
                                    ("feels_safer", feels_safer, "they feel safer")):
            _check_choice(errors, field, value, FeedbackAnswer, f"Select whether {words}, or did not say")
    else:
        listened_to = got_outcomes = feels_safer = comment = ""
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        errors["given_on"] = "The date must be today or in the past"
    elif enquiry.concluded_on and given_on < enquiry.concluded_on:
        errors["given_on"] = "Feedback is given after the enquiry concluded: check the date"
    _raise(errors)
    return EnquiryFeedback.objects.create(enquiry=enquiry, agreed=agreed, listened_to=listened_to,
                                          got_outcomes=got_outcomes, feels_safer=feels_safer,
                                          comment=(comment or "").strip(), given_on=given_on, recorded_by=by)


@transaction.atomic
def incident_create(*, by, provider_name: str, person=None, occurred_on: dt.date | None,
                    received_at: dt.datetime | None = None, description: str,
                    harm_caused: bool | None) -> ProviderIncident:
    _require(access.is_safeguarding_staff(by), "Only the safeguarding team records provider incidents.")
    errors = {}
    if not (provider_name or "").strip():
        errors["provider_name"] = "Enter the name of the provider"
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date of the incident"
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date of the incident must be today or in the past"
    if not (description or "").strip():
        errors["description"] = "Say what happened"
    if harm_caused is None:
        errors["harm_caused"] = "Select whether anyone was harmed"
    _raise(errors)
    return ProviderIncident.objects.create(provider_name=provider_name.strip(), person=person,
                                           occurred_on=occurred_on, received_at=received_at or timezone.now(),
                                           description=description.strip(), harm_caused=harm_caused,
                                           created_by=by)


@transaction.atomic
def incident_notifiable_only(*, incident: ProviderIncident, by, note: str) -> ProviderIncident:
    """Triage: notifiable only, not a safeguarding concern (raising a concern goes through concern_create)."""
    _require(access.is_safeguarding_staff(by), "Only the safeguarding team triages provider incidents.")
    if incident.triage != IncidentTriage.PENDING:
        raise ValidationError("This incident has already been triaged.")
    if not (note or "").strip():
        raise ValidationError({"triage_note": "Say why this is notifiable only and not a safeguarding concern"})
    incident.triage, incident.triage_note = IncidentTriage.NOTIFIABLE_ONLY, note.strip()
    incident.triaged_by, incident.triaged_at = by, timezone.now()
    incident.save()
    return incident
