from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from accounts.notifications import api as notification_api
from assessments.assessments import api as assessments_api
from assessments.documents import api as document_api
from assessments.plans import api as plan_api
from assessments.reviews import api as review_api
from cases.episodes import api as episode_api
from cases.families import api as family_api
from cases.meetings import api as meeting_api
from cases.people import api as people_api
from cases.transitions import api as transition_api
from earlyhelp import views
from home.views import HomeView
from referrals.requests import api as referrals_api
from referrals.screening import api as screening_api
from thresholds import api as thresholds_api

admin.site.site_header = "Early Help administration"
admin.site.site_title = "Early Help administration"

router = DefaultRouter(trailing_slash=True)
router.register("agencies", accounts_api.AgencyViewSet, basename="agency")
router.register("localities", accounts_api.LocalityViewSet, basename="locality")
router.register("teams", accounts_api.TeamViewSet, basename="team")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("notifications", notification_api.NotificationViewSet, basename="notification")
router.register("people", people_api.PersonViewSet, basename="person")
router.register("merges", people_api.MergeViewSet, basename="merge")
router.register("families", family_api.FamilyViewSet, basename="family")
router.register("memberships", family_api.MembershipViewSet, basename="membership")
router.register("relationships", family_api.RelationshipViewSet, basename="relationship")
router.register("notes", family_api.NoteViewSet, basename="note")
router.register("episodes", episode_api.EpisodeViewSet, basename="episode")
router.register("taf-members", episode_api.TafMemberViewSet, basename="taf-member")
router.register("level-history", transition_api.LevelHistoryViewSet, basename="level-history")
router.register("meetings", meeting_api.MeetingViewSet, basename="meeting")
router.register("agenda-items", meeting_api.AgendaItemViewSet, basename="agenda-item")
router.register("transitions", transition_api.TransitionViewSet, basename="transition")
router.register("requests", referrals_api.RequestViewSet, basename="request")
router.register("triage-queue", screening_api.TriageQueueViewSet, basename="triage-queue")
router.register("thresholds", thresholds_api.FrameworkViewSet, basename="threshold-framework")
router.register(
    "assessment-templates",
    assessments_api.AssessmentTemplateViewSet,
    basename="assessment-template",
)
router.register("assessments", assessments_api.AssessmentViewSet, basename="assessment")
router.register(
    "assessment-sections", assessments_api.AssessmentSectionViewSet, basename="assessment-section"
)
router.register("family-plans", document_api.FamilyPlanDocumentViewSet, basename="family-plan")
router.register("plans", plan_api.PlanViewSet, basename="plan")
router.register("plan-outcomes", plan_api.PlanOutcomeViewSet, basename="plan-outcome")
router.register("plan-actions", plan_api.PlanActionViewSet, basename="plan-action")
router.register("reviews", review_api.ReviewViewSet, basename="review")

api_urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # Swagger UI sets style attributes from its scripts; only this page allows that.
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("accounts.urls")),
    path("", include("accounts.notifications.urls")),
    path("", include("cases.urls")),
    path("", include("cases.episodes.urls")),
    path("", include("cases.meetings.urls")),
    path("", include("cases.transitions.urls")),
    path("", include("referrals.urls")),
    path("", include("thresholds.urls")),
    path("", include("assessments.assessments.urls")),
    path("", include("assessments.plans.urls")),
    path("healthz/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
]

handler400 = "earlyhelp.views.bad_request"
handler403 = "earlyhelp.views.permission_denied"
handler404 = "earlyhelp.views.page_not_found"
handler500 = "earlyhelp.views.server_error"
