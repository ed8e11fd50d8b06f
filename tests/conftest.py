import os
from pathlib import Path

import pytest
from hypothesis import settings

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


# CI is a gate and must give the same verdict on the same commit: there Hypothesis draws the
# same examples every run (`CARDFORGE_HYPOTHESIS_PROFILE=ci`, set by .ci/run). Anywhere else
# each run draws new ones, which is how a property test finds what nobody thought to write.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore")
settings.load_profile(os.environ.get("CARDFORGE_HYPOTHESIS_PROFILE", "explore"))

CORPUS = {deck.name: deck for deck in corpus()}
INNER_LOOP_DECKS = {"mlops-default", "custom-architecture", "generated-6", "mixed-script"}
"""The corpus decks the inner loop (``-m "not slow"``) checks: a shipped deck, a custom
architecture, a small generated deck and long mixed-script names.
The full suite checks every corpus deck."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test run once per corpus deck is slow for the decks the inner loop leaves out."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        values = callspec.params.values() if callspec else ()
        if any(
            isinstance(value, str) and value in CORPUS and value not in INNER_LOOP_DECKS for value in values
        ):
            item.add_marker(pytest.mark.slow)


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
