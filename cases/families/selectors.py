"""Reads of case records, already filtered by the access policy and prefetched."""

from django.db.models import Count, Prefetch, Q

from cases.models import (
    CaseNote,
    Episode,
    Family,
    FamilyMembership,
    Person,
    PersonMerge,
    Relationship,
)
from earlyhelp import access
from thresholds.models import LevelChange


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


def people_for(user):
    return (
        access.visible(user, Person.objects.live())
        .select_related("owning_team")
        .order_by("family_name", "given_name", "id")
    )


def person_detail_for(user):
    """Tombstones are included: their page points to the record they were merged into.
    Households are those the user may see: others are not named."""
    memberships = (
        FamilyMembership.objects.filter(family__in=access.visible(user, Family.objects.all()))
        .select_related("family")
        .order_by("left_on", "-id")
    )
    return (
        access.visible(user, Person.objects.all())
        .select_related("owning_team", "owning_team__agency", "merged_into")
        .prefetch_related(
            "other_names",
            "addresses",
            Prefetch("memberships", queryset=memberships),
            Prefetch(
                "relationships_from",
                queryset=Relationship.objects.select_related("to_person", "family"),
            ),
            Prefetch(
                "relationships_to",
                queryset=Relationship.objects.select_related("from_person", "family"),
            ),
        )
    )


def merges_for(user, person):
    """Merges this person took part in, newest first (for the person page and undo)."""
    visible = access.visible(user, Person.objects.all())
    return (
        PersonMerge.objects.filter(Q(survivor=person) | Q(duplicate=person))
        .filter(survivor__in=visible)
        .select_related("survivor", "duplicate", "merged_by", "undone_by")
    )
