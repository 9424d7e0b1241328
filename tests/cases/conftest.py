"""Fixtures shared by the tests of the cases app."""

import pytest

from accounts.models import Role
from cases.episodes.services import open_episode
from cases.families import services
from cases.models import Relationship
from tests.cases.case_api_helpers import NHS_NUMBER, create_person, years_ago
from tests.cases.episode_api_helpers import make_place
from tests.cases.episode_helpers import schedule_meeting
from tests.factories import FamilyFactory, LocalityFactory, PersonFactory, TeamFactory, UserFactory
from thresholds.models import Level


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


@pytest.fixture
def locality(db):
    return LocalityFactory(name="North Brackenford")


@pytest.fixture
def eh_team(locality):
    return TeamFactory(name="Early Help North", locality=locality)


@pytest.fixture
def manager(eh_team):
    return UserFactory(
        full_name="Morgan Hale",
        roles=[Role.LOCALITY_MANAGER],
        agency=eh_team.agency,
        manages=[eh_team],
    )


@pytest.fixture
def worker(eh_team):
    return UserFactory(
        full_name="Priya Shah", roles=[Role.PRACTITIONER], agency=eh_team.agency, teams=[eh_team]
    )


@pytest.fixture
def level3(db):
    return Level.objects.get(framework__is_current=True, rank=3)


@pytest.fixture
def make_episode(locality, eh_team, level3):
    def make(name, *, priority=False, at=None):
        family = FamilyFactory(name=name, owning_team=eh_team)
        return open_episode(
            by=None,
            family=family,
            locality=locality,
            level=level3,
            cause="front_door",
            priority=priority,
            at=at,
        )

    return make


@pytest.fixture
def meeting(manager, locality, make_episode):
    make_episode("The Mensah family")
    return schedule_meeting(manager, locality, hours=-1, venue="Room 2, Brackenford Hub")


@pytest.fixture
def family(team):
    family = FamilyFactory(owning_team=team, name="The Okafor family")
    mother = PersonFactory(
        record_type="adult",
        given_name="Ngozi",
        family_name="Okafor",
        owning_team=team,
        families=[family],
    )
    child = PersonFactory(
        given_name="Amara", family_name="Okafor", owning_team=team, families=[family]
    )
    Relationship.objects.create(
        family=family,
        from_person=mother,
        to_person=child,
        relationship_type="mother",
        has_parental_responsibility=True,
    )
    return family
