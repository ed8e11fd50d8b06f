"""The slide kinds: one registry entry each, from which everything about sections follows.

A slide kind is a layout module (``cardforge.layout.<module>``, whose ``slides(deck, options,
fonts, report)`` draws it) plus one :class:`SlideKind` entry in :data:`KINDS`. The default
section list, the names ``slides:`` and ``--only`` accept, the JSON Schema of ``slides:``,
the checking of section options (with positions and "did you mean") and the documentation
test all read this registry, so adding a kind touches the new module and this list.

The registry lives in the spec stage because reading a deck needs it; it names layout
modules by name only, so that the dependencies still point down the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from .types import Name, NameList


class Options(BaseModel):
    """The options of a section (none by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Reference:
    """Marks an option whose value names something in the deck, resolved and checked there."""

    kind: str
    """``persona`` or ``architecture``."""


PersonaIds = Annotated[NameList, Reference("persona")]
ArchitectureId = Annotated[Name, Reference("architecture")]


class CardsOptions(Options):
    personas: PersonaIds = []
    """Only these personas' cards, in this order (default: every persona)."""


class ArchitectureOptions(Options):
    id: ArchitectureId | None = None
    """The architecture to draw (default: every architecture a persona works in)."""
    per_persona: bool = False
    """Also one slide per persona, showing only that persona's badges."""


@dataclass(frozen=True)
class SlideKind:
    """One kind of slide: its section name, what it shows, how it is drawn and its options."""

    name: str
    summary: str
    module: str
    """The layout module, ``cardforge.layout.<module>``, whose ``slides()`` draws the section."""
    options: type[Options] = Options
    shorthand: str | None = None
    """The option a bare value sets: ``{architecture: lambda}``, ``--only cards:P001,P003``."""
    aliases: tuple[str, ...] = ()

    def parse_options(self, value: Any) -> Any:
        """The options as a mapping: a bare value (or list) sets the shorthand option."""
        if value is None:
            return {}
        if self.shorthand is not None and not isinstance(value, dict):
            return {self.shorthand: value}
        return value


KINDS: tuple[SlideKind, ...] = (
    SlideKind("title", "The title slide.", "title"),
    SlideKind(
        "persona-table",
        "Every persona in a table, continued over numbered slides when long.",
        "persona_table",
        aliases=("table",),
    ),
    SlideKind(
        "organisation",
        "Departments, groups and teams, with the personas that live in each.",
        "organisation",
        aliases=("organization", "org"),
    ),
    SlideKind(
        "cards",
        "One card per persona.",
        "card",
        CardsOptions,
        shorthand="personas",
        aliases=("persona-cards",),
    ),
    SlideKind("process-map", "Personas against processes and their stages.", "process_map"),
    SlideKind(
        "architecture",
        "An architecture with each persona's badge on the components it uses.",
        "architecture",
        ArchitectureOptions,
        shorthand="id",
        aliases=("architectures",),
    ),
    SlideKind("interactions", "Who works with whom.", "interactions"),
    SlideKind("categories", "Personas and use cases by AI category.", "categories"),
    SlideKind(
        "use-cases", "One slide per use case, with its user stories.", "use_cases", aliases=("stories",)
    ),
    SlideKind("rbac", "Roles per service and persona, one matrix per environment.", "rbac"),
    SlideKind("gaps", "Staffing gaps, least-privilege findings and unused parts, with advice.", "gaps"),
)
"""Every slide kind, in the order of the default section list."""

SECTIONS = tuple(kind.name for kind in KINDS)
_BY_NAME = {name: kind for kind in KINDS for name in (kind.name, *kind.aliases)}


def slide_kind(name: str) -> SlideKind | None:
    """The kind called *name* (or one of its aliases), ignoring case and surrounding space."""
    return _BY_NAME.get(name.strip().lower())


def reference_of(options: type[Options], field: str) -> Reference | None:
    """The :class:`Reference` marker on *field* of *options*, if any."""
    for marker in options.model_fields[field].metadata:
        if isinstance(marker, Reference):
            return marker
    annotation = options.model_fields[field].annotation
    for arg in getattr(annotation, "__args__", ()):
        for marker in getattr(arg, "__metadata__", ()):
            if isinstance(marker, Reference):
                return marker
    return None


def slides_schema() -> dict[str, Any]:
    """The JSON Schema of one ``slides:`` entry: a section name, or ``{name: options}``."""
    names = [name for kind in KINDS for name in (kind.name, *kind.aliases)]
    choices: list[dict[str, Any]] = [{"enum": names, "description": "A section with its default options."}]
    for kind in KINDS:
        if not kind.options.model_fields:
            choices.append(_entry_schema(kind, {"type": ["object", "null"], "maxProperties": 0}))
            continue
        options = kind.options.model_json_schema()
        options.pop("title", None)
        value: dict[str, Any] = options
        if kind.shorthand is not None:
            short = options["properties"][kind.shorthand]
            value = {"anyOf": [options, *short.get("anyOf", [short])]}
        choices.append(_entry_schema(kind, value))
    return {"anyOf": choices}


def _entry_schema(kind: SlideKind, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"{kind.name}: {kind.summary}",
        "properties": dict.fromkeys((kind.name, *kind.aliases), value),
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
    }
