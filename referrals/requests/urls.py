from django.urls import path

from referrals.requests import views
from referrals.screening import views as screening_views

app_name = "referrals"

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request-create"),
    path("requests/<uuid:uuid>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("requests/<uuid:uuid>/withdraw/", views.WithdrawView.as_view(), name="request-withdraw"),
    path(
        "requests/<uuid:uuid>/attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path("request-support/", views.PublicRequestView.as_view(), name="public-request"),
    path("request-support/sent/", views.PublicSentView.as_view(), name="public-sent"),
    # Triage (screening and deciding)
    path("triage/", screening_views.TriageQueueView.as_view(), name="triage-queue"),
    path("triage/<uuid:uuid>/", screening_views.ScreeningView.as_view(), name="screening"),
    path("triage/<uuid:uuid>/claim/", screening_views.ClaimView.as_view(), name="claim"),
    path("triage/<uuid:uuid>/assign/", screening_views.AssignView.as_view(), name="assign"),
    path(
        "triage/<uuid:uuid>/people/<int:person_pk>/match/",
        screening_views.MatchView.as_view(),
        name="screening-match",
    ),
    path(
        "triage/<uuid:uuid>/people/<int:person_pk>/create/",
        screening_views.CreatePersonView.as_view(),
        name="screening-create-person",
    ),
    path(
        "triage/<uuid:uuid>/family/",
        screening_views.FamilyLinkView.as_view(),
        name="screening-family",
    ),
    path(
        "triage/<uuid:uuid>/family/create/",
        screening_views.FamilyCreateView.as_view(),
        name="screening-create-family",
    ),
    path(
        "triage/<uuid:uuid>/checks/",
        screening_views.CheckAddView.as_view(),
        name="screening-check-add",
    ),
    path(
        "triage/<uuid:uuid>/checks/<uuid:check_uuid>/answer/",
        screening_views.CheckAnswerView.as_view(),
        name="screening-check-answer",
    ),
    path(
        "triage/<uuid:uuid>/consent/",
        screening_views.ConsentView.as_view(),
        name="screening-consent",
    ),
    path("triage/<uuid:uuid>/notes/", screening_views.NotesView.as_view(), name="screening-notes"),
    path(
        "triage/<uuid:uuid>/indicators/",
        screening_views.IndicatorsView.as_view(),
        name="screening-indicators",
    ),
    path("triage/<uuid:uuid>/decide/", screening_views.DecideView.as_view(), name="decide"),
    path("triage/<uuid:uuid>/decision/", screening_views.DecisionView.as_view(), name="decision"),
]
