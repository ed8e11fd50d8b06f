"""The whole deck's layout: sections in order, each turned into slides by its own module."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import limits
from ..diagnostics import Position, Report
from ..model import Deck, Section
from ..spec.slides import slide_kind
from .fonts import Fonts
from .shapes import Brand, Presentation, Slide

SectionBuilder = Callable[[Deck, Any, Fonts, Report], list[Slide]]


def builder(kind: str) -> SectionBuilder:
    """The ``slides()`` function of the layout module that draws *kind*.

    Modules are imported on first use, so a build loads only the slide kinds it draws.
    """
    found = slide_kind(kind)
    assert found is not None, kind  # sections are checked when the deck is read
    module = importlib.import_module(f"{__package__}.{found.module}")
    return module.slides


def brand_of(theme) -> Brand:
    """The theme's colour roles and palette mapped onto PowerPoint's theme colour slots."""
    palette = list(dict.fromkeys(theme.palette.values()))
    accents = [theme.accent] + [c for c in palette if c != theme.accent][:5]
    accents += ["A5A5A5"] * (6 - len(accents))
    colours = {
        "dk1": theme.text,
        "lt1": theme.background,
        "dk2": theme.muted,
        "lt2": theme.card,
        **{f"accent{i}": colour for i, colour in enumerate(accents, start=1)},
        "hlink": theme.accent,
        "folHlink": theme.muted,
    }
    return Brand(theme.name, colours, theme.heading_font.family, theme.body_font.family)


@dataclass
class DeckLayout:
    presentation: Presentation
    skipped: list[str] = field(default_factory=list)
    """Sections not drawn, with the reason, for the user's information."""


def layout_deck(deck: Deck, report: Report, sections: list[Section] | None = None) -> DeckLayout:
    """Lay out *sections* (default: the deck's own) into a :class:`Presentation`."""
    fonts = Fonts.from_theme(deck.theme)
    size = deck.theme.slide_size
    presentation = Presentation(
        size.width,
        size.height,
        title=deck.title,
        author=deck.organisation or "",
        subject=deck.subtitle or "",
        language=deck.language,
        brand=brand_of(deck.theme),
    )
    result = DeckLayout(presentation)
    for section in sections if sections is not None else deck.sections:
        slides = builder(section.kind)(deck, section.options, fonts, report)
        if not slides:
            result.skipped.append(f"{section.kind}: skipped, the deck gives it nothing to show")
        presentation.slides.extend(slides)
        if len(presentation.slides) > limits.SLIDES:
            _too_many_slides(deck, section, report)
            break
    return result


def _too_many_slides(deck: Deck, section: Section, report: Report) -> None:
    """Stop at the slide limit, with an error at the section that crossed it."""
    where = deck.document.position(section.path or ("slides",)) if deck.document else Position(1, 1)
    report.error(
        deck.file,
        where,
        f"the deck comes to more than {limits.SLIDES:,} slides by `{section.kind}`; "
        "split it into several decks or choose fewer sections",
        "CF410",
    )
