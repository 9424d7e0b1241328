"""GOV.UK forms for people: their records, other names, addresses and birth, search and merge;
and the NHS number, UPN and postcode fields every form uses.

Rules that hold whatever the channel (the API too) live in the models' clean() and the
services; forms add wording and the shape of the page.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Team
from cases.models import (
    PERSON_ADDRESS_FIELDS,
    PERSON_BIRTH_FIELDS,
    PERSON_DETAIL_FIELDS,
    PERSON_NAME_FIELDS,
    SEND,
    Ethnicity,
    NameType,
    Person,
    PersonAddress,
    PersonName,
    RecordType,
    Sex,
)
from cases.people import identifiers, services
from earlyhelp import access
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios, text_area


def owning_team_field(user):
    return forms.ModelChoiceField(
        label="Team responsible for the record",
        queryset=Team.objects.filter(pk__in=access.case_team_ids(user)).order_by("name"),
        empty_label=None,
        error_messages={"required": "Choose the team responsible for the record"},
    )


class IdentifierField(forms.CharField):
    """An identifier, cleaned to its stored form and checked unless left blank. A subclass
    gives the keyword arguments its fields start from, and the attributes of its input."""

    defaults = {}
    input_attrs = {}

    def __init__(self, **kwargs):
        kwargs = {**self.defaults, **kwargs}
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(self.input_attrs)))
        super().__init__(**kwargs)

    def clean(self, value):
        return identifiers.clean_identifier(
            super().clean(value), self.normalise_identifier, self.validate_identifier
        )


class NHSNumberField(IdentifierField):
    normalise_identifier = staticmethod(identifiers.normalise_nhs_number)
    validate_identifier = staticmethod(identifiers.validate_nhs_number)
    defaults = {
        "label": "NHS number",
        "required": False,
        "help_text": "10 digits, like 485 777 3456",
    }
    input_attrs = {"class": "govuk-input--width-10", "spellcheck": "false"}


class UPNField(IdentifierField):
    normalise_identifier = staticmethod(identifiers.normalise_upn)
    validate_identifier = staticmethod(identifiers.validate_upn)
    defaults = {
        "label": "Unique Pupil Number (UPN)",
        "required": False,
        "help_text": "13 characters, starting with a letter",
    }
    input_attrs = {"class": "govuk-input--width-20", "spellcheck": "false"}


class PostcodeField(IdentifierField):
    normalise_identifier = staticmethod(identifiers.normalise_postcode)
    validate_identifier = staticmethod(identifiers.validate_postcode)
    input_attrs = {"class": "govuk-input--width-10", "autocomplete": "postal-code"}


class PersonForm(GovUKMessagesMixin, forms.ModelForm):
    record_type = radios(
        "Who is this record for?",
        RecordType.choices,
        required_message="Choose whether this is a child, an unborn child or an adult",
    )
    date_of_birth = GovUKDateField(required=False, help_text="For example, 27 3 2019")
    expected_date_of_delivery = GovUKDateField(
        required=False, help_text="For an unborn child. For example, 14 6 2027"
    )
    sex = forms.ChoiceField(choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.NOT_KNOWN)
    ethnicity = forms.ChoiceField(
        choices=[("", "Not recorded"), *Ethnicity.choices], required=False
    )
    send = forms.ChoiceField(
        label="Special educational needs",
        choices=[("", "Not recorded"), *SEND.choices],
        required=False,
    )
    nhs_number = NHSNumberField()
    upn = UPNField()

    class Meta:
        model = Person
        fields = ["record_type", *PERSON_NAME_FIELDS, *PERSON_BIRTH_FIELDS, *PERSON_DETAIL_FIELDS]
        labels = {
            "date_of_birth_is_approximate": "The date of birth is approximate",
            "young_carer": "Is a young carer",
            "gender": "Gender identity",
        }
        help_texts = {
            "known_as": "A name they prefer or use every day",
            "gender": "Only if it differs from sex or the person asked for it to be recorded",
        }
        error_messages = {
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.org"
            },
        }
        widgets = {
            "given_name": forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            "family_name": forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            "disability": forms.TextInput(),
        }

    def __init__(self, *args, user, include_owning_team=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if include_owning_team:
            self.fields["owning_team"] = owning_team_field(user)


class PersonCreateForm(PersonForm):
    confirmed_not_duplicate = forms.BooleanField(
        label="I have checked these records and this is a different person",
        required=False,
    )


class OtherNameForm(GovUKMessagesMixin, forms.ModelForm):
    name_type = forms.ChoiceField(
        label="Type of name", choices=NameType.choices, widget=forms.RadioSelect
    )
    used_from = GovUKDateField(label="Used from", required=False)
    used_to = GovUKDateField(label="Used until", required=False)

    class Meta:
        model = PersonName
        fields = ["name_type", "given_name", "family_name", "used_from", "used_to"]


class AddressForm(GovUKMessagesMixin, forms.ModelForm):
    postcode = PostcodeField(error_messages={"required": "Enter the postcode"})
    moved_in = GovUKDateField(label="Date they moved in", required=False)
    moved_out = GovUKDateField(
        label="Date they moved out", required=False, help_text="Leave blank for a current address"
    )

    class Meta:
        model = PersonAddress
        fields = [*PERSON_ADDRESS_FIELDS, "is_confidential"]
        error_messages = {
            "line_1": {"required": "Enter the first line of the address"},
            "town": {"required": "Enter the town or city"},
        }


class BirthForm(GovUKMessagesMixin, forms.Form):
    date_of_birth = GovUKDateField(label="Date of birth")
    given_name = forms.CharField(label="Given name", required=False)
    sex = forms.ChoiceField(choices=Sex.choices, widget=forms.RadioSelect, required=False)

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError("The date of birth must be today or in the past")
        return born


class SearchForm(GovUKMessagesMixin, forms.Form):
    given_name = forms.CharField(label="Given name", required=False)
    family_name = forms.CharField(label="Family name", required=False)
    date_of_birth = GovUKDateField(label="Date of birth", required=False)
    year_of_birth = forms.IntegerField(
        label="Or year of birth",
        required=False,
        min_value=1900,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a year, like 2015",
            "min_value": "Enter a year after 1900",
        },
    )
    nhs_number = NHSNumberField(help_text="")
    upn = UPNField(help_text="")
    postcode = PostcodeField(required=False)

    mark_optional_fields = False

    def clean_year_of_birth(self):
        year = self.cleaned_data["year_of_birth"]
        if year is not None and year > timezone.localdate().year:
            raise ValidationError("The year of birth must be this year or earlier")
        return year

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name in self.fields):
            raise ValidationError(services.SEARCH_EMPTY_MESSAGE)
        return cleaned


class MergeForm(GovUKMessagesMixin, forms.Form):
    reason = text_area(
        "Why are these the same person?",
        rows=4,
        required_message=services.MERGE_REASON_MESSAGE,
    )


class UndoMergeForm(GovUKMessagesMixin, forms.Form):
    reason = text_area(
        "Why was the merge wrong?", rows=4, required_message=services.UNDO_MERGE_REASON_MESSAGE
    )
