"""Requests for support: the front door (DESIGN section 4, referrals).

A request holds what was asked, by whom, about whom (people typed in, matched to records
later by screening), the presenting needs, the family's consent and the urgency as the
requester judged it. Screening (claiming, matching people, checks with other agencies,
threshold indicators) and the decision follow; a decided request is never decided again.

Status changes only through `REQUEST_MOVES`, which checks `ALLOWED_MOVES`.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.people.identifiers import normalise_postcode, validate_postcode
from earlyhelp.models import TimeStampedModel, optional_reference
from earlyhelp.status import StatusMachine
from referrals.timescales import Urgency as Rag

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Files a request may carry, however they arrive: the forms offer this many file fields and
# say so, the API refuses more, and the README promises it ("up to three attachments").
MAX_ATTACHMENTS = 3

# Extension -> the first bytes a real file of that type starts with.
ATTACHMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),  # a DOCX is a zip archive
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ATTACHMENT_TYPES_TEXT = "PDF, Word (DOCX), JPEG or PNG"


def validate_attachment(file) -> None:
    """At most 10 MB, and a PDF, DOCX, JPEG or PNG by its name *and* its first bytes."""
    name = getattr(file, "name", "") or ""
    extension = Path(name).suffix.lower().lstrip(".")
    if extension not in ATTACHMENT_SIGNATURES:
        raise ValidationError(
            f"The selected file must be a {ATTACHMENT_TYPES_TEXT}", code="file_type"
        )
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("The selected file must be smaller than 10MB", code="file_size")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if not any(head.startswith(signature) for signature in ATTACHMENT_SIGNATURES[extension]):
        raise ValidationError(
            f"The selected file is not a real {extension.upper()} file: "
            f"it must be a {ATTACHMENT_TYPES_TEXT}",
            code="file_content",
        )


class PresentingNeedQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(disabled_on__isnull=True) | Q(disabled_on__gt=on))


class PresentingNeed(models.Model):
    """A controlled list, loaded from referrals/data/presenting_needs.yaml; a council may
    add its own. Retired needs get a `disabled_on` date and stay on old requests."""

    code = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    disabled_on = models.DateField(null=True, blank=True)

    objects = PresentingNeedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Source(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    NOT_GIVEN = "not_given", "Not given"
    NOT_ASKED = "not_asked", "Not asked yet"


class ConsentCovers(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment and support"
    SHARING = "sharing", "Sharing information between agencies"
    BOTH = "both", "Both: assessment and support, and sharing information between agencies"


class Urgency(models.TextChoices):
    """As the requester judges it. A child at risk of harm today is not a request for early
    help but a safeguarding referral: the forms say to contact the MASH or the police."""

    URGENT = "urgent", "Urgent: help is needed in the next day or so"
    SOON = "soon", "Soon: help is needed within a few days"
    ROUTINE = "routine", "Routine: help is needed but it can wait a week or two"


URGENCY_RAG = {Urgency.URGENT: Rag.RED, Urgency.SOON: Rag.AMBER, Urgency.ROUTINE: Rag.GREEN}


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_SCREENING = "in_screening", "In screening"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Which statuses each status may move to. Screening starts when a triage officer first acts
# on a request; an open request is decided once, or withdrawn; a decided or withdrawn
# request never moves again.
ALLOWED_MOVES = {
    Status.SUBMITTED: {Status.IN_SCREENING, Status.DECIDED, Status.WITHDRAWN},
    Status.IN_SCREENING: {Status.DECIDED, Status.WITHDRAWN},
    Status.DECIDED: set(),
    Status.WITHDRAWN: set(),
}
# Open: waiting for or in screening, so it can still be screened and decided.
OPEN_STATUSES = tuple(status for status in Status if Status.DECIDED in ALLOWED_MOVES[status])
STATUS_COLOURS = {
    Status.SUBMITTED: "blue",
    Status.IN_SCREENING: "purple",
    Status.DECIDED: "green",
    Status.WITHDRAWN: "grey",
}


class RequestForSupport(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False)
    source = models.CharField(max_length=20, choices=Source.choices)

    # Who asked
    requested_by = optional_reference(
        settings.AUTH_USER_MODEL,
        related_name="requests_for_support",
        help_text="The signed-in professional who asked; empty for the public form",
    )
    requester_name = models.CharField(
        "your name", max_length=200, error_messages={"blank": "Enter your name"}
    )
    requester_role = models.CharField(
        "your role or relationship to the child",
        max_length=200,
        blank=True,
        help_text="Your job title, or for a family member, how you are related to the child",
    )
    requester_agency = optional_reference("accounts.Agency", related_name="+")
    requester_agency_name = models.CharField("agency name", max_length=200, blank=True)
    requester_email = models.EmailField("email address", blank=True)
    requester_phone = models.CharField("phone number", max_length=40, blank=True)

    # What and why
    presenting_needs = models.ManyToManyField(PresentingNeed, related_name="requests")
    concerns = models.TextField(
        "what are you worried about",
        error_messages={"blank": "Enter what you are worried about"},
    )
    what_has_been_tried = models.TextField("what has been tried so far", blank=True)

    # Consent
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_given_by = models.CharField("who gave consent", max_length=200, blank=True)
    consent_covers = models.CharField(
        "what the consent covers", max_length=20, choices=ConsentCovers.choices, blank=True
    )
    consent_given_on = models.DateField("date consent was given", null=True, blank=True)
    consent_not_given_reason = models.TextField("why consent was not given", blank=True)

    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    received_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(help_text="When screening is due, from the urgency")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    outcome_summary = models.TextField(
        blank=True, help_text="What the requester is told of the decision (not the case)"
    )

    # Screening
    assigned_to = optional_reference(
        settings.AUTH_USER_MODEL,
        related_name="requests_assigned",
        help_text="The triage officer screening the request",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    family = optional_reference(
        "cases.Family",
        related_name="requests_for_support",
        help_text="The family record the request is about, once screening has matched it",
    )
    locality = optional_reference("accounts.Locality", related_name="requests_for_support")
    indicators = models.ManyToManyField(
        "thresholds.Indicator",
        blank=True,
        related_name="requests_for_support",
        help_text="Threshold indicators ticked during screening",
    )
    screening_notes = models.TextField("screening notes", blank=True)
    withdrawn_reason = models.TextField("why the request was withdrawn", blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "request for support"
        verbose_name_plural = "requests for support"
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        """Waiting for or in screening: it can still be screened and decided."""
        return self.status in OPEN_STATUSES

    @property
    def consent_allows_early_help(self) -> bool:
        return self.consent == Consent.GIVEN and self.consent_covers in (
            ConsentCovers.ASSESSMENT,
            ConsentCovers.BOTH,
        )

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]

    @property
    def urgency_rag(self) -> str:
        return str(URGENCY_RAG[Urgency(self.urgency)])

    @property
    def is_public(self) -> bool:
        return self.source != Source.PROFESSIONAL

    def clean(self):
        errors = {}
        if self.consent == Consent.GIVEN:
            if not self.consent_given_by.strip():
                errors["consent_given_by"] = "Enter who gave consent"
            if not self.consent_covers:
                errors["consent_covers"] = "Choose what the consent covers"
            if self.consent_given_on is None:
                errors["consent_given_on"] = "Enter the date consent was given"
            elif self.consent_given_on > timezone.localdate():
                errors["consent_given_on"] = (
                    "The date consent was given must be today or in the past"
                )
        elif self.consent == Consent.NOT_GIVEN and not self.consent_not_given_reason.strip():
            errors["consent_not_given_reason"] = "Enter why consent was not given"
        if self.source != Source.PROFESSIONAL and not (
            self.requester_email.strip() or self.requester_phone.strip()
        ):
            errors["requester_email"] = "Enter an email address or a phone number so we can reply"
        if self.source == Source.PROFESSIONAL and not (
            self.requester_agency_id or self.requester_agency_name.strip()
        ):
            errors["requester_agency_name"] = "Enter your agency"
        if errors:
            raise ValidationError(errors)


REQUEST_MOVES = StatusMachine(
    RequestForSupport,
    statuses=Status,
    allowed_moves=ALLOWED_MOVES,
    record_field="request",
    noun="a request",
)
RequestStatusChange = REQUEST_MOVES.history


class PersonRole(models.TextChoices):
    CHILD = "child", "Child or young person"
    UNBORN = "unborn", "Unborn child"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer"
    OTHER_ADULT = "other_adult", "Other adult"


CHILD_ROLES = (PersonRole.CHILD, PersonRole.UNBORN)

# The words for a rule the model holds; the form that checks it first says it in these words.
GIVEN_NAME_MESSAGE = "Enter their first name"


class RequestPerson(models.Model):
    """Someone the request is about, as typed by the requester; screening matches them."""

    request = models.ForeignKey(RequestForSupport, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    given_name = models.CharField(
        "first name", max_length=100, error_messages={"blank": GIVEN_NAME_MESSAGE}
    )
    family_name = models.CharField("last name", max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    school_or_setting = models.CharField("school or setting", max_length=200, blank=True)
    matched_person = optional_reference("cases.Person", related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["request", "position", "id"]

    def __str__(self):
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def full_name(self):
        return str(self)

    def clean(self):
        self.postcode = normalise_postcode(self.postcode)
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            if self.role != PersonRole.UNBORN:
                raise ValidationError({"date_of_birth": "Date of birth must be in the past"})


class RequestAttachment(models.Model):
    request = models.ForeignKey(
        RequestForSupport, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="requests/%Y/%m/", validators=[validate_attachment])
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["request", "id"]

    def __str__(self):
        return self.original_name


# What a professional sends with a request, in the order the form and the API present it.
PROFESSIONAL_REQUEST_FIELDS = [
    "requester_name",
    "requester_role",
    "requester_agency",
    "requester_agency_name",
    "requester_email",
    "requester_phone",
    "presenting_needs",
    "concerns",
    "what_has_been_tried",
    "consent",
    "consent_given_by",
    "consent_covers",
    "consent_given_on",
    "consent_not_given_reason",
    "urgency",
]
