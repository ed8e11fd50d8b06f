"""The deck's title slide: title, subtitle, organisation, and a strip of persona colours."""

from __future__ import annotations

from ..diagnostics import Report
from ..model import Deck
from ..spec.slides import Options
from .chrome import Frame, fitted_title, footer, logo_picture
from .fonts import Fonts
from .shapes import Box, Shape, Slide, TextFrame, pt

MAX_STRIP_SEGMENTS = 40


def title_slide(deck: Deck, fonts: Fonts, report: Report) -> Slide:
    frame = Frame.for_deck(deck)
    theme = deck.theme
    slide = Slide(deck.title)
    width = frame.width - 2 * frame.margin
    notes: list[str] = []

    top = round(frame.height * 0.30)
    title_box = Box(frame.margin, top, width, pt(128))
    title, whole = fitted_title(fonts, deck.title, title_box, theme.text, range(44, 23, -1), 2)
    slide.add(Shape("Title", title_box, text=TextFrame((title,), anchor="t"), is_title=True))  # read first
    if deck.organisation:
        org_box = Box(frame.margin, top - pt(40), width, pt(30))
        org, org_whole = fitted_title(fonts, deck.organisation, org_box, theme.accent, range(18, 11, -1), 1)
        slide.add(Shape("Organisation", org_box, text=TextFrame((org,), anchor="b"), is_textbox=True))
        if not org_whole:
            notes.append(deck.organisation)
    # The brand mark: decorative, for the title and the organisation's name say it in words.
    logo = logo_picture(
        deck, "Title logo", frame.width - frame.margin, frame.margin, pt(200), pt(48), decorative=True
    )
    if logo is not None:
        slide.add(logo)
    if not whole:
        notes.append(deck.title)
        report.warning(
            deck.file,
            _position(deck, "title"),
            "the deck title is too long for the title slide; it is in the notes",
            "CF201",
        )

    rule_y = title_box.bottom + pt(8)
    slide.add(Shape("Title rule", Box(frame.margin, rule_y, pt(96), pt(4)), fill=theme.accent))

    if deck.subtitle:
        sub_box = Box(frame.margin, rule_y + pt(16), width, pt(72))
        sub, whole = fitted_title(
            fonts, deck.subtitle, sub_box, theme.muted, range(24, 13, -1), 2, bold=False
        )
        slide.add(Shape("Subtitle", sub_box, text=TextFrame((sub,), anchor="t"), is_textbox=True))
        if not whole:
            notes.append(deck.subtitle)
            report.warning(
                deck.file,
                _position(deck, "subtitle"),
                "the subtitle is too long for the title slide; it is in the notes",
                "CF201",
            )

    _colour_strip(deck, frame, slide)
    footer(deck, frame, fonts, slide, page_label=f"{len(deck.personas)} personas")
    slide.notes = "\n\n".join(notes)
    return slide


def _colour_strip(deck: Deck, frame: Frame, slide: Slide) -> None:
    """A row of persona colours: the deck's palette at a glance."""
    colours = list(dict.fromkeys(p.colour.hex for p in deck.personas))[:MAX_STRIP_SEGMENTS]
    if not colours:
        return
    y = frame.height - frame.margin // 2 - frame.footer_height - pt(18)
    width = frame.width - 2 * frame.margin
    segment = width // len(colours)
    for index, colour in enumerate(colours):
        x = frame.margin + index * segment
        w = segment if index < len(colours) - 1 else width - segment * index
        slide.add(Shape(f"Colour strip {index + 1}", Box(x, y, w, pt(8)), fill=colour))


def _position(deck: Deck, key: str):
    return deck.document.position((key,)) if deck.document else None


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `title` section."""
    return [title_slide(deck, fonts, report)]
