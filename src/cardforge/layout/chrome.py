"""What every slide shares: its frame (margins), the footer, and fitted single-box titles."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Deck
from ..text.fit import ellipsize, line_height
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Picture, Placeholder, Run, Shape, Slide, TextFrame, pt

FOOTER_SIZE = 10


@dataclass(frozen=True)
class Frame:
    """The slide's size and the margins content keeps to."""

    width: int
    height: int
    margin: int
    footer_height: int

    @classmethod
    def for_deck(cls, deck: Deck) -> Frame:
        size = deck.theme.slide_size
        return cls.for_size(size.width, size.height)

    @classmethod
    def for_size(cls, width: int, height: int) -> Frame:
        margin = round(min(width, height) * 0.0667)  # 0.5 in on a 7.5 in tall slide
        scale = min(1.0, min(width, height) / pt(540))
        return cls(width, height, margin, round(pt(28) * max(scale, 0.7)))

    @property
    def scale(self) -> float:
        """How much smaller than a 7.5 in slide this frame is (1 for slides, less for cards)."""
        return min(1.0, min(self.width, self.height) / pt(540))


def logo_picture(
    deck: Deck, name: str, right: int, top: int, max_w: int, max_h: int, decorative: bool = False
) -> Picture | None:
    """The theme's logo fitted into *max_w* x *max_h*, right-aligned at *right*; *decorative*
    where it repeats on every slide (a screen reader need not announce it each time)."""
    theme = deck.theme
    if theme.logo is None or theme.logo_size is None:
        return None
    pixels_w, pixels_h = theme.logo_size
    scale = min(max_w / pixels_w, max_h / pixels_h)
    width, height = round(pixels_w * scale), round(pixels_h * scale)
    return Picture(
        name,
        Box(right - width, top + (max_h - height) // 2, width, height),
        str(theme.logo),
        "" if decorative else f"{theme.name} logo",
        data=theme.logo_data,
        decorative=decorative,
    )


PAGE_SEPARATOR = " · "
"""Between a slide's page label and its number."""
PAGE_NUMBER_ROOM = "9999"
"""The widest slide number the page label keeps room for."""


def footer(deck: Deck, frame: Frame, fonts: Fonts, slide: Slide, page_label: str = "") -> None:
    """Add the deck's footer text (left), the page label with the slide's number and the
    theme's logo (right).

    The footer text and the slide number are PowerPoint's footer and slide-number
    placeholders, so that Insert > Header & Footer finds them where they are instead of
    adding its own on top; they are written last, after the content, so a screen reader
    reads them last. The footer text ends where the page label begins, left of the logo.
    """
    theme = deck.theme
    top = frame.height - frame.margin // 2 - frame.footer_height
    height = frame.footer_height
    right_edge = frame.width - frame.margin
    logo = logo_picture(deck, "Logo", right_edge, top + pt(3), pt(120), height - pt(6), decorative=True)
    if logo is not None:
        slide.add(logo)
        right_edge = logo.box.x - pt(12)
    label = page_label + PAGE_SEPARATOR if page_label else ""
    right_width = max(pt(160), pt(fonts.width_pt(label + PAGE_NUMBER_ROOM, FOOTER_SIZE) + 4))
    right_width = min(right_width, (right_edge - frame.margin) // 2)
    left_box = Box(frame.margin, top, right_edge - right_width - pt(12) - frame.margin, height)
    if deck.footer_text:
        text = ellipsize(deck.footer_text, left_box.w / EMU_PER_PT, FOOTER_SIZE, fonts.body)
        if len(text.rstrip("…")) >= 3:  # a footer cut to a stub says nothing
            slide.add(_footer_text("Footer", left_box, (Run(text),), theme.muted, "l", "ftr"))
    right_box = Box(right_edge - right_width, top, right_width, height)
    runs = ((Run(label),) if label else ()) + (Run("", slide_number=True),)
    slide.add(_footer_text("Page", right_box, runs, theme.muted, "r", "sldNum"))


def _footer_text(
    name: str, box: Box, runs: tuple[Run, ...], colour: str, align: str, placeholder: Placeholder
) -> Shape:
    paragraph = Paragraph(runs, FOOTER_SIZE, colour=colour, align=align)  # type: ignore[arg-type]
    return Shape(name, box, text=TextFrame((paragraph,), anchor="ctr"), placeholder=placeholder)


def fitted_title(
    fonts: Fonts,
    text: str,
    box: Box,
    colour: str,
    sizes: range,
    max_lines: int,
    bold: bool = True,
    keep_whole: str | None = None,
) -> tuple[Paragraph, bool]:
    """The title paragraph at the largest size that fits *box* in at most *max_lines*.

    *keep_whole* is a trailing part that no line may break inside (a card's ``(ID | COLOUR)``
    tag): a size qualifies only when the tag stays on one line, also for a renderer whose
    glyphs are a little narrower than measured; failing that, the tag starts a line of its own.
    Returns the paragraph and whether the whole text fits; when it does not, the text is
    cut with an ellipsis at the smallest size and the caller keeps the full text elsewhere.
    """
    height = box.h / EMU_PER_PT
    candidates = [text]
    if keep_whole and text.endswith(keep_whole) and len(text) > len(keep_whole):
        candidates.append(text[: -len(keep_whole)].rstrip() + "\n" + keep_whole)
    for candidate in candidates:
        for size in sizes:
            paragraph = Paragraph((Run(candidate),), size, colour=colour, bold=bold, font="heading")
            lines = fonts.lines(paragraph, box.w)
            if len(lines) > max_lines or len(lines) * line_height(size) > height:
                continue
            if keep_whole and not _kept_whole(fonts, paragraph, box.w, keep_whole):
                continue
            return paragraph, True
    size = sizes[-1]
    probe = Paragraph((Run(text),), size, colour=colour, bold=bold, font="heading")
    lines_fit = max(1, min(max_lines, int(height // line_height(size))))
    kept = fonts.lines(probe, box.w)[:lines_fit]
    kept[-1] = ellipsize(kept[-1] + " …", box.w / EMU_PER_PT, size, fonts.heading, bold)
    cut = Paragraph((Run(" ".join(kept)),), size, colour=colour, bold=bold, font="heading")
    if len(fonts.lines(cut, box.w)) > lines_fit:
        one_line = ellipsize(text, box.w / EMU_PER_PT, size, fonts.heading, bold)
        cut = Paragraph((Run(one_line),), size, colour=colour, bold=bold, font="heading")
    return cut, False


RENDERER_SLACK = 1.06
"""A renderer may set a line up to this much wider than measured (narrower glyphs, no safety)."""


def _kept_whole(fonts: Fonts, paragraph: Paragraph, width: int, part: str) -> bool:
    """Whether *part* stays on one line as measured and with a renderer's slack."""
    for room in (width, round(width * RENDERER_SLACK)):
        if not any(part in line for line in fonts.lines(paragraph, room)):
            return False
    return True


def text_box(name: str, box: Box, paragraphs: list[Paragraph], anchor: str = "t") -> Shape:
    return Shape(name, box, text=TextFrame(tuple(paragraphs), anchor=anchor), is_textbox=True)  # type: ignore[arg-type]


def slide_title(
    deck: Deck, frame: Frame, fonts: Fonts, text: str, slide: Slide, sizes: range = range(28, 17, -1)
) -> tuple[int, str | None]:
    """Add a slide title at the top of the content area; returns its bottom and any overflow note."""
    box = Box(frame.margin, frame.margin // 2, frame.width - 2 * frame.margin, pt(56))
    paragraph, whole = fitted_title(fonts, text, box, deck.theme.text, sizes, max_lines=1)
    slide.add(Shape("Title", box, text=TextFrame((paragraph,), anchor="b"), is_title=True))
    return box.bottom, None if whole else text


def id_chip(
    persona,
    box: Box,
    size: int,
    name: str,
    *,
    text: str | None = None,
    description: str = "",
    link: str | None = None,
    adjust: int = 30000,
    fill: str | None = None,
) -> Shape:
    """A rounded chip in the persona's colour (or *fill*, on a band of that colour) holding
    its ID (or *text*, the ID cut to fit), in the colour that reads on it."""
    from ..theme.contrast import text_on

    fill = fill or persona.colour.hex
    paragraph = Paragraph((Run(text or persona.id),), size, colour=text_on(fill), bold=True, align="ctr")
    return Shape(
        name,
        box,
        geometry="roundRect",
        fill=fill,
        text=TextFrame((paragraph,), anchor="ctr"),
        adjust=adjust,
        description=description,
        link=link,  # on the shape, not the text: a text link would take the link colour
    )


def persona_chip(persona, box: Box, fonts: Fonts, name: str, link: str | None = None) -> Shape:
    """An ID chip sized to *box*. It says no more than its ID to a screen reader: its
    persona's name stands beside it."""
    height_pt = box.h / EMU_PER_PT
    size = max(7, min(12, int(height_pt * 0.55)))
    while size > 7 and fonts.width_pt(persona.id, size, "body", True) > box.w / EMU_PER_PT - 6:
        size -= 1
    text = ellipsize(persona.id, box.w / EMU_PER_PT - 4, size, fonts.body, True)
    return id_chip(persona, box, size, name, text=text, link=link, adjust=25000)


def overview_frame(deck: Deck, fonts: Fonts, title: str, page_label: str) -> tuple[Slide, Box, list[str]]:
    """A slide with its title and footer in place; returns it, the free area and notes."""
    frame = Frame.for_deck(deck)
    slide = Slide(title)
    bottom, overflow = slide_title(deck, frame, fonts, title, slide)
    footer(deck, frame, fonts, slide, page_label)
    footer_top = frame.height - frame.margin // 2 - frame.footer_height
    area = Box(
        frame.margin, bottom + pt(12), frame.width - 2 * frame.margin, footer_top - pt(8) - bottom - pt(12)
    )
    return slide, area, [overflow] if overflow else []


def numbered(title: str, index: int, count: int) -> str:
    """``Personas`` or ``Personas (2 of 3)``."""
    return title if count <= 1 else f"{title} ({index} of {count})"
