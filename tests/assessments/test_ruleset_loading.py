import pytest

from assessments.engine import ruleset


def test_every_rule_file_loads_and_validates():
    ruleset.load_all()


def test_a_missing_version_is_a_clear_error():
    with pytest.raises(ruleset.RuleSetError, match="No rule set"):
        ruleset.load("eligibility", "no-such-version")


def test_approval_limits_must_rise_and_end_unlimited():
    from decimal import Decimal

    from assessments.engine import approval

    good = {"yearly_weeks": 52, "levels": [
        {"code": "a", "label": "A", "roles": ["team_leader"], "up_to_yearly": 100},
        {"code": "b", "label": "B", "roles": ["senior_manager"], "up_to_yearly": None}]}
    approval.validate(good)
    assert approval.required_level(Decimal("100"), good).code == "a"
    assert approval.required_level(Decimal("100.01"), good).code == "b"
    falling = {**good, "levels": [{**good["levels"][0], "up_to_yearly": 100},
                                  {**good["levels"][0], "code": "c", "up_to_yearly": 50}, good["levels"][1]]}
    with pytest.raises(ruleset.RuleSetError, match="above the level before"):
        approval.validate(falling)
    with pytest.raises(ruleset.RuleSetError, match="no limit"):
        approval.validate({**good, "levels": [good["levels"][0]]})
