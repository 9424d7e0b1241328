"""Reads of people's records and merges, already filtered by the access policy and prefetched."""

from django.db.models import Prefetch, Q

from cases.models import Family, FamilyMembership, Person, PersonMerge, Relationship
from earlyhelp import access

Permission = access.Permission


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


def get_person(user, uuid, *, for_change=False):
    """The person, if the user may see them (else 404); with `for_change`, 403 unless they
    may also change the record."""
    queryset = person_detail_for(user)
    if for_change:
        return access.get_for_change(user, queryset, Permission.CHANGE_CASE_RECORD, uuid=uuid)
    return access.get_for_user(user, queryset, uuid=uuid)


def merges_for(user):
    """Merges into records the user may see."""
    visible = access.visible(user, Person.objects.all())
    return PersonMerge.objects.filter(survivor__in=visible).select_related(
        "survivor", "duplicate", "merged_by", "undone_by"
    )


def merges_of(user, person):
    """Merges this person took part in (for the person page and undo)."""
    return merges_for(user).filter(Q(survivor=person) | Q(duplicate=person))
