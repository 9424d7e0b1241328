"""An episode's life, from awaiting allocation to closed (DESIGN section 5, steps 3 and 6).

One function per state change. Each checks the access policy and the episode's state,
moves the status only through `EPISODE_MOVES` (which refuses what `ALLOWED_MOVES` does
not allow and records the change), writes the level history where the level changes, and the audit
event. The functions named `…_as_decided` do the work for a caller that has already
checked permission (a meeting's decision, a transition's acceptance).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Locality, Team, User
from audit.models import AuditAction
from audit.services import record
from cases.episodes.level_history import current_level, record_level_change
from cases.models import (
    EPISODE_MOVES,
    WORKING_STATUSES,
    ClosureReason,
    Episode,
    EpisodeStatus,
    Family,
    LeadProfessional,
    OutcomesAchieved,
    TafMember,
)
from cases.models.episode import OPEN_EPISODE_MESSAGE
from cases.transitions.models import TransitionStatus
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, require, validate
from thresholds.models import Level, LevelChangeCause

Permission = access.Permission

# What the services say when a required answer is missing. The page forms that check the
# same field themselves (so that it is marked required) say it in these words too.
REALLOCATE_REASON_MESSAGE = "Enter why the lead professional is changing"
FLAG_REASON_MESSAGE = "Enter why the episode needs discussing"
LEVEL_REASON_MESSAGE = "Enter why the level is changing"
CLOSURE_REASON_MESSAGE = "Choose why the episode is closing"
CLOSURE_SUMMARY_MESSAGE = "Enter a summary of the help and where it has left things"
OUTCOMES_ACHIEVED_MESSAGE = "Choose whether the outcomes were achieved"
DECLINE_CLOSURE_REASON_MESSAGE = "Enter why the episode is not closing yet"
REOPEN_REASON_MESSAGE = "Enter why the episode is reopening"


def open_episode(
    *,
    by: User | None,
    family: Family,
    locality: Locality,
    level: Level,
    cause: LevelChangeCause,
    reason: str = "",
    opened_from_request=None,
    priority: bool = False,
    at=None,
) -> Episode:
    """Open an episode awaiting allocation, for a caller that has checked permission (the
    front door's decision, an approved step-down). The family must have no open episode."""
    at = at or timezone.now()
    if Episode.objects.open().filter(family=family).exists():
        raise ServiceError(OPEN_EPISODE_MESSAGE)
    episode = Episode(
        family=family,
        locality=locality,
        level=level,
        status=EpisodeStatus.AWAITING_ALLOCATION,
        opened_at=at,
        opened_from_request=opened_from_request,
        priority=priority,
        created_by=by,
        modified_by=by,
    )
    validate(episode)
    episode.save()
    EPISODE_MOVES.start(episode, by=by, reason=reason, at=at)
    record_level_change(
        family=family,
        episode=episode,
        from_level=current_level(family),
        to_level=level,
        cause=cause,
        by=by,
        reason=reason,
        at=at,
    )
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=episode,
        detail={"locality": locality.name, "level": level.name, "cause": str(cause)},
    )
    return episode


# Allocation


def _check_lead(lead_professional: User, team: Team):
    if not lead_professional.is_active or not access.has_role(
        lead_professional, *access.PRACTICE_ROLES
    ):
        raise ValidationError({"lead_professional": "Choose a practitioner who uses the service"})
    in_team = (
        team.members.filter(pk=lead_professional.pk).exists()
        or team.managers.filter(pk=lead_professional.pk).exists()
    )
    if not in_team:
        raise ValidationError(
            {"lead_professional": f"{lead_professional.get_full_name()} is not in {team.name}"}
        )


def _set_lead(episode, lead_professional, team, *, by, reason, at):
    LeadProfessional.objects.filter(episode=episode, ended_at__isnull=True).update(ended_at=at)
    LeadProfessional.objects.create(
        episode=episode,
        user=lead_professional,
        team=team,
        started_at=at,
        assigned_by=by,
        reason=reason,
    )
    episode.lead_professional = lead_professional
    episode.team = team


def allocate_as_decided(episode, *, by, lead_professional, team, reason=""):
    _check_lead(lead_professional, team)
    now = timezone.now()
    EPISODE_MOVES.move(episode, EpisodeStatus.ALLOCATED, by=by, reason=reason, at=now)
    _set_lead(episode, lead_professional, team, by=by, reason=reason, at=now)
    episode.allocated_at = now
    episode.priority = False
    episode.flagged_for_discussion = False
    episode.flag_reason = ""
    episode.save()
    # Allocating a step-down is the receiving side taking it on.
    for transition in episode.transitions.filter(status=TransitionStatus.APPROVED):
        from cases.transitions.services import accept_as_decided

        accept_as_decided(transition, by=by, notes="Accepted by allocating a lead professional")
    audit_step(by, episode, "allocate", lead_professional=lead_professional.pk, team=team.pk)
    return episode


@transaction.atomic
def episode_allocate(
    *, by: User, episode: Episode, lead_professional: User, team: Team, reason: str = ""
) -> Episode:
    """Give an episode awaiting allocation its lead professional and team."""
    episode = locked(episode)
    require(by, Permission.MANAGE_EPISODE, episode, "Only a manager can allocate an episode")
    return allocate_as_decided(
        episode, by=by, lead_professional=lead_professional, team=team, reason=reason
    )


@transaction.atomic
def episode_reallocate(
    *, by: User, episode: Episode, lead_professional: User, team: Team, reason: str
) -> Episode:
    """Change the lead professional of an episode being worked on; the history is kept."""
    episode = locked(episode)
    require(by, Permission.MANAGE_EPISODE, episode, "Only a manager can reallocate an episode")
    if episode.status not in WORKING_STATUSES:
        raise ServiceError(
            f"An episode that is {episode.get_status_display().lower()} cannot be reallocated"
        )
    if not reason.strip():
        raise ValidationError({"reason": REALLOCATE_REASON_MESSAGE})
    if episode.lead_professional_id == lead_professional.pk and episode.team_id == team.pk:
        raise ValidationError(
            {"lead_professional": f"{lead_professional.get_full_name()} already leads it"}
        )
    _check_lead(lead_professional, team)
    previous = episode.lead_professional_id
    _set_lead(episode, lead_professional, team, by=by, reason=reason, at=timezone.now())
    episode.modified_by = by
    episode.save()
    audit_step(
        by,
        episode,
        "reallocate",
        lead_professional=lead_professional.pk,
        previous_lead_professional=previous,
    )
    return episode


# Working on it


def _lead_moves(by, episode, status, step):
    episode = locked(episode)
    require(by, Permission.WORK_ON_EPISODE, episode, "Only the lead professional can do this")
    EPISODE_MOVES.move(episode, status, by=by)
    episode.save()
    audit_step(by, episode, step)
    return episode


@transaction.atomic
def episode_start_assessment(*, by: User, episode: Episode) -> Episode:
    """Allocated (or a plan being reassessed) to assessing."""
    return _lead_moves(by, episode, EpisodeStatus.ASSESSING, "start assessment")


@transaction.atomic
def episode_plan_agreed(*, by: User, episode: Episode) -> Episode:
    """Assessing to plan in place: called when the episode's TAF plan is agreed
    (assessments.plans.services.plan_agree), so there is no page or endpoint of its own."""
    return _lead_moves(by, episode, EpisodeStatus.PLAN_IN_PLACE, "plan agreed")


@transaction.atomic
def episode_flag(*, by: User, episode: Episode, reason: str) -> Episode:
    """Put an open episode on the next allocation meeting's agenda (stuck, overdue…)."""
    episode = locked(episode)
    require(by, Permission.WORK_ON_EPISODE, episode, "Only the lead professional can do this")
    if not reason.strip():
        raise ValidationError({"reason": FLAG_REASON_MESSAGE})
    episode.flagged_for_discussion = True
    episode.flag_reason = reason[:300]
    episode.modified_by = by
    episode.save()
    audit_step(by, episode, "flag for discussion")
    return episode


@transaction.atomic
def episode_change_level(*, by: User, episode: Episode, level: Level, reason: str) -> Episode:
    """A manager changes an open episode's level of need (an early help level)."""
    episode = locked(episode)
    require(by, Permission.MANAGE_EPISODE, episode, "Only a manager can change the level")
    if not episode.is_open:
        raise ServiceError("A closed episode's level cannot change")
    if not level.framework.is_current or level.statutory:
        raise ValidationError(
            {
                "level": "Choose an early help level of the current framework; to move to "
                "children's social care, ask for a step up"
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": LEVEL_REASON_MESSAGE})
    previous = episode.level
    episode.level = level
    episode.modified_by = by
    episode.save()
    record_level_change(
        family=episode.family,
        episode=episode,
        from_level=previous,
        to_level=level,
        cause=LevelChangeCause.CHANGE,
        by=by,
        reason=reason,
    )
    audit_step(by, episode, "change level", level=level.name)
    return episode


# The Team Around the Family


@transaction.atomic
def taf_member_add(
    *,
    by: User,
    episode: Episode,
    role: str,
    user: User | None = None,
    agency=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    started_on=None,
) -> TafMember:
    """Add a user, or a named contact at an agency, to the Team Around the Family. Their
    membership opens the family's records to them (or to their agency's users)."""
    episode = locked(episode)
    require(by, Permission.WORK_ON_EPISODE, episode, "Only the lead professional can do this")
    if user is not None:
        if not user.is_active:
            raise ValidationError({"user": "Choose someone who uses the service"})
        agency = agency or user.agency
        if episode.taf_members.filter(user=user, ended_on__isnull=True).exists():
            raise ValidationError({"user": f"{user.get_full_name()} is already in the TAF"})
    member = TafMember(
        episode=episode,
        user=user,
        agency=agency,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        role=role,
        started_on=started_on or timezone.localdate(),
        added_by=by,
    )
    validate(member)
    member.save()
    audit_step(by, episode, "add TAF member", member=str(member.uuid))
    return member


@transaction.atomic
def taf_member_end(*, by: User, member: TafMember, ended_on=None) -> TafMember:
    """End a TAF membership: from the end date, it no longer opens the family's records."""
    episode = locked(member.episode)
    require(by, Permission.WORK_ON_EPISODE, episode, "Only the lead professional can do this")
    ended_on = ended_on or timezone.localdate()
    if member.ended_on is not None and member.ended_on <= timezone.localdate():
        raise ServiceError(f"{member.name} has already left the TAF")
    member.ended_on = ended_on
    validate(member)
    member.save(update_fields=["ended_on"])
    audit_step(by, episode, "end TAF member", member=str(member.uuid))
    return member


# Closing


def _end_membership(episode, at):
    LeadProfessional.objects.filter(episode=episode, ended_at__isnull=True).update(ended_at=at)
    episode.taf_members.filter(ended_on__isnull=True).update(ended_on=timezone.localdate(at))


def close_as_decided(
    episode, *, by, reason, summary, outcomes_achieved="", family_feedback="", note=""
):
    """Close now, for a caller that has checked permission (a meeting's NFA, an accepted
    step up, an approved closure)."""
    now = timezone.now()
    EPISODE_MOVES.move(episode, EpisodeStatus.CLOSED, by=by, reason=note or summary, at=now)
    episode.closure_reason = reason
    episode.closure_summary = episode.closure_summary or summary
    episode.outcomes_achieved = episode.outcomes_achieved or outcomes_achieved
    episode.family_feedback = episode.family_feedback or family_feedback
    episode.closure_approved_by = by
    episode.closed_at = now
    episode.flagged_for_discussion = False
    episode.priority = False
    episode.save()
    _end_membership(episode, now)
    if reason != ClosureReason.STEPPED_UP:
        record_level_change(
            family=episode.family,
            episode=episode,
            from_level=episode.level,
            to_level=None,
            cause=LevelChangeCause.CLOSURE,
            by=by,
            reason=ClosureReason(reason).label,
            at=now,
        )
    audit_step(by, episode, "close", reason=str(reason))
    return episode


@transaction.atomic
def episode_request_closure(
    *,
    by: User,
    episode: Episode,
    reason: str,
    summary: str,
    outcomes_achieved: str,
    family_feedback: str = "",
) -> Episode:
    """The lead professional asks to close; a manager approves (or declines)."""
    episode = locked(episode)
    require(by, Permission.WORK_ON_EPISODE, episode, "Only the lead professional can do this")
    errors = {}
    if reason not in ClosureReason.values or reason == ClosureReason.STEPPED_UP:
        errors["closure_reason"] = (
            f"{CLOSURE_REASON_MESSAGE} (a step up closes it when social care accepts)"
        )
    if not summary.strip():
        errors["closure_summary"] = CLOSURE_SUMMARY_MESSAGE
    if outcomes_achieved not in OutcomesAchieved.values:
        errors["outcomes_achieved"] = OUTCOMES_ACHIEVED_MESSAGE
    if errors:
        raise ValidationError(errors)
    if episode.transitions.filter(
        status__in=[TransitionStatus.REQUESTED, TransitionStatus.APPROVED]
    ).exists():
        raise ServiceError(
            "A step up or step down is waiting: the episode stays open until it is accepted "
            "or declined"
        )
    EPISODE_MOVES.move(episode, EpisodeStatus.CLOSING, by=by, reason=summary)
    episode.closure_reason = reason
    episode.closure_summary = summary
    episode.outcomes_achieved = outcomes_achieved
    episode.family_feedback = family_feedback
    episode.closure_requested_by = by
    episode.closure_requested_at = timezone.now()
    episode.save()
    audit_step(by, episode, "request closure", reason=reason)
    return episode


@transaction.atomic
def episode_approve_closure(*, by: User, episode: Episode) -> Episode:
    episode = locked(episode)
    require(by, Permission.MANAGE_EPISODE, episode, "Only a manager can approve a closure")
    if episode.status != EpisodeStatus.CLOSING:
        raise ServiceError("Nobody has asked to close this episode")
    return close_as_decided(
        episode,
        by=by,
        reason=episode.closure_reason,
        summary=episode.closure_summary,
        note="Closure approved",
    )


@transaction.atomic
def episode_decline_closure(*, by: User, episode: Episode, reason: str) -> Episode:
    """Back to where it was before the closure was asked for, with the manager's reason."""
    episode = locked(episode)
    require(by, Permission.MANAGE_EPISODE, episode, "Only a manager can decline a closure")
    if episode.status != EpisodeStatus.CLOSING:
        raise ServiceError("Nobody has asked to close this episode")
    if not reason.strip():
        raise ValidationError({"reason": DECLINE_CLOSURE_REASON_MESSAGE})
    before = (
        episode.status_changes.filter(to_status=EpisodeStatus.CLOSING)
        .order_by("-changed_at", "-pk")
        .values_list("from_status", flat=True)
        .first()
    )
    EPISODE_MOVES.move(episode, before or EpisodeStatus.ALLOCATED, by=by, reason=reason)
    episode.closure_reason = ""
    episode.closure_summary = ""
    episode.outcomes_achieved = ""
    episode.family_feedback = ""
    episode.closure_requested_by = None
    episode.closure_requested_at = None
    episode.save()
    audit_step(by, episode, "decline closure")
    return episode


@transaction.atomic
def episode_reopen(*, by: User, episode: Episode, reason: str) -> Episode:
    """Reopen a recently closed episode as itself (EPISODE_REOPEN_DAYS); after that, help
    starts again with a new request for support, which is a re-referral."""
    episode = locked(episode)
    require(by, Permission.MANAGE_EPISODE, episode, "Only a manager can reopen an episode")
    if episode.status != EpisodeStatus.CLOSED:
        raise ServiceError("Only a closed episode can be reopened")
    days = settings.EPISODE_REOPEN_DAYS
    if episode.closed_at < timezone.now() - timedelta(days=days):
        raise ServiceError(
            f"This episode closed more than {days} days ago: ask for support again "
            "through the front door (it will be a re-referral)"
        )
    if episode.closure_reason == ClosureReason.STEPPED_UP:
        raise ServiceError("Children's social care accepted this family: ask them to step down")
    if Episode.objects.open().filter(family=episode.family).exists():
        raise ServiceError(OPEN_EPISODE_MESSAGE)
    if not reason.strip():
        raise ValidationError({"reason": REOPEN_REASON_MESSAGE})
    now = timezone.now()
    last = episode.lead_history.order_by("-started_at", "-pk").first()
    if last and last.user.is_active:
        EPISODE_MOVES.move(episode, EpisodeStatus.ALLOCATED, by=by, reason=reason, at=now)
        _set_lead(episode, last.user, last.team, by=by, reason=reason, at=now)
    else:
        EPISODE_MOVES.move(episode, EpisodeStatus.AWAITING_ALLOCATION, by=by, reason=reason, at=now)
        episode.lead_professional = None
    episode.closed_at = None
    episode.closure_approved_by = None
    episode.save()
    record_level_change(
        family=episode.family,
        episode=episode,
        from_level=current_level(episode.family),
        to_level=episode.level,
        cause=LevelChangeCause.CHANGE,
        by=by,
        reason=f"Reopened: {reason}",
        at=now,
    )
    audit_step(by, episode, "reopen")
    return episode
