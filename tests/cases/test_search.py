"""Do we already know this child? Search finds people despite the ways records differ."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from cases.models import NameType, PersonName
from cases.people import search, services
from tests.database_roles import as_table_owner
from tests.factories import FamilyFactory, PersonFactory

BORN = datetime.date(2016, 4, 3)


# The child we are looking for, among others who resemble them in one way or another.
RECORDS = {
    "william": ("William", "Smith-Jones", BORN),
    "elizabeth": ("Elizabeth", "Kowalczyk", datetime.date(2014, 11, 20)),
    "mohammed": ("Mohammed", "Rahman", datetime.date(2012, 7, 9)),
    "other_smith": ("Oliver", "Smith", datetime.date(2010, 1, 1)),
    "unrelated": ("Priya", "Patel", datetime.date(2015, 5, 5)),
}


@pytest.fixture
def records(team):
    return {
        key: PersonFactory(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=born,
            owning_team=team,
        )
        for key, (given_name, family_name, born) in RECORDS.items()
    }


def find(**criteria):
    return search.find(search.Criteria(**criteria))


def found(matches):
    return [match.person for match in matches]


def test_a_misspelt_family_name(records):
    matches = find(given_name="Elizabeth", family_name="Kowalczik")
    assert found(matches)[0] == records["elizabeth"]
    assert "family name sounds alike" in matches[0].reasons or (
        "family name spelt differently" in matches[0].reasons
    )


def test_given_and_family_names_swapped(records):
    matches = find(given_name="Rahman", family_name="Mohammed")
    assert found(matches)[0] == records["mohammed"]
    assert matches[0].reasons == ["given and family names swapped"]


def test_a_nickname(records):
    matches = find(given_name="Beth", family_name="Kowalczyk")
    assert found(matches)[0] == records["elizabeth"]
    assert "given name: nickname" in matches[0].reasons


def test_a_spelling_variant_of_a_given_name(records):
    matches = find(given_name="Muhammad", family_name="Rahman")
    assert found(matches)[0] == records["mohammed"]


def test_a_previous_name(records):
    PersonName.objects.create(
        person=records["elizabeth"], name_type=NameType.PREVIOUS, family_name="Nowak"
    )
    search.index_person(records["elizabeth"])
    matches = find(given_name="Elizabeth", family_name="Nowak")
    assert found(matches) == [records["elizabeth"]]
    assert matches[0].reasons[0].startswith("previous name: ")


def test_a_hyphenated_name_given_as_one_part(records):
    matches = find(given_name="William", family_name="Jones")
    assert found(matches)[0] == records["william"]
    assert "family name matches part of a double-barrelled name" in matches[0].reasons


def test_a_transposed_date_of_birth(records):
    matches = find(family_name="Smith-Jones", date_of_birth=datetime.date(2016, 3, 4))
    assert found(matches)[0] == records["william"]
    assert "date of birth with day and month transposed" in matches[0].reasons


def test_date_of_birth_alone_and_year_of_birth(records):
    assert found(find(date_of_birth=BORN)) == [records["william"]]
    assert records["william"] in found(find(year_of_birth=2016))


def test_the_exact_match_ranks_first(records, team):
    near = PersonFactory(
        given_name="Wiliam", family_name="Smith Jones", date_of_birth=BORN, owning_team=team
    )
    matches = find(given_name="William", family_name="Smith-Jones", date_of_birth=BORN)
    assert found(matches)[:2] == [records["william"], near]
    assert matches[0].score > matches[1].score
    assert matches[0].confidence == "Very likely"
    assert records["unrelated"] not in found(matches)


def test_identifiers_and_postcode(records, team):
    records["mohammed"].nhs_number = "9434765919"
    records["mohammed"].save()
    matches = find(nhs_number="943 476 5919")
    assert found(matches) == [records["mohammed"]] and matches[0].reasons == ["NHS number exact"]
    family = FamilyFactory(owning_team=team, postcode="BK9 9ZZ")
    from cases.models import FamilyMembership

    FamilyMembership.objects.create(family=family, person=records["unrelated"])
    assert found(find(postcode="bk99zz")) == [records["unrelated"]]


def test_a_different_nhs_number_counts_against(records):
    records["mohammed"].nhs_number = "9434765919"
    records["mohammed"].save()
    criteria = search.Criteria(given_name="Mohammed", family_name="Rahman", nhs_number="4010232137")
    scored = search.score(criteria, records["mohammed"])
    assert scored.reasons == ["different NHS number", "family name exact", "given name exact"]
    assert scored.score == 30 + 25 - 50
    assert records["mohammed"] not in found(search.find(criteria))


def test_merged_records_are_not_found(records):
    records["william"].merged_into = records["other_smith"]
    records["william"].save()
    assert records["william"] not in found(find(given_name="William", family_name="Smith-Jones"))


@pytest.mark.parametrize("people", [2, 50])
def test_search_costs_the_same_queries_whatever_the_number_of_candidates(
    django_assert_max_num_queries, team, people
):
    for index in range(people):
        PersonFactory(given_name=f"Child{index}", family_name="Nowak", owning_team=team)
    with django_assert_max_num_queries(6):
        matches = find(family_name="Nowak")
    assert len(matches) == people


@pytest.mark.postgres
def test_candidates_come_through_the_search_key_index(records, team):
    """With a realistic spread of keys, PostgreSQL's planner picks the key index: retrieval
    never reads the whole table."""
    from cases.models import Person, PersonSearchKey

    crowd = Person.objects.bulk_create(
        Person(
            record_type="adult",
            given_name=f"Given{n}",
            family_name=f"Family{n:04d}",
            owning_team=team,
        )
        for n in range(10_000)
    )
    PersonSearchKey.objects.bulk_create(
        PersonSearchKey(person=person, key=key)
        for person in crowd
        for key in (f"f:{person.family_name.lower()}", f"g:{person.given_name.lower()}")
    )
    # ANALYZE is for the table's owner: the suite otherwise runs as the service's role.
    with as_table_owner() as cursor:
        cursor.execute("ANALYZE cases_personsearchkey")
    with CaptureQueriesContext(connection) as queries:
        find(given_name="William", family_name="Smith-Jones")
    key_query = next(q["sql"] for q in queries if "query_key" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + key_query)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using person_search_key_person_idx" in plan, plan


def test_an_unrelated_partner_learns_only_that_the_child_is_known(records, outsider, team):
    team.email, team.phone = "earlyhelp.north@brackenshire.example", "01632 960 001"
    team.save()
    results = services.search_people(
        by=outsider, criteria=search.Criteria(given_name="William", family_name="Smith-Jones")
    )
    assert results[0].visible is False
    assert results[0].person is None
    assert results[0].contact_team == team
    event = AuditEvent.objects.get(actor=outsider, action="search")
    assert event.detail["terms"] == {"given_name": "William", "family_name": "Smith-Jones"}
    assert event.detail["visible"] == []


def test_the_owning_team_sees_the_record(records, practitioner):
    results = services.search_people(
        by=practitioner, criteria=search.Criteria(given_name="William", family_name="Smith-Jones")
    )
    assert results[0].visible and results[0].person == records["william"]


def test_a_member_of_a_visible_family_is_visible_to_that_familys_team(records, outsider):
    other_team = outsider.teams.get()
    family = FamilyFactory(owning_team=other_team)
    from cases.models import FamilyMembership

    FamilyMembership.objects.create(family=family, person=records["william"])
    results = services.search_people(
        by=outsider, criteria=search.Criteria(given_name="William", family_name="Smith-Jones")
    )
    assert results[0].visible


def test_analysts_may_not_search(analyst):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.search_people(by=analyst, criteria=search.Criteria(family_name="Smith"))
    assert not AuditEvent.objects.filter(action="search").exists()


def test_a_confidential_address_is_never_search_evidence(records, team):
    from cases.models import FamilyMembership, PersonAddress

    refuge = FamilyFactory(owning_team=team, postcode="BK7 7AB", address_is_confidential=True)
    FamilyMembership.objects.create(family=refuge, person=records["unrelated"])
    PersonAddress.objects.create(
        person=records["elizabeth"],
        line_1="Safe house",
        town="Brackenford",
        postcode="BK7 7AB",
        is_confidential=True,
    )
    assert find(postcode="BK7 7AB") == []
    matches = find(given_name="Priya", family_name="Patel", postcode="BK7 7AB")
    assert "same postcode" not in matches[0].reasons


def test_the_duplicate_check_on_create_is_audited_as_a_search(records, practitioner, team):
    from cases.models import RecordType

    with pytest.raises(search.PossibleDuplicates):
        services.person_create(
            by=practitioner,
            owning_team=team,
            record_type=RecordType.CHILD,
            given_name="William",
            family_name="Smith-Jones",
            date_of_birth=BORN,
        )
    event = AuditEvent.objects.get(action="search", actor=practitioner)
    assert event.detail["purpose"] == "duplicate check on create"
    assert event.detail["matched"] == [str(records["william"].pk)]
