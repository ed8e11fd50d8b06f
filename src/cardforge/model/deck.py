"""Plain data classes for a deck whose references are resolved.

Layout modules read these and nothing else: every persona has a concrete colour, every
team and process named anywhere exists as an object, architectures are complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..spec.slides import Options
from ..spec.yamlread import Document, PathKey
from ..theme import Theme


@dataclass(frozen=True)
class Colour:
    name: str
    """Palette name, or the hex as written (``#92D050``) for a custom colour."""
    hex: str
    """``RRGGBB`` without ``#``."""


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Service:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Partner:
    """Whom a persona works with: a persona (by id), a team (by name), or every team."""

    kind: Literal["persona", "team", "everyone"]
    ref: str = ""
    """The persona's id or the team's name; empty for every team."""
    item: int = field(default=-1, compare=False)
    """Where the deck names it in the persona's `interacts_with` list, for messages."""


@dataclass(eq=False)  # personas are compared by identity: each is one person in the deck
class Persona:
    id: str
    name: str
    colour: Colour
    kind: str = "person"
    categories: tuple[str, ...] = ()
    team: str | None = None
    interacts_with: tuple[Partner, ...] = ()
    processes: tuple[str, ...] = ()
    stages: tuple[tuple[str, str], ...] = ()
    """(process, stage) pairs for processes the persona takes part in at named stages only
    (``MLOps/Prod``); a process named alone spans all its stages."""
    architectures: tuple[str, ...] = ()
    scope: str | None = None
    services: tuple[Service, ...] = ()
    data_access: str | None = None
    skills: tuple[str, ...] = ()
    learn: tuple[Link, ...] = ()
    people: tuple[str, ...] | None = None
    notes: str | None = None
    goal: str | None = None
    responsibilities: tuple[str, ...] = ()
    example_roles: tuple[str, ...] = ()
    url: str | None = None
    """The persona's own page, if the deck gives one."""
    path: PathKey = ()
    """Where the persona stands in the deck file, for positioned warnings."""

    @property
    def title(self) -> str:
        """The card title, exactly ``NAME (ID | COLOUR NAME)``."""
        return f"{self.name} ({self.id} | {self.colour.name})"

    @property
    def is_agent(self) -> bool:
        return self.kind == "agent"

    def stages_in(self, process: str) -> tuple[str, ...]:
        """The stages of *process* the persona names; empty when it takes part in all of them."""
        return tuple(stage for name, stage in self.stages if name == process)

    @property
    def process_labels(self) -> tuple[str, ...]:
        """The processes as a reader sees them: ``MLOps (Dev, Stage)`` for named stages."""
        labels = []
        for process in self.processes:
            stages = self.stages_in(process)
            labels.append(f"{process} ({', '.join(stages)})" if stages else process)
        return tuple(labels)


@dataclass
class Team:
    name: str
    description: str | None = None
    members: list[str] = field(default_factory=list)
    """Ids of the personas whose `team` this is."""
    declared: bool = True
    """Listed in `teams:`; otherwise implied by a persona that names it."""
    department: str | None = None
    group: str | None = None

    @property
    def external(self) -> bool:
        """A team outside the deck: named only in `interacts_with`, with no persona of its own."""
        return not self.declared and not self.members


@dataclass(frozen=True)
class Story:
    """A user story: "As a (persona), I want (want), so that (so_that)"."""

    persona: str
    """The persona's id."""
    want: str
    so_that: str | None = None


@dataclass(frozen=True)
class UseCase:
    id: str
    name: str
    categories: tuple[str, ...] = ()
    architecture: str | None = None
    """The id of the architecture it runs on."""
    description: str | None = None
    stories: tuple[Story, ...] = ()
    path: PathKey = ()


@dataclass
class Process:
    name: str
    description: str | None = None
    stages: tuple[str, ...] = ()
    ad_hoc: bool = False


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    kind: str = "service"
    """``service``, or ``actor``: outside the team (a chat's end user), used by no persona."""

    @property
    def is_actor(self) -> bool:
        return self.kind == "actor"

    def matches(self, service: str) -> bool:
        folded = service.strip().casefold()
        return folded == self.name.casefold() or any(folded == a.casefold() for a in self.aliases)


@dataclass(frozen=True)
class Layer:
    name: str
    components: tuple[Component, ...]


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    label: str | None = None


@dataclass
class Architecture:
    id: str
    title: str
    layers: tuple[Layer, ...]
    flows: tuple[Flow, ...] = ()
    description: str | None = None
    direction: str = "horizontal"
    builtin: bool = False

    def components(self) -> list[Component]:
        return [component for layer in self.layers for component in layer.components]


@dataclass(frozen=True)
class Grant:
    persona: str
    service: str
    roles: dict[str, str]
    path: PathKey = ()


@dataclass
class Rbac:
    environments: tuple[str, ...]
    grants: tuple[Grant, ...]


@dataclass(frozen=True)
class PrintOptions:
    card_size: str = "A6"
    paper: str = "A4"
    crop_marks: bool = True
    backs: bool = False
    bleed: float = 0.0
    margin: float = 5.0
    """Millimetres left empty at every sheet edge: office printers cannot print there."""
    gutter: float = 3.0
    """Millimetres between neighbouring cards when there is no bleed."""
    qr: str = "learn"
    """``learn``: a QR code to the persona's page or first learn link; ``none``."""
    qr_on_back: bool = False
    """Draw the QR code on the card's back instead of its front (when backs are printed)."""


@dataclass(frozen=True)
class Section:
    kind: str
    """The slide kind's name (see :mod:`cardforge.spec.slides`)."""
    options: Options = field(default_factory=Options, hash=False, compare=False)
    """The kind's options, validated, with references resolved to ids."""
    path: PathKey = ()


@dataclass
class Deck:
    """A validated deck, ready for layout."""

    file: str
    base_dir: Path
    title: str
    theme: Theme
    personas: list[Persona]
    sections: list[Section]
    teams: dict[str, Team] = field(default_factory=dict)
    use_cases: list[UseCase] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    architectures: dict[str, Architecture] = field(default_factory=dict)
    subtitle: str | None = None
    organisation: str | None = None
    footer: str | None = None
    language: str = "en"
    rbac: Rbac | None = None
    print_options: PrintOptions = field(default_factory=PrintOptions)
    disabled_lints: frozenset[str] = frozenset()
    document: Document | None = field(default=None, repr=False)
    _by_id: dict[str, Persona] = field(default_factory=dict, init=False, repr=False, compare=False)
    _granted: dict[str, set[str]] | None = field(default=None, init=False, repr=False, compare=False)

    def persona(self, persona_id: str) -> Persona | None:
        """The persona with *persona_id* (case-insensitive), if any."""
        if len(self._by_id) != len(self.personas):  # built on first use, after resolution
            self._by_id = {}
            for persona in self.personas:
                self._by_id.setdefault(persona.id.casefold(), persona)
        return self._by_id.get(persona_id.casefold())

    def granted(self, persona_id: str) -> set[str]:
        """The services (case-folded) *persona_id* holds a role on in `rbac:`."""
        if self._granted is None:  # built on first use: every card asks
            self._granted = {}
            for grant in self.rbac.grants if self.rbac else ():
                self._granted.setdefault(grant.persona.casefold(), set()).add(grant.service.casefold())
        return self._granted.get(persona_id.casefold(), set())

    def document_value(self, path) -> Any:
        """The value the deck file holds at *path* (as read, before validation)."""
        value: Any = self.document.data if self.document else None
        for part in path:
            value = value[part]
        return value

    @property
    def footer_text(self) -> str:
        return self.footer or self.organisation or ""
