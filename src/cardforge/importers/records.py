"""What every source reader gives the import: labelled values, each with where it stood.

Markdown tables and cards, CSV rows and worksheet rows all become :class:`Record` objects:
one per persona as the source wrote it, holding :class:`Entry` values (a label, its inline
text and links, and any list items under it). Later stages convert, merge and write them
without knowing which kind of file they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Position, Report


@dataclass(frozen=True)
class Where:
    """A place in a source: file, line and column; in a workbook also the cell (``Personas!B3``).

    A worksheet cell is reported at its row and column number (``people.xlsx:3:2``), which
    keeps the ``FILE:LINE:COLUMN`` form, and the message starts with the cell's name.
    """

    file: str
    position: Position = Position()  # noqa: RUF009 (a NamedTuple, immutable)
    cell: str = ""

    def cite(self) -> str:
        """The place in words, for a message that points at a second place."""
        return f"{self.file} {self.cell}" if self.cell else f"{self.file}:{self.position.line}"

    def prefixed(self, message: str) -> str:
        return f"{self.cell}: {message}" if self.cell else message


def warn(report: Report, where: Where, message: str, code: str) -> None:
    report.warning(where.file, where.position, where.prefixed(message), code)


def fail(report: Report, where: Where, message: str, code: str) -> None:
    report.error(where.file, where.position, where.prefixed(message), code)


@dataclass(frozen=True)
class Piece:
    """A run of inline text, or a link: *url* is the link's target ("" for ``[name]()``)."""

    text: str
    url: str | None = None
    soft: bool = False
    """A Markdown soft line break: a new line in the source that is a space in a list."""


@dataclass
class Entry:
    """One labelled value: a table cell under its header, or a card's ``**Label**: value``."""

    label: str
    where: Where
    pieces: tuple[Piece, ...] = ()
    items: tuple[tuple[Piece, ...], ...] = ()
    """List items written under the label (a card's indented bullets), one per entry."""
    key: str | None = None
    """The persona field the label names, once mapped."""


@dataclass
class Record:
    """One persona as one source block wrote it: a table row or a persona card."""

    kind: str
    """``"row"`` or ``"card"``."""
    where: Where
    block: str
    """The table or file the record belongs to; ids must be unique within a block."""
    entries: list[Entry] = field(default_factory=list)
    heading: str | None = None
    """A card's heading, when it names the persona."""

    def describe(self) -> str:
        return f"the {'table row' if self.kind == 'row' else 'card'} at {self.where.cite()}"
