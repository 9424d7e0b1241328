"""GOV.UK forms for requests for support: the professional form and the public one.

The rules that hold whatever the channel (consent, at least one child, attachments) are in
the model's clean() and `services.request_submit`; forms add wording and page shape.
A page is one main form, a fixed number of person blocks (prefixes "person-1" …) and,
on the main form, MAX_ATTACHMENTS file fields.
"""

from django import forms
from django.utils import timezone

from accounts.models import Agency
from cases.people.forms import PostcodeField
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios
from referrals.models import (
    ATTACHMENT_TYPES_TEXT,
    CHILD_ROLES,
    MAX_ATTACHMENTS,
    PROFESSIONAL_REQUEST_FIELDS,
    Consent,
    ConsentCovers,
    PersonRole,
    PresentingNeed,
    RequestForSupport,
    Source,
    Urgency,
    validate_attachment,
)
from referrals.models.request import GIVEN_NAME_MESSAGE
from referrals.requests import selectors, services

PERSON_BLOCKS = 4
FILE_FIELDS = tuple(f"attachment_{number}" for number in range(1, MAX_ATTACHMENTS + 1))
FILES_AGAIN = "Choose the file again: files cannot be kept when there is a problem with the form"


class NeedsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", PresentingNeed.objects.none())  # set per form
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("error_messages", {"required": services.NO_PRESENTING_NEED})
        super().__init__(**kwargs)


def _file_field(number):
    return forms.FileField(
        label=f"File {number}",
        required=False,
        validators=[validate_attachment],
        help_text=f"{ATTACHMENT_TYPES_TEXT}, smaller than 10MB" if number == 1 else "",
    )


class RequestFormBase(GovUKMessagesMixin, forms.ModelForm):
    """Fields both forms share; subclasses set labels and add their own."""

    urgency = radios(None, Urgency.choices, required_message="Choose how soon help is needed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per form, so a need disabled today stops being offered today.
        self.fields["presenting_needs"].queryset = selectors.presenting_need_choices()
        # As many file fields as a request may carry, last on the page.
        for number, name in enumerate(FILE_FIELDS, start=1):
            self.fields[name] = _file_field(number)

    max_attachments = MAX_ATTACHMENTS

    @property
    def attachment_fields(self):
        return [self[name] for name in FILE_FIELDS]

    def files_chosen(self):
        return [self.cleaned_data[name] for name in FILE_FIELDS if self.cleaned_data.get(name)]

    def ask_for_files_again(self):
        """Browsers cannot keep chosen files when the page comes back with errors."""
        for name in FILE_FIELDS:
            if self.files.get(self.add_prefix(name)) and name not in self.errors:
                self.add_error(name, FILES_AGAIN)

    def service_fields(self):
        data = dict(self.cleaned_data)
        for name in (*FILE_FIELDS, "presenting_needs"):
            data.pop(name, None)
        return data


class ProfessionalRequestForm(RequestFormBase):
    presenting_needs = NeedsField(label="Presenting needs", help_text="Select all that apply")
    consent = radios(
        "Has the family agreed to this request?",
        Consent.choices,
        required_message="Choose whether the family has given consent",
    )
    consent_covers = radios(
        "If consent was given, what does it cover?", ConsentCovers.choices, required=False
    )
    consent_given_on = GovUKDateField(
        label="If consent was given, on what date",
        required=False,
        help_text="For example, 3 11 2026",
    )

    class Meta:
        model = RequestForSupport
        fields = PROFESSIONAL_REQUEST_FIELDS
        labels = {
            "requester_name": "Your name",
            "requester_role": "Your job title",
            "requester_agency": "Your agency",
            "requester_agency_name": "Agency name, if it is not in the list",
            "requester_email": "Your email address",
            "requester_phone": "Your phone number",
            "concerns": "What are you worried about?",
            "what_has_been_tried": "What has been tried so far?",
            "consent_given_by": "If consent was given, who gave it?",
            "consent_not_given_reason": "If consent was not given, why not?",
        }
        help_texts = {
            "requester_role": "",
            "concerns": "Describe the needs and their impact on the child, with examples",
            "what_has_been_tried": "Support already offered by you or other agencies, "
            "and what difference it made",
            "consent_given_by": "Their name and relationship to the child",
        }
        error_messages = {
            "requester_email": {
                "invalid": "Enter an email address in the correct format, like name@example.org"
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_agency"].queryset = Agency.objects.current().order_by("name")
        self.fields["requester_agency"].required = False
        self.fields["requester_email"].required = True
        self.fields["requester_email"].error_messages["required"] = "Enter your email address"
        if not self.is_bound:
            self.initial.update(
                {
                    "requester_name": user.full_name,
                    "requester_role": user.job_title,
                    "requester_agency": user.agency_id,
                    "requester_email": user.email,
                    "requester_phone": user.phone,
                }
            )


class PublicRequestForm(RequestFormBase):
    """The same request, in plain words for parents, carers and young people."""

    source = radios(
        "Who are you?",
        [
            (Source.PARENT_OR_CARER, "A parent or carer"),
            (Source.YOUNG_PERSON, "A young person asking for help for myself"),
        ],
        required_message="Choose whether you are a parent or carer or a young person",
    )
    presenting_needs = NeedsField(
        label="What would you like help with?",
        help_text="Select all that apply",
        error_messages={"required": "Choose at least one thing you would like help with"},
    )
    agrees = radios(
        "Are you happy for us to look at what help your family needs, and to talk to "
        "other services (like your school or doctor) about it?",
        [("yes", "Yes"), ("no", "No")],
        required_message="Choose yes if you are happy for us to do this",
    )
    urgency = radios(
        "How soon do you need help?",
        [
            (Urgency.URGENT, "In the next day or so"),
            (Urgency.SOON, "Within a few days"),
            (Urgency.ROUTINE, "It can wait a week or two"),
        ],
        required_message="Choose how soon you need help",
    )

    class Meta:
        model = RequestForSupport
        fields = [
            "source",
            "requester_name",
            "requester_role",
            "requester_email",
            "requester_phone",
            "presenting_needs",
            "concerns",
            "what_has_been_tried",
            "consent_not_given_reason",
            "urgency",
        ]
        labels = {
            "requester_name": "Your name",
            "requester_role": "How are you related to the child?",
            "requester_email": "Your email address",
            "requester_phone": "Your phone number",
            "concerns": "What is worrying you?",
            "what_has_been_tried": "What has already been tried?",
            "consent_not_given_reason": "If you answered no, tell us why",
        }
        help_texts = {
            "requester_role": "For example, mum, dad, grandparent, foster carer. "
            "Leave it empty if you are the young person",
            "requester_email": "We will send you a reference number. Give an email address "
            "or a phone number, or both",
            "concerns": "Tell us what is happening and how it affects your family",
            "what_has_been_tried": "For example, help from school, your doctor or a charity",
        }
        error_messages = {
            "requester_email": {
                "invalid": "Enter an email address in the correct format, like name@example.org"
            },
        }

    def service_fields(self):
        data = super().service_fields()
        data.pop("source", None)
        agrees = data.pop("agrees")
        if agrees == "yes":
            data |= {
                "consent": Consent.GIVEN,
                "consent_given_by": data["requester_name"],
                "consent_covers": ConsentCovers.BOTH,
                "consent_given_on": timezone.localdate(),
                "consent_not_given_reason": "",
            }
        else:
            data["consent"] = Consent.NOT_GIVEN
        return data


class PersonBlockForm(GovUKMessagesMixin, forms.Form):
    """One person the request is about. Blocks after the first may be left empty."""

    role = radios("Who are they?", PersonRole.choices, required_message="Choose who this person is")
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": GIVEN_NAME_MESSAGE},
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    date_of_birth = GovUKDateField(
        required=False,
        help_text="For an unborn child, the date they are due. For example, 27 3 2019",
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = PostcodeField(label="Postcode", required=False)
    school_or_setting = forms.CharField(
        label="School, nursery or college", max_length=200, required=False
    )

    def __init__(self, *args, number, **kwargs):
        kwargs.setdefault("prefix", f"person-{number}")
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, empty_permitted=number > 1, **kwargs)
        self.number = number
        if number == 1:
            self.fields["role"].initial = PersonRole.CHILD

    @property
    def legend(self):
        return f"Person {self.number}"

    @property
    def is_filled_in(self):
        return self.is_valid() and bool(self.cleaned_data.get("given_name"))


def person_blocks(data=None):
    return [PersonBlockForm(data=data, number=number) for number in range(1, PERSON_BLOCKS + 1)]


def people_data(blocks):
    return [block.cleaned_data for block in blocks if block.is_filled_in]


def add_people_error(blocks, messages):
    """Put the service's "people" errors on the first block: its role asks about a child."""
    first = blocks[0]
    for message in messages:
        if "child" in message and first.cleaned_data.get("role") not in CHILD_ROLES:
            first.add_error("role", message)
        else:
            first.add_error(None, message)


class WithdrawForm(GovUKMessagesMixin, forms.Form):
    withdrawn_reason = forms.CharField(
        label="Why is the request being withdrawn?",
        help_text="For example, the family's needs are now met, or it repeats another request "
        "(give its reference). The requester sees this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.WITHDRAW_REASON_MESSAGE},
    )
