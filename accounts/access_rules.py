"""The access policy's rules for the directory and notifications (see earlyhelp.access)."""

from django.db.models import Q

from accounts.models import Agency, Locality, Notification, Team, User
from earlyhelp import access


def users_visible(user, queryset):
    """Colleagues: oneself, one's agency, and the members and managers of teams one may see."""
    if access.is_system_administrator(user):
        return queryset
    teams = access.team_members_visible_to(user).values("pk")
    rule = Q(pk=user.pk) | Q(teams__in=teams) | Q(managed_teams__in=teams)
    if user.agency_id:
        rule |= Q(agency_id=user.agency_id)
    return queryset.filter(pk__in=User.objects.filter(rule).values("pk"))


def notifications_visible(user, queryset):
    """Notifications are their addressee's alone, whatever their role."""
    return queryset.filter(user=user)


def register():
    access.register_rules(
        {
            # The directory of organisations is open to every user of the service: a
            # practitioner must be able to find any agency, locality or team to contact.
            Agency: access.everyone,
            Locality: access.everyone,
            Team: access.everyone,
            User: users_visible,
            Notification: notifications_visible,
        }
    )
