"""The daily reminder run (DESIGN section 5, step 5): remind lead professionals of TAF
reviews and Early Help Assessments falling due, and escalate overdue ones to the managers.

- A review is of the agreed plan of an episode being assessed or with a plan in place; an
  assessment is one not yet approved on an episode that is not closing or closed. Either
  is in the window when its due date is at most REMINDER_DAYS_AHEAD days away.
- Due today or later: the lead professional is reminded. Overdue (before today): the lead
  professional is told, and the managers of the episode's team (or, when it has none, the
  locality managers of the episode's locality) are told it is overdue.
- Safe to run twice: each notification's key names the event (what, which record, which
  due date), so a second run finds it and sends nothing. A new due date (a review held, a
  plan agreed again) is a new event and is reminded again. A PostgreSQL advisory lock keeps
  two runs from working at once; `dry_run` says what would be sent and changes nothing.
- Each new notification is emailed once, by `accounts.send_notification_email`, recorded in
  the run's transaction (the outbox) and queued when it commits.
"""

import zlib
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Role, User
from assessments.models import Assessment, AssessmentStatus, Plan, PlanStatus
from audit.models import AuditAction
from audit.services import record
from cases.models import EpisodeStatus
from outbox import services as outbox

JOB_LABEL = "reminder job"
# One number for the advisory lock, the same in every process.
LOCK_KEY = zlib.crc32(b"assessments.send_due_reminders")

REVIEWED_EPISODE_STATUSES = (EpisodeStatus.ASSESSING, EpisodeStatus.PLAN_IN_PLACE)
ENDED_EPISODE_STATUSES = (EpisodeStatus.CLOSING, EpisodeStatus.CLOSED)

KINDS = (
    "review_due",
    "review_overdue",
    "review_escalated",
    "assessment_due",
    "assessment_overdue",
    "assessment_escalated",
)


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _short_day(value: date) -> str:
    return f"{value.day} {value:%B}"


def _lead_name(episode) -> str:
    lead = episode.lead_professional
    if lead is None:
        return "no lead professional"
    team = f" ({episode.team.name})" if episode.team else ""
    return f"{lead.full_name}{team}"


# What each notification says


def _review_messages(plan, today):
    family = plan.episode.family.name
    due = plan.next_review_on
    when = "today" if due == today else f"on {_day(due)}"
    return {
        "review_due": (
            f"TAF review due on {_short_day(due)}: {family}",
            f"The Team Around the Family review for the {family} is due {when}.\n\n"
            "Arrange the review meeting with the family and the TAF members, then record "
            "the review in the service.",
        ),
        "review_overdue": (
            f"TAF review overdue: {family}",
            f"The Team Around the Family review for the {family} was due on {_day(due)} "
            "and has not been recorded.\n\n"
            "Hold the review as soon as you can, or record it if it has taken place. "
            "Your manager has been told it is overdue.",
        ),
        "review_escalated": (
            f"Overdue TAF review: {family}",
            f"The Team Around the Family review for the {family} was due on {_day(due)} "
            "and has not been recorded.\n\n"
            f"The lead professional is {_lead_name(plan.episode)}. You are told because you "
            "manage the team or locality that owns the case.",
        ),
    }


def _assessment_messages(assessment, due, today):
    family = assessment.episode.family.name
    when = "today" if due == today else f"on {_day(due)}"
    next_step = (
        "It is waiting for a manager's approval."
        if assessment.status == AssessmentStatus.SUBMITTED
        else "Complete every section and submit it for your manager's approval."
    )
    return {
        "assessment_due": (
            f"Early Help Assessment due on {_short_day(due)}: {family}",
            f"The Early Help Assessment for the {family} is due {when}.\n\n{next_step}",
        ),
        "assessment_overdue": (
            f"Early Help Assessment overdue: {family}",
            f"The Early Help Assessment for the {family} was due on {_day(due)} and has "
            "not been approved.\n\n"
            f"{next_step} Your manager has been told it is overdue.",
        ),
        "assessment_escalated": (
            f"Overdue Early Help Assessment: {family}",
            f"The Early Help Assessment for the {family} was due on {_day(due)} and has "
            "not been approved.\n\n"
            f"The lead professional is {_lead_name(assessment.episode)}. You are told because "
            "you manage the team or locality that owns the case.",
        ),
    }


# Who is told


class _Managers:
    """The managers an overdue item goes to: the episode team's managers, or when the team
    has none, the locality managers of the episode's locality (looked up once each)."""

    def __init__(self):
        self._by_locality = {}

    def for_episode(self, episode) -> list[User]:
        # The lead professional is told as the lead; a lead who manages the team is not
        # their own escalation, so it goes on to the locality managers.
        managers = []
        if episode.team is not None:
            managers = self._others(episode, episode.team.managers.all())
        return managers or self._others(episode, self._locality_managers(episode.locality_id))

    @staticmethod
    def _others(episode, users):
        return [u for u in users if u.is_active and u.pk != episode.lead_professional_id]

    def _locality_managers(self, locality_id) -> list[User]:
        if locality_id not in self._by_locality:
            self._by_locality[locality_id] = list(
                User.objects.filter(
                    is_active=True,
                    groups__name=Role.LOCALITY_MANAGER,
                    managed_teams__locality_id=locality_id,
                )
                .distinct()
                .order_by("pk")
            )
        return self._by_locality[locality_id]


EPISODE_RELATED = ["episode__family", "episode__lead_professional", "episode__team"]


def _team_managers():
    return Prefetch("episode__team__managers", queryset=User.objects.order_by("pk"))


def reviews_in_window(last_day: date):
    return (
        Plan.objects.filter(
            status=PlanStatus.AGREED,
            episode__status__in=REVIEWED_EPISODE_STATUSES,
            next_review_on__lte=last_day,
        )
        .select_related(*EPISODE_RELATED)
        .prefetch_related(_team_managers())
        .order_by("next_review_on", "pk")
    )


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def assessments_in_window(last_day: date):
    """First assessments not yet approved, due by `last_day` (see `Assessment.is_chased`:
    a new version of an approved assessment is not chased)."""
    return (
        Assessment.objects.exclude(status=AssessmentStatus.APPROVED)
        .filter(previous__isnull=True)
        .exclude(episode__status__in=ENDED_EPISODE_STATUSES)
        .filter(due_at__lt=_end_of_day(last_day))
        .select_related(*EPISODE_RELATED)
        .prefetch_related(_team_managers())
        .order_by("due_at", "pk")
    )


# The run


class _Run:
    def __init__(self, *, today, dry_run):
        self.today = today
        self.dry_run = dry_run
        self.counts = Counter({kind: 0 for kind in KINDS})
        self.already_sent = 0
        self.created = []
        self.managers = _Managers()

    def notify(self, user, kind, key, subject, body, link):
        if user is None or not user.is_active:
            return
        if self.dry_run:
            if Notification.objects.filter(user=user, key=key).exists():
                self.already_sent += 1
            else:
                self.counts[kind] += 1
            return
        # get_or_create retries the read when a concurrent insert wins the unique
        # constraint (user, key), so a race still makes one notification.
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={"subject": subject[:200], "body": body, "link": link},
        )
        if created:
            self.counts[kind] += 1
            self.created.append(notification.pk)
        else:
            self.already_sent += 1

    def _item(self, *, episode, due, prefix, uuid, messages, link):
        key_tail = f"{uuid}:{due.isoformat()}"
        if due >= self.today:
            subject, body = messages[f"{prefix}_due"]
            self.notify(
                episode.lead_professional,
                f"{prefix}_due",
                f"{prefix}-due:{key_tail}",
                subject,
                body,
                link,
            )
            return
        subject, body = messages[f"{prefix}_overdue"]
        self.notify(
            episode.lead_professional,
            f"{prefix}_overdue",
            f"{prefix}-overdue:{key_tail}",
            subject,
            body,
            link,
        )
        subject, body = messages[f"{prefix}_escalated"]
        for manager in self.managers.for_episode(episode):
            self.notify(
                manager,
                f"{prefix}_escalated",
                f"{prefix}-escalated:{key_tail}",
                subject,
                body,
                link,
            )

    def reviews(self, last_day):
        for plan in reviews_in_window(last_day):
            self._item(
                episode=plan.episode,
                due=plan.next_review_on,
                prefix="review",
                uuid=plan.uuid,
                messages=_review_messages(plan, self.today),
                link=reverse("plans:detail", args=[plan.uuid]),
            )

    def assessments(self, last_day):
        for assessment in assessments_in_window(last_day):
            due = timezone.localdate(assessment.due_at)
            self._item(
                episode=assessment.episode,
                due=due,
                prefix="assessment",
                uuid=assessment.uuid,
                messages=_assessment_messages(assessment, due, self.today),
                link=reverse("assessments:detail", args=[assessment.uuid]),
            )

    def result(self, *, locked_out=False):
        return {
            **dict(self.counts),
            "notifications": sum(self.counts.values()),
            "already_sent": self.already_sent,
            "emails_queued": len(self.created),
            "dry_run": self.dry_run,
            "locked_out": locked_out,
            "date": self.today.isoformat(),
        }


def _take_lock() -> bool:
    """A transaction-level advisory lock: another run holding it means this one stops."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


@transaction.atomic
def send_due_reminders(*, today: date | None = None, dry_run: bool = False) -> dict:
    """Remind and escalate what is due or overdue; returns how many of each were sent (or,
    on a dry run, would be)."""
    today = today or timezone.localdate()
    run = _Run(today=today, dry_run=dry_run)
    if not _take_lock():
        return run.result(locked_out=True)
    last_day = today + timedelta(days=settings.REMINDER_DAYS_AHEAD)
    run.reviews(last_day)
    run.assessments(last_day)
    result = run.result()
    if dry_run:
        return result
    record(
        actor=None,
        actor_label=JOB_LABEL,
        action=AuditAction.CREATE,
        model=Notification,
        detail={"job": "send_due_reminders", **result},
    )
    from accounts.tasks import send_notification_email

    for pk in run.created:
        outbox.enqueue(send_notification_email, pk)
    return result
