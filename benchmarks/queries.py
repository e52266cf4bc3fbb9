"""The search mix: what staff type, built from people who are really in the benchmark database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

KINDS = ("exact", "reversed", "typo", "partial", "name+dob")


@dataclass(frozen=True)
class Search:
    kind: str
    name: str
    date_of_birth: date | None
    person_id: int  # who the search is looking for

    def page_params(self) -> dict[str, str]:
        params = {"name": self.name}
        if self.date_of_birth:
            params.update(dob_day=str(self.date_of_birth.day), dob_month=str(self.date_of_birth.month),
                          dob_year=str(self.date_of_birth.year))
        return params


def swap_letters(word: str, rng: random.Random) -> str:
    """The commonest typing slip: two neighbouring letters swapped ("Ptael")."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def search_mix(people: list[tuple[int, str, str, str, date | None]], n: int, seed: int = 7) -> list[Search]:
    """n searches, an equal share of each kind, in a shuffled order.

    exact: "Margaret Smith"; reversed: "Smith Margaret"; typo: two letters swapped in the family name (or
    the given name when the family name is short); partial: the first three or four letters of each name
    ("Mar Smi"); name+dob: full name and date of birth, as when checking for a duplicate.
    """
    rng = random.Random(seed)
    chosen = rng.sample(people, min(n, len(people)))
    searches = []
    for index, (person_id, given, family, preferred, dob) in enumerate(chosen):
        kind = KINDS[index % len(KINDS)]
        first = preferred if preferred and rng.random() < 0.5 else given
        first = first.split()[0]
        if kind == "exact":
            name = f"{first} {family}"
        elif kind == "reversed":
            name = f"{family} {first}"
        elif kind == "typo":
            name = f"{first} {swap_letters(family, rng)}" if len(family) >= 4 else f"{swap_letters(first, rng)} {family}"
        elif kind == "partial":
            name = f"{first[:rng.choice((3, 4))]} {family[:rng.choice((3, 4))]}"
        else:
            name = f"{first} {family}"
        searches.append(Search(kind, name, dob if kind == "name+dob" else None, person_id))
    rng.shuffle(searches)
    return searches
