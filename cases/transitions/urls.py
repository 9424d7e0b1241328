from django.urls import path

from cases.transitions import views

app_name = "transitions"

urlpatterns = [
    path("transitions/", views.TransitionListView.as_view(), name="list"),
    path("transitions/<uuid:uuid>/", views.TransitionDetailView.as_view(), name="detail"),
    path("transitions/<uuid:uuid>/approve/", views.ApproveView.as_view(), name="approve"),
    path("transitions/<uuid:uuid>/decline/", views.DeclineView.as_view(), name="decline"),
    path("transitions/<uuid:uuid>/accept/", views.AcceptView.as_view(), name="accept"),
    path("transitions/<uuid:uuid>/reject/", views.RejectView.as_view(), name="reject"),
    path(
        "episodes/<uuid:uuid>/step-up/",
        views.StepUpRequestView.as_view(),
        name="step-up-request",
    ),
    path(
        "families/<uuid:uuid>/step-down/",
        views.StepDownRequestView.as_view(),
        name="step-down-request",
    ),
]
