"""Changes to agencies, localities and teams, and explicit access grants.

Each function checks the access policy, validates, saves inside a transaction and writes
the audit event. The admin pages and the API both come through here.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Locality, Team, User
from audit.models import AuditAction
from audit.services import record
from earlyhelp import access


def _require_configure(by):
    if not access.can(by, access.Permission.CONFIGURE):
        raise PermissionDenied("Only system administrators can configure the directory")


def _save(*, by, instance, fields: dict, relations: dict | None = None):
    """Create or change a directory record and audit the names of the fields that changed."""
    _require_configure(by)
    creating = instance._state.adding
    changed = sorted(
        name for name, value in fields.items() if creating or getattr(instance, name) != value
    )
    for name, value in fields.items():
        setattr(instance, name, value)
    if creating:
        instance.created_by = by
    instance.modified_by = by
    instance.full_clean()
    instance.save()
    for name, values in (relations or {}).items():
        manager = getattr(instance, name)
        if creating or set(manager.all()) != set(values):
            changed.append(name)
        manager.set(values)
    record(
        actor=by,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        obj=instance,
        detail={"fields": sorted(set(changed))},
    )
    return instance


@transaction.atomic
def agency_save(*, by: User, agency: Agency | None = None, **fields) -> Agency:
    return _save(by=by, instance=agency or Agency(), fields=fields)


@transaction.atomic
def locality_save(*, by: User, locality: Locality | None = None, **fields) -> Locality:
    return _save(by=by, instance=locality or Locality(), fields=fields)


@transaction.atomic
def team_save(*, by: User, team: Team | None = None, managers=None, members=None, **fields) -> Team:
    relations = {}
    if managers is not None:
        relations["managers"] = list(managers)
    if members is not None:
        relations["members"] = list(members)
    return _save(by=by, instance=team or Team(), fields=fields, relations=relations)


@transaction.atomic
def record_archive(*, by: User, instance: Agency | Locality | Team):
    """Archive a directory record; it stays in history but is no longer offered."""
    _require_configure(by)
    if instance.archived_on is None:
        instance.archived_on = timezone.localdate()
        instance.modified_by = by
        instance.save(update_fields=["archived_on", "modified_by", "modified_at"])
        record(actor=by, action=AuditAction.ARCHIVE, obj=instance)
    return instance


def _audit_team_members_view(by, action, team, user, reason):
    detail = {"permission": access.TEAM_MEMBERS_GRANT, "user": str(user.uuid)}
    record(actor=by, action=action, obj=team, reason=reason, detail=detail)


@transaction.atomic
def team_members_view_grant(*, by: User, to_user: User, team: Team, reason: str):
    """Let one user see a team's membership (django-guardian object permission)."""
    _require_configure(by)
    access.grant_team_members_view(to_user=to_user, team=team)
    _audit_team_members_view(by, AuditAction.GRANT, team, to_user, reason)


@transaction.atomic
def team_members_view_revoke(*, by: User, from_user: User, team: Team, reason: str = ""):
    _require_configure(by)
    access.revoke_team_members_view(from_user=from_user, team=team)
    _audit_team_members_view(by, AuditAction.REVOKE, team, from_user, reason)
