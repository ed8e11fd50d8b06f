"""The persona table: the reference table's columns, trimmed to what the deck fills.

A native PowerPoint table. Column widths follow how much text each column holds; row
heights come from measured text; long tables split between rows across numbered slides,
the header repeated on each. Every row carries the persona's colour and ID and links to
its card slide.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck, Persona
from ..spec.slides import Options
from ..text.fit import ellipsize, line_height
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Cell, Paragraph, Run, Slide, Table, TextFrame, pt

SIZES = range(12, 8, -1)
CELL_INSET = (pt(4), pt(3), pt(4), pt(3))
ID_WIDTH_PT = 48


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    runs: Callable[[Deck, Persona], list[Run]]


def _text(value) -> list[Run]:
    return [Run(value)] if value else []


def _joined(values, separator: str = ", ") -> list[Run]:
    return [Run(separator.join(values))] if values else []


def _links(persona: Persona) -> list[Run]:
    """Link titles as plain text: the card slide, one click away, holds the links themselves."""
    return _joined([link.title for link in persona.learn], "; ")


COLUMNS = (
    Column(
        "name",
        "Persona",
        lambda d, p: (
            [Run(p.name, link=f"#card:{p.id}")] + ([Run(" (agent)", italic=True)] if p.is_agent else [])
        ),
    ),
    Column("team", "Team", lambda d, p: _text(p.team)),
    Column("interacts_with", "Primary interaction", lambda d, p: _joined(p.interacts_with)),
    Column("processes", "Process", lambda d, p: _joined(p.processes)),
    Column(
        "architectures",
        "Architecture",
        lambda d, p: _joined([d.architectures[a].title for a in p.architectures]),
    ),
    Column("scope", "Scope", lambda d, p: _text(p.scope)),
    Column("services", "Services", lambda d, p: _joined([s.name for s in p.services])),
    Column("data_access", "Data access", lambda d, p: _text(p.data_access)),
    Column("skills", "Skills", lambda d, p: _joined(p.skills)),
    Column("learn", "Learn", lambda d, p: _links(p)),
)


def persona_table_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    personas = deck.personas
    columns = [c for c in COLUMNS if c.key == "name" or any(c.runs(deck, p) for p in personas)]
    cells = [[c.runs(deck, p) for c in columns] for p in personas]
    _probe, area, _ = overview_frame(deck, fonts, "Personas (9 of 9)", "")
    widths = _column_widths(columns, cells, area.w - pt(ID_WIDTH_PT), fonts)
    size, cells, heights, header_height, pages = _choose_size(columns, cells, widths, area.h, fonts)
    slides = []
    for index, rows in enumerate(pages, start=1):
        title = numbered("Personas", index, len(pages))
        slide, area, notes = overview_frame(deck, fonts, title, "Persona table")
        table_rows = [_header_row(deck, columns, size)]
        row_heights = [header_height]
        for row in rows:
            persona = personas[row]
            table_rows.append(_persona_row(deck, persona, cells[row], size))
            row_heights.append(heights[row])
        column_widths = (pt(ID_WIDTH_PT), *widths)
        box = Box(area.x, area.y, sum(column_widths), sum(row_heights))
        slide.add(Table("Persona table", box, column_widths, tuple(table_rows), tuple(row_heights)))
        slide.notes = "\n".join(notes)
        slides.append(slide)
    return slides


def _column_widths(
    columns: list[Column], cells: list[list[list[Run]]], total: int, fonts: Fonts
) -> list[int]:
    """Share *total* between columns by how much text each holds, never below its longest word."""
    demands, floors = [], []
    for index, column in enumerate(columns):
        texts = [_plain(row[index]) for row in cells] + [column.header]
        mean = sum(len(t) for t in texts) / len(texts)
        demands.append(math.sqrt(max(mean, 4)))
        pieces = texts if column.key == "name" else [w for t in texts for w in t.split()]
        longest = max((fonts.width_pt(piece, 9, "body") for piece in pieces), default=20)
        floors.append(min(pt(longest + 14), pt(130 if column.key == "name" else 110)))
    if sum(floors) > total:  # too many columns for their longest words: share out what there is
        floors = [max(pt(12), f * total // sum(floors)) for f in floors]
    scale = total / sum(demands)
    widths = [max(round(d * scale), f) for d, f in zip(demands, floors)]
    excess = sum(widths) - total
    if excess > 0:  # take the excess back from columns above their floor, in proportion
        slack = [w - f for w, f in zip(widths, floors)]
        share = sum(slack) or 1
        widths = [w - round(excess * s / share) for w, s in zip(widths, slack)]
    widths[-1] += total - sum(widths)
    return widths


def _plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def _cell_height(runs: list[Run], width: int, size: int, fonts: Fonts) -> int:
    if not runs:
        return 0
    lines = len(fonts.lines(Paragraph(tuple(runs), size), width - CELL_INSET[0] - CELL_INSET[2]))
    return round(lines * line_height(size) * EMU_PER_PT) + CELL_INSET[1] + CELL_INSET[3] + pt(2)


def _clip(runs: list[Run], width: int, size: int, max_lines: int, fonts: Fonts) -> list[Run]:
    """*runs* cut to *max_lines* lines with an ellipsis; the card keeps the whole text."""
    inner = width - CELL_INSET[0] - CELL_INSET[2]
    if not runs or len(fonts.lines(Paragraph(tuple(runs), size), inner)) <= max_lines:
        return runs
    lines = fonts.lines(Paragraph((Run(_plain(runs)),), size), inner)[:max_lines]
    lines[-1] = ellipsize(lines[-1] + " …", inner / EMU_PER_PT, size, fonts.body)
    clipped = [Run(" ".join(lines), link=runs[0].link)]
    while len(fonts.lines(Paragraph(tuple(clipped), size), inner)) > max_lines:
        clipped = [Run(ellipsize(clipped[0].text[:-2] + "…", 10_000, size, fonts.body), link=runs[0].link)]
    return clipped


def _choose_size(columns, cells, widths, available: int, fonts: Fonts):
    """The size and line limit that need the fewest slides, preferring larger, whole text.

    Each cell is wrapped at most once per size, and not at all once it fits on one line
    at a larger size (widths scale with size). A line limit only caps a row's tallest
    cell, so trying the limits costs nothing more. Only the chosen combination is cut.
    """
    pad = CELL_INSET[1] + CELL_INSET[3] + pt(2)
    inners = [w - CELL_INSET[0] - CELL_INSET[2] for w in widths]
    texts = [[_plain(cell) for cell in row] for row in cells]
    counts = [[2] * len(row) for row in texts]  # "more than one line" until measured
    best = None
    for size in SIZES:
        counts = [_row_counts(row, previous, inners, size, fonts) for row, previous in zip(texts, counts)]
        tallest = [max(row, default=0) for row in counts]
        header = max(
            _cell_height([Run(c.header, bold=True)], w, size, fonts) for c, w in zip(columns, widths)
        )
        pitch = line_height(size) * EMU_PER_PT
        for max_lines in (99, 6, 5, 4, 3):
            heights = [
                min(max(header, round(min(n, max_lines) * pitch) + pad), available - header) for n in tallest
            ]
            pages = _paginate(heights, available - header)
            key = (len(pages), -max_lines, -size)
            if best is None or key < best[0]:
                best = (key, size, max_lines, heights, header, pages, counts)
    _, size, max_lines, heights, header, pages, counts = best
    clipped = [
        [
            cell if n <= max_lines else _clip(cell, w, size, max_lines, fonts)
            for cell, w, n in zip(row, widths, row_counts)
        ]
        for row, row_counts in zip(cells, counts)
    ]
    return size, clipped, heights, header, pages


def _row_counts(
    texts: list[str], previous: list[int], inners: list[int], size: int, fonts: Fonts
) -> list[int]:
    """Line counts of one row's cells at *size*; a cell on one line at a larger size stays so."""
    return [
        n if n <= 1 else len(fonts.wrapped(t, w, size)) if t else 0
        for t, n, w in zip(texts, previous, inners)
    ]


def _paginate(heights: list[int], available: int) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    used = 0
    for row, height in enumerate(heights):
        if pages[-1] and used + height > available:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += height
    return pages


def _header_row(deck: Deck, columns: list[Column], size: int) -> tuple[Cell, ...]:
    fill = deck.theme.text
    colour = text_on(fill)
    headers = ["ID"] + [c.header for c in columns]
    return tuple(
        Cell(TextFrame((Paragraph((Run(h),), size, colour=colour, bold=True),), inset=CELL_INSET), fill)
        for h in headers
    )


def _persona_row(deck: Deck, persona: Persona, cells: list[list[Run]], size: int) -> tuple[Cell, ...]:
    theme = deck.theme
    chip = Cell(
        TextFrame(
            (Paragraph((Run(persona.id),), size, colour=text_on(persona.colour.hex), bold=True),),
            inset=CELL_INSET,
        ),
        persona.colour.hex,
    )
    row = [chip]
    for runs in cells:
        row.append(
            Cell(
                TextFrame((Paragraph(tuple(runs), size, colour=theme.text),), inset=CELL_INSET),
                theme.background,
            )
        )
    return tuple(row)


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `persona-table` section."""
    return persona_table_slides(deck, fonts, report)
