"""Which persona field a column header or card label means.

Persona tables in the wild name their columns in many ways ("Area or Team", "Security
Access on services", "Services & Security Access Needed", "Skills Needed"). A label is
compared with every field's aliases after folding case, punctuation and ``&``; a label that
is only close to an alias (a typo) or that contains a field's key word is still mapped, but
the caller reports how it was read so that nothing is guessed silently.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..diagnostics import closest

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "persona id", "number", "no", "nr", "#"),
    "name": ("persona", "name", "persona name", "role", "role name", "personas"),
    "colour": ("colour", "color", "card colour", "card color"),
    "kind": ("kind", "type", "persona type", "person or agent", "human or agent"),
    "category": ("category", "categories", "ai category", "ai categories", "model category"),
    "team": ("team", "area or team", "area team", "area", "team name", "area of team", "teams"),
    "interacts_with": (
        "primary interaction",
        "primary interactions",
        "interacts with",
        "interaction",
        "interactions",
        "works with",
        "collaborates with",
    ),
    "processes": ("process", "processes", "process name", "processes and methods"),
    "architectures": ("architecture", "architectures", "related architecture", "related architectures"),
    "scope": ("scope", "scope of work", "responsibility scope"),
    "services": (
        "services",
        "service",
        "security access on services",
        "services and security access needed",
        "services and security access",
        "services security access needed",
        "component access",
        "components",
        "access to services",
        "tools",
        "tools and services",
    ),
    "data_access": (
        "data access",
        "security access on data",
        "access to data",
        "access on data",
        "data permissions",
    ),
    "skills": ("skills", "skill", "skills needed", "required skills", "skill set", "skillset"),
    "learn": (
        "learn",
        "links to learn",
        "link to education",
        "links to education",
        "links to microsoft learn",
        "link to microsoft learn",
        "education",
        "training",
        "learning",
        "learning paths",
    ),
    "service_links": ("service links", "services links", "links to services", "service urls"),
    "learn_links": ("learn links", "learning links", "education links", "learn urls"),
    "people": ("people", "person", "persons", "staff", "filled by", "who", "names of people"),
    "notes": ("notes", "note", "remarks", "comments", "comment"),
    "goal": ("goal", "purpose", "objective"),
    "responsibilities": ("responsibilities", "responsibility", "tasks", "duties"),
    "example_roles": ("example roles", "example job titles", "job titles", "typical roles"),
    "department": ("department", "team department", "organisation unit", "org unit"),
    "group": ("group", "team group", "team type"),
}
"""Every field an import can fill, with the labels that name it (folded, see :func:`fold`)."""

LABELS = {
    "id": "ID",
    "name": "Persona",
    "colour": "Colour",
    "kind": "Kind",
    "category": "Category",
    "team": "Team",
    "interacts_with": "Primary interaction",
    "processes": "Processes",
    "architectures": "Architecture",
    "scope": "Scope",
    "services": "Services",
    "data_access": "Data access",
    "skills": "Skills",
    "learn": "Learn",
    "service_links": "Service links",
    "learn_links": "Learn links",
    "people": "People",
    "notes": "Notes",
    "goal": "Goal",
    "responsibilities": "Responsibilities",
    "example_roles": "Example roles",
    "department": "Department",
    "group": "Group",
}
"""The label cardforge itself uses for each field (XLSX export headers, messages)."""

_KEYWORDS = (
    ("skill", "skills"),
    ("service", "services"),
    ("education", "learn"),
    ("learn", "learn"),
    ("training", "learn"),
    ("interaction", "interacts_with"),
    ("architecture", "architectures"),
    ("process", "processes"),
    ("data access", "data_access"),
    ("access on data", "data_access"),
    ("access to data", "data_access"),
    ("team", "team"),
    ("colour", "colour"),
    ("color", "colour"),
    ("responsibilit", "responsibilities"),
)
"""Key words that name a field inside a longer label ("Skills needed for the role")."""

FUZZY_CUTOFF = 0.82


@dataclass(frozen=True)
class Match:
    """The field a label names, and whether the label named it exactly."""

    key: str
    exact: bool
    repeated: bool = False
    """Another column already names this field."""

    @property
    def label(self) -> str:
        return LABELS[self.key]


def fold(label: str) -> str:
    """A label with case, punctuation, ``&`` and spacing folded: "Services & Access:" -> "services and access"."""
    text = label.casefold().replace("&", " and ")
    text = re.sub(r"[^\w#]+", " ", text).replace("_", " ")
    return " ".join(text.split())


_BY_ALIAS = {fold(alias): key for key, aliases in FIELDS.items() for alias in aliases}


@lru_cache(maxsize=1024)
def map_label(label: str, *, keywords: bool = True) -> Match | None:
    """The field *label* names: by alias, else by a close alias (typo), else (with *keywords*)
    by a key word it contains."""
    folded = fold(label)
    if not folded:
        return None
    if folded in _BY_ALIAS:
        return Match(_BY_ALIAS[folded], True)
    near = difflib.get_close_matches(folded, list(_BY_ALIAS), n=1, cutoff=FUZZY_CUTOFF)
    if near:
        return Match(_BY_ALIAS[near[0]], False)
    for word, key in _KEYWORDS if keywords else ():
        if word in folded:
            return Match(key, False)
    return None


def suggestion(label: str) -> str:
    """What to say about a label that maps to nothing: the closest field, or the choices."""
    near = closest(fold(label), list(_BY_ALIAS), cutoff=0.5)
    if near:
        return f"rename it to `{LABELS[_BY_ALIAS[near]]}` if that is what it holds"
    return "name it after a persona field (" + ", ".join(list(LABELS.values())[:12]) + ", ...) to map it"
