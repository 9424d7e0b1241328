"""GOV.UK forms for families, their members and relationships, and case notes.

Rules that hold whatever the channel (the API too) live in the models' clean() and the
services; forms add wording and the shape of the page.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseNote, Family, NoteType, Person, Relationship, RelationshipType
from cases.people.forms import PostcodeField, owning_team_field
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios


class FamilyForm(GovUKMessagesMixin, forms.ModelForm):
    postcode = PostcodeField(required=False)

    class Meta:
        model = Family
        fields = ["name", "line_1", "line_2", "town", "postcode", "address_is_confidential"]
        labels = {"address_is_confidential": "The address is confidential (for example a refuge)"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owning_team"] = owning_team_field(user)
        if self.instance.pk:
            self.fields["owning_team"].initial = self.instance.owning_team_id


class MembershipForm(GovUKMessagesMixin, forms.Form):
    joined_on = GovUKDateField(label="Date they joined the household", required=False)
    lives_at_family_address = forms.BooleanField(
        label="Lives at the family address", required=False, initial=True
    )


class LeaveForm(GovUKMessagesMixin, forms.Form):
    left_on = GovUKDateField(label="Date they left the household")


class RelationshipForm(GovUKMessagesMixin, forms.ModelForm):
    class Meta:
        model = Relationship
        fields = [
            "from_person",
            "relationship_type",
            "to_person",
            "description",
            "has_parental_responsibility",
        ]
        labels = {
            "from_person": "Person",
            "relationship_type": "is the",
            "to_person": "of",
            "has_parental_responsibility": "Has parental responsibility for them",
        }
        error_messages = {
            "from_person": {"required": "Choose the first person"},
            "to_person": {"required": "Choose the second person"},
            "relationship_type": {"required": "Choose the relationship"},
        }

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        members = Person.objects.filter(memberships__family=family).distinct()
        for name in ("from_person", "to_person"):
            self.fields[name].queryset = members
            self.fields[name].empty_label = "Choose a person"
        self.fields["relationship_type"].choices = [
            ("", "Choose a relationship"),
            *RelationshipType.choices,
        ]


TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class NoteForm(GovUKMessagesMixin, forms.ModelForm):
    occurred_on = GovUKDateField(label="Date it happened")
    occurred_time = forms.CharField(
        label="Time",
        required=False,
        help_text="Use the 24-hour clock, like 14:30. Leave blank if not known",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    note_type = radios("Type of note", NoteType.choices, required_message="Choose the type of note")
    subjects = forms.ModelMultipleChoiceField(
        label="Who is it about?",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CaseNote
        fields = ["note_type", "summary", "body", "subjects", "is_significant", "is_restricted"]
        error_messages = {"summary": {"required": "Enter a short summary"}}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = Person.objects.filter(
            memberships__family=family
        ).distinct()

    def clean_occurred_time(self):
        text = self.cleaned_data["occurred_time"]
        if not text.strip():
            return None
        match = TIME_PATTERN.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError("Enter a real time, like 14:30")
        return datetime.time(int(match[1]), int(match[2]))

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("occurred_on")
        if day is not None:
            moment = datetime.datetime.combine(
                day, cleaned.get("occurred_time") or datetime.time(12)
            )
            cleaned["occurred_at"] = timezone.make_aware(moment)
            if cleaned["occurred_at"].date() > timezone.localdate():
                self.add_error("occurred_on", "The date must be today or in the past")
        return cleaned
