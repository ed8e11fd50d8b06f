"""cardforge: persona cards, overviews and architecture maps from a YAML deck.

The pipeline runs spec (read and validate YAML) -> model (resolve references) -> layout
(geometry and fitted text) -> writer (.pptx). The public API:

- :func:`load_deck` reads and checks a deck file (raises :class:`DeckError`).
- :func:`build` lays out a deck and writes the presentation.

Names are imported on first use, so that ``import cardforge`` stays cheap for commands
that need only part of the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["BuildResult", "DeckError", "Diagnostic", "Report", "__version__", "build", "load_deck"]

_EXPORTS = {
    "DeckError": "cardforge.diagnostics",
    "Diagnostic": "cardforge.diagnostics",
    "Report": "cardforge.diagnostics",
    "load_deck": "cardforge.load",
    "build": "cardforge.api",
    "BuildResult": "cardforge.api",
}

if TYPE_CHECKING:
    from .api import BuildResult, build
    from .diagnostics import DeckError, Diagnostic, Report
    from .load import load_deck


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cardforge' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
