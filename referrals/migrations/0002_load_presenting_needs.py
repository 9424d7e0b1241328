"""Load the presenting needs from referrals/data/presenting_needs.yaml."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "presenting_needs.yaml"


def load(apps, schema_editor):
    PresentingNeed = apps.get_model("referrals", "PresentingNeed")
    for order, item in enumerate(yaml.safe_load(DATA.read_text()), start=1):
        PresentingNeed.objects.update_or_create(
            code=item["code"],
            defaults={
                "label": item["label"],
                "order": item.get("order", order * 10),
                "disabled_on": item.get("disabled_on"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
