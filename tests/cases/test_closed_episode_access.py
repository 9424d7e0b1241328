"""Issue 13, finding 2: after an episode closes, it stays readable for a while only to those
who were part of it when it closed. A TAF member (a user, or an agency) removed while the
episode was open, and a lead professional replaced while it was open, do not regain read
access when it closes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role, User
from cases.episodes import services as episodes
from tests.cases.episode_helpers import allocated_episode, make_locality
from tests.factories import AgencyFactory, FamilyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
OPENED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
REMOVED = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=LONDON)
CLOSED = datetime.datetime(2026, 3, 16, 15, 0, tzinfo=LONDON)
AFTER = datetime.datetime(2026, 3, 18, 9, 0, tzinfo=LONDON)


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def story(settings):
    """An episode with two TAF users, two TAF agencies and a lead who is replaced: one of
    each leaves while it is open, the others are there when it closes."""
    settings.CLOSED_EPISODE_READ_DAYS = 90
    north = make_locality("North")
    family = FamilyFactory(owning_team=TeamFactory(), name="Hughes family")
    school, surgery = AgencyFactory(name="School"), AgencyFactory(name="Surgery")
    people = {
        "stayed": UserFactory(roles=[Role.PRACTITIONER], agency=AgencyFactory()),
        "removed": UserFactory(roles=[Role.PRACTITIONER], agency=AgencyFactory()),
        "teacher": UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school),
        "receptionist": UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=surgery),
        "first_lead": UserFactory(roles=[Role.PRACTITIONER]),
    }
    other_team = TeamFactory(locality=north.locality)
    other_team.members.add(people["first_lead"])
    with time_machine.travel(OPENED, tick=False):
        episode = allocated_episode(north, family=family)
        episodes.episode_reallocate(
            by=north.manager,
            episode=episode,
            lead_professional=people["first_lead"],
            team=other_team,
            reason="Covering",
        )
        members = {
            "stayed": episodes.taf_member_add(
                by=north.manager, episode=episode, role="Nurse", user=people["stayed"]
            ),
            "removed": episodes.taf_member_add(
                by=north.manager, episode=episode, role="Nurse", user=people["removed"]
            ),
            "teacher": episodes.taf_member_add(
                by=north.manager, episode=episode, role="DSL", agency=school, contact_name="A"
            ),
            "receptionist": episodes.taf_member_add(
                by=north.manager, episode=episode, role="GP", agency=surgery, contact_name="B"
            ),
        }
    with time_machine.travel(REMOVED, tick=False):
        episodes.taf_member_end(by=north.manager, member=members["removed"])
        episodes.taf_member_end(by=north.manager, member=members["receptionist"])
        episodes.episode_reallocate(
            by=north.manager,
            episode=episode,
            lead_professional=north.worker,
            team=north.team,
            reason="Back from leave",
        )
        # The first lead now works elsewhere: nothing else opens the family to them.
        other_team.members.remove(people["first_lead"])
    with time_machine.travel(CLOSED, tick=False):
        episodes.episode_request_closure(
            by=north.worker,
            episode=episode,
            reason="moved_away",
            summary="Moved to Leeds.",
            outcomes_achieved="partly",
        )
        episodes.episode_approve_closure(by=north.manager, episode=episode)
    north.team.members.remove(north.worker)
    people["last_lead"] = north.worker
    return family, episode, people


@time_machine.travel(AFTER, tick=False)
@pytest.mark.parametrize(
    "who, reads",
    [
        ("stayed", True),
        ("teacher", True),
        ("last_lead", True),
        ("removed", False),
        ("receptionist", False),
        ("first_lead", False),
    ],
)
def test_only_those_in_the_episode_when_it_closed_read_it_afterwards(
    client, api_client, story, who, reads
):
    family, episode, people = story
    user = fresh(people[who])

    client.force_login(user)
    page = client.get(reverse("cases:family-detail", args=[family.uuid]))
    api_client.force_authenticate(user)
    api = api_client.get(f"/api/families/{family.uuid}/")
    episode_page = client.get(reverse("episodes:detail", args=[episode.uuid]))

    if reads:
        assert page.status_code == 200 and "Hughes family" in page.content.decode()
        assert api.status_code == 200 and api.json()["name"] == "Hughes family"
        assert episode_page.status_code == 200
    else:
        assert page.status_code == 404 and "Hughes family" not in page.content.decode()
        assert api.status_code == 404 and "Hughes family" not in api.content.decode()
        assert episode_page.status_code == 404
