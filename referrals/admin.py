from django.contrib import admin

from earlyhelp.admin import ConfigurationAdmin
from referrals.models import PresentingNeed


@admin.register(PresentingNeed)
class PresentingNeedAdmin(ConfigurationAdmin):
    """The controlled list of presenting needs: add to it, or retire an entry with a date."""

    search_fields = ["label", "code"]
    fields = ["code", "label", "order", "disabled_on"]
    list_display = ["label", "code", "order", "disabled_on"]
