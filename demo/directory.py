"""The Brackenshire directory: localities, agencies, teams and the demo users.

Every demo user signs in with DEMO_PASSWORD (the README lists them). Records are matched on
natural keys (a locality's code, an agency's name, a team's name and agency, a user's email),
so seeding again creates nothing and keeps what people changed.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import Agency, AgencyType, Locality, Role, Team, User

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


def seed_directory() -> int:
    """Create the localities, agencies, teams and users not there yet; return how many records
    were created. Existing users are left as they are (their password too)."""
    created = 0
    localities = {}
    for code, name in LOCALITIES:
        localities[code], new = Locality.objects.get_or_create(code=code, defaults={"name": name})
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
    demo_hash = None
    for email, full_name, job_title, agency_name, user_roles, member_of, manager_of in USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                full_name=full_name,
                job_title=job_title,
                agency=agencies[agency_name],
            )
            # Hashed once for all: each hash costs about half a second of CPU, and the
            # password is the same published one for every demo user.
            demo_hash = demo_hash or make_password(DEMO_PASSWORD)
            user.password = demo_hash
            user.save(update_fields=["password"])
            user.groups.set([roles[str(role)] for role in user_roles])
            for team_name in member_of:
                teams[team_name].members.add(user)
            for team_name in manager_of:
                teams[team_name].managers.add(user)
            created += 1
    return created
