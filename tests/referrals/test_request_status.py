"""A request's status moves only as `ALLOWED_MOVES` says, and each move is recorded: who,
when and why (`REQUEST_MOVES`)."""

import pytest
from django.utils import timezone

from earlyhelp.exceptions import ServiceError
from referrals.models import (
    ALLOWED_MOVES,
    REQUEST_MOVES,
    RequestForSupport,
    RequestStatusChange,
    Source,
    Status,
)
from referrals.requests import services as request_services
from referrals.screening import services as screening_services
from tests.referrals.screening_helpers import (
    decide_no_further_action,
    indicators_at,
    make_triage_officer,
)
from tests.referrals.screening_helpers import submit_request as submit
from tests.status_moves import assert_move_refused, illegal_moves

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(team):
    return make_triage_officer(team)


def moves(request_for_support):
    return list(
        RequestStatusChange.objects.filter(request=request_for_support).values_list(
            "from_status", "to_status", "changed_by", "reason"
        )
    )


def test_the_moves_are_those_the_services_make():
    assert ALLOWED_MOVES == {
        Status.SUBMITTED: {Status.IN_SCREENING, Status.DECIDED, Status.WITHDRAWN},
        Status.IN_SCREENING: {Status.DECIDED, Status.WITHDRAWN},
        Status.DECIDED: set(),
        Status.WITHDRAWN: set(),
    }


ILLEGAL_MOVES = illegal_moves(Status, ALLOWED_MOVES)


@pytest.mark.parametrize("before,after", ILLEGAL_MOVES, ids=lambda s: str(s))
def test_every_illegal_move_is_refused_with_a_message(before, after):
    request_for_support = RequestForSupport(status=before)
    assert not REQUEST_MOVES.can_move(request_for_support, after)
    assert_move_refused(REQUEST_MOVES, request_for_support, after, "A request")


def test_submitting_records_the_first_status(practitioner):
    request_for_support = submit(practitioner)
    [change] = RequestStatusChange.objects.filter(request=request_for_support)
    assert (change.from_status, change.to_status) == ("", Status.SUBMITTED)
    assert change.changed_by == practitioner
    assert change.changed_at == request_for_support.received_at


def test_a_request_from_the_public_form_has_no_one_signed_in_behind_its_first_status():
    request_for_support = request_services.request_submit(
        by=None,
        source=Source.PARENT_OR_CARER,
        people=[{"role": "child", "given_name": "Mia", "family_name": "Okafor"}],
        presenting_needs=["neglect"],
        requester_name="Grace Okafor",
        requester_email="grace@example.com",
        concerns="Mia is not sleeping.",
        consent="given",
        consent_given_by="Grace Okafor",
        consent_covers="both",
        consent_given_on=timezone.localdate(),
        urgency="routine",
    )
    assert moves(request_for_support) == [("", Status.SUBMITTED, None, "")]


def test_claiming_moves_the_request_into_screening_once(officer, request_for_support):
    before = timezone.now()
    screening_services.request_claim(by=officer, request=request_for_support)
    screening_services.screening_notes_save(
        by=officer, request=request_for_support, notes="Rang the school"
    )

    change = RequestStatusChange.objects.filter(request=request_for_support).latest("id")
    assert (change.from_status, change.to_status) == (Status.SUBMITTED, Status.IN_SCREENING)
    assert change.changed_by == officer and change.changed_at >= before
    assert RequestStatusChange.objects.filter(request=request_for_support).count() == 2
    request_for_support.refresh_from_db()
    assert request_for_support.status == Status.IN_SCREENING


def test_assigning_moves_the_request_into_screening_by_whoever_assigned_it(
    team, officer, request_for_support
):
    other = make_triage_officer(team)
    screening_services.request_assign(by=officer, request=request_for_support, to=other)
    assert moves(request_for_support)[-1] == (
        Status.SUBMITTED,
        Status.IN_SCREENING,
        officer.pk,
        "",
    )


@pytest.mark.parametrize(
    "step",
    [
        lambda by, request: screening_services.screening_notes_save(
            by=by, request=request, notes="Rang the school"
        ),
        lambda by, request: screening_services.screening_check_add(
            by=by, request=request, agency_name="Health visiting", question="Known to you?"
        ),
        lambda by, request: screening_services.screening_indicators_set(
            by=by, request=request, indicators=indicators_at(2)
        ),
        lambda by, request: screening_services.screening_record_consent(
            by=by, request=request, consent="not_asked"
        ),
    ],
    ids=["notes", "check", "indicators", "consent"],
)
def test_the_first_step_of_screening_moves_the_request_into_screening(
    officer, request_for_support, step
):
    step(officer, request_for_support)
    assert moves(request_for_support)[-1] == (
        Status.SUBMITTED,
        Status.IN_SCREENING,
        officer.pk,
        "",
    )


def test_deciding_records_the_move_with_the_outcome_at_the_moment_of_the_decision(
    officer, request_for_support
):
    screening_services.request_claim(by=officer, request=request_for_support)
    decision = decide_no_further_action(officer, request_for_support)

    change = RequestStatusChange.objects.filter(request=request_for_support).latest("id")
    assert (change.from_status, change.to_status) == (Status.IN_SCREENING, Status.DECIDED)
    assert change.changed_by == officer
    assert change.changed_at == decision.decided_at
    assert change.reason == "No further action"


def test_withdrawing_records_the_move_with_the_reason(practitioner, request_for_support):
    request_services.request_withdraw(
        by=practitioner, request=request_for_support, reason="Sent twice by mistake."
    )
    assert moves(request_for_support) == [
        ("", Status.SUBMITTED, practitioner.pk, ""),
        (Status.SUBMITTED, Status.WITHDRAWN, practitioner.pk, "Sent twice by mistake."),
    ]


def test_a_refused_service_records_no_move(officer, practitioner, request_for_support):
    request_services.request_withdraw(by=practitioner, request=request_for_support, reason="Late")
    with pytest.raises(ServiceError, match="it can no longer be screened"):
        screening_services.request_claim(by=officer, request=request_for_support)
    assert [m[:2] for m in moves(request_for_support)] == [
        ("", Status.SUBMITTED),
        (Status.SUBMITTED, Status.WITHDRAWN),
    ]
