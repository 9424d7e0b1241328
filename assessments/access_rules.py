"""The access policy's rules for assessments, plans and reviews (see earlyhelp.access):
each is visible when its family is."""

from assessments.models import (
    Assessment,
    AssessmentSection,
    FamilyPlanDocument,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewProgress,
)
from cases.access_rules import taf_agency_ids
from earlyhelp import access
from earlyhelp.access import Permission


def _update_plan_action(user, obj):
    action = access.one_record(obj, Permission.UPDATE_PLAN_ACTION)
    episode = action.plan.episode
    if not episode.is_open:
        return False
    if action.owner_user_id == user.pk:
        return True
    if action.owner_agency_id is not None and action.owner_agency_id == user.agency_id:
        # An agency's users, while the agency is in the TAF (its membership current).
        if user.agency_id in taf_agency_ids(user, episode):
            return True
    return access.can(user, Permission.WORK_ON_EPISODE, episode)


def register():
    access.register_rules(
        {
            Assessment: "episode__family",
            AssessmentSection: "assessment__episode__family",
            Plan: "episode__family",
            Review: "episode__family",
            PlanOutcome: "plan__episode__family",
            PlanAction: "plan__episode__family",
            FamilyPlanDocument: "plan__episode__family",
            ReviewProgress: "review__episode__family",
        }
    )
    access.register_checks({Permission.UPDATE_PLAN_ACTION: _update_plan_action})
