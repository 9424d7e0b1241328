"""The daily reminder job: reviews and assessments due within REMINDER_DAYS_AHEAD days
remind the lead professional, overdue ones escalate to the managers; in-app and email;
safe to run twice; and a run through the real Redis broker and a worker."""

import datetime
import time as clock
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Notification, Role
from accounts.tasks import send_notification_email
from assessments import reminders
from assessments.models import Assessment, Plan, ReviewDecision
from assessments.reviews.services import Progress, review_record
from assessments.tasks import send_due_reminders as send_due_reminders_task
from audit.models import AuditEvent
from cases.models import Episode, EpisodeStatus
from earlyhelp.celery import app
from tests.assessments.assessment_helpers import built_assessment
from tests.assessments.plan_helpers import built_agreed_plan, family_of_three
from tests.cases.episode_helpers import make_locality
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 12)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def plan_due(place, due_on, name="Okafor"):
    plan = built_agreed_plan(place, family=family_of_three(name))
    Plan.objects.filter(pk=plan.pk).update(next_review_on=due_on)
    plan.refresh_from_db()
    return plan


def assessment_due(place, due_on, name="Patel"):
    assessment = built_assessment(place, family_of_three(name))
    due_at = timezone.make_aware(datetime.datetime.combine(due_on, datetime.time(17, 0)))
    Assessment.objects.filter(pk=assessment.pk).update(due_at=due_at)
    assessment.refresh_from_db()
    return assessment


def keys(user):
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


def run(capture, **kwargs):
    with capture(execute=True):
        return reminders.send_due_reminders(**kwargs)


# Who is reminded of what


def test_the_lead_is_reminded_of_a_review_and_an_assessment_due_soon(
    north, mailoutbox, django_capture_on_commit_callbacks
):
    plan = plan_due(north, days(3))
    assessment = assessment_due(north, days(5))

    counts = run(django_capture_on_commit_callbacks, today=TODAY)

    assert counts["review_due"] == 1
    assert counts["assessment_due"] == 1
    assert counts["notifications"] == 2
    assert keys(north.worker) == {
        f"review-due:{plan.uuid}:2026-01-15",
        f"assessment-due:{assessment.uuid}:2026-01-17",
    }
    assert keys(north.manager) == set()
    review = Notification.objects.get(user=north.worker, key__startswith="review-due")
    assert review.subject == "TAF review due on 15 January: Okafor family"
    assert "due on Thursday 15 January 2026" in review.body
    assert review.link == f"/plans/{plan.uuid}/"
    note = Notification.objects.get(user=north.worker, key__startswith="assessment-due")
    assert note.subject == "Early Help Assessment due on 17 January: Patel family"
    assert note.link == f"/assessments/{assessment.uuid}/"
    # Each is emailed once, with an absolute link.
    assert sorted(message.subject for message in mailoutbox) == sorted(
        [review.subject, note.subject]
    )
    assert all(message.to == [north.worker.email] for message in mailoutbox)
    review_email = next(m for m in mailoutbox if m.subject == review.subject)
    assert f"{settings.SERVICE_URL}/plans/{plan.uuid}/" in review_email.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_the_reminder_is_due_today_on_the_day(north, django_capture_on_commit_callbacks):
    plan_due(north, TODAY)
    assert run(django_capture_on_commit_callbacks, today=TODAY)["review_due"] == 1
    assert "is due today" in Notification.objects.get(user=north.worker).body


def test_nothing_is_sent_for_what_is_due_later_than_the_window(
    north, mailoutbox, django_capture_on_commit_callbacks
):
    plan_due(north, days(10))
    assessment_due(north, days(10))
    plan_due(north, days(settings.REMINDER_DAYS_AHEAD + 1), name="Nowak")

    counts = run(django_capture_on_commit_callbacks, today=TODAY)

    assert counts["notifications"] == 0
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_the_last_day_of_the_window_is_included(north, django_capture_on_commit_callbacks):
    plan_due(north, days(settings.REMINDER_DAYS_AHEAD))
    assert run(django_capture_on_commit_callbacks, today=TODAY)["review_due"] == 1


def test_an_overdue_review_is_escalated_to_the_team_manager(
    north, mailoutbox, django_capture_on_commit_callbacks
):
    plan = plan_due(north, days(-2))
    # A second manager of the team is told too; a manager elsewhere is not.
    deputy = UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[north.team])
    south = make_locality("South")

    counts = run(django_capture_on_commit_callbacks, today=TODAY)

    assert counts["review_overdue"] == 1
    assert counts["review_escalated"] == 2
    assert counts["review_due"] == 0
    assert keys(north.worker) == {f"review-overdue:{plan.uuid}:2026-01-10"}
    assert keys(north.manager) == {f"review-escalated:{plan.uuid}:2026-01-10"}
    assert keys(deputy) == {f"review-escalated:{plan.uuid}:2026-01-10"}
    assert keys(south.manager) == set()
    assert keys(north.colleague) == set()
    escalation = Notification.objects.get(user=north.manager)
    assert escalation.subject == "Overdue TAF review: Okafor family"
    assert north.worker.full_name in escalation.body
    assert "Saturday 10 January 2026" in escalation.body
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [north.worker.email, north.manager.email, deputy.email]
    )


def test_without_team_managers_the_locality_managers_are_told(
    north, django_capture_on_commit_callbacks
):
    assessment = assessment_due(north, days(-1))
    unmanaged = TeamFactory(locality=north.locality)
    Episode.objects.filter(pk=assessment.episode_id).update(team=unmanaged)
    # Managers by role alone, or of a team elsewhere, or inactive, are not told.
    other = make_locality("South")
    retired = UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[north.team], is_active=False)

    counts = run(django_capture_on_commit_callbacks, today=TODAY)

    assert counts["assessment_overdue"] == 1
    assert counts["assessment_escalated"] == 1
    assert keys(north.manager) == {f"assessment-escalated:{assessment.uuid}:2026-01-11"}
    # The social care manager manages a team in the locality, but not as a locality manager.
    assert keys(north.social_care_manager) == set()
    assert keys(other.manager) == set()
    assert keys(retired) == set()
    assert keys(north.worker) == {f"assessment-overdue:{assessment.uuid}:2026-01-11"}


def test_a_lead_who_manages_the_team_is_not_their_own_escalation(
    north, django_capture_on_commit_callbacks
):
    plan = plan_due(north, days(-1))
    Episode.objects.filter(pk=plan.episode_id).update(lead_professional=north.manager)
    neighbour = UserFactory(
        roles=[Role.LOCALITY_MANAGER], manages=[TeamFactory(locality=north.locality)]
    )

    run(django_capture_on_commit_callbacks, today=TODAY)

    assert keys(north.manager) == {f"review-overdue:{plan.uuid}:2026-01-11"}
    assert keys(neighbour) == {f"review-escalated:{plan.uuid}:2026-01-11"}
    assert keys(north.worker) == set()


def test_a_submitted_assessment_is_waiting_for_approval(north, django_capture_on_commit_callbacks):
    assessment = assessment_due(north, days(2))
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted")
    run(django_capture_on_commit_callbacks, today=TODAY)
    note = Notification.objects.get(user=north.worker)
    assert "waiting for a manager's approval" in note.body
    assert "Complete every section" not in note.body


@pytest.mark.parametrize("status", [EpisodeStatus.CLOSING, EpisodeStatus.CLOSED])
def test_closing_and_closed_episodes_are_skipped(north, status, django_capture_on_commit_callbacks):
    plan = plan_due(north, days(2))
    assessment = assessment_due(north, days(-3))
    closed_at = timezone.now() if status == EpisodeStatus.CLOSED else None
    Episode.objects.filter(pk__in=[plan.episode_id, assessment.episode_id]).update(
        status=status, closed_at=closed_at
    )

    counts = run(django_capture_on_commit_callbacks, today=TODAY)

    assert counts["notifications"] == 0
    assert Notification.objects.count() == 0


def test_approved_assessments_are_not_reminded(north, django_capture_on_commit_callbacks):
    # The agreed plan's episode has an approved assessment, due in the window.
    plan = plan_due(north, days(30))
    Assessment.objects.filter(episode=plan.episode).update(due_at=timezone.now())
    assert run(django_capture_on_commit_callbacks, today=TODAY)["notifications"] == 0


# Safe to run twice


def test_running_twice_sends_nothing_twice(north, mailoutbox, django_capture_on_commit_callbacks):
    plan_due(north, days(3))
    plan_due(north, days(-4), name="Nowak")
    assessment_due(north, days(5))

    first = run(django_capture_on_commit_callbacks, today=TODAY)
    made = list(Notification.objects.values_list("pk", "key", "emailed_at").order_by("pk"))
    second = run(django_capture_on_commit_callbacks, today=TODAY)

    assert first["notifications"] == 4  # due, due, overdue (lead), escalated (manager)
    assert second["notifications"] == 0
    assert second["already_sent"] == 4
    assert second["emails_queued"] == 0
    assert list(Notification.objects.values_list("pk", "key", "emailed_at").order_by("pk")) == made
    assert len(mailoutbox) == 4
    # One audit event per run, by the job, with its counts.
    events = AuditEvent.objects.filter(actor_label="reminder job").order_by("pk")
    assert [event.detail["notifications"] for event in events] == [4, 0]
    assert all(event.actor is None for event in events)


def test_the_email_task_sends_once(north, mailoutbox, django_capture_on_commit_callbacks):
    plan_due(north, days(3))
    with django_capture_on_commit_callbacks(execute=False):
        reminders.send_due_reminders(today=TODAY)
    notification = Notification.objects.get()
    assert notification.emailed_at is None

    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False

    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_to_a_deactivated_user(north, mailoutbox, django_capture_on_commit_callbacks):
    plan_due(north, days(3))
    with django_capture_on_commit_callbacks(execute=False):
        reminders.send_due_reminders(today=TODAY)
    notification = Notification.objects.get()
    type(north.worker).objects.filter(pk=north.worker.pk).update(is_active=False)

    assert send_notification_email(notification.pk) is False
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_a_dry_run_creates_nothing_and_says_what_it_would_send(
    north, mailoutbox, django_capture_on_commit_callbacks
):
    plan_due(north, days(3))
    plan_due(north, days(-1), name="Nowak")
    events_before = AuditEvent.objects.count()

    counts = run(django_capture_on_commit_callbacks, today=TODAY, dry_run=True)

    assert counts["dry_run"] is True
    assert counts["review_due"] == 1
    assert counts["review_overdue"] == 1
    assert counts["review_escalated"] == 1
    assert counts["emails_queued"] == 0
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.count() == events_before
    assert mailoutbox == []
    # After a real run, a dry run finds everything already sent.
    run(django_capture_on_commit_callbacks, today=TODAY)
    again = run(django_capture_on_commit_callbacks, today=TODAY, dry_run=True)
    assert again["notifications"] == 0
    assert again["already_sent"] == 3


def test_a_held_review_makes_a_fresh_reminder_next_cycle(
    north, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    plan = plan_due(north, today + datetime.timedelta(days=3))
    assert run(django_capture_on_commit_callbacks, today=today)["review_due"] == 1

    review_record(
        by=north.worker,
        plan=plan,
        held_on=today,
        child_views="Mia says mornings are better.",
        family_views="Calmer at home.",
        progress=[Progress(outcome=str(o.uuid), rag="green", score=7) for o in plan.outcomes.all()],
        decision=ReviewDecision.CONTINUE,
    )
    plan.refresh_from_db()
    next_review = plan.next_review_on
    assert next_review > today + datetime.timedelta(days=settings.REMINDER_DAYS_AHEAD)

    # Nothing more until the new date comes into the window; then a fresh reminder.
    assert run(django_capture_on_commit_callbacks, today=today)["notifications"] == 0
    later = next_review - datetime.timedelta(days=2)
    assert run(django_capture_on_commit_callbacks, today=later)["review_due"] == 1
    assert keys(north.worker) == {
        f"review-due:{plan.uuid}:{today + datetime.timedelta(days=3)}",
        f"review-due:{plan.uuid}:{next_review}",
    }
    assert len(mailoutbox) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_second_run_while_one_holds_the_lock_does_nothing(
    north, django_capture_on_commit_callbacks
):
    import psycopg2

    plan_due(north, days(3))
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        host=db["HOST"],
        port=db["PORT"],
        password=db.get("PASSWORD") or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [reminders.LOCK_KEY])
        counts = run(django_capture_on_commit_callbacks, today=TODAY)
    finally:
        other.close()
    assert counts["locked_out"] is True
    assert counts["notifications"] == 0
    assert Notification.objects.count() == 0


# The command


def test_the_command_prints_the_counts(north, mailoutbox, django_capture_on_commit_callbacks):
    plan_due(north, days(3))
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-01-12", stdout=out)
    assert "TAF reviews due: lead professionals reminded: 1" in out.getvalue()
    assert "would be sent" in out.getvalue()
    assert Notification.objects.count() == 0

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-01-12", stdout=out)
    assert "Notifications sent: 1" in out.getvalue()
    assert Notification.objects.filter(user=north.worker).count() == 1
    assert len(mailoutbox) == 1


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("send_reminders", "--date", "12/01/2026")


# Scheduling and the real broker


def test_the_task_is_registered_and_scheduled_daily_in_london_time():
    app.loader.import_default_modules()
    assert "assessments.send_due_reminders" in app.tasks
    assert "accounts.send_notification_email" in app.tasks
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "assessments.send_due_reminders"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert schedule.hour == {7}
    assert schedule.minute == {0}
    assert app.conf.timezone == "Europe/London"
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_job_runs_through_the_real_redis_broker_and_a_worker(mailoutbox):
    assert settings.CELERY_BROKER_URL.startswith("redis://127.0.0.1:")
    assert app.conf.task_always_eager is False
    place = make_locality("North")
    today = timezone.localdate()
    plan = plan_due(place, today + datetime.timedelta(days=3))
    overdue = plan_due(place, today - datetime.timedelta(days=1), name="Nowak")

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        counts = send_due_reminders_task.delay().get(timeout=30)
        # The emails are queued through the broker when the run commits.
        deadline = clock.monotonic() + 30
        while (
            Notification.objects.filter(emailed_at__isnull=True).exists()
            and clock.monotonic() < deadline
        ):
            clock.sleep(0.2)

    assert counts["review_due"] == 1
    assert counts["review_overdue"] == 1
    assert counts["review_escalated"] == 1
    assert keys(place.worker) == {
        f"review-due:{plan.uuid}:{plan.next_review_on}",
        f"review-overdue:{overdue.uuid}:{overdue.next_review_on}",
    }
    assert keys(place.manager) == {f"review-escalated:{overdue.uuid}:{overdue.next_review_on}"}
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert len(mailoutbox) == 3
