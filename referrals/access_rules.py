"""The access policy's rules for the front door: requests for support, their people,
attachments, checks and decisions (see earlyhelp.access)."""

from django.db.models import Q

from accounts.models import Role
from cases.models import Family
from earlyhelp import access
from earlyhelp.access import Permission
from referrals.models import (
    OPEN_STATUSES,
    Decision,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    ScreeningCheck,
)


def requests_visible(user, queryset):
    """Requests for support: the requester sees their own (status and outcome, not the
    case); triage officers see those waiting for or in screening, and those they screened
    or decided; anyone to whom the family's records are open sees the family's requests.
    Analysts and administrators see none."""
    if not access.has_role(user, *access.PRACTICE_ROLES):
        return queryset.none()
    rule = Q(requested_by=user) | Q(family__in=access.visible(user, Family.objects.all()))
    if access.has_role(user, Role.TRIAGE_OFFICER):
        # The requests they screened stay theirs to look back on: the request and decision,
        # not the family, which closes to them with the decision.
        rule |= Q(status__in=OPEN_STATUSES) | Q(assigned_to=user) | Q(decision__decided_by=user)
    return queryset.filter(rule)


def _screen_request(user, obj):
    # Asked of a request already fetched through `visible`: no query of its own.
    return access.has_role(user, Role.TRIAGE_OFFICER) and (obj is None or obj.is_open)


def register():
    access.register_rules(
        {
            RequestForSupport: requests_visible,
            # Visible when their request is.
            RequestPerson: "request",
            RequestAttachment: "request",
            ScreeningCheck: "request",
            Decision: "request",
        }
    )
    access.register_checks({Permission.SCREEN_REQUEST: _screen_request})
