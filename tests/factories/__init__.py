"""factory_boy factories: the accounts, families and people, and the states the services
move records through, each built with the rows its services would have written."""

from tests.factories.assessments import AgreedPlanFactory, AssessmentFactory, DraftPlanFactory
from tests.factories.episodes import (
    AllocatedEpisodeFactory,
    EpisodeAwaitingAllocationFactory,
    TafMemberFactory,
    led_in,
)
from tests.factories.people import (
    TEST_PASSWORD,
    AgencyFactory,
    FamilyFactory,
    FamilyWithChildFactory,
    LocalityFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from tests.factories.requests import RequestInScreeningFactory, SubmittedRequestFactory

__all__ = [
    "TEST_PASSWORD",
    "AgencyFactory",
    "AgreedPlanFactory",
    "AllocatedEpisodeFactory",
    "AssessmentFactory",
    "DraftPlanFactory",
    "EpisodeAwaitingAllocationFactory",
    "FamilyFactory",
    "FamilyWithChildFactory",
    "LocalityFactory",
    "PersonFactory",
    "RequestInScreeningFactory",
    "SubmittedRequestFactory",
    "TafMemberFactory",
    "TeamFactory",
    "UserFactory",
    "led_in",
]
