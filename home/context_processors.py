"""The menu on every page: links into each app the user's roles use. Above the domains,
since it names their pages and asks whether the user is in any allocation meeting."""

from django.urls import reverse

from accounts.models import Role
from cases.meetings import selectors as meeting_selectors
from earlyhelp import access


def _navigation(request):
    # Error pages for requests refused before authentication (a bad Host) have no user.
    user = getattr(request, "user", None)
    if not access.can(user, access.Permission.USE_SERVICE):
        return []
    # (text, link, the path prefix under which the item is the current one)
    items = [
        ("Home", reverse("home"), None),
    ]
    if access.has_role(user, *access.PRACTICE_ROLES):
        items += [
            ("My cases", reverse("episodes:my-cases"), "/my-cases/"),
            ("Find a person", reverse("cases:search"), "/people/"),
            ("Families", reverse("cases:family-list"), "/families/"),
            ("Requests", reverse("referrals:request-list"), "/requests/"),
        ]
    if access.has_role(user, Role.TRIAGE_OFFICER):
        items.append(("Triage queue", reverse("referrals:triage-queue"), "/triage/"))
    if access.has_role(user, Role.LOCALITY_MANAGER):
        items += [
            ("Caseloads", reverse("episodes:caseloads"), "/caseloads/"),
            ("Meetings", reverse("meetings:list"), "/meetings/"),
        ]
    elif access.has_role(user, *access.PRACTICE_ROLES) and meeting_selectors.meetings_in_menu(
        request, user
    ):
        # Those who chair or attend a meeting.
        items.append(("Meetings", reverse("meetings:list"), "/meetings/"))
    if access.has_role(user, *access.PRACTICE_ROLES):
        items.append(("Step up and down", reverse("transitions:list"), "/transitions/"))
        items.append(("Notifications", reverse("notifications:list"), "/notifications/"))
    items.append(("Directory", reverse("accounts:agency-list"), "/directory/"))
    if access.can(user, access.Permission.CONFIGURE):
        items.append(("Administration", reverse("admin:index"), "/admin/"))
    # The API documentation is linked from every page's footer.
    current = request.path
    return [
        {
            "text": text,
            "href": href,
            "active": current.startswith(prefix) if prefix else current == href,
        }
        for text, href, prefix in items
    ]


def navigation(request):
    return {"navigation": _navigation(request)}
