"""A persona table (Markdown, CSV or worksheet) read into records, one per row.

The header row is mapped to persona fields once; each body row becomes a
:class:`~cardforge.importers.records.Record` of the cells under mapped and unmapped
headers alike, so that nothing a row holds is lost. Cells beyond the header (a row with a
stray ``|`` or a shifted column) are kept too, and reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Report
from .mapping import Match, map_label, suggestion
from .records import Entry, Piece, Record, Where, fail, warn
from .values import plain

MAX_COLUMNS = 200
"""Columns read from one table; more is not a persona table."""


def too_many_columns(count: int) -> str:
    return f"the table has {count} columns; at most {MAX_COLUMNS} are read; delete the unused ones"


@dataclass(frozen=True)
class Cell:
    pieces: tuple[Piece, ...]
    where: Where

    @property
    def text(self) -> str:
        return plain(self.pieces)


@dataclass(frozen=True)
class Column:
    label: str
    match: Match | None
    where: Where


def read_header(header: list[Cell]) -> list[Column]:
    """The header's columns mapped to fields; a field named twice is mapped once."""
    columns: list[Column] = []
    taken: set[str] = set()
    for number, cell in enumerate(header, start=1):
        label = cell.text or f"column {number}"
        match = map_label(label) if cell.text else None
        if match is not None and match.key in taken:
            match = Match(match.key, False, repeated=True)
        elif match is not None:
            taken.add(match.key)
        columns.append(Column(label, match, cell.where))
    return columns


def report_header(columns: list[Column], report: Report) -> None:
    """Inexact, repeated and unknown column labels, each at its header cell."""
    for column in columns:
        match, label = column.match, column.label
        if match is not None and match.repeated:
            first = next(c for c in columns if c.match and c.match.key == match.key and not c.match.repeated)
            warn(
                report,
                column.where,
                f"column `{label}` names {match.label} again (column `{first.label}` does already), "
                "so its values go to the notes; merge the two columns in the source",
                "CF551",
            )
        elif match is not None and not match.exact:
            warn(
                report,
                column.where,
                f"column `{label}` read as {match.label}; rename it `{match.label}` to confirm, or after "
                "the field it holds",
                "CF552",
            )
        elif match is None:
            warn(
                report,
                column.where,
                f"column `{label}` matches no persona field, so its values go to each persona's notes; "
                + suggestion(label),
                "CF551",
            )


def _key(column: Column) -> str | None:
    return column.match.key if column.match is not None and not column.match.repeated else None


def has_persona_column(columns: list[Column]) -> bool:
    return any(_key(c) == "name" for c in columns)


def mapped_count(columns: list[Column]) -> int:
    return sum(1 for c in columns if _key(c) is not None)


def no_persona_column(columns: list[Column], where: Where, report: Report, hint: str = "") -> None:
    names = ", ".join(f"`{c.label}`" for c in columns[:12])
    fail(
        report,
        where,
        f"this table has no persona column (its columns are {names}); "
        f"name the column that holds the persona names `Persona` or `Name`{hint}",
        "CF504",
    )


def records_from_rows(
    columns: list[Column], rows: list[list[Cell]], block: str, report: Report
) -> list[Record]:
    """One record per non-blank row; a row without a persona name is an error."""
    name_index = next(i for i, c in enumerate(columns) if _key(c) == "name")
    records = []
    for row in rows:
        if not any(cell.text for cell in row):
            continue
        if len(row) > len(columns):
            _report_extra_cells(row, len(columns), report)
        name_cell = row[name_index] if name_index < len(row) else None
        if name_cell is None or not name_cell.text:
            where = name_cell.where if name_cell else row[0].where
            fail(
                report,
                where,
                f"this row has no persona name under `{columns[name_index].label}`; "
                "fill it in or delete the row",
                "CF504",
            )
            continue
        records.append(Record("row", name_cell.where, block, _entries(columns, row)))
    return records


def _entries(columns: list[Column], row: list[Cell]) -> list[Entry]:
    entries = []
    for index, cell in enumerate(row):
        if index < len(columns):
            column = columns[index]
            entries.append(Entry(column.label, cell.where, cell.pieces, (), _key(column)))
        elif cell.text:
            entries.append(Entry(f"Extra cell {index + 1}", cell.where, cell.pieces))
    return entries


def _report_extra_cells(row: list[Cell], expected: int, report: Report) -> None:
    extra = [cell for cell in row[expected:] if cell.text]
    if not extra:
        return
    warn(
        report,
        extra[0].where,
        f"this row has {expected + len(extra)} cells but the header {expected}, so the extra text "
        f"`{extra[0].text[:40]}` goes to the notes; check the row for a missing or extra separator",
        "CF557",
    )
