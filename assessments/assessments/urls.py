from django.urls import path

from assessments.assessments import views
from assessments.documents import views as document_views

app_name = "assessments"

urlpatterns = [
    path("episodes/<uuid:uuid>/assessment/start/", views.StartView.as_view(), name="start"),
    path("assessments/<uuid:uuid>/", views.AssessmentDetailView.as_view(), name="detail"),
    path("assessments/<uuid:uuid>/submit/", views.SubmitView.as_view(), name="submit"),
    path("assessments/<uuid:uuid>/approve/", views.ApproveView.as_view(), name="approve"),
    path("assessments/<uuid:uuid>/return/", views.ReturnView.as_view(), name="return"),
    path(
        "assessments/<uuid:uuid>/new-version/", views.NewVersionView.as_view(), name="new-version"
    ),
    path("assessments/<uuid:uuid>/compare/", views.CompareView.as_view(), name="compare"),
    path(
        "assessments/<uuid:uuid>/sections/<uuid:section_uuid>/",
        views.SectionView.as_view(),
        name="section",
    ),
    path(
        "plans/<uuid:uuid>/family-plan/",
        document_views.FamilyPlanRequestView.as_view(),
        name="family-plan-request",
    ),
    path(
        "family-plans/<uuid:uuid>/download/",
        document_views.FamilyPlanDownloadView.as_view(),
        name="family-plan-download",
    ),
]
