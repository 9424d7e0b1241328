"""The step up and step down pages: asked for, approved and accepted (or not) in the browser
pages, who may do what, forms that keep what was typed, the list's flags and a fixed number
of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from audit.models import AuditEvent
from cases.episodes import services as episodes
from cases.models import Episode, EpisodeStatus
from cases.transitions import services as transitions
from cases.transitions.models import Direction, Transition, TransitionStatus
from tests.cases.episode_helpers import (
    allocated_episode,
    level,
    make_locality,
    request_step_down,
    request_step_up,
)
from tests.factories import FamilyFactory, TeamFactory, UserFactory
from tests.form_pages import shown_again_with_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return make_locality()


@pytest.fixture
def csc_family(place):
    return FamilyFactory(name="The Haddad family", owning_team=place.social_care_team)


def detail_url(transition, action=None):
    name = f"transitions:{action}" if action else "transitions:detail"
    return reverse(name, args=[transition.uuid])


def step_up_data(place, **extra):
    return {
        "to_level": level(4).pk,
        "receiving_team": place.social_care_team.pk,
        "reason": "Disclosure of harm at school",
        "evidence": "Designated safeguarding lead's notes",
        "handover_notes": "Mother works evenings",
        **extra,
    }


def step_down_data(place, **extra):
    return {
        "from_level": level(4).pk,
        "to_level": level(3).pk,
        "sending_team": place.social_care_team.pk,
        "receiving_team": place.team.pk,
        "reason": "Child protection plan ended; needs family support",
        "evidence": "Conference minutes",
        "handover_notes": "Father is the main contact",
        **extra,
    }


# Step up


def test_step_up_requested_approved_and_accepted_through_the_pages(client, place):
    episode = allocated_episode(place)
    url = reverse("transitions:step-up-request", args=[episode.uuid])
    assert url == f"/episodes/{episode.uuid}/step-up/"

    client.force_login(place.worker)
    page = client.get(url)
    assert page.status_code == 200
    assert place.social_care_team.name in page.content.decode()
    response = client.post(url, step_up_data(place))
    transition = Transition.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(transition)
    assert transition.direction == Direction.UP
    assert transition.sending_team == place.team
    assert transition.handover_notes == "Mother works evenings"

    # The manager over the sending team approves, from the list.
    client.force_login(place.manager)
    listing = client.get(reverse("transitions:list")).content.decode()
    assert "To approve or decline" in listing and detail_url(transition) in listing
    page = client.get(detail_url(transition)).content.decode()
    assert "Approve" in page and "Decline" in page
    assert client.post(detail_url(transition, "approve")).status_code == 302
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.APPROVED

    # Until acceptance the sender keeps it.
    episode.refresh_from_db()
    assert episode.is_open and episode.lead_professional == place.worker

    # The social care manager accepts.
    client.force_login(place.social_care_manager)
    listing = client.get(reverse("transitions:list")).content.decode()
    assert "To accept or not" in listing
    page = client.get(detail_url(transition)).content.decode()
    assert "Do not accept" in page and "Due for acceptance" in page
    response = client.post(detail_url(transition, "accept"), {"accept-notes": "Allocated to AB"})
    assert response.status_code == 302
    transition.refresh_from_db()
    episode.refresh_from_db()
    assert transition.status == TransitionStatus.ACCEPTED
    assert transition.response_reason == "Allocated to AB"
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.closure_reason == "stepped_up"
    page = client.get(detail_url(transition)).content.decode()
    assert "Accepted" in page and "Allocated to AB" in page


def test_step_up_declined_with_a_reason(client, place):
    episode = allocated_episode(place)
    transition = request_step_up(place, episode)
    client.force_login(place.manager)
    response = client.post(detail_url(transition, "decline"), {"decline-reason": "Try a TAF first"})
    assert response.status_code == 302
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.DECLINED
    assert transition.response_reason == "Try a TAF first"
    assert transition.responded_by == place.manager
    episode.refresh_from_db()
    assert episode.is_open


def test_step_up_not_accepted_keeps_the_episode_open(client, place):
    episode = allocated_episode(place)
    transition = transitions.transition_approve(
        by=place.manager, transition=request_step_up(place, episode)
    )
    client.force_login(place.social_care_manager)
    response = client.post(detail_url(transition, "reject"), {"reject-reason": "Below threshold"})
    assert response.status_code == 302
    transition.refresh_from_db()
    episode.refresh_from_db()
    assert transition.status == TransitionStatus.REJECTED
    assert episode.is_open and episode.lead_professional == place.worker


def test_step_up_page_refuses_those_who_do_not_work_on_the_episode(client, place):
    episode = allocated_episode(place)
    url = reverse("transitions:step-up-request", args=[episode.uuid])
    client.force_login(place.colleague)  # in the team: sees it, but does not lead it
    assert client.get(url).status_code == 403
    stranger = UserFactory(roles=[Role.PRACTITIONER], teams=[TeamFactory()])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, step_up_data(place)).status_code == 404
    assert not Transition.objects.exists()


# Step down


def test_step_down_requested_approved_and_accepted_through_the_pages(client, place, csc_family):
    url = reverse("transitions:step-down-request", args=[csc_family.uuid])
    assert url == f"/families/{csc_family.uuid}/step-down/"
    client.force_login(place.social_worker)
    page = client.get(url).content.decode()
    assert "Ask for a step down" in page and place.team.name in page
    response = client.post(url, step_down_data(place))
    transition = Transition.objects.get()
    assert response.status_code == 302 and response.url == detail_url(transition)
    assert transition.direction == Direction.DOWN
    assert transition.episode is None

    # The social care manager approves: an episode waits for allocation, with priority.
    client.force_login(place.social_care_manager)
    assert "To approve or decline" in client.get(reverse("transitions:list")).content.decode()
    response = client.post(detail_url(transition, "approve"), follow=True)
    assert "waiting for allocation in North" in response.content.decode()
    transition.refresh_from_db()
    episode = transition.episode
    assert transition.status == TransitionStatus.APPROVED
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert episode.priority and episode.locality == place.locality

    # The early help locality manager accepts.
    client.force_login(place.manager)
    assert "To accept or not" in client.get(reverse("transitions:list")).content.decode()
    page = client.get(detail_url(transition)).content.decode()
    assert "episode also accepts the step down" in page
    assert client.post(detail_url(transition, "accept"), {"accept-notes": ""}).status_code == 302
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.ACCEPTED
    assert transition.responded_by == place.manager


def test_allocating_a_step_downs_episode_accepts_it(place, csc_family):
    transition = transitions.transition_approve(
        by=place.social_care_manager, transition=request_step_down(place, csc_family)
    )
    episodes.episode_allocate(
        by=place.manager,
        episode=transition.episode,
        lead_professional=place.worker,
        team=place.team,
    )
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.ACCEPTED


def test_rejected_step_down_closes_its_never_allocated_episode(client, place, csc_family):
    transition = transitions.transition_approve(
        by=place.social_care_manager, transition=request_step_down(place, csc_family)
    )
    client.force_login(place.manager)
    response = client.post(
        detail_url(transition, "reject"), {"reject-reason": "Needs social care still"}
    )
    assert response.status_code == 302
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.REJECTED
    assert transition.response_reason == "Needs social care still"
    assert transition.episode.status == EpisodeStatus.CLOSED


def test_step_down_declined_by_the_social_care_manager(client, place, csc_family):
    transition = request_step_down(place, csc_family)
    client.force_login(place.social_care_manager)
    client.post(detail_url(transition, "decline"), {"decline-reason": "Not yet"})
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.DECLINED
    assert not Episode.objects.filter(family=csc_family).exists()


def test_step_down_page_is_404_for_those_who_do_not_see_the_family(client, place, csc_family):
    url = reverse("transitions:step-down-request", args=[csc_family.uuid])
    client.force_login(place.worker)
    assert client.get(url).status_code == 404
    assert client.post(url, step_down_data(place)).status_code == 404


def test_step_down_page_is_403_without_a_social_care_team(client, place):
    family = FamilyFactory(owning_team=place.team)
    client.force_login(place.worker)
    assert (
        client.get(reverse("transitions:step-down-request", args=[family.uuid])).status_code == 403
    )


# Errors


def test_step_down_form_errors_keep_what_was_typed(client, place, csc_family):
    client.force_login(place.social_worker)
    url = reverse("transitions:step-down-request", args=[csc_family.uuid])
    response = client.post(url, step_down_data(place, to_level="", evidence="Strategy notes"))
    page = shown_again_with_errors(response)
    assert "<title>Error: " in page
    assert "Choose the level of need to step down to" in page
    assert "Strategy notes" in page
    assert escape("Child protection plan ended; needs family support") in page
    assert not Transition.objects.exists()

    page = client.post(url, {}).content.decode()
    assert "Enter the reason" in page and "Choose the early help team" in page


def test_a_refusal_from_the_service_shows_on_the_form(client, place, csc_family):
    request_step_down(place, csc_family)
    client.force_login(place.social_worker)
    url = reverse("transitions:step-down-request", args=[csc_family.uuid])
    response = client.post(url, step_down_data(place, reason="Second try"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "already waiting for this family" in page and "Second try" in page


def test_action_errors_re_render_the_page_with_the_typed_values(client, place):
    episode = allocated_episode(place)
    transition = request_step_up(place, episode)
    client.force_login(place.manager)
    response = client.post(detail_url(transition, "decline"), {"decline-reason": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "Enter why it is declined" in page
    assert 'href="#id_decline-reason"' in page

    # Approved meanwhile: declining now is refused, never a 500, and the reason is kept.
    transitions.transition_approve(by=place.manager, transition=transition)
    response = client.post(detail_url(transition, "decline"), {"decline-reason": "Too late reason"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "waiting for the receiving team to accept" in page
    assert "Too late reason" in page

    client.force_login(place.social_care_manager)
    page = client.post(detail_url(transition, "reject"), {}).content.decode()
    assert "Enter why it is not accepted" in page


def test_the_page_shown_again_with_errors_is_an_audited_read(client, place):
    transition = request_step_up(place, allocated_episode(place))
    client.force_login(place.manager)
    reads = AuditEvent.objects.filter(
        actor=place.manager, action="view", object_id=str(transition.pk)
    )
    assert not reads.exists()
    response = client.post(detail_url(transition, "decline"), {"decline-reason": " "})
    assert "Enter why it is declined" in response.content.decode()
    assert reads.count() == 1


def test_non_manager_gets_403_on_the_actions(client, place):
    episode = allocated_episode(place)
    transition = request_step_up(place, episode)
    client.force_login(place.worker)
    page = client.get(detail_url(transition)).content.decode()
    assert "Approve" not in page
    assert client.post(detail_url(transition, "approve")).status_code == 403
    assert client.post(detail_url(transition, "decline"), {}).status_code == 403
    client.force_login(place.social_care_manager)  # receiving side: cannot approve
    assert client.post(detail_url(transition, "approve")).status_code == 404
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.REQUESTED


def test_receiving_manager_cannot_approve_and_sender_cannot_accept(client, place):
    episode = allocated_episode(place)
    transition = transitions.transition_approve(
        by=place.manager, transition=request_step_up(place, episode)
    )
    client.force_login(place.manager)
    assert client.post(detail_url(transition, "accept")).status_code == 403
    client.force_login(place.social_care_manager)
    assert client.post(detail_url(transition, "approve")).status_code == 403


def test_unrelated_user_gets_404(client, place, csc_family):
    transition = request_step_down(place, csc_family)
    stranger = UserFactory(roles=[Role.SOCIAL_WORKER], teams=[TeamFactory()])
    client.force_login(stranger)
    assert client.get(detail_url(transition)).status_code == 404
    assert client.post(detail_url(transition, "approve")).status_code == 404
    assert detail_url(transition) not in client.get(reverse("transitions:list")).content.decode()


# Flags


def test_waiting_too_long_flag(client, place):
    episode = allocated_episode(place)
    transition = transitions.transition_approve(
        by=place.manager, transition=request_step_up(place, episode)
    )
    client.force_login(place.social_care_manager)
    assert "Waiting too long" not in client.get(reverse("transitions:list")).content.decode()
    Transition.objects.filter(pk=transition.pk).update(
        approved_at=timezone.now() - timedelta(days=30)
    )
    assert "Waiting too long" in client.get(reverse("transitions:list")).content.decode()
    assert "Waiting too long" in client.get(detail_url(transition)).content.decode()


def test_bounce_back_tag_and_links(client, place, csc_family):
    step_down = transitions.transition_approve(
        by=place.social_care_manager, transition=request_step_down(place, csc_family)
    )
    episode = episodes.episode_allocate(
        by=place.manager, episode=step_down.episode, lead_professional=place.worker, team=place.team
    )
    Transition.objects.filter(pk=step_down.pk).update(
        responded_at=timezone.now() - timedelta(days=90)
    )
    client.force_login(place.worker)
    client.post(reverse("transitions:step-up-request", args=[episode.uuid]), step_up_data(place))
    step_up = Transition.objects.get(direction=Direction.UP)
    assert step_up.bounce_back_of == step_down

    client.force_login(place.manager)
    listing = client.get(reverse("transitions:list")).content.decode()
    assert "Bounce-back" in listing
    page = client.get(detail_url(step_up)).content.decode()
    assert "Bounce-back" in page and detail_url(step_down) in page
    assert detail_url(step_up) in client.get(detail_url(step_down)).content.decode()


def test_list_filters(client, place, csc_family):
    down = request_step_down(place, csc_family)
    up = request_step_up(place, allocated_episode(place))
    client.force_login(place.manager)
    transitions.transition_approve(by=place.manager, transition=up)
    client.force_login(place.social_care_manager)
    listing = client.get(reverse("transitions:list"), {"direction": "down"}).content.decode()
    assert detail_url(down) in listing
    listing = client.get(reverse("transitions:list"), {"status": "approved"}).content.decode()
    assert detail_url(up) in listing and detail_url(down) not in listing.split("All step ups")[1]


# Audit


def test_pages_and_actions_are_audited(client, place):
    episode = allocated_episode(place)
    client.force_login(place.worker)
    client.get(reverse("transitions:step-up-request", args=[episode.uuid]))
    assert AuditEvent.objects.filter(
        actor=place.worker, action="view", object_id=str(episode.pk)
    ).exists()
    client.post(reverse("transitions:step-up-request", args=[episode.uuid]), step_up_data(place))
    transition = Transition.objects.get()
    assert AuditEvent.objects.filter(
        actor=place.worker, action="create", object_id=str(transition.pk)
    ).exists()

    client.force_login(place.manager)
    client.get(reverse("transitions:list"), {"direction": "up"})
    listed = AuditEvent.objects.filter(actor=place.manager, action="list").latest("occurred_at")
    assert listed.detail["ids"] == [str(transition.pk)]
    assert listed.detail["filters"] == {"direction": "up"}
    client.get(detail_url(transition))
    assert AuditEvent.objects.filter(
        actor=place.manager, action="view", object_id=str(transition.pk)
    ).exists()
    client.post(detail_url(transition, "approve"))
    assert AuditEvent.objects.filter(
        actor=place.manager, action="change", object_id=str(transition.pk), detail__step="approve"
    ).exists()


# Queries


def _transitions(place, size):
    """`size` transitions sent by the social care team: a mix of states and flags."""
    now = timezone.now()
    earlier = None
    for n in range(size):
        family = FamilyFactory(owning_team=place.social_care_team)
        status = [TransitionStatus.REQUESTED, TransitionStatus.APPROVED, TransitionStatus.ACCEPTED][
            n % 3
        ]
        earlier = Transition.objects.create(
            direction=Direction.DOWN if n % 2 else Direction.UP,
            family=family,
            from_level=level(4),
            to_level=level(3),
            reason="Reason",
            sending_team=place.social_care_team,
            receiving_team=place.social_care_team,
            status=status,
            requested_by=place.social_worker,
            approved_at=None if status == TransitionStatus.REQUESTED else now - timedelta(days=n),
            bounce_back_of=earlier if n % 4 == 0 else None,
        )


@pytest.mark.parametrize("size", [2, 50])
def test_list_query_count_does_not_grow(client, django_assert_max_num_queries, place, size):
    _transitions(place, size)
    client.force_login(place.social_care_manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("transitions:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Waiting too long") >= (1 if size > 2 else 0)


@pytest.mark.parametrize("size", [2, 50])
def test_detail_query_count_is_fixed(client, django_assert_max_num_queries, place, size):
    _transitions(place, size)
    step_down = Transition.objects.filter(status=TransitionStatus.REQUESTED).first()
    for later in Transition.objects.exclude(pk=step_down.pk):
        later.bounce_back_of = step_down
        later.save()
    client.force_login(place.social_care_manager)
    with django_assert_max_num_queries(12):
        response = client.get(detail_url(step_down))
    assert response.status_code == 200
    assert "Approve" in response.content.decode()
