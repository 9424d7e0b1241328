from django.urls import path

from cases.people import views

# Named in the "cases" namespace: cases/urls.py includes them.
urlpatterns = [
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
