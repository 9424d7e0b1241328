"""The review pages. Included in `assessments.plans.urls`, so their names stay under
"plans:" (plans:review-record, plans:review-detail)."""

from django.urls import path

from assessments.reviews import views

urlpatterns = [
    path("plans/<uuid:uuid>/review/", views.ReviewRecordView.as_view(), name="review-record"),
    path("reviews/<uuid:uuid>/", views.ReviewDetailView.as_view(), name="review-detail"),
]
