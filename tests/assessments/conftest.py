"""Fixtures shared by the tests of the assessments app."""

import pytest

from tests.assessments.plan_helpers import built_agreed_plan, family_of_three
from tests.factories import (
    AllocatedEpisodeFactory,
    AssessmentFactory,
    led_in,
)


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
    return family_of_three()


@pytest.fixture
def episode(north, family):
    """Allocated to North's worker (test_services.py makes its own through the services)."""
    return AllocatedEpisodeFactory(family=family, **led_in(north))


@pytest.fixture
def assessment(episode):
    """A draft of the whole household's assessment (test_services.py starts its own)."""
    return AssessmentFactory(episode=episode)


@pytest.fixture
def plan(place):
    """An agreed plan in the place, for the family plan PDF tests."""
    return built_agreed_plan(place)
