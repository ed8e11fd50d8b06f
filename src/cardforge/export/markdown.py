"""Markdown export: one file per persona card plus an index table, for code hosts; the
other pages of the site are in :mod:`cardforge.export.site`.

Every field of the persona is written, links intact, in a form that reads well on any
code host and that :func:`read_persona_markdown` reads back (the tests round-trip it).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..layout.labels import partner_labels
from ..model import Deck, Persona

_TABLE_FIELDS = (
    ("ID", "id"),
    ("Goal", "goal"),
    ("Colour", "colour"),
    ("Kind", "kind"),
    ("Category", "categories"),
    ("Team", "team"),
    ("Example roles", "example_roles"),
    ("Primary interaction", "interacts_with"),
    ("Processes", "processes"),
    ("Architecture", "architectures"),
    ("Scope", "scope"),
    ("Data access", "data_access"),
)
_SECTIONS = (
    ("Responsibilities", "responsibilities"),
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


INDEX = "README.md"
_RESERVED = {"readme", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}
"""Names a persona file may not take: the index, and names Windows keeps for devices."""
_URL_MARKUP = re.compile(r"[<>\\\s\x00-\x1f\x7f]")


def file_name(persona: Persona) -> str:
    """The file name a persona's id suggests: letters (accents dropped), digits, `-` and `_`.

    Several ids may suggest one name (`P.1` and `P-1`, `Café` and `Cafe`); :func:`file_names`
    makes them unique.
    """
    ascii_id = unicodedata.normalize("NFKD", persona.id).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_id).strip("-") or "persona"
    return f"{slug}.md"


def file_names(personas: list[Persona]) -> dict[Persona, str]:
    """A file name per persona, unique also where case does not count (macOS, Windows): a
    name already taken, the index's or a device name gets `-2`, `-3`... in deck order."""
    taken = {INDEX.casefold()}
    names: dict[Persona, str] = {}
    for persona in personas:
        stem = file_name(persona).removesuffix(".md")
        name, number = f"{stem}.md", 2
        while name.casefold() in taken or name.removesuffix(".md").casefold() in _RESERVED:
            name, number = f"{stem}-{number}.md", number + 1
        taken.add(name.casefold())
        names[persona] = name
    return names


ROLES = "roles"
"""The text of the link from a service on a persona's page to its table of roles."""


def persona_markdown(deck: Deck, persona: Persona, service_pages: dict[str, str] | None = None) -> str:
    """A persona's page; *service_pages* maps a service (case-folded) to its page of roles."""
    lines = [f"# {escape(persona.title)}", "", "| Field | Value |", "| --- | --- |"]
    values = {
        "id": persona.id,
        "goal": persona.goal or "",
        "example_roles": ", ".join(persona.example_roles),
        "colour": f"{persona.colour.name} (#{persona.colour.hex})",
        "kind": persona.kind,
        "categories": ", ".join(persona.categories),
        "team": persona.team or "",
        "interacts_with": ", ".join(partner_labels(deck, persona)),
        "processes": ", ".join(persona.processes),
        "architectures": ", ".join(persona.architectures),
        "scope": persona.scope or "",
        "data_access": persona.data_access or "",
    }
    for label, key in _TABLE_FIELDS:
        if values[key]:
            lines.append(f"| **{label}** | {escape(values[key])} |")
    granted = deck.granted(persona.id)
    roles = service_pages or {}
    lists = {
        "responsibilities": [escape(r) for r in persona.responsibilities],
        "services": [
            _link(s.name, s.url)
            + _roles_link(roles.get(s.name.casefold()) if s.name.casefold() in granted else None)
            for s in persona.services
        ],
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


def _roles_link(page: str | None) -> str:
    return f" · [{ROLES}]({page})" if page else ""


def _link(text: str, url) -> str:
    return f"[{escape(text)}](<{link_target(url)}>)" if url else escape(text)


def link_target(url: str) -> str:
    """*url* safe inside ``<...>``: what CommonMark would read as markup there (`<`, `>`,
    a backslash, white space, control characters) percent-encoded, so that a link can
    neither end early nor bring in HTML."""
    return _URL_MARKUP.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), url)


def index_markdown(
    deck: Deck, names: dict[Persona, str] | None = None, contents: list[str] | None = None
) -> str:
    """The index: the personas in a table, then the other pages of the site (*contents*)."""
    names = names or file_names(deck.personas)
    lines = [f"# {escape(deck.title)}", ""]
    if deck.subtitle:
        lines += [escape(deck.subtitle), ""]
    lines += ["| ID | Persona | Colour | Team | Processes |", "| --- | --- | --- | --- | --- |"]
    for persona in deck.personas:
        lines.append(
            f"| {escape(persona.id)} | [{escape(persona.name)}]({names[persona]}) | {escape(persona.colour.name)} "
            f"| {escape(persona.team or '')} | {escape(', '.join(persona.processes))} |"
        )
    if contents:
        lines += ["", "## More", "", *contents]
    return "\n".join(lines) + "\n"


def write_markdown(deck: Deck, folder: Path) -> list[Path]:
    """Write the site into *folder*: ``README.md`` (the index), one page per persona, each under
    its own name (:func:`file_names`), and the pages of :mod:`cardforge.export.site`."""
    from ..writer.save import atomic_write
    from .site import Site

    names = file_names(deck.personas)
    site = Site(deck, names)
    written = []
    for persona in deck.personas:
        path = folder / names[persona]
        atomic_write(path, persona_markdown(deck, persona, site.services).encode("utf-8"))
        written.append(path)
    for page, text in site.pages().items():
        path = folder / page
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    index = folder / INDEX
    atomic_write(index, index_markdown(deck, names, site.contents(INDEX)).encode("utf-8"))
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
    item = re.sub(rf" · \[{ROLES}\]\([^)]*\)$", "", item)  # the link to the service's roles page
    match = re.match(r"^\[(.*)\]\(<(.*)>\)$", item)
    if match:
        return (unescape(match.group(1)), match.group(2))
    return unescape(item)
