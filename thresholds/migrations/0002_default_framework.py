"""Load and publish the default four-level framework, unless a framework already exists.

Uses the migration's historical models, not the services, so it keeps working as the
models change; the loader touches no database.
"""

from django.db import migrations
from django.utils import timezone


def load_default_framework(apps, schema_editor):
    from thresholds import loader

    Framework = apps.get_model("thresholds", "Framework")
    Level = apps.get_model("thresholds", "Level")
    Domain = apps.get_model("thresholds", "Domain")
    Indicator = apps.get_model("thresholds", "Indicator")
    if Framework.objects.exists():
        return
    spec = loader.load_file(loader.DEFAULT_FRAMEWORK)
    now = timezone.now()
    framework = Framework.objects.create(
        version=1,
        name=spec.name,
        description=spec.description,
        source_name=loader.DEFAULT_FRAMEWORK.name,
        published_at=now,
        is_current=True,
    )
    levels = {
        item.rank: Level.objects.create(
            framework=framework,
            rank=item.rank,
            name=item.name,
            description=item.description,
            colour=item.colour,
            statutory=item.statutory,
        )
        for item in spec.levels
    }
    domains = {
        item.key: Domain.objects.create(
            framework=framework,
            key=item.key,
            name=item.name,
            description=item.description,
            position=position,
        )
        for position, item in enumerate(spec.domains)
    }
    Indicator.objects.bulk_create(
        Indicator(
            framework=framework,
            domain=domains[item.domain],
            level=levels[item.level],
            text=item.text,
            position=position,
        )
        for position, item in enumerate(spec.indicators)
    )


class Migration(migrations.Migration):
    dependencies = [("thresholds", "0001_initial")]

    operations = [migrations.RunPython(load_default_framework, migrations.RunPython.noop)]
