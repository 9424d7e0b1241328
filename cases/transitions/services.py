"""Step up and step down with a handover (DESIGN section 4: "never do nothing").

A transition is asked for, approved by a manager over the sending team, then accepted (or
not) by the receiving team. Until then the sending side stays responsible: a stepped-up
episode stays open with its lead professional, and a stepped-down family stays with social
care while its new episode waits for allocation.

- Step up: an open early help episode to children's social care (a statutory level).
  Accepting closes the episode ("stepped up").
- Step down: a family known to social care to early help. Approving opens an episode
  awaiting allocation in the receiving team's locality, first on the next agenda; accepting
  (or allocating it) takes it on. Not accepting closes that episode again.
- A step up within 12 months of an accepted step-down for the family is a bounce-back:
  linked to the step-down, and counted.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyType, Team, User
from audit.models import AuditAction
from cases.episodes import services as episodes
from cases.episodes.level_history import record_level_change
from cases.models import EPISODE_MOVES, ClosureReason, Episode, EpisodeStatus, Family
from cases.transitions.models import TRANSITION_MOVES, Direction, Transition, TransitionStatus
from earlyhelp import access, working_days
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, require, validate
from thresholds.models import Level, LevelChangeCause

BOUNCE_BACK_WINDOW_DAYS = 365
PENDING = (TransitionStatus.REQUESTED, TransitionStatus.APPROVED)

# What the services say when a required answer is missing; the page forms that check the
# same field themselves use these words too.
DECLINE_REASON_MESSAGE = "Enter why it is declined"
REJECT_REASON_MESSAGE = "Enter why it is not accepted"


def acceptance_due_at(transition: Transition):
    """When an approved transition should have been accepted (in working days)."""
    if transition.approved_at is None:
        return None
    return working_days.add_working_days(
        transition.approved_at, settings.TRANSITION_ACCEPTANCE_WORKING_DAYS
    )


def is_waiting_too_long(transition: Transition, now=None) -> bool:
    """Approved, not yet accepted, and past the acceptance timescale: flagged."""
    due = acceptance_due_at(transition)
    return (
        transition.status == TransitionStatus.APPROVED
        and due is not None
        and (now or timezone.now()) > due
    )


def waiting_too_long_in(locality, now=None):
    """Approved transitions of the locality's episodes not accepted in time."""
    approved = Transition.objects.filter(
        status=TransitionStatus.APPROVED, episode__locality=locality
    ).select_related("episode__family", "receiving_team")
    return [t for t in approved if is_waiting_too_long(t, now)]


def _audit(by, transition, step, **detail):
    action = AuditAction.CREATE if step == "request" else AuditAction.CHANGE
    audit_step(by, transition, step, action=action, direction=transition.direction, **detail)


# Who may move a transition to each status once requested, and the refusal for anyone else.
ANSWERED_BY = {
    TransitionStatus.APPROVED: (
        access.Permission.APPROVE_TRANSITION,
        "Only a manager over the sending team can approve this",
    ),
    TransitionStatus.DECLINED: (
        access.Permission.APPROVE_TRANSITION,
        "Only a manager over the sending team can decline this",
    ),
    TransitionStatus.ACCEPTED: (
        access.Permission.RESPOND_TO_TRANSITION,
        "Only a manager over the receiving team can accept this",
    ),
    TransitionStatus.REJECTED: (
        access.Permission.RESPOND_TO_TRANSITION,
        "Only a manager over the receiving team can decline this",
    ),
}


def _locked_to_become(by, transition, status):
    """The transition, locked, once the user may move it to `status` and it may go there."""
    transition = locked(transition)
    permission, refusal = ANSWERED_BY[status]
    require(by, permission, transition, refusal)
    if not TRANSITION_MOVES.can_move(transition, status):
        raise ServiceError(f"This is {transition.get_status_display().lower()}")
    return transition


def _respond(transition, status, *, by, reason):
    """The receiving team's answer, or the manager's refusal: who, when and why."""
    transition.responded_by, transition.responded_at = by, timezone.now()
    TRANSITION_MOVES.move(transition, status, by=by, reason=reason, at=transition.responded_at)
    transition.response_reason = reason
    transition.save()


def _check_levels(from_level, to_level, *, direction):
    errors = {}
    if not to_level.framework.is_current:
        errors["to_level"] = "Choose a level of the current threshold framework"
    elif direction == Direction.UP and not to_level.statutory:
        errors["to_level"] = "A step up is to a statutory level (children's social care)"
    elif direction == Direction.DOWN and to_level.statutory:
        errors["to_level"] = "A step down is to an early help level"
    if direction == Direction.DOWN and not from_level.statutory:
        errors["from_level"] = "A step down is from a statutory level (children's social care)"
    if errors:
        raise ValidationError(errors)


def _bounce_back_of(family, at):
    """The family's last accepted step-down within the bounce-back window."""
    return (
        Transition.objects.filter(
            family=family,
            direction=Direction.DOWN,
            status=TransitionStatus.ACCEPTED,
            responded_at__gte=at - timedelta(days=BOUNCE_BACK_WINDOW_DAYS),
        )
        .order_by("-responded_at")
        .first()
    )


def _request(by, **fields):
    """A new transition, asked for by the user: saved with its first status and audited (a
    step up saying whether it bounces back from an earlier step-down)."""
    transition = Transition(requested_by=by, **fields)
    validate(transition)
    transition.save()
    TRANSITION_MOVES.start(transition, by=by, reason=transition.reason, at=transition.requested_at)
    detail = {}
    if transition.direction == Direction.UP:
        detail["bounce_back"] = transition.bounce_back_of_id is not None
    _audit(by, transition, "request", **detail)
    return transition


@transaction.atomic
def step_up_request(
    *,
    by: User,
    episode: Episode,
    to_level: Level,
    receiving_team: Team,
    reason: str,
    evidence: str = "",
    handover_notes: str = "",
) -> Transition:
    """Ask for an open episode to step up to children's social care."""
    episode = locked(episode)
    if not access.can(by, access.Permission.WORK_ON_EPISODE, episode):
        raise PermissionDenied("Only the lead professional or a manager can ask for a step up")
    return request_step_up_as_decided(
        episode,
        by=by,
        to_level=to_level,
        receiving_team=receiving_team,
        reason=reason,
        evidence=evidence,
        handover_notes=handover_notes,
    )


def request_step_up_as_decided(
    episode, *, by, to_level, receiving_team, reason, evidence, handover_notes
):
    if episode.status == EpisodeStatus.CLOSING:
        raise ServiceError("The episode is closing: decline the closure before stepping up")
    if episode.transitions.filter(status__in=PENDING).exists():
        raise ServiceError("A step up is already waiting for this episode")
    if receiving_team.agency.agency_type != AgencyType.CHILDRENS_SOCIAL_CARE:
        raise ValidationError({"receiving_team": "Choose a children's social care team"})
    _check_levels(episode.level, to_level, direction=Direction.UP)
    if episode.team is None:
        raise ServiceError("Allocate the episode before stepping it up")
    now = timezone.now()
    return _request(
        by,
        direction=Direction.UP,
        family=episode.family,
        episode=episode,
        from_level=episode.level,
        to_level=to_level,
        reason=reason,
        evidence=evidence,
        handover_notes=handover_notes,
        sending_team=episode.team,
        receiving_team=receiving_team,
        requested_at=now,
        bounce_back_of=_bounce_back_of(episode.family, now),
    )


@transaction.atomic
def step_down_request(
    *,
    by: User,
    family: Family,
    from_level: Level,
    to_level: Level,
    sending_team: Team,
    receiving_team: Team,
    reason: str,
    evidence: str = "",
    handover_notes: str = "",
) -> Transition:
    """Social care asks early help to take a family on."""
    if not access.sees(by, family):
        raise PermissionDenied("You do not have access to this family's records")
    if sending_team.pk not in access.case_team_ids(by):
        raise ValidationError({"sending_team": "Choose one of your own teams"})
    if sending_team.agency.agency_type != AgencyType.CHILDRENS_SOCIAL_CARE:
        raise ValidationError({"sending_team": "A step down comes from children's social care"})
    if receiving_team.locality_id is None:
        raise ValidationError(
            {"receiving_team": "Choose an early help team in a locality, which will allocate it"}
        )
    if Episode.objects.open().filter(family=family).exists():
        raise ServiceError("This family already has an open early help episode")
    if family.transitions.filter(status__in=PENDING).exists():
        raise ServiceError("A step up or step down is already waiting for this family")
    _check_levels(from_level, to_level, direction=Direction.DOWN)
    return _request(
        by,
        direction=Direction.DOWN,
        family=family,
        from_level=from_level,
        to_level=to_level,
        reason=reason,
        evidence=evidence,
        handover_notes=handover_notes,
        sending_team=sending_team,
        receiving_team=receiving_team,
    )


@transaction.atomic
def transition_approve(*, by: User, transition: Transition) -> Transition:
    """A manager over the sending team approves; a step-down then opens an episode
    awaiting allocation, first on the locality's next agenda."""
    transition = _locked_to_become(by, transition, TransitionStatus.APPROVED)
    return approve_as_decided(transition, by=by)


def approve_as_decided(transition, *, by):
    now = timezone.now()
    TRANSITION_MOVES.move(transition, TransitionStatus.APPROVED, by=by, at=now)
    transition.approved_by = by
    transition.approved_at = now
    if transition.direction == Direction.DOWN:
        transition.episode = episodes.open_episode(
            by=by,
            family=transition.family,
            locality=transition.receiving_team.locality,
            level=transition.to_level,
            cause=LevelChangeCause.TRANSITION,
            reason=f"Step-down from children's social care: {transition.reason}",
            priority=True,
            at=now,
        )
    transition.save()
    _audit(by, transition, "approve")
    return transition


@transaction.atomic
def transition_decline(*, by: User, transition: Transition, reason: str) -> Transition:
    transition = _locked_to_become(by, transition, TransitionStatus.DECLINED)
    if not reason.strip():
        raise ValidationError({"reason": DECLINE_REASON_MESSAGE})
    _respond(transition, TransitionStatus.DECLINED, by=by, reason=reason)
    _audit(by, transition, "decline")
    return transition


def accept_as_decided(transition, *, by, notes=""):
    """The receiving side takes it on: for a caller that has checked permission."""
    _respond(transition, TransitionStatus.ACCEPTED, by=by, reason=notes)
    now = transition.responded_at
    if transition.direction == Direction.UP:
        episode = locked(transition.episode)
        record_level_change(
            family=transition.family,
            episode=episode,
            from_level=transition.from_level,
            to_level=transition.to_level,
            cause=LevelChangeCause.TRANSITION,
            transition=transition,
            by=by,
            reason=transition.reason,
            at=now,
        )
        EPISODE_MOVES.move(
            episode,
            EpisodeStatus.CLOSING,
            by=by,
            reason=f"Step up accepted by {transition.receiving_team.name}",
            at=now,
        )
        episodes.close_as_decided(
            episode,
            by=by,
            reason=ClosureReason.STEPPED_UP,
            summary=f"Stepped up to {transition.receiving_team.name}: {transition.reason}",
            note="Step up accepted by children's social care",
        )
    _audit(by, transition, "accept")
    return transition


@transaction.atomic
def transition_accept(*, by: User, transition: Transition, notes: str = "") -> Transition:
    """The receiving team accepts: a stepped-up episode closes; a stepped-down family's
    episode stays awaiting allocation, now the receiving side's."""
    transition = _locked_to_become(by, transition, TransitionStatus.ACCEPTED)
    return accept_as_decided(transition, by=by, notes=notes)


@transaction.atomic
def transition_reject(*, by: User, transition: Transition, reason: str) -> Transition:
    """The receiving team does not accept: the sender keeps the case. A step-down's
    episode, never allocated, closes again."""
    transition = _locked_to_become(by, transition, TransitionStatus.REJECTED)
    if not reason.strip():
        raise ValidationError({"reason": REJECT_REASON_MESSAGE})
    _respond(transition, TransitionStatus.REJECTED, by=by, reason=reason)
    if transition.direction == Direction.DOWN and transition.episode_id:
        episode = locked(transition.episode)
        if episode.status == EpisodeStatus.AWAITING_ALLOCATION:
            episodes.close_as_decided(
                episode,
                by=by,
                reason=ClosureReason.OTHER,
                summary=f"Step-down not accepted by {transition.receiving_team.name}: {reason}",
            )
    _audit(by, transition, "reject")
    return transition
