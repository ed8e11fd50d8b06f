"""Safe YAML reading that remembers where every key and value stands.

The deck format reads every scalar as the text the user wrote (no YAML 1.1 booleans, no
sexagesimal numbers), and forbids anchors, aliases, tags and duplicate keys. PyYAML's
parser gives events with marks; this module builds them into plain Python values (dicts,
lists, strings and ``None``) plus a table of positions keyed by path, so that later stages
can point at the exact value a problem concerns.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.composer
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .. import limits
from ..diagnostics import Position, Report

PathKey = tuple[str | int, ...]
MAX_FILE_BYTES = limits.DECK_BYTES
MAX_DEPTH = 40
_NULLS = {"", "~", "null", "Null", "NULL"}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_HEX_COMMENT = re.compile(r"\s*:\s+(#[0-9A-Fa-f]{6})\b")


@dataclass
class Document:
    """A YAML document read into plain values, with positions by path."""

    file: str
    data: Any
    value_positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list, repr=False)

    def position(self, path: PathKey) -> Position:
        """Where the value at *path* starts, or the nearest enclosing value found."""
        for end in range(len(path), -1, -1):
            found = self.value_positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return Position(1, 1)

    def key_position(self, path: PathKey) -> Position:
        """Where the key of the mapping entry at *path* stands (its value if no key)."""
        return self.key_positions.get(tuple(path)) or self.position(path)

    def nearest_path(self, loc: tuple) -> PathKey:
        """The longest prefix of *loc* (skipping unknown parts) that names a real value."""
        path: list[str | int] = []
        for part in loc:
            candidate = (*path, part)
            if candidate in self.value_positions:
                path.append(part)
        return tuple(path)


class DocumentView(Document):
    """Part of a document, validated on its own: positions are looked up in the whole.

    Section options, for example, are validated by their own model; their errors must
    still point into the deck file. Lookups are prefixed, not copied, so a view costs the
    same however large the deck is.
    """

    def __init__(self, whole: Document, prefix: PathKey, data: Any):
        super().__init__(whole.file, data, lines=whole.lines)
        self._whole = whole
        self._prefix = tuple(prefix)

    def position(self, path: PathKey) -> Position:
        return self._whole.position((*self._prefix, *path))

    def key_position(self, path: PathKey) -> Position:
        return self._whole.key_position((*self._prefix, *path))

    def nearest_path(self, loc: tuple) -> PathKey:
        return self._whole.nearest_path((*self._prefix, *loc))[len(self._prefix) :]


def _pos(mark: Any) -> Position:
    """The 1-based position of a parser mark (libyaml's or PyYAML's; none: the start)."""
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


try:  # libyaml's parser is several times faster than PyYAML's own
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader  # type: ignore[misc,assignment]


class _TooDeep(Exception):
    """Reading stops: the file nests too deeply (already reported)."""


class _Builder:
    """Builds plain values straight from parser events, noting where each one stands.

    No node tree is composed and no tags are resolved: every scalar stays the text
    written. Anchors, aliases and tags are reported instead of being applied; subtrees
    that cannot be used (a duplicate key's value, anything nested too deeply) are
    skipped event by event, so depth never exhausts the stack.
    """

    def __init__(self, text: str, doc: Document, report: Report):
        self._parser = _Parser(text)
        self._doc = doc
        self._report = report

    def document(self) -> tuple[bool, Any]:
        """Whether the stream holds a document, and its value. Raises ``yaml.YAMLError``."""
        parser = self._parser
        parser.get_event()  # stream start
        if parser.check_event(StreamEndEvent):
            return False, None
        parser.get_event()  # document start
        first: Any = parser.peek_event()
        value = self._value((), 0)
        parser.get_event()  # document end
        if not parser.check_event(StreamEndEvent):
            extra: Any = parser.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                extra.start_mark,
            )
        return True, value

    def _value(self, path: PathKey, depth: int) -> Any:
        event: Any = self._parser.get_event()
        self._doc.value_positions[path] = _pos(event.start_mark)
        if isinstance(event, ScalarEvent):
            self._check_decorations(event)
            if depth > MAX_DEPTH:
                return self._too_deep(event)
            return None if not event.style and event.value in _NULLS else event.value
        if isinstance(event, AliasEvent):
            self._error(event, f"alias `*{event.anchor}` is not allowed; write the value out in full")
            return None
        self._check_decorations(event)
        if depth > MAX_DEPTH:
            return self._too_deep(event)
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            while not self._parser.check_event(SequenceEndEvent):
                items.append(self._value((*path, len(items)), depth + 1))
            self._parser.get_event()
            return items
        return self._mapping(path, depth)

    def _mapping(self, path: PathKey, depth: int) -> dict:
        parser, doc = self._parser, self._doc
        result: dict[str, Any] = {}
        while not parser.check_event(MappingEndEvent):
            key: Any = parser.get_event()
            if isinstance(key, AliasEvent):
                self._error(key, f"alias `*{key.anchor}` is not allowed; write the value out in full")
                self._skip()
                continue
            self._check_decorations(key)
            if not isinstance(key, ScalarEvent):
                self._error(key, "a key must be plain text")
                self._skip(key)
                self._skip()
                continue
            if key.value == "<<" and not key.style:
                self._error(key, "merge keys (`<<`) are not allowed")
                self._skip()
                continue
            if key.value in result:
                first = doc.key_positions[path + (key.value,)]
                self._error(key, f"duplicate key `{key.value}` (first given at line {first.line})")
                self._skip()
                continue
            doc.key_positions[path + (key.value,)] = _pos(key.start_mark)
            self._check_hex_comment(key, parser.peek_event())
            result[key.value] = self._value((*path, key.value), depth + 1)
        parser.get_event()
        return result

    def _check_decorations(self, event) -> None:
        if event.anchor is not None:
            self._error(event, f"anchor `&{event.anchor}` is not allowed; write each value out in full")
        if event.tag not in (None, "!"):
            shown = event.tag.replace("tag:yaml.org,2002:", "!!")
            self._error(event, f"tag `{shown}` is not allowed; deck files hold plain values only")

    def _check_hex_comment(self, key: Any, value: Any) -> None:
        """``colour: #002060`` is a key with a comment, not a colour: say so."""
        if not (isinstance(value, ScalarEvent) and not value.style and value.value == ""):
            return
        line_index = key.end_mark.line
        if line_index >= len(self._doc.lines):
            return
        match = _HEX_COMMENT.match(self._doc.lines[line_index][key.end_mark.column :])
        if match:
            column = key.end_mark.column + match.start(1) + 1
            self._report.error(
                self._doc.file,
                Position(line_index + 1, column),
                f"`{match.group(1)}` here is a YAML comment, so the value is empty; "
                f'quote the colour: "{match.group(1)}"',
                "CF402",
            )

    def _too_deep(self, event) -> None:
        """Stop reading: nothing that nests this deeply is a deck, and libyaml's scanner
        spends time in proportion to the depth on every further token (a 40 KB line of
        `{` took seconds)."""
        self._error(event, f"the file nests more than {MAX_DEPTH} levels deep, too deeply to be a deck")
        raise _TooDeep

    def _skip(self, started=None) -> None:
        """Consume one value's events: the rest of *started*'s, or the next value's."""
        depth = 0
        event = started if started is not None else self._parser.get_event()
        while True:
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    self._too_deep(event)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if depth == 0:
                return
            event = self._parser.get_event()

    def _error(self, event, message: str) -> None:
        self._report.error(self._doc.file, _pos(event.start_mark), message, "CF402")


def read_yaml(raw: bytes, file: str, report: Report) -> Document | None:
    """Compose *raw* bytes into a :class:`Document`, or report why it cannot be read."""
    text = _decode(raw, file, report)
    if text is None:
        return None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        report.error(
            file, Position(1, 1), "the file is empty; `cardforge init FILE` writes a starter deck", "CF401"
        )
        return None
    if _report_tabs(text, file, report):
        return None
    document = Document(file, None, lines=text.splitlines())
    try:
        found, document.data = _Builder(text, document, report).document()
    except yaml.MarkedYAMLError as exc:
        if not _report_hex_in_flow(text, file, report):
            position, message = _yaml_problem(exc)
            report.error(file, position, message, "CF402")
        return None
    except yaml.YAMLError as exc:  # the reader's own complaints carry no problem mark
        report.error(file, Position(1, 1), f"invalid YAML: {exc}", "CF402")
        return None
    except _TooDeep:
        return None
    if not found:
        report.error(
            file, Position(1, 1), "the file is empty; `cardforge init FILE` writes a starter deck", "CF401"
        )
        return None
    return document


def _decode(raw: bytes, file: str, report: Report) -> str | None:
    if len(raw) > MAX_FILE_BYTES:
        report.error(
            file,
            Position(1, 1),
            f"the file is {len(raw):,} bytes; a deck may be at most {MAX_FILE_BYTES:,} bytes",
            "CF410",
        )
        return None
    encoding = _wide_encoding(raw)
    if encoding is not None:
        report.error(file, Position(1, 1), f"the file is {encoding} encoded; save it as UTF-8", "CF401")
        return None
    if b"\x00" in raw:
        report.error(
            file, Position(1, 1), "this is a binary file, not a YAML deck (it contains NUL bytes)", "CF401"
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        report.error(
            file,
            Position(line, column),
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            "CF401",
        )
        return None
    found = _CONTROL.search(text)
    if found is not None:
        bad = found.group()
        offset = found.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        report.error(
            file,
            Position(line, column),
            f"control character U+{ord(bad):04X} is not allowed in a deck file",
            "CF401",
        )
        return None
    return text


def _wide_encoding(raw: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when *raw* looks like text in one of them (by its byte
    order mark, or by the zero bytes of ASCII text), else ``None``.

    UTF-32's little-endian mark begins with UTF-16's, so it is tested first.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = raw[:4]
    if len(head) == 4 and (head[1:] == b"\0\0\0" or head[:3] == b"\0\0\0") and head.count(0) == 3:
        return "UTF-32"
    if raw[:2].count(0) == 1:
        return "UTF-16"
    return None


def _report_tabs(text: str, file: str, report: Report) -> bool:
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            column = indent.index("\t") + 1
            report.error(
                file, Position(number, column), "tab used for indentation; indent with spaces", "CF402"
            )
            found = True
    return found


_VALUE_HEX = re.compile(r":[ \t]+(#[0-9A-Fa-f]{6})\b")
_UNCLOSED = {"flow sequence": ("list", "[", "]"), "flow mapping": ("mapping", "{", "}")}


def _report_hex_in_flow(text: str, file: str, report: Report) -> bool:
    """``{colour: #002060}``: the comment swallows the closing brace. Say so, where it is."""
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        colour = _flow_hex(line)
        if colour is not None:
            report.error(
                file,
                Position(number, colour[0] + 1),
                f"`{colour[1]}` here starts a YAML comment that hides the rest of the line; "
                f'quote the colour: "{colour[1]}"',
                "CF402",
            )
            found = True
    return found


def _flow_hex(line: str) -> tuple[int, str] | None:
    """The column and text of the first ``key: #RRGGBB`` inside a flow collection on *line*.

    The colour must follow a `{` or `[` with no `#` between them (a `#` starts a comment).
    Each part of the line is looked at once: a 40 KB line of brackets takes as long as
    any other 40 KB line (a backtracking pattern took seconds per line).
    """
    previous_hash = 0
    for match in _VALUE_HEX.finditer(line):
        start = match.start(1)
        segment_start = line.rfind("#", previous_hash, start) + 1 or previous_hash
        if "{" in line[segment_start:start] or "[" in line[segment_start:start]:
            return start, match.group(1)
        previous_hash = start + 1
    return None


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[Position, str]:
    context = exc.context or ""
    for kind, (noun, opener, closer) in _UNCLOSED.items():
        if kind in context and exc.context_mark is not None and "expected" in (exc.problem or ""):
            return _pos(
                exc.context_mark
            ), f"the {noun} opened here with `{opener}` is not closed; add `{closer}`"
    return _pos(exc.problem_mark or exc.context_mark), _yaml_message(exc)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if "expected a single document" in (exc.context or ""):
        return "only one YAML document is allowed in a file (remove the second `---`)"
    if "mapping values are not allowed" in problem:
        return "unexpected `:`; quote text that contains `: `"
    if "could not find expected ':'" in problem:
        return "expected `key: value` here; check the indentation or quote the text"
    if "found character" in problem and "cannot start any token" in problem:
        return f"invalid YAML: {problem}; quote the value"
    opened = exc.context_mark
    where = f" (in what starts at line {opened.line + 1}, column {opened.column + 1})" if opened else ""
    return f"invalid YAML: {problem}{where}"
