from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Agencies, teams and users"

    def ready(self):
        from accounts import access_rules, signals  # noqa: F401

        access_rules.register()
