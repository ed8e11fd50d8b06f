"""The persona table: the reference table's columns, as many as read well.

A native PowerPoint table whose cells always hold their whole text, in words that stay
whole: no cell is cut short. When the deck's text is too much for every column at a
readable size, the columns that the persona cards already show go first (the notes say
which moved to the cards), and the rows split between numbered slides with the header
repeated, each slide about as full as the others. Every row carries the persona's colour
and ID and its name links to its card slide.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck, Persona
from ..spec.slides import CardsOptions, Options
from ..text.fit import ellipsize, line_height, words_of
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame
from .fonts import Fonts
from .labels import partner_labels
from .paging import balanced_pages
from .shapes import EMU_PER_PT, Box, Cell, Paragraph, Run, Slide, Table, TextFrame, pt

SIZES = (12, 11, 10)
CELL_INSET = (pt(5), pt(2), pt(5), pt(2))
ID_MIN_PT = 40
LONG_WORD = 20
"""Characters from which a word (a compound, a URL) may split rather than widen its column."""
LONG_WORD_CAP_PT = 110
MAX_ROW_LINES = 6
"""A row taller than this many lines reads as a paragraph, not a table row."""
MEAN_ROW_LINES = 3.5
SAMPLE_ROWS = 300
"""Rows looked at to judge a choice of columns; the chosen one is then measured in full."""
WRAP_WASTE = 1.12
"""Estimated lines: the text's length over the column width, plus what line ends waste."""


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


def _name(deck: Deck, persona: Persona) -> list[Run]:
    runs = [Run(persona.name, link=f"#card:{persona.id}")]
    return runs + ([Run(" (agent)", italic=True)] if persona.is_agent else [])


COLUMNS = (
    Column("name", "Persona", _name),
    Column("goal", "Goal", lambda d, p: _text(p.goal)),
    Column("team", "Team", lambda d, p: _text(p.team)),
    Column("example_roles", "Example roles", lambda d, p: _joined(p.example_roles)),
    Column("interacts_with", "Primary interaction", lambda d, p: _joined(partner_labels(d, p))),
    Column("processes", "Process", lambda d, p: _joined(p.process_labels)),
    Column(
        "architectures",
        "Architecture",
        lambda d, p: _joined([d.architectures[a].title for a in p.architectures]),
    ),
    Column("scope", "Scope", lambda d, p: _text(p.scope)),
    Column("responsibilities", "Responsibilities", lambda d, p: _joined(p.responsibilities, "; ")),
    Column("services", "Services", lambda d, p: _joined([s.name for s in p.services])),
    Column("data_access", "Data access", lambda d, p: _text(p.data_access)),
    Column("skills", "Skills", lambda d, p: _joined(p.skills)),
    Column("learn", "Learn", lambda d, p: _links(p)),
)
MOVABLE = (
    "responsibilities",
    "learn",
    "example_roles",
    "goal",
    "skills",
    "services",
    "data_access",
    "scope",
    "architectures",
)
"""Columns that may give way to the persona cards, the first to go first."""
CARD_NAMES = {
    "learn": "Links to learn",
    "responsibilities": "Responsibilities",
    "goal": "Goal",
    "example_roles": "Example roles",
    "skills": "Skills",
    "services": "Component access (services)",
    "data_access": "Data access",
    "scope": "Scope",
    "architectures": "Architecture",
}


@dataclass
class Plan:
    """A choice of columns and size, with each column's width (EMU)."""

    columns: list[int]
    """Indexes into the deck's columns."""
    size: int
    widths: list[int]


def persona_table_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    personas = deck.personas
    columns = [c for c in COLUMNS if c.key == "name" or any(c.runs(deck, p) for p in personas)]
    cells = [[c.runs(deck, p) for c in columns] for p in personas]
    texts = [[_plain(runs) for runs in row] for row in cells]
    _probe, area, _ = overview_frame(deck, fonts, "Personas (9 of 9)", "")
    plan = _plan(deck, columns, texts, area.w, area.h, fonts)
    header, heights, pages = _paged(plan, columns, texts, area.h, fonts)
    if len(personas) <= SAMPLE_ROWS:  # pages with room to spare: larger text on as many pages
        for size in (s for s in SIZES if s > plan.size):
            larger = _widths(
                _measure_columns([columns[i] for i in plan.columns], texts, fonts, plan.columns),
                size,
                area.w - _id_width(personas, size, fonts),
            )
            if larger is None:
                continue
            bigger = Plan(plan.columns, size, larger)
            paged = _paged(bigger, columns, texts, area.h, fonts)
            if len(paged[2]) <= len(pages):
                plan, (header, heights, pages) = bigger, paged
                break
    shown = [columns[i] for i in plan.columns]
    size = plan.size
    id_w = _id_width(personas, size, fonts)
    notes = _notes(columns, plan)
    slides = []
    for index, rows in enumerate(pages, start=1):
        title = numbered("Personas", index, len(pages))
        slide, area, overflow = overview_frame(deck, fonts, title, "Persona table")
        table_rows = [_header_row(deck, shown, size)]
        row_heights = [header]
        for row in rows:
            row_cells = [
                _fitted(cells[row][i], texts[row][i], w, size, heights[row], fonts)
                for i, w in zip(plan.columns, plan.widths)
            ]
            table_rows.append(_persona_row(deck, personas[row], row_cells, size))
            row_heights.append(heights[row])
        column_widths = (id_w, *plan.widths)
        box = Box(area.x, area.y, sum(column_widths), sum(row_heights))
        slide.add(Table("Persona table", box, column_widths, tuple(table_rows), tuple(row_heights)))
        slide.notes = "\n".join(overflow + notes)
        slides.append(slide)
    return slides


def _paged(
    plan: Plan, columns: list[Column], texts: list[list[str]], height: int, fonts: Fonts
) -> tuple[int, list[int], list[list[int]]]:
    """The header's height, every row's height and the rows of each slide, for *plan*."""
    shown = [columns[i] for i in plan.columns]
    header = max(_cell_height(c.header, w, plan.size, fonts, True) for c, w in zip(shown, plan.widths))
    available = height - header
    heights = [_row_height(row, plan, plan.size, fonts, available) for row in texts]
    return header, heights, balanced_pages(heights, available)


def _plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def _cards_shown(deck: Deck) -> bool:
    """Whether the deck has a card for every persona (so table columns may move there)."""
    for section in deck.sections:
        if isinstance(section.options, CardsOptions):
            chosen = section.options.personas
            if not chosen or len(set(chosen)) >= len(deck.personas):
                return True
    return False


@dataclass
class _ColumnText:
    """What one column needs, measured once at 1 pt: its longest word and its texts' widths."""

    longest_word: float
    header_word: float
    widths: list[float]
    mean: float
    longest: float


def _measure_columns(
    columns: list[Column], texts: list[list[str]], fonts: Fonts, indexes: list[int] | None = None
) -> list[_ColumnText]:
    """Each column measured; *indexes* are the columns' places in the rows of *texts*. Line
    counts are estimated on a sample of rows, drawn at random (but always the same for the
    same deck) so that a deck's regular patterns do not bias it."""
    rows = range(len(texts))
    if len(texts) > SAMPLE_ROWS:
        rows = sorted(random.Random(len(texts)).sample(rows, SAMPLE_ROWS))  # type: ignore[assignment]
    sample = [texts[row] for row in rows]
    measured = []
    body = fonts.body
    for index, column in zip(indexes or range(len(columns)), columns):
        words = {word for row in texts for word in words_of(row[index])}
        longest_word = max((_word_width(word, body) for word in words), default=0.0)
        header_word = max(
            (_word_width(word, fonts.body, True) for word in words_of(column.header)), default=0.0
        )
        widths = [body.width(row[index], 1) for row in sample]
        mean = sum(widths) / max(1, len(widths))
        longest = max((body.width(row[index], 1) for row in texts), default=0.0)
        measured.append(_ColumnText(longest_word, header_word, widths, mean, longest))
    return measured


def _word_width(word: str, metrics, bold: bool = False) -> float:
    """A word's width at 1 pt; a long word (a URL, a compound) may split, so it counts capped."""
    width = metrics.width(word, 1, bold)
    if len(word) >= LONG_WORD or "/" in word:
        return min(width, LONG_WORD_CAP_PT / 10)
    return width


def _plan(
    deck: Deck, columns: list[Column], texts: list[list[str]], total: int, height: int, fonts: Fonts
) -> Plan:
    """Among the choices of columns and size whose rows read as table rows, the one that needs
    the fewest slides; then the one with the most columns, then the largest size. Columns go
    only when the cards show them; otherwise the same columns take more slides."""
    measured = _measure_columns(columns, texts, fonts)
    keys = [c.key for c in columns]
    movable = [keys.index(k) for k in MOVABLE if k in keys] if _cards_shown(deck) else []
    kept = list(range(len(columns)))
    best: tuple | None = None
    last: Plan | None = None
    scale = len(texts) / max(1, len(measured[0].widths))
    while True:
        for size in SIZES:
            id_w = _id_width(deck.personas, size, fonts)
            shown = [measured[i] for i in kept]
            widths = _widths(shown, size, total - id_w)
            if widths is None:
                continue
            last = Plan(list(kept), size, widths)
            lines = _row_lines(shown, widths, size)
            if max(lines) > MAX_ROW_LINES or sum(lines) > MEAN_ROW_LINES * len(lines):
                continue
            header = max(_cell_height(columns[i].header, w, size, fonts, True) for i, w in zip(kept, widths))
            pad = CELL_INSET[1] + CELL_INSET[3] + pt(1)
            rows = sum(round(n * line_height(size) * EMU_PER_PT) + pad for n in lines) * scale
            pages = math.ceil(rows * 1.02 / max(1, height - header))
            key = (pages, -len(kept), -size)
            if best is None or key < best[0]:
                best = (key, last)
        if not movable:
            break
        kept.remove(movable.pop(0))
    if best is not None:
        return best[1]
    if last is not None:  # no choice reads well: the fewest columns at the smallest size
        return last
    size = SIZES[-1]  # words wider than any share: give each column what there is
    id_w = _id_width(deck.personas, size, fonts)
    share = (total - id_w) // len(kept)
    return Plan(kept, size, [share] * (len(kept) - 1) + [total - id_w - share * (len(kept) - 1)])


def _widths(measured: list[_ColumnText], size: int, total: int) -> list[int] | None:
    """Column widths: each at least its longest word, the rest shared by how much text each
    column holds, none wider than its longest text. ``None`` when the words alone are too wide."""
    pad = CELL_INSET[0] + CELL_INSET[2]
    floors = [pt(max(m.longest_word, m.header_word) * size + 1) + pad for m in measured]
    if sum(floors) > total:
        return None
    ceilings = [max(f, pt(m.longest * size * 1.02) + pad) for f, m in zip(floors, measured)]
    demands = [math.sqrt(max(m.mean, 2.0)) for m in measured]
    widths = list(floors)
    spare = total - sum(widths)
    open_columns = [i for i in range(len(widths)) if widths[i] < ceilings[i]]
    while spare > len(widths) and open_columns:
        weight = sum(demands[i] for i in open_columns)
        given = 0
        for i in open_columns:
            extra = min(round(spare * demands[i] / weight), ceilings[i] - widths[i])
            widths[i] += extra
            given += extra
        spare -= given
        open_columns = [i for i in open_columns if widths[i] < ceilings[i]]
        if not given:
            break
    if spare > 0:  # every column holds its longest text on one line: share out the rest
        weight = sum(demands)
        for i in range(len(widths)):
            widths[i] += int(spare * demands[i] / weight)
    widths[-1] += total - sum(widths)
    return widths


def _row_lines(measured: list[_ColumnText], widths: list[int], size: int) -> list[int]:
    """Each sampled row's estimated line count: its tallest cell's text over the column width."""
    inners = [(w - CELL_INSET[0] - CELL_INSET[2]) / EMU_PER_PT for w in widths]
    rows = len(measured[0].widths)
    lines = []
    for row in range(rows):
        tallest = 1
        for column, inner in zip(measured, inners):
            tallest = max(tallest, math.ceil(column.widths[row] * size * WRAP_WASTE / inner))
        lines.append(tallest)
    return lines


def _id_width(personas: list[Persona], size: int, fonts: Fonts) -> int:
    longest = max((fonts.width_pt(p.id, size, "body", True) for p in personas), default=20)
    return max(pt(ID_MIN_PT), min(pt(100), pt(longest + 2)) + CELL_INSET[0] + CELL_INSET[2])


def _cell_height(text: str, width: int, size: int, fonts: Fonts, bold: bool = False) -> int:
    if not text:
        return 0
    lines = len(fonts.wrapped(text, width - CELL_INSET[0] - CELL_INSET[2], size, bold=bold))
    return round(lines * line_height(size) * EMU_PER_PT) + CELL_INSET[1] + CELL_INSET[3] + pt(1)


def _row_height(texts: list[str], plan: Plan, size: int, fonts: Fonts, available: int) -> int:
    height = max(_cell_height(texts[i], w, size, fonts) for i, w in zip(plan.columns, plan.widths))
    return min(height, available)


def _fitted(runs: list[Run], text: str, width: int, size: int, height: int, fonts: Fonts) -> list[Run]:
    """The cell's runs, whole; only a row taller than a whole slide is cut, with an ellipsis."""
    is_name = bool(runs) and runs[0].link is not None
    if is_name or _cell_height(text, width, size, fonts) <= height:
        return runs
    inner = width - CELL_INSET[0] - CELL_INSET[2]
    room = max(1, int((height - CELL_INSET[1] - CELL_INSET[3] - pt(2)) / (line_height(size) * EMU_PER_PT)))
    lines = fonts.wrapped(text, inner, size)[:room]
    lines[-1] = ellipsize(lines[-1] + " …", inner / EMU_PER_PT, size, fonts.body)
    return [Run(" ".join(lines))]


def _notes(columns: list[Column], plan: Plan) -> list[str]:
    moved = [columns[i].key for i in range(len(columns)) if i not in plan.columns]
    if not moved:
        return []
    names = ", ".join(CARD_NAMES.get(key, key) for key in moved)
    return [
        f"Moved to the persona cards, to keep this table readable: {names}. "
        "Click a persona's name to open its card."
    ]


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
