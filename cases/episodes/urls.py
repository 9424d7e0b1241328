"""Episode pages, "My cases" and caseloads."""

from django.urls import path

from cases.episodes import views

app_name = "episodes"

urlpatterns = [
    path("my-cases/", views.MyCasesView.as_view(), name="my-cases"),
    path("caseloads/", views.CaseloadsView.as_view(), name="caseloads"),
    path("episodes/<uuid:uuid>/", views.EpisodeDetailView.as_view(), name="detail"),
    path("episodes/<uuid:uuid>/allocate/", views.AllocateView.as_view(), name="allocate"),
    path("episodes/<uuid:uuid>/reallocate/", views.ReallocateView.as_view(), name="reallocate"),
    path(
        "episodes/<uuid:uuid>/start-assessment/",
        views.StartAssessmentView.as_view(),
        name="start-assessment",
    ),
    path("episodes/<uuid:uuid>/flag/", views.FlagView.as_view(), name="flag"),
    path(
        "episodes/<uuid:uuid>/change-level/", views.ChangeLevelView.as_view(), name="change-level"
    ),
    path("episodes/<uuid:uuid>/taf/add/", views.TafMemberAddView.as_view(), name="taf-add"),
    path(
        "episodes/<uuid:uuid>/taf/<uuid:member_uuid>/end/",
        views.TafMemberEndView.as_view(),
        name="taf-end",
    ),
    path(
        "episodes/<uuid:uuid>/request-closure/",
        views.RequestClosureView.as_view(),
        name="request-closure",
    ),
    path(
        "episodes/<uuid:uuid>/approve-closure/",
        views.ApproveClosureView.as_view(),
        name="approve-closure",
    ),
    path(
        "episodes/<uuid:uuid>/decline-closure/",
        views.DeclineClosureView.as_view(),
        name="decline-closure",
    ),
    path("episodes/<uuid:uuid>/reopen/", views.ReopenView.as_view(), name="reopen"),
]
