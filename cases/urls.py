"""The pages of case records: families and people, under the one namespace ("cases:")."""

from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("cases.families.urls")),
    path("", include("cases.people.urls")),
]
