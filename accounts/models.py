"""Agencies, localities, teams and the people who sign in.

Roles are Django groups (created by a data migration, names in `Role`); what each role
may do is decided by the access policy in `earlyhelp.access`, never by checking group
names in views.
"""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from earlyhelp.models import ArchivableModel, optional_reference


class Role(models.TextChoices):
    """The roles of DESIGN section 2. Each is a group of the same name."""

    PRACTITIONER = "practitioner", "Practitioner"
    TRIAGE_OFFICER = "triage officer", "Triage officer"
    LOCALITY_MANAGER = "locality manager", "Locality manager"
    SOCIAL_WORKER = "social worker", "Social worker"
    PARTNER_AGENCY_USER = "partner agency user", "Partner agency user"
    PERFORMANCE_ANALYST = "performance analyst", "Performance analyst"
    SYSTEM_ADMINISTRATOR = "system administrator", "System administrator"


class AgencyType(models.TextChoices):
    SCHOOL = "school", "School or education setting"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    COUNCIL_EARLY_HELP = "council_early_help", "Council early help"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HOUSING = "housing", "Housing"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary and community sector"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    OTHER = "other", "Other"


class Agency(ArchivableModel):
    name = models.CharField(max_length=200)
    agency_type = models.CharField("type", max_length=40, choices=AgencyType.choices)
    email = models.EmailField("contact email", blank=True)
    phone = models.CharField("contact phone", max_length=40, blank=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class Locality(ArchivableModel):
    """A geographic area that owns episodes and holds allocation meetings."""

    name = models.CharField(max_length=100)
    code = models.SlugField(max_length=20, unique=True, help_text="A short code, for example north")

    class Meta:
        verbose_name_plural = "localities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="locality_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class Team(ArchivableModel):
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    locality = optional_reference(Locality, related_name="teams")
    email = models.EmailField("team email", blank=True)
    phone = models.CharField("team phone", max_length=40, blank=True)
    managers = models.ManyToManyField("accounts.User", blank=True, related_name="managed_teams")
    members = models.ManyToManyField("accounts.User", blank=True, related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "agency", Lower("name"), name="team_name_unique_within_agency_ci"
            ),
        ]
        permissions = [("view_team_members", "Can see who belongs to the team")]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users must have an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their work email. Users are deactivated, never deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    agency = optional_reference(Agency, related_name="users")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Django admin (superuser only)",
        default=False,
        help_text="Leave off: administrators reach the admin through their role.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_names(self):
        """Role names, from the prefetched groups when a selector prefetched them."""
        return sorted(group.name for group in self.groups.all())

    def has_role(self, role):
        return any(group.name == role for group in self.groups.all())


class Notification(models.Model):
    """A message to one user in the service (a reminder, an escalation), shown on their
    notifications page and usually emailed too.

    `key` names the event it is about (the review, its due date, why it was sent), so a
    job that runs twice finds the notification it already made and sends nothing again."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="A path in the service")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="accounts_notification_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="accounts_notif_unread")]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None
