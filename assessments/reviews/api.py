"""TAF reviews in the API (DESIGN section 5, step 5; issue 6 item 8).

As for plans (`assessments.plans.api`): reads are filtered by the access policy (404 for
what the user may not see) and audited; recording a review goes through
`assessments.reviews.services`, whose refusals answer 403 (not allowed) or 400 (with the
service's message). Reviews are a record of a meeting: they are not changed afterwards.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status

from assessments.models import Review
from assessments.reviews import selectors
from assessments.reviews import services as reviews
from assessments.reviews.serializers import (
    ReviewCreateSerializer,
    ReviewFilter,
    ReviewSerializer,
    review_errors,
)
from earlyhelp.viewsets import AuditedCaseViewSet


@extend_schema_view(
    list=extend_schema(summary="TAF reviews the user may see, latest first"),
    retrieve=extend_schema(summary="A TAF review: who came, progress per outcome, decision"),
    create=extend_schema(
        summary="Record a review of the plan in force and carry out its decision "
        "(lead professional)",
        description="Progress is needed on every outcome of the plan. Continue may start a "
        "new version of the plan (`new_plan_version`); step up asks for a step up "
        "(`step_up`); step down and close ask a manager to close the episode (`closure`). "
        "Problems with progress are under `errors.progress`, by outcome UUID. A review is "
        "not changed afterwards.",
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
    ),
)
class ReviewViewSet(AuditedCaseViewSet):
    detail_serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    http_method_names = ["get", "post", "head", "options"]

    def detail_queryset(self):
        return selectors.with_record(selectors.reviews_for(self.request.user))

    def detail_object(self, review):
        # The user has just recorded it: shown even if the episode has now left their view.
        return selectors.with_record(Review.objects.select_related(*selectors.REVIEW_RELATED)).get(
            pk=review.pk
        )

    def create(self, request):
        body = self.parse_body(ReviewCreateSerializer)
        step_up, closure = body.pop("step_up"), body.pop("closure")
        progress = [
            reviews.Progress(
                outcome=str(item["outcome"]),
                rag=item["rag"],
                score=item["score"],
                comment=item["comment"],
            )
            for item in body.pop("progress")
        ]
        try:
            review = reviews.review_record(
                by=request.user,
                progress=progress,
                step_up=reviews.StepUp(**step_up) if step_up else None,
                closure=reviews.Closure(**closure) if closure else None,
                **body,
            )
        except DjangoValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise exceptions.ValidationError(review_errors(error.message_dict)) from error
        return self.detail_response(review, status.HTTP_201_CREATED)
