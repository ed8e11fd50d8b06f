"""The scripting API: load a deck, lay it out, write a presentation.

import cardforge
deck = cardforge.load_deck("decks/mlops.yaml")
result = cardforge.build(deck, "out/mlops.pptx")
for warning in result.warnings:
    print(warning)
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Report
from .model import Deck, Section


@dataclass
class BuildResult:
    output: Path
    slides: int
    warnings: list[Diagnostic] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def build(
    deck: Deck,
    output: str | Path,
    *,
    sections: list[Section] | None = None,
    report: Report | None = None,
) -> BuildResult:
    """Lay out *deck* and write it to *output* (atomically). Returns what was built."""
    from .layout.deck import layout_deck
    from .writer import write_presentation

    report = report if report is not None else Report()
    local = Report()
    with _no_cycle_collection():
        laid_out = layout_deck(deck, local, sections)
        fonts = {"heading": deck.theme.heading_font.family, "body": deck.theme.body_font.family}
        write_presentation(
            laid_out.presentation, Path(output), fonts, deck.theme.template, deck.theme.template_layout
        )
    report.extend(local)
    return BuildResult(Path(output), len(laid_out.presentation.slides), local.sorted(), laid_out.skipped)


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a deck is laid out and written: layout makes
    millions of small, acyclic objects, and the collector's passes over them cost a sixth of
    a large build. Reference counting still frees them; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_print(
    deck: Deck,
    personas,
    options,
    output: str | Path,
    report: Report | None = None,
    blanks: int = 0,
) -> int:
    """Write print sheets of *personas*' cards, then *blanks* empty template cards, to *output*
    (.pptx); returns the page count."""
    from .layout.fonts import Fonts
    from .layout.print_sheet import print_presentation
    from .writer import write_presentation

    report = report if report is not None else Report()
    presentation = print_presentation(deck, personas, options, Fonts.from_theme(deck.theme), report, blanks)
    fonts = {"heading": deck.theme.heading_font.family, "body": deck.theme.body_font.family}
    write_presentation(presentation, Path(output), fonts, deck.theme.template, deck.theme.template_layout)
    return len(presentation.slides)


def build_handout(deck: Deck, personas, paper: str, output: str | Path, report: Report | None = None) -> int:
    """Write a handout page for each of *personas* to *output* (.pptx); returns the page count."""
    from .layout.fonts import Fonts
    from .layout.handout import handout_presentation
    from .writer import write_presentation

    report = report if report is not None else Report()
    presentation = handout_presentation(deck, personas, paper, Fonts.from_theme(deck.theme), report)
    fonts = {"heading": deck.theme.heading_font.family, "body": deck.theme.body_font.family}
    write_presentation(presentation, Path(output), fonts, deck.theme.template, deck.theme.template_layout)
    return len(presentation.slides)
