"""Run the daily review and assessment reminders now (the Celery beat job does it at 07:00)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from assessments.reminders import KINDS, send_due_reminders

LABELS = {
    "review_due": "TAF reviews due: lead professionals reminded",
    "review_overdue": "TAF reviews overdue: lead professionals told",
    "review_escalated": "TAF reviews overdue: managers told",
    "assessment_due": "Assessments due: lead professionals reminded",
    "assessment_overdue": "Assessments overdue: lead professionals told",
    "assessment_escalated": "Assessments overdue: managers told",
}


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be a date like 2026-01-12, not {value!r}") from error


class Command(BaseCommand):
    help = "Remind lead professionals of reviews and assessments due, and escalate overdue ones"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing"
        )
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, dry_run=False, date=None, **options):
        today = _date(date) if date else None
        counts = send_due_reminders(today=today, dry_run=dry_run)
        if counts["locked_out"]:
            raise CommandError("Another reminder run is in progress; nothing was sent")
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"Reminders for {counts['date']} ({verb}):")
        for kind in KINDS:
            self.stdout.write(f"  {LABELS[kind]}: {counts[kind]}")
        self.stdout.write(f"  Already sent before: {counts['already_sent']}")
        self.stdout.write(f"Notifications {verb}: {counts['notifications']}")
