"""Name, NHS number, date of birth and postcode search on the real PostgreSQL, with access logging."""

from __future__ import annotations

import datetime as dt

import pytest

from carecase.audit.access import Level
from carecase.audit.models import AccessAction, AccessBasis, RecordAccessEvent
from carecase.people.selectors import MAX_RESULTS, SearchQuery, likely_duplicates, search_people
from tests.factories import AllocationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(team, practitioner):
    """A small register with names chosen to exercise typos, sound-alikes, order and accents."""
    made = {
        "mohan": PersonFactory(given_name="Mohan", family_name="Patel", date_of_birth=dt.date(1948, 3, 2),
                               postcode="LE2 1AA", nhs_number="9434765919"),
        "asha": PersonFactory(given_name="Asha", family_name="Patel", date_of_birth=dt.date(1950, 7, 15),
                              postcode="LE2 1AA"),
        "smith": PersonFactory(given_name="John", family_name="Smith", date_of_birth=dt.date(1960, 1, 1),
                               postcode="LE1 6ZG"),
        "smyth": PersonFactory(given_name="John", family_name="Smyth", date_of_birth=dt.date(1960, 1, 1),
                               postcode="LE3 5AB"),
        "zoe": PersonFactory(given_name="Zoë", family_name="Clarke", date_of_birth=dt.date(1970, 5, 5),
                             postcode="LE18 2AB"),
        "muhammad": PersonFactory(given_name="Muhammad", family_name="Khan", date_of_birth=dt.date(1985, 2, 2),
                                  postcode="LE5 3AB"),
        "peggy": PersonFactory(given_name="Margaret", family_name="Jones", preferred_name="Peggy",
                               date_of_birth=dt.date(1935, 12, 12), postcode="LE2 6XY"),
        "catherine": PersonFactory(given_name="Catherine", family_name="Thompson",
                                   date_of_birth=dt.date(1944, 4, 4), postcode="LE4 7AB"),
    }
    AllocationFactory(person=made["mohan"], team=team, worker=practitioner)
    return made


def ids(rows):
    return [r.id for r in rows]


def find(user, **query):
    return search_people(user=user.user, query=SearchQuery(**query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mohan Patel", "mohan"),
        ("patel mohan", "mohan"),  # any order
        ("PATEL, Mohan", "mohan"),
        ("Moh Pat", "mohan"),  # prefixes of three letters or more
        ("mohan patle", "mohan"),  # two letters swapped
        ("mohan ptel", "mohan"),  # a letter missing
        ("mohan pattel", "mohan"),  # a letter extra
        ("mohan patil", "mohan"),  # a letter changed
        ("john smyth", "smyth"),
        ("zoe clarke", "zoe"),  # no accent typed
        ("Zoë Clarke", "zoe"),
        ("zoe clark", "zoe"),
        ("peggy jones", "peggy"),  # preferred name
        ("margaret jones", "peggy"),
        ("mohammed khan", "muhammad"),  # sound-alike spelling
        ("mohamed khan", "muhammad"),
        ("kathryn thomson", "catherine"),  # sound-alike and a letter missing
        ("katherine thompson", "catherine"),
    ],
)
def test_name_search_finds_the_person(people, practitioner, query, expected):
    rows = find(practitioner, name=query)
    assert people[expected].id in ids(rows)
    # and it is the best match (or tied with it)
    assert rows[0].score == max(r.score for r in rows)
    assert next(r for r in rows if r.id == people[expected].id).score == rows[0].score


@pytest.mark.parametrize("query", ["sean patel", "mo pa", "bob smith", "xyzzy"])
def test_name_search_does_not_find_unrelated_people(people, practitioner, query):
    assert find(practitioner, name=query) == []


def test_sound_alike_finds_both_spellings(people, practitioner):
    rows = find(practitioner, name="John Smith")
    assert set(ids(rows)) == {people["smith"].id, people["smyth"].id}


def test_exact_match_ranks_before_fuzzy(people, practitioner):
    rows = find(practitioner, name="John Smith")
    assert ids(rows) == [people["smith"].id, people["smyth"].id]
    assert rows[0].score == 1.0 > rows[1].score
    rows = find(practitioner, name="John Smyth")
    assert ids(rows) == [people["smyth"].id, people["smith"].id]


def test_family_name_alone_finds_the_whole_family(people, practitioner):
    rows = find(practitioner, name="Patel")
    assert ids(rows) == [people["asha"].id, people["mohan"].id]  # equal scores: ordered by given name


def test_nhs_number_search_with_spaces(people, practitioner):
    assert ids(find(practitioner, nhs_number="943 476 5919")) == [people["mohan"].id]
    assert ids(find(practitioner, nhs_number="943-476-5919")) == [people["mohan"].id]
    assert find(practitioner, nhs_number="943 476 5918") == []


def test_date_of_birth_search(people, practitioner):
    rows = find(practitioner, date_of_birth=dt.date(1960, 1, 1))
    assert set(ids(rows)) == {people["smith"].id, people["smyth"].id}


def test_full_postcode_search_in_any_case_and_spacing(people, practitioner):
    expected = {people["mohan"].id, people["asha"].id}
    assert set(ids(find(practitioner, postcode="LE2 1AA"))) == expected
    assert set(ids(find(practitioner, postcode="le21aa"))) == expected


def test_outward_code_search_matches_the_district_only(people, practitioner):
    assert set(ids(find(practitioner, postcode="LE2"))) == {people["mohan"].id, people["asha"].id, people["peggy"].id}
    # "LE1" must not find LE18
    assert ids(find(practitioner, postcode="le1")) == [people["smith"].id]
    assert ids(find(practitioner, postcode="LE18")) == [people["zoe"].id]


def test_combined_filters_narrow_the_results(people, practitioner):
    assert ids(find(practitioner, name="patel", postcode="LE2")) == [people["asha"].id, people["mohan"].id]
    assert ids(find(practitioner, name="patel", postcode="LE2", date_of_birth=dt.date(1948, 3, 2))) == [
        people["mohan"].id
    ]
    assert find(practitioner, name="patel", postcode="LE1") == []
    assert ids(find(practitioner, name="john smith", date_of_birth=dt.date(1960, 1, 1), postcode="LE3 5AB")) == [
        people["smyth"].id
    ]


@pytest.mark.parametrize(
    "query",
    [{}, {"name": ""}, {"name": "   "}, {"name": "!!! ..."}, {"postcode": ""}, {"postcode": "   "},
     {"nhs_number": "   "}, {"nhs_number": " - "}],
)
def test_empty_query_returns_nothing_and_logs_nothing(people, practitioner, query):
    PersonFactory(nhs_number="")  # a blank NHS number must not match a blank query
    assert find(practitioner, **query) == []
    assert not RecordAccessEvent.objects.exists()


def test_administrators_get_nothing_and_nothing_is_logged(people, administrator):
    assert find(administrator, name="Patel") == []
    assert find(administrator, nhs_number="9434765919") == []
    assert not RecordAccessEvent.objects.exists()


def test_inactive_staff_get_nothing(people, practitioner):
    practitioner.user.is_active = False
    practitioner.user.save()
    assert find(practitioner, name="Patel") == []


def test_result_cap_by_name_and_by_filter_only(db, practitioner):
    PersonFactory.create_batch(MAX_RESULTS + 10, family_name="Jones", postcode="LE4 1AA")
    by_name = find(practitioner, name="Jones")
    assert len(by_name) == MAX_RESULTS
    by_postcode = find(practitioner, postcode="LE4 1AA")
    assert len(by_postcode) == MAX_RESULTS
    assert RecordAccessEvent.objects.filter(action=AccessAction.SEARCH).count() == 2 * MAX_RESULTS


def test_exact_matches_are_not_crowded_out_by_fuzzy_ones_past_the_cap(db, practitioner):
    PersonFactory.create_batch(MAX_RESULTS + 5, given_name="Jon", family_name="Smyth")
    wanted = PersonFactory(given_name="Jon", family_name="Smith")
    rows = find(practitioner, name="jon smith")
    assert len(rows) == MAX_RESULTS
    assert rows[0].id == wanted.id


def test_search_logs_one_event_per_person_shown_with_the_basis(people, practitioner):
    rows = find(practitioner, name="Patel")
    events = RecordAccessEvent.objects.filter(user=practitioner.user)
    assert sorted(events.values_list("person_id", flat=True)) == sorted(ids(rows))
    assert all(e.action == AccessAction.SEARCH for e in events)
    assert events.get(person=people["mohan"]).basis == AccessBasis.TEAM
    assert events.get(person=people["asha"]).basis == AccessBasis.LIMITED


def test_limited_rows_show_only_name_date_of_birth_and_nhs_number(people, practitioner):
    people["asha"].date_of_death = dt.date(2024, 1, 2)
    people["asha"].save()
    rows = {r.id: r for r in find(practitioner, name="Patel")}
    asha, mohan = rows[people["asha"].id], rows[people["mohan"].id]
    assert asha.access.level == Level.LIMITED and asha.shows_details
    assert (asha.display_name, asha.date_of_birth, asha.nhs_number) == (
        "Asha Patel", dt.date(1950, 7, 15), people["asha"].nhs_number
    )
    assert asha.postcode == "" and asha.date_of_death is None
    assert mohan.access.level == Level.FULL
    assert mohan.postcode == "LE2 1AA"


def test_restricted_people_show_only_that_a_record_exists(people, practitioner, senior_manager):
    people["asha"].is_restricted = True
    people["asha"].save()
    for staff in (practitioner, senior_manager):
        row = next(r for r in find(staff, name="Asha Patel") if r.id == people["asha"].id)
        assert row.access.level == Level.RESTRICTED
        assert not row.shows_details
        assert (row.given_name, row.family_name, row.date_of_birth, row.nhs_number) == ("", "", None, "")
        assert row.is_restricted


def test_senior_manager_sees_everyone_in_full(people, senior_manager):
    rows = find(senior_manager, name="Patel")
    assert {r.access.level for r in rows} == {Level.FULL}
    assert set(RecordAccessEvent.objects.values_list("basis", flat=True)) == {AccessBasis.SENIOR}


# Likely duplicates, shown before a new person is created


def dupes(user, **kwargs):
    kwargs.setdefault("date_of_birth", None)
    return ids(likely_duplicates(user=user.user, **kwargs))


def test_duplicate_same_name_and_date_of_birth(people, practitioner):
    assert dupes(practitioner, given_name="Mohan", family_name="Patel", date_of_birth=dt.date(1948, 3, 2)) == [
        people["mohan"].id
    ]


def test_duplicate_typo_in_name_and_same_date_of_birth(people, practitioner):
    assert dupes(practitioner, given_name="Mohun", family_name="Patle", date_of_birth=dt.date(1948, 3, 2)) == [
        people["mohan"].id
    ]
    assert dupes(practitioner, given_name="Katherine", family_name="Thomson", date_of_birth=dt.date(1944, 4, 4)) == [
        people["catherine"].id
    ]


def test_duplicate_same_nhs_number_even_with_other_details_different(people, practitioner):
    assert dupes(practitioner, given_name="Someone", family_name="Else", date_of_birth=dt.date(2000, 1, 1),
                 nhs_number="943 476 5919") == [people["mohan"].id]


def test_not_a_duplicate_with_a_different_date_of_birth(people, practitioner):
    assert dupes(practitioner, given_name="Mohan", family_name="Patel", date_of_birth=dt.date(1948, 3, 3)) == []


def test_not_a_duplicate_when_only_the_family_name_matches(people, practitioner):
    assert dupes(practitioner, given_name="Rajesh", family_name="Patel", date_of_birth=dt.date(1948, 3, 2)) == []


def test_duplicate_by_name_and_postcode_when_date_of_birth_unknown(people, practitioner):
    assert dupes(practitioner, given_name="Mohan", family_name="Patel", postcode="le2 1aa") == [people["mohan"].id]
    assert dupes(practitioner, given_name="Mohan", family_name="Patel", postcode="LE5 3AB") == []


def test_restricted_duplicate_is_flagged_without_details(people, practitioner):
    people["mohan"].is_restricted = True
    people["mohan"].save()
    rows = likely_duplicates(user=practitioner.user, given_name="Mohan", family_name="Patel",
                             date_of_birth=dt.date(1948, 3, 2))
    assert [r.id for r in rows] == [people["mohan"].id]
    assert not rows[0].shows_details


@pytest.mark.parametrize(
    ("family_name", "typed"),
    [("Abdul Rahman", "Abdulrahman"), ("Abdulrahman", "Abdul Rahman"), ("De Souza", "Desouza"),
     ("Smith-Jones", "Smithjones")],
)
def test_search_finds_names_written_as_one_word_or_two(practitioner, family_name, typed):
    from carecase.people.selectors import SearchQuery, search_people
    from tests.factories import PersonFactory

    wanted = PersonFactory(given_name="Yusuf", family_name=family_name)
    PersonFactory(given_name="Yusuf", family_name="Walker")
    rows = search_people(user=practitioner.user, query=SearchQuery(name=f"Yusuf {typed}"))
    assert rows and rows[0].id == wanted.id
