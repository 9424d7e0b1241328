"""At sign-in, whether the menu shows Meetings to someone who is not a locality manager
(whether they chair or attend one), kept in their session: see meeting_selectors."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.models import Role
from cases.meetings import selectors as meeting_selectors
from earlyhelp import access


@receiver(user_logged_in, dispatch_uid="meetings_in_menu")
def remember_meetings_in_menu(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None or access.has_role(user, Role.LOCALITY_MANAGER):
        return
    if access.has_role(user, *access.PRACTICE_ROLES):
        meeting_selectors.remember_meetings_in_menu(session, user)
