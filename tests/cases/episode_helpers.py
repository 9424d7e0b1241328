"""Set-up shared by the episode, meeting and transition tests: a locality with an early
help team and its manager, a social care team, and episodes made through the services."""

from dataclasses import dataclass

from accounts.models import AgencyType, Role
from cases.episodes import services as episodes
from tests.factories import AgencyFactory, FamilyFactory, LocalityFactory, TeamFactory, UserFactory
from thresholds.models import Level


def level(rank):
    return Level.objects.get(framework__is_current=True, rank=rank)


@dataclass
class Locality:
    locality: object
    team: object
    manager: object
    worker: object
    colleague: object
    social_care_team: object
    social_worker: object
    social_care_manager: object


def make_locality(
    name="North", *, social_care="Assessment and Intervention", managers_join_the_agency=False
):
    """Managers of a team belong to an agency of their own unless they join the team's."""
    locality = LocalityFactory(name=name)
    team = TeamFactory(name=f"Early Help {name}", locality=locality)
    csc = TeamFactory(
        name=f"{social_care} {name}",
        locality=locality,
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE),
    )

    def manager_agency(of_team):
        return {"agency": of_team.agency} if managers_join_the_agency else {}

    return Locality(
        locality=locality,
        team=team,
        manager=UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[team], **manager_agency(team)),
        worker=UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency),
        colleague=UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency),
        social_care_team=csc,
        social_worker=UserFactory(roles=[Role.SOCIAL_WORKER], teams=[csc], agency=csc.agency),
        social_care_manager=UserFactory(
            roles=[Role.SOCIAL_WORKER], manages=[csc], **manager_agency(csc)
        ),
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
