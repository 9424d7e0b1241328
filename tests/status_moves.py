"""Every status machine refuses the moves its `ALLOWED_MOVES` leaves out, in the same words."""

import itertools

import pytest

from earlyhelp.exceptions import ServiceError


def illegal_moves(statuses, allowed):
    return [
        (before, after)
        for before, after in itertools.product(statuses, statuses)
        if after not in allowed[before]
    ]


def assert_move_refused(moves, record, after, named):
    """`named` opens the message: "An episode", "A plan"."""
    before = record.status
    with pytest.raises(ServiceError) as error:
        moves.move(record, after, by=None)
    assert error.value.message == (
        f"{named} that is {before.label.lower()} cannot become {after.label.lower()}"
    )
    assert record.status == before
