"""The timeout warning on signed-in pages (the GOV.UK timeout warning pattern).

The page is told by the server how long its session has left and when to warn; the
script in static/js/session.mjs counts down, offers to stay signed in, and keeps what was
typed through a sign-in (see docs/decisions/0010-keeping-typed-work-through-sign-in.md).
"""

from django import template
from django.conf import settings
from django.utils.crypto import salted_hmac

register = template.Library()


def draft_key(user):
    """An opaque, stable id for the user: typed work kept in the browser is tied to it, so
    another person signing in on the same browser never gets it back. It reveals nothing
    about the user and cannot be guessed without the SECRET_KEY."""
    return salted_hmac("accounts.session_timeout.draft_key", str(user.uuid)).hexdigest()[:32]


def session_seconds_left(request):
    # The session is saved on every request (SESSION_SAVE_EVERY_REQUEST), so its expiry
    # is this request plus the inactivity timeout.
    return request.session.get_expiry_age()


@register.inclusion_tag("includes/session_timeout.html", takes_context=True)
def session_timeout_warning(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"signed_in": False}
    seconds_left = session_seconds_left(request)
    return {
        "signed_in": True,
        "csrf_token": context.get("csrf_token"),
        "seconds_left": seconds_left,
        "warning_seconds": min(settings.SESSION_TIMEOUT_WARNING_SECONDS, seconds_left),
        "draft_key": draft_key(user),
    }
