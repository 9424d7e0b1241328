"""What every domain's services share: lock the row, refuse without permission, record the step.

A service is one function per state change, in a transaction; these are its first and last
lines, written once.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from audit.models import AuditAction
from audit.services import record
from earlyhelp import access
from earlyhelp.exceptions import ServiceError


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


def next_number(rows, field):
    """The number after the highest `field` of `rows` (1 for none): a new version, or a new
    last position. The caller holds a lock or a unique constraint against a race."""
    return (rows.aggregate(highest=Max(field))["highest"] or 0) + 1


def validate(instance, *, exclude=()):
    """`instance.full_clean(exclude=exclude)`, without asking the database again whether a
    record the instance holds exists.

    Django checks each foreign key with a query of its own, even when it is set to a record
    just read from (or saved to) the database, as a service's always is: about 10,000 queries
    and 40% of `save_checked`'s time in seed_demo. That check could not stop a record going
    in the meantime anyway; the foreign key constraint does, as it does for a record gone
    since it was read. A foreign key set by id alone, or with `limit_choices_to`, is still
    checked, and unique and check constraints are checked on every field, as `full_clean`
    checks them."""
    held = [name for name in _held_records(instance) if name not in exclude]
    errors = {}
    try:
        instance.full_clean(
            exclude=[*exclude, *held], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # As full_clean: unique and other constraints only on the fields that passed.
    skip = {*exclude, *(name for name in errors if name != NON_FIELD_ERRORS)}
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check(exclude=skip)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _held_records(instance):
    """Names of the foreign keys set to a record in hand that came from the database."""
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.remote_field.limit_choices_to:
            continue
        if not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if related is None or related._state.adding:
            continue
        if getattr(related, field.target_field.attname) == getattr(instance, field.attname):
            yield field.name


def save_checked(instance, *, by, validated=False):
    """Validate (unless the caller just did) and save, stamping who created or changed it,
    turning a database constraint race into a message rather than a 500."""
    if instance._state.adding and hasattr(instance, "created_by"):
        instance.created_by = by
    if hasattr(instance, "modified_by"):
        instance.modified_by = by
    if not validated:
        validate(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(
            "This record conflicts with one saved a moment ago: check and try again"
        ) from error
    return instance


def save_changes(instance, fields, *, by):
    """Set the fields given on the record and save it as save_checked does."""
    for name, value in fields.items():
        setattr(instance, name, value)
    return save_checked(instance, by=by)


def changed_fields(instance, fields):
    """The names of the fields whose new values differ from the record's (for the audit
    event, which names what changed, never the values)."""
    return sorted(name for name, value in fields.items() if getattr(instance, name) != value)


def require_own_team(by, team):
    """A case record belongs to one of the user's own case teams."""
    if team.pk not in access.case_team_ids(by):
        raise ServiceError("Choose one of your own teams", field="owning_team")


def case_record_changes(by, instance, fields):
    """The fields a change to a case record alters (for its audit event), refusing to move
    the record to a team that is not one of the user's own."""
    if "owning_team" in fields:
        require_own_team(by, fields["owning_team"])
    return changed_fields(instance, fields)
