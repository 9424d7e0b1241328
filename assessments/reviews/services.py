"""TAF reviews (DESIGN section 5, steps 5 and 6): record one on the plan in force, with
progress on every outcome, and carry out its decision through the episode services:
continue (and perhaps change the plan), ask for a step up, or ask to step down or close,
which a manager then approves. The review sets the next review date either way: until a
closure is approved or a step up accepted, the plan stays in force and is reviewed.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from assessments.models import Plan, PlanStatus, Rag, Review, ReviewDecision, ReviewProgress
from assessments.plans import services as plans
from audit.models import AuditAction
from audit.services import record
from cases.episodes import services as episode_services
from cases.models import ClosureReason, EpisodeStatus, TafMember
from cases.transitions import services as transition_services
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import locked, require
from thresholds.models import Level

REVIEWABLE = (EpisodeStatus.ASSESSING, EpisodeStatus.PLAN_IN_PLACE)

# What the review's check says of a missing answer; the form, which marks these fields
# required, says it in these words too.
HELD_ON_MESSAGE = "Enter the date of the review"
CHILD_VIEWS_MESSAGE = "Enter the child's views, or why they could not be gathered"
FAMILY_VIEWS_MESSAGE = "Enter the family's views"
DECISION_MESSAGE = "Choose the review's decision"
ATTENDEES_MESSAGE = "Choose members of this family's Team Around the Family"


@dataclass
class Progress:
    """Progress on one outcome of the plan: its uuid, a RAG rating and a 0-10 score."""

    outcome: str
    rag: str
    score: int | None
    comment: str = ""


@dataclass
class StepUp:
    to_level: Level | None
    receiving_team: Team | None
    evidence: str = ""
    handover_notes: str = ""


@dataclass
class Closure:
    reason: str
    summary: str
    outcomes_achieved: str
    family_feedback: str = ""


def _check_progress(plan, progress, errors):
    outcomes = {str(outcome.uuid): outcome for outcome in plan.outcomes.all()}
    given = {}
    for item in progress:
        key = str(item.outcome)
        field = f"progress-{key}"
        if key not in outcomes:
            errors["progress"] = "Record progress only on the outcomes of the plan"
            continue
        problems = []
        if item.rag not in Rag.values:
            problems.append("choose red, amber or green")
        if item.score is None or not 0 <= int(item.score) <= 10:
            problems.append("enter a scaling score from 0 to 10")
        if problems:
            errors[field] = f"{outcomes[key].description[:60]}: " + " and ".join(problems)
        given[key] = item
    missing = [outcome for key, outcome in outcomes.items() if key not in given]
    for outcome in missing:
        errors[f"progress-{outcome.uuid}"] = (
            f"{outcome.description[:60]}: choose red, amber or green and enter a scaling score"
        )
    return [(outcomes[key], item) for key, item in given.items() if key in outcomes]


def _check(
    plan,
    *,
    held_on,
    attendees,
    child_views,
    family_views,
    decision,
    decision_reason,
    next_review_on,
    closure,
    step_up,
):
    errors = {}
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = HELD_ON_MESSAGE
    elif held_on > today:
        errors["held_on"] = "The date of the review must be today or in the past"
    elif plan.agreed_on and held_on < plan.agreed_on:
        errors["held_on"] = "The date of the review must be on or after the plan was agreed"
    if not (child_views or "").strip():
        errors["child_views"] = CHILD_VIEWS_MESSAGE
    if not (family_views or "").strip():
        errors["family_views"] = FAMILY_VIEWS_MESSAGE
    members = set(plan.episode.taf_members.values_list("pk", flat=True))
    if any(member.pk not in members for member in attendees):
        errors["attendees"] = ATTENDEES_MESSAGE
    if decision not in ReviewDecision.values:
        errors["decision"] = DECISION_MESSAGE
    if next_review_on is not None and held_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = "The next review must be after this one"
    if decision == ReviewDecision.STEP_UP:
        if not (decision_reason or "").strip():
            errors["decision_reason"] = "Enter why the family needs a step up"
        if step_up is None or step_up.to_level is None:
            errors["to_level"] = "Choose the level to step up to"
        if step_up is None or step_up.receiving_team is None:
            errors["receiving_team"] = "Choose the children's social care team"
    if decision in (ReviewDecision.STEP_DOWN, ReviewDecision.CLOSE):
        if closure is None or not closure.summary.strip():
            errors["closure_summary"] = episode_services.CLOSURE_SUMMARY_MESSAGE
        if closure is None or not closure.outcomes_achieved:
            errors["outcomes_achieved"] = episode_services.OUTCOMES_ACHIEVED_MESSAGE
        if decision == ReviewDecision.CLOSE and (
            closure is None
            or not closure.reason
            or closure.reason in (ClosureReason.STEPPED_UP, ClosureReason.STEPPED_DOWN)
        ):
            errors["closure_reason"] = episode_services.CLOSURE_REASON_MESSAGE
    return errors


@transaction.atomic
def review_record(
    *,
    by: User,
    plan: Plan,
    held_on: date,
    child_views: str,
    family_views: str,
    progress: list[Progress],
    decision: str,
    attendees: list[TafMember] = (),
    other_attendees: str = "",
    summary: str = "",
    decision_reason: str = "",
    next_review_on: date | None = None,
    new_plan_version: bool = False,
    step_up: StepUp | None = None,
    closure: Closure | None = None,
) -> Review:
    """Record a TAF review of the plan in force and carry out its decision."""
    plan = locked(plan, "episode__level")
    episode = plan.episode
    require(
        by,
        access.Permission.WORK_ON_EPISODE,
        episode,
        message="Only the lead professional can record a review",
    )
    plans.require_in_force(
        plan,
        if_draft="Reviews are of the plan in force: agree the plan first",
        if_replaced="This version of the plan has been replaced: review the current one",
    )
    if episode.status not in REVIEWABLE:
        raise ServiceError(
            f"The episode is {episode.get_status_display().lower()}: it is not reviewed now"
        )
    attendees = list(attendees)
    errors = _check(
        plan,
        held_on=held_on,
        attendees=attendees,
        child_views=child_views,
        family_views=family_views,
        decision=decision,
        decision_reason=decision_reason,
        next_review_on=next_review_on,
        closure=closure,
        step_up=step_up,
    )
    checked = _check_progress(plan, progress, errors)
    if new_plan_version and decision != ReviewDecision.CONTINUE:
        errors["new_plan_version"] = "Change the plan only when it continues"
    if new_plan_version and plan.episode.plans.filter(status=PlanStatus.DRAFT).exists():
        errors["new_plan_version"] = "A new version of the plan is already being written"
    if errors:
        raise ValidationError(errors)
    next_review_on = next_review_on or plans.next_review_date(held_on, episode.level)
    review = Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=held_on,
        due_on=plan.next_review_on,
        other_attendees=other_attendees,
        child_views=child_views,
        family_views=family_views,
        summary=summary,
        decision=decision,
        decision_reason=decision_reason,
        next_review_on=next_review_on,
        created_by=by,
        modified_by=by,
    )
    review.attendees.set(attendees)
    ReviewProgress.objects.bulk_create(
        ReviewProgress(
            review=review,
            outcome=outcome,
            rag=item.rag,
            score=int(item.score),
            comment=item.comment,
        )
        for outcome, item in checked
    )
    plan.next_review_on = next_review_on
    plan.modified_by = by
    plan.save(update_fields=["next_review_on", "modified_by", "modified_at"])
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=review,
        detail={"decision": decision, "plan_version": plan.version},
    )
    _carry_out(
        by, review, plan, step_up=step_up, closure=closure, new_plan_version=new_plan_version
    )
    return review


def _carry_out(by, review, plan, *, step_up, closure, new_plan_version):
    episode = plan.episode
    match review.decision:
        case ReviewDecision.CONTINUE:
            if new_plan_version:
                plans.plan_new_version(by=by, plan=plan, from_review=review)
        case ReviewDecision.STEP_UP:
            review.transition = transition_services.step_up_request(
                by=by,
                episode=episode,
                to_level=step_up.to_level,
                receiving_team=step_up.receiving_team,
                reason=review.decision_reason,
                evidence=step_up.evidence,
                handover_notes=step_up.handover_notes,
            )
            review.save(update_fields=["transition"])
        case ReviewDecision.STEP_DOWN | ReviewDecision.CLOSE:
            episode_services.episode_request_closure(
                by=by,
                episode=episode,
                reason=(
                    ClosureReason.STEPPED_DOWN
                    if review.decision == ReviewDecision.STEP_DOWN
                    else closure.reason
                ),
                summary=closure.summary,
                outcomes_achieved=closure.outcomes_achieved,
                family_feedback=closure.family_feedback or review.family_views,
            )
