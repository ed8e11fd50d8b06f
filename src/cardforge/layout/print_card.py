"""A persona card designed for paper: fixed print type sizes, a form of the template's fields.

A slide card shrunk to A6 sets its text at 7 pt; at arm's length across a workshop table
that does not read. A print card instead keeps a type scale chosen for its size (never
under 8 pt, body 9 pt or more on A6 and A5, the same body size on every card of a run)
and lays the template's fields out as a form that uses the whole card: labels in a narrow
column beside their values, or above them on playing-card sizes. What does not fit at
that size is left off the front, and the card says so ("+ 2 more", "More in the
handout") instead of shrinking. The QR code in the lower corner opens the persona's page
or its first learn link, since underlined text cannot be followed from paper.

Blank cards are the same form with writing lines instead of values, for groups to fill in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from ..diagnostics import Report
from ..model import Deck, Persona
from ..text.fit import ellipsize, line_height
from ..theme.contrast import text_on
from .chrome import fitted_title, id_chip
from .fonts import Fonts
from .labels import partner_labels
from .qr import qr_fits, qr_shapes
from .shapes import EMU_PER_PT, Box, Element, Paragraph, Run, Shape, TextFrame, pt

MM = 36000
LABEL_SIZE = 8
SMALL_SIZE = 8
"""Captions, the footer and pointers: the smallest type on paper."""
OUTLINE = "BFBFBF"
WRITING_LINE = "A6A6A6"
BLANK_BAND = "E7E6E6"


@dataclass(frozen=True)
class PrintStyle:
    """The type scale and proportions of one card size."""

    padding_mm: float
    name_sizes: tuple[int, ...]
    """Persona name in the header, largest first."""
    body_sizes: tuple[int, ...]
    """Values, largest first: a run uses the largest at which every card fits whole."""
    qr_mm: float
    run_in: bool
    """Labels run into their values ("Team Data Ingestion Team") on narrow cards, instead
    of standing in a column beside them."""
    columns: int
    chip_size: int
    writing_pitch_mm: float
    """Distance between writing lines on a blank card: room for handwriting."""


STYLES = {
    "A5": PrintStyle(7, (22, 20, 18, 16), (12, 11, 10), 28, False, 1, 11, 8),
    "A6": PrintStyle(5, (16, 15, 14, 13, 12), (10, 9), 22, False, 1, 9, 6.5),
    "slide": PrintStyle(5, (16, 15, 14, 13, 12), (10, 9), 20, False, 2, 9, 6),
    "poker": PrintStyle(3.5, (11, 10, 9), (8,), 18, True, 1, 8, 5.5),
    "bridge": PrintStyle(3.5, (11, 10, 9), (8,), 18, True, 1, 8, 5.5),
}

DROP_ORDER = ("learn", "data_access", "scope", "people", "architectures", "goal")
"""Fields left off the front first when a card is full: the handout has them all."""
BLANK_FIELDS = (
    ("goal", "Goal", 1),
    ("team", "Team", 1),
    ("interacts_with", "Primary interaction", 1),
    ("processes", "Processes", 1),
    ("architectures", "Architecture", 1),
    ("scope", "Scope", 2),
    ("people", "People", 1),
    ("services", "Component access", 2),
    ("data_access", "Data access", 1),
    ("skills", "Skills", 1),
    ("learn", "Links to learn", 1),
)
"""The template's fields on a blank card, with their writing lines, in reading order."""
BLANK_DROP_ORDER = ("goal", "architectures", "people", "data_access", "scope", "learn")


@dataclass
class Entry:
    """One field on the front of a card: a label and its values, as far as they fit."""

    key: str
    label: str
    items: tuple[str, ...]
    separator: str = ", "
    italic: bool = False
    shown: int = -1
    """How many items are shown; -1 for all."""
    max_lines: int = 0
    """At most this many lines of value (a long text ends in an ellipsis); 0 for no limit."""
    dropped: bool = False

    @property
    def visible(self) -> int:
        return len(self.items) if self.shown < 0 else self.shown

    @property
    def hidden(self) -> int:
        return len(self.items) - self.visible

    @property
    def is_cut(self) -> bool:
        return self.dropped or self.hidden > 0 or self.max_lines > 0

    def text(self) -> str:
        return self.separator.join(self.items[: self.visible])

    def more(self) -> str:
        return f"{self.separator}+ {self.hidden} more" if self.hidden else ""


@dataclass(frozen=True)
class CardFrame:
    """Where things go on a card of one size, relative to its top-left corner (EMU)."""

    style: PrintStyle
    width: int
    height: int
    padding: int
    qr: int
    label_w: int
    name_lines: int = 2
    """Lines the header keeps for the name: one when every name of the run fits on one."""

    @property
    def content_w(self) -> int:
        return self.width - 2 * self.padding

    @property
    def band(self) -> int:
        name = pt(self.name_lines * line_height(self.style.name_sizes[0]))
        return round(self.padding * 0.8) + name + pt(4) + _chip_height(self.style) + round(self.padding * 0.7)

    @property
    def body_top(self) -> int:
        return self.band + round(self.padding * 0.7)

    @property
    def footer_height(self) -> int:
        return pt(line_height(SMALL_SIZE)) + pt(2)

    def columns(self) -> int:
        return self.style.columns

    def column_w(self) -> int:
        return (self.content_w - COLUMN_GAP * (self.columns() - 1)) // self.columns()

    def value_w(self) -> int:
        if self.style.run_in:
            return self.column_w()
        return self.column_w() - self.label_w - LABEL_GAP

    @property
    def row_gap(self) -> int:
        return pt(3) if self.style.run_in else pt(4)


COLUMN_GAP = 4 * MM
LABEL_GAP = round(2.5 * MM)


def card_frame(card_size: str, width: int, height: int, fonts: Fonts) -> CardFrame:
    style = STYLES[card_size]
    padding = round(style.padding_mm * MM)
    column_w = (width - 2 * padding - COLUMN_GAP * (style.columns - 1)) // style.columns
    widest_word = max(fonts.width_pt(word, LABEL_SIZE, "body", True) for word in _label_words())
    widest = max(fonts.width_pt(label, LABEL_SIZE, "body", True) for _, label, _ in BLANK_FIELDS)
    label_w = max(pt(widest_word + 4), min(round(column_w * 0.28), pt(widest + 6)))
    return CardFrame(style, width, height, padding, round(style.qr_mm * MM), label_w)


def _label_words() -> Iterator[str]:
    for _, label, _ in BLANK_FIELDS:
        yield from label.split()


def _chip_height(style: PrintStyle) -> int:
    return pt(line_height(style.chip_size) + 4)


@dataclass
class Front:
    """A card front, laid out: its elements and what it had to leave off."""

    elements: list[Element]
    cut: list[Entry] = field(default_factory=list)
    name_whole: bool = True


def qr_target(persona: Persona) -> tuple[str, str] | None:
    """The URL a persona's QR code opens and what to call it: its page, else its first link."""
    if persona.url:
        return persona.url, "the persona's page"
    if persona.learn:
        return persona.learn[0].url, persona.learn[0].title
    return None


def front_entries(deck: Deck, persona: Persona, qr_shown: bool) -> list[Entry]:
    """The template's fields that the persona fills, in reading order."""
    architectures = tuple(
        deck.architectures[a].title if a in deck.architectures else a for a in persona.architectures
    )
    learn = [link.title for link in persona.learn]
    if qr_shown and not persona.url and learn:
        learn = learn[1:]  # the first is the QR code, named beside it
    if persona.people is None:
        people: tuple[str, ...] = ()
    elif persona.people:
        people = persona.people
    else:
        people = ("Runs unattended",) if persona.is_agent else ("Nobody yet: a staffing gap",)
    entries = [
        Entry("goal", "Goal", (persona.goal,) if persona.goal else (), italic=True),
        Entry("team", "Team", (persona.team,) if persona.team else ()),
        Entry("interacts_with", "Primary interaction", tuple(partner_labels(deck, persona))),
        Entry("processes", "Processes", persona.processes),
        Entry("architectures", "Architecture", architectures),
        Entry("scope", "Scope", (persona.scope,) if persona.scope else ()),
        Entry("people", "People", people, italic=bool(persona.people == ())),
        Entry("services", "Component access", tuple(s.name for s in persona.services)),
        Entry("data_access", "Data access", (persona.data_access,) if persona.data_access else ()),
        Entry("skills", "Skills", persona.skills, separator=" · "),
        Entry("learn", "Links to learn", tuple(learn), separator="; "),
    ]
    return [entry for entry in entries if entry.items]


class PrintCards:
    """Card fronts of one print run: one frame, one body size for every card."""

    def __init__(
        self,
        deck: Deck,
        card_size: str,
        width: int,
        height: int,
        fonts: Fonts,
        qr_on_front: bool,
        qr_on_back: bool = False,
    ):
        self.deck = deck
        self.fonts = fonts
        self.frame = card_frame(card_size, width, height, fonts)
        self.card_size = card_size
        self.qr_on_front = qr_on_front
        self.qr_on_back = qr_on_back
        self.size = self.frame.style.body_sizes[-1]

    def prepare(self, personas: list[Persona]) -> int:
        """Fix the run's header and body size: one name line if every name fits on one, and
        the largest body size at which every card shows everything. Returns the body size."""
        style = self.frame.style
        width = self.frame.content_w
        one_line = all(
            any(
                self.fonts.width_pt(p.name, size, "heading", True) <= width / EMU_PER_PT
                for size in style.name_sizes
            )
            for p in personas
        )
        self.frame = replace(self.frame, name_lines=1 if one_line else 2)
        self.size = style.body_sizes[-1]
        for size in style.body_sizes:
            if all(self._fits(self._entries(p), p, size) for p in personas):
                self.size = size
                break
        return self.size

    def qr_fits(self, persona: Persona) -> bool:
        target = qr_target(persona)
        return target is not None and qr_fits(target[0], self.frame.qr)

    def _with_qr(self, persona: Persona) -> bool:
        return self.qr_on_front and self.qr_fits(persona)

    def _entries(self, persona: Persona) -> list[Entry]:
        return front_entries(self.deck, persona, self._with_qr(persona))

    def _body_height(self, persona: Persona) -> int:
        frame = self.frame
        return frame.height - frame.padding - self._strip_height(persona) - pt(4) - frame.body_top

    # measuring

    def entry_height(self, entry: Entry, size: int) -> int:
        """Height of one field as drawn (label and value), without the gap after it."""
        frame = self.frame
        value = pt(len(self._value_lines(entry, size)) * line_height(size))
        if entry.key == "goal" or frame.style.run_in:
            return value
        label = self.fonts.wrapped(entry.label, frame.label_w, LABEL_SIZE, bold=True)
        return max(pt(len(label) * line_height(LABEL_SIZE)) + self._label_nudge(size), value)

    def _label_nudge(self, size: int) -> int:
        """How far a label beside its value sits down, to share the value's first baseline."""
        return pt((line_height(size) - line_height(LABEL_SIZE)) * 0.75)

    def _value_lines(self, entry: Entry, size: int) -> list[str]:
        """The value's lines as measured (with a run-in label, measured all bold: never short)."""
        text = entry.text() + entry.more()
        width = self.frame.column_w() if entry.key == "goal" else self.frame.value_w()
        if self.frame.style.run_in and entry.key != "goal":
            # measured as regular text in a column narrowed by what the bold label adds
            label = f"{entry.label} "
            extra = self.fonts.width_pt(label, size, "body", True) - self.fonts.width_pt(label, size)
            text = label + text
            width -= pt(extra + 0.5)
        lines = self.fonts.wrapped(text, width, size)
        if entry.max_lines and len(lines) > entry.max_lines:
            lines = lines[: entry.max_lines]
            lines[-1] = ellipsize(lines[-1] + " …", width / EMU_PER_PT, size, self.fonts.body)
        return lines

    def _columns_height(self, entries: list[Entry], size: int) -> tuple[int, int]:
        """The tallest column's height and where the fields break into the second column."""
        heights = [self.entry_height(e, size) for e in entries if not e.dropped]
        gap = self.frame.row_gap

        def stacked(part: list[int]) -> int:
            return sum(part) + gap * max(0, len(part) - 1)

        if self.frame.columns() == 1 or len(heights) < 2:
            return stacked(heights), len(heights)
        best = min(range(len(heights) + 1), key=lambda k: max(stacked(heights[:k]), stacked(heights[k:])))
        return max(stacked(heights[:best]), stacked(heights[best:])), best

    def _fits(self, entries: list[Entry], persona: Persona, size: int) -> bool:
        return self._columns_height(entries, size)[0] <= self._body_height(persona)

    # fitting

    def fit(self, entries: list[Entry], persona: Persona) -> list[Entry]:
        """Leave off what does not fit at the run's size; returns the fields that were cut."""
        while not self._fits(entries, persona, self.size):
            if not self._cut_once(entries):
                break
        self._give_back(entries, persona)
        return [e for e in entries if e.is_cut]

    def _give_back(self, entries: list[Entry], persona: Persona) -> None:
        """Return what later cuts made room for: a field dropped early may fit again once a
        long list below it was shortened."""
        changed = True
        while changed:
            changed = False
            for entry in entries:
                for undo, redo in _loosenings(entry):
                    undo()
                    if self._fits(entries, persona, self.size):
                        changed = True
                    else:
                        redo()

    def _cut_once(self, entries: list[Entry]) -> bool:
        """One step, least loss first: long lists to three items, long texts to two lines,
        whole fields in :data:`DROP_ORDER`, lists to one item, then the last field."""
        live = [e for e in entries if not e.dropped]
        for floor in (3, None):
            if floor is None:
                if self._drop_next(live):
                    return True
                floor = 1
            lists = [e for e in live if e.visible > floor]
            if lists:
                longest = max(lists, key=lambda e: (e.visible, -entries.index(e)))
                longest.shown = longest.visible - 1
                return True
            if floor == 3:
                long_texts = [e for e in live if len(e.items) == 1 and not e.max_lines and self._lines(e) > 2]
                if long_texts:
                    max(long_texts, key=self._lines).max_lines = 2
                    return True
        if live:
            live[-1].dropped = True
            return True
        return False

    def _drop_next(self, live: list[Entry]) -> bool:
        for key in DROP_ORDER:
            for entry in live:
                if entry.key == key:
                    entry.dropped = True
                    return True
        return False

    def _lines(self, entry: Entry) -> int:
        return len(self._value_lines(entry, self.size))

    # drawing

    def front(self, persona: Persona, card: Box, report: Report) -> Front:
        deck, frame, theme = self.deck, self.frame, self.deck.theme
        elements: list[Element] = [_panel(f"persona:{persona.id}:card", card, theme.card, theme.background)]
        band_colour = persona.colour.hex
        band_text = text_on(band_colour, theme.text, "FFFFFF")
        band = Box(card.x, card.y, card.w, frame.band)
        elements.append(Shape(f"persona:{persona.id}:band", band, fill=band_colour))  # decorative
        header, whole = self._header(persona, band, band_text)
        elements += header
        entries = self._entries(persona)
        cut = self.fit(entries, persona)
        area = Box(card.x + frame.padding, card.y + frame.body_top, frame.content_w, 0)
        elements += self._fields(persona, entries, area)
        elements += self._strip(persona, card, bool(cut) or not whole)
        if cut or not whole:
            _report_cut(report, deck, persona, self.card_size, cut, whole)
        target = qr_target(persona)
        if (self.qr_on_front or self.qr_on_back) and target is not None and not self.qr_fits(persona):
            link = target[0] if len(target[0]) <= 60 else target[0][:59] + "…"
            _warn(
                report,
                deck,
                persona,
                f"{persona.id}: the link {link} is too long for a QR code that scans on a "
                f"{self.card_size} card, so the card has none; give the persona a shorter `url`",
                code="CF203",
            )
        return Front(elements, cut, whole)

    def _header(self, persona: Persona, band: Box, colour: str) -> tuple[list[Element], bool]:
        frame, style, fonts = self.frame, self.frame.style, self.fonts
        chip_h = _chip_height(style)
        chip_y = band.bottom - round(frame.padding * 0.7) - chip_h
        top = band.y + round(frame.padding * 0.8)
        name_box = Box(band.x + frame.padding, top, frame.content_w, chip_y - pt(4) - top)
        sizes = range(style.name_sizes[0], style.name_sizes[-1] - 1, -1)
        name, whole = fitted_title(fonts, persona.name, name_box, colour, sizes, frame.name_lines)
        elements: list[Element] = [
            Shape(
                f"persona:{persona.id}:name",
                name_box,
                text=TextFrame((name,), anchor="b"),
                is_textbox=True,
                description="" if whole else persona.name,  # a name cut short is whole in its alt text
            )
        ]
        size = style.chip_size
        chip_w = min(pt(fonts.width_pt(persona.id, size, "body", True) + 10), frame.content_w // 2)
        chip = Box(band.x + frame.padding, chip_y, chip_w, chip_h)
        chip_text = ellipsize(persona.id, chip.w / EMU_PER_PT - 6, size, fonts.body, True)
        chip_name = f"persona:{persona.id}:chip"
        elements.append(
            id_chip(
                persona,
                chip,
                size,
                chip_name,
                text=chip_text,
                description=f"Persona ID {persona.id}",
                fill=colour,
            )
        )
        agent_w = pt(fonts.width_pt("AGENT", size, "body", True) + 12) if persona.is_agent else 0
        colour_box = Box(chip.right + pt(6), chip_y, band.right - frame.padding - chip.right - pt(6), chip_h)
        marker: list[Element] = []  # at the right: read after the colour's name
        if agent_w:
            colour_box = replace(colour_box, w=colour_box.w - agent_w - pt(6))
            agent = Box(band.right - frame.padding - agent_w, chip_y, agent_w, chip_h)
            marker.append(
                Shape(
                    f"persona:{persona.id}:agent",
                    agent,
                    geometry="roundRect",
                    line=colour,
                    line_width=pt(1),
                    adjust=50000,
                    text=TextFrame(
                        (Paragraph((Run("AGENT"),), size, colour=colour, bold=True, align="ctr"),),
                        anchor="ctr",
                    ),
                    description="Unattended agent persona",
                )
            )
        colour_name = ellipsize(persona.colour.name, colour_box.w / EMU_PER_PT, size, fonts.body)
        elements.append(
            Shape(
                f"persona:{persona.id}:colour",
                colour_box,
                text=TextFrame((Paragraph((Run(colour_name),), size, colour=colour),), anchor="ctr"),
                is_textbox=True,
            )
        )
        return elements + marker, whole

    def _fields(self, persona: Persona, entries: list[Entry], area: Box) -> list[Element]:
        frame = self.frame
        live = [e for e in entries if not e.dropped]
        _, split = self._columns_height(entries, self.size)
        columns = [live[:split], live[split:]] if frame.columns() > 1 else [live]
        elements: list[Element] = []
        for index, column in enumerate(columns):
            x = area.x + index * (frame.column_w() + COLUMN_GAP)
            y = area.y
            for entry in column:
                height = self.entry_height(entry, self.size)
                elements += self._entry_shapes(persona, entry, Box(x, y, frame.column_w(), height))
                y += height + frame.row_gap
        return elements

    def _entry_shapes(self, persona: Persona, entry: Entry, box: Box) -> list[Element]:
        frame, theme = self.frame, self.deck.theme
        name = f"persona:{persona.id}:{entry.key}"
        run_in = frame.style.run_in and entry.key != "goal"
        text = entry.text()
        if entry.max_lines:  # the measured lines, the last ending in an ellipsis
            text = " ".join(self._value_lines(entry, self.size))
            if run_in:
                text = text[len(entry.label) + 1 :]
        runs = [Run(text, italic=entry.italic)]
        if entry.hidden:
            runs.append(Run(entry.more(), italic=True))
        if run_in:
            runs.insert(0, Run(f"{entry.label} ", bold=True, colour=theme.muted))
        value = Paragraph(tuple(runs), self.size, colour=theme.text)
        box = replace(box, h=box.h + pt(1))  # a point to spare, within the gap to the next field
        if entry.key == "goal" or run_in:
            return [_text(name, box, [value])]
        label = Paragraph((Run(entry.label),), LABEL_SIZE, colour=theme.muted, bold=True)
        nudge = self._label_nudge(self.size)
        return [
            _text(f"{name}:label", Box(box.x, box.y + nudge, frame.label_w, box.h - nudge), [label]),
            _text(name, Box(box.x + frame.label_w + LABEL_GAP, box.y, frame.value_w(), box.h), [value]),
        ]

    def _strip(self, persona: Persona, card: Box, cut: bool) -> list[Element]:
        """The bottom of the card: the pointer and the footer, the QR code and its caption."""
        frame, theme, fonts = self.frame, self.deck.theme, self.fonts
        with_qr = self._with_qr(persona)
        height = self._strip_height(persona)
        bottom = card.bottom - frame.padding
        left = card.x + frame.padding
        text_w = frame.content_w - (frame.qr + pt(6) if with_qr else 0)
        elements: list[Element] = []
        footer: list[Paragraph] = []
        if cut:
            footer.append(_small("More in the handout", theme.muted, italic=True))
        if self.qr_on_back and self.qr_fits(persona):
            footer.append(_small("QR code on the back", theme.muted, italic=True))
        if self.deck.footer_text:
            text = ellipsize(self.deck.footer_text, text_w / EMU_PER_PT, SMALL_SIZE, fonts.body)
            footer.append(_small(text, theme.muted))
        footer_h = pt(fonts.height_pt(footer, text_w)) + pt(1) if footer else 0
        code: list[Element] = []
        target = qr_target(persona)
        if with_qr and target is not None:
            caption = Box(left, bottom - height, text_w, height - footer_h - pt(1))
            code = self._qr(
                persona, target, caption, Box(left + text_w + pt(6), bottom - frame.qr, frame.qr, frame.qr)
            )
        # Reading order: the caption above the footer, then the code to their right.
        elements += [e for e in code if e.name.endswith(":qr caption")]
        if footer:
            box = Box(left, bottom - footer_h, text_w, footer_h)
            elements.append(_text(f"persona:{persona.id}:footer", box, footer, "b"))
        elements += [e for e in code if not e.name.endswith(":qr caption")]
        return elements

    def _strip_height(self, persona: Persona) -> int:
        """The QR code's height, or room for the footer's lines (pointer, QR on the back, footer)."""
        if self._with_qr(persona):
            return self.frame.qr
        return (3 if self.qr_on_back else 2) * pt(line_height(SMALL_SIZE)) + pt(2)

    def _qr(self, persona: Persona, target: tuple[str, str], caption_area: Box, box: Box) -> list[Element]:
        """The code in the card's lower right corner, named to its left in the lines there are."""
        theme, fonts = self.deck.theme, self.fonts
        url, about = target
        lines = int(caption_area.h / EMU_PER_PT // line_height(SMALL_SIZE)) - 1
        shapes: list[Element] = list(
            qr_shapes(f"persona:{persona.id}:qr", url, box, f"QR code: {about} ({url})")
        )
        if lines < 1:
            return shapes
        title = fonts.wrapped(about, caption_area.w, SMALL_SIZE)
        if len(title) > lines:
            title = title[:lines]
            title[-1] = ellipsize(title[-1] + " …", caption_area.w / EMU_PER_PT, SMALL_SIZE, fonts.body)
        caption = [
            _small("Scan for", theme.muted, bold=True),
            _small(" ".join(title), theme.text),
        ]
        caption_box = replace(caption_area, h=pt(fonts.height_pt(caption, caption_area.w)) + pt(1))
        return [*shapes, _text(f"persona:{persona.id}:qr caption", caption_box, caption)]

    # blank cards

    def blank(self, number: int, card: Box) -> list[Element]:
        """An empty template card: the fields with writing lines, for a group to fill in."""
        frame, theme = self.frame, self.deck.theme
        name = f"blank:{number}"
        elements: list[Element] = [_panel(f"{name}:card", card, theme.card, theme.background)]
        band = Box(card.x, card.y, card.w, frame.band)
        elements.append(Shape(f"{name}:band", band, fill=BLANK_BAND, description="Blank persona card"))
        elements += self._blank_header(name, band)
        top = card.y + frame.body_top
        bottom = card.bottom - frame.padding - frame.footer_height - pt(8)
        fields, pitch = self._blank_fields(bottom - top)
        columns = _balanced_columns(fields, frame.columns())
        for index, column in enumerate(columns):
            x = card.x + frame.padding + index * (frame.column_w() + COLUMN_GAP)
            y = top
            for key, label, lines in column:
                drawn, y = self._blank_field(
                    f"{name}:{key}", label, lines, pitch, Box(x, y, frame.column_w(), 0)
                )
                elements += drawn
        if self.deck.footer_text:
            text = ellipsize(self.deck.footer_text, frame.content_w / EMU_PER_PT, SMALL_SIZE, self.fonts.body)
            footer = [Paragraph((Run(text),), SMALL_SIZE, colour=theme.muted)]
            height = frame.footer_height
            box = Box(card.x + frame.padding, card.bottom - frame.padding - height, frame.content_w, height)
            elements.append(_text(f"{name}:footer", box, footer, "b"))
        return elements

    def _blank_header(self, name: str, band: Box) -> list[Element]:
        """Writing lines for the name, and for the ID and colour where a card has its chip."""
        frame, style = self.frame, self.frame.style
        chip_h = _chip_height(style)
        chip_bottom = band.bottom - round(frame.padding * 0.7)
        left = band.x + frame.padding
        half = (frame.content_w - pt(8)) // 2
        rows = [
            ("name", "Persona name", left, chip_bottom - chip_h - pt(4), frame.content_w),
            ("id", "ID", left, chip_bottom, half),
            ("colour", "Colour", left + half + pt(8), chip_bottom, half),
        ]
        elements: list[Element] = []
        for key, label, x, y, width in rows:
            elements += self._labelled_line(f"{name}:{key}", label, x, y, width)
        return elements

    def _labelled_line(self, name: str, label: str, x: int, y: int, width: int) -> list[Element]:
        """A label standing on a writing line that runs on after it."""
        label_h = pt(line_height(LABEL_SIZE))
        label_w = pt(self.fonts.width_pt(label, LABEL_SIZE, "body", True) + 4)
        paragraph = Paragraph((Run(label),), LABEL_SIZE, colour=self.deck.theme.muted, bold=True)
        return [
            _text(f"{name} label", Box(x, y + pt(0.5) - label_h, label_w, label_h), [paragraph]),
            _writing_line(f"{name} line", x + label_w, y, width - label_w),
        ]

    def _blank_fields(self, height: int) -> tuple[list[tuple[str, str, int]], int]:
        """The fields that get writing lines at a comfortable pitch, and that pitch."""
        style = self.frame.style
        fields = list(BLANK_FIELDS)
        smallest = round(style.writing_pitch_mm * MM)
        while True:
            columns = _balanced_columns(fields, self.frame.columns())
            pitch = min(self._blank_pitch(column, height) for column in columns if column)
            if pitch >= smallest or len(fields) == 1:
                return fields, min(pitch, round(smallest * 1.4))
            dropped = next(
                (key for key in BLANK_DROP_ORDER if any(f[0] == key for f in fields)), fields[-1][0]
            )
            fields = [f for f in fields if f[0] != dropped]

    def _blank_pitch(self, column: list[tuple[str, str, int]], height: int) -> int:
        lines = sum(count for _, _, count in column)
        return (height - self.frame.row_gap * (len(column) - 1)) // lines

    def _blank_field(
        self, name: str, label: str, lines: int, pitch: int, box: Box
    ) -> tuple[list[Element], int]:
        """One field's label and writing lines from *box*'s top, and the next field's top."""
        frame, theme = self.frame, self.deck.theme
        label_h = pt(line_height(LABEL_SIZE))
        paragraph = Paragraph((Run(label),), LABEL_SIZE, colour=theme.muted, bold=True)
        elements: list[Element] = []
        first = box.y
        if frame.style.run_in:  # the label starts the first line, which runs on after it
            label_w = pt(self.fonts.width_pt(label, LABEL_SIZE, "body", True) + 4)
            label_box = Box(box.x, box.y + pitch + pt(0.5) - label_h, label_w, label_h)
            elements.append(_text(f"{name}:label", label_box, [paragraph]))
            for line in range(lines):
                x = box.x + label_w if line == 0 else box.x
                y = first + (line + 1) * pitch
                elements.append(_writing_line(f"{name}:line {line + 1}", x, y, box.right - x))
            return elements, first + lines * pitch + frame.row_gap
        else:
            label_lines = len(self.fonts.wrapped(label, frame.label_w, LABEL_SIZE, bold=True))
            label_top = box.y + pitch + pt(0.5) - label_lines * label_h  # the baseline on the line
            elements.append(
                _text(
                    f"{name}:label",
                    Box(box.x, max(box.y, label_top), frame.label_w, label_lines * label_h),
                    [paragraph],
                )
            )
            x, width = box.x + frame.label_w + LABEL_GAP, frame.value_w()
        for line in range(lines):
            elements.append(_writing_line(f"{name}:line {line + 1}", x, first + (line + 1) * pitch, width))
        return elements, first + lines * pitch + frame.row_gap


def _loosenings(entry: Entry) -> list[tuple[Callable[[], None], Callable[[], None]]]:
    """The one-step undos of *entry*'s cut (with how to redo each), if it was cut."""
    if entry.dropped:
        return [(lambda: setattr(entry, "dropped", False), lambda: setattr(entry, "dropped", True))]
    if entry.hidden:
        shown = entry.shown
        return [(lambda: setattr(entry, "shown", shown + 1), lambda: setattr(entry, "shown", shown))]
    if entry.max_lines:
        lines = entry.max_lines
        return [(lambda: setattr(entry, "max_lines", 0), lambda: setattr(entry, "max_lines", lines))]
    return []


def _balanced_columns(fields: list[tuple[str, str, int]], count: int) -> list[list[tuple[str, str, int]]]:
    """*fields* in reading order over *count* columns, the break where the line counts are most even."""
    if count == 1:
        return [fields]
    total = sum(lines for _, _, lines in fields)
    running, best, best_gap = 0, 0, total
    for index, (_, _, lines) in enumerate(fields):
        running += lines
        gap = abs(total - 2 * running)
        if gap < best_gap:
            best, best_gap = index + 1, gap
    return [fields[:best], fields[best:]]


def _writing_line(name: str, x: int, y: int, width: int) -> Shape:
    weight = pt(0.6)
    return Shape(name, Box(x, y - weight, width, weight), fill=WRITING_LINE)  # decorative: for the pen


def _small(text: str, colour: str, bold: bool = False, italic: bool = False) -> Paragraph:
    return Paragraph((Run(text, italic=italic),), SMALL_SIZE, colour=colour, bold=bold)


def _panel(name: str, box: Box, fill: str, background: str) -> Shape:
    """The card itself; a white card on white paper gets a hairline edge to cut along."""
    line = OUTLINE if fill.upper() == background.upper() else None
    return Shape(name, box, fill=fill, line=line, line_width=pt(0.5))  # decorative: what is on it speaks


def _text(name: str, box: Box, paragraphs: list[Paragraph], anchor: str = "t") -> Shape:
    return Shape(name, box, text=TextFrame(tuple(paragraphs), anchor=anchor), is_textbox=True)  # type: ignore[arg-type]


def _report_cut(
    report: Report, deck: Deck, persona: Persona, card_size: str, cut: list[Entry], name_whole: bool
) -> None:
    dropped = [e.label for e in cut if e.dropped]
    shortened = ([] if name_whole else ["the name"]) + [e.label for e in cut if not e.dropped]
    parts = []
    if dropped:
        parts.append("leaves off " + ", ".join(dropped))
    if shortened:
        parts.append("shortens " + ", ".join(shortened))
    _warn(
        report,
        deck,
        persona,
        f"{persona.id} {persona.name}: the {card_size} card {' and '.join(parts)}, and says "
        '"More in the handout"; print the handout with the cards (`cardforge handout`), '
        "or choose a larger --card-size",
        code="CF202",
    )


def _warn(report: Report, deck: Deck, persona: Persona, message: str, code: str) -> None:
    position = deck.document.position(persona.path) if deck.document else None
    if position is not None:
        report.warning(deck.file, position, message, code)
