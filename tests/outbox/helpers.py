from django.utils import timezone

from tests.referrals.request_helpers import professional_post as _professional_post


def professional_post(**overrides):
    """The professional form, with consent given today (whatever the suite's clock says)."""
    today = timezone.localdate()
    return _professional_post(
        consent_given_on_day=str(today.day),
        consent_given_on_month=str(today.month),
        consent_given_on_year=str(today.year),
        **overrides,
    )
