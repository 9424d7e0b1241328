from django.urls import path

from thresholds import views

app_name = "thresholds"

urlpatterns = [
    path("thresholds/", views.CurrentFrameworkView.as_view(), name="current"),
    path(
        "thresholds/versions/<uuid:uuid>/",
        views.FrameworkVersionView.as_view(),
        name="version",
    ),
]
