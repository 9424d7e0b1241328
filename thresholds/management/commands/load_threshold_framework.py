"""manage.py load_threshold_framework FILE [--publish]: import a council's framework."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.exceptions import ServiceError
from thresholds import services
from thresholds.loader import FrameworkFileError


class Command(BaseCommand):
    help = (
        "Import a threshold framework from a YAML or JSON file as a new draft version; "
        "with --publish, make it the current framework. Faults are listed by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The framework file (.yaml, .yml or .json).")
        parser.add_argument(
            "--publish", action="store_true", help="Publish it as the current framework."
        )

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            framework = services.framework_import(by=None, data=data, source_name=path.name)
        except FrameworkFileError as error:
            count = len(error.problems)
            self.stderr.write(str(error))
            raise CommandError(
                f"{path.name} is not a valid threshold framework "
                f"({count} problem{'s' if count != 1 else ''}); nothing was imported."
            ) from None
        self.stdout.write(
            f"Imported {path.name} as draft version {framework.version}: "
            f"{framework.levels.count()} levels, {framework.domains.count()} domains, "
            f"{framework.indicators.count()} indicators."
        )
        if publish:
            try:
                services.framework_publish(by=None, framework=framework)
            except ServiceError as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"Version {framework.version} is now the current framework.")
