"""The core's service helpers: a lock takes only the row asked for; validation asks the
database only what it does not already know."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import Family, FamilyMembership
from earlyhelp.services import locked, validate
from tests.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_locked_reads_the_row_again_for_update_without_joining_other_tables():
    family = FamilyFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        again = locked(family)
    assert again.pk == family.pk and again is not family
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert "FOR UPDATE" in sql
    assert "JOIN" not in sql


def test_locked_joins_the_related_rows_named():
    family = FamilyFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        again = locked(family, "owning_team")
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert "JOIN" in sql and "FOR UPDATE" in sql
    with CaptureQueriesContext(connection) as later:
        assert again.owning_team.pk == family.owning_team.pk
    assert len(later.captured_queries) == 0


def _errors(check, instance):
    with pytest.raises(ValidationError) as raised:
        check(instance)
    return raised.value.message_dict


def test_validate_asks_nothing_of_records_in_hand():
    """full_clean looks each foreign key up again; the family and person here were just read."""
    membership = FamilyMembership(family=FamilyFactory(), person=PersonFactory())
    with CaptureQueriesContext(connection) as by_validate:
        validate(membership)
    with CaptureQueriesContext(connection) as by_full_clean:
        membership.full_clean()
    asked = [query["sql"] for query in by_validate.captured_queries]
    assert len(by_full_clean.captured_queries) == len(asked) + 2
    assert not any('FROM "cases_family"' in sql or 'FROM "cases_person"' in sql for sql in asked)


def test_validate_still_looks_up_a_record_named_by_id_alone():
    missing = (Family.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    membership = FamilyMembership(family_id=missing, person=PersonFactory())
    assert _errors(validate, membership) == _errors(FamilyMembership.full_clean, membership)
    assert list(_errors(validate, membership)) == ["family"]


def test_validate_finds_what_full_clean_finds_on_records_in_hand():
    family, person = FamilyFactory(), PersonFactory()
    FamilyMembership.objects.create(family=family, person=person)
    twice = FamilyMembership(family=family, person=person)
    backwards = FamilyMembership(
        family=family,
        person=PersonFactory(),
        joined_on=datetime.date(2026, 5, 2),
        left_on=datetime.date(2026, 5, 1),
    )
    for membership, message in (
        (twice, "This person is already a member of the family"),
        (backwards, "The date they left must be after the date they joined"),
    ):
        found = _errors(validate, membership)
        assert found == _errors(FamilyMembership.full_clean, membership)
        assert message in found["__all__"]


def test_validate_leaves_out_the_fields_named():
    person = PersonFactory()
    person.family_name = ""
    assert list(_errors(validate, person)) == ["family_name"]
    validate(person, exclude=["family_name"])  # raises if anything else were wrong
