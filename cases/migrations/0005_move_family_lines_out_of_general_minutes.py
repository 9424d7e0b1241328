"""Existing meetings' minutes were one text, often a line per family ("Hughes family:
Refer to a named service. Mother wants…"), shown to every attendee. Each line that names a
family on the meeting's agenda moves to that family's agenda item (its minute of the
discussion), shown only to those who may see the family; the rest stays as the general
minutes, which only the chair and the locality's managers now read. Nothing is lost: a
line naming two agenda families is copied to both. No reverse: the split cannot be undone
reliably, and the data stays where it was moved."""

import re

from django.db import migrations


def _names(family_name):
    """The family's name as typed, and without a leading "The" ("The Hughes family" is
    written "Hughes family" too)."""
    name = family_name.strip()
    names = {name}
    if name.lower().startswith("the "):
        names.add(name[4:].strip())
    return [n for n in names if n]


def move_family_lines(apps, schema_editor):
    AllocationMeeting = apps.get_model("cases", "AllocationMeeting")
    AgendaItem = apps.get_model("cases", "AgendaItem")
    for meeting in AllocationMeeting.objects.exclude(minutes="").iterator():
        items = list(AgendaItem.objects.filter(meeting=meeting).select_related("episode__family"))
        patterns = [
            (
                item,
                re.compile(
                    "|".join(re.escape(n) for n in _names(item.episode.family.name)), re.IGNORECASE
                ),
            )
            for item in items
        ]
        kept, moved = [], {}
        for line in meeting.minutes.splitlines():
            naming = [item for item, pattern in patterns if line.strip() and pattern.search(line)]
            if not naming:
                kept.append(line)
                continue
            for item in naming:
                moved.setdefault(item.pk, (item, []))[1].append(line.strip())
        if not moved:
            continue
        for item, lines in moved.values():
            item.discussion = "\n".join(filter(None, [item.discussion.strip(), *lines]))
            item.save(update_fields=["discussion"])
        meeting.minutes = "\n".join(kept).strip()
        meeting.save(update_fields=["minutes"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_links_to_referrals_and_thresholds"),
    ]

    operations = [migrations.RunPython(move_family_lines, migrations.RunPython.noop)]
