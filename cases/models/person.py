"""People: children, unborn children and adults, with their names, identifiers and addresses."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.people.identifiers import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from earlyhelp.models import TimeStampedModel, optional_reference


class RecordType(models.TextChoices):
    CHILD = "child", "Child"
    UNBORN = "unborn", "Unborn child"
    ADULT = "adult", "Adult"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INDETERMINATE = "indeterminate", "Indeterminate"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The DfE school census ethnicity codes (main categories)."""

    WBRI = "WBRI", "White – British"
    WIRI = "WIRI", "White – Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy / Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black – African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class SEND(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care plan"
    NOT_KNOWN = "not_known", "Not known"


class PersonQuerySet(models.QuerySet):
    def live(self):
        """Records that are not tombstones of a merge."""
        return self.filter(merged_into__isnull=True)


# The words for the rule the model holds; the serializer that checks it first says it in
# these words.
PERSON_FAMILY_NAME_MESSAGE = "Enter the family name"


# What a practitioner records about a person, in the order the forms and the API show it.
PERSON_NAME_FIELDS = ["given_name", "middle_names", "family_name", "known_as"]
PERSON_BIRTH_FIELDS = ["date_of_birth", "date_of_birth_is_approximate", "expected_date_of_delivery"]
PERSON_DETAIL_FIELDS = [
    "sex",
    "gender",
    "ethnicity",
    "first_language",
    "nhs_number",
    "upn",
    "school_or_setting",
    "send",
    "disability",
    "young_carer",
    "phone",
    "email",
]
# A person's address as it is typed and shown.
PERSON_ADDRESS_FIELDS = ["line_1", "line_2", "town", "postcode", "moved_in", "moved_out"]


class Person(TimeStampedModel):
    """A child (born or unborn) or an adult. An unborn child becomes a child on birth
    without a new record: the same row changes record type.

    A merged duplicate stays as a tombstone pointing at the record it was merged into.
    """

    # Shown only to those the access policy lets see sensitive fields (DESIGN section 7).
    SENSITIVE_FIELDS = ("gender", "disability", "phone", "email")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_type = models.CharField(max_length=10, choices=RecordType.choices)
    given_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(
        max_length=100, error_messages={"blank": PERSON_FAMILY_NAME_MESSAGE}
    )
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    date_of_birth_is_approximate = models.BooleanField(default=False)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=15, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender = models.CharField("gender identity", max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    first_language = models.CharField(max_length=60, blank=True)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    upn = models.CharField(
        "Unique Pupil Number", max_length=13, blank=True, validators=[validate_upn]
    )
    school_or_setting = models.CharField(max_length=200, blank=True)
    send = models.CharField(
        "special educational needs", max_length=15, choices=SEND.choices, blank=True
    )
    disability = models.CharField(max_length=300, blank=True)
    young_carer = models.BooleanField(default=False)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    owning_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="people"
    )
    merged_into = optional_reference("self", related_name="merged_records")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into__isnull=True),
                name="person_nhs_number_unique",
                violation_error_message="Another record already has this NHS number",
            ),
            models.UniqueConstraint(
                fields=["upn"],
                condition=~Q(upn="") & Q(merged_into__isnull=True),
                name="person_upn_unique",
                violation_error_message="Another record already has this UPN",
            ),
            models.CheckConstraint(
                condition=~Q(record_type="unborn")
                | (Q(expected_date_of_delivery__isnull=False) & Q(date_of_birth__isnull=True)),
                name="person_unborn_has_due_date_and_no_birth_date",
                violation_error_message="An unborn child has an expected date of delivery "
                "and no date of birth",
            ),
            models.CheckConstraint(
                condition=~Q(record_type="child") | Q(date_of_birth__isnull=False),
                name="person_child_has_date_of_birth",
                violation_error_message="Enter the child's date of birth",
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean_fields(self, exclude=None):
        # Identifiers arrive as typed ("485 777 3456"); validators check the stored form.
        self.nhs_number = normalise_nhs_number(self.nhs_number or "")
        self.upn = normalise_upn(self.upn or "")
        super().clean_fields(exclude=exclude)

    def clean(self):
        today = timezone.localdate()
        errors = {}
        if self.record_type == RecordType.UNBORN:
            if self.date_of_birth is not None:
                errors["date_of_birth"] = (
                    "An unborn child has no date of birth: record the birth instead"
                )
            if self.expected_date_of_delivery is None:
                errors["expected_date_of_delivery"] = "Enter the expected date of delivery"
            elif self.expected_date_of_delivery > today + timedelta(weeks=43):
                errors["expected_date_of_delivery"] = (
                    "The expected date of delivery must be within the next 43 weeks"
                )
        else:
            if self.date_of_birth is None and self.record_type == RecordType.CHILD:
                errors["date_of_birth"] = "Enter the child's date of birth"
            elif self.date_of_birth is not None and self.date_of_birth > today:
                errors["date_of_birth"] = "The date of birth must be today or in the past"
            elif self.record_type == RecordType.CHILD and self.age_on(today) >= 18:
                errors["date_of_birth"] = (
                    "This person is 18 or over: record them as an adult, not a child"
                )
        if self.record_type != RecordType.UNBORN and not self.given_name.strip():
            errors["given_name"] = "Enter the given name"
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self):
        if self.record_type == RecordType.UNBORN and not self.given_name:
            return f"Unborn child {self.family_name}".strip()
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def is_merged(self):
        return self.merged_into_id is not None

    def age_on(self, day):
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self):
        return self.age_on(timezone.localdate())


class NameType(models.TextChoices):
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Also known as"


class PersonName(models.Model):
    """Other names a person has been known by, kept for finding them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name_type = models.CharField(max_length=10, choices=NameType.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    used_from = models.DateField(null=True, blank=True)
    used_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-used_to", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_name="") | ~Q(family_name=""),
                name="person_name_not_empty",
                violation_error_message="Enter a given name or a family name",
            ),
        ]

    def __str__(self):
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class PersonAddress(models.Model):
    """Where a person lived and when. The current address has no moved-out date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField("address line 1", max_length=200)
    line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100)
    postcode = models.CharField(max_length=8, db_index=True, validators=[validate_postcode])
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)
    # A refuge or other address that must not be shown beyond those who need it.
    is_confidential = models.BooleanField("confidential address", default=False)

    class Meta:
        ordering = ["-moved_in", "-id"]
        verbose_name_plural = "person addresses"

    def __str__(self):
        parts = (self.line_1, self.line_2, self.town, self.postcode)
        return ", ".join(part for part in parts if part)

    def clean_fields(self, exclude=None):
        self.postcode = normalise_postcode(self.postcode or "")
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.moved_in and self.moved_out and self.moved_out < self.moved_in:
            raise ValidationError(
                {"moved_out": "The date they moved out must be after they moved in"}
            )

    @property
    def is_current(self):
        return self.moved_out is None


class PersonSearchKey(models.Model):
    """One exact part of one of a person's names ("f:smith", "g:william"), for indexed
    candidate retrieval. Spellings, sounds and nicknames reach these parts through
    NameVariantKey, so a person holds a few keys, not dozens.

    Rebuilt by the services whenever a person's names change (cases.people.search.index_person).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=120)

    class Meta:
        # Key then person: a search reads who holds its keys from the index alone.
        indexes = [models.Index(fields=["key", "person"], name="person_search_key_person_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="person_search_key_unique")
        ]

    def __str__(self):
        return self.key


class NameVariantKey(models.Model):
    """A variant key (phonetic code, one-slip deletion, nickname group: cases.people.names) and an
    exact name part it leads to: "fp:m:SM0" -> "f:smyth". One row per name in the county,
    not per person, so a search for a common name reads each of its holders once.

    Added as names are indexed and never removed: a variant of a name nobody holds any
    more leads to no one."""

    key = models.CharField(max_length=120)
    exact_key = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "exact_key"], name="name_variant_key_unique")
        ]

    def __str__(self):
        return f"{self.key} -> {self.exact_key}"


class NameSource(models.TextChoices):
    """Which of a person's names a PersonSearchName row holds, for explaining a match."""

    NAME = "name", "Name"
    MIDDLE = "middle", "Name with middle names"
    KNOWN_AS = "known_as", "Known as"
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Also known as"


class PersonSearchName(models.Model):
    """One name a person is known by, with the forms comparing needs (normalised whole
    name, parts, phonetic codes, nickname groups: ``cases.people.names.NameForms``), worked out
    when the name is saved so a search does not redo it for every candidate.

    Rebuilt with the search keys (cases.people.search.index_person).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_names")
    source = models.CharField(max_length=10, choices=NameSource.choices)
    given_forms = models.JSONField(null=True, blank=True)
    family_forms = models.JSONField(null=True, blank=True)

    def __str__(self):
        given = (self.given_forms or {}).get("whole", "")
        family = (self.family_forms or {}).get("whole", "")
        return f"{self.get_source_display()}: {given} {family}".strip()
