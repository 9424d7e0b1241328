"""Set-up and checks shared by the episode API tests: a locality with its teams and
users, episodes made through the services, and the refusal a response should be."""

from dataclasses import dataclass

from accounts.models import AgencyType, Role
from cases.episodes import services as episodes
from tests.factories import AgencyFactory, FamilyFactory, LocalityFactory, TeamFactory, UserFactory
from thresholds.models import Level


def level(rank):
    return Level.objects.get(framework__is_current=True, rank=rank)


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


def new_episode(place, *, family=None, rank=3, **extra):
    family = family or FamilyFactory(owning_team=TeamFactory())
    return episodes.open_episode(
        by=None,
        family=family,
        locality=place.locality,
        level=level(rank),
        cause="front_door",
        **extra,
    )


def allocated_episode(place, **extra):
    episode = new_episode(place, **extra)
    return episodes.episode_allocate(
        by=place.manager, episode=episode, lead_professional=place.worker, team=place.team
    )


def url(episode, step=""):
    return f"/api/episodes/{episode.uuid}/" + (f"{step}/" if step else "")


def refused(response, code, field=None):
    assert response.status_code == code, response.json()
    body = response.json()
    if field:
        assert field in body["errors"], body
    return body
