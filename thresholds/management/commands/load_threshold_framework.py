"""manage.py load_threshold_framework FILE [--publish]: import a council's framework."""

from django.core.management.base import CommandError

from earlyhelp.exceptions import ServiceError
from earlyhelp.file_commands import ImportFileCommand
from thresholds import services


class Command(ImportFileCommand):
    help = (
        "Import a threshold framework from a YAML or JSON file as a new draft version; "
        "with --publish, make it the current framework. Faults are listed by line."
    )
    noun = "threshold framework"
    publish_help = "Publish it as the current framework."

    def load(self, data, *, source_name):
        return services.framework_import(by=None, data=data, source_name=source_name)

    def describe(self, framework):
        return (
            f"draft version {framework.version}: {framework.levels.count()} levels, "
            f"{framework.domains.count()} domains, {framework.indicators.count()} indicators"
        )

    def publish(self, framework):
        try:
            services.framework_publish(by=None, framework=framework)
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Version {framework.version} is now the current framework.")
