"""Explicit grants: django-guardian object permissions on one record (DESIGN section 7).

No view calls guardian itself; it asks the policy, and the policy reads grants here.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField
from django.db.models.functions import Cast
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from accounts.models import Team

# The guardian permission codename that grants VIEW_TEAM_MEMBERS on one team.
TEAM_MEMBERS_GRANT = "accounts.view_team_members"
# Explicit grants of access to one case record.
FAMILY_GRANT = "cases.view_family"
PERSON_GRANT = "cases.view_person"
# Explicit grants of change (which include reading): DESIGN section 7.
FAMILY_CHANGE_GRANT = "cases.change_family"
PERSON_CHANGE_GRANT = "cases.change_person"


def granted_ids(user, codenames, model):
    """Ids of `model` records granted to `user` by a guardian object permission (one
    codename, or several: a grant of any of them), as a subquery. Content types come from
    Django's in-process cache, so unlike guardian's get_objects_for_user this costs no query
    of its own."""
    if isinstance(codenames, str):
        codenames = (codenames,)
    return (
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename__in=[codename.split(".", 1)[1] for codename in codenames],
            content_type=ContentType.objects.get_for_model(model),
        )
        .annotate(granted_pk=Cast("object_pk", IntegerField()))
        .values("granted_pk")
    )


def granted_team_members_view(user):
    """Ids of the teams whose members `user` was granted to see, as a subquery."""
    return get_objects_for_user(
        user, TEAM_MEMBERS_GRANT, klass=Team, use_groups=False, with_superuser=False
    ).values("pk")


def grant_team_members_view(*, to_user, team):
    assign_perm(TEAM_MEMBERS_GRANT, to_user, team)


def revoke_team_members_view(*, from_user, team):
    remove_perm(TEAM_MEMBERS_GRANT, from_user, team)
