"""The whole deck's layout: sections in order, each turned into slides by its own module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .. import limits
from ..diagnostics import Position, Report
from ..model import Deck, Section
from .card import card_slides
from .fonts import Fonts
from .shapes import Brand, Presentation, Slide
from .title import title_slide

SectionBuilder = Callable[[Deck, Section, Fonts, Report], list[Slide]]


def _title(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    return [title_slide(deck, fonts, report)]


def _cards(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    chosen = section.options.get("personas")
    personas = [deck.persona(pid) for pid in chosen] if chosen else deck.personas
    return card_slides(deck, [p for p in personas if p is not None], fonts, report)


def _persona_table(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .persona_table import persona_table_slides

    return persona_table_slides(deck, fonts, report)


def _process_map(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .process_map import process_map_slides

    return process_map_slides(deck, fonts, report)


def _interactions(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .interactions import interaction_slides

    return interaction_slides(deck, fonts, report)


def _categories(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .categories import category_slides

    return category_slides(deck, fonts, report)


def _architecture(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .architecture import architecture_slides

    return architecture_slides(
        deck, section.options.get("id"), section.options.get("per_persona", False), fonts, report
    )


def _rbac(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .rbac import rbac_slides

    return rbac_slides(deck, fonts, report)


def _gaps(deck: Deck, section: Section, fonts: Fonts, report: Report) -> list[Slide]:
    from .gaps import gaps_slides

    return gaps_slides(deck, fonts, report)


BUILDERS: dict[str, SectionBuilder] = {
    "title": _title,
    "persona-table": _persona_table,
    "cards": _cards,
    "process-map": _process_map,
    "architecture": _architecture,
    "interactions": _interactions,
    "categories": _categories,
    "rbac": _rbac,
    "gaps": _gaps,
}


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
        builder = BUILDERS.get(section.kind)
        if builder is None:
            if section.path:  # asked for by name in `slides:`, so say why it is missing
                result.skipped.append(f"{section.kind}: not drawn by this version of cardforge")
            continue
        slides = builder(deck, section, fonts, report)
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
