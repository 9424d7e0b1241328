"""Deciding an allocation meeting's agenda items on its page: allocating, closing,
deferring, stepping up, and the minutes."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AgencyType
from cases.episodes.services import episode_allocate, episode_flag
from cases.models import AgendaReason, AllocationMeeting, EpisodeStatus, ItemDecision
from cases.transitions.models import Transition
from tests.cases.episode_helpers import schedule_meeting
from tests.cases.meeting_page_helpers import decide_url, detail, messages_of
from tests.factories import AgencyFactory, TeamFactory
from thresholds.models import Level


def test_allocate_through_the_page(client, manager, meeting, worker, eh_team):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    page = client.get(detail(meeting)).content.decode()
    assert "Priya Shah (Early Help North)" in page
    response = client.post(
        decide_url(item),
        {"decision": "allocate", "lead_professional": worker.pk, "team": eh_team.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == ItemDecision.ALLOCATE and item.decided_by == manager
    episode = item.episode
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ALLOCATED
    assert episode.lead_professional == worker and episode.team == eh_team
    page = client.get(detail(meeting)).content.decode()
    assert "Allocate a lead professional" in page and "Morgan Hale" in page
    assert decide_url(item) not in page


def test_allocate_takes_the_lead_professionals_only_team(client, manager, meeting, worker):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "allocate", "lead_professional": worker.pk})
    item.episode.refresh_from_db()
    assert item.episode.status == EpisodeStatus.ALLOCATED


def test_decision_errors_keep_the_items_values(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    response = client.post(decide_url(item), {"decision": "refer", "referred_to": "Family <Hub>"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Enter the reasons for the decision" in page
    assert f'href="#item-{item.uuid}-notes"' in page
    assert 'value="Family &lt;Hub&gt;"' in page
    assert re.search(r'value="refer" id="item-[^"]+" checked', page)
    item.refresh_from_db()
    assert not item.is_decided

    response = client.post(decide_url(item), {"decision": "allocate"})
    page = response.content.decode()
    assert "Choose the lead professional" in page


def test_no_further_action_closes_the_episode(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    response = client.post(
        decide_url(item), {"decision": "nfa", "notes": "Needs met by the school"}
    )
    assert response.status_code == 302
    item.episode.refresh_from_db()
    assert item.episode.status == EpisodeStatus.CLOSED


def test_refer_closes_the_episode(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(
        decide_url(item),
        {"decision": "refer", "referred_to": "Young carers", "notes": "Best fit"},
    )
    item.refresh_from_db()
    item.episode.refresh_from_db()
    assert item.referred_to == "Young carers"
    assert item.episode.status == EpisodeStatus.CLOSED


def test_deferred_item_comes_back_on_the_next_agenda(client, manager, meeting, locality):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "defer"})
    item.refresh_from_db()
    item.episode.refresh_from_db()
    assert item.decision == ItemDecision.DEFER
    assert item.episode.status == EpisodeStatus.AWAITING_ALLOCATION

    next_meeting = AllocationMeeting.objects.create(
        locality=locality,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        chair=manager,
        venue="Room 2",
    )
    response = client.post(reverse("meetings:refresh-agenda", args=[next_meeting.uuid]))
    assert "1 item added to the agenda" in messages_of(response)
    assert next_meeting.agenda_items.get().episode == item.episode
    assert "The Mensah family" in client.get(detail(next_meeting)).content.decode()


def test_second_decision_is_refused_with_a_message(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "defer"})
    response = client.post(decide_url(item), {"decision": "nfa", "notes": "Changed our minds"})
    assert response.status_code == 302
    assert "This item was already decided: defer to the next meeting" in messages_of(response)
    item.refresh_from_db()
    assert item.decision == ItemDecision.DEFER


def test_minutes_cannot_be_completed_with_undecided_items(client, manager, meeting):
    client.force_login(manager)
    url = reverse("meetings:minutes", args=[meeting.uuid])
    response = client.post(url, {"minutes": "We met.", "action": "complete"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 agenda item is not decided" in page
    assert "We met.</textarea>" in page
    meeting.refresh_from_db()
    assert not meeting.is_held

    response = client.post(url, {"minutes": "Draft so far", "action": "save"})
    assert "Minutes saved" in messages_of(response)
    meeting.refresh_from_db()
    assert meeting.minutes == "Draft so far" and not meeting.is_held


def test_held_meeting_is_read_only(client, manager, meeting, worker):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "defer"})
    response = client.post(
        reverse("meetings:minutes", args=[meeting.uuid]),
        {"minutes": "Deferred the Mensah family.", "action": "complete"},
    )
    assert "Minutes completed: the meeting is held" in messages_of(response)
    meeting.refresh_from_db()
    assert meeting.is_held

    page = client.get(detail(meeting)).content.decode()
    assert "can no longer change" in page
    # Nothing in the page's main content changes it (the session timeout dialog, outside
    # it, has its sign-out form).
    assert "<form" not in page.split('id="main-content"')[1].split("</main>")[0]
    assert "Deferred the Mensah family." in page

    response = client.post(
        reverse("meetings:attendee-add", args=[meeting.uuid]),
        {"attendee-user": worker.pk, "attendee-attendance": "present"},
    )
    assert response.status_code == 302
    assert "can no longer change" in messages_of(response)[0]
    assert not meeting.attendees.filter(user=worker).exists()
    response = client.post(reverse("meetings:refresh-agenda", args=[meeting.uuid]))
    assert response.status_code == 302


@pytest.fixture
def social_care():
    return TeamFactory(
        name="Children's Services North",
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE),
    )


def step_up_to(team):
    """The decision form's fields for a step up to the team, at the first statutory level."""
    statutory = Level.objects.filter(framework__is_current=True, statutory=True).first()
    return {
        "decision": "step_up",
        "receiving_team": team.pk,
        "to_level": statutory.pk,
        "notes": "Risk has grown",
    }


def test_step_up_needs_an_allocated_episode(client, manager, meeting, level3, social_care):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    response = client.post(decide_url(item), step_up_to(social_care))
    assert response.status_code == 200
    assert "Allocate the episode first" in response.content.decode()


def test_step_up_of_a_flagged_episode(
    client, manager, worker, eh_team, locality, make_episode, social_care
):
    episode = make_episode("The Okafor family")
    episode_allocate(by=manager, episode=episode, lead_professional=worker, team=eh_team)
    episode_flag(by=manager, episode=episode, reason="Worries are growing")
    meeting = schedule_meeting(manager, locality, venue="Room 2")
    item = meeting.agenda_items.get()
    assert item.reason == AgendaReason.FLAGGED
    client.force_login(manager)
    page = client.get(detail(meeting)).content.decode()
    assert "Worries are growing" in page and "Children&#x27;s Services North" in page
    response = client.post(decide_url(item), step_up_to(social_care))
    assert response.status_code == 302, response.content.decode()
    transition = Transition.objects.get(episode=episode)
    assert transition.receiving_team == social_care and transition.status == "approved"
