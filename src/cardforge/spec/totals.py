"""Limits on a deck as a whole: what no single field's limit bounds.

Each list of a persona has its own limit, but 5000 personas with 100 entries in every list
would still ask for hours of card fitting; an architecture's layers each hold a bounded
number of components, but not all of them together. The error stands at the entry that
crosses the limit, so the user sees where the deck grew too large.
"""

from __future__ import annotations

from .. import limits
from ..diagnostics import Report
from .deck import DeckSpec
from .salvage import PathMap
from .yamlread import Document

PERSONA_LISTS = (
    "category",
    "interacts_with",
    "processes",
    "architectures",
    "services",
    "skills",
    "learn",
    "people",
    "responsibilities",
    "example_roles",
)


def check_totals(spec: DeckSpec, document: Document, paths: PathMap, report: Report) -> None:
    """Report the first persona whose lists take the deck past :data:`limits.DECK_LIST_ENTRIES`,
    and any architecture with more than :data:`limits.COMPONENTS` components."""
    entries = 0
    for index, persona in enumerate(spec.personas):
        entries += sum(len(getattr(persona, name) or ()) for name in PERSONA_LISTS)
        if entries > limits.DECK_LIST_ENTRIES:
            path = paths.original(("personas", index))
            report.error(
                document.file,
                document.position(path),
                f"with this persona the deck's lists hold more than {limits.DECK_LIST_ENTRIES:,} entries "
                "(services, skills, links, people, processes...); split the deck",
                "CF410",
            )
            break
    for index, architecture in enumerate(spec.architectures):
        components = sum(len(layer.components) for layer in architecture.layers)
        if components > limits.COMPONENTS:
            report.error(
                document.file,
                document.position(paths.original(("architectures", index, "layers"))),
                f"architecture `{architecture.id}` has {components} components; at most "
                f"{limits.COMPONENTS} are allowed",
                "CF410",
            )
