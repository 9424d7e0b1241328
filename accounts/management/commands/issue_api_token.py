"""Issue an API token for a user. The token is printed once; only its hash is stored."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from accounts.models import User
from audit.models import AuditAction
from audit.services import record


class Command(BaseCommand):
    help = "Issue an API token (Authorization: Token <key>) for an active user"

    def add_arguments(self, parser):
        parser.add_argument("email")
        default_days = settings.REST_KNOX["TOKEN_TTL"].days
        parser.add_argument(
            "--days",
            type=int,
            default=default_days,
            help=f"Days until it expires (default API_TOKEN_TTL_DAYS, now {default_days})",
        )

    def handle(self, *args, email, days, **options):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email address {email}")
        if days < 1:
            raise CommandError("--days must be 1 or more")
        instance, token = AuthToken.objects.create(user, expiry=timedelta(days=days))
        record(
            actor=user,
            action=AuditAction.TOKEN_ISSUED,
            obj=user,
            detail={"expires": instance.expiry.isoformat(), "token_prefix": instance.token_key},
        )
        self.stdout.write(f"Token for {user.email}, expires {instance.expiry:%Y-%m-%d}:")
        self.stdout.write(token)
