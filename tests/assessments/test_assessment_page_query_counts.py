"""The assessment pages' query counts do not grow with the family."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.assessments import services
from tests.assessments.assessment_helpers import (
    complete_everything,
    detail,
    person,
    section,
    section_url,
)
from tests.dates import years_before
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


# Query counts


def assessment_of_children(north, episode, family, size):
    """An assessment of `size` six-year-olds and Grace, started by the lead professional."""
    today = timezone.localdate()
    children = [
        PersonFactory(
            given_name=f"Child{n}",
            date_of_birth=years_before(today, 6),
            families=[family],
        )
        for n in range(size)
    ]
    return services.assessment_start(
        by=north.worker, episode=episode, children=children, adults=[person(family, "Grace")]
    )


@pytest.mark.parametrize("size", [2, 25])
def test_task_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, north, episode, family, size
):
    assessment = assessment_of_children(north, episode, family, size)
    for item in assessment.sections.all()[:size]:
        services.assessment_section_save(
            by=north.worker, section=item, answers={}, expected_revision=0
        )
    client.force_login(north.worker)
    with django_assert_max_num_queries(16):
        response = client.get(detail(assessment))
    assert response.status_code == 200
    assert response.content.decode().count("govuk-task-list__item--with-link") == 2 * size + 5


@pytest.mark.parametrize("size", [2, 25])
def test_read_only_task_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, north, episode, family, size
):
    assessment = assessment_of_children(north, episode, family, size)
    complete_everything(north.worker, assessment)
    services.assessment_submit(by=north.worker, assessment=assessment)
    client.force_login(north.manager)
    with django_assert_max_num_queries(16):
        response = client.get(detail(assessment))
    assert response.status_code == 200


def test_section_page_query_count(client, django_assert_max_num_queries, north, assessment):
    item = section(assessment, "family_environment")
    client.force_login(north.worker)
    with django_assert_max_num_queries(16):
        assert client.get(section_url(item)).status_code == 200


@pytest.mark.parametrize("size", [2, 25])
def test_compare_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, north, episode, family, size
):
    first = assessment_of_children(north, episode, family, size)
    complete_everything(north.worker, first)
    services.assessment_submit(by=north.worker, assessment=first)
    services.assessment_approve(by=north.manager, assessment=first)
    second = services.assessment_new_version(by=north.worker, assessment=first)
    client.force_login(north.worker)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:compare", args=[second.uuid]))
    assert response.status_code == 200
    assert "No answers changed." in response.content.decode()
