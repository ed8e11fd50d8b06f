from pathlib import Path

import pytest

import cardforge
from corpus import CorpusDeck, corpus
from quality import BuiltDeck

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DECKS = ROOT / "decks"


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def write_deck(tmp_path):
    """Write YAML text to a deck file in a temporary folder and return its path."""

    def _write(text: str, name: str = "deck.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


CORPUS = {deck.name: deck for deck in corpus()}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Each corpus deck (``tests/corpus.py``) built once per session, on first use: the
    design-quality measures and the accessibility rules look at the same files."""
    folder = tmp_path_factory.mktemp("corpus")
    cache: dict[str, BuiltDeck] = {}

    def get(name: str) -> BuiltDeck:
        if name not in cache:
            cache[name] = _build(CORPUS[name], folder)
        return cache[name]

    return get


def _build(deck: CorpusDeck, folder: Path) -> BuiltDeck:
    loaded = cardforge.load_deck(deck.write(folder), theme=deck.theme)
    output = folder / f"{deck.name}.pptx"
    cardforge.build(loaded, output)
    return BuiltDeck(output, {p.id: p.name for p in loaded.personas})
