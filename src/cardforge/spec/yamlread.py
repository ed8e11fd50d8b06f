"""Safe YAML reading that remembers where every key and value stands.

The deck format reads every scalar as the text the user wrote (no YAML 1.1 booleans, no
sexagesimal numbers), and forbids anchors, aliases, tags and duplicate keys. PyYAML's
composer gives nodes with marks; this module walks them into plain Python values (dicts,
lists, strings and ``None``) plus a table of positions keyed by path, so that later stages
can point at the exact value a problem concerns.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any, Union

import yaml
import yaml.composer
import yaml.resolver
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Position, Report

PathKey = tuple[Union[str, int], ...]
MAX_FILE_BYTES = 2 * 1024 * 1024
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
        path: list[Union[str, int]] = []
        for part in loc:
            candidate = (*path, part)
            if candidate in self.value_positions:
                path.append(part)
        return tuple(path)


def _pos(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


try:  # libyaml's parser is several times faster; the composing stays in Python
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

if CParser is not None:

    class _Base(CParser, yaml.composer.Composer, yaml.resolver.Resolver):  # type: ignore[misc]
        def __init__(self, text: str):
            CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def get_single_node(self):  # the Python composer, so that compose_node below is used
            return yaml.composer.Composer.get_single_node(self)

        def dispose(self) -> None:
            pass

else:  # pragma: no cover
    _Base = yaml.SafeLoader  # type: ignore[misc,assignment]


class _Composer(_Base):  # type: ignore[misc,valid-type]
    """A loader used only to compose nodes; reports forbidden constructs instead of raising."""

    def __init__(self, text: str, file: str, report: Report):
        super().__init__(text)
        self._file = file
        self._report = report

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.get_event()
            self._report.error(
                self._file,
                _pos(event.start_mark),
                f"alias `*{event.anchor}` is not allowed; write the value out in full",
            )
            return ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor is not None:
                self._report.error(
                    self._file,
                    _pos(event.start_mark),
                    f"anchor `&{event.anchor}` is not allowed; write each value out in full",
                )
                event.anchor = None
            if event.tag not in (None, "!"):
                shown = event.tag.replace("tag:yaml.org,2002:", "!!")
                self._report.error(
                    self._file,
                    _pos(event.start_mark),
                    f"tag `{shown}` is not allowed; deck files hold plain values only",
                )
                event.tag = None
        return super().compose_node(parent, index)


def read_yaml(raw: bytes, file: str, report: Report) -> Document | None:
    """Compose *raw* bytes into a :class:`Document`, or report why it cannot be read."""
    text = _decode(raw, file, report)
    if text is None:
        return None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        report.error(file, Position(1, 1), "the file is empty; `cardforge init FILE` writes a starter deck")
        return None
    if _report_tabs(text, file, report):
        return None
    composer = _Composer(text, file, report)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if not _report_hex_in_flow(text, file, report):
            position, message = _yaml_problem(exc)
            report.error(file, position, message)
        return None
    except RecursionError:
        report.error(file, Position(1, 1), "the file nests too deeply to be a deck")
        return None
    except yaml.YAMLError as exc:  # the reader's own complaints carry no problem mark
        report.error(file, Position(1, 1), f"invalid YAML: {exc}")
        return None
    finally:
        composer.dispose()
    if node is None:
        report.error(file, Position(1, 1), "the file is empty; `cardforge init FILE` writes a starter deck")
        return None
    document = Document(file, None, lines=text.splitlines())
    document.data = _walk(node, (), document, report, depth=0)
    return document


def _decode(raw: bytes, file: str, report: Report) -> str | None:
    if len(raw) > MAX_FILE_BYTES:
        report.error(
            file,
            Position(1, 1),
            f"the file is {len(raw):,} bytes; a deck may be at most {MAX_FILE_BYTES:,} bytes",
        )
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[:2].count(0) == 1:
        report.error(file, Position(1, 1), "the file is UTF-16 encoded; save it as UTF-8")
        return None
    if b"\x00" in raw:
        report.error(file, Position(1, 1), "this is a binary file, not a YAML deck (it contains NUL bytes)")
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
        )
        return None
    return text


def _report_tabs(text: str, file: str, report: Report) -> bool:
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            column = indent.index("\t") + 1
            report.error(file, Position(number, column), "tab used for indentation; indent with spaces")
            found = True
    return found


_FLOW_HEX = re.compile(r"[{\[][^#\n]*?:\s+(#[0-9A-Fa-f]{6})\b")
_UNCLOSED = {"flow sequence": ("list", "[", "]"), "flow mapping": ("mapping", "{", "}")}


def _report_hex_in_flow(text: str, file: str, report: Report) -> bool:
    """``{colour: #002060}``: the comment swallows the closing brace. Say so, where it is."""
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FLOW_HEX.search(line)
        if match:
            report.error(
                file,
                Position(number, match.start(1) + 1),
                f"`{match.group(1)}` here starts a YAML comment that hides the rest of the line; "
                f'quote the colour: "{match.group(1)}"',
            )
            found = True
    return found


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[Position, str]:
    context = exc.context or ""
    for kind, (noun, opener, closer) in _UNCLOSED.items():
        if kind in context and exc.context_mark is not None and "expected" in (exc.problem or ""):
            return _pos(exc.context_mark), f"the {noun} opened here with `{opener}` is not closed; add `{closer}`"
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


def _walk(node: Node, path: PathKey, doc: Document, report: Report, depth: int) -> Any:
    doc.value_positions[path] = _pos(node.start_mark)
    if depth > MAX_DEPTH:
        report.error(doc.file, _pos(node.start_mark), "the file nests too deeply to be a deck")
        return None
    if isinstance(node, ScalarNode):
        if not node.style and node.value in _NULLS:
            return None
        return node.value
    if isinstance(node, SequenceNode):
        return [
            _walk(item, (*path, index), doc, report, depth + 1)
            for index, item in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        return _walk_mapping(node, path, doc, report, depth)
    return None


def _walk_mapping(node: MappingNode, path: PathKey, doc: Document, report: Report, depth: int) -> dict:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            report.error(doc.file, _pos(key_node.start_mark), "a key must be plain text")
            continue
        if key_node.value == "<<" and not key_node.style:
            report.error(doc.file, _pos(key_node.start_mark), "merge keys (`<<`) are not allowed")
            continue
        key = key_node.value
        if key in result:
            first = doc.key_positions[(*path, key)]
            report.error(
                doc.file,
                _pos(key_node.start_mark),
                f"duplicate key `{key}` (first given at line {first.line})",
            )
            continue
        doc.key_positions[(*path, key)] = _pos(key_node.start_mark)
        _report_hex_comment(key_node, value_node, doc, report)
        result[key] = _walk(value_node, (*path, key), doc, report, depth + 1)
    return result


def _report_hex_comment(key_node: Node, value_node: Node, doc: Document, report: Report) -> None:
    """``colour: #002060`` is a key with a comment, not a colour: say so."""
    if not (isinstance(value_node, ScalarNode) and not value_node.style and value_node.value == ""):
        return
    line_index = key_node.end_mark.line
    if line_index >= len(doc.lines):
        return
    rest = doc.lines[line_index][key_node.end_mark.column :]
    match = _HEX_COMMENT.match(rest)
    if match:
        column = key_node.end_mark.column + match.start(1) + 1
        report.error(
            doc.file,
            Position(line_index + 1, column),
            f"`{match.group(1)}` here is a YAML comment, so the value is empty; "
            f'quote the colour: "{match.group(1)}"',
        )
