"""manage.py load_assessment_template FILE [--publish]: import a council's assessment form."""

from assessments.assessments import services
from earlyhelp.file_commands import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import an assessment template from a YAML or JSON file as a new version; with "
        "--publish, new assessments use it. Faults are listed by line."
    )
    noun = "assessment template"
    publish_help = "Use it for new assessments."

    def load(self, data, *, source_name):
        return services.template_import(by=None, data=data, source_name=source_name)

    def describe(self, template):
        return f"version {template.version}: {len(template.definition['sections'])} sections"

    def publish(self, template):
        services.template_publish(by=None, template=template)
        self.stdout.write(f"Version {template.version} is now used for new assessments.")
