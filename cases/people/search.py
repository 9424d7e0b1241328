"""Finding people: "do we already know this child?" (DESIGN section 6).

Two steps, so search stays fast and right at a county's size (150,000 people):

1. Candidates. One SQL statement gathers evidence from indexed columns only: name keys
   (PersonSearchKey, for given and family names, swapped too, reached from phonetic,
   one-slip and nickname keys through NameVariantKey), date of birth (exact, day and month
   transposed, a year searched for, or the year of a 1 January searched for with no
   names), postcodes of people's and families' addresses,
   NHS number and UPN. Each person's evidence is pre-scored in SQL with the points below,
   and the CANDIDATE_LIMIT best are kept: the cut keeps the strongest evidence,
   never the oldest records, and a family name that finds nothing still leaves the given
   name, date of birth and postcode to find the child. (``cases.people.candidates``; the
   index it reads is kept by ``cases.people.indexing``.)
2. Scoring, here. Each candidate is scored and explained in Python from the forms stored with
   their names (PersonSearchName: no name is re-normalised or re-coded per search), so a
   worker sees why a record was suggested and what counts against it.

    ====================================================  ======
    evidence                                              points
    ====================================================  ======
    NHS number exact                                      100
    UPN exact                                             80
    date of birth exact                                   30
    date of birth with day and month transposed           20
    year of birth matches (year searched for, or an
    approximate date of birth in that year)               10
    year matches a date of 1 January (searched for or
    recorded), which often stands for an unknown date     5
    date of birth one digit different (a typing slip?)    0
    current address postcode                              15
    a previous address's postcode                         8
    date of birth differs, by up to a year                -15
    date of birth differs by more than a year             -30
    different NHS number / UPN                            -50 / -40
    ====================================================  ======

Name points come from ``cases.people.names`` (family exact 30, given exact 25, … given name
differs -35, family name differs -10). Agreeing on a name many people here share says less
than agreeing on a rare one: an exact family or given name held by at least 1 in
COMMON_NAME_SHARE of the people recorded (and at least COMMON_NAME_MINIMUM of them) counts
NAME_FREQUENCY_ADJUSTMENT less, and one held by at most 1 in RARE_NAME_SHARE counts that
much more. A match is shown when it reaches MINIMUM_SCORE (any positive evidence, for a
search by date of birth or postcode alone); "very likely" from 80, "likely" from 50.
"""

import datetime
import functools
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection

from cases.models import NameSource, Person, PersonSearchName
from cases.people import names
from cases.people.candidates import (
    DOB_DIFFERENT,
    DOB_EXACT,
    DOB_FAR_APART,
    DOB_ONE_DIGIT,
    DOB_PLACEHOLDER_YEAR,
    DOB_TRANSPOSED,
    DOB_YEAR,
    NHS_DIFFERENT,
    NHS_EXACT,
    POSTCODE_CURRENT,
    POSTCODE_PREVIOUS,
    UPN_DIFFERENT,
    UPN_EXACT,
    is_placeholder,
    name_keys_and_counts,
    strongest_candidates,
    transposed,
)
from cases.people.identifiers import normalise_nhs_number, normalise_postcode, normalise_upn
from cases.people.indexing import POPULATION_CACHE_KEY, names_of

# Keeping the index is part of search's own interface (the services and tests call it here).
from cases.people.indexing import index_person as index_person
from cases.people.indexing import remove_person as remove_person
from earlyhelp.exceptions import ServiceError

CANDIDATE_LIMIT = 100
MINIMUM_SCORE = 20
LIKELY_SCORE = 50
VERY_LIKELY_SCORE = 80
DUPLICATE_SCORE = LIKELY_SCORE

COMMON_NAME_SHARE = 250
COMMON_NAME_MINIMUM = 20
RARE_NAME_SHARE = 20_000
NAME_FREQUENCY_ADJUSTMENT = 5
POPULATION_CACHE_SECONDS = 600

NAME_LABELS = {
    NameSource.NAME: "",
    NameSource.MIDDLE: "",
    NameSource.KNOWN_AS: "known as: ",
    NameSource.PREVIOUS: "previous name: ",
    NameSource.ALIAS: "also known as: ",
}


@dataclass(frozen=True)
class Criteria:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    year_of_birth: int | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    def __post_init__(self):
        # Frozen, so normalise through object.__setattr__ once, here.
        object.__setattr__(self, "nhs_number", normalise_nhs_number(self.nhs_number or ""))
        object.__setattr__(self, "upn", normalise_upn(self.upn or ""))
        object.__setattr__(self, "postcode", normalise_postcode(self.postcode or ""))

    @property
    def has_names(self):
        return bool(self.given_name.strip() or self.family_name.strip())

    def is_empty(self):
        return not any(
            (
                self.has_names,
                self.date_of_birth,
                self.year_of_birth,
                self.nhs_number,
                self.upn,
                self.postcode,
            )
        )

    def as_audit_terms(self):
        terms = {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "year_of_birth": self.year_of_birth or "",
            "nhs_number": self.nhs_number,
            "upn": self.upn,
            "postcode": self.postcode,
        }
        return {key: value for key, value in terms.items() if value}


@dataclass
class Match:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def confidence(self):
        if self.score >= VERY_LIKELY_SCORE:
            return "Very likely"
        if self.score >= LIKELY_SCORE:
            return "Likely"
        return "Possible"


class PossibleDuplicates(ServiceError):
    """Creating a person was refused because records like it exist."""

    def __init__(self, matches):
        super().__init__(
            "There are records that may be this person: check them, and confirm this is "
            "someone else to create a new record",
            field="confirmed_not_duplicate",
        )
        self.matches = matches


# Name frequency


def _population() -> int:
    population = cache.get(POPULATION_CACHE_KEY)
    if population is None:
        population = Person.objects.live().count()
        cache.set(POPULATION_CACHE_KEY, population, POPULATION_CACHE_SECONDS)
    return population


def _frequency_bands(criteria, counts) -> dict[str, str]:
    """ "common" or "rare" for the query's whole given and family names, where they are."""
    population = _population()
    bands = {}
    for which, prefix, value in (
        ("family", "f:", criteria.family_name),
        ("given", "g:", criteria.given_name),
    ):
        forms = names.analyse(value)
        if forms is None:
            continue
        holders = counts.get(prefix + forms.whole, 0)
        if holders >= COMMON_NAME_MINIMUM and holders * COMMON_NAME_SHARE >= population:
            bands[which] = "common"
        elif holders * RARE_NAME_SHARE <= population:
            bands[which] = "rare"
    return bands


# Scoring


@dataclass
class Candidate:
    """What scoring needs of one person."""

    pk: int
    names: list[tuple[str, names.NameForms | None, names.NameForms | None]]
    date_of_birth: datetime.date | None = None
    date_of_birth_is_approximate: bool = False
    nhs_number: str = ""
    upn: str = ""
    postcode_points: int = 0


@dataclass(frozen=True)
class _Query:
    """The search's own name forms and name frequencies, worked out once per search."""

    criteria: Criteria
    given: names.NameForms | None
    family: names.NameForms | None
    bands: dict
    # Candidates share names (every Brown): each distinct name is compared once a search.
    compared: dict = field(default_factory=dict)

    def compare(self, given, family) -> tuple[list[names.NameMatch], int]:
        key = (given, family)
        if key not in self.compared:
            matches = [
                _adjusted_for_frequency(match, self.bands.get(match.explanation.split()[0]))
                if match.explanation in ("family name exact", "given name exact")
                else match
                for match in names.compare_forms(self.given, self.family, given, family)
            ]
            self.compared[key] = (matches, sum(match.points for match in matches))
        return self.compared[key]


def _query(criteria, counts):
    given, family = names.analyse(criteria.given_name), names.analyse(criteria.family_name)
    bands = _frequency_bands(criteria, counts) if criteria.has_names else {}
    return _Query(criteria=criteria, given=given, family=family, bands=bands)


def _adjusted_for_frequency(match, band):
    if band == "common":
        return names.NameMatch(
            f"{match.explanation} (a common name here)",
            match.points - NAME_FREQUENCY_ADJUSTMENT,
        )
    if band == "rare":
        return names.NameMatch(
            f"{match.explanation} (a rare name here)", match.points + NAME_FREQUENCY_ADJUSTMENT
        )
    return match


def _name_evidence(query, candidate):
    best = None
    for label, given, family in candidate.names:
        matches, points = query.compare(given, family)
        if best is None or points > best[1]:
            best = ([label + match.explanation for match in matches], points)
    return best or ([], 0)


def _one_digit_apart(first, second):
    return sum(a != b for a, b in zip(_digits(first), _digits(second), strict=True)) == 1


@functools.lru_cache(maxsize=50_000)
def _digits(day):
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _date_of_birth_evidence(criteria, candidate):
    born = candidate.date_of_birth
    if born is None:
        return [], 0
    searched = criteria.date_of_birth
    if searched:
        if born == searched:
            return ["date of birth exact"], DOB_EXACT
        if born == transposed(searched):
            return ["date of birth with day and month transposed"], DOB_TRANSPOSED
        if born.year == searched.year:
            if candidate.date_of_birth_is_approximate:
                return ["year matches an approximate date of birth"], DOB_YEAR
            if is_placeholder(searched) or is_placeholder(born):
                return [
                    "year of birth matches (1 January often stands for an unknown date)"
                ], DOB_PLACEHOLDER_YEAR
        if _one_digit_apart(born, searched):
            return ["date of birth one digit different (a typing slip?)"], DOB_ONE_DIGIT
        if abs((born - searched).days) <= 366:
            return ["date of birth differs"], DOB_DIFFERENT
        return ["date of birth differs by more than a year"], DOB_FAR_APART
    if criteria.year_of_birth and born.year == criteria.year_of_birth:
        return ["year of birth matches"], DOB_YEAR
    return [], 0


def _identifier_evidence(criteria, candidate):
    reasons, points = [], 0
    for searched, held, exact, different, label in (
        (criteria.nhs_number, candidate.nhs_number, NHS_EXACT, NHS_DIFFERENT, "NHS number"),
        (criteria.upn, candidate.upn, UPN_EXACT, UPN_DIFFERENT, "UPN"),
    ):
        if searched and held == searched:
            reasons.append(f"{label} exact")
            points += exact
        elif searched and held:
            reasons.append(f"different {label}")
            points += different
    return reasons, points


def _postcode_evidence(criteria, candidate):
    if candidate.postcode_points >= POSTCODE_CURRENT:
        return ["same postcode"], POSTCODE_CURRENT
    if candidate.postcode_points:
        return ["postcode of a previous address"], POSTCODE_PREVIOUS
    return [], 0


def _score(query: _Query, candidate: Candidate) -> tuple[int, list[str]]:
    reasons, total = [], 0
    for found, points in (
        _identifier_evidence(query.criteria, candidate),
        _name_evidence(query, candidate),
        _date_of_birth_evidence(query.criteria, candidate),
        _postcode_evidence(query.criteria, candidate),
    ):
        reasons += found
        total += points
    return total, reasons


@functools.lru_cache(maxsize=50_000)
def _stored_forms(text: str | None) -> names.NameForms | None:
    """Stored forms (JSON text), decoded once per process: a county has a few thousand
    distinct names, and most candidates of a search share a handful of them."""
    return names.NameForms.from_json(json.loads(text)) if text else None


def _load_candidates(found: list[tuple[int, int]]) -> list[Candidate]:
    """The people found, with what scoring needs: one statement."""
    postcode_points = dict(found)
    person, search_name = Person._meta.db_table, PersonSearchName._meta.db_table
    # JSON columns are read as text: _stored_forms decodes each distinct name once.
    text = "::text" if connection.vendor == "postgresql" else ""
    sql = (
        "SELECT p.id, p.date_of_birth, p.date_of_birth_is_approximate, p.nhs_number, p.upn, "
        f"n.source, n.given_forms{text}, n.family_forms{text} "
        f"FROM {person} p LEFT JOIN {search_name} n ON n.person_id = p.id "
        f"WHERE p.merged_into_id IS NULL AND p.id IN ({', '.join(['%s'] * len(found))}) "
        "ORDER BY p.id, n.id"
    )
    candidates = {}
    date_field = Person._meta.get_field("date_of_birth")
    with connection.cursor() as cursor:
        cursor.execute(sql, list(postcode_points))
        for pk, born, approximate, nhs, upn, source, given, family in cursor:
            candidate = candidates.get(pk)
            if candidate is None:
                candidate = candidates[pk] = Candidate(
                    pk=pk,
                    names=[],
                    date_of_birth=date_field.to_python(born),
                    date_of_birth_is_approximate=bool(approximate),
                    nhs_number=nhs,
                    upn=upn,
                    postcode_points=postcode_points[pk],
                )
            if source is not None:
                candidate.names.append(
                    (NAME_LABELS.get(source, ""), _stored_forms(given), _stored_forms(family))
                )
    return list(candidates.values())


def _candidate_from(person, criteria) -> Candidate:
    """A person as scoring sees them, worked out from the record itself (``score``)."""
    addresses = [a for a in person.addresses.all() if not a.is_confidential]
    current = {a.postcode for a in addresses if a.moved_out is None} | {
        m.family.postcode
        for m in person.memberships.all()
        if m.left_on is None and not m.family.address_is_confidential
    }
    postcode_points = 0
    if criteria.postcode in current:
        postcode_points = POSTCODE_CURRENT
    elif criteria.postcode in {a.postcode for a in addresses}:
        postcode_points = POSTCODE_PREVIOUS
    return Candidate(
        pk=person.pk,
        names=[
            (NAME_LABELS[source], names.analyse(given), names.analyse(family))
            for source, given, family in names_of(person, person.other_names.all())
        ],
        date_of_birth=person.date_of_birth,
        date_of_birth_is_approximate=person.date_of_birth_is_approximate,
        nhs_number=person.nhs_number,
        upn=person.upn,
        postcode_points=postcode_points if criteria.postcode else 0,
    )


def score(criteria: Criteria, person: Person) -> Match:
    """One person scored and explained against the criteria."""
    _, counts = name_keys_and_counts(criteria)
    total, reasons = _score(_query(criteria, counts), _candidate_from(person, criteria))
    return Match(person=person, score=total, reasons=reasons)


def find(criteria: Criteria, *, minimum_score=None) -> list[Match]:
    """People who may be the one described, best first. Access is
    the caller's business: see services.search_people, which also audits the search.

    With names or identifiers a match needs MINIMUM_SCORE; a search by date of birth or
    postcode alone shows everyone with that evidence, since it can score no more."""
    if criteria.is_empty():
        return []
    if minimum_score is None:
        strong = criteria.has_names or criteria.nhs_number or criteria.upn
        minimum_score = MINIMUM_SCORE if strong else 1
    name_keys, counts = name_keys_and_counts(criteria) if criteria.has_names else ([], {})
    found = strongest_candidates(criteria, name_keys, limit=CANDIDATE_LIMIT)
    if not found:
        return []
    query = _query(criteria, counts)
    scored = []
    for candidate in _load_candidates(found):
        total, reasons = _score(query, candidate)
        if total >= minimum_score:
            scored.append((total, reasons, candidate.pk))
    people = Person.objects.select_related("owning_team").in_bulk([pk for *_, pk in scored])
    matches = [
        Match(person=people[pk], score=total, reasons=reasons) for total, reasons, pk in scored
    ]
    # Equal scores: by name, as a worker reads a list.
    return sorted(matches, key=lambda m: (-m.score, m.person.family_name, m.person.pk))


def likely_duplicates_of(person: Person) -> list[Match]:
    criteria = Criteria(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        upn=person.upn,
    )
    return [
        match
        for match in find(criteria, minimum_score=DUPLICATE_SCORE)
        if match.person.pk != person.pk
    ]
