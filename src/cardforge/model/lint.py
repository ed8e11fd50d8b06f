"""Persona lint: staffing gaps, least privilege, access mismatches, unused parts.

Each finding has a stable code that a deck can silence (``lint: {disable: [CF104]}``),
a kind for grouping on the gaps slide, the action the persona method recommends for its
kind, and the path of the value it concerns. Every rule costs time in proportion to the
deck's size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..diagnostics import Position, Report
from ..spec.slides import ArchitectureOptions
from .deck import Architecture, Deck, Persona

SPREAD_LIMIT = 3
ADVISED = (5, 10)
_PRODUCTION = re.compile(r"prod|live", re.IGNORECASE)

KINDS = {
    "CF101": "Staffing gaps",
    "CF102": "People spread thin",
    "CF103": "Number of personas",
    "CF104": "Privilege in production",
    "CF105": "Grants for unlisted services",
    "CF106": "Services without a grant",
    "CF107": "Components nobody uses",
    "CF108": "Processes nobody runs",
    "CF109": "Teams with no members",
    "CF110": "Personas with no user story",
    "CF111": "Use cases of a single persona",
    "CF112": "Stories outside the persona's reach",
}


ADVICE = {
    "CF101": "Recruit, train someone close to the role, or redesign the work towards SaaS or "
    "low-code so that fewer people are needed.",
    "CF102": "Check the workload is realistic: share the personas out, or automate part of the work.",
    "CF103": "Start with five to ten personas: merge similar ones, or split one too broad for least "
    "privilege.",
    "CF104": "Make production access read-only, or grant it just in time and for a limited period.",
    "CF105": "Add the service to the persona's component access, or remove the grant.",
    "CF106": "Grant the persona a role in each environment, or take the service off its card.",
    "CF107": "Name the persona that works with the component, or take it out of the architecture.",
    "CF108": "Name who runs the process, or take it out of the deck.",
    "CF109": "Add a persona to the team, or name the persona the interaction is really with.",
    "CF110": "Write what the persona needs from a use case, or ask whether the use cases need it at all.",
    "CF111": "Add the stories of the other personas the use case needs: who provides the data, who runs it.",
    "CF112": "Give the persona the access the story needs, or move the story to the persona who has it.",
}
"""What the persona method recommends for each kind of finding."""


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    path: tuple
    personas: tuple[str, ...] = ()
    short: str = ""
    """The finding in a few words, for the gaps slide."""
    group: str = ""
    """What the concerned part belongs to (a component's architecture), for the gaps slide."""
    action: str = ""
    """Advice for this finding when it differs from its kind's."""

    @property
    def kind(self) -> str:
        return KINDS[self.code]

    @property
    def advice(self) -> str:
        return self.action or ADVICE[self.code]


def is_production(environment: str) -> bool:
    """Whether an environment is production-like (its name says prod or live)."""
    return bool(_PRODUCTION.search(environment))


def rank(role: str) -> int:
    """Privilege rank of a role: Owner 3, Contributor 2, Reader 1, anything else 0."""
    folded = role.casefold()
    for word, value in (("owner", 3), ("contributor", 2), ("reader", 1)):
        if word in folded:
            return value
    return 0


def lint(deck: Deck) -> list[Finding]:
    """Every finding about *deck*, silenced codes left out."""
    findings = (
        _staffing(deck)
        + _spread(deck)
        + _persona_count(deck)
        + _privilege(deck)
        + _grant_mismatch(deck)
        + _unused_components(deck)
        + _idle_processes(deck)
        + _empty_teams(deck)
        + _personas_without_stories(deck)
        + _single_persona_use_cases(deck)
        + _stories_out_of_reach(deck)
    )
    return [f for f in findings if f.code not in deck.disabled_lints]


def report_findings(deck: Deck, findings: list[Finding], report: Report) -> None:
    document = deck.document
    for finding in findings:
        position = document.position(finding.path) if document else Position()
        report.warning(deck.file, position, finding.message, finding.code)


def _label(persona: Persona) -> str:
    return f"{persona.id} {persona.name}"


def _key_path(deck: Deck, persona: Persona, key: str) -> tuple:
    path = (*persona.path, key)
    return path if deck.document and path in deck.document.value_positions else (*persona.path, "id")


def _staffing(deck: Deck) -> list[Finding]:
    return [
        Finding(
            "CF101",
            f"{_label(p)} has no people: a staffing gap",
            _key_path(deck, p, "people"),
            (p.id,),
            _label(p),
        )
        for p in deck.personas
        if not p.is_agent and not p.people
    ]


def _spread(deck: Deck) -> list[Finding]:
    roles: dict[str, list[Persona]] = defaultdict(list)
    for persona in deck.personas:
        for person in persona.people or ():
            roles[person.strip()].append(persona)
    findings = []
    for person, personas in roles.items():
        if len(personas) >= SPREAD_LIMIT:
            ids = ", ".join(p.id for p in personas)
            findings.append(
                Finding(
                    "CF102",
                    f"{person} fills {len(personas)} personas ({ids}); check the workload is realistic",
                    _key_path(deck, personas[-1], "people"),
                    tuple(p.id for p in personas),
                    f"{person}: {ids}",
                )
            )
    return findings


def _persona_count(deck: Deck) -> list[Finding]:
    count = len(deck.personas)
    low, high = ADVISED
    if count < low:
        message = f"{count} personas: fewer than {low} makes least privilege hard to express"
        action = "Split a persona that is too broad, so that each holds only the access it needs."
    elif count > high:
        message = f"{count} personas: more than {high} adds overhead; consider merging similar ones"
        action = "Merge similar personas: every persona costs a card, grants and reviews."
    else:
        return []
    return [Finding("CF103", message, ("personas",), (), f"{count} personas", action=action)]


def _privilege(deck: Deck) -> list[Finding]:
    findings: list[Finding] = []
    if deck.rbac is None:
        return findings
    written = _written_environments(deck)
    for grant in deck.rbac.grants:
        for env, role in grant.roles.items():
            if is_production(env) and rank(role) >= 2:
                key = written.get((grant.path, env.casefold()), env)
                findings.append(
                    Finding(
                        "CF104",
                        f"{grant.persona} is {role} on {grant.service} in {env}; production access "
                        "should be read-only or just in time",
                        (*grant.path, "roles", key),
                        (grant.persona,),
                        f"{grant.persona}: {role} on {grant.service} ({env})",
                    )
                )
    return findings


def _written_environments(deck: Deck) -> dict[tuple, str]:
    """Each grant's environment keys as the deck spells them (grants resolve them
    case-insensitively), by grant path and folded name: read once from the document."""
    written: dict[tuple, str] = {}
    if deck.document:
        for key in deck.document.value_positions:
            if len(key) == 5 and key[:2] == ("rbac", "grants") and key[3] == "roles":
                written.setdefault((key[:3], str(key[4]).casefold()), str(key[4]))
    return written


def _grant_mismatch(deck: Deck) -> list[Finding]:
    if deck.rbac is None:
        return []
    findings = []
    granted: dict[str, set[str]] = defaultdict(set)
    listed = {p.id: {s.name.casefold() for s in p.services} for p in deck.personas}
    for grant in deck.rbac.grants:
        granted[grant.persona].add(grant.service.casefold())
        persona = deck.persona(grant.persona)
        if persona and grant.service.casefold() not in listed[persona.id]:
            findings.append(
                Finding(
                    "CF105",
                    f"{grant.persona} has a grant on {grant.service}, which it does not list under services",
                    (*grant.path, "service"),
                    (grant.persona,),
                    f"{grant.persona}: {grant.service}",
                )
            )
    for persona in deck.personas:
        for index, service in enumerate(persona.services):
            if service.name.casefold() not in granted[persona.id]:
                findings.append(
                    Finding(
                        "CF106",
                        f"{persona.id} lists {service.name} but has no grant on it",
                        (*persona.path, "services", index),
                        (persona.id,),
                        f"{persona.id}: {service.name}",
                    )
                )
    return findings


def _unused_components(deck: Deck) -> list[Finding]:
    findings = []
    used_architectures = {a for p in deck.personas for a in p.architectures}
    used_architectures |= {
        s.options.id for s in deck.sections if isinstance(s.options, ArchitectureOptions) and s.options.id
    }
    services = {s.name.strip().casefold() for p in deck.personas for s in p.services}
    for arch_id in sorted(used_architectures):
        architecture = deck.architectures[arch_id]
        path = _architecture_path(deck, arch_id)
        for component in architecture.components():
            if component.is_actor:  # outside the team, such as a chat's end user: nobody's to use
                continue
            names = (component.name, *component.aliases)
            if not any(name.strip().casefold() in services for name in names):
                findings.append(
                    Finding(
                        "CF107",
                        f"no persona uses {component.name} ({architecture.id})",
                        path,
                        (),
                        component.name,
                        group=architecture.id,
                    )
                )
    return findings


def _architecture_path(deck: Deck, arch_id: str) -> tuple:
    if deck.document:
        for key in deck.document.value_positions:
            if (
                len(key) == 3
                and key[0] == "architectures"
                and key[2] == "id"
                and str(deck.document_value(key)).casefold() == arch_id.casefold()
            ):
                return key
    for persona in deck.personas:
        if arch_id in persona.architectures:
            return (*persona.path, "architectures")
    return ("personas",)


def _idle_processes(deck: Deck) -> list[Finding]:
    run = {name for p in deck.personas for name in p.processes}
    findings = []
    for index, process in enumerate(p for p in deck.processes if not p.ad_hoc):
        if process.name not in run:
            path = (
                ("processes", index, "name")
                if deck.document and ("processes", index, "name") in deck.document.value_positions
                else ("personas",)
            )
            findings.append(
                Finding("CF108", f"no persona runs the {process.name} process", path, (), process.name)
            )
    return findings


def _empty_teams(deck: Deck) -> list[Finding]:
    findings = []
    for persona in deck.personas:
        for partner in persona.interacts_with:
            team = deck.teams.get(partner.ref) if partner.kind == "team" else None
            if team is not None and team.declared and not team.members:
                name = team.name
                findings.append(
                    Finding(
                        "CF109",
                        f"{persona.id} interacts with {name}, but no persona belongs to that team",
                        (*persona.path, "interacts_with", partner.item),
                        (persona.id,),
                        f"{name} (named by {persona.id})",
                    )
                )
    return findings


def _personas_without_stories(deck: Deck) -> list[Finding]:
    """In a deck with use cases, every persona should want something from one of them."""
    if not deck.use_cases:
        return []
    with_stories = {story.persona for use_case in deck.use_cases for story in use_case.stories}
    return [
        Finding(
            "CF110",
            f"{_label(p)} has no user story in any use case; write what it needs, or ask whether "
            "the use cases need this persona at all",
            _key_path(deck, p, "id"),
            (p.id,),
            _label(p),
        )
        for p in deck.personas
        if p.id not in with_stories
    ]


def _single_persona_use_cases(deck: Deck) -> list[Finding]:
    """A use case whose stories all come from one persona has not been looked at by the others."""
    findings = []
    for use_case in deck.use_cases:
        personas = {story.persona for story in use_case.stories}
        if len(personas) == 1:
            (only,) = personas
            findings.append(
                Finding(
                    "CF111",
                    f"use case {use_case.id} has stories of {only} only; add the stories of the other "
                    "personas it needs (who provides the data, who runs it)",
                    (*use_case.path, "stories"),
                    (only,),
                    f"{use_case.id} {use_case.name}: {only} only",
                )
            )
    return findings


def _stories_out_of_reach(deck: Deck) -> list[Finding]:
    """A story's persona that neither works in the use case's architecture nor uses a component of it."""
    findings = []
    for use_case in deck.use_cases:
        if use_case.architecture is None:
            continue
        architecture = deck.architectures[use_case.architecture]
        for index, story in enumerate(use_case.stories):
            persona = deck.persona(story.persona)
            if persona is None or _reaches(persona, architecture):
                continue
            findings.append(
                Finding(
                    "CF112",
                    f"{persona.id} has a story in use case {use_case.id} but no access to {architecture.id}: "
                    "it neither works in that architecture nor uses any of its components",
                    (*use_case.path, "stories", index, "persona"),
                    (persona.id,),
                    f"{persona.id} in {use_case.id} ({architecture.id})",
                )
            )
    return findings


def _reaches(persona: Persona, architecture: Architecture) -> bool:
    if architecture.id in persona.architectures:
        return True
    return any(component.matches(s.name) for component in architecture.components() for s in persona.services)
