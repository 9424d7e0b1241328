"""Finding people: "do we already know this child?" (DESIGN section 6).

Two steps, so search stays fast at county scale:

1. Candidates come from indexed columns only: name keys (PersonSearchKey, rebuilt on every
   change of a person's names by ``index_person``), NHS number, UPN, date of birth and the
   postcodes of people's and families' addresses. At most CANDIDATE_LIMIT candidates,
   those sharing most keys first.
2. Each candidate is scored and explained in Python (``cases.names`` for names, and the
   table below for the rest), so a worker sees why a record was suggested.

    ====================================================  ======
    evidence                                              points
    ====================================================  ======
    NHS number exact                                      100
    UPN exact                                             80
    date of birth exact                                   30
    date of birth with day and month transposed           20
    year of birth matches (year searched for, or an
    approximate date of birth in that year)               10
    current address postcode                              15
    a previous address's postcode                         8
    date of birth differs                                 -15
    different NHS number / UPN                            -50 / -40
    ====================================================  ======

Name points come from ``cases.names`` (family exact 30, given exact 25, …). A match is
shown when it reaches MINIMUM_SCORE (any positive evidence, for a search by date of birth
or postcode alone); "very likely" from 80, "likely" from 50.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from earlyhelp.exceptions import ServiceError

from . import names
from .identifiers import normalise_nhs_number, normalise_postcode, normalise_upn
from .models import FamilyMembership, Person, PersonAddress, PersonSearchKey

CANDIDATE_LIMIT = 300
MINIMUM_SCORE = 20
LIKELY_SCORE = 50
VERY_LIKELY_SCORE = 80
DUPLICATE_SCORE = LIKELY_SCORE

NHS_EXACT, NHS_DIFFERENT = 100, -50
UPN_EXACT, UPN_DIFFERENT = 80, -40
DOB_EXACT, DOB_TRANSPOSED, DOB_YEAR, DOB_DIFFERENT = 30, 20, 10, -15
POSTCODE_CURRENT, POSTCODE_PREVIOUS = 15, 8


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


# Indexing


def _names_of(person):
    yield person.given_name, person.family_name
    if person.middle_names:
        yield f"{person.given_name} {person.middle_names}", person.family_name
    if person.known_as:
        yield person.known_as, person.family_name
    for other in person.other_names.all():
        yield other.given_name or person.given_name, other.family_name or person.family_name


def index_person(person):
    """Rebuild the person's search keys from all the names they are known by."""
    PersonSearchKey.objects.filter(person=person).delete()
    if person.is_merged:
        return
    keys = set()
    for given, family in _names_of(person):
        keys |= names.search_keys(given, family)
    PersonSearchKey.objects.bulk_create(PersonSearchKey(person=person, key=key) for key in keys)


def remove_person(person):
    PersonSearchKey.objects.filter(person=person).delete()


# Retrieval


def _transposed(day):
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(day=day.month, month=day.day)


def _candidate_ids(criteria: Criteria) -> list[int]:
    found = Q(pk__in=[])
    if criteria.has_names:
        keys = names.query_keys(criteria.given_name, criteria.family_name)
        if criteria.family_name.strip():
            # A given name alone ("John") matches too many people to fetch; with a family
            # name given, candidates come from family-name keys (including swapped ones).
            keys = {key for key in keys if key.startswith("f")}
        ranked = (
            PersonSearchKey.objects.filter(key__in=keys)
            .values("person")
            .annotate(hits=Count("id"))
            .order_by("-hits", "person")
            .values_list("person", flat=True)[:CANDIDATE_LIMIT]
        )
        found |= Q(pk__in=list(ranked))
    if criteria.nhs_number:
        found |= Q(nhs_number=criteria.nhs_number)
    if criteria.upn:
        found |= Q(upn=criteria.upn)
    if not criteria.has_names:
        if criteria.date_of_birth:
            days = [criteria.date_of_birth, _transposed(criteria.date_of_birth)]
            found |= Q(date_of_birth__in=[day for day in days if day])
        if criteria.year_of_birth:
            found |= Q(
                date_of_birth__gte=datetime.date(criteria.year_of_birth, 1, 1),
                date_of_birth__lte=datetime.date(criteria.year_of_birth, 12, 31),
            )
        if criteria.postcode:
            # Confidential addresses (a refuge) are never evidence: a match on one would
            # tell anyone who searched the postcode that the person lives there.
            found |= Q(
                pk__in=PersonAddress.objects.filter(
                    postcode=criteria.postcode, is_confidential=False
                ).values("person")
            ) | Q(
                pk__in=FamilyMembership.objects.filter(
                    family__postcode=criteria.postcode, family__address_is_confidential=False
                ).values("person")
            )
    return list(Person.objects.live().filter(found).values_list("pk", flat=True)[:CANDIDATE_LIMIT])


# Scoring


def _name_evidence(criteria, person):
    best = ([], 0)
    candidates = [("", person.given_name, person.family_name)]
    if person.known_as:
        candidates.append(("known as: ", person.known_as, person.family_name))
    for other in person.other_names.all():
        label = "previous name: " if other.name_type == "previous" else "also known as: "
        candidates.append(
            (label, other.given_name or person.given_name, other.family_name or person.family_name)
        )
    for label, given, family in candidates:
        matches = names.compare_names(criteria.given_name, criteria.family_name, given, family)
        points = sum(match.points for match in matches)
        if points > best[1]:
            best = ([label + match.explanation for match in matches], points)
    return best


def _date_of_birth_evidence(criteria, person):
    born = person.date_of_birth
    if born is None:
        return [], 0
    if criteria.date_of_birth:
        if born == criteria.date_of_birth:
            return ["date of birth exact"], DOB_EXACT
        if born == _transposed(criteria.date_of_birth):
            return ["date of birth with day and month transposed"], DOB_TRANSPOSED
        if person.date_of_birth_is_approximate and born.year == criteria.date_of_birth.year:
            return ["year matches an approximate date of birth"], DOB_YEAR
        return ["date of birth differs"], DOB_DIFFERENT
    if criteria.year_of_birth and born.year == criteria.year_of_birth:
        return ["year of birth matches"], DOB_YEAR
    return [], 0


def _identifier_evidence(criteria, person):
    reasons, points = [], 0
    for searched, held, exact, different, label in (
        (criteria.nhs_number, person.nhs_number, NHS_EXACT, NHS_DIFFERENT, "NHS number"),
        (criteria.upn, person.upn, UPN_EXACT, UPN_DIFFERENT, "UPN"),
    ):
        if searched and held == searched:
            reasons.append(f"{label} exact")
            points += exact
        elif searched and held:
            reasons.append(f"different {label}")
            points += different
    return reasons, points


def _postcode_evidence(criteria, person):
    if not criteria.postcode:
        return [], 0
    addresses = [a for a in person.addresses.all() if not a.is_confidential]
    current = {a.postcode for a in addresses if a.moved_out is None}
    current |= {
        m.family.postcode
        for m in person.memberships.all()
        if m.left_on is None and not m.family.address_is_confidential
    }
    if criteria.postcode in current:
        return ["same postcode"], POSTCODE_CURRENT
    if criteria.postcode in {a.postcode for a in addresses}:
        return ["postcode of a previous address"], POSTCODE_PREVIOUS
    return [], 0


def score(criteria: Criteria, person: Person) -> Match:
    reasons, total = [], 0
    for evidence in (
        _identifier_evidence,
        _name_evidence,
        _date_of_birth_evidence,
        _postcode_evidence,
    ):
        found, points = evidence(criteria, person)
        reasons += found
        total += points
    return Match(person=person, score=total, reasons=reasons)


def find(criteria: Criteria, *, minimum_score=None) -> list[Match]:
    """People who may be the one described, best first. Access is the caller's business:
    see services.search_people, which also audits the search.

    With names or identifiers a match needs MINIMUM_SCORE; a search by date of birth or
    postcode alone shows everyone with that evidence, since it can score no more."""
    if criteria.is_empty():
        return []
    if minimum_score is None:
        strong = criteria.has_names or criteria.nhs_number or criteria.upn
        minimum_score = MINIMUM_SCORE if strong else 1
    ids = _candidate_ids(criteria)
    people = (
        Person.objects.filter(pk__in=ids)
        .select_related("owning_team")
        .prefetch_related(
            "other_names",
            "addresses",
            Prefetch("memberships", queryset=FamilyMembership.objects.select_related("family")),
        )
    )
    matches = [score(criteria, person) for person in people]
    matches = [match for match in matches if match.score >= minimum_score]
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
