from django.urls import path

from assessments.assessments import views
from assessments.documents import urls as document_urls

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
    # The family plan PDFs, named under "assessments:" as they have always been.
    *document_urls.urlpatterns,
]
