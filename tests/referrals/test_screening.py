"""Screening and deciding requests for support (DESIGN section 5, step 2): claiming,
matching, checks, threshold indicators and the suggested level, the consent rule, episodes,
re-referrals, one decision per request, and who sees what."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from cases.models import Episode, EpisodeStatus, Family, Person
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from referrals.models import Decision, Outcome, RequestForSupport, ScreeningCheck, Status
from referrals.requests import selectors as request_selectors
from referrals.screening import selectors as screening_selectors
from referrals.screening import services as screening_services
from referrals.screening.decisions import services as decisions
from tests.factories import FamilyFactory, PersonFactory, TeamFactory, UserFactory
from tests.referrals.screening_helpers import (
    current_framework,
    indicators_at,
    level,
    make_triage_officer,
    match,
    submit_request,
)
from thresholds import services as thresholds

pytestmark = pytest.mark.django_db


@pytest.fixture
def triage_officer(team):
    return make_triage_officer(team)


@pytest.fixture
def family():
    family = FamilyFactory(name="Okafor family")
    PersonFactory(given_name="Mia", family_name="Okafor", families=[family])
    return family


@pytest.fixture
def mia(family):
    return family.members.get(given_name="Mia")


@pytest.fixture
def request_for_support(practitioner):
    return submit_request(practitioner)


def decide(by, request, outcome=Outcome.TAF, rank=3, **extra):
    data = decisions.DecisionInput(
        outcome=outcome,
        level=level(rank),
        rationale=extra.pop("rationale", "Several needs across school and home."),
        **extra,
    )
    return decisions.request_decide(by=by, request=request, data=data)


def match_child(by, request, person):
    child = request.people.get(role="child")
    return match(by, child, person)


# Claiming and assigning


def test_claiming_puts_the_request_in_screening_with_the_officer(
    triage_officer, request_for_support
):
    claimed = screening_services.request_claim(by=triage_officer, request=request_for_support)

    assert claimed.status == Status.IN_SCREENING
    assert claimed.assigned_to == triage_officer
    event = AuditEvent.objects.filter(object_id=str(request_for_support.pk)).latest("pk")
    assert event.action == AuditAction.CHANGE and event.detail["step"] == "claim"


def test_a_request_someone_else_is_screening_is_reassigned_not_claimed(team, request_for_support):
    first, second = make_triage_officer(team), make_triage_officer(team)
    screening_services.request_claim(by=first, request=request_for_support)

    with pytest.raises(ServiceError, match="already screening"):
        screening_services.request_claim(by=second, request=request_for_support)
    screening_services.request_assign(by=second, request=request_for_support, to=second)

    request_for_support.refresh_from_db()
    assert request_for_support.assigned_to == second


def test_requests_are_assigned_only_to_triage_officers(
    triage_officer, practitioner, request_for_support
):
    with pytest.raises(ServiceError, match="Choose a triage officer"):
        screening_services.request_assign(
            by=triage_officer, request=request_for_support, to=practitioner
        )


def test_only_triage_officers_screen(practitioner, request_for_support):
    with pytest.raises(PermissionDenied):
        screening_services.request_claim(by=practitioner, request=request_for_support)


# Matching people and the family


def test_matching_a_child_in_one_household_links_the_family_and_its_locality(
    triage_officer, request_for_support, family, mia
):
    match_child(triage_officer, request_for_support, mia)

    request_for_support.refresh_from_db()
    assert request_for_support.family == family
    assert request_for_support.locality == family.owning_team.locality
    assert request_for_support.status == Status.IN_SCREENING


def test_triage_sees_the_family_only_while_the_request_is_screened(
    triage_officer, request_for_support, family, mia
):
    def sees_family():
        officer = type(triage_officer).objects.get(pk=triage_officer.pk)  # fresh caches
        return access.visible(officer, Family.objects.filter(pk=family.pk)).exists()

    assert not sees_family()
    match_child(triage_officer, request_for_support, mia)
    assert sees_family()
    assert access.visible(triage_officer, Person.objects.filter(pk=mia.pk)).exists()

    decide(triage_officer, request_for_support, Outcome.UNIVERSAL, rank=1, **_override())
    assert not sees_family()


def _override(reason="Universal services meet the need."):
    return {"level_override_reason": reason}


def test_creating_a_person_from_the_request_refuses_likely_duplicates_until_confirmed(
    triage_officer, team, practitioner
):
    PersonFactory(given_name="Mia", family_name="Okafor", date_of_birth=datetime.date(2019, 3, 4))
    request = submit_request(
        practitioner,
        people=[
            {
                "role": "child",
                "given_name": "Mia",
                "family_name": "Okafor",
                "date_of_birth": datetime.date(2019, 3, 4),
            }
        ],
    )
    typed = request.people.get()

    from cases.people.search import PossibleDuplicates

    with pytest.raises(PossibleDuplicates):
        screening_services.screening_create_person(
            by=triage_officer, request_person=typed, owning_team=team
        )
    person = screening_services.screening_create_person(
        by=triage_officer, request_person=typed, owning_team=team, confirmed_not_duplicate=True
    )

    typed.refresh_from_db()
    assert typed.matched_person == person
    assert (person.given_name, person.date_of_birth) == ("Mia", datetime.date(2019, 3, 4))


def test_a_family_record_is_created_from_the_matched_people(
    triage_officer, team, request_for_support
):
    mia = PersonFactory(given_name="Mia", family_name="Okafor", owning_team=team)
    match_child(triage_officer, request_for_support, mia)

    family = screening_services.screening_create_family(
        by=triage_officer, request=request_for_support, owning_team=team, name="Okafor family"
    )

    request_for_support.refresh_from_db()
    assert request_for_support.family == family
    assert list(family.members.all()) == [mia]


def test_linking_a_family_nobody_on_the_request_belongs_to_is_refused(
    triage_officer, request_for_support
):
    stranger = FamilyFactory()
    with pytest.raises(ServiceError, match="household of someone matched"):
        screening_services.screening_link_family(
            by=triage_officer, request=request_for_support, family=stranger
        )


# Checks with other agencies


def test_a_check_needs_an_agency_and_a_question(triage_officer, request_for_support):
    with pytest.raises(ValidationError) as error:
        screening_services.screening_check_add(
            by=triage_officer, request=request_for_support, question=""
        )
    assert set(error.value.message_dict) == {"agency", "question"}


def test_a_check_records_who_was_asked_what_and_their_answer(triage_officer, request_for_support):
    check = screening_services.screening_check_add(
        by=triage_officer,
        request=request_for_support,
        agency_name="Brackenford Police",
        question="Any domestic abuse call-outs to the address?",
    )
    screening_services.screening_check_answer(
        by=triage_officer, check=check, answer="Two call-outs in March, no arrests."
    )

    check = ScreeningCheck.objects.get(pk=check.pk)
    assert check.agency_label == "Brackenford Police"
    assert check.answer == "Two call-outs in March, no arrests."
    assert check.answered_at >= check.asked_at


# Threshold indicators and the suggested level


def test_the_suggested_level_is_the_highest_level_among_the_ticked_indicators(
    triage_officer, request_for_support
):
    ticked = indicators_at(1, 2) + indicators_at(3) + indicators_at(2, 3)

    suggested = screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=ticked
    )

    assert suggested == level(3)
    assert screening_services.suggested_level([]) is None
    assert screening_services.suggested_level(indicators_at(2, 2)) == level(2)


def test_indicators_come_from_the_current_framework_only(triage_officer, request_for_support):
    old = indicators_at(2)
    draft = thresholds.framework_copy_to_draft(by=None, framework=current_framework())
    thresholds.framework_publish(by=None, framework=draft)

    with pytest.raises(ServiceError, match="current threshold framework"):
        screening_services.screening_indicators_set(
            by=triage_officer, request=request_for_support, indicators=old
        )


def test_a_decision_keeps_its_framework_version_when_a_new_one_is_published(
    triage_officer, request_for_support, mia
):
    match_child(triage_officer, request_for_support, mia)
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3, 2)
    )
    decision = decide(triage_officer, request_for_support)
    used = current_framework()

    draft = thresholds.framework_copy_to_draft(by=None, framework=used)
    thresholds.framework_publish(by=None, framework=draft)

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.framework == used
    assert decision.level.framework == used
    assert {i.framework_id for i in decision.indicators.all()} == {used.pk}


def test_confirming_the_suggested_level_needs_no_override_reason(
    triage_officer, request_for_support
):
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(1)
    )
    decision = decide(triage_officer, request_for_support, Outcome.UNIVERSAL, rank=1)

    assert decision.suggested_level == level(1)
    assert not decision.level_overridden
    assert decision.level_override_reason == ""


def test_overriding_the_suggested_level_needs_a_reason_which_is_recorded(
    triage_officer, request_for_support
):
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3)
    )
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support, Outcome.SINGLE_AGENCY, rank=2)
    assert "not the suggested" in error.value.message_dict["level_override_reason"][0]

    decision = decide(
        triage_officer,
        request_for_support,
        Outcome.SINGLE_AGENCY,
        rank=2,
        single_agency_name="Brackenford Primary",
        level_override_reason="School already has a plan; one agency can meet the need.",
    )
    assert decision.level_overridden
    assert decision.suggested_level == level(3) and decision.level == level(2)
    assert decision.level_override_reason.startswith("School already")


def test_without_ticked_indicators_any_level_needs_a_reason(triage_officer, request_for_support):
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support, Outcome.NFA, rank=1)
    assert "No indicator is ticked" in error.value.message_dict["level_override_reason"][0]


# The consent rule


@pytest.mark.parametrize(
    "consent",
    [
        {"consent": "not_given", "consent_not_given_reason": "Mother does not want help."},
        {"consent": "not_asked"},
        {
            "consent": "given",
            "consent_given_by": "Grace Okafor",
            "consent_covers": "sharing",
            "consent_given_on": datetime.date(2026, 1, 5),
        },
    ],
    ids=["not given", "not asked", "sharing only"],
)
@pytest.mark.parametrize("outcome,rank", [(Outcome.TAF, 3), (Outcome.SINGLE_AGENCY, 2)])
def test_early_help_without_consent_is_refused_with_an_explanation(
    triage_officer, practitioner, mia, consent, outcome, rank
):
    request = submit_request(practitioner, **consent)
    match_child(triage_officer, request, mia)

    with pytest.raises(ServiceError) as error:
        decide(triage_officer, request, outcome, rank, single_agency_name="School", **_override())

    assert error.value.message == decisions.CONSENT_REFUSAL
    assert "step up to children's social care" in error.value.message
    assert not Decision.objects.exists()
    assert not Episode.objects.exists()
    assert RequestForSupport.objects.get(pk=request.pk).status == Status.IN_SCREENING


def test_without_consent_a_safeguarding_concern_is_stepped_up(triage_officer, practitioner):
    request = submit_request(
        practitioner, consent="not_given", consent_not_given_reason="Father refused."
    )
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(4)
    )

    decision = decide(triage_officer, request, Outcome.STEP_UP, 4, social_care_reference="CSC-4471")

    assert decision.outcome == Outcome.STEP_UP
    assert decision.social_care_reference == "CSC-4471"
    assert decision.consent == "not_given"


def test_consent_recorded_during_screening_allows_early_help(triage_officer, practitioner, mia):
    request = submit_request(practitioner, consent="not_asked")
    match_child(triage_officer, request, mia)
    screening_services.screening_record_consent(
        by=triage_officer,
        request=request,
        consent="given",
        consent_given_by="Grace Okafor, mother, by phone",
        consent_covers="both",
        consent_given_on=timezone.localdate(),
    )
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(3)
    )

    assert decide(triage_officer, request).consent == "given"


def test_a_step_up_needs_the_social_care_reference_and_a_statutory_level(
    triage_officer, request_for_support
):
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support, Outcome.STEP_UP, 3, **_override())
    assert set(error.value.message_dict) == {"social_care_reference", "level"}


def test_early_help_at_a_statutory_level_is_refused(triage_officer, request_for_support, mia):
    match_child(triage_officer, request_for_support, mia)
    with pytest.raises(ServiceError, match="statutory level"):
        decide(triage_officer, request_for_support, Outcome.TAF, 4, **_override())


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
    decision = decide(triage_officer, request, Outcome.UNIVERSAL, 1, **_override())
    assert decision.is_re_referral is flagged


# One decision per request


def test_a_decided_request_cannot_be_decided_again(team, request_for_support):
    first, second = make_triage_officer(team, full_name="Asha Patel"), make_triage_officer(team)
    decide(first, request_for_support, Outcome.NFA, 1, **_override())

    with pytest.raises(ServiceError, match="already decided by Asha Patel"):
        decide(second, request_for_support, Outcome.UNIVERSAL, 1, **_override())
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
                officer, RequestForSupport.objects.get(pk=request.pk), outcome, 1, **_override()
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
            **_override(),
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
    decide(triage_officer, request_for_support, Outcome.UNIVERSAL, 1, **_override())

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
