"""Persona tables in CSV files and Excel workbooks.

CSV is read with the standard ``csv`` module (the delimiter sniffed among comma, semicolon
and tab, as European Excel writes semicolons); workbooks with openpyxl in read-only mode.
Before openpyxl sees a workbook, its bytes are checked: an encrypted (password-protected)
workbook, an old ``.xls`` file, a zip that is not a workbook, or one that unpacks to more
than :data:`~cardforge.importers.sources.MAX_UNPACKED_BYTES` is refused with the reason.

A cell's text may hold Markdown links (``[Azure Storage](https://...)``), as cardforge's
own XLSX export writes them; a cell with line breaks is a list of one item per line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Position, Report, did_you_mean
from .markdown import inline_pieces
from .records import Piece, Record, Where, fail, warn
from .rows import (
    MAX_COLUMNS,
    Cell,
    has_persona_column,
    no_persona_column,
    read_header,
    records_from_rows,
    report_header,
    too_many_columns,
)
from .sources import (
    MAX_TEXT_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_BYTES,
    check_lines,
    decode_text,
    read_capped,
)

MAX_ROWS = 5001
"""A header and as many personas as a deck may have."""
MAX_SCAN_ROWS = 20000
"""Rows of a sheet looked at, blank ones included."""
ENVIRONMENT_LABEL = "Environment"
"""Cell A1 of an RBAC sheet (cardforge's XLSX export): ``Environment | Dev``."""
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


@dataclass
class Grant:
    persona: str
    service: str
    roles: dict[str, str]
    where: Where


@dataclass
class TableSource:
    records: list[Record] = field(default_factory=list)
    title: str | None = None
    environments: list[str] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    has_rbac: bool = False


def cell_pieces(text: str) -> tuple[Piece, ...]:
    """A cell's text: Markdown links parsed where the cell has one, line breaks kept."""
    if "](" not in text and "<http" not in text:
        return (Piece(text),)
    found: list[Piece] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            found.append(Piece("\n"))
        found += inline_pieces(line) if "](" in line or "<http" in line else (Piece(line),)
    return tuple(found)


# CSV


def read_csv(path: Path, report: Report) -> TableSource:
    file = str(path)
    data = read_capped(path, MAX_TEXT_BYTES, report)
    text = decode_text(data, file, report, "\u201cCSV UTF-8 (Comma delimited)\u201d") if data else None
    if text is None or not check_lines(text, file, report):
        return TableSource()
    delimiter = _delimiter(text, path)
    rows = _csv_rows(text, delimiter, file, report)
    if rows is None or not rows:
        return TableSource()
    header, body = rows[0], rows[1:]
    columns = read_header(header)
    if not has_persona_column(columns):
        no_persona_column(columns, header[0].where, report)
        return TableSource()
    report_header(columns, report)
    return TableSource(records_from_rows(columns, body, file, report))


def _delimiter(text: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _csv_rows(text: str, delimiter: str, file: str, report: Report) -> list[list[Cell]] | None:
    """Every non-blank record with each field's line and column; ``None`` after a CSV error."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    start = 1
    try:
        for values in reader:
            positions = _field_positions("".join(lines[start - 1 : reader.line_num]), delimiter, start)
            if any(value.strip() for value in values):
                if len(rows) >= MAX_ROWS:
                    report.error(file, Position(start, 1), _too_many_rows(), "CF501")
                    return None
                if len(values) > MAX_COLUMNS:
                    report.error(file, Position(start, 1), too_many_columns(len(values)), "CF501")
                    return None
                rows.append(
                    [
                        Cell(
                            cell_pieces(value),
                            Where(file, positions[i] if i < len(positions) else Position(start, 1)),
                        )
                        for i, value in enumerate(values)
                    ]
                )
            start = reader.line_num + 1
    except csv.Error as error:
        report.error(file, Position(reader.line_num or 1, 1), f"this is not readable CSV: {error}", "CF501")
        return None
    return rows


def _field_positions(record: str, delimiter: str, first_line: int) -> list[Position]:
    """Where each field of one CSV record starts (quotes respected, line breaks in cells too)."""
    positions = [Position(first_line, 1)]
    line, column, quoted = first_line, 1, False
    for char in record.rstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif char == "\n":
            line, column = line + 1, 0
        elif char == delimiter and not quoted:
            positions.append(Position(line, column + 1))
        column += 1
    return positions


def _too_many_rows() -> str:
    return f"the table has more than {MAX_ROWS - 1:,} rows; a deck holds at most {MAX_ROWS - 1:,} personas"


# Workbooks


def read_workbook(path: Path, sheet: str | None, report: Report) -> TableSource:
    file = str(path)
    data = read_capped(path, MAX_WORKBOOK_BYTES, report)
    if data is None or not _workbook_ok(data, file, report):
        return TableSource()
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on damaged parts; all mean "cannot open"
        report.error(file, Position(1, 1), f"the workbook is damaged and cannot be opened ({error})", "CF502")
        return TableSource()
    try:
        return _read_book(book, file, sheet, report)
    finally:
        book.close()


def _workbook_ok(data: bytes, file: str, report: Report) -> bool:
    """Refuse what openpyxl would fail on or must not unpack, saying what the file is."""
    if data.startswith(_CFB_MAGIC):
        if any(stream in data for stream in _ENCRYPTED_STREAMS):
            message = (
                "the workbook is password-protected (encrypted); save a copy without a password "
                "(File > Info > Protect Workbook > Encrypt with Password, clear it) and import that"
            )
        else:
            message = "this is an old Excel 97-2003 (.xls) file; save it as an Excel Workbook (.xlsx)"
        report.error(file, Position(1, 1), message, "CF502")
        return False
    if not data.startswith(b"PK"):
        report.error(
            file,
            Position(1, 1),
            "this is not an Excel workbook (an .xlsx file is a zip package); "
            "save it from Excel as an Excel Workbook (.xlsx), or import a .csv or .md file instead",
            "CF502",
        )
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            unpacked = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile as error:
        report.error(file, Position(1, 1), f"the workbook is damaged and cannot be opened ({error})", "CF502")
        return False
    if "xl/workbook.xml" not in names:
        kind = "a Word document" if "word/document.xml" in names else None
        kind = kind or ("a PowerPoint presentation" if "ppt/presentation.xml" in names else "a zip file")
        report.error(
            file, Position(1, 1), f"this is {kind}, not an Excel workbook; import an .xlsx file", "CF502"
        )
        return False
    if unpacked > MAX_UNPACKED_BYTES:
        report.error(
            file,
            Position(1, 1),
            f"the workbook unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are read; "
            "delete unused sheets or import a CSV of the persona sheet",
            "CF501",
        )
        return False
    return True


def _read_book(book: Any, file: str, sheet: str | None, report: Report) -> TableSource:
    names = list(book.sheetnames)
    if sheet is not None and sheet not in names:
        folded = {name.casefold(): name for name in names}
        if sheet.casefold() not in folded:
            hint = did_you_mean(sheet, names) or f"; the sheets are {', '.join(names)}"
            report.error(file, Position(1, 1), f"the workbook has no sheet `{sheet}`{hint}", "CF502")
            return TableSource()
        sheet = folded[sheet.casefold()]
    chosen = sheet or names[0]
    rows = _sheet_rows(book[chosen], chosen, file, report)
    source = TableSource(title=book.properties.title if book.properties else None)
    if rows is None:
        return source
    if not rows:
        report.error(
            file,
            Position(1, 1),
            f"the sheet `{chosen}` is empty; name the persona sheet with --sheet",
            "CF504",
        )
        return source
    header, body = rows[0], rows[1:]
    columns = read_header(header)
    if not has_persona_column(columns):
        others = [n for n in names if n != chosen]
        hint = (
            f" or choose the persona sheet with --sheet (the others are {', '.join(others)})"
            if others
            else ""
        )
        no_persona_column(columns, header[0].where, report, hint)
        return source
    report_header(columns, report)
    source.records = records_from_rows(columns, body, f"{file} {chosen}", report)
    for name in names:
        if name != chosen:
            _read_rbac_sheet(book[name], name, file, source, report)
    return source


def _sheet_rows(sheet: Any, name: str, file: str, report: Report) -> list[list[Cell]] | None:
    """The sheet's non-blank rows as cells. The scan is bounded: a sheet whose recorded size
    is a million rows by 16,384 columns (one stray cell far away) is not walked cell by cell."""
    if not hasattr(sheet, "iter_rows"):
        report.error(
            file,
            Position(1, 1),
            f"the sheet `{name}` is a chart, not a table; name the persona sheet with --sheet",
            "CF502",
        )
        return None
    rows: list[list[Cell]] = []
    scan = sheet.iter_rows(max_row=MAX_SCAN_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True)
    for number, values in enumerate(scan, start=1):
        if values.count(None) == len(values):
            continue  # a blank row, skipped without looking at each cell
        texts = [_cell_text(value) for value in values]
        while texts and not texts[-1]:
            texts.pop()
        if not texts:
            continue
        problem = None
        if number > MAX_SCAN_ROWS:
            problem = f"the sheet goes on past row {MAX_SCAN_ROWS:,}; delete the rows below the persona table"
        elif len(rows) >= MAX_ROWS:
            problem = _too_many_rows()
        elif len(texts) > MAX_COLUMNS:
            problem = (
                f"the sheet has text right of column {MAX_COLUMNS}; at most {MAX_COLUMNS} columns are read"
            )
        if problem:
            fail(
                report,
                Where(file, Position(number, len(texts)), cell_name(name, number, len(texts))),
                problem,
                "CF501",
            )
            return None
        rows.append(
            [
                Cell(
                    cell_pieces(text), Where(file, Position(number, column), cell_name(name, number, column))
                )
                for column, text in enumerate(texts, start=1)
            ]
        )
    _warn_unread_part(sheet, name, file, report)
    return rows


def _warn_unread_part(sheet: Any, name: str, file: str, report: Report) -> None:
    """Say so when the sheet records cells beyond what was read (often one stray cell)."""
    from openpyxl.utils import get_column_letter

    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_SCAN_ROWS or columns > MAX_COLUMNS + 1:
        warn(
            report,
            Where(file, Position(1, 1), cell_name(name, 1, 1)),
            f"the sheet reaches {get_column_letter(columns)}{rows}, so only rows up to {MAX_SCAN_ROWS:,} and "
            f"columns up to {get_column_letter(MAX_COLUMNS + 1)} are read; delete what lies beyond the table",
            "CF559",
        )


def cell_name(sheet: str, row: int, column: int) -> str:
    """``Personas!B3``; a sheet name with spaces or punctuation quoted as Excel does."""
    from openpyxl.utils import get_column_letter

    shown = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{shown}!{get_column_letter(column)}{row}"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _read_rbac_sheet(sheet: Any, name: str, file: str, source: TableSource, report: Report) -> None:
    """An RBAC sheet as cardforge exports it: ``Environment | Dev``, then ID, Persona and a
    column per service holding the role. Other sheets are left unread."""
    first: tuple[Any, ...] = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    if len(first) < 2 or _cell_text(first[0]).casefold() != ENVIRONMENT_LABEL.casefold():
        return
    rows = _sheet_rows(sheet, name, file, report)
    if not rows or len(rows[0]) < 2:
        return
    environment = rows[0][1].text
    source.has_rbac = True
    if environment and environment not in source.environments:
        source.environments.append(environment)
    header = rows[1] if len(rows) > 1 else []
    by_key = {(g.persona.casefold(), g.service.casefold()): g for g in source.grants}
    for row in rows[2:]:
        persona = row[0].text if row else ""
        if not persona:
            continue
        for index, cell in enumerate(row[2:], start=2):
            role = cell.text
            if not role or role in ("-", "–", "—") or index >= len(header) or not header[index].text:
                continue
            service = header[index].text
            grant = by_key.get((persona.casefold(), service.casefold()))
            if grant is None:
                grant = by_key[(persona.casefold(), service.casefold())] = Grant(
                    persona, service, {}, cell.where
                )
                source.grants.append(grant)
            grant.roles[environment] = role
