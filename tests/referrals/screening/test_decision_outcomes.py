"""What a screening decision does (DESIGN section 7): episodes, re-referrals, one decision
only, the requester's email, and who sees the request after."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from cases.models import Episode, EpisodeStatus
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from referrals.models import Decision, Outcome, RequestForSupport, Status
from referrals.requests import selectors as request_selectors
from referrals.screening import selectors as screening_selectors
from referrals.screening import services as screening_services
from tests.factories import TeamFactory, UserFactory
from tests.referrals.screening_helpers import (
    decide,
    indicators_at,
    level,
    make_triage_officer,
    match_child,
    override_reason,
    submit_request,
)

pytestmark = pytest.mark.django_db


# Episodes


def test_a_level_3_decision_opens_an_episode_awaiting_allocation_in_the_familys_locality(
    triage_officer, request_for_support, family, mia
):
    match_child(triage_officer, request_for_support, mia)
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3, 2)
    )

    decision = decide(triage_officer, request_for_support)

    episode = Episode.objects.get()
    assert decision.episode == episode and not decision.joined_open_episode
    assert episode.family == family
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert episode.locality == family.owning_team.locality
    assert episode.level == level(3)
    assert episode.opened_from_request_id == request_for_support.pk
    request_for_support.refresh_from_db()
    assert request_for_support.status == Status.DECIDED
    assert "allocated in the" in request_for_support.outcome_summary
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.episode", object_id=str(episode.pk)
    ).exists()


def test_a_level_3_decision_joins_the_familys_open_episode(
    triage_officer, practitioner, family, mia
):
    open_episode = Episode.objects.create(
        family=family, locality=family.owning_team.locality, level=level(3)
    )
    request = submit_request(practitioner)
    match_child(triage_officer, request, mia)
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(3)
    )

    decision = decide(triage_officer, request)

    assert decision.episode == open_episode and decision.joined_open_episode
    assert Episode.objects.count() == 1


def test_a_level_3_decision_needs_a_family_record(triage_officer, request_for_support):
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3)
    )
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support)
    assert "Link the request to a family record" in error.value.message_dict["outcome"][0]


# Re-referrals


@pytest.mark.parametrize("closed_days_ago,flagged", [(100, True), (364, True), (400, False)])
def test_a_request_for_a_family_whose_episode_closed_within_12_months_is_a_re_referral(
    triage_officer, practitioner, family, mia, closed_days_ago, flagged
):
    closed_at = timezone.now() - datetime.timedelta(days=closed_days_ago)
    Episode.objects.create(
        family=family,
        locality=family.owning_team.locality,
        level=level(3),
        status=EpisodeStatus.CLOSED,
        opened_at=closed_at - datetime.timedelta(days=90),
        closed_at=closed_at,
    )
    request = submit_request(practitioner)
    match_child(triage_officer, request, mia)

    queued = screening_selectors.triage_queue_for(triage_officer).get(pk=request.pk)
    assert queued.is_re_referral is flagged
    decision = decide(triage_officer, request, Outcome.UNIVERSAL, 1, **override_reason())
    assert decision.is_re_referral is flagged


# One decision per request


def test_a_decided_request_cannot_be_decided_again(team, request_for_support):
    first, second = make_triage_officer(team, full_name="Asha Patel"), make_triage_officer(team)
    decide(first, request_for_support, Outcome.NFA, 1, **override_reason())

    with pytest.raises(ServiceError, match="already decided by Asha Patel"):
        decide(second, request_for_support, Outcome.UNIVERSAL, 1, **override_reason())
    assert Decision.objects.get().outcome == Outcome.NFA


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_officers_deciding_at_once_end_with_one_decision_and_a_clear_message():
    """Two transactions on two connections: the row lock makes the second wait, then see
    the first's decision."""
    assert connection.vendor == "postgresql", "the row lock is tested on PostgreSQL"
    team = TeamFactory()
    requester = UserFactory(roles=["practitioner"], teams=[team])
    request = submit_request(requester)
    officers = [make_triage_officer(team), make_triage_officer(team)]
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide_in_thread(officer, outcome):
        try:
            barrier.wait(timeout=10)
            decision = decide(
                officer,
                RequestForSupport.objects.get(pk=request.pk),
                outcome,
                1,
                **override_reason(),
            )
            outcomes[officer.pk] = decision.outcome
        except ServiceError as error:
            outcomes[officer.pk] = error.message
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide_in_thread, args=(officers[0], Outcome.NFA)),
        threading.Thread(target=decide_in_thread, args=(officers[1], Outcome.UNIVERSAL)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    decision = Decision.objects.get(request=request)
    winner = decision.decided_by_id
    loser = next(officer.pk for officer in officers if officer.pk != winner)
    assert outcomes[winner] == decision.outcome
    assert outcomes[loser].startswith("This request was already decided by")
    assert RequestForSupport.objects.get(pk=request.pk).status == Status.DECIDED


# What the requester and others see


def test_the_requester_is_told_the_outcome_by_email_without_the_case(
    triage_officer, practitioner, mia, django_capture_on_commit_callbacks
):
    request = submit_request(practitioner)
    match_child(triage_officer, request, mia)
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(3)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decide(triage_officer, request, rationale="Neglect indicators across home and school.")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [practitioner.email]
    assert request.reference in message.subject
    assert "Team Around the Family" in message.body
    assert "Neglect indicators" not in message.body  # the rationale is the case, not the outcome


def test_no_email_when_a_decision_is_refused(
    triage_officer, practitioner, django_capture_on_commit_callbacks
):
    request = submit_request(practitioner, consent="not_asked")
    mail.outbox.clear()
    with pytest.raises(ServiceError), django_capture_on_commit_callbacks(execute=True):
        decide(
            triage_officer,
            request,
            Outcome.SINGLE_AGENCY,
            2,
            single_agency_name="School",
            **override_reason(),
        )
    assert mail.outbox == []


def test_the_familys_practitioners_see_its_requests_and_nobody_else_does(
    triage_officer, practitioner, request_for_support, family, mia
):
    family_worker = UserFactory(roles=["practitioner"], teams=[family.owning_team])
    stranger = UserFactory(roles=["practitioner"], teams=[TeamFactory()])

    def sees(user):
        user = type(user).objects.get(pk=user.pk)
        return request_selectors.requests_for(user).filter(pk=request_for_support.pk).exists()

    assert sees(practitioner) and sees(triage_officer)
    assert not sees(family_worker) and not sees(stranger)

    match_child(triage_officer, request_for_support, mia)
    decide(triage_officer, request_for_support, Outcome.UNIVERSAL, 1, **override_reason())

    other_officer = make_triage_officer(TeamFactory())
    assert sees(practitioner) and sees(family_worker)
    assert sees(triage_officer), "the officer who decided looks back on the decision"
    assert not sees(other_officer) and not sees(stranger)


def test_a_locality_manager_sees_episodes_awaiting_allocation_in_their_locality(
    triage_officer, request_for_support, family, mia
):
    match_child(triage_officer, request_for_support, mia)
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3)
    )
    decide(triage_officer, request_for_support)
    other_team_in_locality = TeamFactory(locality=family.owning_team.locality)
    manager = UserFactory(roles=["locality manager"], manages=[other_team_in_locality])
    elsewhere = UserFactory(roles=["locality manager"], manages=[TeamFactory()])

    assert access.visible(manager, Episode.objects.all()).count() == 1
    assert not access.visible(elsewhere, Episode.objects.all()).exists()
