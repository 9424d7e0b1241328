"""What the commands that import a council's data file (YAML or JSON) share: read the file,
list every fault by line or say what was imported, and publish it when asked."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.linefiles import FileProblems


class ImportFileCommand(BaseCommand):
    """`manage.py <command> FILE [--publish]`. A subclass names what the file holds and
    how to import, describe and publish it."""

    noun = ""  # what the file holds, its last word naming the file: "assessment template"
    publish_help = ""

    def add_arguments(self, parser):
        kind = self.noun.split()[-1]
        parser.add_argument("file", help=f"The {kind} file (.yaml, .yml or .json).")
        parser.add_argument("--publish", action="store_true", help=self.publish_help)

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            imported = self.load(data, source_name=path.name)
        except FileProblems as error:
            count = len(error.problems)
            self.stderr.write(str(error))
            raise CommandError(
                f"{path.name} is not a valid {self.noun} "
                f"({count} problem{'s' if count != 1 else ''}); nothing was imported."
            ) from None
        self.stdout.write(f"Imported {path.name} as {self.describe(imported)}.")
        if publish:
            self.publish(imported)

    def load(self, data, *, source_name):
        raise NotImplementedError

    def describe(self, imported):
        """What was imported, after "Imported FILE as "."""
        raise NotImplementedError

    def publish(self, imported):
        raise NotImplementedError
