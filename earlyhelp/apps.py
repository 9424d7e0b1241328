from django.contrib.admin.apps import AdminConfig


class EarlyHelpAdminConfig(AdminConfig):
    default_site = "earlyhelp.admin.EarlyHelpAdminSite"
