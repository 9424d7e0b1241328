"""The family plan PDF pages. Included in `assessments.assessments.urls`, so their names
stay under "assessments:" (assessments:family-plan-request, assessments:family-plan-download)."""

from django.urls import path

from assessments.documents import views

urlpatterns = [
    path(
        "plans/<uuid:uuid>/family-plan/",
        views.FamilyPlanRequestView.as_view(),
        name="family-plan-request",
    ),
    path(
        "family-plans/<uuid:uuid>/download/",
        views.FamilyPlanDownloadView.as_view(),
        name="family-plan-download",
    ),
]
