"""The status-change rows a status machine writes, for factories that skip its services."""

from django.utils import timezone


def record_moves(machine, record, moves, *, after="", at=None):
    """One row for each (status, by) of `moves`, in order, the first moving from `after`
    ("" for a record's first status, as the machine's `start` writes it)."""
    at = at or timezone.now()
    rows = []
    for status, by in moves:
        rows.append(
            machine.history(
                **{machine.record_field: record},
                from_status=after,
                to_status=status,
                changed_by=by,
                changed_at=at,
            )
        )
        after = status
    machine.history.objects.bulk_create(rows)
