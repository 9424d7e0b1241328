from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments, plans and reviews"

    def ready(self):
        from assessments import access_rules

        access_rules.register()

        from assessments.models import Assessment, AssessmentSection
        from cases.people.services import register_merge_link

        # A merge moves assessments to the surviving record (and undo moves them back).
        for model in (AssessmentSection, Assessment.children.through, Assessment.adults.through):
            register_merge_link(model, "person")
