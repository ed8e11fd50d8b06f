"""Read a deck file from disk into a resolved :class:`~cardforge.model.Deck`."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import DeckError, Position, Report
from .model.deck import Deck
from .spec.deck import DeckSpec
from .spec.validate import validate_and_salvage
from .spec.yamlread import read_yaml
from .theme.load import load_theme


def read_source(path: Path, report: Report) -> bytes | None:
    """The bytes of *path*, or ``None`` with a reported reason."""
    file = str(path)
    if not path.exists():
        report.error(file, Position(1, 1), "no such file", "CF401")
        return None
    if path.is_dir():
        report.error(
            file, Position(1, 1), "this is a folder; name a deck file such as decks/mlops.yaml", "CF401"
        )
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        report.error(file, Position(1, 1), f"cannot read the file: {exc.strerror or exc}", "CF401")
        return None


def load_deck(path: str | Path, *, theme: str | None = None, report: Report | None = None) -> Deck:
    """Load and check the deck at *path*.

    Raises :class:`~cardforge.diagnostics.DeckError` listing every error found. Warnings
    (which do not stop a build) are added to *report* when one is given.
    """
    from .model.resolve import resolve

    path = Path(path)
    report = report if report is not None else Report()
    local = Report()
    raw = read_source(path, local)
    document = read_yaml(raw, str(path), local) if raw is not None else None
    spec, paths = validate_and_salvage(document, DeckSpec, local) if document is not None else (None, None)
    deck = None
    if spec is not None and document is not None:
        theme_ref = theme or spec.theme
        theme_position = document.position(("theme",)) if theme is None else Position(1, 1)
        loaded_theme = load_theme(theme_ref, path.parent, str(path), theme_position, local)
        if loaded_theme is not None:
            deck = resolve(spec, document, path, loaded_theme, local, paths)
    report.extend(local)
    if not local.ok or deck is None:
        raise DeckError(local)
    return deck
