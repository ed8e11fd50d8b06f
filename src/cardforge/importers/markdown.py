"""Persona tables and persona cards in Markdown, read with a CommonMark parser.

markdown-it-py (CommonMark with its table extension) parses the file; this module walks
the syntax tree. Three shapes are recognised, in any mix and any number per file:

- a **persona table**: a table with a column that names personas;
- a **persona card**: a heading (``### Persona Template Card: BI Analyst``, or a title such
  as ``# AI Data Engineer (P001 | Dark Blue)``) followed by labelled lines
  (``* **Team**: ...``), a two-column field table, or sub-headings per field with lists;
- cardforge's own Markdown export, which is both of the above.

Positions come from the parser's line maps; a table cell's column is found on its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..diagnostics import Position, Report
from ..export.markdown import ROLES
from .mapping import map_label
from .records import Entry, Piece, Record, Where, fail, warn
from .rows import (
    MAX_COLUMNS,
    Cell,
    has_persona_column,
    mapped_count,
    no_persona_column,
    read_header,
    records_from_rows,
    report_header,
    too_many_columns,
)
from .values import card_heading, plain, split_title

_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:(?:[-*+]|\d{1,9}[.)])\s+|#{1,6}\s+)?")
_MAX_LABEL = 60
CARD_FIELDS_WITHOUT_NAME = 3
"""Labelled lines under a plain heading that make it a card even without a Name line."""


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # Keep link targets as written (only spaces encoded): percent-encoding every non-ASCII
    # character would change the links a deck round-trips through its own Markdown export.
    md.normalizeLink = lambda url: url.replace(" ", "%20")  # type: ignore[method-assign]
    return md


@dataclass
class MarkdownSource:
    """What one Markdown file holds."""

    records: list[Record] = field(default_factory=list)
    title: str | None = None
    """The first top-level heading that is not a persona card."""


@dataclass
class _Section:
    heading: SyntaxTreeNode | None
    level: int
    body: list[SyntaxTreeNode] = field(default_factory=list)


def read_markdown(path: Path, text: str, report: Report) -> MarkdownSource:
    file = str(path)
    lines = text.split("\n")
    root = SyntaxTreeNode(parser().parse(text))
    sections = _sections(root)
    source = MarkdownSource()
    reader = _Reader(file, lines, report)
    index = 0
    while index < len(sections):
        section = sections[index]
        end = index + 1
        if reader.is_card(section):
            while end < len(sections) and sections[end].level > section.level:
                end += 1
            source.records.append(reader.card(section, sections[index + 1 : end]))
        else:
            if section.heading is not None and section.level == 1 and source.title is None:
                source.title = plain(pieces(section.heading.children[0])) or None
            for node in section.body:
                if node.type == "table":
                    source.records += reader.table(node)
        index = end
    return source


def _sections(root: SyntaxTreeNode) -> list[_Section]:
    sections = [_Section(None, 0)]
    for node in root.children:
        if node.type == "heading":
            sections.append(_Section(node, int(node.tag[1])))
        else:
            sections[-1].body.append(node)
    return sections


def pieces(node: SyntaxTreeNode) -> tuple[Piece, ...]:
    """Inline content as text runs and links; line breaks (and ``<br>``) as ``"\\n"``."""
    return _pieces(node.children)


def _pieces(nodes: list[SyntaxTreeNode]) -> tuple[Piece, ...]:
    found: list[Piece] = []
    for child in nodes:
        kind = child.type
        if kind in ("text", "code_inline"):
            found.append(Piece(child.content))
        elif kind == "softbreak":
            found.append(Piece("\n", soft=True))
        elif kind == "hardbreak" or (kind == "html_inline" and _BREAK.match(child.content.strip())):
            found.append(Piece("\n"))
        elif kind == "link":
            text, href = plain(pieces(child)), str(child.attrs.get("href", ""))
            if _roles_link(text, href, found):
                continue
            found.append(Piece(text, href))
        elif kind == "image":
            found.append(Piece(child.content))
        elif kind != "html_inline":
            found += pieces(child)
    return tuple(found)


def _roles_link(text: str, href: str, before: list[Piece]) -> bool:
    """Whether a link is the export's " · [roles](pages/...)" after a service (dropped, with
    its separator): it points at the site's own page of roles, not at the service."""
    if text != ROLES or ":" in href or not before or not before[-1].text.endswith(" · "):
        return False
    last = before.pop()
    if last.text != " · ":
        before.append(Piece(last.text.removesuffix(" · "), last.url))
    return True


def inline_pieces(text: str) -> tuple[Piece, ...]:
    """One line of Markdown inline text (a table cell the parser dropped) as pieces."""
    root = SyntaxTreeNode(parser().parseInline(text))
    return pieces(root.children[0]) if root.children else ()


def _lines_of(node: SyntaxTreeNode) -> list[list[SyntaxTreeNode]]:
    """An inline node's children split at line breaks."""
    lines: list[list[SyntaxTreeNode]] = [[]]
    for child in node.children:
        if child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and _BREAK.match(child.content.strip())
        ):
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _label(line: list[SyntaxTreeNode]) -> tuple[str, tuple[Piece, ...]] | None:
    """``**Team**: AI Team`` or ``Team: AI Team`` -> ("Team", pieces of "AI Team")."""
    children = [c for c in line if not (c.type == "text" and not c.content)]
    if not children:
        return None
    first = children[0]
    if first.type == "strong":
        label = plain(pieces(first))
        rest = _pieces(children[1:])
        if label.endswith(":"):
            label = label[:-1].strip()
        elif not (rest and rest[0].url is None and rest[0].text.lstrip().startswith(":")):
            return None
        return (label, _drop_colon(rest)) if label and len(label) <= _MAX_LABEL else None
    if first.type == "text" and ":" in first.content:
        label, _, after = first.content.partition(":")
        label = label.strip()
        if not label or len(label) > _MAX_LABEL or map_label(label, keywords=False) is None:
            return None
        return label, (Piece(after),) + _pieces(children[1:])
    return None


def _drop_colon(rest: tuple[Piece, ...]) -> tuple[Piece, ...]:
    if rest and rest[0].url is None:
        text = rest[0].text.lstrip()
        text = text[1:] if text.startswith(":") else text
        return (Piece(text),) + rest[1:]
    return rest


class _Reader:
    def __init__(self, file: str, lines: list[str], report: Report):
        self.file = file
        self.lines = lines
        self.report = report

    def where(self, line_index: int, column: int | None = None) -> Where:
        """Line *line_index* (0-based), at *column* or where its text starts after any list marker."""
        text = self.lines[line_index] if line_index < len(self.lines) else ""
        if column is None:
            marker = _MARKER.match(text)
            column = marker.end() + 1 if marker else 1
        return Where(self.file, Position(line_index + 1, column))

    # Cards

    def is_card(self, section: _Section) -> bool:
        """A card heading, or a heading (or the start of the file) followed by card lines."""
        if section.heading is not None:
            text, prefixed = card_heading(plain(pieces(section.heading.children[0])))
            if prefixed or split_title(text).id:
                return True
        labels = [entry.key for entry in self._body_entries(section.body) if entry.key]
        if section.heading is None:
            return "name" in labels
        return "name" in labels or "id" in labels or len(labels) >= CARD_FIELDS_WITHOUT_NAME

    def card(self, section: _Section, subsections: list[_Section]) -> Record:
        entries = self._body_entries(section.body)
        for sub in subsections:
            entries += self._subsection(sub)
        block = f"{self.file} cards"
        if section.heading is None:  # a file that is one card without a heading
            return Record("card", entries[0].where, block, entries)
        heading_where = self.where(section.heading.map[0] if section.heading.map else 0)
        heading, _ = card_heading(plain(pieces(section.heading.children[0])))
        return Record("card", heading_where, block, entries, heading=heading)

    def _body_entries(self, body: list[SyntaxTreeNode]) -> list[Entry]:
        entries: list[Entry] = []
        for node in body:
            if node.type in ("bullet_list", "ordered_list"):
                if entries and not entries[-1].pieces and not entries[-1].items and entries[-1].label:
                    entries[-1].items = tuple(self._list_items(node))  # "**Learn**:" then a list
                else:
                    entries += self._labelled_list(node)
            elif node.type == "paragraph":
                entries += self._paragraph_entries(node)
            elif node.type == "table":
                entries += self._field_table(node)
            elif node.map:
                entries.append(self._loose_text(node))
        return [_mapped(entry) for entry in entries]

    def _labelled_list(self, node: SyntaxTreeNode) -> list[Entry]:
        entries = []
        for item in node.children:
            paragraphs = [c for c in item.children if c.type == "paragraph"]
            nested = [c for c in item.children if c.type in ("bullet_list", "ordered_list")]
            where = self.where(item.map[0] if item.map else 0)
            sub_items = tuple(i for lst in nested for i in self._list_items(lst))
            if not paragraphs:
                entries.append(Entry("", where, (), sub_items))
                continue
            lines = _lines_of(paragraphs[0].children[0])
            labelled = _label(lines[0])
            rest = tuple(p for line in lines[1:] for p in (Piece("\n", soft=True), *_pieces(line)))
            if labelled is None:
                entries.append(Entry("", where, _pieces(lines[0]) + rest, sub_items))
            else:
                entries.append(Entry(labelled[0], where, labelled[1] + rest, sub_items))
        return entries

    def _list_items(self, node: SyntaxTreeNode) -> list[tuple[Piece, ...]]:
        """Every item of a list, nested lists flattened, each as its inline pieces."""
        found = []
        for item in node.children:
            for child in item.children:
                if child.type == "paragraph":
                    found.append(pieces(child.children[0]))
                elif child.type in ("bullet_list", "ordered_list"):
                    found += self._list_items(child)
        return found

    def _paragraph_entries(self, node: SyntaxTreeNode) -> list[Entry]:
        """``**Name**: X`` lines in a paragraph, one entry each; other lines as plain text."""
        start = node.map[0] if node.map else 0
        entries = []
        for offset, line in enumerate(_lines_of(node.children[0])):
            labelled = _label(line)
            where = self.where(start + offset)
            if labelled is None:
                entries.append(Entry("", where, _pieces(line)))
            else:
                entries.append(Entry(labelled[0], where, labelled[1]))
        return entries

    def _field_table(self, node: SyntaxTreeNode) -> list[Entry]:
        """A two-column field table (``| **Team** | AI Team |``); the header too when it is a field."""
        header = [plain(pieces(th.children[0])) for th in node.children[0].children[0].children]
        if len(header) != 2 or all(map_label(label, keywords=False) for label in header):
            return [self._loose_text(node)]  # a table of several personas, not one persona's fields
        entries = []
        for row in node.children[0].children + (node.children[1].children if len(node.children) > 1 else []):
            cells = [cell.children[0] for cell in row.children]
            if len(cells) != 2 or row.map is None:
                continue
            label = plain(pieces(cells[0])).rstrip(":").strip()
            if row.parent is not None and row.parent.type == "thead" and map_label(label) is None:
                continue  # a "Field | Value" header
            columns = self.cell_columns(row.map[0])
            column = columns[1] if len(columns) > 1 else None
            value = pieces(cells[1])
            entries.append(Entry(label, self.where(row.map[0], column), value))
        return entries

    def _loose_text(self, node: SyntaxTreeNode) -> Entry:
        start, end = node.map or (0, 0)
        text = "\n".join(line.strip() for line in self.lines[start:end]).strip()
        return Entry("", self.where(start), (Piece(text),))

    def _subsection(self, section: _Section) -> list[Entry]:
        """A field written as a sub-heading (``## Skills``) with a list or paragraphs below."""
        assert section.heading is not None
        label = plain(pieces(section.heading.children[0]))
        where = self.where(section.heading.map[0] if section.heading.map else 0)
        if map_label(label) is None:
            inner = self._body_entries(section.body)
            if any(entry.key for entry in inner):
                return inner
        texts: list[Piece] = []
        items: list[tuple[Piece, ...]] = []
        for node in section.body:
            if node.type in ("bullet_list", "ordered_list"):
                items += self._list_items(node)
            elif node.type == "paragraph":
                if texts:
                    texts.append(Piece("\n\n"))
                texts += pieces(node.children[0])
            elif node.map:
                if texts:
                    texts.append(Piece("\n\n"))
                texts += self._loose_text(node).pieces
        return [_mapped(Entry(label, where, tuple(texts), tuple(items)))]

    # Persona tables

    def table(self, node: SyntaxTreeNode) -> list[Record]:
        head = node.children[0].children[0]
        header = [
            Cell(pieces(th.children[0]), self.where(head.map[0] if head.map else 0, column))
            for th, column in zip(head.children, self._padded_columns(head))
        ]
        table_where = self.where(node.map[0] if node.map else 0)
        if len(header) > MAX_COLUMNS:
            fail(self.report, table_where, too_many_columns(len(header)), "CF501")
            return []
        columns = read_header(header)
        if not has_persona_column(columns):
            if mapped_count(columns) >= 2:
                no_persona_column(columns, table_where, self.report)
            else:
                warn(
                    self.report,
                    table_where,
                    "this table names no persona fields, so it is not imported; "
                    "a persona table needs a `Persona` or `Name` column",
                    "CF558",
                )
            return []
        report_header(columns, self.report)
        body = node.children[1].children if len(node.children) > 1 else []
        rows = [self._row(tr, len(header)) for tr in body]
        return records_from_rows(columns, rows, f"{self.file}:{table_where.position.line}", self.report)

    def _row(self, tr: SyntaxTreeNode, width: int) -> list[Cell]:
        line = tr.map[0] if tr.map else 0
        raw = self.raw_cells(line)
        columns = [column for column, _ in raw]
        cells = []
        for index, td in enumerate(tr.children):
            column = columns[index] if index < len(columns) else None
            cells.append(Cell(pieces(td.children[0]), self.where(line, column)))
        for column, text in raw[width:MAX_COLUMNS]:  # the parser drops cells beyond the header's
            cells.append(Cell(inline_pieces(text) if text else (), self.where(line, column)))
        return cells

    def _padded_columns(self, row: SyntaxTreeNode) -> list[int | None]:
        columns: list[int | None] = list(self.cell_columns(row.map[0] if row.map else 0))
        return columns + [None] * (len(row.children) - len(columns))

    def cell_columns(self, line_index: int) -> list[int]:
        return [column for column, _ in self.raw_cells(line_index)]

    def raw_cells(self, line_index: int) -> list[tuple[int, str]]:
        """Each cell of a table line: the 1-based column where its text starts, and the text."""
        line = self.lines[line_index] if line_index < len(self.lines) else ""
        cells: list[tuple[int, str]] = []
        start = len(line) - len(line.lstrip())
        if line[start : start + 1] == "|":
            start += 1
        index = start
        escaped = False
        while index <= len(line):
            char = line[index] if index < len(line) else "|"
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == "|":
                text = line[start:index]
                if index < len(line) or text.strip():
                    lead = len(text) - len(text.lstrip())
                    cells.append((start + lead + 1, text.strip()))
                start = index + 1
            index += 1
        return cells


def _mapped(entry: Entry) -> Entry:
    if entry.label and entry.key is None:
        match = map_label(entry.label)
        entry.key = match.key if match else None
    return entry
