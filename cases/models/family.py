"""Households, who belongs to them, how members are related, and the case notes."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models.person import Person
from cases.people.identifiers import normalise_postcode, validate_postcode
from earlyhelp.models import TimeStampedModel

# The words for the rule the model holds; forms and serializers that check it first say
# it in these words.
FAMILY_NAME_MESSAGE = "Enter the family name"


class Family(TimeStampedModel):
    """A household. People join and leave it over time (FamilyMembership)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        "family name",
        max_length=200,
        help_text="How the family is known, for example the Okafor family",
        error_messages={"blank": FAMILY_NAME_MESSAGE},
    )
    line_1 = models.CharField("address line 1", max_length=200, blank=True)
    line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(
        max_length=8, blank=True, db_index=True, validators=[validate_postcode]
    )
    address_is_confidential = models.BooleanField("confidential address", default=False)
    owning_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="families"
    )
    members = models.ManyToManyField(Person, through="FamilyMembership", related_name="families")

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "families"

    def __str__(self):
        return self.name

    @property
    def address(self):
        parts = (self.line_1, self.line_2, self.town, self.postcode)
        return ", ".join(part for part in parts if part)

    def clean_fields(self, exclude=None):
        self.postcode = normalise_postcode(self.postcode or "")
        super().clean_fields(exclude=exclude)


class FamilyMembership(models.Model):
    """A person's time in a household. Shared care: a child can be in two at once."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    lives_at_family_address = models.BooleanField(default=True)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["left_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="membership_leaves_after_joining",
                violation_error_message="The date they left must be after the date they joined",
            ),
            models.UniqueConstraint(
                fields=["family", "person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_person",
                violation_error_message="This person is already a member of the family",
            ),
        ]

    def __str__(self):
        return f"{self.person} in {self.family}"

    @property
    def is_current(self):
        return self.left_on is None


class RelationshipType(models.TextChoices):
    """Read as: <from person> is the <type> of <to person>."""

    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    PARTNER_OF_PARENT = "partner_of_parent", "Partner of a parent"
    OTHER = "other", "Other"


class Relationship(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="relationships")
    from_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="relationships_from"
    )
    to_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_to")
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    description = models.CharField(
        max_length=100, blank=True, help_text="For other relationships, say what it is"
    )
    has_parental_responsibility = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=F("to_person")),
                name="relationship_between_two_people",
                violation_error_message="A relationship is between two different people",
            ),
            models.UniqueConstraint(
                fields=["family", "from_person", "to_person", "relationship_type"],
                name="relationship_unique",
                violation_error_message="This relationship is already recorded",
            ),
        ]

    def __str__(self):
        kind = self.get_relationship_type_display().lower()
        return f"{self.from_person} is the {kind} of {self.to_person}"


class NoteType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    PHONE = "phone", "Phone call"
    MESSAGE = "message", "Message"
    MEETING = "meeting", "Meeting"
    SIGNIFICANT_EVENT = "significant_event", "Significant event"
    OTHER = "other", "Other"


class CaseNoteQuerySet(models.QuerySet):
    def chronology(self):
        """The chronology of significant events: notes marked significant, oldest first."""
        return self.filter(is_significant=True).order_by("occurred_at", "id")


class CaseNote(TimeStampedModel):
    """A dated note about a family and the people it concerns."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="notes")
    note_type = models.CharField(max_length=20, choices=NoteType.choices)
    occurred_at = models.DateTimeField("when it happened", db_index=True)
    summary = models.CharField(max_length=200)
    body = models.TextField("note", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_notes"
    )
    subjects = models.ManyToManyField(Person, blank=True, related_name="case_notes")
    is_significant = models.BooleanField(
        "include in the chronology of significant events", default=False
    )
    is_restricted = models.BooleanField(
        "restricted",
        default=False,
        help_text="Only the author and the managers of the family's team can read it",
    )

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return self.summary
