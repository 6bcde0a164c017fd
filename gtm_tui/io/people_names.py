"""Names found in a team's files matched to the people of the pilot, or told apart as teams and roles.

A RACI's columns and a retro's author prefixes name people as the team
writes them: "Aisha Karimi", "aisha", "@aisha", "Design team", "Project
Manager". ``match_person`` finds the person meant (whole name first, any case
or accents, then a first name or handle only one person has); ``kind_of`` says
whether a name that matches nobody is a team or a role title, so a new
record can be marked as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gtm_tui.data.model import Person
from gtm_tui.io.raci_codes import fold

TEAM_WORDS = frozenset(
    (
        "team", "teams", "council", "committee", "board", "department", "dept", "group", "squad", "guild", "office",
        "unit", "crew", "staff", "leadership", "management", "stakeholders", "agency", "agencies", "vendors", "vendor",
        "partners", "partner", "everyone", "execs", "executives", "equipo", "equipe", "abteilung", "departamento",
        "comite",
    )
)
DEPARTMENTS = frozenset(
    (
        "legal", "finance", "sales", "marketing", "engineering", "design", "product", "operations", "ops", "support",
        "security", "it", "hr", "procurement", "compliance", "pmo", "qa", "devops", "content", "creative", "brand",
        "communications", "comms", "pr", "social", "web", "data", "analytics", "research", "ux", "growth",
    )
)
ROLE_WORDS = frozenset(
    (
        "manager", "lead", "leader", "director", "head", "owner", "officer", "vp", "chief", "ceo", "cmo", "cto", "cfo",
        "coo", "cio", "engineer", "developer", "designer", "writer", "copywriter", "analyst", "specialist",
        "coordinator", "architect", "editor", "strategist", "producer", "sponsor", "client", "customer", "consultant",
        "administrator", "admin", "assistant", "executive", "master", "pm", "po", "intern", "reviewer", "approver",
        "steward", "contributor", "operator", "facilitator", "marketer", "planner", "buyer", "tester",
    )
)


def kind_of(name: str) -> str:
    """"team" (Design team, Legal), "role" (Project Manager) or "person"."""
    words = re.findall(r"[a-z]+", fold(name))
    if not words:
        return "person"
    if any(word in TEAM_WORDS for word in words) or all(word in DEPARTMENTS for word in words):
        return "team"
    if any(word in ROLE_WORDS for word in words):
        return "role"
    return "person"


def new_person(name: str, source: str) -> Person:
    """A person record for a name nobody on the team has: teams and role titles marked as such."""
    kind = kind_of(name)
    if kind == "team":
        return Person(name=name, role="team", team=name, source=source)
    if kind == "role":
        return Person(name=name, role=name, source=source)
    return Person(name=name, source=source)


def match_person(name: str, people: Iterable[Person]) -> Person | None:
    """The person ``name`` means: the same name (case, accents, spacing aside), else the only one with that
    first name or handle."""
    wanted = " ".join(fold(name).lstrip("@").split())
    if not wanted:
        return None
    people = list(people)
    for person in people:
        if " ".join(fold(person.name).split()) == wanted:
            return person
    if " " in wanted:
        return None
    by_first = [p for p in people if fold(p.name).split()[:1] == [wanted]]
    if len(by_first) == 1:
        return by_first[0]
    by_handle = [p for p in people if re.search(rf"(^|[\s@(]){re.escape(wanted)}($|[\s)@.,])", fold(p.contact))]
    return by_handle[0] if len(by_handle) == 1 else None
