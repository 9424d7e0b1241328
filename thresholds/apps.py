from django.apps import AppConfig


class ThresholdsConfig(AppConfig):
    name = "thresholds"
    verbose_name = "Continuum of need"

    def ready(self):
        from thresholds import access_rules

        access_rules.register()
