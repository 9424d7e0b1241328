from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Families, people and episodes"

    def ready(self):
        from cases import access_rules, signals  # noqa: F401

        access_rules.register()
