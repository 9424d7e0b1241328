"""Load and publish the default Early Help Assessment template (assessments/assessments/data)."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.assessments import loader

    AssessmentTemplate = apps.get_model("assessments", "AssessmentTemplate")
    if AssessmentTemplate.objects.exists():
        return
    spec = loader.load_default()
    AssessmentTemplate.objects.create(
        version=1,
        name=spec.name,
        definition=spec.as_dict(),
        source_name=loader.DEFAULT_TEMPLATE.name,
        is_current=True,
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
