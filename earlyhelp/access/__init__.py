"""The access policy: the one place that decides who may see and do what.

Views, the API, exports, search and background jobs ask this package; none of them checks
a role, a group or a guardian permission itself (DESIGN section 7).

Two questions, two functions:

- ``visible(user, queryset)``: which records of this kind may this user see? A queryset
  filter, so lists, counts and searches can never show more than a detail page would.
- ``can(user, permission, obj=None)``: may this user do this (to this record)?

``sees(user, obj)`` is ``visible``'s answer for one record in hand.

``get_for_user`` and ``get_for_change`` turn those answers into 404 (may not know it
exists) and 403 (may see it but not change it).

The package is split by concern: ``roles`` (who the user is), ``scopes`` (the teams and
localities they work in or manage), ``grants`` (explicit django-guardian grants),
``permissions`` (``can`` and its checks) and ``visibility`` (``visible`` and its rules).
It holds the machinery and imports no domain app: each app declares the rules for its own
records in its ``access_rules.py``, registered from its ``AppConfig.ready()``, e.g.
``register_rules({Plan: "episode__family"})`` (a plan is visible when its family is) and
``register_checks({Permission.RUN_MEETING: ...})``.

A case record belongs to its owning team: the team's members and managers, and the
locality managers of its locality, work on it. An episode opens it to its lead
professional and team, and to the locality managers of the episode's locality (who
allocate it). Triage officers see the family and people of a request they are screening.
Anyone else needs an explicit grant. TAF members arrive with the TAF (issue 5).
"""

from earlyhelp.access.grants import (
    FAMILY_CHANGE_GRANT,
    FAMILY_GRANT,
    PERSON_CHANGE_GRANT,
    PERSON_GRANT,
    TEAM_MEMBERS_GRANT,
    grant_team_members_view,
    granted_ids,
    revoke_team_members_view,
)
from earlyhelp.access.permissions import (
    Permission,
    can,
    one_record,
    register_checks,
    require,
)
from earlyhelp.access.roles import (
    CASE_OWNING_ROLES,
    PRACTICE_ROLES,
    has_role,
    is_system_administrator,
    roles,
)
from earlyhelp.access.scopes import (
    case_team_ids,
    directly_managed_team_ids,
    managed_localities,
    managed_locality_ids,
    managing_team_ids,
    team_members_visible_to,
)
from earlyhelp.access.visibility import (
    everyone,
    get_for_change,
    get_for_user,
    register_rules,
    register_shortcuts,
    sees,
    visible,
)

__all__ = [
    "CASE_OWNING_ROLES",
    "FAMILY_CHANGE_GRANT",
    "FAMILY_GRANT",
    "PERSON_CHANGE_GRANT",
    "PERSON_GRANT",
    "PRACTICE_ROLES",
    "TEAM_MEMBERS_GRANT",
    "Permission",
    "can",
    "case_team_ids",
    "directly_managed_team_ids",
    "everyone",
    "get_for_change",
    "get_for_user",
    "grant_team_members_view",
    "granted_ids",
    "has_role",
    "is_system_administrator",
    "managed_localities",
    "managed_locality_ids",
    "managing_team_ids",
    "one_record",
    "register_checks",
    "register_rules",
    "register_shortcuts",
    "require",
    "revoke_team_members_view",
    "roles",
    "sees",
    "team_members_visible_to",
    "visible",
]
