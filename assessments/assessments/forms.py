"""GOV.UK forms for assessments: choosing who it covers, and one section's answers.

The section form is built from the template section: every field is optional here, since
a section saves unfinished; the service says what a completed section still lacks.
"""

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from assessments.assessments.services import CHILDREN_MESSAGE, RATINGS, RETURN_COMMENTS_MESSAGE
from cases.models import Person
from cases.models.person import RecordType
from earlyhelp.forms import GovUKMessagesMixin, add_service_errors, text_area
from earlyhelp.templatetags.gds import gds_tag

REASON_LABEL = "If you could not gather the child's views, say why"
NARRATIVE = "__narrative"
REASON = "__reason"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        age = person.age
        return f"{person.full_name}, {age}" if age is not None else person.full_name


class StartForm(GovUKMessagesMixin, forms.Form):
    children = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which children does the assessment cover?",
        error_messages={"required": CHILDREN_MESSAGE},
    )
    adults = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which parents or carers does it cover?",
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        members = Person.objects.filter(
            memberships__family=family, memberships__left_on__isnull=True
        ).order_by("date_of_birth", "given_name", "id")
        self.fields["children"].queryset = members.exclude(record_type=RecordType.ADULT)
        self.fields["adults"].queryset = members.filter(record_type=RecordType.ADULT)


def _level_label(level):
    return format_html("{} {}", gds_tag(f"Level {level.rank}", level.colour), level.name)


class SectionForm(forms.Form):
    """One field per question (a rating has two: the rating and its narrative), and the
    revision the page was opened at."""

    mark_optional_fields = False

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, section_spec, person, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_spec = section_spec
        self.questions = section_spec.questions
        age = person.age_on(timezone.localdate()) if person and person.date_of_birth else None
        self.reason_keys = set()
        for question in self.questions:
            label = question.label if question.required else f"{question.label} (optional)"
            hint = question.hint
            match question.type:
                case "rating":
                    self.fields[question.key] = forms.ChoiceField(
                        label=label,
                        help_text=hint,
                        required=False,
                        choices=list(RATINGS.items()),
                        widget=forms.RadioSelect,
                    )
                    self.fields[question.key + NARRATIVE] = forms.CharField(
                        label=f"{question.label}: why",
                        help_text="Say why, in words the family would recognise",
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 4}),
                    )
                case "scale":
                    ends = []
                    if question.low_label:
                        ends.append(f"0 means: {question.low_label}.")
                    if question.high_label:
                        ends.append(f"10 means: {question.high_label}.")
                    self.fields[question.key] = forms.ChoiceField(
                        label=label,
                        help_text=" ".join(filter(None, [hint, *ends])),
                        required=False,
                        choices=[(str(n), str(n)) for n in range(11)],
                        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                    )
                case "level":
                    self.fields[question.key] = forms.ChoiceField(
                        label=label,
                        help_text=hint,
                        required=False,
                        choices=[(str(level.uuid), _level_label(level)) for level in levels],
                        widget=forms.RadioSelect,
                    )
                case "choice":
                    self.fields[question.key] = forms.ChoiceField(
                        label=label,
                        help_text=hint,
                        required=False,
                        choices=[(option.value, option.label) for option in question.options],
                        widget=forms.RadioSelect,
                    )
                case _:
                    self.fields[question.key] = forms.CharField(
                        label=label,
                        help_text=hint,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 6}),
                    )
            if (
                question.required_from_age is not None
                and age is not None
                and age < question.required_from_age
            ):
                self.reason_keys.add(question.key + REASON)
                self.fields[question.key + REASON] = forms.CharField(
                    label=REASON_LABEL,
                    help_text=(
                        f"Needed only if you leave the question above unanswered: the child "
                        f"is under {question.required_from_age}"
                    ),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    @staticmethod
    def initial_from(section):
        """The form's starting values from the answers saved."""
        initial = {"revision": section.revision}
        for key, value in section.answers.items():
            if isinstance(value, dict):
                initial[key] = value.get("rating") or ""
                initial[key + NARRATIVE] = value.get("narrative") or ""
            elif value is not None:
                initial[key] = str(value)
        return initial

    def answers(self, saved):
        """The answers to save, in the service's shapes; answers left empty are left out.
        A reason saved earlier for a question this form no longer asks it for is kept."""
        data = self.cleaned_data
        answers = {}
        for question in self.questions:
            key = question.key
            if question.type == "rating":
                rating, narrative = data.get(key) or "", data.get(key + NARRATIVE) or ""
                if rating or narrative.strip():
                    answers[key] = {"rating": rating, "narrative": narrative}
            elif data.get(key) not in (None, ""):
                answers[key] = int(data[key]) if question.type == "scale" else data[key]
            reason_key = key + REASON
            if reason_key in self.reason_keys:
                if (data.get(reason_key) or "").strip():
                    answers[reason_key] = data[reason_key]
            elif saved.get(reason_key):
                answers[reason_key] = saved[reason_key]
        return answers

    def add_service_errors(self, error):
        """A ValidationError from the service, on the field each message is about: a rating
        question's message goes on its narrative when a rating is already chosen. Any other
        refusal goes where `earlyhelp.forms.add_service_errors` puts it."""
        if not hasattr(error, "message_dict"):
            add_service_errors(self, error)
            return
        for key, messages in error.message_dict.items():
            target = key if key in self.fields else None
            if target and key + NARRATIVE in self.fields and self.data.get(self.add_prefix(key)):
                target = key + NARRATIVE
            for message in messages:
                self.add_error(target, message)


class ReturnForm(GovUKMessagesMixin, forms.Form):
    comments = text_area(
        "What needs to change?",
        rows=4,
        help_text="The lead professional sees these comments on the assessment",
        required_message=RETURN_COMMENTS_MESSAGE,
    )
