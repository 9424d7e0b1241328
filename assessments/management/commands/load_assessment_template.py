"""manage.py load_assessment_template FILE [--publish]: import a council's assessment form."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.assessments import services
from assessments.assessments.loader import TemplateFileError


class Command(BaseCommand):
    help = (
        "Import an assessment template from a YAML or JSON file as a new version; with "
        "--publish, new assessments use it. Faults are listed by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The template file (.yaml, .yml or .json).")
        parser.add_argument("--publish", action="store_true", help="Use it for new assessments.")

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            template = services.template_import(by=None, data=data, source_name=path.name)
        except TemplateFileError as error:
            count = len(error.problems)
            self.stderr.write(str(error))
            raise CommandError(
                f"{path.name} is not a valid assessment template "
                f"({count} problem{'s' if count != 1 else ''}); nothing was imported."
            ) from None
        sections = len(template.definition["sections"])
        self.stdout.write(
            f"Imported {path.name} as version {template.version}: {sections} sections."
        )
        if publish:
            services.template_publish(by=None, template=template)
            self.stdout.write(f"Version {template.version} is now used for new assessments.")
