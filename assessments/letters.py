"""Letters to people, rendered to PDF with WeasyPrint.

Every letter names a contact the person can call: the worker's full name, role, team and direct phone,
and the team's number and opening hours. A letter without one is refused, because people could not call
back when letters carried only a first name or a team inbox (GUIDE §1.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from carecase.staff.models import StaffMember

from .engine import eligibility
from .models import Assessment


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context), base_url=str(settings.BASE_DIR)).write_pdf()


class LetterRefused(ValueError):
    """The letter cannot be sent as it stands; the message says what to fix."""


@dataclass(frozen=True)
class ContactBlock:
    name: str
    role: str
    team: str
    direct_phone: str
    team_phone: str
    hours: str


def contact_block(worker_user) -> ContactBlock:
    staff = StaffMember.objects.select_related("team", "user").filter(user=worker_user).first()
    name = staff.user.get_full_name().strip() if staff else ""
    if staff is None or len(name.split()) < 2 or not staff.direct_phone.strip() or staff.team is None:
        raise LetterRefused(
            "This letter must name a contact the person can call: the worker's first name and surname, their "
            "team and a direct phone number. Ask an administrator to add the missing details to the account.")
    return ContactBlock(name=name, role=staff.job_title, team=staff.team.name, direct_phone=staff.direct_phone,
                        team_phone=staff.team.phone, hours=settings.COUNCIL_OPENING_HOURS)


def _outcome_labels(assessment: Assessment) -> dict[str, str]:
    kind = eligibility.current_rules()["kinds"][assessment.kind]
    return {o["code"]: o["label"] for o in kind["outcomes"]}


def eligibility_letter_context(assessment: Assessment) -> dict:
    if assessment.eligible is None:
        raise LetterRefused("Record your eligibility decision before sending the letter.")
    labels = _outcome_labels(assessment)
    achieved = eligibility.achieved_status(eligibility.current_rules())
    hard = [labels.get(row.code, row.code) for row in assessment.outcomes.all()
            if [s for s in row.statuses if s != achieved]]
    person = assessment.person
    return {
        "person": person,
        "assessment": assessment,
        "today": timezone.localdate(),
        "eligible": assessment.eligible,
        "hard_outcomes": hard,
        "looked_at": list(labels.values()),
        "contact": contact_block(assessment.worker),
        "council_name": settings.COUNCIL_NAME,
        "large_print": "large_print" in (person.communication_needs or []),
        "is_carer": assessment.kind == "carer",
    }


def render_eligibility_letter(assessment: Assessment) -> bytes:
    """The eligibility decision letter as PDF bytes. Raises LetterRefused."""
    return _pdf("letters/eligibility_decision.html", eligibility_letter_context(assessment))


def support_plan_context(plan) -> dict:
    from . import services

    person = plan.person
    weekly = services.plan_weekly_cost(plan)
    contribution = plan.assessed_contribution_weekly
    outcomes = []
    for outcome in plan.outcomes.all():
        outcomes.append({"outcome": outcome, "services": [s for s in plan.services.all() if s.outcome_id == outcome.id]})
    unlinked = [s for s in plan.services.all() if s.outcome_id is None]
    return {
        "person": person,
        "plan": plan,
        "assessment": plan.assessment,
        "today": timezone.localdate(),
        "outcomes": outcomes,
        "unlinked_services": unlinked,
        "weekly_cost": weekly,
        "yearly_cost": (weekly * 52).quantize(weekly.__class__("0.01")),
        "contribution": contribution,
        "council_pays_weekly": max(weekly - contribution, weekly.__class__("0")),
        "contact": contact_block(plan.assessment.worker),
        "council_name": settings.COUNCIL_NAME,
        "large_print": "large_print" in (person.communication_needs or []),
    }


def render_support_plan(plan) -> bytes:
    """The care and support plan as PDF bytes, for the person. Raises LetterRefused."""
    return _pdf("letters/support_plan.html", support_plan_context(plan))


def assessment_summary_context(assessment: Assessment) -> dict:
    from .models import WellbeingArea

    rules = eligibility.current_rules()
    kind = rules["kinds"][assessment.kind]
    achieved = eligibility.achieved_status(rules)
    meanings = {code: status["meaning"] for code, status in rules["statuses"].items()}
    labels = {o["code"]: o["label"] for o in kind["outcomes"]}
    outcomes = []
    for row in assessment.outcomes.all():
        unachieved = [s for s in row.statuses if s != achieved]
        outcomes.append({
            "label": labels.get(row.code, row.code),
            "answered": bool(row.statuses),
            "achieved": bool(row.statuses) and not unachieved,
            "how": [meanings.get(s, s) for s in unachieved],
            "description": row.description,
        })
    wellbeing = dict(WellbeingArea.choices)
    return {
        "person": assessment.person,
        "assessment": assessment,
        "today": timezone.localdate(),
        "outcomes": outcomes,
        "wellbeing_areas": [wellbeing.get(a, a) for a in assessment.wellbeing_areas],
        "sequence": list(assessment.sequence_outcomes.all()),
        "contact": contact_block(assessment.worker),
        "council_name": settings.COUNCIL_NAME,
        "large_print": "large_print" in (assessment.person.communication_needs or []),
        "is_carer": assessment.kind == "carer",
    }


def render_assessment_summary(assessment: Assessment) -> bytes:
    """The assessment summary as PDF bytes, for the person. Raises LetterRefused."""
    return _pdf("letters/assessment_summary.html", assessment_summary_context(assessment))
