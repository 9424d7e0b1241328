from django.urls import path

from cases.families import views

# Named in the "cases" namespace: cases/urls.py includes them.
urlpatterns = [
    path("families/", views.FamilyListView.as_view(), name="family-list"),
    path("families/new/", views.FamilyCreateView.as_view(), name="family-create"),
    path("families/<uuid:uuid>/", views.FamilyDetailView.as_view(), name="family-detail"),
    path("families/<uuid:uuid>/edit/", views.FamilyEditView.as_view(), name="family-edit"),
    path("families/<uuid:uuid>/notes/", views.NoteListView.as_view(), name="note-list"),
    path("families/<uuid:uuid>/notes/add/", views.NoteAddView.as_view(), name="note-add"),
    path("families/<uuid:uuid>/members/add/", views.MemberAddView.as_view(), name="member-add"),
    path(
        "families/<uuid:uuid>/members/<int:pk>/leave/",
        views.MemberLeaveView.as_view(),
        name="member-leave",
    ),
    path(
        "families/<uuid:uuid>/relationships/add/",
        views.RelationshipAddView.as_view(),
        name="relationship-add",
    ),
    path(
        "families/<uuid:uuid>/relationships/<int:pk>/remove/",
        views.RelationshipRemoveView.as_view(),
        name="relationship-remove",
    ),
]
