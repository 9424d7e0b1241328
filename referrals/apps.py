from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Requests for support"

    def ready(self):
        from referrals import access_rules

        access_rules.register()

        from cases.people.services import register_merge_link
        from referrals.models import RequestPerson

        # A merge moves screening matches to the surviving record (and undo moves them back).
        register_merge_link(RequestPerson, "matched_person")
