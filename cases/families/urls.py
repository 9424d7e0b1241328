from django.urls import path

from cases.families import views

app_name = "cases"

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
    path("people/search/", views.SearchView.as_view(), name="search"),
    path("people/new/", views.PersonCreateView.as_view(), name="person-create"),
    path("people/<uuid:uuid>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<uuid:uuid>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path("people/<uuid:uuid>/birth/", views.PersonBirthView.as_view(), name="person-birth"),
    path(
        "people/<uuid:uuid>/names/add/", views.PersonNameAddView.as_view(), name="person-name-add"
    ),
    path(
        "people/<uuid:uuid>/addresses/add/",
        views.PersonAddressAddView.as_view(),
        name="person-address-add",
    ),
    path(
        "people/<uuid:uuid>/join-family/",
        views.family_membership_redirect,
        name="person-join-family",
    ),
    path("people/<uuid:uuid>/merge/", views.MergeView.as_view(), name="person-merge"),
    path("merges/<uuid:uuid>/undo/", views.MergeUndoView.as_view(), name="merge-undo"),
]
