"""Who the user is: their roles, fetched once per user object."""

from accounts.models import Role

PRACTICE_ROLES = (
    Role.PRACTITIONER,
    Role.TRIAGE_OFFICER,
    Role.LOCALITY_MANAGER,
    Role.SOCIAL_WORKER,
    Role.PARTNER_AGENCY_USER,
)
CASE_OWNING_ROLES = (
    Role.PRACTITIONER,
    Role.TRIAGE_OFFICER,
    Role.LOCALITY_MANAGER,
    Role.SOCIAL_WORKER,
)


def roles(user) -> frozenset[str]:
    """The user's role names, fetched once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, *wanted: Role) -> bool:
    return bool(roles(user) & {str(role) for role in wanted})


def is_system_administrator(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR) or bool(
        getattr(user, "is_superuser", False) and user.is_active
    )
