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

from .diagnostics import DeckError, Diagnostic, Position, Report
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

    report = report if report is not None else Report()
    local = Report()
    with _no_cycle_collection():
        laid_out = layout_deck(deck, local, sections)
        chosen = "the sections chosen" if sections is not None else ""
        _check_slides(deck, laid_out.presentation, local, chosen)
        _write(deck, laid_out.presentation, output, local)
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


def _write(deck: Deck, presentation, output: str | Path, report: Report) -> None:
    """Write *presentation* on the theme's template (the bytes checked when it was loaded)."""
    from .writer import write_presentation
    from .writer.save import epoch_problem

    problem = epoch_problem()
    if problem:
        report.warning("SOURCE_DATE_EPOCH", Position(1, 1), problem, "CF409")
    theme = deck.theme
    fonts = {"heading": theme.heading_font.family, "body": theme.body_font.family}
    template = theme.template_data if theme.template_data is not None else theme.template
    write_presentation(
        presentation,
        Path(output),
        fonts,
        template,
        theme.template_layout,
        theme.template.name if theme.template is not None else None,
    )


def _check_slides(deck: Deck, presentation, report: Report, chosen: str) -> None:
    """Raise :class:`DeckError` when there is nothing to write, or when layout stopped at
    the slide limit: an empty presentation is no output, and errors leave the old one.

    *chosen* names what was chosen on the command line (``--only``), if anything."""
    if not presentation.slides:
        if chosen:
            report.error(
                "--only", Position(1, 1), f"{chosen} give no slides; choose sections with content", "CF409"
            )
        else:
            where = deck.document.position(("slides",)) if deck.document is not None else Position(1, 1)
            report.error(
                deck.file, where, "the deck gives no slides to write; choose sections with content", "CF404"
            )
    if not report.ok:
        raise DeckError(report)


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

    report = report if report is not None else Report()
    presentation = print_presentation(deck, personas, options, Fonts.from_theme(deck.theme), report, blanks)
    _check_slides(deck, presentation, report, "the personas chosen")
    _write(deck, presentation, output, report)
    return len(presentation.slides)


def build_handout(deck: Deck, personas, paper: str, output: str | Path, report: Report | None = None) -> int:
    """Write a handout page for each of *personas* to *output* (.pptx); returns the page count."""
    from .layout.fonts import Fonts
    from .layout.handout import handout_presentation

    report = report if report is not None else Report()
    presentation = handout_presentation(deck, personas, paper, Fonts.from_theme(deck.theme), report)
    _check_slides(deck, presentation, report, "the personas chosen")
    _write(deck, presentation, output, report)
    return len(presentation.slides)
