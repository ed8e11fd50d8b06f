"""Excel export: the persona table, an RBAC matrix per environment and the gaps, for review.

Security teams review access in spreadsheets, so the workbook is made to be filtered and
sorted: frozen header rows and name columns, filters on every sheet, widths that fit the
content, persona colours on the ID cells and role cells coloured by privilege as on the
RBAC slides. List cells hold one entry per line and links as ``[name](<url>)``, the form
``cardforge import`` reads back: the round trip gives the same personas and grants.

openpyxl builds the workbook; the package is then rewritten with one fixed timestamp
(``SOURCE_DATE_EPOCH`` when set), so the same deck gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..layout.labels import partner_labels
from ..layout.rbac import RANK_FILLS
from ..model import Deck, Persona
from ..model.lint import lint, rank
from ..theme.contrast import text_on

PERSONA_SHEET = "Personas"
GAPS_SHEET = "Gaps"
ENVIRONMENT_LABEL = "Environment"
"""Cell A1 of each RBAC sheet; B1 holds the environment's name as the deck writes it."""
PERSONA_COLUMNS = (
    "ID",
    "Persona",
    "Colour",
    "Kind",
    "Category",
    "Team",
    "Primary interaction",
    "Processes",
    "Architecture",
    "Scope",
    "Services",
    "Data access",
    "Skills",
    "Learn",
    "People",
    "Notes",
    "Service links",
    "Learn links",
)
LINK_COLUMNS = ("Service links", "Learn links")
"""Link columns sit last and are wide enough for a link per line, so the others stay readable."""
HEADER_FILL = "D9D9D9"
MIN_WIDTH, MAX_WIDTH, MAX_LINK_WIDTH = 8, 60, 110
LINE_HEIGHT = 15
"""Points per line of 11 pt Calibri, Excel's default row height."""
MAX_ROW_HEIGHT = 409
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(deck: Deck, output: Path) -> None:
    """Write the workbook to *output* atomically."""
    from ..writer.save import atomic_write

    atomic_write(output, workbook_bytes(deck))


def workbook_bytes(deck: Deck) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    styles = _Styles(book)
    personas = book.active
    personas.title = PERSONA_SHEET
    _persona_sheet(personas, deck, styles)
    if deck.rbac is not None:
        taken = {PERSONA_SHEET.casefold(), GAPS_SHEET.casefold()}
        for env in deck.rbac.environments:
            title = _sheet_title(f"RBAC {env}", taken)
            _rbac_sheet(book.create_sheet(title), deck, env, styles)
    _gaps_sheet(book.create_sheet(GAPS_SHEET), deck, styles)
    return _reproducible(book, deck.title)


class _Styles:
    """Named cell styles, made once per workbook: assigning a style by name is far cheaper
    in openpyxl than setting font, fill and alignment on each of thousands of cells."""

    def __init__(self, book: Any):
        self._book = book
        self._made: set[str] = set()

    def name(self, fill: str | None = None, bold: bool = False) -> str:
        """The style for text on *fill* (``RRGGBB``; none: the sheet's white), bold or not."""
        name = f"cardforge {fill or 'body'}{' bold' if bold else ''}"
        if name not in self._made:
            from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

            style = NamedStyle(name=name)
            # Calibri named explicitly: an unnamed font falls back to a serif in some programs.
            colour = text_on(fill, "1A1A1A", "FFFFFF") if fill else None
            style.font = Font(name="Calibri", size=11, bold=bold, color=colour)
            style.alignment = Alignment(vertical="top", wrap_text=True)
            if fill:
                style.fill = PatternFill("solid", fgColor=fill)
            self._book.add_named_style(style)
            self._made.add(name)
        return name


# Sheets


def _persona_sheet(sheet: Any, deck: Deck, styles: _Styles) -> None:
    rows = [PERSONA_COLUMNS] + [_persona_row(deck, p) for p in deck.personas]
    _fill(sheet, rows, 1, styles)
    for number, persona in enumerate(deck.personas, start=2):
        sheet.cell(number, 1).style = styles.name(persona.colour.hex, bold=True)
    _finish(sheet, rows, header_row=1, frozen="C2")


def _persona_row(deck: Deck, persona: Persona) -> tuple[str, ...]:
    people = "" if persona.people is None else (_lines(persona.people) or "-")
    return (
        persona.id,
        persona.name,
        persona.colour.name,
        persona.kind,
        _lines(persona.categories),
        persona.team or "",
        _lines(partner_labels(deck, persona)),
        _lines(persona.processes),
        _lines(persona.architectures),
        persona.scope or "",
        _lines([s.name for s in persona.services]),
        persona.data_access or "",
        _lines(persona.skills),
        _lines([link.title for link in persona.learn]),
        people,
        persona.notes or "",
        _lines([_link(s.name, s.url) for s in persona.services if s.url]),
        _lines([_link(link.title, link.url) for link in persona.learn]),
    )


def _lines(items: Sequence[str]) -> str:
    """A list cell: one item per line. A lone item keeps its commas as ``\\,``, since a cell
    without line breaks is read back as a comma-separated list."""
    if len(items) == 1:
        return re.sub(r"([,;])", r"\\\1", items[0])
    return "\n".join(items)


def _link(text: str, url: str | None) -> str:
    """``[text](<url>)``: brackets escaped so that the import reads the link back whole."""
    if not url:
        return text
    return "[" + re.sub(r"([\\\[\]])", r"\\\1", text) + f"](<{url}>)"


def _rbac_sheet(sheet: Any, deck: Deck, env: str, styles: _Styles) -> None:
    assert deck.rbac is not None
    services = list(dict.fromkeys(g.service for g in deck.rbac.grants))
    roles = {(g.persona, g.service): g.roles.get(env, "") for g in deck.rbac.grants}
    rows: list[tuple[str, ...]] = [(ENVIRONMENT_LABEL, env), ("ID", "Persona", *services)]
    rows += [(p.id, p.name, *(roles.get((p.id, s), "") for s in services)) for p in deck.personas]
    _fill(sheet, rows, 2, styles)
    sheet.cell(1, 1).style = sheet.cell(1, 2).style = styles.name(bold=True)
    for number, persona in enumerate(deck.personas, start=3):
        sheet.cell(number, 1).style = styles.name(persona.colour.hex, bold=True)
        for column, role in enumerate(rows[number - 1][2:], start=3):
            if role:
                sheet.cell(number, column).style = styles.name(RANK_FILLS[rank(role)])
    _finish(sheet, rows, header_row=2, frozen="C3")


def _gaps_sheet(sheet: Any, deck: Deck, styles: _Styles) -> None:
    findings = lint(deck)
    rows: list[tuple[str, ...]] = [("Code", "Kind", "Finding", "Personas")]
    rows += [(f.code, f.kind, f.message, "\n".join(f.personas)) for f in findings]
    if not findings:
        rows.append(("", "", "No gaps found.", ""))
    _fill(sheet, rows, 1, styles)
    _finish(sheet, rows, header_row=1, frozen="A2")


# Cells and layout


def _fill(sheet: Any, rows: list[tuple[str, ...]], header_row: int, styles: _Styles) -> None:
    """Every non-empty value as text (never a formula: a name that starts with "=" stays a
    name), top-aligned and wrapped; the header bold on grey."""
    body, header = styles.name(), styles.name(HEADER_FILL, bold=True)
    for number, row in enumerate(rows, start=1):
        style = header if number == header_row else body
        for column, value in enumerate(row, start=1):
            if value or number == header_row:
                cell = sheet.cell(number, column)
                cell.value = value
                cell.data_type = "s"
                cell.style = style


def _finish(sheet: Any, rows: list[tuple[str, ...]], header_row: int, frozen: str) -> None:
    """Frozen header (and name columns), a filter over the table, widths from the content,
    row heights for the wrapped lines, and pages that print the full width with the header.

    *rows* are every row of the sheet from the first; the table's header is row *header_row*.
    """
    from openpyxl.utils import get_column_letter

    width = max(len(row) for row in rows)
    sheet.freeze_panes = frozen
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{sheet.max_row}"
    widths = []
    for column in range(1, width + 1):
        longest = max((_longest_line(row[column - 1]) for row in rows if column <= len(row)), default=0)
        label = rows[header_row - 1][column - 1] if column <= len(rows[header_row - 1]) else ""
        widest = MAX_LINK_WIDTH if label in LINK_COLUMNS else MAX_WIDTH
        header_word = max((len(word) for word in label.split()), default=0) * 1.15 + 2  # bold, unbroken
        widths.append(round(max(MIN_WIDTH, header_word, min(widest, longest + 3))))
        sheet.column_dimensions[get_column_letter(column)].width = widths[-1]
    for number, row in enumerate(rows, start=1):
        lines = max(
            (_wrapped_lines(text, widths[i], bold=number == header_row) for i, text in enumerate(row)),
            default=1,
        )
        sheet.row_dimensions[number].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a cell takes when wrapped at its column's width (in characters of the regular
    font; bold text is about a tenth wider). Breaks fall between words, so a line holds a
    little less than the width; long words are counted as breaking where they must."""
    per_line = max(1.0, (width - 1.5) / (1.1 if bold else 1.0))
    total = 0
    for line in text.split("\n"):
        count, used = 1, 0.0
        for word in line.split(" "):
            size = len(word) + (1 if used else 0)
            if used and used + size > per_line:
                count, used = count + 1, float(len(word))
            else:
                used += size
            while used > per_line:
                count, used = count + 1, used - per_line
        total += count
    return total


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def _sheet_title(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no ``[]:*?/\\``), unique in the workbook."""
    base = _SHEET_UNSAFE.sub("-", wanted).strip("'")[:31] or "RBAC"
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


# Package


def _reproducible(book: Any, title: str) -> bytes:
    """The workbook's package with fixed document dates and zip timestamps."""
    from openpyxl.writer.excel import ExcelWriter

    from ..writer.archive import Archive
    from ..writer.save import build_epoch

    epoch = build_epoch()
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).replace(tzinfo=None)
    book.properties.creator = "cardforge"
    book.properties.title = title
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.lastModifiedBy = None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as package:
        ExcelWriter(book, package).save()
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as package, Archive(result, epoch) as archive:
        for info in package.infolist():
            archive.add(info.filename, package.read(info))
    return result.getvalue()
