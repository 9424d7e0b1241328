"""Reads of TAF plans: querysets already filtered by the access policy and
prefetched once, so the pages stay at a fixed number of queries however many outcomes and
actions a plan has."""

from django.db.models import Prefetch, Q

from accounts.models import Agency, User
from assessments.models import (
    AssessmentStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
)
from assessments.plans.services import PLANNABLE
from cases.models import Person, TafMember
from earlyhelp import access

PLAN_RELATED = (
    "episode__family",
    "episode__level",
    "episode__lead_professional",
    "assessment",
    "agreed_by",
    "previous",
    "modified_by",
)


def plans_for(user):
    """The plans the user may see (pages and API)."""
    return access.visible(user, Plan.objects.select_related(*PLAN_RELATED))


def _outcomes():
    return PlanOutcome.objects.prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("date_of_birth", "given_name", "id"))
    ).order_by("position", "id")


def plan_detail_for(user):
    """With its outcomes (and for whom) and actions (and who)."""
    return plans_for(user).prefetch_related(
        Prefetch("outcomes", queryset=_outcomes()),
        Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related(
                "owner_user", "owner_agency", "outcome"
            ).order_by("position", "id"),
        ),
    )


def outcomes_of(plan):
    return PlanOutcome.objects.filter(plan=plan)


def actions_of(plan):
    return PlanAction.objects.filter(plan=plan).select_related(
        "owner_user", "owner_agency", "outcome"
    )


def versions_of(plan):
    """Every version of the episode's plan, newest first."""
    return list(
        Plan.objects.filter(episode_id=plan.episode_id)
        .only("uuid", "version", "status", "agreed_on", "episode_id")
        .order_by("-version")
    )


def current_taf_members(episode):
    return (
        TafMember.objects.filter(episode=episode)
        .current()
        .select_related("user", "user__agency", "agency")
        .order_by("started_on", "id")
    )


def household(family):
    """The family's current members, for "for whom"."""
    return Person.objects.filter(
        memberships__family=family, memberships__left_on__isnull=True
    ).order_by("date_of_birth", "given_name", "id")


def action_owner_users(episode):
    """Who may own an action: the lead professional, the episode team's members and the
    users in the TAF."""
    taf_users = TafMember.objects.filter(episode=episode, user__isnull=False).current()
    condition = Q(pk__in=taf_users.values("user"))
    if episode.lead_professional_id:
        condition |= Q(pk=episode.lead_professional_id)
    if episode.team_id:
        condition |= Q(teams=episode.team_id)
    return User.objects.filter(condition, is_active=True).distinct().order_by("full_name", "id")


def action_owner_agencies():
    return Agency.objects.current().order_by("name")


# The API: outcomes and actions are records of their own there, each with its plan


OUTCOME_RELATED = ("plan",)
ACTION_RELATED = ("plan", "outcome", "owner_user", "owner_agency", "status_changed_by")


def outcome_records():
    return PlanOutcome.objects.select_related(*OUTCOME_RELATED).prefetch_related("people")


def action_records():
    return PlanAction.objects.select_related(*ACTION_RELATED)


def outcomes_for(user):
    return access.visible(user, outcome_records())


def actions_for(user):
    return access.visible(user, action_records())


def with_parts(plans):
    """Plans with their outcomes, actions and the episode's Team Around the Family now."""
    return plans.select_related("assessment", "from_review", "agreed_by").prefetch_related(
        Prefetch("outcomes", queryset=outcome_records()),
        Prefetch("actions", queryset=action_records()),
        Prefetch(
            "episode__taf_members",
            queryset=TafMember.objects.current().select_related("user", "agency"),
            to_attr="current_taf_members",
        ),
    )


# The episode page


def episode_plans(episode):
    """The episode's plan in force and its draft, in one query: (agreed, draft)."""
    plans = list(
        Plan.objects.filter(episode=episode, status__in=[PlanStatus.AGREED, PlanStatus.DRAFT])
        .only("uuid", "version", "status", "agreed_on", "next_review_on", "episode_id")
        .order_by("-version")
    )
    agreed = next((plan for plan in plans if plan.status == PlanStatus.AGREED), None)
    draft = next((plan for plan in plans if plan.status == PlanStatus.DRAFT), None)
    return agreed, draft


def may_start_plan(*, may_work, episode, assessment, agreed, draft):
    """Offer "Start the plan": an approved assessment, no plan yet, the episode allows one.
    `assessment` is the newest version (with its previous one selected)."""
    approved = assessment is not None and (
        assessment.status == AssessmentStatus.APPROVED
        or (
            assessment.previous is not None
            and assessment.previous.status == AssessmentStatus.APPROVED
        )
    )
    return (
        may_work and approved and agreed is None and draft is None and episode.status in PLANNABLE
    )
