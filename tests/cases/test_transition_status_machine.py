"""A transition's status moves only as TRANSITION_MOVES allows, and each move is recorded."""

import pytest

from cases.transitions.models import ALLOWED_MOVES, TRANSITION_MOVES, Transition, TransitionStatus
from tests.status_moves import assert_move_refused, illegal_moves

ILLEGAL_MOVES = illegal_moves(TransitionStatus, ALLOWED_MOVES)


@pytest.mark.parametrize("before,after", ILLEGAL_MOVES, ids=lambda s: str(s))
def test_every_illegal_move_is_refused_with_a_message(before, after):
    assert_move_refused(TRANSITION_MOVES, Transition(status=before), after, "A transition")


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
