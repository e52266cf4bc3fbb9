"""NHS number checksum and UK postcode validation: pure functions, no database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from carecase.people.identifiers import (
    format_nhs_number,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    validate_nhs_number,
    validate_postcode,
)


def _check_digit(nine: str) -> int:
    """The modulus 11 check digit, worked independently of the code under test (10 means unusable)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    return (11 - total % 11) % 11


# Nine leading digits whose check digit is usable, completed into a valid NHS number.
valid_nhs_numbers = (
    st.text(alphabet="0123456789", min_size=9, max_size=9)
    .filter(lambda nine: _check_digit(nine) != 10)
    .map(lambda nine: nine + str(_check_digit(nine)))
)


@pytest.mark.parametrize("value", ["9434765919", "4857773457", "9876543210", "4010232137", "0123456789"])
def test_known_valid_nhs_numbers(value):
    assert nhs_number_is_valid(value)
    validate_nhs_number(value)  # does not raise


@pytest.mark.parametrize("value", ["943 476 5919", "943-476-5919", " 943 476 5919 ", "943\t476\t5919"])
def test_spaces_and_dashes_are_ignored(value):
    assert normalise_nhs_number(value) == "9434765919"
    assert nhs_number_is_valid(value)
    validate_nhs_number(value)


@pytest.mark.parametrize("value", ["9434765918", "4857773456", "1234567890", "0123456780"])
def test_wrong_check_digit_is_invalid(value):
    assert not nhs_number_is_valid(value)
    with pytest.raises(ValidationError) as excinfo:
        validate_nhs_number(value)
    assert excinfo.value.code == "nhs_number_checksum"


def test_nine_digits_whose_check_digit_would_be_ten_are_never_valid():
    nine = next(f"{n:09d}" for n in range(1000) if _check_digit(f"{n:09d}") == 10)
    for last in "0123456789":
        assert not nhs_number_is_valid(nine + last)


@pytest.mark.parametrize("value", ["", "943476591", "94347659190", "94347659l9", "943 476 591", "NHS4765919"])
def test_wrong_length_or_non_digits_are_rejected_with_the_length_message(value):
    assert not nhs_number_is_valid(value)
    with pytest.raises(ValidationError) as excinfo:
        validate_nhs_number(value)
    assert excinfo.value.code == "nhs_number_length"
    assert "10 digits" in excinfo.value.messages[0]


def test_format_nhs_number_groups_three_three_four():
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number("943-476-5919") == "943 476 5919"
    assert format_nhs_number("12345") == "12345"  # not an NHS number: shown as typed


@given(valid_nhs_numbers)
def test_a_generated_valid_number_always_validates(number):
    assert nhs_number_is_valid(number)
    assert nhs_number_is_valid(format_nhs_number(number))
    validate_nhs_number(number)


@given(valid_nhs_numbers, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_makes_it_invalid(number, position, delta):
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert changed != number
    assert not nhs_number_is_valid(changed)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_agrees_with_the_nhs_number_package_on_the_checksum(number):
    from nhs_number import calculate_checksum

    assert nhs_number_is_valid(number) == (calculate_checksum(number[:9]) == int(number[9]))


# Postcodes


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("le16zg", "LE1 6ZG"),
        ("LE1 6ZG", "LE1 6ZG"),
        ("  le1   6zg ", "LE1 6ZG"),
        ("le2 1aa", "LE2 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("dn551pt", "DN55 1PT"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised_and_valid(typed, normalised):
    assert normalise_postcode(typed) == normalised
    validate_postcode(typed)  # does not raise
    validate_postcode(normalised)


def test_outward_code_alone_is_upper_cased_without_a_space():
    assert normalise_postcode("le2") == "LE2"
    assert normalise_postcode(" le18 ") == "LE18"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "LE1",  # outward code only
        "LE1 6Z",  # inward code too short
        "LE1 6ZGX",
        "12345",
        "QE1 1AA",  # Q is never a first letter
        "LE1 6CI",  # C and I are never in the inward code
        "LEE1 1AA",
        "not a postcode",
        "LE1-6ZG",
    ],
)
def test_invalid_postcodes_are_rejected_in_plain_english(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_postcode(value)
    assert excinfo.value.code == "postcode"
    assert excinfo.value.messages == ["Enter a real UK postcode, like LE1 6ZG"]
