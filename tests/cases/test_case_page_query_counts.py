"""The family and person pages' query counts do not grow with the family."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseNote, Relationship
from tests.cases.case_page_helpers import add_episodes
from tests.factories import FamilyFactory, PersonFactory


def _big_family(team, practitioner, size):
    family = FamilyFactory(owning_team=team)
    people = [PersonFactory(owning_team=team, families=[family]) for _ in range(size)]
    for first, second in itertools.pairwise(people):
        Relationship.objects.create(
            family=family, from_person=first, to_person=second, relationship_type="sibling"
        )
    for person in people:
        note = CaseNote.objects.create(
            family=family,
            note_type="phone",
            summary="Call",
            occurred_at=timezone.now(),
            author=practitioner,
            is_significant=True,
        )
        note.subjects.set([person])
    add_episodes(family, size)
    return family, people


PAGES = {
    "family-list": lambda family, person: reverse("cases:family-list"),
    "family-detail": lambda family, person: reverse("cases:family-detail", args=[family.uuid]),
    "note-list": lambda family, person: reverse("cases:note-list", args=[family.uuid]),
    "person-detail": lambda family, person: reverse("cases:person-detail", args=[person.uuid]),
    "search": lambda family, person: reverse("cases:search") + f"?family_name={person.family_name}",
    "family-edit": lambda family, person: reverse("cases:family-edit", args=[family.uuid]),
    "person-edit": lambda family, person: reverse("cases:person-edit", args=[person.uuid]),
    "note-add": lambda family, person: reverse("cases:note-add", args=[family.uuid]),
}


@pytest.mark.parametrize("size", [2, 50])
@pytest.mark.parametrize("url_for", PAGES.values(), ids=PAGES.keys())
def test_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, practitioner, team, size, url_for
):
    family, people = _big_family(team, practitioner, size)
    for _ in range(size):
        FamilyFactory(owning_team=team)
    client.force_login(practitioner)
    with django_assert_max_num_queries(22):
        response = client.get(url_for(family, people[0]))
    assert response.status_code == 200
