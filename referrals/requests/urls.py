from django.urls import path

from referrals.requests import views

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
]
