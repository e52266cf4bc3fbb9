import pytest

from assessments.engine import ruleset


def test_every_rule_file_loads_and_validates():
    ruleset.load_all()


def test_a_missing_version_is_a_clear_error():
    with pytest.raises(ruleset.RuleSetError, match="No rule set"):
        ruleset.load("eligibility", "no-such-version")
