"""The Markdown export as a small site for a code host: the pages beyond the persona cards.

Code hosts render Markdown and draw Mermaid diagrams, so the deck becomes browsable where
the team already works. Beside the index (``README.md``) and one page per persona, the site
has, under ``pages/``:

- ``organisation.md``: departments, groups and teams, with their personas, as nested lists;
- ``use-cases.md``: each use case with its user stories;
- ``interactions.md``: who works with whom, as a Mermaid flowchart;
- ``architectures/<id>.md``: each architecture in use, as a Mermaid flowchart of its layers,
  components and numbered flows, with the personas on each component;
- ``services/<name>.md``: for each service someone holds a role on, the table of roles per
  persona and environment (the persona method's "each service opens its table of roles").

Every link between pages is relative, so the site works from any folder and on any host.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..layout.labels import partner_label
from ..model import Architecture, Deck, Partner, Persona, Team
from .markdown import escape

PAGES = "pages"
ORGANISATION = f"{PAGES}/organisation.md"
USE_CASES = f"{PAGES}/use-cases.md"
INTERACTIONS = f"{PAGES}/interactions.md"
CATEGORY_NAMES = {
    "pretrained": "Pretrained AI",
    "discriminative": "Discriminative AI",
    "generative": "Generative AI",
}


def slug(text: str) -> str:
    """A file name stem for *text*: letters (accents dropped), digits and `-`, lower case."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "page"


def unique_names(keys: Iterable[str], folder: str) -> dict[str, str]:
    """A page path under *folder* for each key (case-insensitively), unique where slugs meet."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        folded = key.casefold()
        if folded in names:
            continue
        stem, number = slug(key), 2
        name = stem
        while name in taken:
            name, number = f"{stem}-{number}", number + 1
        taken.add(name)
        names[folded] = f"{folder}/{name}.md"
    return names


class Site:
    """Where each page of the site is, and the links between them."""

    def __init__(self, deck: Deck, persona_files: dict[Persona, str]):
        self.deck = deck
        self.persona_files = persona_files
        granted = [g.service for g in deck.rbac.grants] if deck.rbac else []
        self.services = unique_names(granted, f"{PAGES}/services")
        self.architectures = {
            a.id: f"{PAGES}/architectures/{slug(a.id)}.md" for a in used_architectures(deck)
        }

    def link(self, page: str, target: str) -> str:
        """The relative link from *page* to *target* (both paths from the site's root)."""
        depth = page.count("/")
        return "../" * depth + target

    def persona_link(self, page: str, persona: Persona) -> str:
        return (
            f"[{escape(persona.id)} {escape(persona.name)}]({self.link(page, self.persona_files[persona])})"
        )

    def service_page(self, service: str) -> str | None:
        return self.services.get(service.casefold())

    def pages(self) -> dict[str, str]:
        """Every page of the site beyond the index and the persona pages: path to text."""
        pages = {ORGANISATION: organisation_page(self), INTERACTIONS: interactions_page(self)}
        if self.deck.use_cases:
            pages[USE_CASES] = use_cases_page(self)
        for architecture in used_architectures(self.deck):
            pages[self.architectures[architecture.id]] = architecture_page(self, architecture)
        for service, page in self.services.items():
            pages[page] = service_page(self, service, page)
        return pages

    def contents(self, page: str) -> list[str]:
        """The index's list of the other pages, linked from *page*."""
        lines = [f"- [Where the personas live]({self.link(page, ORGANISATION)})"]
        if self.deck.use_cases:
            lines.append(f"- [Use cases and user stories]({self.link(page, USE_CASES)})")
        lines.append(f"- [Who works with whom]({self.link(page, INTERACTIONS)})")
        for architecture in used_architectures(self.deck):
            lines.append(
                f"- [{escape(architecture.title)}]({self.link(page, self.architectures[architecture.id])})"
            )
        if self.services:
            lines += ["", "## Roles per environment", ""]
            granted = [g.service for g in self.deck.rbac.grants] if self.deck.rbac else []
            names = {service.casefold(): service for service in granted}
            lines += [
                f"- [{escape(names[key])}]({self.link(page, path)})" for key, path in self.services.items()
            ]
        return lines


def used_architectures(deck: Deck) -> list[Architecture]:
    """The architectures personas work in or use components of, in the deck's order."""
    ids = {a for p in deck.personas for a in p.architectures}
    services = {s.name for p in deck.personas for s in p.services}
    return [
        a
        for a in deck.architectures.values()
        if a.id in ids or any(c.matches(s) for c in a.components() for s in services)
    ]


# --- Organisation ------------------------------------------------------------------------


def organisation_page(site: Site) -> str:
    deck = site.deck
    lines = [
        "# Where the personas live",
        "",
        f"[Back to the index]({site.link(ORGANISATION, 'README.md')})",
        "",
    ]
    tree: dict[str, dict[str, list[Team]]] = {}
    for team in sorted(deck.teams.values(), key=lambda t: (t.department is None, t.external)):
        tree.setdefault(team.department or "Other teams", {}).setdefault(team.group or "", []).append(team)
    for department, groups in tree.items():
        lines.append(f"- **{escape(department)}**")
        for group, teams in groups.items():
            indent = "  "
            if group:
                lines.append(f"  - {escape(group)}")
                indent = "    "
            for team in teams:
                lines.append(f"{indent}- {escape(team.name)}{_team_note(team)}")
                for persona in (deck.persona(pid) for pid in team.members):
                    if persona is not None:
                        lines.append(f"{indent}  - {_member(site, persona)}")
    homeless = [p for p in deck.personas if not p.team]
    if homeless:
        lines.append("- **No team given**")
        lines += [f"  - {_member(site, p)}" for p in homeless]
    return "\n".join(lines) + "\n"


def _team_note(team: Team) -> str:
    if team.external:
        return " _(outside this deck)_"
    if not team.members:
        return " _(no persona yet)_"
    return ""


def _member(site: Site, persona: Persona) -> str:
    text = site.persona_link(ORGANISATION, persona)
    if persona.is_agent:
        text += " _(agent)_"
    if persona.example_roles:
        text += " — e.g. " + escape(", ".join(persona.example_roles))
    return text


# --- Use cases ---------------------------------------------------------------------------


def use_cases_page(site: Site) -> str:
    deck = site.deck
    lines = ["# Use cases and user stories", "", f"[Back to the index]({site.link(USE_CASES, 'README.md')})"]
    for use_case in deck.use_cases:
        lines += ["", f"## {escape(use_case.id)}: {escape(use_case.name)}", ""]
        facts = [CATEGORY_NAMES[c] for c in use_case.categories]
        if use_case.architecture:
            architecture = deck.architectures[use_case.architecture]
            page = site.architectures.get(architecture.id)
            title = escape(architecture.title)
            facts.append(f"[{title}]({site.link(USE_CASES, page)})" if page else title)
        if facts:
            lines += [" · ".join(facts), ""]
        if use_case.description:
            lines += [escape(use_case.description), ""]
        for story in use_case.stories:
            persona = deck.persona(story.persona)
            if persona is None:
                continue
            page = site.link(USE_CASES, site.persona_files[persona])
            who = f"[{escape(persona.name)}]({page}) ({escape(persona.id)})"
            sentence = f"As {_article(persona.name)} {who}, I want {escape(story.want)}"
            if story.so_that:
                sentence += f", so that {escape(story.so_that)}"
            lines.append(f"- {sentence}.")
    return "\n".join(lines) + "\n"


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeio" else "a"


# --- Mermaid diagrams --------------------------------------------------------------------


def mermaid_label(text: str) -> str:
    """*text* as a quoted Mermaid label: quotes and markup characters as entity codes."""
    codes = {'"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "`": "#96;", "\n": " "}
    return '"' + "".join(codes.get(char, char) for char in text) + '"'


def interactions_page(site: Site) -> str:
    deck = site.deck
    lines = ["# Who works with whom", "", f"[Back to the index]({site.link(INTERACTIONS, 'README.md')})", ""]
    lines += ["Arrows run from a persona to the team or persona it works with.", "", "```mermaid"]
    lines += interactions_diagram(deck)
    lines += ["```", ""]
    return "\n".join(lines)


def interactions_diagram(deck: Deck) -> list[str]:
    """A flowchart: teams as subgraphs holding their personas, outside teams as nodes."""
    ids = {p.id: f"p{index}" for index, p in enumerate(deck.personas, start=1)}
    teams = {name: f"t{index}" for index, name in enumerate(deck.teams, start=1)}
    lines = ["flowchart LR"]
    for name, team in deck.teams.items():
        members = [p for p in (deck.persona(pid) for pid in team.members) if p is not None]
        if members:
            lines.append(f"  subgraph {teams[name]}[{mermaid_label(name)}]")
            lines += [f"    {ids[p.id]}[{mermaid_label(f'{p.id} {p.name}')}]" for p in members]
            lines.append("  end")
        else:
            lines.append(f"  {teams[name]}([{mermaid_label(name)}])")
    homeless = [p for p in deck.personas if not p.team]
    lines += [f"  {ids[p.id]}[{mermaid_label(f'{p.id} {p.name}')}]" for p in homeless]
    everyone = "everyone"
    if any(partner.kind == "everyone" for p in deck.personas for partner in p.interacts_with):
        lines.append(f"  {everyone}([{mermaid_label(partner_label(deck, Partner('everyone')))}])")
    for persona in deck.personas:
        for partner in persona.interacts_with:
            if partner.kind == "persona":
                target = ids[partner.ref]
            elif partner.kind == "team":
                target = teams[partner.ref]
            else:
                target = everyone
            lines.append(f"  {ids[persona.id]} --> {target}")
    return lines


def architecture_page(site: Site, architecture: Architecture) -> str:
    deck = site.deck
    page = site.architectures[architecture.id]
    lines = [
        f"# {escape(architecture.title)}",
        "",
        f"[Back to the index]({site.link(page, 'README.md')})",
        "",
    ]
    if architecture.description:
        lines += [escape(architecture.description), ""]
    lines += ["```mermaid", *architecture_diagram(architecture), "```", ""]
    lines += [
        "## Who works on which component",
        "",
        "| Layer | Component | Personas |",
        "| --- | --- | --- |",
    ]
    for layer in architecture.layers:
        for component in layer.components:
            users = [p for p in deck.personas if any(component.matches(s.name) for s in p.services)]
            who = ", ".join(site.persona_link(page, p) for p in users) or "-"
            lines.append(f"| {escape(layer.name)} | {escape(component.name)} | {who} |")
    return "\n".join(lines) + "\n"


def architecture_diagram(architecture: Architecture) -> list[str]:
    """A flowchart of the layers (subgraphs), components (nodes) and numbered flows (edges)."""
    direction = "TB" if architecture.direction == "vertical" else "LR"
    ids: dict[str, str] = {}
    lines = [f"flowchart {direction}"]
    for layer_index, layer in enumerate(architecture.layers, start=1):
        lines.append(f"  subgraph l{layer_index}[{mermaid_label(layer.name)}]")
        for component in layer.components:
            ids[component.id] = f"c{len(ids) + 1}"
            lines.append(f"    {ids[component.id]}[{mermaid_label(component.name)}]")
        lines.append("  end")
    for flow in architecture.flows:
        source, target = ids.get(flow.source), ids.get(flow.target)
        if source is None or target is None:
            continue
        label = f"|{mermaid_label(flow.label)}|" if flow.label else ""
        lines.append(f"  {source} -->{label} {target}")
    return lines


# --- Services ----------------------------------------------------------------------------


def service_page(site: Site, service: str, page: str) -> str:
    deck = site.deck
    assert deck.rbac is not None
    grants = [g for g in deck.rbac.grants if g.service.casefold() == service]
    name = grants[0].service
    environments = list(deck.rbac.environments)
    lines = [f"# Roles on {escape(name)}", "", f"[Back to the index]({site.link(page, 'README.md')})", ""]
    lines += ["| Persona | " + " | ".join(escape(e) for e in environments) + " |"]
    lines += ["| --- |" + " --- |" * len(environments)]
    for grant in grants:
        persona = deck.persona(grant.persona)
        if persona is None:
            continue
        roles = [escape(grant.roles.get(env, "")) or "-" for env in environments]
        lines.append(f"| {site.persona_link(page, persona)} | " + " | ".join(roles) + " |")
    return "\n".join(lines) + "\n"
