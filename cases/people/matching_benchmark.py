"""Measure person matching at a county's size (``manage.py person_matching_benchmark``).

Loads a population and labelled queries (the CSV files of the shared person-matching
generator: people.csv and queries.csv) through the product's own models and search keys,
runs every query through ``cases.people.search.find``, the search the API uses, and through
``GET /api/people/search/`` itself, and measures:

- top-1: the expected person is the first result (queries for people who are recorded);
- top-1 likely: first and scored "likely" or better;
- recall@5: among the first five;
- false "likely": for people who are not recorded, the first result is "likely" or better,
  over all of them and over unrecorded twins alone (kind neg_twin);
- milliseconds per search, inside ``find`` and through the API, p50 and p95.
"""

import csv
import datetime
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Agency, AgencyType, Role, Team, User
from cases.models import (
    NameVariantKey,
    Person,
    PersonAddress,
    PersonName,
    PersonSearchKey,
    PersonSearchName,
)
from cases.people import indexing, search
from cases.people.identifiers import normalise_postcode

BENCHMARK_NAME = "Person-matching benchmark"
BENCHMARK_USER = "person-matching-benchmark@example.invalid"
BATCH = 5000
SEXES = {"F": "female", "M": "male"}
PEOPLE_COLUMNS = (
    "person_id", "given_name", "family_name", "known_as", "previous_family_name", "dob", "sex",
    "postcode", "nhs_number", "upn",
)  # fmt: skip
QUERY_COLUMNS = (
    "query_id", "given_name", "family_name", "dob", "postcode", "nhs_number",
    "expected_person_id", "kind",
)  # fmt: skip


class BenchmarkError(Exception):
    pass


# Loading


def benchmark_team() -> Team:
    agency, _ = Agency.objects.get_or_create(
        name=BENCHMARK_NAME, defaults={"agency_type": AgencyType.COUNCIL_EARLY_HELP}
    )
    team, _ = Team.objects.get_or_create(name=BENCHMARK_NAME, agency=agency)
    return team


def loaded_people(team) -> list[int]:
    return list(Person.objects.filter(owning_team=team).order_by("pk").values_list("pk", flat=True))


def _person(row, team, today):
    person = Person(
        given_name=row["given_name"],
        family_name=row["family_name"],
        known_as=row["known_as"],
        date_of_birth=row["dob"],
        sex=SEXES.get(row["sex"], "not_known"),
        nhs_number=row["nhs_number"],
        upn=row["upn"],
        owning_team=team,
    )
    person.record_type = "child" if person.age_on(today) < 18 else "adult"
    return person


def _load_batch(rows, team, today):
    people = Person.objects.bulk_create(_person(row, team, today) for row in rows)
    other_names = {}
    for person, row in zip(people, rows, strict=True):
        if row["previous_family_name"]:
            other_names[person.pk] = [
                PersonName(
                    person=person, name_type="previous", family_name=row["previous_family_name"]
                )
            ]
    PersonName.objects.bulk_create(name for names in other_names.values() for name in names)
    PersonAddress.objects.bulk_create(
        PersonAddress(
            person=person,
            line_1="Benchmark address",
            town="Benchmark county",
            postcode=normalise_postcode(row["postcode"]),
        )
        for person, row in zip(people, rows, strict=True)
        if row["postcode"]
    )
    keys, names, variants = [], [], set()
    for person in people:
        rows = indexing.search_rows(person, other_names.get(person.pk, []))
        keys += rows.keys
        names += rows.names
        variants |= rows.variants
    PersonSearchKey.objects.bulk_create(keys, batch_size=BATCH)
    PersonSearchName.objects.bulk_create(names, batch_size=BATCH)
    indexing.store_variants(variants)
    return [person.pk for person in people]


def load_population(people_csv: Path, *, reload=False, progress=None) -> dict[int, str]:
    """The population in the database, loaded now or by an earlier run: {pk: person_id}.

    Refuses a database holding anyone but an earlier benchmark's people: the benchmark is
    for a database of its own."""
    if connection.vendor != "postgresql":
        raise BenchmarkError("The benchmark measures PostgreSQL: set DATABASE_URL to one")
    team = benchmark_team()
    if Person.objects.exclude(owning_team=team).exists():
        raise BenchmarkError(
            "This database holds records of real or demo people: run the benchmark on a "
            "database of its own"
        )
    rows = read_csv(people_csv, PEOPLE_COLUMNS, required_date="dob")
    pks = loaded_people(team)
    if pks and not reload and len(pks) == len(rows):
        return dict(zip(pks, (row["person_id"] for row in rows), strict=True))
    with transaction.atomic():
        people = Person.objects.filter(owning_team=team)
        for model in (PersonSearchKey, PersonSearchName, PersonName, PersonAddress):
            model.objects.filter(person__in=people).delete()
        people.delete()
    today = timezone.localdate()
    pks = []
    for start in range(0, len(rows), BATCH):
        with transaction.atomic():
            pks += _load_batch(rows[start : start + BATCH], team, today)
        if progress:
            progress(len(pks), len(rows))
    _analyse()
    cache.delete(indexing.POPULATION_CACHE_KEY)
    return dict(zip(pks, (row["person_id"] for row in rows), strict=True))


def _analyse():
    """Fresh planner statistics for the loaded tables, where this role may gather them."""
    for model in (
        Person,
        PersonSearchKey,
        PersonSearchName,
        NameVariantKey,
        PersonAddress,
        PersonName,
    ):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


# Running


def _criteria(query) -> search.Criteria:
    return search.Criteria(
        given_name=query["given_name"],
        family_name=query["family_name"],
        date_of_birth=query["dob"] or None,
        nhs_number=query["nhs_number"],
        postcode=query["postcode"],
    )


def _api_parameters(query):
    names = {
        "given_name": query["given_name"],
        "family_name": query["family_name"],
        "date_of_birth": query["dob"],
        "nhs_number": query["nhs_number"],
        "postcode": query["postcode"],
    }
    return urlencode({key: value for key, value in names.items() if value})


def benchmark_client() -> Client:
    user, _ = User.objects.get_or_create(
        email=BENCHMARK_USER, defaults={"full_name": BENCHMARK_NAME}
    )
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    benchmark_team().members.add(user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@dataclass
class QueryResult:
    query: dict
    candidates: list[tuple[str, int]]  # (person_id, score), best first
    search_ms: float
    api_ms: float | None = None


def run_queries(queries, person_ids: dict[int, str], *, through_api=True, progress=None):
    client = benchmark_client() if through_api else None
    results = []
    for number, query in enumerate(queries, start=1):
        criteria = _criteria(query)
        started = time.perf_counter()
        matches = search.find(criteria)
        search_ms = (time.perf_counter() - started) * 1000
        api_ms = None
        if client is not None:
            started = time.perf_counter()
            response = client.get(f"/api/people/search/?{_api_parameters(query)}", secure=True)
            api_ms = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise BenchmarkError(
                    f"{query['query_id']}: the API answered {response.status_code}"
                )
        candidates = [(person_ids.get(match.person.pk, ""), match.score) for match in matches]
        results.append(QueryResult(query, candidates, search_ms, api_ms))
        if progress and number % 100 == 0:
            progress(number, len(queries))
    return results


# Measuring


@dataclass
class Measures:
    queries: int = 0
    top1: list[bool] = field(default_factory=list)
    top1_likely: list[bool] = field(default_factory=list)
    recall5: list[bool] = field(default_factory=list)
    false_likely: list[bool] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    api_ms: list[float] = field(default_factory=list)


def _share(values):
    return sum(values) / len(values) if values else None


def _percentile(values, percent):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def measure(results, threshold=search.LIKELY_SCORE) -> dict[str, Measures]:
    """The measures overall ("ALL") and by kind of query."""
    by_kind = defaultdict(Measures)
    for result in results:
        query, candidates = result.query, result.candidates
        first = candidates[0] if candidates else None
        for kind in ("ALL", query["kind"]):
            measures = by_kind[kind]
            measures.queries += 1
            measures.search_ms.append(result.search_ms)
            if result.api_ms is not None:
                measures.api_ms.append(result.api_ms)
            expected = query["expected_person_id"]
            if expected:
                is_first = first is not None and first[0] == expected
                measures.top1.append(is_first)
                measures.top1_likely.append(is_first and first[1] >= threshold)
                measures.recall5.append(expected in [pid for pid, _ in candidates[:5]])
            else:
                measures.false_likely.append(first is not None and first[1] >= threshold)
    return dict(by_kind)


def report(by_kind: dict[str, Measures]) -> str:
    header = [
        "kind", "n", "top1", "top1 likely", "recall@5", "false likely",
        "search p50 ms", "search p95 ms", "API p50 ms", "API p95 ms",
    ]  # fmt: skip
    kinds = ["ALL"] + sorted(
        (kind for kind in by_kind if kind != "ALL"), key=lambda k: (k.startswith("neg"), k)
    )

    def share(values):
        return "-" if not values else f"{_share(values):.3f}"

    def ms(values, percent):
        return "-" if not values else f"{_percentile(values, percent):.1f}"

    rows = [
        [
            kind,
            str(m.queries),
            share(m.top1),
            share(m.top1_likely),
            share(m.recall5),
            share(m.false_likely),
            ms(m.search_ms, 50),
            ms(m.search_ms, 95),
            ms(m.api_ms, 50),
            ms(m.api_ms, 95),
        ]
        for kind in kinds
        for m in [by_kind[kind]]
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def write_results(results, path: Path):
    """One JSON line per query, as the shared scorer (eval.py) reads them."""
    with path.open("w", encoding="utf-8") as results_file:
        for result in results:
            line = {
                "query_id": result.query["query_id"],
                "candidates": [
                    {"person_id": person_id, "score": score}
                    for person_id, score in result.candidates
                ],
                "ms": round(result.api_ms if result.api_ms is not None else result.search_ms, 2),
            }
            results_file.write(json.dumps(line) + "\n")


def read_queries(queries_csv: Path) -> list[dict]:
    return read_csv(queries_csv, QUERY_COLUMNS, optional_date="dob")


def read_csv(path: Path, columns, *, required_date="", optional_date="") -> list[dict]:
    """The rows of one of the generator's files, with its date column as dates; a file
    that is not one of them is refused saying what is wrong and where."""
    with path.open(encoding="utf-8", newline="") as csv_file:
        reader = csv.DictReader(csv_file)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise BenchmarkError(f"{path.name} has no column {', '.join(missing)}")
        rows = list(reader)
    for line, row in enumerate(rows, start=2):
        column = required_date or optional_date
        if not row[column] and optional_date:
            continue
        try:
            row[column] = datetime.date.fromisoformat(row[column])
        except ValueError:
            raise BenchmarkError(
                f"{path.name}, line {line}: {column} {row[column]!r} is not a date like 2019-03-27"
            ) from None
    return rows
