"""Scopes: the teams and localities a user works in or manages, each fetched once per user
object so a list asks its questions at a fixed number of queries."""

from django.db.models import Q

from accounts.models import Role, Team
from earlyhelp.access.grants import granted_team_members_view
from earlyhelp.access.roles import has_role, is_system_administrator


def case_team_ids(user) -> frozenset[int]:
    """Teams whose case records the user works on: teams they belong to or manage, and as
    a locality manager, every team in the localities of the teams they manage."""
    cached = getattr(user, "case_team_ids", None)
    if cached is None:
        own = Q(members=user) | Q(managers=user)
        if has_role(user, Role.LOCALITY_MANAGER):
            own |= Q(locality__in=managed_localities(user))
        cached = frozenset(Team.objects.filter(own).values_list("pk", flat=True))
        user.case_team_ids = cached
    return cached


def managed_localities(user):
    """The localities of the teams the user manages, as a subquery (a locality manager
    manages those localities: `managed_locality_ids`)."""
    return Team.objects.filter(managers=user, locality__isnull=False).values("locality")


def managing_team_ids(user) -> frozenset[int]:
    """Teams the user manages, and as a locality manager, every team in their localities."""
    cached = getattr(user, "managing_team_ids", None)
    if cached is None:
        managed = Q(managers=user)
        if has_role(user, Role.LOCALITY_MANAGER):
            managed |= Q(locality__in=managed_localities(user))
        cached = frozenset(Team.objects.filter(managed).values_list("pk", flat=True))
        user.managing_team_ids = cached
    return cached


def managed_locality_ids(user) -> frozenset[int]:
    """Localities the user manages as a locality manager."""
    cached = getattr(user, "managed_locality_ids", None)
    if cached is None:
        cached = frozenset()
        if has_role(user, Role.LOCALITY_MANAGER):
            cached = frozenset(
                pk for pk in managed_localities(user).values_list("locality", flat=True) if pk
            )
        user.managed_locality_ids = cached
    return cached


def directly_managed_team_ids(user) -> frozenset[int]:
    """Teams the user manages themselves (not through their locality)."""
    cached = getattr(user, "directly_managed_team_ids", None)
    if cached is None:
        cached = frozenset(Team.objects.filter(managers=user).values_list("pk", flat=True))
        user.directly_managed_team_ids = cached
    return cached


def team_members_visible_to(user):
    """The teams whose members and managers `user` may see (for list pages and the API)."""
    teams = Team.objects.all()
    if is_system_administrator(user):
        return teams
    own = Q(members=user) | Q(managers=user)
    in_managed_locality = (
        Q(locality__in=managed_localities(user))
        if has_role(user, Role.LOCALITY_MANAGER)
        else Q(pk__in=[])
    )
    granted = granted_team_members_view(user)
    return teams.filter(own | in_managed_locality | Q(pk__in=granted)).distinct()
