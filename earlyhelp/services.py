"""What every domain's services share: lock the row, refuse without permission, record the step.

A service is one function per state change, in a transaction; these are its first and last
lines, written once.
"""

from django.core.exceptions import PermissionDenied

from audit.models import AuditAction
from audit.services import record
from earlyhelp import access


def locked(instance, *related):
    """The row again, locked until the transaction ends, with its current state (and the
    related rows named, read in the same query)."""
    rows = type(instance).objects.select_for_update()
    # select_related() with no names would follow, and lock, every non-null foreign key.
    if related:
        rows = rows.select_related(*related)
    return rows.get(pk=instance.pk)


def require(by, permission, obj=None, message="You do not have permission to do this"):
    """Refuse (403, with the message given) unless the user may do this to the record."""
    if not access.can(by, permission, obj):
        raise PermissionDenied(message)


def audit_step(by, obj, step, *, action=AuditAction.CHANGE, **detail):
    """Record a step of a record's workflow in the audit log, naming the step."""
    record(actor=by, action=action, obj=obj, detail={"step": step, **detail})
