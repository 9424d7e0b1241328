"""Early Help Assessments, Team Around the Family plans and their reviews (DESIGN section 4,
assessments)."""

from assessments.models.assessment import (
    EDITABLE_STATUSES,
    FAMILY_SUBJECT,
    STATUS_COLOURS,
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    AssessmentTemplate,
)
from assessments.models.plan import (
    ActionStatus,
    FamilyPlanDocument,
    FamilyPlanDocumentStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    Rag,
    Review,
    ReviewDecision,
    ReviewProgress,
    SupportingFamiliesArea,
)

__all__ = [
    "EDITABLE_STATUSES",
    "FAMILY_SUBJECT",
    "STATUS_COLOURS",
    "ActionStatus",
    "Assessment",
    "AssessmentSection",
    "AssessmentStatus",
    "AssessmentTemplate",
    "FamilyPlanDocument",
    "FamilyPlanDocumentStatus",
    "Plan",
    "PlanAction",
    "PlanOutcome",
    "PlanStatus",
    "Rag",
    "Review",
    "ReviewDecision",
    "ReviewProgress",
    "SupportingFamiliesArea",
]
