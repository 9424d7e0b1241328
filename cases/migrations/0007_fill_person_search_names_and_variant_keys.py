"""Move person search to stored name forms and county-wide variant keys.

Everyone already recorded gets their name forms (PersonSearchName); the variant keys
(phonetic codes, one-slip deletions, nickname groups) that each person held become one row
per name (NameVariantKey), and people keep only their exact keys. The forms and variants
come from cases.people.names as it is when this runs."""

from django.db import migrations
from django.db.models import Q

BATCH = 2000


def fill(apps, schema_editor):
    from cases.people import names

    Person = apps.get_model("cases", "Person")
    PersonName = apps.get_model("cases", "PersonName")
    PersonSearchName = apps.get_model("cases", "PersonSearchName")
    other_names = {}
    for other in PersonName.objects.order_by("pk"):
        other_names.setdefault(other.person_id, []).append(other)
    people = Person.objects.filter(merged_into__isnull=True).order_by("pk")
    rows = []
    for person in people.iterator(chunk_size=BATCH):
        forms = [("name", person.given_name, person.family_name)]
        if person.middle_names:
            forms.append(
                ("middle", f"{person.given_name} {person.middle_names}", person.family_name)
            )
        if person.known_as:
            forms.append(("known_as", person.known_as, person.family_name))
        for other in other_names.get(person.pk, []):
            forms.append(
                (
                    "previous" if other.name_type == "previous" else "alias",
                    other.given_name or person.given_name,
                    other.family_name or person.family_name,
                )
            )
        seen = set()
        for source, given, family in forms:
            given_forms, family_forms = names.analyse(given), names.analyse(family)
            if (given_forms, family_forms) in seen or not (given_forms or family_forms):
                continue
            seen.add((given_forms, family_forms))
            rows.append(
                PersonSearchName(
                    person_id=person.pk,
                    source=source,
                    given_forms=given_forms.as_json() if given_forms else None,
                    family_forms=family_forms.as_json() if family_forms else None,
                )
            )
        if len(rows) >= BATCH:
            PersonSearchName.objects.bulk_create(rows)
            rows = []
    PersonSearchName.objects.bulk_create(rows)

    PersonSearchKey = apps.get_model("cases", "PersonSearchKey")
    NameVariantKey = apps.get_model("cases", "NameVariantKey")
    exact = PersonSearchKey.objects.filter(Q(key__startswith="f:") | Q(key__startswith="g:"))
    variants = {
        (variant, key)
        for key in exact.values_list("key", flat=True).distinct().iterator()
        for variant in names.variant_keys(key)
    }
    NameVariantKey.objects.bulk_create(
        [NameVariantKey(key=key, exact_key=exact_key) for key, exact_key in sorted(variants)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    PersonSearchKey.objects.exclude(pk__in=exact.values("pk")).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_move_family_lines_out_of_general_minutes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
