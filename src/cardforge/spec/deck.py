"""The deck format, version 1, as pydantic models (see ``deck-format.md``).

These models check shapes and value types only; references between parts of the deck
(persona ids, colours, teams, architectures) are resolved in :mod:`cardforge.model`.
Scalars arrive as the text the user wrote, so numbers and booleans are parsed here, by
pydantic, only where a field is a number or a boolean.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from .. import limits
from .types import (
    AtMostMaxItems,
    Name,
    NameList,
    Text,
    TextList,
    Url,
    accepts_one,
    canonical,
    check_version,
    lower,
)

FORMAT_VERSION = 1
MAX_PERSONAS = limits.PERSONAS
CATEGORIES = ("pretrained", "discriminative", "generative")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _service_from_text(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


def _link_from_text(value: Any) -> Any:
    return {"url": value} if isinstance(value, str) else value


class ServiceSpec(Strict):
    """A service (component) a persona needs access to."""

    name: Name
    url: Url | None = None


class LinkSpec(Strict):
    """A titled link to learning material."""

    title: Text | None = None
    url: Url


ServiceItem = Annotated[
    ServiceSpec, BeforeValidator(_service_from_text, json_schema_input_type=str | ServiceSpec)
]
LinkItem = Annotated[LinkSpec, BeforeValidator(_link_from_text, json_schema_input_type=str | LinkSpec)]
Category = Annotated[Literal["pretrained", "discriminative", "generative"], BeforeValidator(lower)]
Categories = Annotated[list[Category], accepts_one(Category), AtMostMaxItems]
Services = Annotated[list[ServiceItem], accepts_one(ServiceItem, entries=True), AtMostMaxItems]
Links = Annotated[list[LinkItem], accepts_one(LinkItem, entries=True), AtMostMaxItems]


Environments = Annotated[list[Name], accepts_one(Name), Field(max_length=limits.ENVIRONMENTS)]


class PersonaSpec(Strict):
    """One persona: a role in the workload team, human or agent."""

    id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\s|()]+$")]
    name: Name
    colour: Name | None = None
    color: Name | None = Field(None, description="Same as `colour`.")
    kind: Annotated[Literal["person", "agent"], BeforeValidator(lower)] = "person"
    category: Categories = []
    team: Name | None = None
    interacts_with: NameList = []
    processes: NameList = []
    architectures: NameList = []
    scope: Text | None = None
    services: Services = []
    data_access: Text | None = None
    skills: NameList = []
    learn: Links = []
    people: NameList | None = None
    notes: Text | None = None
    goal: Text | None = None
    responsibilities: TextList = []
    example_roles: NameList = []
    url: Url | None = Field(None, description="The persona's own page; its printed card's QR code opens it.")

    @field_validator("id", mode="before")
    @classmethod
    def _strip_id(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @property
    def colour_name(self) -> str | None:
        return self.colour if self.colour is not None else self.color


class TeamSpec(Strict):
    name: Name
    description: Text | None = None
    department: Name | None = None
    group: Name | None = None


class ProcessSpec(Strict):
    name: Name
    description: Text | None = None
    stages: NameList = []


class ComponentSpec(Strict):
    id: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    name: Name
    aliases: NameList = []
    description: Text | None = None
    kind: Annotated[
        Literal["service", "actor"],
        BeforeValidator(lower),
        Field(
            description="`service` (default): something personas get access to. `actor`: someone or "
            "something outside the team that uses the workload, such as a chat's end user; no persona "
            "is expected to use it, so it is never reported as unused."
        ),
    ] = "service"


class LayerSpec(Strict):
    name: Name
    components: list[ComponentSpec] = Field(min_length=1, max_length=limits.COMPONENTS)


class FlowSpec(Strict):
    source: Name = Field(alias="from")
    target: Name = Field(alias="to")
    label: Name | None = None


class ArchitectureSpec(Strict):
    id: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    title: Text | None = None
    description: Text | None = None
    direction: Annotated[Literal["horizontal", "vertical"], BeforeValidator(lower)] = "horizontal"
    layers: list[LayerSpec] = Field(min_length=1, max_length=limits.COMPONENTS)
    flows: list[FlowSpec] = Field([], max_length=limits.FLOWS)


class StorySpec(Strict):
    """A user story: "As a PERSONA, I want WANT, so that SO_THAT"."""

    persona: Name
    want: Text
    so_that: Text | None = None


class UseCaseSpec(Strict):
    id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\s|()]+$")]
    name: Name
    category: Categories = []
    architecture: Name | None = None
    description: Text | None = None
    stories: Annotated[list[StorySpec], Field(max_length=limits.STORIES)] = []


class GrantSpec(Strict):
    persona: Name
    service: Name
    roles: dict[Name, Text] = Field({}, max_length=limits.ENVIRONMENTS)


class RbacSpec(Strict):
    environments: Annotated[Environments, Field(min_length=1)] = [
        "Dev",
        "Stage",
        "Prod",
    ]
    grants: list[GrantSpec] = Field([], max_length=limits.GRANTS)


class PrintSpec(Strict):
    card_size: Annotated[
        Literal["A6", "A5", "poker", "bridge", "slide"], canonical("A6", "A5", "poker", "bridge", "slide")
    ] = "A6"
    paper: Annotated[Literal["A4", "Letter"], canonical("A4", "Letter")] = "A4"
    crop_marks: bool = True
    backs: bool = False
    bleed: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False, description="Bleed in millimetres.")] = (
        0.0
    )
    margin: Annotated[
        float, Field(ge=0, le=25, description="Millimetres at each sheet edge left empty for the printer.")
    ] = 5.0
    gutter: Annotated[
        float, Field(ge=0, le=20, description="Millimetres between cards when there is no bleed.")
    ] = 3.0
    qr: Annotated[Literal["learn", "none"], BeforeValidator(lower)] = "learn"
    qr_on_back: bool = False


class LintSpec(Strict):
    disable: NameList = Field([], description="Warning codes to silence, for example CF101.")


SlideEntry = Annotated[
    str | dict[str, Any],
    Field(description="A section name, or a one-key mapping from a section name to its options."),
]


class DeckSpec(Strict):
    """A whole deck file."""

    cardforge: int = Field(description="Format version; this cardforge reads version 1.")
    title: Text
    subtitle: Text | None = None
    organisation: Text | None = None
    theme: Name = "default"
    footer: Text | None = None
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    slides: Annotated[list[SlideEntry], Field(max_length=limits.SLIDE_ENTRIES)] | None = None
    teams: Annotated[list[TeamSpec], Field(max_length=limits.TEAMS)] = []
    use_cases: Annotated[list[UseCaseSpec], Field(max_length=limits.USE_CASES)] = []
    processes: Annotated[list[ProcessSpec], Field(max_length=limits.PROCESSES)] | None = None
    architectures: Annotated[list[ArchitectureSpec], Field(max_length=limits.ARCHITECTURES)] = []
    personas: list[PersonaSpec] = Field(min_length=1, max_length=MAX_PERSONAS)
    rbac: RbacSpec | None = None
    print: PrintSpec | None = None
    lint: LintSpec | None = None

    @field_validator("cardforge")
    @classmethod
    def _known_version(cls, value: int) -> int:
        return check_version(value, FORMAT_VERSION, "cardforge")
