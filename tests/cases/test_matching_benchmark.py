"""The person-matching benchmark: a population and labelled queries loaded through the
product's own models, every query run through the search and its API, the measures right."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from cases.models import NameVariantKey, Person, PersonSearchKey, PersonSearchName
from tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PEOPLE = [
    # person_id, given, family, known_as, previous family name, dob, sex, postcode, NHS, UPN
    ("P1", "George", "Brown", "", "", "2020-10-28", "M", "DE14 2HS", "4010232137", ""),
    ("P2", "Amelia", "Clarke", "", "", "2016-03-04", "F", "NN1 4QX", "", ""),
    ("P3", "Oscar", "Clarke", "", "", "2016-03-04", "M", "NN1 4QX", "", ""),
    ("P4", "Jasleen", "Gupta", "Jas", "", "2019-06-14", "F", "LE5 3AB", "", ""),
    ("P5", "Hodan", "Osman", "", "Farah", "2017-09-02", "F", "NN2 1AB", "", ""),
]
QUERIES = [
    # query_id, given, family, dob, sex, postcode, NHS, expected, kind
    ("Q1", "George", "Brown", "2020-10-28", "M", "DE14 2HS", "", "P1", "exact"),
    ("Q2", "Jasleen", "Gupsa", "2019-06-14", "F", "LE5 3AB", "", "P4", "typo"),
    ("Q3", "Hodan", "Farah", "2017-09-02", "F", "NN2 1AB", "", "P5", "previous_name"),
    ("Q4", "", "", "", "", "", "4010232137", "P1", "nhs_only"),
    ("Q5", "Isla", "Clarke", "2016-03-04", "F", "NN1 4QX", "", "", "neg_twin"),
]


@pytest.fixture
def data(tmp_path):
    with (tmp_path / "people.csv").open("w", newline="") as people:
        writer = csv.writer(people)
        writer.writerow(
            [
                "person_id", "given_name", "family_name", "known_as", "previous_family_name",
                "dob", "sex", "postcode", "nhs_number", "upn", "household_id",
            ]
        )  # fmt: skip
        writer.writerows(row + (f"H{index}",) for index, row in enumerate(PEOPLE))
    with (tmp_path / "queries.csv").open("w", newline="") as queries:
        writer = csv.writer(queries)
        writer.writerow(
            [
                "query_id", "given_name", "family_name", "dob", "sex", "postcode",
                "nhs_number", "expected_person_id", "kind",
            ]
        )  # fmt: skip
        writer.writerows(QUERIES)
    return tmp_path


def run(data, *arguments):
    output = []

    class Out:
        def write(self, text):
            output.append(text)

        def flush(self):
            pass

    call_command("person_matching_benchmark", "--data", str(data), *arguments, stdout=Out())
    return "".join(output)


def row_of(report, kind):
    header = next(line for line in report.splitlines() if line.startswith("kind"))
    columns = [column.strip() for column in header.split("  ") if column.strip()]
    line = next(line for line in report.splitlines() if line.split()[0] == kind)
    return dict(zip(columns, line.split(), strict=True))


def test_the_population_is_loaded_through_the_products_models(data):
    run(data, "--no-api")

    george = Person.objects.get(given_name="George")
    assert george.nhs_number == "4010232137"
    assert george.addresses.get().postcode == "DE14 2HS"
    assert Person.objects.get(given_name="Jasleen").known_as == "Jas"
    hodan = Person.objects.get(given_name="Hodan")
    assert hodan.other_names.get().family_name == "Farah"
    assert set(PersonSearchKey.objects.filter(person=hodan).values_list("key", flat=True)) == {
        "g:hodan",
        "f:osman",
        "f:farah",
    }
    assert PersonSearchName.objects.filter(person=hodan).count() == 2
    assert NameVariantKey.objects.filter(key="fp:m:KPT", exact_key="f:gupta").exists()


def test_every_query_is_measured_through_the_search_and_the_api(data, tmp_path):
    results = tmp_path / "results.jsonl"

    report = run(data, "--results", str(results))

    overall = row_of(report, "ALL")
    assert overall["n"] == "5"
    assert overall["top1"] == "1.000"
    assert overall["top1 likely"] == "1.000"
    assert overall["recall@5"] == "1.000"
    assert overall["false likely"] == "0.000"
    assert float(overall["API p95 ms"]) >= float(overall["search p50 ms"]) > 0
    assert row_of(report, "neg_twin")["top1"] == "-"
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert [line["query_id"] for line in lines] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert lines[0]["candidates"][0] == {"person_id": "P1", "score": 100}
    assert lines[4]["candidates"][0]["person_id"] in {"P2", "P3"}
    assert lines[4]["candidates"][0]["score"] < 50


def test_a_second_run_reuses_the_loaded_population(data):
    run(data, "--no-api")
    first = list(Person.objects.order_by("pk").values_list("pk", flat=True))

    report = run(data, "--no-api", "--limit", "2")

    assert list(Person.objects.order_by("pk").values_list("pk", flat=True)) == first
    assert row_of(report, "ALL")["n"] == "2"


def test_the_benchmark_refuses_a_database_with_real_records(data, team):
    PersonFactory(owning_team=team)

    with pytest.raises(CommandError, match="database of its own"):
        run(data, "--no-api")


def test_missing_files_are_named(tmp_path):
    with pytest.raises(CommandError, match="people.csv is missing"):
        run(tmp_path)


def test_a_bad_date_is_refused_saying_where_before_anyone_is_loaded(data):
    queries = (data / "queries.csv").read_text().replace("2019-06-14", "14/06/2019")
    (data / "queries.csv").write_text(queries)

    with pytest.raises(CommandError, match=r"queries.csv, line 3: dob '14/06/2019' is not a date"):
        run(data, "--no-api")
    assert not Person.objects.exists()


def test_a_file_without_the_generators_columns_is_refused(data):
    people = (data / "people.csv").read_text().replace("family_name", "surname", 1)
    (data / "people.csv").write_text(people)

    with pytest.raises(CommandError, match="people.csv has no column family_name"):
        run(data, "--no-api")
