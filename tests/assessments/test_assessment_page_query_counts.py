"""The assessment pages' query counts do not grow with the family."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.assessments import services
from tests.assessments.assessment_helpers import detail, person, section, section_url
from tests.dates import years_before
from tests.factories import AssessmentFactory, PersonFactory, led_in

pytestmark = pytest.mark.django_db


# Query counts


def assessment_of_children(north, family, size, **state):
    """An assessment of `size` six-year-olds and Grace, started by the lead professional of
    North (a draft, unless `state` says otherwise)."""
    today = timezone.localdate()
    children = [
        PersonFactory(
            given_name=f"Child{n}",
            date_of_birth=years_before(today, 6),
            families=[family],
        )
        for n in range(size)
    ]
    return AssessmentFactory(
        episode__family=family,
        **led_in(north, "episode__"),
        children=children,
        adults=[person(family, "Grace")],
        **state,
    )


@pytest.mark.parametrize("size", [2, 25])
def test_task_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, north, family, size
):
    assessment = assessment_of_children(north, family, size)
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
    client, django_assert_max_num_queries, north, family, size
):
    assessment = assessment_of_children(north, family, size, submitted=True)
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
    client, django_assert_max_num_queries, north, family, size
):
    first = assessment_of_children(north, family, size, approved=True, decided_by=north.manager)
    second = services.assessment_new_version(by=north.worker, assessment=first)
    client.force_login(north.worker)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:compare", args=[second.uuid]))
    assert response.status_code == 200
    assert "No answers changed." in response.content.decode()
