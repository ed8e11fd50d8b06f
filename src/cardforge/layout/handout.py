"""Handouts: a portrait page per persona with everything the card could not hold.

A card is the face of a persona on the workshop table; the handout is what participants
take away. Each page has the persona's header (name, ID chip, colour name), its goal, the
card's fields, its responsibilities, its user stories from every use case, the roles it
holds in each environment, and its links: each as a QR code beside its title and the URL
written out, because a printed link cannot be clicked. The content flows in two balanced
columns; a persona with more than a page of it continues on a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck, Grant, Persona, Story, UseCase
from ..model.lint import rank
from ..text.fit import ellipsize, line_height
from ..theme.contrast import text_on
from .chrome import fitted_title, id_chip
from .deck import brand_of
from .flow import Page, Unit, balanced
from .fonts import Fonts
from .labels import partner_labels
from .print_card import MM, SMALL_SIZE
from .print_sheet import PAPER_MM
from .qr import qr_fits, qr_shapes
from .shapes import (
    EMU_PER_PT,
    Box,
    Cell,
    Element,
    Paragraph,
    Presentation,
    Run,
    Shape,
    Slide,
    Table,
    TextFrame,
    pt,
)
from .use_cases import story_runs

MARGIN_MM = 15
BODY_SIZES = (10, 9)
LABEL_SIZE = 8
HEADING_SIZE = 11
TABLE_SIZE = 9
URL_SIZE = 9
NAME_SIZES = range(24, 15, -1)
COLUMN_GAP = 8 * MM
BAND_MM = 26
QR_MM = 22
LABEL_W = 24 * MM
MAX_GOAL_LINES = 3
MAX_UNIT_LINES = 20
"""Longer texts flow on in pieces: a unit of the flow is never taller than half a column."""
MAX_TABLE_ENVIRONMENTS = 5
MAX_CELL_CHARACTERS = 80
ROLE_FILLS = {3: "F4CCCC", 2: "FCE5CD", 1: "D9EAD3", 0: "EFEFEF"}
"""Light tints of the RBAC slides' rank colours: the role's text carries the meaning, the
tint helps the eye, and a printer spends little ink on it."""
CELL_INSET = (pt(4), pt(2), pt(4), pt(2))


@dataclass(frozen=True)
class Text:
    """Paragraphs set in the column's width."""

    name: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Row:
    """A form row: a label beside its value."""

    name: str
    label: str
    value: Paragraph


@dataclass(frozen=True)
class TableRow:
    """A row of the roles table; rows that land together in a column become one table."""

    cells: tuple[Cell, ...]
    environment_count: int


@dataclass(frozen=True)
class LinkTile:
    name: str
    title: str
    url: str


def handout_presentation(
    deck: Deck, personas: list[Persona], paper: str, fonts: Fonts, report: Report
) -> Presentation:
    width, height = (round(v * MM) for v in PAPER_MM[paper])
    presentation = Presentation(
        width,
        height,
        title=f"{deck.title}: handout",
        author=deck.organisation or "",
        language=deck.language,
        brand=brand_of(deck.theme),
    )
    index = DeckIndex.of(deck)
    pages: list[Slide] = []
    for persona in personas:
        pages += HandoutPage(deck, persona, width, height, fonts, index).slides()
    for number, slide in enumerate(pages, start=1):
        _footer(deck, slide, width, height, fonts, number, len(pages))
    presentation.slides.extend(pages)
    return presentation


@dataclass(frozen=True)
class DeckIndex:
    """Each persona's grants and stories, gathered once: looking them up page by page would
    cost personas times grants."""

    grants: dict[str, list[Grant]]
    stories: dict[str, list[tuple[UseCase, Story]]]

    @classmethod
    def of(cls, deck: Deck) -> DeckIndex:
        grants: dict[str, list[Grant]] = {}
        for grant in deck.rbac.grants if deck.rbac else ():
            grants.setdefault(grant.persona.casefold(), []).append(grant)
        stories: dict[str, list[tuple[UseCase, Story]]] = {}
        for use_case in deck.use_cases:
            for story in use_case.stories:
                stories.setdefault(story.persona.casefold(), []).append((use_case, story))
        return cls(grants, stories)


class HandoutPage:
    """The page (or pages) of one persona."""

    def __init__(
        self,
        deck: Deck,
        persona: Persona,
        width: int,
        height: int,
        fonts: Fonts,
        index: DeckIndex | None = None,
    ):
        self.deck, self.persona, self.fonts = deck, persona, fonts
        self.index = index or DeckIndex.of(deck)
        self.width, self.height = width, height
        self.margin = MARGIN_MM * MM
        self.column_w = (width - 2 * self.margin - COLUMN_GAP) // 2
        self.size = BODY_SIZES[0]
        self.shortened: dict[str, str] = {}
        """Table cells too long to show whole, by where they are: the page's notes hold them."""

    def slides(self) -> list[Slide]:
        persona = self.persona
        band = Box(self.margin, self.margin, self.width - 2 * self.margin, BAND_MM * MM)
        goal = self._goal(band)
        top = (goal.box.bottom if goal else band.bottom) + 5 * MM
        bottom = self.height - self.margin - pt(line_height(SMALL_SIZE)) - 4 * MM
        best: tuple[int, list[Page]] | None = None
        for size in BODY_SIZES:  # the larger size unless the smaller saves a page
            self.size = size
            result = balanced(self._units(), 2, bottom - top)
            if result is not None and (best is None or len(result[0]) < len(best[1])):
                best = (size, result[0])
        assert best is not None, "every unit is shorter than a page"
        self.size, pages = best
        slides = []
        for number, page in enumerate(pages):
            slide = Slide(persona.title if number == 0 else f"{persona.title}, continued")
            slide.elements += self._header(band, _continued(number, len(pages)))
            if number == 0 and goal:
                slide.add(goal)
            for index, column in enumerate(page):
                x = self.margin + index * (self.column_w + COLUMN_GAP)
                slide.elements += self._draw_column(column, x, top)
            notes = [persona.notes or ""] + [f"{where}: {text}" for where, text in self.shortened.items()]
            slide.notes = "\n\n".join(n for n in notes if n)
            slides.append(slide)
        return slides

    # the header

    def _header(self, band: Box, continued: str) -> list[Element]:
        """The persona's colour band: its name (the page's title), ID chip and facts. The name is
        the title placeholder: with the ID where another persona has the same name, and
        *continued* (" (continued)", " (continued, 3 of 4)") on the pages after the first, so
        that every page's title is its own."""
        persona, theme, fonts = self.persona, self.deck.theme, self.fonts
        fill = persona.colour.hex
        colour = text_on(fill, theme.text, "FFFFFF")
        elements: list[Element] = [Shape(f"persona:{persona.id}:band", band, fill=fill)]  # decorative
        pad = 5 * MM
        chip_h = pt(line_height(11) + 5)
        chip_y = band.bottom - pad - chip_h
        name_box = Box(
            band.x + pad, band.y + pad - pt(2), band.w - 2 * pad, chip_y - pt(4) - band.y - pad + pt(2)
        )
        shared = sum(1 for p in self.deck.personas if p.name.casefold() == persona.name.casefold()) > 1
        text = persona.name + (f" ({persona.id})" if shared else "") + continued
        name, whole = fitted_title(fonts, text, name_box, colour, NAME_SIZES, 2)
        elements.append(
            Shape(
                f"persona:{persona.id}:name",
                name_box,
                text=TextFrame((name,), anchor="b"),
                is_title=True,
                description="" if whole else text,  # a name cut short is whole in its alt text
            )
        )
        chip_w = pt(fonts.width_pt(persona.id, 11, "body", True) + 14)
        chip = Box(band.x + pad, chip_y, chip_w, chip_h)
        elements.append(
            id_chip(
                persona,
                chip,
                11,
                f"persona:{persona.id}:chip",
                description=f"Persona ID {persona.id}",
                fill=colour,
            )
        )
        facts = [persona.colour.name]
        if persona.is_agent:
            facts.append("Agent: runs unattended")
        if persona.team:
            facts.append(persona.team)
        info_box = Box(chip.right + pt(8), chip_y, band.right - pad - chip.right - pt(8), chip_h)
        info = ellipsize("  ·  ".join(facts), info_box.w / EMU_PER_PT, 11, fonts.body)
        elements.append(
            Shape(
                f"persona:{persona.id}:facts",
                info_box,
                text=TextFrame((Paragraph((Run(info),), 11, colour=colour),), anchor="ctr"),
                is_textbox=True,
            )
        )
        return elements

    def _goal(self, band: Box) -> Shape | None:
        """The goal under the header, when it is the sentence it should be (else it flows)."""
        if not self._goal_on_top(band.w):
            return None
        paragraph = Paragraph((Run(self.persona.goal or "", italic=True),), 12, colour=self.deck.theme.text)
        height = pt(self.fonts.height_pt([paragraph], band.w)) + pt(2)
        return _text(
            f"persona:{self.persona.id}:goal", Box(band.x, band.bottom + 4 * MM, band.w, height), [paragraph]
        )

    def _goal_on_top(self, width: int) -> bool:
        goal = self.persona.goal
        return bool(goal) and len(self.fonts.wrapped(goal or "", width, 12)) <= MAX_GOAL_LINES

    # the content, as units to flow

    def _units(self) -> list[Unit]:
        units = self._field_units()
        for block in (self._responsibilities(), self._stories(), self._access(), self._links()):
            if block:
                units += [Unit(pt(10), None, gap=True), *block]
        return units

    def _field_units(self) -> list[Unit]:
        deck, persona = self.deck, self.persona
        team = persona.team
        if team and team in deck.teams:
            details = [d for d in (deck.teams[team].department, deck.teams[team].group) if d]
            if details:
                team = f"{team} ({', '.join(details)})"
        architectures = [
            deck.architectures[a].title if a in deck.architectures else a for a in persona.architectures
        ]
        people = persona.people
        if people is not None and not people:
            people = ("Runs unattended",) if persona.is_agent else ("Nobody yet: a staffing gap",)
        long_goal = (
            [persona.goal] if persona.goal and not self._goal_on_top(self.width - 2 * self.margin) else []
        )
        fields = [
            ("goal", "Goal", long_goal),
            ("team", "Team", [team] if team else []),
            ("example_roles", "Example roles", list(persona.example_roles)),
            ("interacts_with", "Primary interaction", partner_labels(deck, persona)),
            ("processes", "Processes", list(persona.processes)),
            ("architectures", "Architecture", architectures),
            ("scope", "Scope", [persona.scope] if persona.scope else []),
            ("people", "People", list(people or ())),
            ("services", "Component access", [s.name for s in persona.services]),
            ("data_access", "Data access", [persona.data_access] if persona.data_access else []),
            ("skills", "Skills", list(persona.skills)),
        ]
        units = []
        for key, label, values in fields:
            if not values:
                continue
            separator = " · " if key == "skills" else ", "
            value_w = self.column_w - LABEL_W - 3 * MM
            for index, text in enumerate(self._chunks(separator.join(values), value_w)):
                value = Paragraph((Run(text),), self.size, colour=self.deck.theme.text)
                row = Row(
                    f"persona:{persona.id}:{key}" + (f":{index + 1}" if index else ""),
                    label if not index else "",
                    value,
                )
                units.append(Unit(self._row_height(row) + pt(4), row))
        return units

    def _chunks(self, text: str, width: int, bullet: bool = False) -> list[str]:
        """*text* as one piece, or, when it would run past half a column, as pieces of at most
        :data:`MAX_UNIT_LINES` lines broken where they were measured, so that it can flow on."""
        lines = self.fonts.wrapped(text, width, self.size, bullet=bullet)
        if len(lines) <= MAX_UNIT_LINES:
            return [text]
        return [
            "\n".join(lines[start : start + MAX_UNIT_LINES]) for start in range(0, len(lines), MAX_UNIT_LINES)
        ]

    def _heading(self, key: str, text: str) -> Unit:
        paragraph = Paragraph(
            (Run(text),), HEADING_SIZE, colour=self.deck.theme.text, bold=True, font="heading"
        )
        return Unit(
            pt(line_height(HEADING_SIZE)) + pt(4),
            Text(f"persona:{self.persona.id}:{key}", (paragraph,)),
            True,
        )

    def _continued(self, heading: Unit) -> Unit:
        assert isinstance(heading.item, Text)
        paragraph = heading.item.paragraphs[0]
        runs = (Run(paragraph.text + " (continued)"),)
        return Unit(
            heading.height,
            Text(
                heading.item.name + ":continued",
                (Paragraph(runs, paragraph.size, paragraph.colour, True, "heading"),),
            ),
            True,
        )

    def _listed(self, key: str, title: str, paragraphs: list[Paragraph]) -> list[Unit]:
        heading = self._heading(key, title)
        again = self._continued(heading)
        units = [heading]
        for index, paragraph in enumerate(paragraphs):
            pieces = self._chunks(paragraph.text, self.column_w, paragraph.bullet)
            if len(pieces) > 1:  # a text that runs on: plain, in pieces
                paragraphs_of = [
                    Paragraph(
                        (Run(piece),), paragraph.size, paragraph.colour, bullet=paragraph.bullet and not k
                    )
                    for k, piece in enumerate(pieces)
                ]
            else:
                paragraphs_of = [paragraph]
            for k, piece in enumerate(paragraphs_of):
                name = f"persona:{self.persona.id}:{key}:{index + 1}" + (f":{k + 1}" if k else "")
                item = Text(name, (piece,))
                units.append(Unit(self._text_height(item) + pt(3), item, repeat=again))
        return units

    def _responsibilities(self) -> list[Unit]:
        paragraphs = [
            Paragraph((Run(text),), self.size, colour=self.deck.theme.text, bullet=True)
            for text in self.persona.responsibilities
        ]
        return self._listed("responsibilities", "Responsibilities", paragraphs) if paragraphs else []

    def _stories(self) -> list[Unit]:
        theme = self.deck.theme
        paragraphs = []
        for use_case, story in self.index.stories.get(self.persona.id.casefold(), []):
            source = Run(f"{use_case.id} {use_case.name}: ", bold=True, colour=theme.muted)
            runs = (source, *story_runs(story, self.persona))
            paragraphs.append(Paragraph(runs, self.size, colour=theme.text))
        return self._listed("stories", "User stories", paragraphs) if paragraphs else []

    def _access(self) -> list[Unit]:
        rbac = self.deck.rbac
        if rbac is None:
            return []
        grants = self.index.grants.get(self.persona.id.casefold(), [])
        if not grants:
            return []
        environments = list(rbac.environments)
        theme = self.deck.theme
        if len(environments) > MAX_TABLE_ENVIRONMENTS:  # too narrow as columns: a line per service
            paragraphs = [
                Paragraph(
                    (
                        Run(f"{grant.service}: ", bold=True),
                        Run(
                            "; ".join(
                                f"{env} {grant.roles[env]}" for env in environments if env in grant.roles
                            )
                            or "–"
                        ),
                    ),
                    self.size,
                    colour=theme.text,
                )
                for grant in grants
            ]
            return self._listed("access", "Roles by environment", paragraphs)
        widths = self._table_widths(len(environments))
        header_fill = theme.text
        header = tuple(
            _cell(text, header_fill, text_on(header_fill), bold=True) for text in ("Service", *environments)
        )
        header_unit = Unit(self._cells_height(header, widths), TableRow(header, len(environments)))
        heading = self._heading("access", "Roles by environment")
        units = [heading, header_unit]
        header_again = Unit(header_unit.height, header_unit.item, keep_with_next=True)
        for grant in grants:
            self._keep_whole(grant.service, grant.service)
            cells = [_cell(grant.service, theme.background, theme.text)]
            for env in environments:
                role = grant.roles.get(env)
                self._keep_whole(f"{grant.service} in {env}", role)
                cells.append(
                    _cell(role, ROLE_FILLS[rank(role)], theme.text)
                    if role
                    else _cell("–", theme.background, theme.muted)
                )
            row = tuple(cells)
            units.append(
                Unit(self._cells_height(row, widths), TableRow(row, len(environments)), repeat=header_again)
            )
        return units

    def _keep_whole(self, where: str, text: str | None) -> None:
        if text and len(text) > MAX_CELL_CHARACTERS:
            self.shortened[where] = text

    def _links(self) -> list[Unit]:
        persona = self.persona
        links = [(link.title, link.url) for link in persona.learn]
        if persona.url:
            links.insert(0, ("The persona's page", persona.url))
        if not links:
            return []
        heading = self._heading("learn", "Links to learn")
        again = self._continued(heading)
        units = [heading]
        for index, (title, url) in enumerate(links, start=1):
            tile = LinkTile(f"persona:{persona.id}:link {index}", title, url)
            units.append(Unit(self._tile_height(tile) + pt(6), tile, repeat=again))
        return units

    # measuring

    def _text_height(self, item: Text) -> int:
        return pt(self.fonts.height_pt(item.paragraphs, self.column_w)) + pt(1)

    def _row_height(self, row: Row) -> int:
        label = len(self.fonts.wrapped(row.label, LABEL_W, LABEL_SIZE, bold=True)) * line_height(LABEL_SIZE)
        value = self.fonts.height_pt([row.value], self.column_w - LABEL_W - 3 * MM)
        return pt(max(label, value)) + pt(1)

    def _table_widths(self, environments: int) -> list[int]:
        width = self.column_w - pt(1)  # LibreOffice draws table rules a fraction wider
        service = round(width * (0.34 if environments <= 3 else 0.28))
        rest = width - service
        each = rest // environments
        return [service] + [each] * (environments - 1) + [rest - each * (environments - 1)]

    def _cells_height(self, cells: tuple[Cell, ...], widths: list[int]) -> int:
        inner = max(
            self.fonts.height_pt(cell.text.paragraphs, width - CELL_INSET[0] - CELL_INSET[2])
            for cell, width in zip(cells, widths)
        )
        return pt(inner) + CELL_INSET[1] + CELL_INSET[3] + pt(2)

    def _tile_text(self, tile: LinkTile, width: int) -> list[Paragraph]:
        """The link's title, then its URL broken into lines here (after a ``/`` where it can
        be), so that no renderer has to guess where a word with no spaces may break."""
        theme = self.deck.theme
        url = "\n".join(self.fonts.wrapped(tile.url, width, URL_SIZE))
        return [
            Paragraph((Run(tile.title),), self.size, colour=theme.text, bold=True),
            Paragraph((Run(url),), URL_SIZE, colour=theme.muted, space_before=2),
        ]

    def _tile_text_w(self, tile: LinkTile) -> int:
        return self.column_w - (QR_MM * MM + 3 * MM if self._tile_qr(tile) else 0)

    def _tile_qr(self, tile: LinkTile) -> bool:
        return qr_fits(tile.url, QR_MM * MM)

    def _tile_height(self, tile: LinkTile) -> int:
        width = self._tile_text_w(tile)
        text = pt(self.fonts.height_pt(self._tile_text(tile, width), width)) + pt(2)
        return max(text, QR_MM * MM if self._tile_qr(tile) else 0)

    # drawing

    def _draw_column(self, column, x: int, top: int) -> list[Element]:
        elements: list[Element] = []
        pending: list[tuple[int, TableRow]] = []

        def flush() -> None:
            if pending:
                elements.append(self._table(pending, x, top))
                pending.clear()

        for placed in column:
            item, y = placed.unit.item, top + placed.y
            if isinstance(item, TableRow):
                pending.append((y, item))
                continue
            flush()
            if isinstance(item, Text):
                elements.append(
                    _text(item.name, Box(x, y, self.column_w, self._text_height(item)), list(item.paragraphs))
                )
            elif isinstance(item, Row):
                elements += self._draw_row(item, x, y)
            elif isinstance(item, LinkTile):
                elements += self._draw_tile(item, x, y)
        flush()
        return elements

    def _draw_row(self, row: Row, x: int, y: int) -> list[Element]:
        height = self._row_height(row)
        label = Paragraph((Run(row.label),), LABEL_SIZE, colour=self.deck.theme.muted, bold=True)
        nudge = pt((line_height(self.size) - line_height(LABEL_SIZE)) * 0.75)
        value_x = x + LABEL_W + 3 * MM
        value = _text(row.name, Box(value_x, y, self.column_w - LABEL_W - 3 * MM, height), [row.value])
        if not row.label:  # a value running on from the row before
            return [value]
        return [_text(f"{row.name}:label", Box(x, y + nudge, LABEL_W, height - nudge), [label]), value]

    def _draw_tile(self, tile: LinkTile, x: int, y: int) -> list[Element]:
        elements: list[Element] = []
        text_x = x
        if self._tile_qr(tile):
            box = Box(x, y, QR_MM * MM, QR_MM * MM)
            elements += qr_shapes(f"{tile.name}:qr", tile.url, box, f"QR code: {tile.title} ({tile.url})")
            text_x = x + QR_MM * MM + 3 * MM
        width = self._tile_text_w(tile)
        paragraphs = self._tile_text(tile, width)
        height = pt(self.fonts.height_pt(paragraphs, width)) + pt(2)
        elements.append(_text(tile.name, Box(text_x, y + pt(2), width, height), paragraphs))
        return elements

    def _table(self, rows: list[tuple[int, TableRow]], x: int, top: int) -> Table:
        first_y = rows[0][0]
        widths = self._table_widths(rows[0][1].environment_count)
        heights = []
        for index, (y, _) in enumerate(rows):
            following = rows[index + 1][0] if index + 1 < len(rows) else None
            heights.append(
                (following - y) if following is not None else self._cells_height(rows[index][1].cells, widths)
            )
        cells = tuple(row.cells for _, row in rows)
        box = Box(x, first_y, sum(widths), sum(heights))
        return Table(f"persona:{self.persona.id}:access:{first_y}", box, tuple(widths), cells, tuple(heights))


def _cell(text: str, fill: str, colour: str, bold: bool = False) -> Cell:
    if len(text) > MAX_CELL_CHARACTERS:  # a role is a few words; the page's notes keep it whole
        text = text[: MAX_CELL_CHARACTERS - 1].rstrip() + "…"
    paragraph = Paragraph((Run(text),), TABLE_SIZE, colour=colour, bold=bold)
    return Cell(TextFrame((paragraph,), anchor="ctr", inset=CELL_INSET), fill)


def _text(name: str, box: Box, paragraphs: list[Paragraph], anchor: str = "t") -> Shape:
    return Shape(name, box, text=TextFrame(tuple(paragraphs), anchor=anchor), is_textbox=True)  # type: ignore[arg-type]


def _continued(number: int, pages: int) -> str:
    """How a persona's page after its first says so in its title."""
    if number == 0:
        return ""
    return " (continued)" if pages == 2 else f" (continued, {number + 1} of {pages})"


def _footer(deck: Deck, slide: Slide, width: int, height: int, fonts: Fonts, number: int, count: int) -> None:
    margin = MARGIN_MM * MM
    line = pt(line_height(SMALL_SIZE)) + pt(1)
    y = height - margin - line
    muted = deck.theme.muted
    right = f"{deck.title} · page {number} of {count}"
    right_w = pt(fonts.width_pt(right, SMALL_SIZE) + 4)
    right_w = min(right_w, (width - 2 * margin) * 2 // 3)
    right = ellipsize(right, right_w / EMU_PER_PT, SMALL_SIZE, fonts.body)
    if deck.footer_text:
        left_w = width - 2 * margin - right_w - pt(12)
        text = ellipsize(deck.footer_text, left_w / EMU_PER_PT, SMALL_SIZE, fonts.body)
        slide.add(
            _text("Footer", Box(margin, y, left_w, line), [Paragraph((Run(text),), SMALL_SIZE, colour=muted)])
        )
    slide.add(
        _text(
            "Page",
            Box(width - margin - right_w, y, right_w, line),
            [Paragraph((Run(right),), SMALL_SIZE, colour=muted, align="r")],
        )
    )
