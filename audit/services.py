"""Writing the audit log. Every read and change of a record calls one of these."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from audit import context
from audit.models import AuditAction, AuditEvent


def _object_type(obj=None, model=None):
    if obj is not None:
        return obj._meta.label_lower
    if model is not None:
        return model._meta.label_lower
    return ""


def record(
    *,
    actor,
    action: AuditAction | str,
    obj=None,
    model=None,
    object_id: str = "",
    reason: str = "",
    detail: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event. `obj` is the record acted on; `model` names a type for lists."""
    where = context.current()
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_label=actor_label if actor_label is not None else (actor.email if signed_in else ""),
        action=action,
        object_type=_object_type(obj, model),
        object_id=str(obj.pk) if obj is not None else str(object_id),
        ip_address=where.ip_address,
        user_agent=where.user_agent,
        path=where.path,
        reason=reason,
        detail=detail or {},
    )


def record_view(*, actor, obj) -> AuditEvent:
    return record(actor=actor, action=AuditAction.VIEW, obj=obj)


def record_list(*, actor, model, objects: Iterable, filters: dict | None = None) -> AuditEvent:
    """A list page or endpoint: which records were shown, and with what filters."""
    return record(
        actor=actor,
        action=AuditAction.LIST,
        model=model,
        detail={
            "ids": [str(item.pk) for item in objects],
            "filters": {key: value for key, value in (filters or {}).items() if value},
        },
    )


def record_refused(*, actor, model, lookup: dict, status: int, permission: str = "") -> bool:
    """A refused read (404) or change (403) of a record: audited if the record exists.

    `lookup` is what the user asked for (e.g. {"uuid": ...}) among `model`'s records. A
    lookup that matches no record is not audited: there is nothing it refers to. In a request
    the event is written when the response is ready, so the rollback that usually follows a
    refusal cannot take it away (audit.context.defer). True if an event was recorded.
    """
    try:
        object_ids = list(model._base_manager.filter(**lookup).values_list("pk", flat=True)[:2])
    except (ValidationError, ValueError, TypeError):
        return False
    if len(object_ids) != 1:
        return False
    detail = {"status": status, "lookup": {key: str(value) for key, value in lookup.items()}}
    if permission:
        detail["permission"] = permission

    def write():
        record(
            actor=actor,
            action=AuditAction.REFUSED,
            model=model,
            object_id=str(object_ids[0]),
            detail=detail,
        )

    if not context.defer(write):
        write()
    return True
