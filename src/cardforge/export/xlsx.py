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
from pathlib import Path
from typing import Any

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
)
HEADER_FILL = "D9D9D9"
MIN_WIDTH, MAX_WIDTH = 8, 60
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(deck: Deck, output: Path) -> None:
    """Write the workbook to *output* atomically."""
    from ..writer.save import atomic_write

    atomic_write(output, workbook_bytes(deck))


def workbook_bytes(deck: Deck) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    personas = book.active
    personas.title = PERSONA_SHEET
    _persona_sheet(personas, deck)
    if deck.rbac is not None:
        taken = {PERSONA_SHEET.casefold(), GAPS_SHEET.casefold()}
        for env in deck.rbac.environments:
            title = _sheet_title(f"RBAC {env}", taken)
            _rbac_sheet(book.create_sheet(title), deck, env)
    _gaps_sheet(book.create_sheet(GAPS_SHEET), deck)
    return _reproducible(book, deck.title)


# Sheets


def _persona_sheet(sheet: Any, deck: Deck) -> None:
    rows = [PERSONA_COLUMNS] + [_persona_row(p) for p in deck.personas]
    _fill(sheet, rows, header_row=1)
    for number, persona in enumerate(deck.personas, start=2):
        _colour_id_cell(sheet.cell(number, 1), persona)
    _finish(sheet, rows, header_row=1, frozen="C2")


def _persona_row(persona: Persona) -> tuple[str, ...]:
    people = "" if persona.people is None else ("\n".join(persona.people) or "-")
    return (
        persona.id,
        persona.name,
        persona.colour.name,
        persona.kind,
        "\n".join(persona.categories),
        persona.team or "",
        "\n".join(persona.interacts_with),
        "\n".join(persona.processes),
        "\n".join(persona.architectures),
        persona.scope or "",
        "\n".join(_link(s.name, s.url) for s in persona.services),
        persona.data_access or "",
        "\n".join(persona.skills),
        "\n".join(_link(link.title, link.url) for link in persona.learn),
        people,
        persona.notes or "",
    )


def _link(text: str, url: str | None) -> str:
    """``[text](<url>)``: brackets escaped so that the import reads the link back whole."""
    if not url:
        return text
    return "[" + re.sub(r"([\\\[\]])", r"\\\1", text) + f"](<{url}>)"


def _rbac_sheet(sheet: Any, deck: Deck, env: str) -> None:
    assert deck.rbac is not None
    services = list(dict.fromkeys(g.service for g in deck.rbac.grants))
    roles = {(g.persona, g.service): g.roles.get(env, "") for g in deck.rbac.grants}
    rows: list[tuple[str, ...]] = [(ENVIRONMENT_LABEL, env), ("ID", "Persona", *services)]
    rows += [(p.id, p.name, *(roles.get((p.id, s), "") for s in services)) for p in deck.personas]
    _fill(sheet, rows, header_row=2)
    from openpyxl.styles import Font, PatternFill

    sheet.cell(1, 1).font = Font(bold=True)
    sheet.cell(1, 2).font = Font(bold=True)
    for number, persona in enumerate(deck.personas, start=3):
        _colour_id_cell(sheet.cell(number, 1), persona)
        for column in range(3, len(services) + 3):
            cell = sheet.cell(number, column)
            if cell.value:
                fill = RANK_FILLS[rank(str(cell.value))]
                cell.fill = PatternFill("solid", fgColor=fill)
                cell.font = Font(color=text_on(fill, "1A1A1A", "FFFFFF"))
    _finish(sheet, rows[1:], header_row=2, frozen="C3")


def _gaps_sheet(sheet: Any, deck: Deck) -> None:
    findings = lint(deck)
    rows: list[tuple[str, ...]] = [("Code", "Kind", "Finding", "Personas")]
    rows += [(f.code, f.kind, f.message, "\n".join(f.personas)) for f in findings]
    if not findings:
        rows.append(("", "", "No gaps found.", ""))
    _fill(sheet, rows, header_row=1)
    _finish(sheet, rows, header_row=1, frozen="A2")


# Cells and layout


def _fill(sheet: Any, rows: list[tuple[str, ...]], header_row: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    top = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column)
            cell.value = value
            cell.data_type = "s"  # text, never a formula: a name that starts with "=" stays a name
            cell.alignment = top
            if number == header_row:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor=HEADER_FILL)


def _colour_id_cell(cell: Any, persona: Persona) -> None:
    from openpyxl.styles import Font, PatternFill

    cell.fill = PatternFill("solid", fgColor=persona.colour.hex)
    cell.font = Font(bold=True, color=text_on(persona.colour.hex, "1A1A1A", "FFFFFF"))


def _finish(sheet: Any, rows: list[tuple[str, ...]], header_row: int, frozen: str) -> None:
    """Frozen header (and name columns), a filter over the table, widths from the content."""
    from openpyxl.utils import get_column_letter

    width = max(len(row) for row in rows)
    last = sheet.max_row
    sheet.freeze_panes = frozen
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{last}"
    for column in range(1, width + 1):
        longest = max((_longest_line(row[column - 1]) for row in rows if column <= len(row)), default=0)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


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
