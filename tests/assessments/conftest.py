"""Fixtures shared by the tests of the assessments app."""

import pytest
from django.utils import timezone

from assessments.assessments import services
from tests.assessments.assessment_helpers import person
from tests.assessments.plan_helpers import built_agreed_plan
from tests.cases.episode_helpers import allocated_episode
from tests.dates import years_before
from tests.factories import FamilyFactory, PersonFactory, TeamFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files the tests make (the family plan PDF) go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def place(north):
    """The locality the plan tests work in: the North of the root conftest."""
    return north


@pytest.fixture
def family():
    family = FamilyFactory(owning_team=TeamFactory())
    today = timezone.localdate()
    PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        date_of_birth=years_before(today, 9),
        families=[family],
    )
    PersonFactory(
        given_name="Kai",
        family_name="Okafor",
        date_of_birth=years_before(today, 3),
        families=[family],
    )
    PersonFactory(
        given_name="Grace",
        family_name="Okafor",
        record_type="adult",
        date_of_birth=None,
        families=[family],
    )
    return family


@pytest.fixture
def episode(north, family):
    return allocated_episode(north, family=family)


@pytest.fixture
def assessment(north, episode, family):
    return services.assessment_start(
        by=north.worker,
        episode=episode,
        children=[person(family, "Mia"), person(family, "Kai")],
        adults=[person(family, "Grace")],
    )


@pytest.fixture
def plan(place):
    """An agreed plan in the place, for the family plan PDF tests."""
    return built_agreed_plan(place)
