from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.SignedOutView.as_view(), name="signed-out"),
    path("session/extend/", views.ExtendSessionView.as_view(), name="extend-session"),
    path("account/password/", views.ChangePasswordView.as_view(), name="change-password"),
    path("directory/agencies/", views.AgencyListView.as_view(), name="agency-list"),
    path("directory/agencies/<uuid:uuid>/", views.AgencyDetailView.as_view(), name="agency-detail"),
    path("directory/localities/", views.LocalityListView.as_view(), name="locality-list"),
    path(
        "directory/localities/<uuid:uuid>/",
        views.LocalityDetailView.as_view(),
        name="locality-detail",
    ),
    path("directory/teams/", views.TeamListView.as_view(), name="team-list"),
    path("directory/teams/<uuid:uuid>/", views.TeamDetailView.as_view(), name="team-detail"),
    path("directory/people/", views.UserListView.as_view(), name="user-list"),
    path("directory/people/<uuid:uuid>/", views.UserDetailView.as_view(), name="user-detail"),
]
