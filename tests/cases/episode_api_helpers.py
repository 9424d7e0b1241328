"""Set-up and checks shared by the episode API tests: a locality with its teams and
users, and the refusal a response should be."""

from dataclasses import dataclass

from accounts.models import AgencyType, Role
from tests.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory


@dataclass
class Place:
    locality: object
    team: object
    manager: object
    worker: object
    colleague: object
    csc_team: object
    social_worker: object
    csc_manager: object


def make_place(name="North"):
    locality = LocalityFactory(name=name)
    team = TeamFactory(name=f"Early Help {name}", locality=locality)
    csc = TeamFactory(
        name=f"Social Care {name}",
        locality=locality,
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE),
    )
    return Place(
        locality=locality,
        team=team,
        manager=UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[team], agency=team.agency),
        worker=UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency),
        colleague=UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency),
        csc_team=csc,
        social_worker=UserFactory(roles=[Role.SOCIAL_WORKER], teams=[csc], agency=csc.agency),
        csc_manager=UserFactory(roles=[Role.SOCIAL_WORKER], manages=[csc], agency=csc.agency),
    )


def url(episode, step=""):
    return f"/api/episodes/{episode.uuid}/" + (f"{step}/" if step else "")


def refused(response, code, field=None):
    assert response.status_code == code, response.json()
    body = response.json()
    if field:
        assert field in body["errors"], body
    return body
