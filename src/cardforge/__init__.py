"""cardforge: persona cards, overviews and architecture maps from a YAML deck.

The pipeline runs spec (read and validate YAML) -> model (resolve references) -> layout
(geometry and fitted text) -> writer (.pptx). The public API:

- :func:`load_deck` reads and checks a deck file (raises :class:`DeckError`).
- :func:`build` lays out a deck and writes the presentation.
"""

from .diagnostics import DeckError, Diagnostic, Report
from .load import load_deck

__version__ = "0.1.0"


def build(deck, output, **options):  # noqa: D103 - documented in cardforge.api
    from .api import build as _build

    return _build(deck, output, **options)


build.__doc__ = "Lay out *deck* and write it to *output*; see :func:`cardforge.api.build`."

__all__ = ["DeckError", "Diagnostic", "Report", "build", "load_deck", "__version__"]
