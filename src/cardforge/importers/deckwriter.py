"""The imported deck written as YAML a person would write: ordered keys, comments, short lists inline.

The text is built here rather than dumped by a YAML library so that it reads like the
shipped decks (one persona per block, a comment saying where it came from, short lists on
one line, links as ``{name, url}``), and so that every scalar is quoted exactly when the
deck format's reader or another YAML tool could take it for something else.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

LINE = 110
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = set(",[]{}")
_SPECIAL = re.compile(
    r"^(?:~|null|true|false|yes|no|on|off|y|n|<<|[-+]?(?:\.?\d[\d_]*)(?:[.:][\d_]*)*(?:e[-+]?\d+)?|\.inf|\.nan)$",
    re.IGNORECASE,
)
_NEEDS_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass
class Block:
    """One mapping in a list (a persona, a team): its keys in order, each with a comment."""

    fields: list[tuple[str, Any, str]] = field(default_factory=list)
    """``(key, value, comment)``; a value of ``None`` is left out."""
    comment: str = ""
    """A comment line written above the block."""

    def add(self, key: str, value: Any, comment: str = "") -> None:
        if value is not None:
            self.fields.append((key, value, comment))


@dataclass
class DeckText:
    header: list[str]
    title: str
    teams: list[Block]
    personas: list[Block]
    rbac: dict[str, Any] | None = None


def deck_yaml(deck: DeckText) -> str:
    lines = [f"# {part}" for line in deck.header for part in textwrap.wrap(line, LINE - 12) or [""]]
    lines += ["cardforge: 1", f"title: {scalar(deck.title)}", ""]
    if deck.teams:
        lines += ["# Teams the personas name; add a description to each.", "teams:"]
        lines += [line for team in deck.teams for line in _block(team, 2)]
        lines.append("")
    lines.append("personas:")
    for index, persona in enumerate(deck.personas):
        if index:
            lines.append("")
        lines += _block(persona, 2)
    if deck.rbac is not None:
        lines += ["", "rbac:", f"  environments: {_flow_list(deck.rbac['environments'])}", "  grants:"]
        for grant in deck.rbac["grants"]:
            lines.append(f"    - {_flow_mapping(grant)}")
        if not deck.rbac["grants"]:
            lines[-1] = "  grants: []"
    return "\n".join(lines) + "\n"


def _block(block: Block, indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}# {block.comment}"] if block.comment else []
    for number, (key, value, comment) in enumerate(block.fields):
        lead = f"{pad}- " if number == 0 else f"{pad}  "
        entry = _entry(key, value, indent + 2)
        entry[0] = lead + entry[0]
        if comment:
            entry[0] += f"  # {comment}"
        lines += entry
    return lines


def _entry(key: str, value: Any, indent: int) -> list[str]:
    """``key: value`` lines; the first without its indentation (the caller adds it)."""
    pad = " " * indent
    if isinstance(value, str):
        if "\n" in value and _literal_ok(value):
            return [f"{key}: |-"] + [f"{pad}  {line}" if line else "" for line in value.split("\n")]
        return [f"{key}: {scalar(value)}"]
    if isinstance(value, list):
        if not value:
            return [f"{key}: []"]
        if all(isinstance(item, str) for item in value):
            inline = f"{key}: {_flow_list(value)}"
            if len(inline) + indent <= LINE:
                return [inline]
        return [f"{key}:"] + [line for item in value for line in _list_item(item, indent + 2)]
    if isinstance(value, dict):
        return [f"{key}: {_flow_mapping(value)}"]
    raise TypeError(f"cannot write {type(value).__name__} for `{key}`")


def _list_item(item: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(item, str):
        return [f"{pad}- {scalar(item)}"]
    inline = f"{pad}- {_flow_mapping(item)}"
    if len(inline) <= LINE:
        return [inline]
    keys = list(item.items())
    return [f"{pad}- {keys[0][0]}: {scalar(keys[0][1], url=keys[0][0] == 'url')}"] + [
        f"{pad}  {k}: {scalar(v, url=k == 'url')}" for k, v in keys[1:]
    ]


def _flow_list(values: list[str]) -> str:
    return "[" + ", ".join(scalar(value, flow=True) for value in values) + "]"


def _flow_mapping(mapping: dict[str, Any]) -> str:
    parts = []
    for key, value in mapping.items():
        shown = (
            _flow_mapping(value) if isinstance(value, dict) else scalar(value, flow=True, url=key == "url")
        )
        parts.append(f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"


def scalar(text: str, *, flow: bool = False, url: bool = False) -> str:
    """*text* plain when YAML reads it back as the same text, else double-quoted."""
    if not url and _plain_ok(text, flow):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _NEEDS_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS or text.endswith(":"):
        return False
    if ": " in text or " #" in text or _SPECIAL.match(text) or _NEEDS_ESCAPE.search(text):
        return False
    if any(ord(char) < 0x20 for char in text):
        return False
    return not (flow and any(char in _FLOW_UNSAFE for char in text))


def _literal_ok(text: str) -> bool:
    """A ``|-`` block keeps *text* exactly: no control characters, no edge spaces on any line."""
    if any(ord(char) < 0x20 and char != "\n" for char in text) or _NEEDS_ESCAPE.search(text):
        return False
    lines = text.split("\n")
    return not lines[0].startswith(" ") and all(line == line.rstrip() for line in lines)
