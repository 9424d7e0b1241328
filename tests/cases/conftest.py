"""Fixtures shared by the tests of the cases app."""

import pytest

from cases.families import services
from tests.cases.case_api_helpers import NHS_NUMBER, create_person, years_ago
from tests.cases.episode_api_helpers import make_place


@pytest.fixture
def household(practitioner, team):
    """A family of three made by the practitioner: mother, child and a baby."""
    family = services.family_create(by=practitioner, owning_team=team, name="Okafor family")
    mother = create_person(
        practitioner,
        team,
        record_type="adult",
        given_name="Grace",
        date_of_birth=years_ago(34),
        gender="woman",
        phone="07700 900123",
    )
    child = create_person(practitioner, team, nhs_number=NHS_NUMBER, disability="asthma")
    baby = create_person(practitioner, team, given_name="Tobi", date_of_birth=years_ago(1))
    for person in (mother, child, baby):
        services.family_member_add(by=practitioner, family=family, person=person)
    return {"family": family, "mother": mother, "child": child, "baby": baby}


@pytest.fixture
def place(db):
    return make_place()
