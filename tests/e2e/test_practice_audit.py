"""The practice audit in a real browser: a team leader follows the link from the worktray, reads the
counts for their team, sees no free-text return reasons and changes the period; axe-clean throughout."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment, AssessmentStatus, AssessmentTransition, SequenceOutcome

from .conftest import assert_accessible, sign_in


def _audit_data(world) -> None:
    """Asha (City East): one assessment this month, returned once then authorised, two outcomes: 4 of 4
    steps (justified) and 4 of 5 (already supported, justified by a crisis override). Ben (City West)
    has one too, which the East leader must not see."""
    user = world["worker"].user
    a = Assessment.objects.create(person=world["mohan"], assessment_type="needs", worker=user,
                                  started_on=timezone.localdate().replace(day=1), status=AssessmentStatus.AUTHORISED)
    AssessmentTransition.objects.create(assessment=a, from_status="submitted", to_status="returned", by=user,
                                        reason="Step 2 has no note")
    AssessmentTransition.objects.create(assessment=a, from_status="submitted", to_status="authorised", by=user)
    for code, existing, missing, override in (("meals", False, [], ""),
                                              ("washing", True, ["done_differently"], "Carer in hospital")):
        SequenceOutcome.objects.create(assessment=a, code=code, label=code, existing_support=existing,
                                       formal_support_requested=True, crisis_override_reason=override,
                                       status="formal_support_justified",
                                       result={"status": "formal_support_justified", "missing": missing})
    ben = world["west"].members.get().user
    Assessment.objects.create(person=world["elsewhere"], assessment_type="needs", worker=ben,
                              started_on=timezone.localdate())


def test_team_leader_reads_the_practice_audit(page, world):
    _audit_data(world)
    sign_in(page, "leader")
    page.get_by_role("link", name="Practice audit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice audit")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Asha Mistry")
    expect(table).not_to_contain_text("Ben Hall")
    expect(table).not_to_contain_text("Mohan")
    expect(table.locator("#audit-totals")).to_contain_text("8 of 9")
    expect(table.locator("#audit-totals")).to_contain_text("(89%)")
    expect(table.locator("#audit-totals")).to_contain_text("50%")
    assert_accessible(page)

    # Return reasons are free text that may name a person, so this counts-only page does not show them.
    expect(table.get_by_text("Step 2 has no note")).to_have_count(0)

    page.get_by_label("Period").select_option("3")
    page.get_by_role("button", name="Show audit").click()
    expect(page.get_by_role("table")).to_contain_text("last 3 months")
    assert_accessible(page)
