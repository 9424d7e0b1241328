"""Deciding a request for support: the outcome of screening, made once (DESIGN section 5,
step 2). The request row is locked while the decision is made, so two officers deciding at
once end with one decision; a Team Around the Family opens (or joins) the family's episode.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agency, Locality, User
from audit.models import AuditAction
from audit.services import record
from cases.episodes import services as episode_services
from cases.models import Episode, Family
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import locked
from outbox import services as outbox
from referrals import tasks
from referrals.models import (
    EARLY_HELP_OUTCOMES,
    REQUEST_MOVES,
    Decision,
    Outcome,
    RequestForSupport,
    Status,
)
from referrals.requests.selectors import is_re_referral
from referrals.requests.services import save_request
from referrals.screening.services import framework_in_use, require_screening, suggested_level
from thresholds.models import Level, LevelChangeCause

CONSENT_REFUSAL = (
    "Early help is voluntary and the family has not agreed to assessment and support. "
    "Record their consent before offering early help. If there is a safeguarding concern, "
    "step up to children's social care instead."
)

# What the decision's check says of a missing answer; the form, which marks these fields
# required, says it in these words too.
CHOOSE_AN_OUTCOME = "Choose an outcome"
ENTER_THE_REASONS = "Enter the reasons for the decision"


@dataclass
class DecisionInput:
    outcome: str
    level: Level
    rationale: str
    level_override_reason: str = ""
    signposted_to: str = ""
    single_agency: Agency | None = None
    single_agency_name: str = ""
    social_care_reference: str = ""
    locality: Locality | None = None


def _check_decision(request, framework, chosen, suggested, data: DecisionInput):
    errors = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = CHOOSE_AN_OUTCOME
    if data.level is None or data.level.framework_id != framework.pk:
        errors["level"] = (
            f"Choose a level from the threshold framework in use (version {framework.version})"
        )
    if not data.rationale.strip():
        errors["rationale"] = ENTER_THE_REASONS
    if data.level is not None and suggested is not None and data.level.pk != suggested.pk:
        if not data.level_override_reason.strip():
            errors["level_override_reason"] = (
                f"Enter why the level is {data.level.name}, not the suggested {suggested.name}"
            )
    if data.level is not None and suggested is None and not chosen:
        if not data.level_override_reason.strip():
            errors["level_override_reason"] = (
                "No indicator is ticked: tick the indicators that apply, or enter why the "
                f"level is {data.level.name}"
            )
    if errors:
        raise ValidationError(errors)
    outcome = Outcome(data.outcome)
    if outcome in EARLY_HELP_OUTCOMES:
        if not request.consent_allows_early_help:
            raise ServiceError(CONSENT_REFUSAL, field="outcome")
        if data.level.statutory:
            raise ServiceError(
                f"{data.level.name} is a statutory level: step up to children's social care",
                field="level",
            )
    if outcome == Outcome.SIGNPOSTING and not data.signposted_to.strip():
        errors["signposted_to"] = "Enter the service the family is signposted to"
    if outcome == Outcome.SINGLE_AGENCY and not (
        data.single_agency or data.single_agency_name.strip()
    ):
        errors["single_agency"] = "Choose the agency that will help, or enter its name"
    if outcome == Outcome.STEP_UP:
        if not data.social_care_reference.strip():
            errors["social_care_reference"] = "Enter the children's social care reference"
        if not data.level.statutory:
            errors["level"] = "A step up to children's social care is at a statutory level"
    if outcome == Outcome.TAF and request.family_id is None:
        errors["outcome"] = (
            "Link the request to a family record first: an episode belongs to a family"
        )
    if errors:
        raise ValidationError(errors)


def _open_or_join_episode(by, request, data, decided_at):
    """Join the family's open episode, or open one awaiting allocation in the locality."""
    family = Family.objects.select_for_update().get(pk=request.family_id)
    episode = Episode.objects.open().filter(family=family).first()
    if episode is not None:
        return episode, True
    locality = data.locality or Locality.objects.filter(teams__families=family).first()
    if locality is None:
        raise ValidationError(
            {"locality": "Choose the locality that will allocate the family's episode"}
        )
    episode = episode_services.open_episode(
        by=by,
        family=family,
        locality=locality,
        level=data.level,
        cause=LevelChangeCause.FRONT_DOOR,
        reason=f"Front door decision on {request.reference}",
        opened_from_request=request,
        at=decided_at,
    )
    return episode, False


OUTCOME_SUMMARIES = {
    Outcome.NFA: "No further action: the family's needs are met without extra help.",
    Outcome.SIGNPOSTING: "The family has been given information about, and signposted to, "
    "{signposted_to}.",
    Outcome.UNIVERSAL: "The family's needs can be met by universal services (such as the "
    "school, health visitor or GP).",
    Outcome.SINGLE_AGENCY: "Early help will be offered by {agency}.",
    Outcome.TAF: "Early help with a Team Around the Family will be offered: a lead "
    "professional will be allocated in the {locality} locality.",
    Outcome.STEP_UP: "The request has been passed to children's social care.",
}


def _outcome_summary(decision, episode):
    return OUTCOME_SUMMARIES[Outcome(decision.outcome)].format(
        signposted_to=decision.signposted_to,
        agency=decision.single_agency_label,
        locality=episode.locality.name if episode else "",
    )


def request_decide(*, by: User, request: RequestForSupport, data: DecisionInput) -> Decision:
    """Decide the outcome of screening, once. The request row is locked for the decision,
    so a second officer deciding at the same moment is told it was decided already."""
    try:
        with transaction.atomic():
            return _decide(by=by, request=request, data=data)
    except IntegrityError as error:
        raise ServiceError(
            "This request was decided a moment ago by someone else: reload the page"
        ) from error


def _decide(*, by, request, data):
    request = locked(request)
    if request.status == Status.DECIDED:
        decision = Decision.objects.select_related("decided_by").get(request=request)
        raise ServiceError(
            f"This request was already decided by {decision.decided_by.get_full_name()} "
            f"at {timezone.localtime(decision.decided_at):%H:%M on %-d %B %Y}: "
            "it cannot be decided again"
        )
    require_screening(by, request)
    framework = framework_in_use()
    chosen = list(request.indicators.select_related("level"))
    if any(indicator.framework_id != framework.pk for indicator in chosen):
        raise ServiceError(
            "The threshold framework was updated during screening: tick the indicators "
            "again from the current version",
            field="indicators",
        )
    suggested = suggested_level(chosen)
    _check_decision(request, framework, chosen, suggested, data)

    decided_at = timezone.now()
    episode, joined = (None, False)
    if data.outcome == Outcome.TAF:
        episode, joined = _open_or_join_episode(by, request, data, decided_at)
    decision = Decision(
        request=request,
        outcome=data.outcome,
        framework=framework,
        suggested_level=suggested,
        level=data.level,
        level_override_reason=data.level_override_reason if data.level != suggested else "",
        rationale=data.rationale,
        signposted_to=data.signposted_to if data.outcome == Outcome.SIGNPOSTING else "",
        single_agency=data.single_agency if data.outcome == Outcome.SINGLE_AGENCY else None,
        single_agency_name=data.single_agency_name
        if data.outcome == Outcome.SINGLE_AGENCY and not data.single_agency
        else "",
        social_care_reference=data.social_care_reference if data.outcome == Outcome.STEP_UP else "",
        episode=episode,
        joined_open_episode=joined,
        is_re_referral=is_re_referral(request, decided_at),
        consent=request.consent,
        decided_by=by,
        decided_at=decided_at,
    )
    decision.save()
    decision.indicators.set(chosen)
    REQUEST_MOVES.move(
        request, Status.DECIDED, by=by, reason=decision.get_outcome_display(), at=decided_at
    )
    request.outcome_summary = _outcome_summary(decision, episode)
    if request.assigned_to_id is None:
        request.assigned_to, request.assigned_at = by, decided_at
    save_request(request, by, "status", "outcome_summary", "assigned_to", "assigned_at")
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=decision,
        detail={
            "request": request.reference,
            "outcome": decision.outcome,
            "level": decision.level.name,
            "suggested_level": suggested.name if suggested else None,
            "framework_version": framework.version,
            "episode": str(episode.uuid) if episode else None,
            "re_referral": decision.is_re_referral,
        },
    )
    outbox.enqueue(tasks.send_decision_notification, request.pk)
    return decision
