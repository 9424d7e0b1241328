"""Build the fictional county of Brackenshire for demonstrations and trying the service.

Deterministic and idempotent: records are matched on natural keys, so running it again
changes nothing and keeps what people have added. First the directory (demo.directory),
then about 200 families of case records (demo.families: each family is keyed on its name
and postcode within its owning team), then about 50 requests for support at the front door
in every state, with the episodes they open or follow (demo.requests), then episodes in
every state in each locality, allocation meetings held and upcoming, step ups and step
downs (demo.episodes), and last assessments and plans (demo.assessments, demo.plans).
Refuses to run with DEBUG off unless told otherwise, since the demo users share one
documented password.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.assessments import seed_assessments
from demo.directory import DEMO_PASSWORD, seed_directory
from demo.episodes import seed_episodes
from demo.families import seed_families
from demo.plans import seed_plans
from demo.requests import seed_front_door


class Command(BaseCommand):
    help = "Create or refresh the Brackenshire demo directory: localities, agencies, teams, users"

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even with DEBUG off (never on a live service: demo passwords are public)",
        )
        parser.add_argument(
            "--directory-only",
            action="store_true",
            help="Seed only localities, agencies, teams and users, without the demo families "
            "and requests for support",
        )

    def handle(self, *args, allow_without_debug=False, directory_only=False, **options):
        from django.conf import settings

        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "seed_demo creates users with a published password. Run it with DEBUG=1, "
                "or pass --allow-without-debug on a machine that is not a live service."
            )
        with transaction.atomic():
            created = seed_directory()
            families = 0 if directory_only else seed_families(stdout=self.stdout)
        # In its own transaction, so the emails its services queue on commit go nowhere.
        requests = 0 if directory_only else seed_front_door(stdout=self.stdout)
        # Episodes, allocation meetings, step up and step down: after the front door, whose
        # families it leaves alone, and in its own transaction for the same reason.
        episodes = 0 if directory_only else seed_episodes(stdout=self.stdout)
        # Assessments of the episodes being assessed or with a plan in place.
        if not directory_only:
            seed_assessments(stdout=self.stdout)
            seed_plans(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Brackenshire demo ready: {created} new records, {families} new families, "
                f"{requests} new requests for support, {episodes} new episodes; "
                f"demo password '{DEMO_PASSWORD}'"
            )
        )
