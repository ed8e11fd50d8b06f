from pathlib import Path

import pytest

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
