"""Reads of episodes: the episode page, "My cases" and managers' caseloads.

Every queryset starts from the access policy (`access.visible`) and is prefetched once, so
pages stay at a fixed number of queries however many rows they show.

The assessment is due ASSESSMENT_DUE_WORKING_DAYS working days after allocation (DESIGN
section 5, step 4), while the episode is allocated or assessing; once a plan is in place,
the TAF review of the agreed plan is due on its plan's next review date (step 5).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from accounts.models import Locality, Team, User
from assessments.models import Assessment, AssessmentStatus, Plan, PlanStatus
from cases.models import (
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    LeadProfessional,
    TafMember,
)
from cases.transitions.models import Direction, Transition, TransitionStatus
from earlyhelp import access, working_days
from thresholds.models import Level, LevelChange

# While the episode is in these statuses, the assessment is the work that falls due.
ASSESSMENT_STATUSES = (EpisodeStatus.ALLOCATED, EpisodeStatus.ASSESSING)
PENDING_TRANSITIONS = (TransitionStatus.REQUESTED, TransitionStatus.APPROVED)


# Assessment timescale


def _approved_assessments():
    return Assessment.objects.filter(status=AssessmentStatus.APPROVED)


def assessment_due_at(episode) -> datetime | None:
    """When the episode's assessment is due, while it is allocated or assessing and none is
    approved yet (a new version of an approved one is not chased). Lists annotate
    `has_approved_assessment` (`_with_list_fields`); otherwise it is looked up."""
    if episode.status not in ASSESSMENT_STATUSES or episode.allocated_at is None:
        return None
    approved = getattr(episode, "has_approved_assessment", None)
    if approved is None:
        approved = _approved_assessments().filter(episode=episode).exists()
    if approved:
        return None
    return working_days.add_working_days(episode.allocated_at, settings.ASSESSMENT_DUE_WORKING_DAYS)


def review_due_at(episode) -> datetime | None:
    """The end of the working day the agreed plan's next review is due, while the plan is in
    place. Needs `next_review_on` annotated (`_with_list_fields`)."""
    day = getattr(episode, "next_review_on", None)
    if day is None or episode.status != EpisodeStatus.PLAN_IN_PLACE:
        return None
    return datetime.combine(day, working_days.end_of_working_day(), tzinfo=working_days.LONDON)


def reviews_overdue_rule(today=None):
    """Episodes with a plan in place whose review date has passed: a filter to count by."""
    today = today or timezone.localdate()
    overdue = Plan.objects.filter(status=PlanStatus.AGREED, next_review_on__lt=today)
    return Q(status=EpisodeStatus.PLAN_IN_PLACE, pk__in=overdue.values("episode"))


@dataclass
class DueWork:
    """The next piece of work due on an episode, for lists."""

    label: str
    due_at: datetime | None = None
    rag: working_days.RagStatus | None = None

    @property
    def is_overdue(self):
        return self.rag == working_days.RagStatus.OVERDUE


def next_due_work(episode, now=None) -> DueWork:
    due = assessment_due_at(episode)
    if due is not None:
        return DueWork("Assessment", due, working_days.rag_status(due, now))
    review = review_due_at(episode)
    if review is not None:
        return DueWork("TAF review", review, working_days.rag_status(review, now))
    if episode.status == EpisodeStatus.AWAITING_ALLOCATION:
        return DueWork("Allocation")
    return DueWork(episode.get_status_display())


def assessment_overdue_before(now=None) -> datetime:
    """The moment before which an allocation's assessment is overdue at `now`.

    Adding working days never moves a due moment earlier for a later start, so "allocated
    before this moment" is "overdue": a filter the database can count, equal to
    `add_working_days(allocated_at, days) < now` for every allocation.
    """
    now = now or timezone.now()
    days = settings.ASSESSMENT_DUE_WORKING_DAYS
    end = working_days.end_of_working_day()
    day = timezone.localtime(now, working_days.LONDON).date()
    while True:
        if working_days.is_working_day(day):
            # The last moment whose working day is `day`.
            last = datetime.combine(day, end, tzinfo=working_days.LONDON)
            last -= timedelta(microseconds=1)
            if working_days.add_working_days(last, days) < now:
                return last + timedelta(microseconds=1)
        day -= timedelta(days=1)


# The episode page


def episode_detail_for(user):
    """Episodes the user may see, with everything the episode page shows."""
    return (
        access.visible(user, Episode.objects.all())
        .select_related(
            "family",
            "locality",
            "level",
            "team",
            "lead_professional",
            "opened_from_request",
            "closure_requested_by",
            "closure_approved_by",
        )
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=EpisodeStatusChange.objects.select_related("changed_by").order_by(
                    "changed_at", "id"
                ),
            ),
            Prefetch(
                "lead_history",
                queryset=LeadProfessional.objects.select_related(
                    "user", "team", "assigned_by"
                ).order_by("started_at", "id"),
            ),
            Prefetch(
                "taf_members",
                queryset=TafMember.objects.select_related(
                    "user", "user__agency", "agency"
                ).order_by("started_on", "id"),
            ),
            Prefetch(
                "transitions",
                queryset=Transition.objects.select_related(
                    "from_level", "to_level", "sending_team", "receiving_team", "requested_by"
                ).order_by("-requested_at", "-id"),
            ),
        )
    )


def allocation_team_choices(user, episode):
    """Teams an episode may be allocated to: those in its locality and the manager's own."""
    return (
        Team.objects.filter(
            Q(locality=episode.locality_id) | Q(pk__in=access.managing_team_ids(user))
        )
        .select_related("agency")
        .order_by("name")
    )


def lead_professional_choices(teams):
    """Active users with a practice role who belong to, or manage, one of `teams`."""
    team_ids = list(teams.values_list("pk", flat=True)) if hasattr(teams, "values_list") else teams
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[str(r) for r in access.PRACTICE_ROLES]
        )
        .filter(Q(teams__in=team_ids) | Q(managed_teams__in=team_ids))
        .distinct()
        .order_by("full_name", "id")
    )


def early_help_levels():
    """The levels an episode's level may change to: the current framework's non-statutory."""
    return Level.objects.filter(framework__is_current=True, statutory=False).order_by("rank")


def taf_user_choices(user):
    """Users who may be added to a Team Around the Family: colleagues the user may see."""
    return access.visible(user, User.objects.filter(is_active=True)).order_by("full_name", "id")


# Lists


def _with_list_fields(queryset):
    step_up_waiting = Transition.objects.filter(
        episode=OuterRef("pk"), direction=Direction.UP, status__in=PENDING_TRANSITIONS
    )
    next_review_on = Plan.objects.filter(episode=OuterRef("pk"), status=PlanStatus.AGREED)
    return queryset.select_related(
        "family", "level", "locality", "team", "lead_professional"
    ).annotate(
        step_up_waiting=Exists(step_up_waiting),
        next_review_on=Subquery(next_review_on.values("next_review_on")[:1]),
        has_approved_assessment=Exists(_approved_assessments().filter(episode=OuterRef("pk"))),
    )


def current_taf_memberships(user):
    """Memberships of the user, or of their agency as a named contact, not ended yet."""
    member = Q(user=user)
    if user.agency_id:
        member |= Q(user__isnull=True, agency_id=user.agency_id)
    return TafMember.objects.filter(member).current()


def my_led_episodes(user):
    """Open episodes the user leads."""
    episodes = access.visible(user, Episode.objects.open()).filter(lead_professional=user)
    return _with_list_fields(episodes).order_by("family__name", "id")


def my_taf_episodes(user):
    """Open episodes in whose Team Around the Family the user (or their agency) is."""
    episodes = access.visible(user, Episode.objects.open()).filter(
        pk__in=current_taf_memberships(user).values("episode")
    )
    return _with_list_fields(episodes).order_by("family__name", "id")


# Caseloads


def is_manager(user) -> bool:
    """Locality managers and team managers see caseloads."""
    return bool(access.managed_locality_ids(user) or access.managing_team_ids(user))


def caseload_localities(user):
    """Localities a manager may filter by: those they manage and those of teams they manage."""
    return (
        Locality.objects.filter(
            Q(pk__in=access.managed_locality_ids(user))
            | Q(teams__in=access.managing_team_ids(user))
        )
        .distinct()
        .order_by("name")
    )


def caseload_teams(user):
    return Team.objects.filter(pk__in=access.managing_team_ids(user)).order_by("name")


def caseload_episodes(user, *, locality=None, team=None):
    """Open episodes the user manages (in their localities or teams), optionally narrowed."""
    manages = Q(locality__in=access.managed_locality_ids(user)) | Q(
        team__in=access.managing_team_ids(user)
    )
    episodes = access.visible(user, Episode.objects.open()).filter(manages)
    if locality is not None:
        episodes = episodes.filter(locality=locality)
    if team is not None:
        episodes = episodes.filter(team=team)
    return episodes


@dataclass
class Caseloads:
    practitioners: list = field(default_factory=list)
    levels: list = field(default_factory=list)  # rows: (level, [count per status], total)
    statuses: list = field(default_factory=list)
    status_totals: list = field(default_factory=list)
    total: int = 0
    overdue_count: int = 0
    awaiting: list = field(default_factory=list)
    awaiting_count: int = 0
    overdue: list = field(default_factory=list)
    reviews_overdue_count: int = 0
    reviews_overdue: list = field(default_factory=list)


LIST_LIMIT = 50


def caseloads(episodes, now=None) -> Caseloads:
    """Counts by practitioner, status and level, and the episodes needing action: a fixed
    number of queries whatever the number of episodes."""
    now = now or timezone.now()
    overdue_rule = Q(
        status__in=ASSESSMENT_STATUSES, allocated_at__lt=assessment_overdue_before(now)
    ) & ~Q(pk__in=_approved_assessments().values("episode"))
    reviews_rule = reviews_overdue_rule(timezone.localdate(now))
    result = Caseloads(statuses=list(EpisodeStatus)[:-1])  # open statuses only

    per_person = (
        episodes.filter(lead_professional__isnull=False)
        .values("lead_professional", "lead_professional__full_name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_rule),
            reviews_overdue=Count("pk", filter=reviews_rule),
        )
        .order_by("lead_professional__full_name", "lead_professional")
    )
    result.practitioners = list(per_person)

    counts = {
        (row["level"], row["status"]): row["n"]
        for row in episodes.values("level", "status").annotate(n=Count("pk")).order_by()
    }
    level_ids = {level_id for level_id, _ in counts}
    levels = (
        Level.objects.filter(pk__in=level_ids)
        .select_related("framework")
        .order_by("framework__version", "rank")
    )
    for level in levels:
        row = [counts.get((level.pk, status.value), 0) for status in result.statuses]
        result.levels.append((level, row, sum(row)))
    result.status_totals = [
        sum(counts.get((level_id, status.value), 0) for level_id in level_ids)
        for status in result.statuses
    ]
    result.total = sum(counts.values())

    listed = _with_list_fields(episodes)
    awaiting = listed.filter(status=EpisodeStatus.AWAITING_ALLOCATION).order_by(
        "-priority", "opened_at", "id"
    )
    result.awaiting_count = counts_total(counts, EpisodeStatus.AWAITING_ALLOCATION)
    result.awaiting = list(awaiting[:LIST_LIMIT])
    overdue = listed.filter(overdue_rule).order_by("allocated_at", "id")
    result.overdue_count = sum(row["overdue"] for row in result.practitioners)
    result.overdue = list(overdue[:LIST_LIMIT])
    reviews = listed.filter(reviews_rule).order_by("next_review_on", "id")
    result.reviews_overdue_count = sum(row["reviews_overdue"] for row in result.practitioners)
    result.reviews_overdue = list(reviews[:LIST_LIMIT])
    return result


def counts_total(counts, status):
    return sum(n for (_, each), n in counts.items() if each == status)


# The family page


def level_history_queryset():
    return LevelChange.objects.select_related("from_level", "to_level", "changed_by").order_by(
        "changed_at", "id"
    )


EPISODE_RELATED = ("family", "level", "locality", "team", "lead_professional")


def episodes_for(user):
    return access.visible(user, Episode.objects.all()).select_related(*EPISODE_RELATED)


def with_details(episodes_qs):
    return episodes_qs.select_related(
        "closure_requested_by", "closure_approved_by"
    ).prefetch_related(
        Prefetch(
            "lead_history",
            queryset=LeadProfessional.objects.select_related("user", "team", "assigned_by"),
        ),
        Prefetch(
            "status_changes", queryset=EpisodeStatusChange.objects.select_related("changed_by")
        ),
        Prefetch("taf_members", queryset=TafMember.objects.select_related("user", "agency")),
        Prefetch(
            "transitions",
            queryset=Transition.objects.select_related(
                "from_level", "to_level", "receiving_team", "bounce_back_of"
            ),
        ),
    )
