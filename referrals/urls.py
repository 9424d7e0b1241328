"""The front door's pages, under one namespace ("referrals:"): asking for support, then
triage (screening and deciding)."""

from referrals.requests import urls as requests
from referrals.screening import urls as screening

app_name = "referrals"

urlpatterns = [*requests.urlpatterns, *screening.urlpatterns]
