"""Demo families for the fictional county of Brackenshire (``manage.py seed_demo``).

About 200 households of case records, spread over the four locality early help teams and a
few owned by the Early Help Hub (MASH), for demonstrations and for trying search, the
chronology and the access rules on realistic-looking data. Every name, address and number
is invented; NHS numbers start with 9, a range never issued to patients.

The tables of names, languages and places it draws on are data, in ``demo/data/``
(``communities.json``, ``places.json``).

Deterministic. ``build_plan()`` is a pure function of DEMO_SEED (one ``random.Random``, no
Faker, no clock, no database): who lives where, names, ages and birthdays, identifiers,
relationships and notes. The plan holds no dates, only ages, birthdays and "days ago"
offsets; ``seed_families`` turns them into dates relative to ``today`` (by default
``timezone.localdate()``). Dates cannot be fixed once: the model refuses a child aged 18 or
over and a date of birth in the future, so fixed dates would go stale within a year. The
pattern never changes: the same child is always 9 with a birthday on 17 November.

Idempotent. A family's key is its name and postcode within its owning team; keys are unique
within the plan. A household (one family, or two linked ones: shared care, or a deliberate
near-duplicate pair) is created whole, or skipped whole when any of its keys exists already
(or when one of its people's NHS numbers is already on a record: someone renamed or moved
the family), so running it again creates nothing and leaves alone what people changed.

Records are made through the services (``cases.people``, ``cases.families``), as the demo
practitioners (and now and then their managers), so permissions are checked and audit events
written as for typed records.

NEAR_DUPLICATES lists the children deliberately recorded twice, with the slips that make
duplicates in real records (DESIGN section 6): most in different teams' families, to show
the "known to" answer; three twice in the same team, so its locality manager can merge them.
"""

import datetime
import random
import string
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from cases.families import services
from cases.models import (
    SEND,
    Ethnicity,
    Family,
    NameType,
    NoteType,
    Person,
    RecordType,
    RelationshipType,
    Sex,
)
from cases.people import services as people_services
from cases.people.identifiers import nhs_number_with_check_digit, upn_check_letter
from demo.tables import load

DEMO_SEED = 20250901
DEMO_FAMILY_COUNT = 200
# The LA number in demo UPNs: an unused one in the DfE's 8xx range.
LA_NUMBER = "873"

FEMALE, MALE = Sex.FEMALE, Sex.MALE

# Teams and the demo users who record their families: (practitioner, manager) -------------

LOCALITY_TEAMS = {
    "north": "Early Help North",
    "south": "Early Help South",
    "east": "Early Help East",
    "west": "Early Help West",
}
HUB_TEAM = "Early Help Hub (MASH)"
TEAM_USERS = {
    "Early Help North": (
        "practitioner@brackenshire.example",
        "manager.north@brackenshire.example",
    ),
    "Early Help South": (
        "practitioner.south@brackenshire.example",
        "manager.south@brackenshire.example",
    ),
    "Early Help East": (
        "practitioner.east@brackenshire.example",
        "manager.east@brackenshire.example",
    ),
    "Early Help West": (
        "practitioner.west@brackenshire.example",
        "manager.west@brackenshire.example",
    ),
    HUB_TEAM: ("triage@brackenshire.example", "hub.manager@brackenshire.example"),
}
# Households are dealt to teams in this order, round and round: one in 13 to the Hub.
TEAM_ROTATION = [*LOCALITY_TEAMS.values()] * 3 + [HUB_TEAM]

# Places -----------------------------------------------------------------------------------

# Streets, Traveller sites, schools and settings: data/places.json.
_PLACES = load("places")
# locality -> towns -> streets as (street, postcode, "houses" or "flats")
TOWNS = {
    locality: {town: [tuple(street) for street in streets] for town, streets in towns.items()}
    for locality, towns in _PLACES["towns"].items()
}
# Council-run Traveller sites: (site, town, postcode)
TRAVELLER_SITES = {locality: tuple(site) for locality, site in _PLACES["traveller_sites"].items()}

# Schools and settings by locality, with DfE establishment numbers (used in UPNs).
EARLY_YEARS = _PLACES["early_years"]
PRIMARY_SCHOOLS = {
    locality: [tuple(school) for school in schools]
    for locality, schools in _PLACES["primary_schools"].items()
}
SECONDARY_SCHOOLS = {
    locality: tuple(school) for locality, school in _PLACES["secondary_schools"].items()
}
SPECIAL_SCHOOL = tuple(_PLACES["special_school"])
FURTHER_EDUCATION = _PLACES["further_education"]
HOME_EDUCATED = "Electively home educated"

# Communities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """Names, ethnicity (DfE code) and languages of one community in Brackenshire."""

    label: str
    ethnicity: str
    # The household's home language, weighted: adults' first language.
    languages: tuple[tuple[str, int], ...]
    # How often a child's first language is the home language rather than English.
    child_home_language: float
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]
    elder_women: tuple[str, ...] = ()
    elder_men: tuple[str, ...] = ()
    # Family names many women keep whatever their husband's (Begum, Kaur) ...
    women_surnames: tuple[str, ...] = ()
    # ... or how often a mother keeps her own family name.
    keeps_own_name: float = 0.0
    # Children take their father's given name as their family name (Somali practice).
    patronymic: bool = False
    lives_on_site: float = 0.0
    larger_families: bool = False
    multigenerational: float = 0.04


def _community(entry):
    """A Community from its entry in data/communities.json (fields left out take the
    defaults above)."""
    fields = {
        key: tuple(value) if isinstance(value, list) else value for key, value in entry.items()
    }
    fields["ethnicity"] = Ethnicity(entry["ethnicity"])
    fields["languages"] = tuple(entry["languages"].items())
    return Community(**fields)


# Names, languages and ethnicity by community, how often each leads a household, and
# mixed-heritage couples: data/communities.json.
_COMMUNITIES = load("communities")
COMMUNITIES = {key: _community(entry) for key, entry in _COMMUNITIES["communities"].items()}

# How often each community leads a household (the mother's, or the lone parent's).
COMMUNITY_WEIGHTS = _COMMUNITIES["household_weights"]
# Mixed-heritage parents: (mother's community, father's community, the children's ethnicity).
MIXED_HERITAGE = [
    (mother, father, Ethnicity(children))
    for mother, father, children in _COMMUNITIES["mixed_heritage"]
]
MIXED_HERITAGE_SHARE = 0.12

# Lithuanian family names: masculine form -> (married woman's, unmarried woman's).
LITHUANIAN_FEMININE = {
    masculine: tuple(feminine)
    for masculine, feminine in _COMMUNITIES["lithuanian_feminine"].items()
}

# Household shapes and how often each occurs (a shared-care household is two families).
SHAPES = {
    "two_parents": 30,
    "single_mother": 28,
    "single_father": 5,
    "step_family": 13,
    "kinship": 7,
    "young_parent": 6,
    "shared_care": 5,
}

HEALTH_CONDITIONS = (
    "Long-term health condition",
    "Multiple sclerosis",
    "Chronic back pain, limited mobility",
    "Mental health condition",
    "Diabetes and sight loss",
)
CHILD_DISABILITIES = ("Autism", "ADHD", "Cerebral palsy", "Hearing impairment", "Global delay")

# Deliberate near-duplicates ---------------------------------------------------------------


@dataclass(frozen=True)
class NearDuplicate:
    """A child recorded twice, in two teams' families, the second time with a slip.

    The recorded child lives with their mother (and siblings) at the first address; the
    duplicate record sits in another team's family with a relative the first household does
    not have, and carries no NHS number or UPN (as records made from a referral often don't).
    The cases themselves are in demo/data/near_duplicates.json.
    """

    why: str
    given_name: str
    family_name: str
    team: str
    family: str  # Family.name
    line_1: str
    town: str
    postcode: str
    duplicate_given_name: str
    duplicate_family_name: str
    duplicate_team: str
    duplicate_family: str
    duplicate_line_1: str
    duplicate_town: str
    duplicate_postcode: str
    # (relationship to the child, given name, family name, age)
    duplicate_relative: tuple[str, str, str, int]
    community: str
    sex: str
    age: int
    birthday: tuple[int, int]  # (month, day)
    previous_family_name: str = ""
    transposed_date_of_birth: bool = False


def _near_duplicate(entry):
    return NearDuplicate(
        **{
            **entry,
            "sex": Sex(entry["sex"]),
            "duplicate_relative": tuple(entry["duplicate_relative"]),
            "birthday": tuple(entry["birthday"]),
        }
    )


NEAR_DUPLICATES = [_near_duplicate(entry) for entry in load("near_duplicates")]

# Case notes -------------------------------------------------------------------------------
#
# Placeholders every family can fill: {carer} (the main carer's given name), {carer_title}
# ("mum", "dad", "nan"...), {child} (the child the work centres on; a family expecting its
# first baby has none, and gets no note naming one), {pct} (an attendance percentage),
# {before} and {after} (scaling scores). Others are listed in `needs` and only used when
# the family has them.


@dataclass(frozen=True)
class NoteTemplate:
    note_type: str
    summary: str
    body: str = ""
    needs: tuple[str, ...] = ()
    is_significant: bool = False
    is_restricted: bool = False
    by_manager: bool = False


def _note(note_type, summary, body="", *needs, manager=False):
    """A note template; significant events go in the chronology."""
    significant = note_type == NoteType.SIGNIFICANT_EVENT
    return NoteTemplate(
        note_type, summary, body, needs, is_significant=significant, by_manager=manager
    )


ALWAYS_AVAILABLE = ("carer", "carer_title", "child", "pct", "before", "after")

REQUESTS_FOR_SUPPORT = [
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from {school}: worries about {child}'s attendance and wellbeing",
        "School report attendance at {pct}% and that {child} seems tired and withdrawn. "
        "{carer} knows about the request and agrees to early help.",
        "school",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from {school}: {child}'s behaviour at school and at home",
        "Several incidents in class this half term. {carer} says things are difficult at home "
        "too and would welcome help with routines and boundaries.",
        "school",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from the health visitor: help with {little}'s sleep and routines",
        "{carer} is exhausted and asked the health visitor for support. No concerns about the "
        "care of the children; {carer} agrees to a referral.",
        "little",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from the community midwife: pregnancy and housing worries",
        "{carer} is expecting a baby and the family's home is overcrowded. Consent given for "
        "early help and a housing referral.",
        "unborn",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "{carer} asked for help at the family hub: money worries and the children's routines",
        "Self-referral. Universal Credit deductions have left the family short each month.",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from the GP: {carer}'s low mood and managing at home",
        "{carer} has started counselling through Talking Therapies and would like practical "
        "help with the children's routines while things are hard.",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from Brackenshire Homes: rent arrears and repairs",
        "The tenancy sustainment officer is worried about arrears building up. {carer} agrees "
        "to early help.",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from {carer}: kinship carer asking for help with {child}",
        "{carer} has cared for the children since their mother could not. Asking for help with "
        "{child}'s behaviour, school and the family's finances.",
        "kinship",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from the Family Nurse Partnership: young parent, housing and college",
        "{carer} would like help to return to college and to find somewhere to live with the "
        "baby in the longer term.",
        "young_parent",
    ),
]

FAMILY_NOTES = [
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Consent to early help and to sharing information given by {carer}",
        "Explained what early help is, who we would share information with and why. "
        "{carer} signed the consent form.",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: {carer_title} reports {child}'s sleep routine improving; school attendance "
        "{pct}% this half term",
        "Bedtime now 7.30pm with a story. {carer} is pleased with the progress.",
        "school",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: Early Help Assessment completed with {carer}; {child} shared their views",
        "Used the three houses tool with {child}: house of worries, house of good things and "
        "house of dreams. Strengths: a loving home and a supportive grandparent.",
        "school",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: morning routine chart in place; {child} on time for school most days",
        "{carer} made the chart with the children. Mornings are calmer.",
        "school",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: talked through money worries; {carer} agreed to a Citizens Advice referral",
        "Helped {carer} to list debts and priority bills. Food bank voucher given.",
    ),
    _note(
        NoteType.PHONE,
        "Phone call from {school}: attendance now {pct}%; to discuss at the next TAF meeting",
        "",
        "school",
    ),
    _note(
        NoteType.PHONE,
        "Phone call with {carer} to confirm Thursday's TAF review",
        "{carer} will attend with {child}. Reminded about the bus fare refund.",
    ),
    _note(
        NoteType.MESSAGE,
        "Text from {carer}: {child} had a good week and enjoyed the after-school club",
        "",
        "school",
    ),
    _note(
        NoteType.MEETING,
        "TAF meeting: plan reviewed; routines and attendance outcomes on track",
        "Attended by {carer}, school and the health visitor. Scaling {after}/10.",
    ),
    _note(
        NoteType.MEETING,
        "TAF review: family scaling {after}/10, up from {before}/10; plan continues six weeks",
        "Everyone agreed what is working well. Next review booked.",
    ),
    _note(
        NoteType.OFFICE_VISIT,
        "{carer} came to the family hub: help with the Universal Credit journal",
        "Also gave details of the holiday activities and food programme.",
    ),
    _note(
        NoteType.OFFICE_VISIT,
        "{carer} attended week 3 of the Triple P parenting group",
        "{carer} found the session on praise and attention useful and will try it at home.",
    ),
    _note(
        NoteType.OTHER,
        "Management oversight: case discussed in supervision; plan on track",
        "Lead professional to book the next TAF review and check attendance with school.",
        manager=True,
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Family moved to a Brackenshire Homes tenancy at the current address",
        "Two-bedroom house. The children share a room; {carer} is relieved.",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Early Help Assessment agreed by the locality manager",
        "Level 3: multi-agency early help with a Team Around the Family.",
        manager=True,
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "{teen} given a two-day suspension by {teen_school}",
        "Reintegration meeting booked with {carer}. School will offer mentoring.",
        "teen",
        "teen_school",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "{teen} referred to CAMHS; first appointment offered",
        "{teen} agreed to the referral. {carer} will go with them.",
        "teen",
    ),
    _note(
        NoteType.MESSAGE,
        "Email from the SENCo: {send_child}'s SEN support plan updated",
        "New targets for reading and for managing changes in the day.",
        "send_child",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Education, health and care needs assessment agreed for {ehc_child}",
        "The local authority will complete the assessment within 20 weeks.",
        "ehc_child",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit with a {language} interpreter: went through the family plan together",
        "{carer} asked for a copy of the plan in {language}.",
        "language",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: {young_carer} helps {carer} with medication and shopping",
        "Talked with {young_carer} about the young carers' group on Tuesdays; "
        "{young_carer} would like to go.",
        "young_carer",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Young carer's assessment completed with {young_carer} by Brackenshire Carers' Centre",
        "{young_carer} will have a young carers' card for school and a place at the group.",
        "young_carer",
    ),
    _note(
        NoteType.PHONE,
        "Phone call with the community midwife: antenatal appointments attended",
        "Midwife has no concerns. Baby's cot and equipment discussed; grant application sent.",
        "unborn",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Special guardianship order granted to {carer} for the children",
        "The children will stay with {carer}. Kinship carer support group offered.",
        "special_guardianship",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: {carer} reports the children settled; contact with their mother going well",
        "Contact every other Saturday at the family hub.",
        "kinship",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Shared care arrangement confirmed: the children stay with {other_parent} every other "
        "weekend and on Wednesdays",
        "Both parents agreed the arrangement through mediation.",
        "other_parent",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit: {carer} talked about separating from {left}; the children see {left} often",
        "{carer} is managing well and has support from family nearby.",
        "left",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Home visit at {carer}'s: the children stay here every other weekend and on Wednesdays",
        "They live mainly with {main_home}. {carer} and {main_home} share a contact book.",
        "main_home",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Family Nurse Partnership joint visit: {little} feeding well; {carer} back at college",
        "Nursery place arranged for two days a week.",
        "young_parent",
        "little",
    ),
    _note(
        NoteType.HOME_VISIT,
        "Visit on site with the Traveller education liaison worker",
        "{child}'s school place confirmed. {carer} would like help with reading letters.",
        "site",
    ),
]

# Notes that, when chosen, come straight after the request for support, in this order.
NOTE_ORDER = {
    template.summary: rank
    for rank, template in enumerate(
        [
            *REQUESTS_FOR_SUPPORT,
            *(template for template in FAMILY_NOTES if "Consent" in template.summary),
            *(template for template in FAMILY_NOTES if "Early Help Assessment" in template.summary),
        ]
    )
}

RESTRICTED_NOTES = [
    NoteTemplate(
        NoteType.OTHER,
        "Information from the GP about {carer}'s health, shared with consent",
        "Restricted: for the lead professional and the manager only.",
        is_restricted=True,
    ),
    NoteTemplate(
        NoteType.PHONE,
        "Safe Haven confirmed {carer} is working with an outreach worker",
        "Restricted: do not share {carer}'s mobile number or details of the outreach plan.",
        is_significant=True,
        is_restricted=True,
    ),
    NoteTemplate(
        NoteType.MEETING,
        "Information shared at the MASH by the police: restricted to the lead professional",
        "No immediate safeguarding concern; early help continues with the family's consent.",
        is_significant=True,
        is_restricted=True,
    ),
]

DUPLICATE_RECORD_NOTES = [
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Request for support from {school} about {child}'s attendance",
        "Recorded from the school's form; some details not yet confirmed with the family.",
    ),
    _note(
        NoteType.SIGNIFICANT_EVENT,
        "Screening outcome: information and advice given, no further action",
        "{carer} was given details of the family hub and the school nurse drop-in.",
    ),
]

# The plan ---------------------------------------------------------------------------------


@dataclass
class AddressPlan:
    line_1: str
    town: str
    postcode: str
    moved_in_days_ago: int
    moved_out_days_ago: int | None = None


@dataclass
class PersonPlan:
    record_type: str
    given_name: str
    family_name: str
    sex: str
    ethnicity: str = ""
    first_language: str = ""
    age: int | None = None
    birthday: tuple[int, int] | None = None  # (month, day)
    due_in_days: int | None = None  # unborn: expected date of delivery
    # A near-duplicate's date of birth is the recorded child's, perhaps transposed.
    born_as: "PersonPlan | None" = None
    transposed_date_of_birth: bool = False
    nhs_number: str = ""
    upn_school: str = ""  # DfE number of the school that issued the UPN
    upn_serial: int | None = None
    school_or_setting: str = ""
    send: str = ""
    disability: str = ""
    young_carer: bool = False
    # (given, family, used until: days ago)
    previous_names: list[tuple[str, str, int]] = field(default_factory=list)
    addresses: list[AddressPlan] = field(default_factory=list)


@dataclass
class MemberPlan:
    person: PersonPlan
    joined_days_ago: int | None
    left_days_ago: int | None = None
    lives_at_family_address: bool = True


@dataclass
class RelationshipPlan:
    from_person: PersonPlan
    to_person: PersonPlan
    relationship_type: str
    has_parental_responsibility: bool = False
    description: str = ""


@dataclass
class NotePlan:
    note_type: str
    days_ago: int
    minute_of_day: int
    summary: str
    body: str
    subjects: list[PersonPlan]
    is_significant: bool = False
    is_restricted: bool = False
    by_manager: bool = False


@dataclass
class FamilyPlan:
    name: str
    line_1: str
    town: str
    postcode: str
    team: str
    members: list[MemberPlan] = field(default_factory=list)
    relationships: list[RelationshipPlan] = field(default_factory=list)
    notes: list[NotePlan] = field(default_factory=list)

    @property
    def key(self):
        return (self.name, self.postcode, self.team)

    def add(self, person, joined_days_ago, *, left_days_ago=None, lives_here=True):
        self.members.append(MemberPlan(person, joined_days_ago, left_days_ago, lives_here))
        return person

    def relate(
        self, from_person, to_person, relationship_type, parental_responsibility=False, **extra
    ):
        if to_person.record_type == RecordType.UNBORN:
            parental_responsibility = False  # nobody has it before birth
        self.relationships.append(
            RelationshipPlan(
                from_person, to_person, relationship_type, parental_responsibility, **extra
            )
        )


@dataclass
class HouseholdPlan:
    """Families created together: one, or two sharing people (shared care) or a story (a
    near-duplicate pair). Created or skipped as a whole."""

    shape: str
    families: list[FamilyPlan]


@dataclass
class _Context:
    """What the notes of one family can talk about."""

    carer: PersonPlan | None
    carer_title: str
    children: list[PersonPlan]
    locality: str
    values: dict = field(default_factory=dict)


def _feminine(community_key, surname, *, married=True):
    """The form of a family name a woman or girl carries, where the language has one."""
    if community_key == "polish":
        for masculine, feminine in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if surname.endswith(masculine):
                return surname[: -len(masculine)] + feminine
    if community_key == "lithuanian" and surname in LITHUANIAN_FEMININE:
        return LITHUANIAN_FEMININE[surname][0 if married else 1]
    return surname


class _Builder:
    """The random choices, in one fixed order, and the identifiers handed out so far."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.nhs_numbers = []
        self.upn_serial = 0
        self.family_keys = []
        self.addresses = []
        self.team_turn = 0

    # Choices

    def chance(self, probability):
        return self.rng.random() < probability

    def pick(self, options):
        return self.rng.choice(list(options))

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def birthday(self):
        return (self.rng.randint(1, 12), self.rng.randint(1, 28))

    def days(self, years_from, years_to):
        return self.rng.randint(int(years_from * 365), int(years_to * 365))

    def next_team(self):
        team = TEAM_ROTATION[self.team_turn % len(TEAM_ROTATION)]
        self.team_turn += 1
        return team

    def locality_of(self, team):
        for locality, name in LOCALITY_TEAMS.items():
            if name == team:
                return locality
        return self.pick(LOCALITY_TEAMS)

    def community(self):
        return self.weighted(COMMUNITY_WEIGHTS)

    def parents_communities(self):
        """(mother's community, father's community, the children's ethnicity)."""
        if self.chance(MIXED_HERITAGE_SHARE):
            return self.pick(MIXED_HERITAGE)
        key = self.community()
        return key, key, COMMUNITIES[key].ethnicity

    def home_language(self, community_key):
        return self.weighted(dict(COMMUNITIES[community_key].languages))

    def child_ages(self, parent_age, count, *, youngest=0, oldest=17):
        top = max(youngest, min(oldest, parent_age - 17))
        ages = [self.rng.randint(min(top, youngest + 2 * (count - 1)), top)]
        while len(ages) < count:
            gap = 0 if self.chance(0.03) else self.rng.randint(1, 4)  # 0: twins
            if ages[-1] - gap < youngest:
                break
            ages.append(ages[-1] - gap)
        return ages

    def child_count(self, community_key):
        if COMMUNITIES[community_key].larger_families:
            return self.weighted({1: 10, 2: 20, 3: 25, 4: 25, 5: 12, 6: 8})
        return self.weighted({1: 30, 2: 35, 3: 22, 4: 10, 5: 3})

    # Identifiers

    def nhs_number(self):
        while True:
            stem = "9" + "".join(str(self.rng.randrange(10)) for _ in range(8))
            number = nhs_number_with_check_digit(stem)
            if number and len(set(number)) > 1 and number not in self.nhs_numbers:
                self.nhs_numbers.append(number)
                return number

    def next_upn_serial(self):
        self.upn_serial += 1
        if self.upn_serial > 999:
            raise ValueError("Too many demo pupils for a 3-digit UPN serial")
        return self.upn_serial

    # Places

    def address(self, locality, community_key=None, *, flats=False):
        if community_key and self.chance(COMMUNITIES[community_key].lives_on_site):
            site, town, postcode = TRAVELLER_SITES[locality]
            return f"Plot {self.rng.randint(1, 24)}, {site}", town, postcode
        town = self.pick(TOWNS[locality])
        streets = TOWNS[locality][town]
        if flats:
            streets = [street for street in streets if street[2] == "flats"] or streets
        street, postcode, kind = self.pick(streets)
        if kind == "flats":
            return f"Flat {self.rng.randint(1, 36)}, {street}", town, postcode
        return f"{self.rng.randint(1, 140)} {street}", town, postcode

    def family(self, team, locality, name, community_key=None, *, address=None, flats=False):
        """A new family record at an unused address, with an unused key (name, postcode)."""
        for _ in range(100):
            line_1, town, postcode = address or self.address(locality, community_key, flats=flats)
            free = (line_1, postcode) not in self.addresses
            if free and (name, postcode) not in self.family_keys:
                self.family_keys.append((name, postcode))
                self.addresses.append((line_1, postcode))
                return FamilyPlan(name, line_1, town, postcode, team)
            if address:
                raise ValueError(f"Demo family {name} at {line_1}, {postcode} is planned twice")
        raise ValueError(f"No free address for another {name}")

    # People

    def given_name(self, community_key, sex, generation, taken=()):
        community = COMMUNITIES[community_key]
        pools = {
            ("child", FEMALE): community.girls,
            ("child", MALE): community.boys,
            ("adult", FEMALE): community.women,
            ("adult", MALE): community.men,
            ("elder", FEMALE): community.elder_women or community.women,
            ("elder", MALE): community.elder_men or community.men,
        }
        pool = [name for name in pools[(generation, sex)] if name not in taken]
        return self.pick(pool or pools[(generation, sex)])

    def surname(self, community_key):
        community = COMMUNITIES[community_key]
        if community.patronymic:
            return self.pick(community.men)
        return self.pick(community.surnames)

    def adult(self, community_key, sex, age, surname, *, language, elder=False, given=None):
        community = COMMUNITIES[community_key]
        person = PersonPlan(
            record_type=RecordType.ADULT,
            given_name=given or self.given_name(community_key, sex, "elder" if elder else "adult"),
            family_name=_feminine(community_key, surname) if sex == FEMALE else surname,
            sex=sex,
            ethnicity=community.ethnicity,
            first_language=language,
            age=age,
            birthday=self.birthday(),
        )
        if self.chance(0.45):
            person.nhs_number = self.nhs_number()
        return person

    def child(
        self, context, community_keys, ethnicity, age, surname, *, sex=None, given=None,
        birthday=None,
    ):  # fmt: skip
        """A child of the household: named from either parent's community, at a school or
        setting for their age, usually with an NHS number. Twins share a birthday."""
        sex = sex or self.pick([FEMALE, MALE])
        named_from = self.pick(community_keys)
        taken = [person.given_name for person in context.children]
        twin = next((other for other in context.children if other.age == age), None)
        person = PersonPlan(
            record_type=RecordType.CHILD,
            given_name=given or self.given_name(named_from, sex, "child", taken),
            family_name=(
                _feminine(community_keys[-1], surname, married=False) if sex == FEMALE else surname
            ),
            sex=sex,
            ethnicity=ethnicity,
            first_language=(
                context.values.get("home_language", "English")
                if self.chance(COMMUNITIES[community_keys[0]].child_home_language)
                else "English"
            ),
            age=age,
            birthday=birthday or (twin.birthday if twin else self.birthday()),
        )
        self.schooling(person, context.locality)
        if self.chance(0.93):
            person.nhs_number = self.nhs_number()
        context.children.append(person)
        return person

    def schooling(self, person, locality):
        age = person.age
        primary, primary_number = self.pick(PRIMARY_SCHOOLS[locality])
        if 2 <= age <= 3:
            person.send = self.weighted({SEND.NONE: 85, SEND.SEN_SUPPORT: 10, SEND.NOT_KNOWN: 5})
        elif age >= 4:
            person.send = self.weighted(
                {SEND.NONE: 68, SEND.SEN_SUPPORT: 22, SEND.EHC_PLAN: 7, SEND.NOT_KNOWN: 3}
            )
        if person.send == SEND.EHC_PLAN and self.chance(0.5):
            person.disability = self.pick(CHILD_DISABILITIES)
        if 2 <= age <= 3 and self.chance(0.6):
            person.school_or_setting = self.pick(EARLY_YEARS[locality])
        elif 4 <= age <= 17:
            if age >= 5 and self.chance(0.02):
                person.school_or_setting = HOME_EDUCATED
            elif person.send == SEND.EHC_PLAN and age >= 5 and self.chance(0.4):
                person.school_or_setting = SPECIAL_SCHOOL[0]
            elif age <= 10:
                person.school_or_setting = primary
            elif age <= 15:
                person.school_or_setting = SECONDARY_SCHOOLS[locality][0]
            elif self.chance(0.85):
                person.school_or_setting = self.pick(
                    [FURTHER_EDUCATION, SECONDARY_SCHOOLS[locality][0] + " sixth form"]
                )
            if (age >= 5 or person.school_or_setting) and self.chance(0.9):
                person.upn_school = primary_number
                person.upn_serial = self.next_upn_serial()

    def unborn(self, context, surname, ethnicity):
        person = PersonPlan(
            record_type=RecordType.UNBORN,
            given_name="",
            family_name=surname,
            sex=self.pick([FEMALE, MALE]) if self.chance(0.3) else Sex.NOT_KNOWN,
            ethnicity=ethnicity,
            due_in_days=self.rng.randint(30, 180),
        )
        context.values["unborn"] = True
        context.children.append(person)
        return person

    def previous_address(self, person, locality, moved_out_days_ago, current):
        """A previous address (elsewhere in the county) and the current one from when they
        moved."""
        elsewhere = self.pick(TOWNS) if self.chance(0.4) else locality
        line_1, town, postcode = self.address(elsewhere)
        moved_in = moved_out_days_ago + self.days(1, 6)
        person.addresses = [
            AddressPlan(line_1, town, postcode, moved_in, moved_out_days_ago),
            AddressPlan(*current, moved_out_days_ago),
        ]


# Household shapes -------------------------------------------------------------------------
#
# Each takes the builder, the owning team and the locality, and returns a HouseholdPlan.
# "Days ago" offsets: `formed` is when the household set up at its address (children born
# since joined at birth: the creation clamps joining dates to the date of birth).


WHITE = {Ethnicity.WBRI, Ethnicity.WIRI, Ethnicity.WIRT, Ethnicity.WROM, Ethnicity.WOTH}


def _childrens_ethnicity(one_parent_key, other_parent_key):
    """The DfE code for the children of parents from these two communities."""
    one, other = COMMUNITIES[one_parent_key].ethnicity, COMMUNITIES[other_parent_key].ethnicity
    if one == other:
        return one
    for mother_key, father_key, ethnicity in MIXED_HERITAGE:
        if {mother_key, father_key} == {one_parent_key, other_parent_key}:
            return ethnicity
    return Ethnicity.WOTH if {one, other} <= WHITE else Ethnicity.MOTH


def _family_name(*surnames):
    return " and ".join(dict.fromkeys(surnames)) + " family"


def _formed_days_ago(b, eldest_age, parent_age):
    """When the household formed: around the eldest child's birth, after the parent was 18."""
    latest = max(int((parent_age - 18) * 365), 400)
    earliest = min(int((eldest_age + 0.5) * 365), latest)
    return b.rng.randint(earliest, min(latest, earliest + 5 * 365))


def _relate_siblings(family, children):
    """Every pair of (born) brothers and sisters, older to younger."""
    born = [child for child in children if child.record_type != RecordType.UNBORN]
    for index, older in enumerate(born):
        for younger in born[index + 1 :]:
            family.relate(older, younger, RelationshipType.SIBLING)


def _relate_parent(family, parent, children, relationship_type):
    for child in children:
        family.relate(parent, child, relationship_type, True)


def _mother_surname(b, mother_key, father_key, children_surname, *, married):
    """The mother's family name and, when she took her husband's, her previous one."""
    community = COMMUNITIES[mother_key]
    if community.patronymic:
        return b.pick(community.men), None
    if community.women_surnames and b.chance(0.6):
        return b.pick(community.women_surnames), None
    own = b.surname(mother_key)
    if (
        not married
        or own == children_surname
        or COMMUNITIES[father_key].patronymic
        or b.chance(community.keeps_own_name)
    ):
        return own, None
    return children_surname, own


def _children_surname(b, father_key, father_given):
    if COMMUNITIES[father_key].patronymic:
        return father_given
    return b.surname(father_key)


def _father_surname(b, father_key, children_surname):
    return b.surname(father_key) if COMMUNITIES[father_key].patronymic else children_surname


def _childrens_father(b, father_key, given, children_surname, age, *, language=None):
    """The children's father, with his community's language unless another is given. (His
    surname is drawn before his language: the seeded choices depend on the order.)"""
    surname = _father_surname(b, father_key, children_surname)
    if language is None:
        language = b.home_language(father_key)
    return b.adult(father_key, MALE, age, surname, language=language, given=given)


def _maybe_young_carer(b, context, carer):
    """Now and then a parent has a long-term condition and an older child helps care."""
    older = [child for child in context.children if child.age and child.age >= 8]
    if older and b.chance(0.08):
        carer.disability = b.pick(HEALTH_CONDITIONS)
        older[0].young_carer = True
        context.values["young_carer"] = older[0]


def _new_context(b, carer, carer_title, locality, language):
    context = _Context(carer, carer_title, [], locality)
    context.values["home_language"] = language
    if language != "English":
        context.values["language"] = language
    return context


def two_parents(b, team, locality):
    mother_key, father_key, ethnicity = b.parents_communities()
    language = b.home_language(mother_key)
    father_language = language if father_key == mother_key else b.home_language(father_key)
    mother_age = b.rng.randint(21, 46)
    father_given = b.given_name(father_key, MALE, "adult")
    surname = _children_surname(b, father_key, father_given)
    family = b.family(team, locality, _family_name(surname), mother_key)
    ages = b.child_ages(mother_age, b.child_count(mother_key))
    father_age = max(ages[0] + 18, mother_age + b.rng.randint(-2, 6))
    formed = _formed_days_ago(b, ages[0], mother_age)
    married = b.chance(0.6)
    mother_surname, maiden = _mother_surname(b, mother_key, father_key, surname, married=married)
    mother = b.adult(mother_key, FEMALE, mother_age, mother_surname, language=language)
    if maiden and b.chance(0.5):
        mother.previous_names.append((mother.given_name, _feminine(mother_key, maiden), formed))
    father = _childrens_father(
        b, father_key, father_given, surname, father_age, language=father_language
    )
    context = _new_context(b, mother, "mum", locality, language)
    family.add(mother, formed)
    family.add(father, formed)
    for age in ages:
        family.add(b.child(context, [mother_key, father_key], ethnicity, age, surname), formed)
    if mother_age <= 42 and b.chance(0.05):
        family.add(b.unborn(context, surname, ethnicity), None)
    _relate_parent(family, mother, context.children, RelationshipType.MOTHER)
    _relate_parent(family, father, context.children, RelationshipType.FATHER)
    _relate_siblings(family, context.children)
    if b.chance(COMMUNITIES[father_key].multigenerational):
        grandmother = b.adult(
            father_key,
            FEMALE,
            father_age + b.rng.randint(20, 30),
            father.family_name,
            language=b.home_language(father_key),
            elder=True,
        )
        family.add(grandmother, b.rng.randint(min(200, formed), formed))
        for child in context.children:
            family.relate(grandmother, child, RelationshipType.GRANDPARENT)
        family.relate(grandmother, father, RelationshipType.MOTHER)
    _maybe_young_carer(b, context, mother)
    if b.chance(0.1):
        b.previous_address(mother, locality, formed, _address_of(family))
    _add_notes(b, family, context)
    return HouseholdPlan("two_parents", [family])


def single_mother(b, team, locality):
    mother_key, father_key, ethnicity = b.parents_communities()
    language = b.home_language(mother_key)
    mother_age = b.rng.randint(19, 48)
    father_given = b.given_name(father_key, MALE, "adult")
    ages = b.child_ages(mother_age, b.child_count(mother_key))
    formed = _formed_days_ago(b, ages[0], mother_age)
    was_married = b.chance(0.3)
    surname = _children_surname(b, father_key, father_given)
    if not was_married and not COMMUNITIES[mother_key].patronymic and b.chance(0.4):
        # The children carry their mother's name.
        mother_surname, maiden = b.surname(mother_key), None
        surname = mother_surname
    else:
        mother_surname, maiden = _mother_surname(
            b, mother_key, father_key, surname, married=was_married
        )
    mother = b.adult(mother_key, FEMALE, mother_age, mother_surname, language=language)
    if maiden:
        mother.previous_names.append((mother.given_name, _feminine(mother_key, maiden), formed))
    family = b.family(team, locality, _family_name(surname), mother_key)
    context = _new_context(b, mother, "mum", locality, language)
    family.add(mother, formed)
    for age in ages:
        family.add(b.child(context, [mother_key, father_key], ethnicity, age, surname), formed)
    if mother_age <= 40 and b.chance(0.04):
        family.add(b.unborn(context, mother.family_name, COMMUNITIES[mother_key].ethnicity), None)
    _relate_parent(family, mother, context.children, RelationshipType.MOTHER)
    _relate_siblings(family, context.children)
    if b.chance(0.35):  # the children's father lived here, and left
        father_age = max(ages[0] + 18, mother_age + b.rng.randint(-1, 6))
        father = _childrens_father(b, father_key, father_given, surname, father_age)
        youngest = min(ages)
        left = b.rng.randint(30, max(31, min(formed - 1, youngest * 365 + 200)))
        family.add(father, formed, left_days_ago=left)
        born = [child for child in context.children if child.record_type != RecordType.UNBORN]
        _relate_parent(family, father, born, RelationshipType.FATHER)
        context.values["left"] = father.given_name
    _maybe_young_carer(b, context, mother)
    if b.chance(0.2):
        b.previous_address(mother, locality, b.rng.randint(60, 1500), _address_of(family))
    _add_notes(b, family, context)
    return HouseholdPlan("single_mother", [family])


def single_father(b, team, locality):
    key = b.community()
    community = COMMUNITIES[key]
    language = b.home_language(key)
    father_age = b.rng.randint(26, 52)
    father = b.adult(key, MALE, father_age, b.surname(key), language=language)
    surname = father.given_name if community.patronymic else father.family_name
    family = b.family(team, locality, _family_name(surname), key)
    ages = b.child_ages(father_age, b.weighted({1: 40, 2: 40, 3: 20}), youngest=2)
    formed = _formed_days_ago(b, ages[0], father_age)
    context = _new_context(b, father, "dad", locality, language)
    family.add(father, formed)
    for age in ages:
        family.add(b.child(context, [key], community.ethnicity, age, surname), formed)
    _relate_parent(family, father, context.children, RelationshipType.FATHER)
    _relate_siblings(family, context.children)
    if b.chance(0.3):  # the children's mother lived here, and left
        mother_surname = b.pick(community.men) if community.patronymic else surname
        mother = b.adult(
            key,
            FEMALE,
            max(ages[0] + 18, father_age - b.rng.randint(0, 5)),
            mother_surname,
            language=language,
        )
        family.add(mother, formed, left_days_ago=b.rng.randint(90, max(91, min(ages) * 365)))
        _relate_parent(family, mother, context.children, RelationshipType.MOTHER)
        context.values["left"] = mother.given_name
    _maybe_young_carer(b, context, father)
    _add_notes(b, family, context)
    return HouseholdPlan("single_father", [family])


def step_family(b, team, locality):
    """A parent, their children from an earlier relationship, a new partner (the children's
    step-parent) and the couple's own children: half-siblings, often with another name."""
    parent_key, ex_key, first_ethnicity = b.parents_communities()
    partner_key = b.community() if b.chance(0.2) else parent_key
    language = b.home_language(parent_key)
    mother_led = b.chance(0.75)
    parent_age = b.rng.randint(25, 45)
    years_together = b.rng.randint(1, 7)
    together = b.days(years_together, years_together + 0.9)
    first_ages = b.child_ages(
        parent_age, b.weighted({1: 40, 2: 40, 3: 20}), youngest=years_together
    )
    married = b.chance(0.4)
    if mother_led:
        ex_given = b.given_name(ex_key, MALE, "adult")
        first_surname = _children_surname(b, ex_key, ex_given)
        partner_surname = b.surname(partner_key)
        while partner_surname == first_surname:
            partner_surname = b.surname(partner_key)
        partner = b.adult(
            partner_key,
            MALE,
            max(20, parent_age + b.rng.randint(-3, 6)),
            partner_surname,
            language=b.home_language(partner_key),
        )
        joint_surname = (
            partner.given_name if COMMUNITIES[partner_key].patronymic else partner.family_name
        )
        # Her own family name, or the children's (if she married their father).
        earlier = b.pick([b.surname(parent_key), first_surname])
        parent_surname = joint_surname if married else earlier
        parent = b.adult(parent_key, FEMALE, parent_age, parent_surname, language=language)
        if married:
            parent.previous_names.append(
                (parent.given_name, _feminine(parent_key, earlier), together)
            )
    else:
        first_ethnicity = COMMUNITIES[parent_key].ethnicity
        ex_key = parent_key
        first_surname = b.surname(parent_key)
        parent = b.adult(parent_key, MALE, parent_age, first_surname, language=language)
        partner = b.adult(
            partner_key,
            FEMALE,
            max(20, parent_age + b.rng.randint(-6, 3)),
            b.surname(partner_key),
            language=b.home_language(partner_key),
        )
        if married:
            partner.previous_names.append((partner.given_name, partner.family_name, together))
            partner.family_name = _feminine(parent_key, first_surname)
        joint_surname = first_surname
    family = b.family(team, locality, _family_name(first_surname, joint_surname), parent_key)
    context = _new_context(b, parent, "mum" if mother_led else "dad", locality, language)
    formed = together + b.days(0.5, 6)
    family.add(parent, formed)
    family.add(partner, together)
    first = []
    for age in first_ages:
        child = b.child(context, [parent_key, ex_key], first_ethnicity, age, first_surname)
        family.add(child, formed)
        first.append(child)
        if mother_led and married and b.chance(0.25):
            # Changed to the step-father's family name by deed poll.
            child.previous_names.append((child.given_name, child.family_name, together // 2))
            child.family_name = joint_surname
    joint_ethnicity = _childrens_ethnicity(parent_key, partner_key)
    joint_count = b.weighted({0: 25, 1: 50, 2: 25}) if years_together > 1 else 0
    second = []
    if joint_count:
        for age in b.child_ages(40, joint_count, oldest=years_together - 1):
            child = b.child(context, [parent_key, partner_key], joint_ethnicity, age, joint_surname)
            family.add(child, together)
            second.append(child)
    if mother_led and parent_age <= 42 and b.chance(0.12):
        second.append(b.unborn(context, joint_surname, joint_ethnicity))
        family.add(second[-1], None)
    parent_type = RelationshipType.MOTHER if mother_led else RelationshipType.FATHER
    partner_type = RelationshipType.FATHER if mother_led else RelationshipType.MOTHER
    _relate_parent(family, parent, first + second, parent_type)
    _relate_parent(family, partner, second, partner_type)
    for child in first:
        family.relate(partner, child, RelationshipType.STEP_PARENT)
    family.relate(partner, parent, RelationshipType.PARTNER_OF_PARENT)
    _relate_siblings(family, first)
    _relate_siblings(family, second)
    for older in first:
        for younger in second:
            if younger.record_type != RecordType.UNBORN:
                family.relate(older, younger, RelationshipType.HALF_SIBLING)
    _maybe_young_carer(b, context, parent)
    _add_notes(b, family, context)
    return HouseholdPlan("step_family", [family])


def kinship(b, team, locality):
    """Grandparents bringing up their grandchildren (kinship care). Only a special
    guardianship order gives them parental responsibility."""
    key = b.community()
    community = COMMUNITIES[key]
    language = b.home_language(key)
    ages = b.child_ages(40, b.weighted({1: 45, 2: 35, 3: 20}), youngest=1, oldest=16)
    mother_age = ages[0] + b.rng.randint(17, 26)
    grandmother_age = min(78, mother_age + b.rng.randint(18, 27))
    grand_surname = b.surname(key)
    grandmother = b.adult(
        key, FEMALE, grandmother_age, grand_surname, language=language, elder=True
    )
    maternal = b.chance(0.6)  # their daughter's children, usually with their father's name
    surname = b.surname(key) if maternal else grand_surname
    if community.patronymic:
        surname = b.pick(community.men)
    family = b.family(team, locality, _family_name(surname), key)
    context = _new_context(b, grandmother, "nan", locality, language)
    context.values["kinship"] = True
    carers = [grandmother]
    family.add(grandmother, b.days(8, 30))
    if b.chance(0.4):
        grandfather = b.adult(
            key,
            MALE,
            grandmother_age + b.rng.randint(-2, 5),
            grand_surname,
            language=language,
            elder=True,
        )
        family.add(grandfather, family.members[0].joined_days_ago)
        carers.append(grandfather)
    since = b.rng.randint(200, max(201, min(ages) * 365))
    for age in ages:
        family.add(b.child(context, [key], community.ethnicity, age, surname), since)
    special_guardianship = b.chance(0.4)
    if special_guardianship:
        context.values["special_guardianship"] = True
    for carer in carers:
        for child in context.children:
            family.relate(carer, child, RelationshipType.GRANDPARENT)
            family.relate(carer, child, RelationshipType.CARER, special_guardianship)
    _relate_siblings(family, context.children)
    if b.chance(0.35):  # the children's mother lived here with them for a while
        mother = b.adult(
            key, FEMALE, mother_age, grand_surname if maternal else b.surname(key),
            language=language,
        )  # fmt: skip
        family.add(mother, since + b.days(0.5, 3), left_days_ago=since)
        _relate_parent(family, mother, context.children, RelationshipType.MOTHER)
        if maternal:
            family.relate(grandmother, mother, RelationshipType.MOTHER)
    _add_notes(b, family, context)
    return HouseholdPlan("kinship", [family])


def young_parent(b, team, locality):
    """A mother aged 16 to 19 (a child's record until 18) with a baby or expecting one,
    often living with her own mother; the baby's father visits."""
    key = b.community()
    community = COMMUNITIES[key]
    language = b.home_language(key)
    mother_age = b.rng.randint(16, 19)
    surname = b.surname(key)
    with_her_mother = b.chance(0.65)
    family = b.family(team, locality, _family_name(surname), key, flats=not with_her_mother)
    context = _new_context(b, None, "mum", locality, language)
    context.values["young_parent"] = True
    if mother_age < 18:
        mother = b.child(context, [key], community.ethnicity, mother_age, surname, sex=FEMALE)
        context.children.remove(mother)
    else:
        mother = b.adult(key, FEMALE, mother_age, surname, language=language)
    context.carer = mother
    moved_in = b.days(mother_age, mother_age) if with_her_mother else b.days(0.3, 1.5)
    family.add(mother, moved_in)
    father_surname = b.surname(key)
    if b.chance(0.6):
        baby_surname = surname if b.chance(0.7) else father_surname
        baby = b.child(context, [key], community.ethnicity, b.pick([0, 0, 1]), baby_surname)
        family.add(baby, moved_in)
    else:
        baby = b.unborn(context, surname, community.ethnicity)
        family.add(baby, None)
    family.relate(mother, baby, RelationshipType.MOTHER, True)
    if with_her_mother:
        grandmother = b.adult(
            key, FEMALE, mother_age + b.rng.randint(17, 26), surname, language=language
        )
        family.add(grandmother, b.days(mother_age, mother_age + 5))
        family.relate(grandmother, mother, RelationshipType.MOTHER, mother_age < 18)
        family.relate(grandmother, baby, RelationshipType.GRANDPARENT)
    if b.chance(0.5):  # the baby's father, who lives elsewhere
        father_age = mother_age + b.rng.randint(0, 3)
        if father_age < 18:
            father = b.child(
                context, [key], community.ethnicity, father_age, father_surname, sex=MALE
            )
            context.children.remove(father)
        else:
            father = b.adult(key, MALE, father_age, father_surname, language=language)
        family.add(father, b.days(0.1, 1), lives_here=False)
        family.relate(father, baby, RelationshipType.FATHER, True)
        family.relate(father, mother, RelationshipType.PARTNER_OF_PARENT)
    _add_notes(b, family, context)
    return HouseholdPlan("young_parent", [family])


def shared_care(b, team, locality):
    """Separated parents who share the children's care: the children belong to both
    households, living at their mother's and staying at their father's."""
    mother_key, father_key, ethnicity = b.parents_communities()
    language = b.home_language(mother_key)
    mother_age = b.rng.randint(24, 45)
    father_given = b.given_name(father_key, MALE, "adult")
    surname = _children_surname(b, father_key, father_given)
    ages = b.child_ages(mother_age, b.weighted({1: 40, 2: 40, 3: 20}), youngest=2, oldest=15)
    separated = b.rng.randint(200, max(201, min(ages) * 365))
    formed = max(_formed_days_ago(b, ages[0], mother_age), separated + 365)
    mother_surname, maiden = _mother_surname(
        b, mother_key, father_key, surname, married=b.chance(0.4)
    )
    mother = b.adult(mother_key, FEMALE, mother_age, mother_surname, language=language)
    if maiden:
        mother.previous_names.append((mother.given_name, _feminine(mother_key, maiden), formed))
    father_age = max(ages[0] + 18, mother_age + b.rng.randint(-2, 6))
    father = _childrens_father(b, father_key, father_given, surname, father_age)
    mums = b.family(team, locality, _family_name(surname), mother_key)
    dads = b.family(team, locality, _family_name(father.family_name), father_key)
    at_mums = _new_context(b, mother, "mum", locality, language)
    at_mums.values.update(other_parent=father.given_name, left=father.given_name)
    mums.add(mother, formed)
    mums.add(father, formed, left_days_ago=separated)
    for age in ages:
        mums.add(b.child(at_mums, [mother_key, father_key], ethnicity, age, surname), formed)
    children = list(at_mums.children)
    _relate_parent(mums, mother, children, RelationshipType.MOTHER)
    _relate_parent(mums, father, children, RelationshipType.FATHER)
    _relate_siblings(mums, children)
    at_dads = _new_context(b, father, "dad", locality, b.home_language(father_key))
    at_dads.children = children
    at_dads.values["main_home"] = mother.given_name
    dads.add(father, separated)
    for child in children:
        dads.add(child, separated, lives_here=False)
    _relate_parent(dads, father, children, RelationshipType.FATHER)
    if b.chance(0.35):
        partner = b.adult(
            father_key, FEMALE, mother_age + b.rng.randint(-5, 3), b.surname(father_key),
            language=b.home_language(father_key),
        )  # fmt: skip
        dads.add(partner, b.rng.randint(30, separated))
        dads.relate(partner, father, RelationshipType.PARTNER_OF_PARENT)
        for child in children:
            dads.relate(partner, child, RelationshipType.STEP_PARENT)
    _add_notes(b, mums, at_mums)
    _add_notes(b, dads, at_dads, most=3)
    return HouseholdPlan("shared_care", [mums, dads])


def near_duplicate(b, spec: NearDuplicate):
    """The household where the child is recorded, and the other team's family where the
    same child was recorded again with a slip (see NearDuplicate)."""
    key = spec.community
    community = COMMUNITIES[key]
    language = b.home_language(key)
    locality = _locality_of_town(spec.town)
    base = spec.family.removesuffix(" family")
    family = b.family(
        spec.team, locality, spec.family, address=(spec.line_1, spec.town, spec.postcode)
    )
    mother_age = spec.age + b.rng.randint(21, 32)
    if community.patronymic:
        mother_surname = b.pick(community.men)
    elif community.women_surnames:
        mother_surname = b.pick(community.women_surnames)
    else:
        mother_surname = base.split("-")[0]
    mother = b.adult(key, FEMALE, mother_age, mother_surname, language=language)
    context = _new_context(b, mother, "mum", locality, language)
    formed = _formed_days_ago(b, spec.age + 3, mother_age)
    family.add(mother, formed)
    child = b.child(
        context, [key], community.ethnicity, spec.age, base, sex=spec.sex,
        given=spec.given_name, birthday=spec.birthday,
    )  # fmt: skip
    if child.family_name != spec.family_name:
        raise ValueError(f"{spec.why}: the family name works out as {child.family_name}")
    if child.school_or_setting in ("", HOME_EDUCATED, SPECIAL_SCHOOL[0]):
        child.school_or_setting = (
            PRIMARY_SCHOOLS[locality][0][0] if spec.age <= 10 else SECONDARY_SCHOOLS[locality][0]
        )
    family.add(child, formed)
    if spec.previous_family_name:
        # Her mother married; she took her step-father's name; they have a baby.
        renamed = b.days(1.5, 3)
        child.previous_names.append((child.given_name, spec.previous_family_name, renamed))
        mother.previous_names.append((mother.given_name, spec.previous_family_name, renamed))
        step_father = b.adult(key, MALE, mother_age + b.rng.randint(-2, 5), base, language=language)
        family.add(step_father, renamed + b.days(0.5, 1))
        baby = b.child(context, [key], community.ethnicity, b.pick([0, 1]), base)
        family.add(baby, renamed)
        family.relate(step_father, mother, RelationshipType.PARTNER_OF_PARENT)
        family.relate(step_father, child, RelationshipType.STEP_PARENT)
        family.relate(step_father, baby, RelationshipType.FATHER, True)
        family.relate(child, baby, RelationshipType.HALF_SIBLING)
    elif siblings := b.weighted({0: 30, 1: 50, 2: 20}):
        for age in b.child_ages(mother_age, siblings):
            if age != spec.age and len(context.children) <= siblings:
                family.add(b.child(context, [key], community.ethnicity, age, base), formed)
        _relate_siblings(family, context.children)
    _relate_parent(family, mother, context.children, RelationshipType.MOTHER)
    _add_notes(b, family, context)

    relationship, given, family_name, age = spec.duplicate_relative
    duplicate_family = b.family(
        spec.duplicate_team,
        _locality_of_town(spec.duplicate_town),
        spec.duplicate_family,
        address=(spec.duplicate_line_1, spec.duplicate_town, spec.duplicate_postcode),
    )
    relative = b.adult(
        key, MALE if relationship == "father" else FEMALE, age, family_name,
        language=language, given=given,
    )  # fmt: skip
    duplicate = PersonPlan(
        record_type=RecordType.CHILD,
        given_name=spec.duplicate_given_name,
        family_name=spec.duplicate_family_name,
        sex=spec.sex,
        ethnicity=Ethnicity.NOBT,
        born_as=child,
        transposed_date_of_birth=spec.transposed_date_of_birth,
        school_or_setting=child.school_or_setting,
    )
    recorded_days_ago = b.days(0.6, 1.2)
    duplicate_family.add(relative, recorded_days_ago + b.days(1, 4))
    duplicate_family.add(duplicate, recorded_days_ago)
    if relationship == "father":
        duplicate_family.relate(relative, duplicate, RelationshipType.FATHER, True)
    elif relationship == "grandmother":
        duplicate_family.relate(relative, duplicate, RelationshipType.GRANDPARENT)
    else:
        duplicate_family.relate(
            relative, duplicate, RelationshipType.OTHER, description=relationship.capitalize()
        )
    other_context = _Context(relative, relationship, [duplicate], locality)
    other_context.values["school"] = child.school_or_setting
    _add_notes(
        b,
        duplicate_family,
        other_context,
        templates=DUPLICATE_RECORD_NOTES,
        start=recorded_days_ago,
    )
    return HouseholdPlan("near_duplicate", [family, duplicate_family])


def _locality_of_town(town):
    return next(locality for locality, towns in TOWNS.items() if town in towns)


def _address_of(family):
    return family.line_1, family.town, family.postcode


HOUSEHOLD_SHAPES = {
    "two_parents": two_parents,
    "single_mother": single_mother,
    "single_father": single_father,
    "step_family": step_family,
    "kinship": kinship,
    "young_parent": young_parent,
    "shared_care": shared_care,
}

# Notes ------------------------------------------------------------------------------------


def _placeholders(template):
    return {
        name
        for text in (template.summary, template.body)
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }


def _note_people(context):
    """The people notes can name, by placeholder."""
    born = [child for child in context.children if child.record_type != RecordType.UNBORN]
    at_school = [
        child
        for child in born
        if child.school_or_setting
        and child.school_or_setting != HOME_EDUCATED
        and (child.age is None or child.age >= 4)
    ]
    people = {"carer": context.carer}
    if born:  # a family expecting its first baby has no {child}
        people["child"] = (at_school or born)[0]
    if at_school:
        people["school"] = at_school[0]
    for name, found in (
        ("little", [child for child in born if child.age is not None and child.age <= 4]),
        ("teen", [child for child in at_school if child.age is not None and child.age >= 11]),
        ("send_child", [child for child in born if child.send == SEND.SEN_SUPPORT]),
        ("ehc_child", [child for child in born if child.send == SEND.EHC_PLAN]),
    ):
        if found:
            people[name] = found[0]
    if "teen" in people:
        people["teen_school"] = people["teen"]
    if isinstance(context.values.get("young_carer"), PersonPlan):
        people["young_carer"] = context.values["young_carer"]
    return people


def _add_notes(b, family, context, *, templates=None, start=None, most=6):
    """Two to `most` dated notes: the request for support first, then the work, now and
    then a restricted one. Or, given `templates`, those in quick succession from `start`."""
    people = _note_people(context)
    values = {key: value for key, value in context.values.items() if isinstance(value, str | bool)}
    values.update({name: person.given_name for name, person in people.items()})
    if "school" in people:
        values["school"] = people["school"].school_or_setting
    if "teen" in people:
        values["teen_school"] = people["teen"].school_or_setting
    if family.line_1.startswith("Plot "):
        values["site"] = True
    values.update(
        carer_title=context.carer_title,
        pct=b.rng.randint(78, 97),
        before=b.rng.randint(2, 4),
        after=b.rng.randint(5, 8),
    )

    def usable(template):
        wanted = set(template.needs) | _placeholders(template)
        return wanted <= set(values)

    if templates is None:
        requests = [template for template in REQUESTS_FOR_SUPPORT if usable(template)]
        specific = [template for template in requests if template.needs]
        chosen = [b.pick(specific if specific and b.chance(0.6) else requests)]
        others = [template for template in FAMILY_NOTES if usable(template)]
        count = b.rng.randint(2, most)
        while len(chosen) < count and others:
            weights = [3 if template.needs else 1 for template in others]
            chosen.append(others.pop(b.rng.choices(range(len(others)), weights)[0]))
        if len(chosen) >= 3 and b.chance(0.03):
            chosen[-1] = b.pick(RESTRICTED_NOTES)
        # Consent, then the assessment, come first after the request; the rest as they fell.
        chosen.sort(key=lambda template: NOTE_ORDER.get(template.summary, len(NOTE_ORDER)))
        start = b.rng.randint(21, 330)
        days_ago = [start, *sorted(b.rng.sample(range(1, start), len(chosen) - 1), reverse=True)]
    else:
        chosen = list(templates)
        days_ago = [start]
        while len(days_ago) < len(chosen):
            days_ago.append(max(1, days_ago[-1] - b.rng.randint(1, 10)))

    born = [child for child in context.children if child.record_type != RecordType.UNBORN]
    for template, days in zip(chosen, days_ago, strict=True):
        # The people the note names are its subjects; a note naming nobody is about them all.
        named = {
            id(person): person
            for name in sorted(_placeholders(template))
            if (person := people.get(name))
        }
        family.notes.append(
            NotePlan(
                note_type=template.note_type,
                days_ago=days,
                minute_of_day=b.rng.randint(9 * 12, 17 * 12) * 5,
                summary=template.summary.format(**values),
                body=template.body.format(**values),
                subjects=list(named.values()) or [context.carer, *born],
                is_significant=template.is_significant,
                is_restricted=template.is_restricted,
                by_manager=template.by_manager,
            )
        )


# The plan, and making it ------------------------------------------------------------------


def build_plan(seed: int = DEMO_SEED) -> list[HouseholdPlan]:
    """Every demo household, from the seed alone: the same list every time."""
    b = _Builder(seed)
    households = [near_duplicate(b, spec) for spec in NEAR_DUPLICATES]
    total = sum(len(household.families) for household in households)
    while total < DEMO_FAMILY_COUNT:
        shape = b.weighted(SHAPES)
        if shape == "shared_care" and total + 2 > DEMO_FAMILY_COUNT:
            shape = "single_mother"
        team = b.next_team()
        household = HOUSEHOLD_SHAPES[shape](b, team, b.locality_of(team))
        households.append(household)
        total += len(household.families)
    return households


def plan_people(households):
    """Every distinct person in the plan (a child in shared care appears in two families)."""
    people = {}
    for household in households:
        for family in household.families:
            for member in family.members:
                people.setdefault(id(member.person), member.person)
    return list(people.values())


def seed_families(*, stdout=None, today: datetime.date | None = None) -> int:
    """Create the demo families not there yet; return how many families were created."""
    today = today or timezone.localdate()
    teams, users = _demo_teams_and_users()
    existing = set(
        Family.objects.filter(owning_team__in=teams.values()).values_list(
            "name", "postcode", "owning_team__name"
        )
    )
    nhs_numbers = set(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    families = people = notes = 0
    with transaction.atomic():
        for household in build_plan():
            if any(family.key in existing for family in household.families) or any(
                person.nhs_number in nhs_numbers for person in plan_people([household])
            ):
                continue
            new_people, new_notes = _create_household(household, teams, users, today)
            families += len(household.families)
            people += new_people
            notes += new_notes
    if stdout is not None and families:
        stdout.write(f"Demo families: {families} new, with {people} people and {notes} notes")
    return families


def _demo_teams_and_users():
    teams = {team.name: team for team in Team.objects.filter(name__in=TEAM_USERS)}
    users = {}
    for team_name, emails in TEAM_USERS.items():
        if team_name not in teams:
            raise LookupError(f"No team {team_name!r}: seed the Brackenshire directory first")
        found = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
        if len(found) != len(emails):
            raise LookupError(f"The demo users of {team_name} are missing: seed them first")
        users[team_name] = tuple(found[email] for email in emails)
    return teams, users


def _before(today, days_ago, *, not_before=None):
    if days_ago is None:
        return None
    day = today - datetime.timedelta(days=days_ago)
    return max(day, not_before) if not_before else day


def _date_of_birth(plan, today, people):
    if plan.born_as is not None:
        born = people[id(plan.born_as)].date_of_birth
        if plan.transposed_date_of_birth:
            born = born.replace(month=born.day, day=born.month)
        return born
    month, day = plan.birthday
    year = today.year - plan.age - ((month, day) > (today.month, today.day))
    return datetime.date(year, month, day)


def _upn(plan, born):
    """LA number, the issuing school's DfE number, the year they started school, a serial."""
    year_of_issue = (born.year + (5 if born.month >= 9 else 4)) % 100
    body = f"{LA_NUMBER}{plan.upn_school}{year_of_issue:02d}{plan.upn_serial:03d}"
    return upn_check_letter(body) + body


def _create_person(plan, by, team, today, people):
    fields = {
        "record_type": plan.record_type,
        "given_name": plan.given_name,
        "family_name": plan.family_name,
        "sex": plan.sex,
        "ethnicity": plan.ethnicity,
        "first_language": plan.first_language,
        "nhs_number": plan.nhs_number,
        "school_or_setting": plan.school_or_setting,
        "send": plan.send,
        "disability": plan.disability,
        "young_carer": plan.young_carer,
    }
    born = None
    if plan.record_type == RecordType.UNBORN:
        fields["expected_date_of_delivery"] = today + datetime.timedelta(days=plan.due_in_days)
    else:
        born = fields["date_of_birth"] = _date_of_birth(plan, today, people)
        if plan.upn_serial:
            fields["upn"] = _upn(plan, born)
    person = people_services.person_create(
        by=by, owning_team=team, confirmed_not_duplicate=True, **fields
    )
    for given, family_name, used_until in plan.previous_names:
        people_services.person_name_add(
            by=by,
            person=person,
            name_type=NameType.PREVIOUS,
            given_name=given,
            family_name=family_name,
            used_to=_before(today, used_until, not_before=born),
        )
    for address in plan.addresses:
        moved_in = _before(today, address.moved_in_days_ago, not_before=born)
        people_services.person_address_add(
            by=by,
            person=person,
            line_1=address.line_1,
            town=address.town,
            postcode=address.postcode,
            moved_in=moved_in,
            moved_out=_before(today, address.moved_out_days_ago, not_before=moved_in),
        )
    return person


def _create_household(household, teams, users, today):
    people = {}  # id(PersonPlan) -> Person
    notes = 0
    for plan in household.families:
        team = teams[plan.team]
        practitioner, manager = users[plan.team]
        family = services.family_create(
            by=practitioner,
            owning_team=team,
            name=plan.name,
            line_1=plan.line_1,
            town=plan.town,
            postcode=plan.postcode,
        )
        for member in plan.members:
            person = people.get(id(member.person))
            if person is None:
                person = _create_person(member.person, practitioner, team, today, people)
                people[id(member.person)] = person
            joined = _before(today, member.joined_days_ago, not_before=person.date_of_birth)
            membership = services.family_member_add(
                by=practitioner,
                family=family,
                person=person,
                joined_on=joined,
                lives_at_family_address=member.lives_at_family_address,
            )
            if member.left_days_ago is not None:
                services.family_member_leave(
                    by=practitioner,
                    membership=membership,
                    left_on=_before(today, member.left_days_ago, not_before=joined),
                )
        for relationship in plan.relationships:
            services.relationship_add(
                by=practitioner,
                family=family,
                from_person=people[id(relationship.from_person)],
                to_person=people[id(relationship.to_person)],
                relationship_type=relationship.relationship_type,
                has_parental_responsibility=relationship.has_parental_responsibility,
                description=relationship.description,
            )
        for note in plan.notes:
            day = today - datetime.timedelta(days=note.days_ago)
            moment = datetime.time(note.minute_of_day // 60, note.minute_of_day % 60)
            services.note_add(
                by=manager if note.by_manager else practitioner,
                family=family,
                subjects=[people[id(subject)] for subject in note.subjects],
                note_type=note.note_type,
                occurred_at=timezone.make_aware(datetime.datetime.combine(day, moment)),
                summary=note.summary,
                body=note.body,
                is_significant=note.is_significant,
                is_restricted=note.is_restricted,
            )
            notes += 1
    return len(people), notes
