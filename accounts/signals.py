"""Sign-in, sign-out and failed sign-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditAction
from audit.services import record


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    record(actor=user, action=AuditAction.SIGN_IN, obj=user)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action=AuditAction.SIGN_OUT, obj=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    # The typed email is kept so repeated attacks on one account can be seen; the
    # password never is (Django has already masked it in `credentials`).
    record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        actor_label=(credentials.get("username") or "")[:254],
    )
