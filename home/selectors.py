"""What the home page lists and counts for one user, read through each app's own selectors
so the access policy filters every count. It sits above the domains: the foundation
(accounts, audit, outbox, earlyhelp) imports neither them nor this."""

from django.db.models import Count, Q

from accounts.models import Agency, Locality, Team, User
from cases.families.selectors import families_for
from cases.people.selectors import people_for


def teams_of(me):
    """The teams the user is in or manages, by name, each with whether they manage it."""
    managed = set(me.managed_teams.all())
    return [
        (team, team in managed)
        for team in sorted(managed | set(me.teams.all()), key=lambda team: team.name)
    ]


def case_counts_for(user):
    """How many families and people the user's teams' records hold, as they may see them."""
    return {
        "families": families_for(user).count(),
        "people": people_for(user).count(),
    }


def directory_counts():
    """The directory in use, for those who configure it."""
    return {
        "agencies": Agency.objects.current().count(),
        "localities": Locality.objects.current().count(),
        "teams": Team.objects.current().count(),
        "users": User.objects.aggregate(
            active=Count("pk", filter=Q(is_active=True)),
            inactive=Count("pk", filter=Q(is_active=False)),
        ),
    }
