from django.urls import path

from cases.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/new/", views.MeetingScheduleView.as_view(), name="schedule"),
    path("meetings/<uuid:uuid>/", views.MeetingDetailView.as_view(), name="detail"),
    path(
        "meetings/<uuid:uuid>/agenda/refresh/",
        views.RefreshAgendaView.as_view(),
        name="refresh-agenda",
    ),
    path(
        "meetings/<uuid:uuid>/attendees/add/", views.AttendeeAddView.as_view(), name="attendee-add"
    ),
    path(
        "meetings/<uuid:uuid>/attendees/<int:pk>/remove/",
        views.AttendeeRemoveView.as_view(),
        name="attendee-remove",
    ),
    path(
        "meetings/<uuid:uuid>/items/<uuid:item_uuid>/decide/",
        views.ItemDecideView.as_view(),
        name="item-decide",
    ),
    path("meetings/<uuid:uuid>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path(
        "meetings/<uuid:uuid>/agenda.pdf",
        views.MeetingPdfView.as_view(kind="agenda"),
        name="agenda-pdf",
    ),
    path(
        "meetings/<uuid:uuid>/minutes.pdf",
        views.MeetingPdfView.as_view(kind="minutes"),
        name="minutes-pdf",
    ),
]
