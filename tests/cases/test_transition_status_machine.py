"""A transition's status moves only as TRANSITION_MOVES allows, and each move is recorded."""

import itertools

import pytest

from cases.transitions.models import ALLOWED_MOVES, TRANSITION_MOVES, Transition, TransitionStatus
from earlyhelp.exceptions import ServiceError

ILLEGAL_MOVES = [
    (before, after)
    for before, after in itertools.product(TransitionStatus, TransitionStatus)
    if after not in ALLOWED_MOVES[before]
]


@pytest.mark.parametrize("before,after", ILLEGAL_MOVES, ids=lambda s: str(s))
def test_every_illegal_move_is_refused_with_a_message(before, after):
    transition = Transition(status=before)
    with pytest.raises(ServiceError) as error:
        TRANSITION_MOVES.move(transition, after, by=None)
    assert error.value.message == (
        f"A transition that is {before.label.lower()} cannot become {after.label.lower()}"
    )
    assert transition.status == before


def test_only_a_request_waits_for_approval_and_only_an_approved_one_for_an_answer():
    assert ALLOWED_MOVES[TransitionStatus.REQUESTED] == {
        TransitionStatus.APPROVED,
        TransitionStatus.DECLINED,
    }
    assert ALLOWED_MOVES[TransitionStatus.APPROVED] == {
        TransitionStatus.ACCEPTED,
        TransitionStatus.REJECTED,
    }
    finished = (TransitionStatus.DECLINED, TransitionStatus.ACCEPTED, TransitionStatus.REJECTED)
    assert all(ALLOWED_MOVES[status] == set() for status in finished)
