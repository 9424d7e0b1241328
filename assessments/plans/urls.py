from django.urls import path

from assessments.plans import views
from assessments.reviews import urls as review_urls

app_name = "plans"

urlpatterns = [
    path("episodes/<uuid:uuid>/plan/start/", views.StartView.as_view(), name="start"),
    path("plans/<uuid:uuid>/", views.PlanDetailView.as_view(), name="detail"),
    path("plans/<uuid:uuid>/edit/", views.PlanEditView.as_view(), name="edit"),
    path("plans/<uuid:uuid>/agree/", views.AgreeView.as_view(), name="agree"),
    path("plans/<uuid:uuid>/new-version/", views.NewVersionView.as_view(), name="new-version"),
    path("plans/<uuid:uuid>/outcomes/add/", views.OutcomeView.as_view(), name="outcome-add"),
    path(
        "plans/<uuid:uuid>/outcomes/<uuid:outcome_uuid>/",
        views.OutcomeView.as_view(),
        name="outcome-change",
    ),
    path(
        "plans/<uuid:uuid>/outcomes/<uuid:outcome_uuid>/remove/",
        views.OutcomeRemoveView.as_view(),
        name="outcome-remove",
    ),
    path("plans/<uuid:uuid>/actions/add/", views.ActionView.as_view(), name="action-add"),
    path(
        "plans/<uuid:uuid>/actions/<uuid:action_uuid>/",
        views.ActionView.as_view(),
        name="action-change",
    ),
    path(
        "plans/<uuid:uuid>/actions/<uuid:action_uuid>/remove/",
        views.ActionRemoveView.as_view(),
        name="action-remove",
    ),
    path(
        "plans/<uuid:uuid>/actions/<uuid:action_uuid>/status/",
        views.ActionStatusView.as_view(),
        name="action-status",
    ),
    # Reviews of the plan, named under "plans:" as they have always been.
    *review_urls.urlpatterns,
]
