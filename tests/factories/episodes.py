"""Episodes in each state, with the rows the episode services write on the way there: the
status changes, the family's level history and the lead professional's history."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from cases.episodes.level_history import current_level, record_level_change
from cases.models import EPISODE_MOVES, EpisodeStatus, LeadProfessional
from tests.factories.people import FamilyWithChildFactory, TeamFactory, UserFactory
from tests.factories.status_rows import record_moves
from thresholds.models import Level, LevelChangeCause

# The statuses an episode passes through to reach each one, after awaiting allocation.
_MOVES_TO = {
    EpisodeStatus.AWAITING_ALLOCATION: [],
    EpisodeStatus.ALLOCATED: [EpisodeStatus.ALLOCATED],
    EpisodeStatus.ASSESSING: [EpisodeStatus.ALLOCATED, EpisodeStatus.ASSESSING],
    EpisodeStatus.PLAN_IN_PLACE: [
        EpisodeStatus.ALLOCATED,
        EpisodeStatus.ASSESSING,
        EpisodeStatus.PLAN_IN_PLACE,
    ],
}


def level(rank):
    return Level.objects.get(framework__is_current=True, rank=rank)


def led_in(place, path=""):
    """The arguments that allocate an episode (at `path`, "episode__" for an assessment's or
    a plan's) to the team of `place` (a tests.cases.episode_helpers.Locality), led by its
    worker, allocated by its manager, as its `allocated_episode` does through the services."""
    return {
        f"{path}team": place.team,
        f"{path}lead_professional": place.worker,
        f"{path}allocated_by": place.manager,
    }


class EpisodeAwaitingAllocationFactory(DjangoModelFactory):
    """Opened by the front door at level 3 (`level=` for another)."""

    class Meta:
        model = "cases.Episode"
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyWithChildFactory)
    locality = factory.SelfAttribute("family.owning_team.locality")
    level = factory.LazyFunction(lambda: level(3))
    status = EpisodeStatus.AWAITING_ALLOCATION
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def history(episode, create, extracted, **kwargs):
        if not create:
            return
        record_moves(
            EPISODE_MOVES,
            episode,
            [(EpisodeStatus.AWAITING_ALLOCATION, None)],
            at=episode.opened_at,
        )
        record_level_change(
            family=episode.family,
            episode=episode,
            from_level=current_level(episode.family),
            to_level=episode.level,
            cause=LevelChangeCause.FRONT_DOOR,
            by=None,
            at=episode.opened_at,
        )


class AllocatedEpisodeFactory(EpisodeAwaitingAllocationFactory):
    """Allocated by the team's manager to a practitioner of the team (`status=` a later
    working status to have it moved on, as starting an assessment or agreeing a plan
    would)."""

    status = EpisodeStatus.ALLOCATED
    team = factory.SubFactory(TeamFactory)
    locality = factory.SelfAttribute("team.locality")
    lead_professional = factory.SubFactory(
        UserFactory,
        roles=[Role.PRACTITIONER],
        agency=factory.SelfAttribute("..team.agency"),
        teams=factory.List([factory.SelfAttribute("....team")]),
    )
    allocated_at = factory.LazyAttribute(lambda episode: episode.opened_at)

    @factory.post_generation
    def allocated_by(episode, create, extracted, **kwargs):
        """The manager who allocated it (a manager of the team unless given)."""
        if not create:
            return
        manager = extracted or UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[episode.team])
        LeadProfessional.objects.create(
            episode=episode,
            user=episode.lead_professional,
            team=episode.team,
            started_at=episode.allocated_at,
            assigned_by=manager,
        )
        record_moves(
            EPISODE_MOVES,
            episode,
            [
                (
                    status,
                    manager if status == EpisodeStatus.ALLOCATED else episode.lead_professional,
                )
                for status in _MOVES_TO[EpisodeStatus(episode.status)]
            ],
            after=EpisodeStatus.AWAITING_ALLOCATION,
            at=episode.allocated_at,
        )


class TafMemberFactory(DjangoModelFactory):
    """In the Team Around the Family from today, added by the lead professional: a `user`
    (for their agency), or a `contact_name` at an `agency`."""

    class Meta:
        model = "cases.TafMember"

    episode = factory.SubFactory(AllocatedEpisodeFactory)
    user = None
    agency = factory.LazyAttribute(lambda member: member.user.agency if member.user else None)
    role = "Helper"
    started_on = factory.LazyFunction(timezone.localdate)
    added_by = factory.SelfAttribute("episode.lead_professional")
