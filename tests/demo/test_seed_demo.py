"""The demo data: a fictional county, deterministic and idempotent, on SQLite and PostgreSQL.

The seeded county is the one seeding tests/demo shares (tests/demo/conftest.py)."""

import datetime
import io
import os
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Agency, AgencyType, Locality, Role, Team, User
from cases.models import (
    AgendaItem,
    AllocationMeeting,
    ClosureReason,
    Episode,
    EpisodeStatus,
    ItemDecision,
    TafMember,
)
from cases.transitions.models import Direction, Transition, TransitionStatus
from demo.directory import DEMO_PASSWORD, USERS
from demo.episodes import seed_episodes
from demo.requests import seed_front_door
from referrals import timescales
from referrals.models import (
    OPEN_STATUSES,
    Consent,
    Decision,
    Outcome,
    RequestForSupport,
    RequestPerson,
    ScreeningCheck,
    Source,
    Status,
    Urgency,
)
from referrals.requests.selectors import with_re_referral_flag
from thresholds.models import LevelChange, LevelChangeCause


def _manage(*args, database):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update({"DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_quick_start_migrates_and_seeds_a_fresh_sqlite_file_twice(tmp_path):
    database = tmp_path / "quick-start.sqlite3"
    front_door = []
    for run in ("first", "second"):
        for command in (["migrate", "--no-input"], ["seed_demo"]):
            result = _manage(*command, database=database)
            assert result.returncode == 0, f"{run} {command}: {result.stderr}"
        with sqlite3.connect(database) as connection:
            front_door.append(_front_door_counts(connection))
    assert "0 new records" in result.stdout
    assert "0 new requests for support" in result.stdout
    assert "0 new episodes" in result.stdout
    assert "Task " not in result.stdout + result.stderr  # the seed's email tasks are quiet
    # About 50 requests in every state, every outcome, and nothing more the second time.
    assert front_door[0] == front_door[1]
    assert front_door[0]["statuses"] == {
        "submitted": 15,
        "in_screening": 15,
        "decided": 17,
        "withdrawn": 3,
    }
    assert set(front_door[0]["outcomes"]) == set(Outcome.values)
    assert front_door[0]["episodes"]["awaiting_allocation"] == 3
    with sqlite3.connect(database) as connection:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("accounts_locality", "accounts_agency", "accounts_team", "accounts_user")
        }
    assert counts == {
        "accounts_locality": 4,
        "accounts_agency": 15,
        "accounts_team": 15,
        "accounts_user": len(USERS),
    }


def test_seed_builds_the_county_with_every_agency_type_and_role(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--directory-only")
    assert Locality.objects.count() == 4
    assert set(Agency.objects.values_list("agency_type", flat=True)) == set(AgencyType.values)
    assert Team.objects.count() >= 15
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    triage = User.objects.get(email="triage@brackenshire.example")
    assert triage.check_password(DEMO_PASSWORD)
    assert triage.teams.get().name == "Early Help Hub (MASH)"


def test_seed_is_idempotent_and_keeps_changes(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--directory-only")
    practitioner = User.objects.get(email="practitioner@brackenshire.example")
    practitioner.set_password("changed by the user 2026")
    practitioner.save()
    before = (Agency.objects.count(), Team.objects.count(), User.objects.count())
    call_command("seed_demo", "--directory-only")
    assert (Agency.objects.count(), Team.objects.count(), User.objects.count()) == before
    practitioner.refresh_from_db()
    assert practitioner.check_password("changed by the user 2026")


def test_seed_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _front_door_counts(connection):
    query = "SELECT {} , count(*) FROM {} GROUP BY 1"
    return {
        "statuses": dict(connection.execute(query.format("status", "referrals_requestforsupport"))),
        "outcomes": dict(connection.execute(query.format("outcome", "referrals_decision"))),
        # The episodes the front door's decisions opened (demo.episodes adds more).
        "episodes": dict(
            connection.execute(
                query.format("status", "cases_episode WHERE opened_from_request_id IS NOT NULL")
            )
        ),
    }


def test_front_door_has_a_realistic_triage_queue(seeded_front_door, db):
    requests = with_re_referral_flag(RequestForSupport.objects.all())
    statuses = Counter(requests.values_list("status", flat=True))
    assert statuses == {
        Status.SUBMITTED: 15,
        Status.IN_SCREENING: 15,
        Status.DECIDED: 17,
        Status.WITHDRAWN: 3,
    }
    open_requests = requests.filter(status__in=OPEN_STATUSES)
    overdue = open_requests.filter(due_at__lt=timezone.now()).count()
    assert 4 <= overdue <= 20
    assert open_requests.filter(due_at__gte=timezone.now()).count() >= 10
    assert not requests.filter(status=Status.SUBMITTED, assigned_to__isnull=False).exists()
    officers = set(
        requests.filter(status=Status.IN_SCREENING).values_list("assigned_to__email", flat=True)
    )
    assert officers == {"triage@brackenshire.example", "hub.manager@brackenshire.example"}
    # Received over the last three weeks, each due as its urgency says.
    for request in requests:
        assert request.received_at > timezone.now() - datetime.timedelta(days=22)
        assert request.due_at == timescales.due_at(request.received_at, request.urgency_rag)
    assert set(requests.values_list("source", flat=True)) == set(Source.values)
    assert set(requests.values_list("consent", flat=True)) == set(Consent.values)
    assert set(requests.values_list("urgency", flat=True)) == set(Urgency.values)
    # Screening under way: matches, checks and indicators.
    in_screening = requests.filter(status=Status.IN_SCREENING)
    assert in_screening.filter(family__isnull=False).count() >= 5
    assert ScreeningCheck.objects.filter(request__in=in_screening).exists()
    assert in_screening.filter(indicators__isnull=False).exists()
    # No email left the seed.
    assert seeded_front_door["sent"] == []


def test_front_door_decisions_episodes_and_re_referrals(seeded_front_door, db):
    decisions = Decision.objects.select_related("request", "level")
    assert set(decisions.values_list("outcome", flat=True)) == set(Outcome.values)
    for decision in decisions:
        assert decision.request.status == Status.DECIDED
        assert decision.decided_at >= decision.request.received_at
        if decision.outcome in (Outcome.SINGLE_AGENCY, Outcome.TAF):
            assert decision.request.consent_allows_early_help
    taf = decisions.filter(outcome=Outcome.TAF)
    assert taf.count() == 4
    assert all(decision.episode_id for decision in taf)
    assert taf.filter(joined_open_episode=True).count() == 1
    awaiting = Episode.objects.filter(
        status=EpisodeStatus.AWAITING_ALLOCATION, opened_from_request__isnull=False
    )
    assert awaiting.count() == 3
    # The front door's episodes wait for next week's meeting: last week's did not touch them.
    assert not AgendaItem.objects.filter(episode__in=awaiting, meeting__held_at__isnull=False)
    # Re-referrals: an episode closed in the last 12 months flags the request; longer ago not.
    flagged = with_re_referral_flag(RequestForSupport.objects.all()).filter(is_re_referral=True)
    assert 4 <= flagged.count() <= 6
    long_closed = Episode.objects.filter(
        status=EpisodeStatus.CLOSED, closed_at__lt=timezone.now() - datetime.timedelta(days=366)
    )
    assert long_closed.exists()
    for episode in long_closed:
        requests = RequestForSupport.objects.filter(family=episode.family)
        assert requests.exists()
        assert not with_re_referral_flag(requests).filter(is_re_referral=True).exists()


def test_front_door_seed_twice_creates_nothing_new(seeded_front_door, db, settings):
    settings.DEBUG = True
    before = (
        RequestForSupport.objects.count(),
        Decision.objects.count(),
        Episode.objects.count(),
        RequestPerson.objects.count(),
    )
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 new requests for support" in out.getvalue()
    assert "0 new episodes" in out.getvalue()
    # Nor weeks later, when every child is older.
    assert seed_front_door(now=timezone.now() + datetime.timedelta(days=200)) == 0
    assert (
        RequestForSupport.objects.count(),
        Decision.objects.count(),
        Episode.objects.count(),
        RequestPerson.objects.count(),
    ) == before


# Episodes, allocation meetings, step up and step down (demo.episodes) --------------


def test_episodes_in_every_state_in_every_locality(seeded_front_door, db):
    for locality in Locality.objects.all():
        episodes = Episode.objects.filter(locality=locality)
        assert set(episodes.values_list("status", flat=True)) == set(EpisodeStatus.values), locality
        # Closed consistently, with a reason; open ones led from the locality's teams.
        for episode in episodes:
            assert (episode.status == EpisodeStatus.CLOSED) == (episode.closed_at is not None)
        allocated = episodes.exclude(status=EpisodeStatus.AWAITING_ALLOCATION).exclude(
            status=EpisodeStatus.CLOSED
        )
        assert all(episode.lead_professional_id and episode.team_id for episode in allocated)
        assert episodes.filter(flagged_for_discussion=True).exists()
        closing = episodes.get(status=EpisodeStatus.CLOSING, closure_requested_at__isnull=False)
        assert closing.closure_approved_by is None
    closed = Episode.objects.filter(status=EpisodeStatus.CLOSED).exclude(closure_summary="")
    reasons = set(closed.values_list("closure_reason", flat=True))
    assert {
        ClosureReason.OUTCOMES_ACHIEVED,
        ClosureReason.REFERRED_ELSEWHERE,
        ClosureReason.NO_FURTHER_ACTION,
        ClosureReason.STEPPED_UP,
        ClosureReason.CONSENT_WITHDRAWN,
        ClosureReason.MOVED_AWAY,
    } <= reasons
    # Leads from health visiting and a school too; TAFs with users and named contacts.
    teams = set(Episode.objects.values_list("team__agency__agency_type", flat=True))
    assert {"council_early_help", "health", "school"} <= teams
    assert (
        TafMember.objects.filter(user__isnull=False)
        .exclude(user__agency__agency_type="council_early_help")
        .exists()
    )
    assert TafMember.objects.filter(user__isnull=True).exclude(contact_name="").exists()
    assert TafMember.objects.filter(
        ended_on__isnull=False, episode__status="plan_in_place"
    ).exists()
    # Level history: opened, changed up and down, closed, and social care's levels.
    causes = set(LevelChange.objects.values_list("cause", flat=True))
    assert {
        LevelChangeCause.FRONT_DOOR,
        LevelChangeCause.CHANGE,
        LevelChangeCause.CLOSURE,
        LevelChangeCause.TRANSITION,
    } <= causes
    changed = LevelChange.objects.filter(cause=LevelChangeCause.CHANGE)
    assert changed.filter(to_level__rank=2, from_level__rank=3).exists()
    assert changed.filter(to_level__rank=3, from_level__rank=2).exists()
    # Every step happened in the past, in order.
    now = timezone.now()
    for episode in Episode.objects.filter(opened_from_request__isnull=True):
        changes = list(episode.status_changes.values_list("changed_at", flat=True))
        assert changes == sorted(changes)
        assert all(moment < now for moment in changes)


def test_a_held_and_an_upcoming_meeting_in_every_locality(seeded_front_door, db):
    now = timezone.now()
    for locality in Locality.objects.all():
        meetings = AllocationMeeting.objects.filter(locality=locality)
        held = meetings.get(held_at__isnull=False)
        upcoming = meetings.get(held_at__isnull=True)
        manager = User.objects.get(email=f"manager.{locality.code}@brackenshire.example")
        assert held.chair == manager and upcoming.chair == manager
        assert held.starts_at < held.held_at < now < upcoming.starts_at
        assert held.minutes
        decisions = set(held.agenda_items.values_list("decision", flat=True))
        assert decisions == {
            ItemDecision.ALLOCATE,
            ItemDecision.REFER,
            ItemDecision.NFA,
            ItemDecision.DEFER,
        }
        assert set(held.attendees.values_list("attendance", flat=True)) == {
            "present",
            "apologies",
        }
        assert upcoming.agenda_items.exists()
        assert not upcoming.agenda_items.exclude(decision="").exists()
        assert upcoming.attendees.count() >= 3
        # The deferred item comes back.
        deferred = held.agenda_items.get(decision=ItemDecision.DEFER).episode
        assert upcoming.agenda_items.filter(episode=deferred).exists()
    north = AllocationMeeting.objects.get(locality__code="north", held_at__isnull=True)
    first = north.agenda_items.order_by("position").first()
    assert first.reason == "step_down" and first.episode.priority


def test_step_up_and_step_down_in_both_directions(seeded_front_door, db):
    from cases.transitions.services import is_waiting_too_long

    up = Transition.objects.filter(direction=Direction.UP)
    down = Transition.objects.filter(direction=Direction.DOWN)
    assert up.filter(status=TransitionStatus.REQUESTED).exists()
    assert up.filter(status=TransitionStatus.APPROVED).exists()
    accepted_up = up.get(status=TransitionStatus.ACCEPTED)
    assert accepted_up.episode.closure_reason == ClosureReason.STEPPED_UP
    flagged = [t for t in Transition.objects.all() if is_waiting_too_long(t)]
    assert len(flagged) == 1 and flagged[0].direction == Direction.UP
    # A step-down approved, waiting for allocation first on the agenda; one accepted.
    waiting = down.get(status=TransitionStatus.APPROVED)
    assert waiting.episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert waiting.episode.priority
    assert waiting.sending_team.name == "Assessment and Intervention North"
    assert waiting.requested_by.email == "social.worker@brackenshire.example"
    assert down.filter(
        status=TransitionStatus.ACCEPTED, episode__status=EpisodeStatus.ASSESSING
    ).exists()
    # A bounce-back: stepped down about four months ago, now stepped up again.
    bounce = up.get(bounce_back_of__isnull=False)
    assert bounce.bounce_back_of.family == bounce.family
    months = (timezone.now() - bounce.bounce_back_of.responded_at).days / 30
    assert 3.5 < months < 5


def test_episodes_seed_twice_creates_nothing_new(seeded_front_door, db):
    counts = lambda: [  # noqa: E731
        model.objects.count()
        for model in (Episode, AllocationMeeting, AgendaItem, Transition, LevelChange, TafMember)
    ]
    before = counts()
    assert seed_episodes() == 0
    assert seed_episodes(now=timezone.now() + datetime.timedelta(days=30)) == 0
    assert counts() == before


def test_assessments_in_every_state(seeded_front_door, db):
    from assessments.models import Assessment, AssessmentStatus
    from demo.assessments import seed_assessments

    statuses = Counter(Assessment.objects.values_list("status", flat=True))
    assert set(statuses) == set(AssessmentStatus.values)
    assert any(a.is_overdue for a in Assessment.objects.filter(status=AssessmentStatus.DRAFT))
    for assessment in Assessment.objects.filter(status=AssessmentStatus.APPROVED):
        assert assessment.episode.status == EpisodeStatus.PLAN_IN_PLACE
        assert assessment.recommended_level is not None
        assert not assessment.sections.filter(completed=False).exists()
    assert seed_assessments() == 0


def test_plans_with_reviews_on_time_late_and_overdue(seeded_front_door, db):
    from assessments.models import Plan, PlanStatus, Review
    from demo.plans import seed_plans

    agreed = list(Plan.objects.filter(status=PlanStatus.AGREED).select_related("episode"))
    assert agreed, "every episode with a plan in place and an approved assessment has a plan"
    for plan in agreed:
        assert plan.episode.status == EpisodeStatus.PLAN_IN_PLACE
        assert plan.outcomes.exists() and plan.actions.exists()
    today = timezone.localdate()
    assert any(plan.is_review_overdue for plan in agreed)
    assert any(
        today <= plan.next_review_on <= today + datetime.timedelta(days=7) for plan in agreed
    )
    held = list(Review.objects.all())
    assert any(review.held_on_time for review in held)
    assert any(not review.held_on_time for review in held)
    assert Plan.objects.filter(status=PlanStatus.DRAFT, from_review__isnull=False).exists()
    assert seed_plans() == 0
