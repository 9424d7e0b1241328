"""The Okafor family with Mia in it, whom the screening tests match requests to."""

import pytest

from tests.factories import FamilyFactory, PersonFactory


@pytest.fixture
def family():
    family = FamilyFactory(name="Okafor family")
    PersonFactory(given_name="Mia", family_name="Okafor", families=[family])
    return family


@pytest.fixture
def mia(family):
    return family.members.get(given_name="Mia")
