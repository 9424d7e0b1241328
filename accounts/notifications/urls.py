from django.urls import path

from accounts.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="read-all"),
    path("notifications/<uuid:uuid>/read/", views.NotificationReadView.as_view(), name="read"),
]
