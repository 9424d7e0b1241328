"""Permissions: what a user may do (to one record), and the checks that decide it.

``can(user, permission, obj=None)`` looks the permission up in a table of checks. The
foundation declares the checks that need no domain model (roles, the directory, the audit
log); each domain app declares the checks on its own records from its ``access_rules.py``
(``register_checks``), so this package imports no domain app:

- ``cases/access_rules.py``: CHANGE_CASE_RECORD, ADD_CASE_NOTE, VIEW_SENSITIVE,
  MERGE_PEOPLE, MANAGE_EPISODE, WORK_ON_EPISODE, RUN_MEETING, VIEW_MEETING_MINUTES,
  APPROVE_TRANSITION, RESPOND_TO_TRANSITION;
- ``referrals/access_rules.py``: SCREEN_REQUEST;
- ``assessments/access_rules.py``: UPDATE_PLAN_ACTION.
"""

from collections.abc import Callable
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from audit import services as audit_services
from earlyhelp.access.roles import (
    CASE_OWNING_ROLES,
    PRACTICE_ROLES,
    has_role,
    is_system_administrator,
    roles,
)
from earlyhelp.access.scopes import team_members_visible_to


class Permission(StrEnum):
    """What a user may do. The value is what the audit log and error messages name."""

    USE_SERVICE = "use_service"
    """Sign in and use the pages and API at all: any active user with at least one role."""

    CONFIGURE = "configure"
    """Configure agencies, localities, teams and users (admin pages and API writes).
    System administrators only; it grants no access to case records."""

    VIEW_TEAM_MEMBERS = "view_team_members"
    """See who belongs to a team: its members and managers, managers of teams in the same
    locality, system administrators, and anyone granted it on that team (guardian)."""

    VIEW_AUDIT_LOG = "view_audit_log"
    """Read the audit log. Superusers only for now: events carry search terms."""

    CREATE_CASE_RECORDS = "create_case_records"
    """Create people and families, and search for them: the practice roles that own work
    (practitioner, triage officer, locality manager, social worker)."""

    CHANGE_CASE_RECORD = "change_case_record"
    """Change the family record itself: family and person details, memberships and
    relationships, and end or remove any of them. The family's record is the lead
    professional's and the team's: the lead professional of its open episode, the members
    and managers of the team that owns it or works its open episode, the locality managers
    over either, triage officers screening a request for the family, and holders of a
    change grant (guardian ``cases.change_family`` / ``cases.change_person``). Partners
    (TAF members, users of a TAF member agency) and holders of a view grant only read it."""

    ADD_CASE_NOTE = "add_case_note"
    """Add a case note to a family: anyone who may change the record, and the partners
    working on its open episode (TAF members, users of a TAF member agency, while the
    membership is current). A view grant reads; it adds nothing."""

    VIEW_SENSITIVE = "view_sensitive"
    """See a person's sensitive fields, confidential addresses and restricted notes: the
    author, the managers of the owning team and the locality managers of its locality."""

    MERGE_PEOPLE = "merge_people"
    """Merge duplicate person records and undo a merge: locality managers, on records they
    may see."""

    SUBMIT_REQUEST = "submit_request"
    """Submit a request for support as a professional (pages and API): any practice role.
    Families use the public form, which needs no account."""

    MANAGE_EPISODE = "manage_episode"
    """Allocate and reallocate an episode, approve or decline its closure, flag it for
    discussion: the locality managers of its locality and the managers of its team."""

    WORK_ON_EPISODE = "work_on_episode"
    """Move an open episode on (assessing, plan in place), ask to close it, change its TAF,
    ask for a step up: its lead professional, and anyone who may manage it."""

    APPROVE_TRANSITION = "approve_transition"
    """Approve or decline a step up or step down: managers over the sending team."""

    RESPOND_TO_TRANSITION = "respond_to_transition"
    """Accept or not a step up or step down sent to a team: managers over the receiving
    team."""

    RUN_MEETING = "run_meeting"
    """Schedule a locality's allocation meetings, build the agenda, record attendance,
    decisions and minutes: the locality's managers and the meeting's chair."""

    VIEW_MEETING_MINUTES = "view_meeting_minutes"
    """Read a meeting's general minutes: the chair and the locality's managers. They are
    free text that cannot be proven free of family names, so attendees (who may not see
    every family on the agenda) read only the record kept on each agenda item whose family
    they may see."""

    UPDATE_PLAN_ACTION = "update_plan_action"
    """Say how an action of the agreed TAF plan is going (started, done, not done): those
    who may work on the episode, the action's owner, and the users of an agency that owns
    it while the agency is in the TAF."""

    SCREEN_REQUEST = "screen_request"
    """Claim, assign, match, check, tick indicators and decide: triage officers, on
    requests waiting for or in screening."""


Check = Callable[..., bool]
"""A check: ``check(user, obj) -> bool``, asked of an active, signed-in user."""


def one_record(obj, permission: Permission):
    """`obj`, for a permission that is a question about one record."""
    if obj is None:
        raise ValueError(f"{permission.value} is a question about one record")
    return obj


def _view_team_members(user, team):
    if team is None:
        raise ValueError("VIEW_TEAM_MEMBERS is a question about one team")
    return team_members_visible_to(user).filter(pk=team.pk).exists()


_checks: dict[Permission, Check] = {
    Permission.USE_SERVICE: lambda user, obj: bool(roles(user)) or user.is_superuser,
    Permission.CONFIGURE: lambda user, obj: is_system_administrator(user),
    Permission.VIEW_TEAM_MEMBERS: _view_team_members,
    Permission.VIEW_AUDIT_LOG: lambda user, obj: user.is_superuser,
    Permission.CREATE_CASE_RECORDS: lambda user, obj: has_role(user, *CASE_OWNING_ROLES),
    Permission.SUBMIT_REQUEST: lambda user, obj: has_role(user, *PRACTICE_ROLES),
}


def register_checks(checks: dict[Permission, Check]) -> None:
    """Declare the checks that decide `checks`' permissions (from an app's `ready()`).
    A permission has one check: a second, different one is refused."""
    for permission, check in checks.items():
        permission = Permission(permission)
        if _checks.setdefault(permission, check) is not check:
            raise ImproperlyConfigured(f"{permission.value} already has a check")


def check_for(permission: Permission) -> Check:
    """The check that decides `permission`; an unknown permission is refused."""
    check = _checks.get(permission)
    if check is None:
        if permission in {known.value for known in Permission}:
            raise ValueError(f"No app declares a check for {permission}")
        raise ValueError(f"Unknown permission {permission!r}")
    return check


def can(user, permission: Permission, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return check_for(permission)(user, obj)


def require(user, permission: Permission, obj):
    """403 (audited) unless the user may do this to a record they can already see: asked
    by a view before it reads the body, so a refusal never depends on what was sent."""
    if not can(user, permission, obj):
        audit_services.record_refused(
            actor=user,
            model=type(obj),
            lookup={"pk": obj.pk},
            status=403,
            permission=permission.value,
        )
        raise PermissionDenied(
            f"You do not have permission to {permission.value.replace('_', ' ')}"
        )
