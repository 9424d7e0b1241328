"""Who may use each route: a handful of named access rules, and every route mapped to one.

A rule says, for each role of the scenario (scenario.py), what the route must answer:
allowed, 403, 404, or sign in. The records it is tried on are the D'Arcy-Pemberton
family's (its open episode, plan, meeting…), so "reads the family" means the roles to
whom DESIGN section 7 opens that family's case records:

- the locality manager of its locality, its lead professional and the practitioners of
  the team working its episode (the family record is theirs: they read and change it);
- the school's designated safeguarding lead, in the TAF (a partner: reads, adds notes,
  works the plan actions their agency owns; does not change the family record);
- the social worker of the team its approved step up waits with (reads, to decide).

Nobody else may know the family exists: 404. Roles with no case records at all (system
administrator, performance analyst) are refused by role, 403, whatever the record. Writes
are tried with an empty body: "allowed" means the route let them try (400 for the empty
form is allowed), 403/404 that it did not.

To add a route: pick the rule that says who may use it (or, if none does, add a rule
here with a line on why) and add its key to ROUTE_RULES (route_rules.py).
"""

from tests.access_matrix.routes import BAD_REQUEST, FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, SIGN_IN
from tests.access_matrix.scenario import (
    ADMIN,
    ANALYST,
    ANON,
    LEAD,
    LM,
    LM_OTHER,
    OTHER_TEAM,
    PARTNER,
    ROLES,
    SAME_TEAM,
    SOCIAL_WORKER,
    TAF,
    TRIAGE,
)

NO_CASE_ROLE = (ADMIN, ANALYST)


def _rule(*, allowed=(), forbidden=(), others=NOT_FOUND, anonymous=SIGN_IN, no_case_role=None):
    """Outcome per role: `allowed` and `forbidden` name roles; everyone else gets `others`;
    the administrator and analyst get `no_case_role` (default: 403 unless named)."""
    outcome = {}
    for role in ROLES:
        if role == ANON:
            outcome[role] = anonymous
        elif role in allowed:
            outcome[role] = OK
        elif role in forbidden:
            outcome[role] = FORBIDDEN
        elif role in NO_CASE_ROLE:
            outcome[role] = no_case_role or FORBIDDEN
        else:
            outcome[role] = others
    return outcome


EVERYONE = tuple(role for role in ROLES if role != ANON)
PRACTICE = tuple(role for role in EVERYONE if role not in NO_CASE_ROLE)
# Practice roles that own case work (not the partner agencies): they create records.
CASE_OWNERS = (TRIAGE, LM, LM_OTHER, LEAD, SAME_TEAM, OTHER_TEAM, SOCIAL_WORKER)
FAMILY_READERS = (LM, LEAD, SAME_TEAM, TAF, SOCIAL_WORKER)
FAMILY_CHANGERS = (LM, LEAD, SAME_TEAM)

RULES = {
    # Anyone, signed in or not: sign-in, the public request form, health check, the
    # council's published continuum of need, and the bare redirect from a person's page
    # to the family they are added to (it reads nothing).
    "public": _rule(allowed=(*EVERYONE, ANON), anonymous=OK),
    # Any signed-in user: the directory of organisations, their own account, notifications.
    "signed_in": _rule(allowed=EVERYONE),
    # Only POST answers (sign-out): a GET is 405 for everyone.
    "post_only": {role: NOT_ALLOWED for role in ROLES},
    # System administrators configure (the admin, directory and framework writes).
    "admin_only": _rule(allowed=(ADMIN,), others=FORBIDDEN),
    # Superusers only (audit log, Django's own tables): nobody in the matrix.
    "superuser_only": _rule(others=FORBIDDEN),
    # The admin's own sign-in: signed-in users are refused (one sign-in for the service).
    "admin_sign_in": _rule(others=FORBIDDEN),
    # Any practice role: lists of case work (filtered to what the user may see), and
    # creates whose record is named in the body (with an empty body, a 400 for all of them).
    "practice_role": _rule(allowed=PRACTICE, others=FORBIDDEN),
    # A list that must name the family (notes): its readers; anyone else naming it is
    # told the filter is wrong (400, the same as for a family that does not exist).
    "family_filter_list": _rule(allowed=FAMILY_READERS, others=BAD_REQUEST),
    # Create people, families, search for people: roles that own case work.
    "case_owner": _rule(allowed=CASE_OWNERS, others=FORBIDDEN),
    # Submit a request for support as a professional: any practice role.
    "request_submitter": _rule(allowed=PRACTICE, others=FORBIDDEN),
    # Colleagues in the directory: oneself, one's agency and teams, managers, admins.
    "colleague": _rule(allowed=(ADMIN, LM, LEAD, SAME_TEAM), no_case_role=NOT_FOUND),
    # Read the family's case records (family, people, episodes, assessment, plan, review,
    # PDF, transitions, TAF, level history).
    "case_reader": _rule(allowed=FAMILY_READERS),
    # Change the family record (details, people, memberships, relationships): the lead
    # professional and the team; partners and the receiving social worker only read it.
    "case_changer": _rule(allowed=FAMILY_CHANGERS, forbidden=(TAF, SOCIAL_WORKER)),
    # Add a case note: those who change the record, and partners in the TAF.
    "note_writer": _rule(allowed=(*FAMILY_CHANGERS, TAF), forbidden=(SOCIAL_WORKER,)),
    # Work on the open episode (assessment, plan, TAF, step up, closure): its lead
    # professional and its managers.
    "episode_worker": _rule(allowed=(LM, LEAD), forbidden=(SAME_TEAM, TAF, SOCIAL_WORKER)),
    # Managers of the locality, on a record the others may read: allocate, approve a
    # closure or an assessment, reopen, merge people, approve a step up, decide a meeting's
    # item.
    "manager_of_locality": _rule(allowed=(LM,), forbidden=(LEAD, SAME_TEAM, TAF, SOCIAL_WORKER)),
    # Say how an action owned by the school is going: the school's users in the TAF, and
    # those who work on the episode.
    "action_owner": _rule(allowed=(LM, LEAD, TAF), forbidden=(SAME_TEAM, SOCIAL_WORKER)),
    # The step up's receiving side (accept, reject): social care's own managers, none of
    # whom is in the matrix; the early help manager and the social worker may only read it.
    "step_up_receiver": _rule(forbidden=FAMILY_READERS),
    # Ask for a step down of the Featherstonehaugh family: social care, who hold it, and
    # the locality manager over the team that owns it.
    "step_down_sender": _rule(allowed=(LM, SOCIAL_WORKER)),
    # The request for support being screened: its requester (the lead professional) and
    # the triage officers.
    "request_reader": _rule(allowed=(TRIAGE, LEAD)),
    # Its attachment: the same people; other roles are told it is not there.
    "request_file": _rule(allowed=(TRIAGE, LEAD), no_case_role=NOT_FOUND),
    # Withdraw a request: its requester, and the triage officers of the front door.
    "requester": _rule(allowed=(LEAD, TRIAGE)),
    # The triage queue and screening (claim, match, check, decide): triage officers; any
    # other role is refused by role, whatever the request.
    "triage_only": _rule(allowed=(TRIAGE,), others=FORBIDDEN),
    # The decision on the request being screened: none yet (404 to triage), others by role.
    "triage_no_decision_yet": _rule(forbidden=PRACTICE, others=FORBIDDEN) | {TRIAGE: NOT_FOUND},
    # The allocation meeting: its locality's managers, its chair and its attendees (the
    # school, present, and the police, who sent apologies).
    "meeting_reader": _rule(allowed=(LM, TAF, PARTNER)),
    # Run it (agenda, attendees, decisions, minutes): the locality's managers and the chair.
    "meeting_runner": _rule(allowed=(LM,), forbidden=(TAF, PARTNER)),
    # Locality managers, whichever locality: schedule a meeting, see caseloads.
    "locality_managers": _rule(allowed=(LM, LM_OTHER), others=FORBIDDEN),
    # Who is in a team (the family's early help team): its members and managers, managers
    # in its locality, administrators.
    "team_members": _rule(allowed=(ADMIN, LM, LEAD, SAME_TEAM), others=FORBIDDEN),
    # The lead professional's own notification.
    "addressee": _rule(allowed=(LEAD,), no_case_role=NOT_FOUND),
}
