"""The search index of people's names: what search reads instead of re-working names out.

For each person: their exact name keys (PersonSearchKey), the forms of each name they are
known by (PersonSearchName), and the county-wide variant keys (NameVariantKey: phonetic,
one-slip, nickname) that lead to those exact keys. Rebuilt by the services whenever a
person's names change.
"""

import functools
from dataclasses import dataclass

from django.core.cache import cache

from cases.models import NameSource, NameVariantKey, PersonSearchKey, PersonSearchName
from cases.people import names

# How many people are recorded (for name frequency), cached; a new person's index clears it.
POPULATION_CACHE_KEY = "cases:search:population"


def names_of(person, other_names):
    yield NameSource.NAME, person.given_name, person.family_name
    if person.middle_names:
        yield NameSource.MIDDLE, f"{person.given_name} {person.middle_names}", person.family_name
    if person.known_as:
        yield NameSource.KNOWN_AS, person.known_as, person.family_name
    for other in other_names:
        yield (
            NameSource.PREVIOUS if other.name_type == "previous" else NameSource.ALIAS,
            other.given_name or person.given_name,
            other.family_name or person.family_name,
        )


@dataclass
class SearchRows:
    """What to store for a person: their exact keys and names, and the county-wide
    variant keys that lead to those exact keys."""

    keys: list[PersonSearchKey]
    variants: set[tuple[str, str]]
    names: list[PersonSearchName]


def search_rows(person, other_names) -> SearchRows:
    """The search keys, variant keys and search names of a person known by these names."""
    keys, rows, seen = set(), [], set()
    for source, given, family in names_of(person, other_names):
        keys |= names.exact_keys(given, family)
        given_forms, family_forms = names.analyse(given), names.analyse(family)
        if (given_forms, family_forms) in seen or not (given_forms or family_forms):
            continue
        seen.add((given_forms, family_forms))
        rows.append(
            PersonSearchName(
                person=person,
                source=source,
                given_forms=given_forms.as_json() if given_forms else None,
                family_forms=family_forms.as_json() if family_forms else None,
            )
        )
    variants = {(variant, key) for key in keys for variant in _variant_keys(key)}
    return SearchRows(
        keys=[PersonSearchKey(person=person, key=key) for key in sorted(keys)],
        variants=variants,
        names=rows,
    )


@functools.lru_cache(maxsize=50_000)
def _variant_keys(exact_key):
    return frozenset(names.variant_keys(exact_key))


def store_variants(variants: set[tuple[str, str]]):
    NameVariantKey.objects.bulk_create(
        [NameVariantKey(key=key, exact_key=exact_key) for key, exact_key in sorted(variants)],
        ignore_conflicts=True,
        batch_size=5000,
    )


def index_person(person):
    """Rebuild the person's search keys and names from all the names they are known by."""
    remove_person(person)
    if person.is_merged:
        return
    rows = search_rows(person, person.other_names.all())
    PersonSearchKey.objects.bulk_create(rows.keys)
    PersonSearchName.objects.bulk_create(rows.names)
    store_variants(rows.variants)
    cache.delete(POPULATION_CACHE_KEY)


def remove_person(person):
    PersonSearchKey.objects.filter(person=person).delete()
    PersonSearchName.objects.filter(person=person).delete()
