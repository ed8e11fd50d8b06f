"""Markdown export: one file per persona card plus an index table, for code hosts.

Every field of the persona is written, links intact, in a form that reads well on any
code host and that :func:`read_persona_markdown` reads back (the tests round-trip it).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Deck, Persona

_TABLE_FIELDS = (
    ("ID", "id"),
    ("Colour", "colour"),
    ("Kind", "kind"),
    ("Category", "categories"),
    ("Team", "team"),
    ("Primary interaction", "interacts_with"),
    ("Processes", "processes"),
    ("Architecture", "architectures"),
    ("Scope", "scope"),
    ("Data access", "data_access"),
)
_SECTIONS = (
    ("Component access", "services"),
    ("Skills", "skills"),
    ("Links to learn", "learn"),
    ("People", "people"),
)


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell or link title."""
    return re.sub(r"([\\|\[\]*_`<>#])", r"\\\1", text).replace("\n", " ")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def file_name(persona: Persona) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", persona.id).strip("-") or "persona"
    return f"{slug}.md"


def persona_markdown(deck: Deck, persona: Persona) -> str:
    lines = [f"# {escape(persona.title)}", "", "| Field | Value |", "| --- | --- |"]
    values = {
        "id": persona.id,
        "colour": f"{persona.colour.name} (#{persona.colour.hex})",
        "kind": persona.kind,
        "categories": ", ".join(persona.categories),
        "team": persona.team or "",
        "interacts_with": ", ".join(persona.interacts_with),
        "processes": ", ".join(persona.processes),
        "architectures": ", ".join(persona.architectures),
        "scope": persona.scope or "",
        "data_access": persona.data_access or "",
    }
    for label, key in _TABLE_FIELDS:
        if values[key]:
            lines.append(f"| **{label}** | {escape(values[key])} |")
    lists = {
        "services": [_link(s.name, s.url) for s in persona.services],
        "skills": [escape(s) for s in persona.skills],
        "learn": [_link(link.title, link.url) for link in persona.learn],
        "people": [escape(p) for p in persona.people or []],
    }
    for title, key in _SECTIONS:
        if key == "people" and persona.people is not None and not persona.people:
            lines += ["", f"## {title}", "", "_Nobody yet: a staffing gap._"]
        elif lists[key]:
            lines += ["", f"## {title}", ""] + [f"- {item}" for item in lists[key]]
    if persona.notes:
        lines += ["", "## Notes", ""] + [escape(line) for line in persona.notes.split("\n")]
    return "\n".join(lines) + "\n"


def _link(text: str, url) -> str:
    return f"[{escape(text)}](<{url}>)" if url else escape(text)


def index_markdown(deck: Deck) -> str:
    lines = [f"# {escape(deck.title)}", ""]
    if deck.subtitle:
        lines += [escape(deck.subtitle), ""]
    lines += ["| ID | Persona | Colour | Team | Processes |", "| --- | --- | --- | --- | --- |"]
    for persona in deck.personas:
        lines.append(
            f"| {escape(persona.id)} | [{escape(persona.name)}]({file_name(persona)}) | {escape(persona.colour.name)} "
            f"| {escape(persona.team or '')} | {escape(', '.join(persona.processes))} |"
        )
    return "\n".join(lines) + "\n"


def write_markdown(deck: Deck, folder: Path) -> list[Path]:
    """Write ``README.md`` (the index) and one file per persona into *folder*."""
    from ..writer.save import atomic_write

    written = []
    for persona in deck.personas:
        path = folder / file_name(persona)
        atomic_write(path, persona_markdown(deck, persona).encode("utf-8"))
        written.append(path)
    index = folder / "README.md"
    atomic_write(index, index_markdown(deck).encode("utf-8"))
    return [index] + written


def read_persona_markdown(text: str) -> dict:
    """Read a persona file back into its fields (the inverse of :func:`persona_markdown`)."""
    fields: dict = {}
    section = None
    for line in text.splitlines():
        row = re.match(r"^\| \*\*(.+?)\*\* \| (.*) \|$", line)
        if line.startswith("# "):
            fields["title"] = unescape(line[2:])
        elif row:
            key = dict(_TABLE_FIELDS)[row.group(1)]
            fields[key] = unescape(row.group(2))
        elif line.startswith("## "):
            section = line[3:]
            key = dict(_SECTIONS).get(section, "notes")
            fields.setdefault(key, [] if key != "notes" else "")
        elif section and line.startswith("- "):
            fields[dict(_SECTIONS)[section]].append(_read_item(line[2:]))
        elif section == "People" and line.startswith("_Nobody yet"):
            fields["people"] = []
        elif section == "Notes":
            fields["notes"] = (fields["notes"] + "\n" + unescape(line)) if fields["notes"] else unescape(line)
    if "notes" in fields:
        fields["notes"] = fields["notes"].strip("\n")
    return fields


def _read_item(item: str):
    match = re.match(r"^\[(.*)\]\(<(.*)>\)$", item)
    if match:
        return (unescape(match.group(1)), match.group(2))
    return unescape(item)
