"""Print sheets: persona cards at exact physical sizes, N-up on A4 or Letter.

Each card is the card layout drawn on a frame of the card's size, then moved to its place
on the page. Crop marks are short lines on the cut lines, at the page edges and between
cards; with bleed, the card's colour band runs past the cut. Backs (persona colour, ID,
team) follow each page of fronts, mirrored left to right for long-edge duplex printing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..diagnostics import Report
from ..model import Deck, Persona, PrintOptions
from ..text.fit import ellipsize
from ..theme.contrast import text_on
from .card import card_slide
from .chrome import Frame, fitted_title
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Element, Group, Paragraph, Presentation, Run, Shape, Slide, TextFrame, pt

MM = 36000
CARD_SIZES_MM = {
    "A6": (105, 148),
    "A5": (148, 210),
    "poker": (63, 88),
    "bridge": (56, 88),
    "slide": (160, 90),
}
PAPER_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARK_MM = 4
MARK_COLOUR = "000000"


@dataclass(frozen=True)
class Sheet:
    """Where cards go on a page."""

    page_w: int
    page_h: int
    card_w: int
    card_h: int
    bleed: int
    columns: int
    rows: int
    left: int
    top: int

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def slot(self, index: int, mirrored: bool = False) -> Box:
        """The trim box of card *index* on its page."""
        row, column = divmod(index % self.per_page, self.columns)
        if mirrored:
            column = self.columns - 1 - column
        pitch_x, pitch_y = self.card_w + 2 * self.bleed, self.card_h + 2 * self.bleed
        return Box(
            self.left + column * pitch_x + self.bleed,
            self.top + row * pitch_y + self.bleed,
            self.card_w,
            self.card_h,
        )


def plan_sheet(options: PrintOptions) -> Sheet:
    """The orientation and grid that fit the most cards of the chosen size on the paper."""
    card_w, card_h = (round(v * MM) for v in CARD_SIZES_MM[options.card_size])
    paper_w, paper_h = (round(v * MM) for v in PAPER_MM[options.paper])
    bleed = round(options.bleed * MM)
    best = None
    for page_w, page_h in ((paper_w, paper_h), (paper_h, paper_w)):
        columns = max(1, page_w // (card_w + 2 * bleed))
        rows = max(1, page_h // (card_h + 2 * bleed))
        if best is None or columns * rows > best.per_page:
            left = (page_w - columns * (card_w + 2 * bleed)) // 2
            top = (page_h - rows * (card_h + 2 * bleed)) // 2
            best = Sheet(page_w, page_h, card_w, card_h, bleed, columns, rows, max(0, left), max(0, top))
    assert best is not None  # both orientations were tried
    return best


def print_presentation(
    deck: Deck, personas: list[Persona], options: PrintOptions, fonts: Fonts, report: Report
) -> Presentation:
    sheet = plan_sheet(options)
    presentation = Presentation(
        sheet.page_w,
        sheet.page_h,
        title=f"{deck.title}: cards",
        author=deck.organisation or "",
        language=deck.language,
    )
    frame = Frame.for_size(sheet.card_w, sheet.card_h)
    for start in range(0, len(personas), sheet.per_page):
        page = personas[start : start + sheet.per_page]
        front = Slide(f"Cards {start // sheet.per_page + 1}")
        for index, persona in enumerate(page):
            box = sheet.slot(index)
            card = card_slide(deck, persona, fonts, report, frame)
            if sheet.bleed:
                front.add(_bleed(persona, box, sheet.bleed, card))
            front.elements.extend(_placed(card.elements, box, persona))
        if options.crop_marks:
            front.elements.extend(crop_marks(sheet, len(page)))
        presentation.slides.append(front)
        if options.backs:
            back = Slide(f"Backs {start // sheet.per_page + 1}")
            for index, persona in enumerate(page):
                back.elements.extend(
                    _back(deck, persona, sheet.slot(index, mirrored=True), sheet.bleed, fonts)
                )
            if options.crop_marks:
                back.elements.extend(crop_marks(sheet, len(page), mirrored=True))
            presentation.slides.append(back)
    return presentation


def _bleed(persona: Persona, box: Box, bleed: int, card: Slide) -> Shape:
    band = next(e for e in card.elements if isinstance(e, Shape) and e.name.endswith(":band"))
    return Shape(
        f"persona:{persona.id}:bleed",
        Box(box.x - bleed, box.y - bleed, box.w + 2 * bleed, band.box.h + bleed),
        fill=persona.colour.hex,
    )


def _placed(elements: Iterable[Element], box: Box, persona: Persona) -> list[Element]:
    """Card elements moved onto the page; the card's title is plain text there."""
    placed = []
    for element in elements:
        moved = _move(element, box.x, box.y)
        if isinstance(moved, Shape) and moved.is_title:
            moved = replace(moved, name=f"persona:{persona.id}:title", is_title=False, is_textbox=True)
        placed.append(moved)
    return placed


def _move(element: Element, dx: int, dy: int) -> Element:
    shifted = replace(element.box, x=element.box.x + dx, y=element.box.y + dy)
    if isinstance(element, Group):
        return replace(element, box=shifted, elements=tuple(_move(e, dx, dy) for e in element.elements))
    return replace(element, box=shifted)


def crop_marks(sheet: Sheet, count: int, mirrored: bool = False) -> list[Shape]:
    """Hairlines on every cut line, in the page margin outside the cards.

    Where cards fill the paper edge to edge (A6 on A4) there is no margin: the marks then
    run a few millimetres in from the page edge, along the cut line itself.
    """
    boxes = [sheet.slot(i, mirrored) for i in range(count)]
    # a cut along the paper's own edge needs no mark
    xs = sorted(x for x in {b.x for b in boxes} | {b.right for b in boxes} if 0 < x < sheet.page_w)
    ys = sorted(y for y in {b.y for b in boxes} | {b.bottom for b in boxes} if 0 < y < sheet.page_h)
    first_y = min(b.y for b in boxes) - sheet.bleed
    last_y = max(b.bottom for b in boxes) + sheet.bleed
    first_x = min(b.x for b in boxes) - sheet.bleed
    last_x = max(b.right for b in boxes) + sheet.bleed
    marks: list[Shape] = []
    for x in xs:
        for name, (start, length) in (("top", _before(first_y)), ("bottom", _after(last_y, sheet.page_h))):
            marks.append(_line(f"crop:x{x}:{name}", x, start, length, vertical=True))
    for y in ys:
        for name, (start, length) in (("left", _before(first_x)), ("right", _after(last_x, sheet.page_w))):
            marks.append(_line(f"crop:y{y}:{name}", start, y, length, vertical=False))
    return marks


def _before(edge: int) -> tuple[int, int]:
    """Start and length of a mark in the margin before *edge* (or inward from the page edge)."""
    gap, mark = MM // 2, MARK_MM * MM
    if edge >= 2 * MM + gap:
        start = max(0, edge - gap - mark)
        return start, edge - gap - start
    return 0, mark


def _after(edge: int, page: int) -> tuple[int, int]:
    gap, mark = MM // 2, MARK_MM * MM
    if page - edge >= 2 * MM + gap:
        start = edge + gap
        return start, min(mark, page - start)
    return page - mark, mark


def _line(name: str, x: int, y: int, length: int, vertical: bool) -> Shape:
    weight = pt(0.25)
    if vertical:
        box = Box(max(0, x - weight // 2), y, weight, length)
    else:
        box = Box(x, max(0, y - weight // 2), length, weight)
    return Shape(name, box, fill=MARK_COLOUR, description="Crop mark")


def _back(deck: Deck, persona: Persona, box: Box, bleed: int, fonts: Fonts) -> list[Element]:
    fill = persona.colour.hex
    colour = text_on(fill, deck.theme.text, "FFFFFF")
    frame = Frame.for_size(box.w, box.h)
    elements: list[Element] = [
        Shape(
            f"persona:{persona.id}:back",
            Box(box.x - bleed, box.y - bleed, box.w + 2 * bleed, box.h + 2 * bleed),
            fill=fill,
        )
    ]
    id_box = Box(box.x + frame.margin, box.y + box.h // 3, box.w - 2 * frame.margin, box.h // 4)
    size = 72
    while size > 12 and fonts.width_pt(persona.id, size, "heading", True) > id_box.w / EMU_PER_PT:
        size -= 2
    size = min(size, int(id_box.h / EMU_PER_PT / 1.25))
    elements.append(
        Shape(
            f"persona:{persona.id}:back-id",
            id_box,
            text=TextFrame(
                (Paragraph((Run(persona.id),), size, colour=colour, bold=True, font="heading", align="ctr"),),
                anchor="ctr",
            ),
            is_textbox=True,
        )
    )
    name_box = Box(id_box.x, id_box.bottom, id_box.w, box.h // 5)
    name, _ = fitted_title(
        fonts, persona.name, name_box, colour, range(max(10, round(20 * frame.scale)), 7, -1), 2
    )
    elements.append(
        Shape(
            f"persona:{persona.id}:back-name",
            name_box,
            text=TextFrame((replace(name, align="ctr"),), anchor="t"),
            is_textbox=True,
        )
    )
    if persona.team:
        team_box = Box(id_box.x, box.bottom - frame.margin - pt(16), id_box.w, pt(16))
        team = ellipsize(persona.team, team_box.w / EMU_PER_PT, 10, fonts.body)
        elements.append(
            Shape(
                f"persona:{persona.id}:back-team",
                team_box,
                text=TextFrame((Paragraph((Run(team),), 10, colour=colour, align="ctr"),), anchor="ctr"),
                is_textbox=True,
            )
        )
    return elements
