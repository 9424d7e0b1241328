"""Build the fictional county of Brackenshire for demonstrations and trying the service.

Deterministic and idempotent: records are matched on natural keys, so running it again
changes nothing and keeps what people have added. After the directory it adds about 200
families of case records (demo.families: each family is keyed on its name and postcode within
its owning team), then about 50 requests for support at the front door in every state, with
the episodes they open or follow (demo.requests), then episodes in every state in each
locality, allocation meetings held and upcoming, step ups and step downs
(demo.episodes). Refuses to run with
DEBUG off unless told otherwise, since the demo users share one documented password.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Agency, AgencyType, Locality, Role, Team, User
from demo.assessments import seed_assessments
from demo.episodes import seed_episodes
from demo.families import seed_families
from demo.plans import seed_plans
from demo.requests import seed_front_door

DEMO_PASSWORD = "early-help-demo"

LOCALITIES = [
    ("north", "Brackenshire North"),
    ("south", "Brackenshire South"),
    ("east", "Brackenshire East"),
    ("west", "Brackenshire West"),
]

AGENCIES = [
    ("Brackenshire County Council Early Help", AgencyType.COUNCIL_EARLY_HELP),
    ("Brackenshire Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    ("Brackenshire Community Health NHS Trust", AgencyType.HEALTH),
    ("Brackenshire and Wexmoor Mental Health Trust", AgencyType.HEALTH),
    ("Wexmoor Constabulary", AgencyType.POLICE),
    ("Harrowgate Primary School", AgencyType.SCHOOL),
    ("St Aidan's Church of England Primary School", AgencyType.SCHOOL),
    ("Millbrook Academy", AgencyType.SCHOOL),
    ("Kingsmere College", AgencyType.SCHOOL),
    ("Brackenshire Homes", AgencyType.HOUSING),
    ("Brackenshire Youth Justice Service", AgencyType.YOUTH_JUSTICE),
    ("Family Action Brackenshire", AgencyType.VOLUNTARY_SECTOR),
    ("Safe Haven Domestic Abuse Service", AgencyType.VOLUNTARY_SECTOR),
    ("Brackenshire Carers' Centre", AgencyType.VOLUNTARY_SECTOR),
    ("Department for Work and Pensions, Brackenshire", AgencyType.OTHER),
]

COUNCIL = "Brackenshire County Council Early Help"
SOCIAL_CARE = "Brackenshire Children's Social Care"

# (team name, agency, locality code or None for county-wide, email)
TEAMS = [
    ("Early Help Hub (MASH)", COUNCIL, None, "earlyhelp.hub@brackenshire.example"),
    ("Early Help North", COUNCIL, "north", "earlyhelp.north@brackenshire.example"),
    ("Early Help South", COUNCIL, "south", "earlyhelp.south@brackenshire.example"),
    ("Early Help East", COUNCIL, "east", "earlyhelp.east@brackenshire.example"),
    ("Early Help West", COUNCIL, "west", "earlyhelp.west@brackenshire.example"),
    ("Assessment and Intervention North", SOCIAL_CARE, "north", "csc.north@brackenshire.example"),
    ("Assessment and Intervention South", SOCIAL_CARE, "south", "csc.south@brackenshire.example"),
    (
        "Health Visiting North",
        "Brackenshire Community Health NHS Trust",
        "north",
        "hv.north@bchnt.example",
    ),
    (
        "School Nursing South",
        "Brackenshire Community Health NHS Trust",
        "south",
        "schoolnursing.south@bchnt.example",
    ),
    ("Pastoral Team", "Harrowgate Primary School", "north", "pastoral@harrowgate.example"),
    ("Safeguarding Team", "Millbrook Academy", "east", "safeguarding@millbrook.example"),
    ("Vulnerability Hub", "Wexmoor Constabulary", None, "vulnerability@wexmoor-police.example"),
    ("Tenancy Sustainment", "Brackenshire Homes", None, "tenancy@brackenshirehomes.example"),
    ("Family Support", "Family Action Brackenshire", "west", "support@familyaction-b.example"),
    (
        "Youth Justice Prevention",
        "Brackenshire Youth Justice Service",
        None,
        "prevention@byjs.example",
    ),
]

# (email, full name, job title, agency, roles, member of, manager of)
USERS = [
    (
        "admin@brackenshire.example",
        "Sam Okafor",
        "Systems administrator",
        COUNCIL,
        [Role.SYSTEM_ADMINISTRATOR],
        [],
        [],
    ),
    (
        "triage@brackenshire.example",
        "Priya Raman",
        "Early help triage officer",
        COUNCIL,
        [Role.TRIAGE_OFFICER],
        ["Early Help Hub (MASH)"],
        [],
    ),
    (
        "hub.manager@brackenshire.example",
        "Gareth Llewellyn",
        "Early Help Hub manager",
        COUNCIL,
        [Role.LOCALITY_MANAGER, Role.TRIAGE_OFFICER],
        ["Early Help Hub (MASH)"],
        ["Early Help Hub (MASH)"],
    ),
    (
        "manager.north@brackenshire.example",
        "Aisha Rahman",
        "Locality manager, North",
        COUNCIL,
        [Role.LOCALITY_MANAGER],
        [],
        ["Early Help North"],
    ),
    (
        "manager.south@brackenshire.example",
        "Tom Whitfield",
        "Locality manager, South",
        COUNCIL,
        [Role.LOCALITY_MANAGER],
        [],
        ["Early Help South"],
    ),
    (
        "manager.east@brackenshire.example",
        "Grace Mensah",
        "Locality manager, East",
        COUNCIL,
        [Role.LOCALITY_MANAGER],
        [],
        ["Early Help East"],
    ),
    (
        "manager.west@brackenshire.example",
        "Declan Murphy",
        "Locality manager, West",
        COUNCIL,
        [Role.LOCALITY_MANAGER],
        [],
        ["Early Help West"],
    ),
    (
        "practitioner@brackenshire.example",
        "Chloe Bennett",
        "Family support worker",
        COUNCIL,
        [Role.PRACTITIONER],
        ["Early Help North"],
        [],
    ),
    (
        "practitioner.south@brackenshire.example",
        "Jamal Hussain",
        "Family support worker",
        COUNCIL,
        [Role.PRACTITIONER],
        ["Early Help South"],
        [],
    ),
    (
        "practitioner.east@brackenshire.example",
        "Ewa Kowalska",
        "Early help practitioner",
        COUNCIL,
        [Role.PRACTITIONER],
        ["Early Help East"],
        [],
    ),
    (
        "practitioner.west@brackenshire.example",
        "Liam O'Connor",
        "Early help practitioner",
        COUNCIL,
        [Role.PRACTITIONER],
        ["Early Help West"],
        [],
    ),
    (
        "social.worker@brackenshire.example",
        "Nadia Haddad",
        "Social worker",
        SOCIAL_CARE,
        [Role.SOCIAL_WORKER],
        ["Assessment and Intervention North"],
        [],
    ),
    (
        "csc.manager@brackenshire.example",
        "Joanne Pearce",
        "Team manager, children's social care",
        SOCIAL_CARE,
        [Role.SOCIAL_WORKER],
        [],
        ["Assessment and Intervention North", "Assessment and Intervention South"],
    ),
    (
        "health.visitor@bchnt.example",
        "Fiona MacLeod",
        "Health visitor",
        "Brackenshire Community Health NHS Trust",
        [Role.PRACTITIONER],
        ["Health Visiting North"],
        [],
    ),
    (
        "teacher@harrowgate.example",
        "Daniel Adeyemi",
        "Designated safeguarding lead",
        "Harrowgate Primary School",
        [Role.PARTNER_AGENCY_USER],
        ["Pastoral Team"],
        [],
    ),
    (
        "officer@wexmoor-police.example",
        "Sergeant Kate Dawson",
        "Police officer, vulnerability",
        "Wexmoor Constabulary",
        [Role.PARTNER_AGENCY_USER],
        ["Vulnerability Hub"],
        [],
    ),
    (
        "housing@brackenshirehomes.example",
        "Rhys Evans",
        "Tenancy sustainment officer",
        "Brackenshire Homes",
        [Role.PARTNER_AGENCY_USER],
        ["Tenancy Sustainment"],
        [],
    ),
    (
        "analyst@brackenshire.example",
        "Mei Lin Chen",
        "Performance analyst",
        COUNCIL,
        [Role.PERFORMANCE_ANALYST],
        [],
        [],
    ),
]


class Command(BaseCommand):
    help = "Create or refresh the Brackenshire demo directory: localities, agencies, teams, users"

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even with DEBUG off (never on a live service: demo passwords are public)",
        )
        parser.add_argument(
            "--directory-only",
            action="store_true",
            help="Seed only localities, agencies, teams and users, without the demo families "
            "and requests for support",
        )

    def handle(self, *args, allow_without_debug=False, directory_only=False, **options):
        from django.conf import settings

        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "seed_demo creates users with a published password. Run it with DEBUG=1, "
                "or pass --allow-without-debug on a machine that is not a live service."
            )
        with transaction.atomic():
            created = self._seed()
            families = 0 if directory_only else seed_families(stdout=self.stdout)
        # In its own transaction, so the emails its services queue on commit go nowhere.
        requests = 0 if directory_only else seed_front_door(stdout=self.stdout)
        # Episodes, allocation meetings, step up and step down: after the front door, whose
        # families it leaves alone, and in its own transaction for the same reason.
        episodes = 0 if directory_only else seed_episodes(stdout=self.stdout)
        # Assessments of the episodes being assessed or with a plan in place.
        if not directory_only:
            seed_assessments(stdout=self.stdout)
            seed_plans(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Brackenshire demo ready: {created} new records, {families} new families, "
                f"{requests} new requests for support, {episodes} new episodes; "
                f"demo password '{DEMO_PASSWORD}'"
            )
        )

    def _seed(self):
        created = 0
        localities = {}
        for code, name in LOCALITIES:
            localities[code], new = Locality.objects.get_or_create(
                code=code, defaults={"name": name}
            )
            created += new
        agencies = {}
        for name, agency_type in AGENCIES:
            agencies[name], new = Agency.objects.get_or_create(
                name=name, defaults={"agency_type": agency_type}
            )
            created += new
        teams = {}
        for name, agency_name, locality_code, email in TEAMS:
            teams[name], new = Team.objects.get_or_create(
                name=name,
                agency=agencies[agency_name],
                defaults={
                    "locality": localities.get(locality_code),
                    "email": email,
                    "phone": "01632 960 " + f"{len(teams):03d}",
                },
            )
            created += new
        roles = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        for email, full_name, job_title, agency_name, user_roles, member_of, manager_of in USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    job_title=job_title,
                    agency=agencies[agency_name],
                )
                user.groups.set([roles[str(role)] for role in user_roles])
                for team_name in member_of:
                    teams[team_name].members.add(user)
                for team_name in manager_of:
                    teams[team_name].managers.add(user)
                created += 1
        return created
