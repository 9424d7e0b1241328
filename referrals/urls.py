from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request-create"),
    path("requests/<uuid:uuid>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("request-support/", views.PublicRequestView.as_view(), name="public-request"),
    path("request-support/sent/", views.PublicSentView.as_view(), name="public-sent"),
]
