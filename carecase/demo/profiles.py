"""The three demo profiles. Figures are Leicester's and Leicestershire's published ones (GUIDE §6)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import names, places


@dataclass(frozen=True)
class Profile:
    name: str
    long_term: int  # people on long-term support
    short_term: int  # people who had short-term support (mostly reablement) in the last year
    waiting: int  # people waiting for a needs assessment
    requests_per_year: int  # new contacts (CLD requests) in the last twelve months
    teams: tuple[places.TeamSpec, ...]
    areas: tuple[places.Area, ...]
    ethnicity: tuple[tuple[str, float], ...]
    demo_team: str
    locality_merge: dict[str, str] = field(default_factory=dict)
    description: str = ""
    # People with support for over a year and no review in the last 12 months (GUIDE §2.7): a number, or
    # failing that a share of the people whose plan started over a year ago.
    reviews_overdue: int | None = None
    reviews_overdue_share: float = 0.0


PROFILES = {
    "small": Profile(
        name="small",
        long_term=75,
        short_term=21,
        waiting=32,
        requests_per_year=190,
        teams=places.SMALL_TEAMS,
        areas=places.LEICESTER_AREAS,
        ethnicity=names.LEICESTER_ETHNICITY,
        demo_team="Older Adults: City East",
        locality_merge=places.SMALL_LOCALITY_MERGE,
        description="about 300 people: Leicester's shape at 1.5% of its size",
        reviews_overdue=round(2463 * 75 / 5079),  # Leicester's, scaled: 36
    ),
    "leicester": Profile(
        name="leicester",
        # Leicester 2023/24 local account: 5,079 on long-term support, 1,395 short-term,
        # 2,101 waiting for assessment at year end, 12,884 new requests.
        long_term=5079,
        short_term=1395,
        waiting=2101,
        requests_per_year=12884,
        teams=places.LEICESTER_TEAMS,
        areas=places.LEICESTER_AREAS,
        ethnicity=names.LEICESTER_ETHNICITY,
        demo_team="Older Adults: City East",
        description="Leicester City at full scale: about 20,000 people",
        # 2023/24 local account: 2,463 people supported for over 12 months were not reviewed in 12 months.
        reviews_overdue=2463,
    ),
    "county": Profile(
        name="county",
        # Leicestershire: 7,150 on long-term support (2020/21), 2,515 reablement episodes,
        # about 27,000 contacts a year; the waiting list is suggested.
        long_term=7150,
        short_term=2515,
        waiting=2900,
        requests_per_year=27000,
        teams=places.COUNTY_TEAMS,
        areas=places.COUNTY_AREAS,
        ethnicity=names.COUNTY_ETHNICITY,
        demo_team="Older Adults: Charnwood",
        description="Leicestershire County at full scale: about 40,000 people",
        # Leicestershire: 68% reviewed within 12 months by November 2021 (3,433 of 5,048), so 32% not.
        reviews_overdue_share=1 - 3433 / 5048,
    ),
}
