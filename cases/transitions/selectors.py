"""Reads of step ups and step downs, already filtered by the access policy and prefetched."""

from django.db.models import Q

from accounts.models import AgencyType, Team
from cases.transitions.models import Transition, TransitionStatus
from earlyhelp import access
from thresholds.models import Level

TRANSITION_RELATED = (
    "family",
    "episode",
    "from_level",
    "to_level",
    "sending_team",
    "receiving_team",
    "requested_by",
    "approved_by",
    "responded_by",
    "bounce_back_of",
)


def transitions_for(user):
    """Every step up and step down the user may see, with the records a row shows."""
    return access.visible(user, Transition.objects.all()).select_related(*TRANSITION_RELATED)


def transition_detail_for(user):
    """One transition with everything its page shows."""
    return transitions_for(user).prefetch_related("bounced_back_by")


def waiting_for(user):
    """Transitions waiting for this user: requested ones to approve (managers over the
    sending team), approved ones to accept or not (managers over the receiving team).
    The query narrows to the user's managed teams; the access policy has the last word."""
    managed = access.managing_team_ids(user)
    if not managed:
        return []
    candidates = transitions_for(user).filter(
        Q(status=TransitionStatus.REQUESTED, sending_team__in=managed)
        | Q(status=TransitionStatus.APPROVED, receiving_team__in=managed)
    )
    waiting = []
    for transition in candidates.order_by("requested_at", "id"):
        permission = (
            access.Permission.APPROVE_TRANSITION
            if transition.status == TransitionStatus.REQUESTED
            else access.Permission.RESPOND_TO_TRANSITION
        )
        if access.can(user, permission, transition):
            waiting.append(transition)
    return waiting


def statutory_levels():
    """Children's social care levels of the current framework."""
    return Level.objects.filter(framework__is_current=True, statutory=True).order_by("rank")


def early_help_levels():
    """The current framework's levels below children's social care."""
    return Level.objects.filter(framework__is_current=True, statutory=False).order_by("rank")


def social_care_teams():
    """Teams a step up may go to: those of children's social care agencies."""
    return (
        Team.objects.current()
        .filter(agency__agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
        .order_by("name")
    )


def own_social_care_teams(user):
    """The user's own children's social care teams, which a step down may come from."""
    return social_care_teams().filter(pk__in=access.case_team_ids(user))


def early_help_teams():
    """Teams a step down may go to: teams in a locality, outside children's social care."""
    return (
        Team.objects.current()
        .filter(locality__isnull=False)
        .exclude(agency__agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
        .select_related("locality")
        .order_by("name")
    )
