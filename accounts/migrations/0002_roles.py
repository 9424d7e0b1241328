"""Create one group per role (DESIGN section 2). What a role may do lives in the access policy."""

from django.db import migrations

ROLE_NAMES = [
    "practitioner",
    "triage officer",
    "locality manager",
    "social worker",
    "partner agency user",
    "performance analyst",
    "system administrator",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
