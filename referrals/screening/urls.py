from django.urls import path

from referrals.screening import views
from referrals.screening.decisions import views as decision_views

urlpatterns = [
    path("triage/", views.TriageQueueView.as_view(), name="triage-queue"),
    path("triage/<uuid:uuid>/", views.ScreeningView.as_view(), name="screening"),
    path("triage/<uuid:uuid>/claim/", views.ClaimView.as_view(), name="claim"),
    path("triage/<uuid:uuid>/assign/", views.AssignView.as_view(), name="assign"),
    path(
        "triage/<uuid:uuid>/people/<int:person_pk>/match/",
        views.MatchView.as_view(),
        name="screening-match",
    ),
    path(
        "triage/<uuid:uuid>/people/<int:person_pk>/create/",
        views.CreatePersonView.as_view(),
        name="screening-create-person",
    ),
    path(
        "triage/<uuid:uuid>/family/",
        views.FamilyLinkView.as_view(),
        name="screening-family",
    ),
    path(
        "triage/<uuid:uuid>/family/create/",
        views.FamilyCreateView.as_view(),
        name="screening-create-family",
    ),
    path(
        "triage/<uuid:uuid>/checks/",
        views.CheckAddView.as_view(),
        name="screening-check-add",
    ),
    path(
        "triage/<uuid:uuid>/checks/<uuid:check_uuid>/answer/",
        views.CheckAnswerView.as_view(),
        name="screening-check-answer",
    ),
    path(
        "triage/<uuid:uuid>/consent/",
        views.ConsentView.as_view(),
        name="screening-consent",
    ),
    path("triage/<uuid:uuid>/notes/", views.NotesView.as_view(), name="screening-notes"),
    path(
        "triage/<uuid:uuid>/indicators/",
        views.IndicatorsView.as_view(),
        name="screening-indicators",
    ),
    path("triage/<uuid:uuid>/decide/", decision_views.DecideView.as_view(), name="decide"),
    path("triage/<uuid:uuid>/decision/", decision_views.DecisionView.as_view(), name="decision"),
]
