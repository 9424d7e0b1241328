"""Reads of families, their members, relationships and notes, already filtered by the access
policy and prefetched."""

from django.db.models import Count, Prefetch, Q

from cases.models import CaseNote, Episode, Family, FamilyMembership, Relationship
from earlyhelp import access
from thresholds.models import LevelChange

Permission = access.Permission


def families_for(user):
    return (
        access.visible(user, Family.objects.all())
        .select_related("owning_team")
        .annotate(current_members=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("name", "id")
    )


def family_detail_for(user):
    memberships = FamilyMembership.objects.select_related("person").order_by(
        "left_on", "person__date_of_birth", "id"
    )
    relationships = Relationship.objects.select_related("from_person", "to_person")
    return (
        access.visible(user, Family.objects.all())
        .select_related("owning_team", "owning_team__agency")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships),
            Prefetch("relationships", queryset=relationships),
            Prefetch(
                "episodes",
                queryset=Episode.objects.select_related(
                    "locality", "level", "lead_professional", "team"
                ).order_by("closed_at", "-opened_at"),
            ),
            Prefetch(
                "level_changes",
                queryset=LevelChange.objects.select_related(
                    "from_level", "to_level", "changed_by"
                ).order_by("changed_at", "id"),
            ),
        )
    )


def get_family(user, uuid, *, for_change=False, permission=Permission.CHANGE_CASE_RECORD):
    """The family, if the user may see it (else 404); with `for_change`, 403 unless they
    may also do `permission` to it (change its record, or add a note)."""
    queryset = family_detail_for(user)
    if for_change:
        return access.get_for_change(user, queryset, permission, uuid=uuid)
    return access.get_for_user(user, queryset, uuid=uuid)


def memberships_for(user):
    return (
        access.visible(user, FamilyMembership.objects.all())
        .select_related("family", "person")
        .order_by("family__name", "family_id", "left_on", "id")
    )


def relationships_for(user):
    return (
        access.visible(user, Relationship.objects.all())
        .select_related("family", "from_person", "to_person")
        .order_by("family__name", "family_id", "id")
    )


def all_notes_for(user):
    """Every case note the user may see, whatever the family."""
    return (
        access.visible(user, CaseNote.objects.all())
        .select_related("author", "family")
        .prefetch_related("subjects")
    )


def notes_for(user, family, *, person=None, note_type=None, chronology=False):
    notes = (
        access.visible(user, CaseNote.objects.filter(family=family))
        .select_related("author", "family")
        .prefetch_related("subjects")
    )
    if chronology:
        notes = notes.chronology()
    if person is not None:
        # Who a restricted note concerns is part of what it restricts.
        readable = (
            Q(is_restricted=False)
            | Q(author=user)
            | Q(family__owning_team__in=access.managing_team_ids(user))
        )
        notes = notes.filter(readable, subjects=person)
    if note_type:
        notes = notes.filter(note_type=note_type)
    return notes
