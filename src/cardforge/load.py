"""Read a deck file from disk into a resolved :class:`~cardforge.model.Deck`."""

from __future__ import annotations

from pathlib import Path

from . import limits
from .diagnostics import DeckError, Position, Report, suggestion_budget
from .model.deck import Deck
from .paths import FileProblem, read_user_file
from .spec.deck import DeckSpec
from .spec.salvage import PathMap
from .spec.totals import check_totals
from .spec.validate import validate_and_salvage
from .spec.yamlread import read_yaml
from .theme.load import load_theme

_ADVICE = {
    "missing": "no such file",
    "folder": "this is a folder; name a deck file such as decks/mlops.yaml",
    "special": "this is {detail}, not a file; name a deck file such as decks/mlops.yaml",
    "size": "the file is {detail}; a deck may be at most {limit:,} bytes",
}


def read_source(path: Path, report: Report, limit: int = limits.DECK_BYTES) -> bytes | None:
    """The bytes of *path*, or ``None`` with a reported reason.

    The type and size are checked on the open file before anything is read: a named pipe,
    a device or a sparse file of gigabytes is refused at once.
    """
    file = str(path)
    try:
        return read_user_file(path, limit).data
    except FileProblem as problem:
        advice = _ADVICE.get(problem.kind)
        message = advice.format(detail=problem.detail, limit=limit) if advice else str(problem)
        report.error(file, Position(1, 1), message, "CF410" if problem.kind == "size" else "CF401")
        return None


def load_deck(path: str | Path, *, theme: str | None = None, report: Report | None = None) -> Deck:
    """Load and check the deck at *path*.

    Raises :class:`~cardforge.diagnostics.DeckError` listing every error found. Warnings
    (which do not stop a build) are added to *report* when one is given.
    """
    path = Path(path)
    report = report if report is not None else Report()
    local = Report()
    with suggestion_budget():
        deck = _load(path, theme, local)
    report.extend(local)
    if not local.ok or deck is None:
        raise DeckError(local)
    return deck


def _load(path: Path, theme: str | None, local: Report) -> Deck | None:
    from .model.resolve import resolve

    raw = read_source(path, local)
    document = read_yaml(raw, str(path), local) if raw is not None else None
    spec, paths = validate_and_salvage(document, DeckSpec, local) if document is not None else (None, None)
    deck = None
    if spec is not None and document is not None:
        check_totals(spec, document, paths or PathMap(), local)
        theme_ref = theme or spec.theme
        theme_position = document.position(("theme",)) if theme is None else Position(1, 1)
        loaded_theme = load_theme(theme_ref, path.parent, str(path), theme_position, local)
        if loaded_theme is not None:
            deck = resolve(spec, document, path, loaded_theme, local, paths)
    return deck
