"""Search, step 1: the candidates. One SQL statement gathers evidence from indexed columns
only (name keys, date of birth, postcodes, NHS number, UPN), pre-scores each person's
evidence with the points below, and keeps the strongest (see `cases.people.search`).
"""

import datetime

from django.db import connection

from cases.models import (
    Family,
    FamilyMembership,
    NameVariantKey,
    Person,
    PersonAddress,
    PersonSearchKey,
)
from cases.people import names

# Points of each kind of evidence, the same when pre-scoring here and when scoring
# (cases.people.search has the table).
NHS_EXACT, NHS_DIFFERENT = 100, -50
UPN_EXACT, UPN_DIFFERENT = 80, -40
DOB_EXACT, DOB_TRANSPOSED, DOB_YEAR, DOB_PLACEHOLDER_YEAR = 30, 20, 10, 5
# A date one digit out may be a slip, but as often another child's birthday: it does not
# count against, nor for.
DOB_ONE_DIGIT = 0
DOB_DIFFERENT, DOB_FAR_APART = -15, -30
POSTCODE_CURRENT, POSTCODE_PREVIOUS = 15, 8

# Pre-scoring points of a name key, by its prefix (cases.people.names): the points the same kind
# of agreement earns when scored.
KEY_POINTS = {
    "f": names.FAMILY_EXACT,
    "fp": names.FAMILY_SOUNDS_ALIKE,
    "fd": names.FAMILY_SPELT_DIFFERENTLY,
    "g": names.GIVEN_EXACT,
    "gn": names.GIVEN_NICKNAME,
    "gp": names.GIVEN_SOUNDS_ALIKE,
    "gd": names.GIVEN_SPELT_DIFFERENTLY,
}


def transposed(day):
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(day=day.month, month=day.day)


def is_placeholder(day: datetime.date) -> bool:
    return day.month == 1 and day.day == 1


def name_keys_and_counts(criteria) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """The exact keys to look up, each (key, kind, points), and how many people hold the
    query's own whole given and family names: one statement.

    The query's own keys and, to find records with given and family names swapped, the
    swapped name's keys; variant keys (sounds alike, one slip, nickname) are turned into
    the exact parts they lead to, each with the best points of the ways it was reached."""
    exact, variants = {}, {}
    for key in names.query_keys(criteria.given_name, criteria.family_name):
        points = KEY_POINTS[key.split(":", 1)[0]]
        found = exact if names.is_exact_key(key) else variants
        found[key] = max(found.get(key, points), points)
    wholes = _whole_name_keys(criteria)
    if not (variants or wholes):
        return _weighted(exact), {}
    statements, params = [], []
    if variants:
        statements.append(
            f"SELECT key, exact_key, 0 FROM {NameVariantKey._meta.db_table} "
            f"WHERE key IN ({', '.join(['%s'] * len(variants))})"
        )
        params += sorted(variants)
    if wholes:
        statements.append(
            f"SELECT key, '', COUNT(*) FROM {PersonSearchKey._meta.db_table} "
            f"WHERE key IN ({', '.join(['%s'] * len(wholes))}) GROUP BY key"
        )
        params += sorted(wholes)
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        for key, exact_key, holders in cursor:
            if exact_key:
                exact[exact_key] = max(exact.get(exact_key, 0), variants[key])
            else:
                counts[key] = holders
    return _weighted(exact), counts


def _weighted(exact):
    return [
        (key, "family" if key.startswith("f:") else "given", points)
        for key, points in sorted(exact.items())
    ]


def _whole_name_keys(criteria):
    """The exact keys of the query's whole names, whose holders tell a name's frequency."""
    keys = set()
    for prefix, value in (("f:", criteria.family_name), ("g:", criteria.given_name)):
        if (forms := names.analyse(value)) and len(prefix + forms.whole) <= names.MAX_KEY_LENGTH:
            keys.add(prefix + forms.whole)
    return keys


def _date_evidence_sql(criteria, table):
    """SELECTs of (person, 'dob', points) for the dates worth fetching, and their
    parameters."""
    points_by_day = {}
    if criteria.date_of_birth:
        day = criteria.date_of_birth
        if swapped := transposed(day):
            points_by_day[swapped] = DOB_TRANSPOSED
        points_by_day[day] = DOB_EXACT
    year = criteria.year_of_birth
    if not criteria.has_names and criteria.date_of_birth:
        # 1 January may stand for "born that year". With names given, the names fetch the
        # candidates; a date alone has only the year to go on.
        if is_placeholder(criteria.date_of_birth):
            year = criteria.date_of_birth.year
    parts, params = [], []
    if points_by_day:
        days = sorted(points_by_day)
        cases = " ".join("WHEN %s THEN %s" for _ in days)
        parts.append(
            f"SELECT id AS person_id, 'dob' AS kind, CASE date_of_birth {cases} END AS points "
            f"FROM {table} "
            f"WHERE merged_into_id IS NULL AND date_of_birth IN ({', '.join(['%s'] * len(days))})"
        )
        params += [value for day in days for value in (day, points_by_day[day])] + days
    if year:
        parts.append(
            f"SELECT id AS person_id, 'dob' AS kind, %s AS points FROM {table} "
            "WHERE merged_into_id IS NULL "
            "AND date_of_birth BETWEEN %s AND %s"
        )
        points = DOB_YEAR if criteria.year_of_birth else DOB_PLACEHOLDER_YEAR
        params += [points, datetime.date(year, 1, 1), datetime.date(year, 12, 31)]
    return parts, params


def strongest_candidates(criteria, name_keys, *, limit) -> list[tuple[int, int]]:
    """(person id, postcode points) of the `limit` people with the strongest
    evidence, best first: one statement, every source through an index."""
    person = Person._meta.db_table
    sources, params, query_keys = [], [], ""
    if name_keys:
        rows = ", ".join("(%s, %s, %s)" for _ in name_keys)
        query_keys = f"WITH query_key (key, kind, points) AS (VALUES {rows}) "
        params += [value for key in name_keys for value in key]
        sources.append(
            "SELECT k.person_id AS person_id, q.kind AS kind, q.points AS points "
            f"FROM {PersonSearchKey._meta.db_table} k JOIN query_key q ON q.key = k.key"
        )
    date_sources, date_params = _date_evidence_sql(criteria, person)
    sources += date_sources
    params += date_params
    if criteria.postcode:
        # Confidential addresses (a refuge) are never evidence: a match on one would tell
        # anyone who searched the postcode that the person lives there.
        sources.append(
            "SELECT person_id, 'postcode' AS kind, "
            "CASE WHEN moved_out IS NULL THEN %s ELSE %s END AS points "
            f"FROM {PersonAddress._meta.db_table} WHERE postcode = %s AND NOT is_confidential"
        )
        params += [POSTCODE_CURRENT, POSTCODE_PREVIOUS, criteria.postcode]
        sources.append(
            "SELECT m.person_id AS person_id, 'postcode' AS kind, %s AS points "
            f"FROM {FamilyMembership._meta.db_table} m "
            f"JOIN {Family._meta.db_table} f ON f.id = m.family_id "
            "WHERE f.postcode = %s AND NOT f.address_is_confidential AND m.left_on IS NULL"
        )
        params += [POSTCODE_CURRENT, criteria.postcode]
    for column, value, points in (
        ("nhs_number", criteria.nhs_number, NHS_EXACT),
        ("upn", criteria.upn, UPN_EXACT),
    ):
        if value:
            sources.append(
                f"SELECT id AS person_id, 'identifier' AS kind, %s AS points FROM {person} "
                f"WHERE merged_into_id IS NULL AND {column} = %s"
            )
            params += [points, value]
    if not sources:
        return []
    evidence = " UNION ALL ".join(sources)
    # Pre-scores are summed over every piece of evidence (a postcode on two addresses counts
    # twice): they only choose whom to score, and one level of grouping keeps it quick.
    sql = (
        f"{query_keys}SELECT e.person_id, SUM(e.points) AS total, "
        "MAX(CASE WHEN e.kind = 'postcode' THEN e.points ELSE 0 END) "
        f"FROM ({evidence}) e GROUP BY e.person_id ORDER BY total DESC, e.person_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(person_id, postcode_points) for person_id, _, postcode_points in cursor]
