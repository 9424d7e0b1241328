"""The Team Around the Family plan: start it from the approved assessment, write its
outcomes and actions, agree it, work its actions, and start a new version (DESIGN section 5,
step 5).

A draft changes freely (with a revision check on its narrative, as assessment sections
have); an agreed plan is the one in force and does not change, except for how each action
is going. A change of plan is a new version, a draft copy of the agreed one, that replaces
it when agreed.
"""

from datetime import date, timedelta
from typing import NotRequired, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from assessments.models import (
    PLAN_MOVES,
    ActionStatus,
    AssessmentStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
)
from assessments.plans.checks import ACTION_STATUS_MESSAGE, check_action, check_outcome
from audit.models import AuditAction
from audit.services import record
from cases.episodes import services as episode_services
from cases.models import Episode, EpisodeStatus, Person
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, next_number, require

Permission = access.Permission
# Plans are written while the episode is being assessed, or reviewed once in place.
PLANNABLE = (EpisodeStatus.ASSESSING, EpisodeStatus.PLAN_IN_PLACE)


def review_cadence_weeks(level) -> int:
    """Weeks between TAF reviews at this level (REVIEW_CADENCE_WEEKS_BY_LEVEL by rank)."""
    by_level = settings.REVIEW_CADENCE_WEEKS_BY_LEVEL
    if level is not None and level.rank in by_level:
        return by_level[level.rank]
    return settings.REVIEW_CADENCE_WEEKS


def next_review_date(after: date, level) -> date:
    return after + timedelta(weeks=review_cadence_weeks(level))


def _require_work(by, episode, message="Only the lead professional can change the plan"):
    require(by, Permission.WORK_ON_EPISODE, episode, message=message)


def _editable(by, plan) -> Plan:
    """The plan locked for a change to its content: a draft, by someone who may work on it."""
    plan = locked(plan, "episode")
    _require_work(by, plan.episode)
    if not plan.is_editable:
        raise ServiceError(
            "The plan is agreed: start a new version to change it"
            if plan.status == PlanStatus.AGREED
            else "This version of the plan has been replaced: change the current one"
        )
    return plan


def require_in_force(plan, *, if_draft, if_replaced):
    """Refuse unless the plan is the one in force (agreed), saying what to do first (a draft)
    or where to go instead (a version since replaced)."""
    if plan.status != PlanStatus.AGREED:
        raise ServiceError(if_draft if plan.status == PlanStatus.DRAFT else if_replaced)


def _touch(plan, by):
    plan.modified_by = by
    plan.save(update_fields=["modified_by", "modified_at"])


def _assessment_answer(assessment, section_key, question_key):
    if assessment is None:
        return ""
    for section in assessment.sections.all():
        if section.key == section_key:
            value = section.answers.get(question_key)
            return value if isinstance(value, str) else ""
    return ""


@transaction.atomic
def plan_create(*, by: User, episode: Episode) -> Plan:
    """A draft plan for the episode, starting from its approved assessment's Signs of
    Safety: what we are worried about and what is working well."""
    episode = locked(episode)
    _require_work(by, episode, "Only the lead professional can start the plan")
    if episode.status not in PLANNABLE:
        raise ServiceError("Start the plan once the episode is being assessed")
    if episode.plans.exists():
        raise ServiceError(
            "This episode already has a plan: change it, or start a new version of it"
        )
    assessment = (
        episode.assessments.filter(status=AssessmentStatus.APPROVED).order_by("-version").first()
    )
    if assessment is None:
        raise ServiceError("The plan follows the assessment: get the assessment approved first")
    plan = Plan.objects.create(
        episode=episode,
        assessment=assessment,
        version=1,
        worries=_assessment_answer(assessment, "signs_of_safety", "worries"),
        working_well=_assessment_answer(assessment, "signs_of_safety", "working_well"),
        created_by=by,
        modified_by=by,
    )
    PLAN_MOVES.start(plan, by=by)
    record(actor=by, action=AuditAction.CREATE, obj=plan, detail={"version": 1})
    return plan


@transaction.atomic
def plan_update(
    *,
    by: User,
    plan: Plan,
    expected_revision: int,
    worries: str,
    working_well: str,
    family_words: str,
    contingency: str,
) -> Plan:
    """Change the draft's narrative; refused if someone saved it since `expected_revision`."""
    plan = _editable(by, plan)
    if plan.revision != expected_revision:
        who = plan.modified_by.get_full_name() if plan.modified_by else "Someone"
        when = timezone.localtime(plan.modified_at)
        raise ServiceError(
            f"{who} changed the plan at {when:%H:%M on %-d %B} since you opened it. "
            "Your words are below: check theirs, then save again."
        )
    plan.worries, plan.working_well = worries, working_well
    plan.family_words, plan.contingency = family_words, contingency
    plan.revision += 1
    plan.modified_by = by
    plan.save()
    audit_step(by, plan, "change", revision=plan.revision)
    return plan


# Outcomes


class OutcomeDetails(TypedDict):
    """What an outcome says: adding one and changing one take the same."""

    description: str
    people: list[Person]
    need: str
    area: str
    baseline: int
    target: int


def _checked_outcome(plan, details: OutcomeDetails):
    """The outcome's own fields and its people, once the checks pass."""
    fields = dict(details)
    people = list(fields.pop("people"))
    check_outcome(plan, people=people, **fields)
    return fields, people


@transaction.atomic
def plan_outcome_add(*, by: User, plan: Plan, **details: Unpack[OutcomeDetails]) -> PlanOutcome:
    plan = _editable(by, plan)
    fields, people = _checked_outcome(plan, details)
    position = next_number(plan.outcomes, "position")
    outcome = PlanOutcome.objects.create(plan=plan, position=position, **fields)
    outcome.people.set(people)
    _touch(plan, by)
    audit_step(by, plan, "add outcome", outcome=str(outcome.uuid))
    return outcome


@transaction.atomic
def plan_outcome_change(
    *, by: User, outcome: PlanOutcome, **details: Unpack[OutcomeDetails]
) -> PlanOutcome:
    plan = _editable(by, outcome.plan)
    outcome = locked(outcome)
    fields, people = _checked_outcome(plan, details)
    for name, value in fields.items():
        setattr(outcome, name, value)
    outcome.save()
    outcome.people.set(people)
    _touch(plan, by)
    audit_step(by, plan, "change outcome", outcome=str(outcome.uuid))
    return outcome


@transaction.atomic
def plan_outcome_remove(*, by: User, outcome: PlanOutcome) -> Plan:
    """Remove an outcome from a draft; its actions stay, no longer linked to an outcome."""
    plan = _editable(by, outcome.plan)
    if outcome.progress.exists():
        raise ServiceError("Reviews have recorded progress on this outcome: it stays")
    audit_step(
        by, plan, "remove outcome", outcome=str(outcome.uuid), description=outcome.description
    )
    outcome.delete()
    _touch(plan, by)
    return plan


# Actions


def _audit_action_step(by, plan, action, step, **detail):
    """A step on one of the plan's actions, recorded on the plan. (Not `audit_step`: the
    detail's "action" key, the action's UUID, would be taken for the audit action.)"""
    detail = {"step": step, "action": str(action.uuid), **detail}
    record(actor=by, action=AuditAction.CHANGE, obj=plan, detail=detail)


class ActionDetails(TypedDict):
    """What an action says: adding one and changing one take the same. What is left out is
    as in ACTION_DEFAULTS (no outcome, no owner named)."""

    description: str
    due_on: date
    outcome: NotRequired[PlanOutcome | None]
    owner_user: NotRequired[User | None]
    owner_agency: NotRequired[Agency | None]
    owner_name: NotRequired[str]


ACTION_DEFAULTS = {"outcome": None, "owner_user": None, "owner_agency": None, "owner_name": ""}


@transaction.atomic
def plan_action_add(*, by: User, plan: Plan, **details: Unpack[ActionDetails]) -> PlanAction:
    plan = _editable(by, plan)
    fields = {**ACTION_DEFAULTS, **details}
    check_action(plan, **fields)
    position = next_number(plan.actions, "position")
    action = PlanAction.objects.create(plan=plan, position=position, **fields)
    _touch(plan, by)
    _audit_action_step(by, plan, action, "add action")
    return action


@transaction.atomic
def plan_action_change(
    *, by: User, action: PlanAction, **details: Unpack[ActionDetails]
) -> PlanAction:
    plan = _editable(by, action.plan)
    action = locked(action)
    fields = {**ACTION_DEFAULTS, **details}
    check_action(plan, **fields, new_owner=fields["owner_user"] != action.owner_user)
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    _touch(plan, by)
    _audit_action_step(by, plan, action, "change action")
    return action


@transaction.atomic
def plan_action_remove(*, by: User, action: PlanAction) -> Plan:
    plan = _editable(by, action.plan)
    _audit_action_step(by, plan, action, "remove action", description=action.description)
    action.delete()
    _touch(plan, by)
    return plan


@transaction.atomic
def plan_action_set_status(*, by: User, action: PlanAction, status: str) -> PlanAction:
    """How an action of the plan in force is going: its owner, or the lead professional."""
    action = locked(action, "plan__episode")
    require(
        by,
        Permission.UPDATE_PLAN_ACTION,
        action,
        message="Only the action's owner or the lead professional can do this",
    )
    require_in_force(
        action.plan,
        if_draft="Actions are worked once the plan is agreed",
        if_replaced="This version of the plan has been replaced: update the current one",
    )
    if status not in ActionStatus.values:
        raise ValidationError({"status": ACTION_STATUS_MESSAGE})
    previous = action.status
    action.status = status
    action.status_changed_by, action.status_changed_at = by, timezone.now()
    action.save()
    _audit_action_step(by, action.plan, action, "action status", was=previous, now=status)
    return action


# Agreeing and new versions


@transaction.atomic
def plan_agree(*, by: User, plan: Plan, agreed_on: date | None = None) -> Plan:
    """The family and the TAF agree the plan: it is in force, replaces the version before,
    and the episode has a plan in place. The first review falls due a cadence later; a new
    version keeps the review date already set."""
    plan = _editable(by, plan)
    today = timezone.localdate()
    agreed_on = agreed_on or today
    errors = {}
    if agreed_on > today:
        errors["agreed_on"] = "The date the plan was agreed must be today or in the past"
    if not plan.family_words.strip():
        errors["family_words"] = "Enter the family's own words about the plan"
    if not plan.contingency.strip():
        errors["contingency"] = "Enter what happens if things do not improve"
    if errors:
        raise ValidationError(errors)
    outcomes = plan.outcomes.count()
    if not outcomes:
        raise ServiceError("Add at least one outcome before agreeing the plan")
    if not plan.actions.exists():
        raise ServiceError("Add at least one action before agreeing the plan")
    episode = locked(plan.episode)
    if episode.status not in PLANNABLE:
        raise ServiceError(
            f"The episode is {episode.get_status_display().lower()}: a plan cannot be agreed now"
        )
    replaced = Plan.objects.filter(episode=episode, status=PlanStatus.AGREED).first()
    if replaced is not None:
        PLAN_MOVES.move(
            replaced, PlanStatus.SUPERSEDED, by=by, reason=f"Version {plan.version} agreed"
        )
        replaced.save(update_fields=["status", "modified_by", "modified_at"])
        audit_step(by, replaced, "superseded", by_version=plan.version)
    PLAN_MOVES.move(plan, PlanStatus.AGREED, by=by)
    plan.agreed_on, plan.agreed_by = agreed_on, by
    plan.next_review_on = (
        replaced.next_review_on
        if replaced is not None and replaced.next_review_on
        else next_review_date(agreed_on, episode.level)
    )
    plan.modified_by = by
    plan.save()
    if episode.status == EpisodeStatus.ASSESSING:
        episode_services.episode_plan_agreed(by=by, episode=episode)
    audit_step(by, plan, "agree", next_review_on=plan.next_review_on.isoformat())
    return plan


@transaction.atomic
def plan_new_version(*, by: User, plan: Plan, from_review=None) -> Plan:
    """A draft copy of the agreed plan, to change it; the agreed one stays in force until
    the new one is agreed. Outcomes keep their lineage, actions their status."""
    plan = locked(plan, "episode")
    _require_work(by, plan.episode)
    if plan.status != PlanStatus.AGREED:
        raise ServiceError("Only the agreed plan gets a new version")
    episode = plan.episode
    if episode.plans.filter(status=PlanStatus.DRAFT).exists():
        raise ServiceError("A new version of this plan is already being written")
    version = next_number(episode.plans, "version")
    new = Plan.objects.create(
        episode=episode,
        assessment=(
            episode.assessments.filter(status=AssessmentStatus.APPROVED)
            .order_by("-version")
            .first()
            or plan.assessment
        ),
        version=version,
        previous=plan,
        from_review=from_review,
        worries=plan.worries,
        working_well=plan.working_well,
        family_words=plan.family_words,
        contingency=plan.contingency,
        created_by=by,
        modified_by=by,
    )
    PLAN_MOVES.start(new, by=by, reason=f"A new version of version {plan.version}")
    copies = {}
    for outcome in plan.outcomes.prefetch_related("people"):
        copy = PlanOutcome.objects.create(
            plan=new,
            lineage=outcome.lineage,
            position=outcome.position,
            description=outcome.description,
            need=outcome.need,
            area=outcome.area,
            baseline=outcome.baseline,
            target=outcome.target,
        )
        copy.people.set(outcome.people.all())
        copies[outcome.pk] = copy
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=new,
            outcome=copies.get(action.outcome_id),
            position=action.position,
            description=action.description,
            owner_user_id=action.owner_user_id,
            owner_agency_id=action.owner_agency_id,
            owner_name=action.owner_name,
            due_on=action.due_on,
            status=action.status,
            status_changed_by_id=action.status_changed_by_id,
            status_changed_at=action.status_changed_at,
        )
        for action in plan.actions.all()
    )
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=new,
        detail={"version": version, "from_version": plan.version},
    )
    return new
