"""Reads of the directory, already filtered by the access policy and prefetched."""

from django.db.models import Count, Prefetch, Q

from accounts.models import Agency, Locality, Team, User
from earlyhelp import access


def _with_team_count(queryset):
    # Ordered explicitly: an aggregate drops Meta.ordering, and pages must not shuffle.
    return queryset.annotate(
        team_count=Count("teams", filter=Q(teams__archived_on__isnull=True), distinct=True)
    ).order_by("name")


def agencies_for(user):
    return _with_team_count(access.visible(user, Agency.objects.all()))


def localities_for(user):
    return _with_team_count(access.visible(user, Locality.objects.all()))


def teams_for(user):
    return access.visible(user, Team.objects.all()).select_related("agency", "locality")


def team_detail_for(user):
    return teams_for(user).prefetch_related(
        Prefetch("managers", queryset=User.objects.select_related("agency")),
        Prefetch("members", queryset=User.objects.select_related("agency")),
    )


def users_for(user):
    return access.visible(user, User.objects.all()).select_related("agency")


def user_detail_for(user):
    """A colleague's record, with only the teams whose membership the viewer may see."""
    visible_teams = access.team_members_visible_to(user).select_related("agency", "locality")
    return users_for(user).prefetch_related(
        Prefetch(
            "teams",
            queryset=Team.objects.filter(pk__in=visible_teams.values("pk")).select_related(
                "agency", "locality"
            ),
            to_attr="visible_teams",
        ),
        Prefetch(
            "managed_teams",
            queryset=Team.objects.filter(pk__in=visible_teams.values("pk")).select_related(
                "agency", "locality"
            ),
            to_attr="visible_managed_teams",
        ),
        "groups",
    )


def me(user):
    """The signed-in user's own record with everything the home page and /api/me/ show."""
    return (
        User.objects.select_related("agency")
        .prefetch_related(
            Prefetch("teams", queryset=Team.objects.select_related("agency", "locality")),
            Prefetch("managed_teams", queryset=Team.objects.select_related("agency", "locality")),
            "groups",
        )
        .get(pk=user.pk)
    )
