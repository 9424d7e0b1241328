"""The core's service helpers: a lock takes only the row asked for."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from earlyhelp.services import locked
from tests.factories import FamilyFactory

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
