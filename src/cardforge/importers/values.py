"""Reading one value: text, comma lists with links, names with ids, ``-`` for none.

These work on one cell or one card line at a time (never on whole files): the inline
structure (links, emphasis) has already been parsed by markdown-it, so a comma inside a
link's text or inside parentheses ("Model (LLM, SLM) knowledge") does not split an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .records import Entry, Piece

NONE_MARKS = frozenset({"-", "–", "—", "--"})
"""What a source writes for "none"."""
_OPEN, _CLOSE = "([{", ")]}"
_TRAILER = re.compile(r"^(?P<name>.*?)\s*\((?P<inside>[^()]*)\)\s*$", re.S)
_CARD_PREFIX = re.compile(
    r"^\s*(?:(?:persona\s+)?(?:template\s+)?card|persona)\s*[:\-–—]\s*(?=\S)", re.IGNORECASE
)
_URL = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Item:
    """One entry of a list value: text, and the link's target when it was a link."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Title:
    """A persona name as written with its id and colour: ``BI Analyst (P003 | Purple)``."""

    name: str
    id: str | None = None
    colour: str | None = None


def clean(text: str) -> str:
    """Stray spaces removed: runs of spaces become one, each line trimmed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def plain(pieces: tuple[Piece, ...]) -> str:
    """The text of *pieces*, links shown by their text."""
    return clean("".join(piece.text for piece in pieces))


def is_none(text: str | None) -> bool:
    return text is None or not text.strip() or text.strip() in NONE_MARKS


def scalar(entry: Entry, *, multiline: bool = False) -> str | None:
    """The entry as one text (list items under it on lines of their own); ``None`` for none."""
    parts = [plain(entry.pieces)] + [plain(item) for item in entry.items]
    text = "\n".join(part for part in parts if part)
    if not multiline:
        text = " ".join(text.split())
    return None if is_none(text) else text


def items(entry: Entry) -> list[Item]:
    """The entry as a list: inline text split at top-level commas and line breaks, then
    each list item under the label as one entry; ``-`` items left out."""
    found = split_items(entry.pieces) + [one_item(item) for item in entry.items]
    return [item for item in found if not is_none(item.text)]


def split_items(pieces: tuple[Piece, ...]) -> list[Item]:
    separators = _separators(pieces)
    result: list[Item] = []
    current: list[Piece] = []
    depth = 0
    for piece in pieces:
        if piece.url is not None:
            current.append(piece)
            continue
        if piece.soft:
            current.append(Piece(" "))
            continue
        text, start, escaped = piece.text, 0, False
        for index, char in enumerate(text):
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char in _OPEN:
                depth += 1
            elif char in _CLOSE:
                depth = max(0, depth - 1)
            elif char in separators and (depth == 0 or char == "\n"):
                current.append(Piece(_unescape(text[start:index])))
                result.append(one_item(tuple(current)))
                current, start, depth = [], index + 1, 0
        current.append(Piece(_unescape(text[start:])))
    result.append(one_item(tuple(current)))
    return [item for item in result if item.text]


def _separators(pieces: tuple[Piece, ...]) -> str:
    """Line breaks when the value has them (a spreadsheet cell with an item per line); else
    commas, or semicolons where no comma is used."""
    text = "".join(piece.text for piece in pieces if piece.url is None and not piece.soft)
    if "\n" in text.strip("\n"):
        return "\n"
    return ",\n" if "," in text or ";" not in text else ";\n"


def _unescape(text: str) -> str:
    """``\\,`` is a comma inside an item (how the XLSX export keeps a one-item cell whole)."""
    return text.replace("\\,", ",").replace("\\;", ";")


def one_item(pieces: tuple[Piece, ...]) -> Item:
    """An item: a link when it holds exactly one link and nothing else but punctuation."""
    links = [piece for piece in pieces if piece.url is not None]
    text = plain(pieces)
    if len(links) == 1:
        rest = plain(tuple(p for p in pieces if p.url is None))
        link_text = clean(links[0].text)
        if not rest.strip(" -–—:;,.") and link_text:
            text = link_text
        return Item(" ".join(text.split()), links[0].url or None)
    return Item(" ".join(text.split()))


def looks_like_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def split_title(text: str) -> Title:
    """``AI Data Engineer(P001)``, ``BI Analyst (P003 | Purple)`` -> name, id and colour.

    A trailing ``(X)`` without ``|`` is an id only when it looks like one (no spaces, a
    digit): ``Data Scientist (GenAI)`` keeps its parenthesis as part of the name.
    """
    text = " ".join(text.split())
    match = _TRAILER.match(text)
    if not match or not match.group("name").strip():
        return Title(text)
    inside = match.group("inside")
    if "|" in inside:
        first, _, colour = inside.partition("|")
        persona_id = first.strip() or None
        return Title(match.group("name").strip(), persona_id, colour.strip() or None)
    candidate = inside.strip()
    if candidate and " " not in candidate and any(c.isdigit() for c in candidate):
        return Title(match.group("name").strip(), candidate)
    return Title(text)


def card_heading(text: str) -> tuple[str, bool]:
    """A card heading without its "Persona Template Card:" prefix, and whether it had one."""
    stripped = _CARD_PREFIX.sub("", text, count=1)
    return stripped.strip(), stripped != text


@lru_cache(maxsize=256)
def words(name: str) -> tuple[str, ...]:
    """The words of a name, camel case split: ``DeveloperAgent`` -> ("developer", "agent")."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return tuple(word.casefold() for word in re.split(r"[^\w]+", spaced) if word)


def same_name(first: str, second: str) -> bool:
    """Names equal but for case and spacing."""
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())
