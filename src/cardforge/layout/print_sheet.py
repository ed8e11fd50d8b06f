"""Print sheets: persona cards at exact physical sizes, N-up on A4 or Letter.

Office printers cannot print the last few millimetres of a sheet, so nothing is placed
within the sheet margin (5 mm unless the deck or command line says otherwise): the cards,
their crop marks and a small sheet header (deck title, sheet k of n) all sit inside it.
Cards stand a gutter apart when there is no bleed, so a cut a little off the line does
not leave a neighbour's colour on the edge; with bleed, the colour runs past the cut
instead. Crop marks are short lines on the cut lines, outside every card: around the
grid and in the gutters. Backs (persona colour, ID, name, team) follow each sheet of
fronts, mirrored left to right for long-edge duplex printing.

The cards themselves are print cards (:mod:`.print_card`), designed for paper.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import product

from ..diagnostics import Report
from ..model import Deck, Persona, PrintOptions
from ..text.fit import ellipsize, line_height
from ..theme.contrast import text_on
from .chrome import Frame, fitted_title
from .deck import brand_of
from .fonts import Fonts
from .print_card import MM, SMALL_SIZE, PrintCards, qr_target
from .qr import qr_fits, qr_shapes
from .shapes import EMU_PER_PT, Box, Element, Paragraph, Presentation, Run, Shape, Slide, TextFrame, pt

CARD_SIZES_MM = {
    "A6": (105, 148),
    "A5": (148, 210),
    "poker": (63, 88),
    "bridge": (56, 88),
    "slide": (160, 90),
}
PAPER_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARK_MM = 4
MIN_MARK_MM = 1.5
MARK_CLEARANCE_MM = 0.5
"""Marks stop this far short of a card (or its bleed), so a mark never shows on a cut card."""
MARGIN_SLACK_MM = 0.2
"""And this far short of the sheet margin, so that rounding in a PDF never puts one inside it."""
HEADER_MM = 5
"""The sheet header's line and the space under it."""
MARK_COLOUR = "000000"
BLANK = None
"""A blank template card's place in the run (where a persona would be)."""


class SheetError(ValueError):
    """The card does not fit the paper inside the margins."""


@dataclass(frozen=True)
class Sheet:
    """Where cards go on a page."""

    page_w: int
    page_h: int
    card_w: int
    card_h: int
    bleed: int
    gap: int
    """Between the bleed boxes of neighbouring cards: the gutter, or none with bleed."""
    columns: int
    rows: int
    left: int
    top: int
    margin: int
    header: Box | None
    """The sheet header's line, when there is room for it above the cards."""

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def pitch_x(self) -> int:
        return self.card_w + 2 * self.bleed + self.gap

    @property
    def pitch_y(self) -> int:
        return self.card_h + 2 * self.bleed + self.gap

    def slot(self, index: int, mirrored: bool = False) -> Box:
        """The trim box of card *index* on its page."""
        row, column = divmod(index % self.per_page, self.columns)
        if mirrored:
            column = self.columns - 1 - column
        return Box(
            self.left + column * self.pitch_x + self.bleed,
            self.top + row * self.pitch_y + self.bleed,
            self.card_w,
            self.card_h,
        )

    @property
    def content_top(self) -> int:
        """The highest a mark may reach: under the header, else the margin."""
        return self.header.bottom + round(1 * MM) if self.header else self.margin


def mm(value: float) -> int:
    return round(value * MM)


def plan_sheet(options: PrintOptions) -> Sheet:
    """The orientation and grid that fit the most cards inside the margins.

    Among plans with as many cards, one with the sheet header and with room for crop
    marks around the cards wins; then the paper's own orientation.
    """
    card_w, card_h = (mm(v) for v in CARD_SIZES_MM[options.card_size])
    paper_w, paper_h = (mm(v) for v in PAPER_MM[options.paper])
    bleed, margin = mm(options.bleed), mm(options.margin)
    gap = 0 if bleed else mm(options.gutter)
    mark_room = mm(MARK_CLEARANCE_MM + MIN_MARK_MM + MARGIN_SLACK_MM) if options.crop_marks else 0
    best: tuple[tuple[int, bool, bool], Sheet] | None = None
    for (page_w, page_h), header, marks in product(
        ((paper_w, paper_h), (paper_h, paper_w)), (True, False), (True, False)
    ):
        room = mark_room if marks else 0
        header_h = mm(HEADER_MM) if header else 0
        usable_w = page_w - 2 * margin - 2 * room
        usable_h = page_h - 2 * margin - header_h - 2 * room
        columns = max(0, (usable_w + gap) // (card_w + 2 * bleed + gap))
        rows = max(0, (usable_h + gap) // (card_h + 2 * bleed + gap))
        if not columns * rows:
            continue
        grid_w = columns * (card_w + 2 * bleed) + (columns - 1) * gap
        grid_h = rows * (card_h + 2 * bleed) + (rows - 1) * gap
        region_top = margin + header_h
        sheet = Sheet(
            page_w,
            page_h,
            card_w,
            card_h,
            bleed,
            gap,
            columns,
            rows,
            (page_w - grid_w) // 2,
            region_top + (page_h - margin - region_top - grid_h) // 2,
            margin,
            Box(margin, margin, page_w - 2 * margin, pt(line_height(SMALL_SIZE))) if header else None,
        )
        key = (columns * rows, header, marks)
        if best is None or key > best[0]:
            best = (key, sheet)
    if best is None:
        raise SheetError(
            f"a {options.card_size} card does not fit on {options.paper} paper inside "
            f"{options.margin:g} mm margins; use a smaller --margin or --card-size"
        )
    return best[1]


def print_presentation(
    deck: Deck,
    personas: list[Persona],
    options: PrintOptions,
    fonts: Fonts,
    report: Report,
    blanks: int = 0,
) -> Presentation:
    """Sheets of *personas*' cards followed by *blanks* empty template cards."""
    sheet = plan_sheet(options)
    presentation = Presentation(
        sheet.page_w,
        sheet.page_h,
        title=f"{deck.title}: cards",
        author=deck.organisation or "",
        language=deck.language,
        brand=brand_of(deck.theme),
    )
    qr = options.qr != "none"
    on_back = qr and options.qr_on_back and options.backs
    cards = PrintCards(
        deck, options.card_size, sheet.card_w, sheet.card_h, fonts, qr and not on_back, on_back
    )
    cards.prepare(personas)
    run: list[Persona | None] = [*personas, *([BLANK] * blanks)]
    sheets = (len(run) + sheet.per_page - 1) // sheet.per_page
    for number, start in enumerate(range(0, len(run), sheet.per_page), start=1):
        page = run[start : start + sheet.per_page]
        title = sheet_title(start, len(page), len(personas), blanks)
        front = Slide(title)
        front.elements.extend(sheet_header(deck, sheet, fonts, title, options.card_size, number, sheets))
        for index, persona in enumerate(page):
            box = sheet.slot(index)
            if persona is None:
                front.elements.extend(cards.blank(start + index + 1 - len(personas), box))
                continue
            if sheet.bleed:
                front.add(_bleed(persona, box, sheet.bleed, cards.frame.band))
            front.elements.extend(cards.front(persona, box, report).elements)
        if options.crop_marks:
            front.elements.extend(crop_marks(sheet, len(page)))
        presentation.slides.append(front)
        if options.backs:
            title = "Backs of " + title[0].lower() + title[1:]
            back = Slide(title)
            back.elements.extend(sheet_header(deck, sheet, fonts, title, options.card_size, number, sheets))
            backs: list[tuple[Box, list[Element]]] = []
            for index, persona in enumerate(page):
                box = sheet.slot(index, mirrored=True)
                if persona is None:
                    backs.append(
                        (box, _blank_back(deck, start + index + 1 - len(personas), box, sheet.bleed))
                    )
                else:
                    backs.append((box, _back(deck, persona, box, sheet.bleed, fonts, on_back)))
            for _, elements in sorted(backs, key=lambda back: (back[0].y, back[0].x)):  # as they lie
                back.elements.extend(elements)
            if options.crop_marks:
                back.elements.extend(crop_marks(sheet, len(page), mirrored=True))
            presentation.slides.append(back)
    return presentation


def sheet_title(start: int, count: int, personas: int, blanks: int) -> str:
    """What a sheet holds, as its title: "Cards 1–4 of 11", "Blank cards 1–2 of 6", or both."""
    parts = []
    first, last = start + 1, min(start + count, personas)
    if first <= last:
        parts.append(f"cards {_span(first, last)} of {personas}")
    first_blank, last_blank = max(1, first - personas), start + count - personas
    if last_blank >= 1:
        parts.append(f"blank cards {_span(first_blank, last_blank)} of {blanks}")
    text = " and ".join(parts)
    return text[:1].upper() + text[1:]


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def sheet_header(
    deck: Deck, sheet: Sheet, fonts: Fonts, title: str, card_size: str, number: int, count: int
) -> list[Shape]:
    """The sheet's title on the left (the slide's title placeholder: what the sheet holds), the
    deck's title, the card size and the sheet's number on the right.

    A sheet planned without room for a header still has its title, in the top margin: a
    screen reader and PowerPoint's Accessibility Checker need it, and a printer that cannot
    print there loses nothing the cards need.
    """
    box = sheet.header or Box(sheet.margin, 0, sheet.page_w - 2 * sheet.margin, pt(line_height(SMALL_SIZE)))
    muted = deck.theme.muted
    title_w = min(pt(fonts.width_pt(title, SMALL_SIZE, "body", True) + 4), box.w)
    heading = Shape(
        "sheet:title",
        replace(box, w=title_w),
        text=TextFrame((Paragraph((Run(title),), SMALL_SIZE, colour=muted, bold=True),)),
        is_title=True,
    )
    if sheet.header is None:
        return [heading]
    suffix = f" · {card_size} · sheet {number} of {count}"
    room = box.w - title_w - pt(12)
    deck_title = ellipsize(
        deck.title, room / EMU_PER_PT - fonts.width_pt(suffix, SMALL_SIZE) - 4, SMALL_SIZE, fonts.body
    )
    right = deck_title + suffix if len(deck_title.rstrip("…")) >= 3 else suffix.removeprefix(" · ")
    right_w = min(pt(fonts.width_pt(right, SMALL_SIZE) + 4), room)
    return [
        heading,
        Shape(
            "sheet:number",
            Box(box.right - right_w, box.y, right_w, box.h),
            text=TextFrame((Paragraph((Run(right),), SMALL_SIZE, colour=muted, align="r"),)),
            is_textbox=True,
        ),
    ]


def _bleed(persona: Persona, box: Box, bleed: int, band_height: int) -> Shape:
    return Shape(
        f"persona:{persona.id}:bleed",
        Box(box.x - bleed, box.y - bleed, box.w + 2 * bleed, band_height + bleed),
        fill=persona.colour.hex,
    )


def crop_marks(sheet: Sheet, count: int, mirrored: bool = False) -> list[Shape]:
    """Hairlines on every cut line, outside the cards and inside the sheet margin.

    Around the grid, each mark runs from just outside the cards' bleed towards the margin;
    in a gutter wide enough, short marks between neighbours show the cuts after the first.
    """
    boxes = [sheet.slot(i, mirrored) for i in range(count)]
    bleed = sheet.bleed
    clearance, longest, shortest = mm(MARK_CLEARANCE_MM), mm(MARK_MM), mm(MIN_MARK_MM)
    first_x = min(b.x for b in boxes) - bleed
    last_x = max(b.right for b in boxes) + bleed
    first_y = min(b.y for b in boxes) - bleed
    last_y = max(b.bottom for b in boxes) + bleed
    marks: list[Shape] = []

    def outside(name: str, start: int, end: int, at: int, vertical: bool) -> None:
        """A mark between *start* and *end* (the grid side first), if there is room."""
        room = abs(end - start) - clearance - mm(MARGIN_SLACK_MM)
        if room < shortest:
            return
        length = min(longest, room)
        step = 1 if end > start else -1
        near = start + step * clearance
        far = near + step * length
        start_at = min(near, far)
        marks.append(
            _line(name, at, start_at, length, True) if vertical else _line(name, start_at, at, length, False)
        )

    for x in sorted({b.x for b in boxes} | {b.right for b in boxes}):
        outside(f"crop:x{x}:top", first_y, sheet.content_top, x, True)
        outside(f"crop:x{x}:bottom", last_y, sheet.page_h - sheet.margin, x, True)
    for y in sorted({b.y for b in boxes} | {b.bottom for b in boxes}):
        outside(f"crop:y{y}:left", first_x, sheet.margin, y, False)
        outside(f"crop:y{y}:right", last_x, sheet.page_w - sheet.margin, y, False)
    if sheet.gap - 2 * clearance >= shortest:
        marks += _gutter_marks(boxes, sheet)
    return marks


def _gutter_marks(boxes: list[Box], sheet: Sheet) -> list[Shape]:
    """Marks in the gutters: on each cut line, between two cards that face each other."""
    clearance = mm(MARK_CLEARANCE_MM)
    length = sheet.gap - 2 * clearance
    marks = []
    for upper in boxes:
        for lower in boxes:
            if lower.x == upper.x and lower.y == upper.bottom + sheet.gap:
                for x in (upper.x, upper.right):
                    marks.append(
                        _line(f"crop:x{x}:y{upper.bottom}", x, upper.bottom + clearance, length, True)
                    )
            if lower.y == upper.y and lower.x == upper.right + sheet.gap:
                for y in (upper.y, upper.bottom):
                    marks.append(
                        _line(f"crop:y{y}:x{upper.right}", upper.right + clearance, y, length, False)
                    )
    return marks


def _line(name: str, x: int, y: int, length: int, vertical: bool) -> Shape:
    weight = pt(0.25)
    box = Box(x - weight // 2, y, weight, length) if vertical else Box(x, y - weight // 2, length, weight)
    return Shape(name, box, fill=MARK_COLOUR)  # decorative: for the cutter, not the reader


def _back(deck: Deck, persona: Persona, box: Box, bleed: int, fonts: Fonts, with_qr: bool) -> list[Element]:
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
    target = qr_target(persona)
    if with_qr and target is not None:  # above the ID, and read before it
        elements += _back_qr(
            persona, target, Box(box.x, box.y + frame.margin, box.w, id_box.y - box.y - frame.margin)
        )
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


def _back_qr(persona: Persona, target: tuple[str, str], room: Box) -> list[Element]:
    """The QR code centred in the room above the back's ID, on its own white square."""
    url, about = target
    side = min(room.h - room.h // 10, room.w // 2)
    if side <= 0 or not qr_fits(url, side):
        return []
    square = Box(room.x + (room.w - side) // 2, room.y + (room.h - side) // 2, side, side)
    return list(qr_shapes(f"persona:{persona.id}:back-qr", url, square, f"QR code: {about} ({url})"))


def _blank_back(deck: Deck, number: int, box: Box, bleed: int) -> list[Element]:
    """The back of a blank card: light grey, to colour in or label by hand."""
    return [
        Shape(
            f"blank:{number}:back",
            Box(box.x - bleed, box.y - bleed, box.w + 2 * bleed, box.h + 2 * bleed),
            fill="E7E6E6",
            description="Back of a blank persona card",
        )
    ]
