"""Status machines: the one place a record's status changes.

A record with a status declares which moves are allowed (`allowed_moves`: each status to the
statuses it may become) and keeps a row of each move (in `history`, the `StatusChange`
subclass its machine makes). Services move a record only through `StatusMachine.move`; pages
and the API ask `can_move` which actions to offer, so the rules are written once.
"""

from django.utils import timezone

from earlyhelp.exceptions import ServiceError
from earlyhelp.models import StatusChange


class StatusMachine:
    def __init__(self, record_model, *, statuses, allowed_moves, record_field, noun):
        """Declared in the record's models module, after the record: it makes the record's
        history model there. `noun` names the record in refusals ("an episode")."""
        self.statuses = statuses
        self.allowed_moves = allowed_moves
        self.history = StatusChange.for_record(
            record_model, statuses=statuses, record_field=record_field, noun=noun
        )
        self.record_field = record_field
        self.noun = noun

    def can_move(self, record, to) -> bool:
        return self.statuses(to) in self.allowed_moves.get(self.statuses(record.status), ())

    def move(self, record, to, *, by, reason="", at=None):
        """Refused unless the move is allowed; recorded with who, when and why. The caller
        saves the record (in the same transaction)."""
        current, to = self.statuses(record.status), self.statuses(to)
        if not self.can_move(record, to):
            raise ServiceError(
                f"{self.noun.capitalize()} that is {current.label.lower()} cannot become "
                f"{to.label.lower()}"
            )
        self.history.objects.create(
            **{self.record_field: record},
            from_status=current,
            to_status=to,
            changed_by=by,
            changed_at=at or timezone.now(),
            reason=reason,
        )
        record.status = to
        if hasattr(record, "modified_by_id"):
            record.modified_by = by

    def start(self, record, *, by, reason="", at=None):
        """Record the first status of a new record (saved already)."""
        self.history.objects.create(
            **{self.record_field: record},
            from_status="",
            to_status=record.status,
            changed_by=by,
            changed_at=at or timezone.now(),
            reason=reason,
        )
