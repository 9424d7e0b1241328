"""Set-up shared by the episode, meeting and transition tests: a locality with an early
help team and its manager, a social care team, and episodes, meetings and step up or down
requests made through the services."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import AgencyType, Role
from cases.episodes import services as episodes
from cases.meetings import services as meetings
from cases.transitions import services as transitions
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


def schedule_meeting(manager, locality, *, days=0, hours=0, venue="Brackenford Family Hub"):
    """An allocation meeting in the locality, chaired by the manager who schedules it,
    starting `days` and `hours` from now."""
    return meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now() + datetime.timedelta(days=days, hours=hours),
        chair=manager,
        venue=venue,
    )


def request_step_up(place, episode, **overrides):
    """A step up to the place's social care team, asked for by the lead professional."""
    fields = {
        "by": place.worker,
        "episode": episode,
        "to_level": level(4),
        "receiving_team": place.social_care_team,
        "reason": "Disclosure of physical harm at school.",
        "handover_notes": "Mum knows; school DSL has the chronology.",
        **overrides,
    }
    return transitions.step_up_request(**fields)


def request_step_down(place, family, **overrides):
    """A step down from the place's social care team to its early help team, asked for by
    the social worker."""
    fields = {
        "by": place.social_worker,
        "family": family,
        "from_level": level(4),
        "to_level": level(3),
        "sending_team": place.social_care_team,
        "receiving_team": place.team,
        "reason": "Child in need plan ended; needs remain across school and home.",
        **overrides,
    }
    return transitions.step_down_request(**fields)
