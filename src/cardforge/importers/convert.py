"""One record (a table row or a card) turned into persona fields the deck format holds.

Names are split from ids and colours, links become ``{name, url}`` (an empty target is a
plain name), ``-`` becomes nothing, colours become palette names and architecture names
built-in ids. What cannot be held where it stood (an unknown architecture, a learning entry
without a link, a column that maps to nothing) goes to the persona's notes with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..diagnostics import Report, closest
from ..spec.deck import CATEGORIES
from ..spec.types import Url
from .mapping import LABELS, fold, suggestion
from .records import Entry, Record, Where, fail, warn
from .values import Item, Title, is_none, items, looks_like_url, plain, same_name, scalar, split_title, words

ID_PATTERN = re.compile(r"^[^\s|()]+$")
MAX_ID = 40
MAX_NAME = 200
_HEX_SUFFIX = re.compile(r"\s*\(#[0-9A-Fa-f]{6}\)\s*$")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NOBODY = re.compile(r"^nobody\b", re.IGNORECASE)

SCALARS = ("colour", "kind", "team", "scope", "data_access", "goal", "department", "group")
LISTS = (
    "category",
    "interacts_with",
    "processes",
    "architectures",
    "skills",
    "responsibilities",
    "example_roles",
)
ARCHITECTURE_NAMES = {
    "lambda": ("lambda", "lambda architecture", "modern analytics", "lambda architecture modern analytics"),
    "rag-chat": (
        "rag",
        "rag chat",
        "rag-chat",
        "baseline rag chat",
        "rag chat baseline end to end chat",
        "retrieval augmented generation",
    ),
}
LINKED = ("services", "learn", "service_links", "learn_links")
_URL = TypeAdapter(Url)

PaletteLookup = Callable[[str], "tuple[str, str] | None"]


@dataclass
class Value:
    value: Any
    """Text, a list of texts, or a list of :class:`~cardforge.importers.values.Item`."""
    where: Where


@dataclass
class Draft:
    """A persona assembled from one or more records."""

    name: Value
    id: Value | None
    fields: dict[str, Value] = field(default_factory=dict)
    notes: list[tuple[str, Where]] = field(default_factory=list)
    """Lines for the notes: what the source held that no field can."""
    records: list[Record] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)
    """Remarks written beside a key in the deck (how a value was found)."""

    @property
    def label(self) -> str:
        return f"{self.name.value} ({self.id.value})" if self.id else str(self.name.value)


class Converter:
    """Turns records into drafts, reporting what it had to interpret."""

    def __init__(self, palette: dict[str, str], palette_colour: PaletteLookup, report: Report):
        self.palette = palette
        self.palette_colour = palette_colour
        self.report = report

    def draft(self, record: Record) -> Draft | None:
        by_key: dict[str, Entry] = {}
        draft_notes: list[tuple[str, Where]] = []
        for entry in record.entries:
            if entry.key is None or entry.key in by_key:
                self._unmapped(record, entry, draft_notes, repeated=entry.key is not None)
            else:
                by_key[entry.key] = entry
        title = self._title(record, by_key)
        if title is None:
            return None
        name_where = by_key["name"].where if "name" in by_key else record.where
        draft = Draft(Value(title.name, name_where), None, notes=draft_notes, records=[record])
        if not self._name_ok(draft):
            return None
        persona_id = self._id(record, by_key, title)
        if persona_id is not None:
            if not self._id_ok(persona_id):
                return None
            draft.id = persona_id
        colour_text = scalar(by_key["colour"]) if "colour" in by_key else title.colour
        colour_where = by_key["colour"].where if "colour" in by_key else name_where
        if colour_text:
            self._colour(draft, colour_text, colour_where)
        for key, entry in by_key.items():
            if key not in ("name", "id", "colour") and key not in LINKED:
                self._field(draft, key, entry)
        if "services" in by_key or "service_links" in by_key:
            self._services(draft, by_key.get("services"), by_key.get("service_links"))
        if "learn" in by_key or "learn_links" in by_key:
            self._learn(draft, by_key.get("learn"), by_key.get("learn_links"))
        if "kind" not in draft.fields and _sounds_like_agent(title.name):
            draft.fields["kind"] = Value("agent", name_where)
            draft.comments["kind"] = "from the name; change it if this is a person"
        return draft

    # Name and id

    def _title(self, record: Record, by_key: dict[str, Entry]) -> Title | None:
        heading = split_title(record.heading) if record.heading else None
        if "name" in by_key:
            title = split_title(scalar(by_key["name"]) or "")
            if heading and heading.name and title.name and not same_name(heading.name, title.name):
                warn(
                    self.report,
                    by_key["name"].where,
                    f"the heading names `{heading.name}` but the Name line `{title.name}`, so the Name "
                    "line is used; correct whichever is wrong",
                    "CF553",
                )
            if heading and title.name:
                title = Title(title.name, title.id or heading.id, title.colour or heading.colour)
        elif heading is not None:
            title = heading
        else:
            title = Title("")
        if not title.name or is_none(title.name):
            fail(
                self.report,
                record.where,
                f"{record.describe()} names no persona; give it a `Name` line or a persona column",
                "CF504",
            )
            return None
        return title

    def _name_ok(self, draft: Draft) -> bool:
        name = draft.name.value
        if len(name) > MAX_NAME:
            fail(
                self.report,
                draft.name.where,
                f"the persona name `{name[:40]}...` is {len(name)} characters; "
                f"at most {MAX_NAME} fit; shorten it",
                "CF506",
            )
            return False
        return True

    def _id(self, record: Record, by_key: dict[str, Entry], title: Title) -> Value | None:
        column = scalar(by_key["id"]) if "id" in by_key else None
        if column and title.id and column.casefold() != title.id.casefold():
            warn(
                self.report,
                by_key["name"].where if "name" in by_key else record.where,
                f"the name says id `{title.id}` but the ID column `{column}`, so `{column}` is used; "
                "make the two agree",
                "CF553",
            )
        if column:
            return Value(column, by_key["id"].where)
        if title.id:
            return Value(title.id, by_key["name"].where if "name" in by_key else record.where)
        return None

    def _id_ok(self, persona_id: Value) -> bool:
        text = persona_id.value
        if len(text) > MAX_ID or not ID_PATTERN.match(text):
            fail(
                self.report,
                persona_id.where,
                f"`{text[:60]}` cannot be a persona id; an id is up to {MAX_ID} characters without "
                "spaces, `|` or parentheses, such as P001",
                "CF506",
            )
            return False
        return True

    # Fields

    def _field(self, draft: Draft, key: str, entry: Entry) -> None:
        if key == "notes":
            text = scalar(entry, multiline=True)
            if text:
                draft.fields["notes"] = Value(text, entry.where)
        elif key == "people":
            self._people(draft, entry)
        elif key == "kind":
            self._kind(draft, entry)
        elif key == "category":
            self._categories(draft, entry)
        elif key == "architectures":
            self._architectures(draft, entry)
        elif key in SCALARS:
            text = scalar(entry)
            if text:
                draft.fields[key] = Value(text, entry.where)
        elif key in LISTS:
            values = _unique([item.text for item in items(entry)])
            if values:
                draft.fields[key] = Value(values, entry.where)

    def _unmapped(self, record: Record, entry: Entry, notes: list[tuple[str, Where]], repeated: bool) -> None:
        text = scalar(entry, multiline=True)
        if not text:
            return
        notes.append((f"{entry.label}: {text}" if entry.label else text, entry.where))
        if record.kind != "card":
            return  # a table's columns were reported once, at the header
        if repeated:
            message = f"`{entry.label}` is given twice in this card; the second goes to the notes"
        elif entry.label:
            message = f"`{entry.label}` matches no persona field, so it goes to the notes; {suggestion(entry.label)}"
        else:
            message = (
                "this line names no field, so it goes to the notes; start it with a label such as **Team**:"
            )
        warn(self.report, entry.where, message, "CF551")

    def _people(self, draft: Draft, entry: Entry) -> None:
        text = plain(entry.pieces)
        if not text and not entry.items:
            return
        if (is_none(text) and not entry.items) or _NOBODY.match(text):
            draft.fields["people"] = Value([], entry.where)  # an explicit staffing gap
            return
        draft.fields["people"] = Value(_unique([item.text for item in items(entry)]), entry.where)

    def _services(self, draft: Draft, names: Entry | None, links: Entry | None) -> None:
        """Services from their column (names, maybe links), links added from a links column."""
        found: list[Item] = []
        for entry in [e for e in (names, links) if e is not None]:
            for item in _paired(items(entry)):
                url = self._checked_url(draft, item, entry, entry.label)
                index = next((i for i, old in enumerate(found) if same_name(old.text, item.text)), None)
                if index is None:
                    found.append(Item(item.text, url))
                elif url and not found[index].url:
                    found[index] = Item(found[index].text, url)
        where = (names or links).where  # type: ignore[union-attr]
        if found:
            draft.fields["services"] = Value(_unique_items(found, by_url=False), where)

    def _learn(self, draft: Draft, titles: Entry | None, links: Entry | None) -> None:
        """Learning links; a title without a link is fine when a links column gives its link."""
        found: list[Item] = []
        for item in _paired(items(links)) if links is not None else []:
            self._add_link(draft, links, item, found)  # type: ignore[arg-type]
        for item in _paired(items(titles)) if titles is not None else []:
            if item.url or looks_like_url(item.text):
                self._add_link(draft, titles, item, found)  # type: ignore[arg-type]
            elif not any(same_name(item.text, link.text) for link in found):
                self._to_notes(
                    draft,
                    titles,  # type: ignore[arg-type]
                    item.text,
                    f"the learning entry `{item.text[:50]}` has no link, so it goes to the notes; "
                    "write it as [title](https://...)",
                )
        where = (links or titles).where  # type: ignore[union-attr]
        if found:
            draft.fields["learn"] = Value(_unique_items(found, by_url=True), where)

    def _add_link(self, draft: Draft, entry: Entry, item: Item, found: list[Item]) -> None:
        url = self._checked_url(draft, Item(item.text, item.url or item.text), entry, entry.label)
        if url is not None:
            found.append(Item(item.text if item.text != url else "", url))

    def _checked_url(self, draft: Draft, item: Item, entry: Entry, label: str) -> str | None:
        if not item.url:
            return None
        try:
            return _URL.validate_python(item.url)
        except ValidationError as error:
            reason = error.errors()[0]["msg"].removeprefix("Value error, ").partition("; ")[0]
            self._to_notes(
                draft,
                entry,
                f"{item.text} <{item.url}>",
                f"the link of `{item.text[:50]}` cannot be used ({reason}), so only the name is kept and "
                "the link goes to the notes; give an https:// link",
                label=label,
            )
            return None

    def _kind(self, draft: Draft, entry: Entry) -> None:
        text = scalar(entry)
        if not text:
            return
        folded = set(words(text))
        if folded & {"agent", "bot", "automation", "unattended"}:
            draft.fields["kind"] = Value("agent", entry.where)
        elif folded & {"person", "human", "people", "user"}:
            draft.fields["kind"] = Value("person", entry.where)
        else:
            self._to_notes(
                draft,
                entry,
                text,
                f"kind `{text}` is neither person nor agent, so it goes to the notes; write person or agent",
            )

    def _categories(self, draft: Draft, entry: Entry) -> None:
        found = []
        for item in items(entry):
            folded = item.text.casefold()
            near = folded if folded in CATEGORIES else closest(folded, CATEGORIES, cutoff=0.75)
            if near is None:
                self._to_notes(
                    draft,
                    entry,
                    item.text,
                    f"category `{item.text}` is not one of {', '.join(CATEGORIES)}, so it goes to the notes; "
                    "use one of those",
                )
                continue
            if near != folded:
                warn(
                    self.report,
                    entry.where,
                    f"category `{item.text}` read as `{near}`; write `{near}` to confirm",
                    "CF552",
                )
            found.append(near)
        if found:
            draft.fields["category"] = Value(_unique(found), entry.where)

    def _architectures(self, draft: Draft, entry: Entry) -> None:
        found, unknown = [], []
        for item in items(entry):
            arch_id = architecture_id(item.text)
            if arch_id is None:
                unknown.append(item.text)
            else:
                found.append(arch_id)
        if unknown:
            names = ", ".join(f"`{name[:50]}`" for name in unknown)
            draft.notes.append((f"{entry.label}: {', '.join(unknown)}", entry.where))
            several = len(unknown) > 1
            warn(
                self.report,
                entry.where,
                f"architecture{'s' if several else ''} {names} {'are' if several else 'is'} not built in "
                f"({', '.join(ARCHITECTURE_NAMES)}), so the notes keep {'them' if several else 'it'}; "
                f"define {'them' if several else 'it'} under `architectures:` in the deck to draw "
                f"{'them' if several else 'it'}",
                "CF554",
            )
        if found:
            draft.fields["architectures"] = Value(_unique(found), entry.where)

    def _colour(self, draft: Draft, text: str, where: Where) -> None:
        text = _HEX_SUFFIX.sub("", text).strip()
        if is_none(text):
            return
        if _HEX.match(text):
            draft.fields["colour"] = Value(text.upper(), where)
            return
        found = self.palette_colour(text)
        if found is not None:
            draft.fields["colour"] = Value(found[0], where)
            return
        near = closest(text, self.palette, cutoff=0.75)
        if near is not None:
            warn(self.report, where, f"colour `{text}` read as `{near}`; write `{near}` to confirm", "CF552")
            draft.fields["colour"] = Value(near, where)
            return
        warn(
            self.report,
            where,
            f"colour `{text}` is not in the palette, so the persona gets the next free colour; "
            f"use one of {', '.join(list(self.palette)[:8])}, ... or #RRGGBB",
            "CF554",
        )
        draft.notes.append((f"Colour: {text}", where))

    def _to_notes(
        self, draft: Draft, entry: Entry, text: str, message: str, label: str | None = None
    ) -> None:
        draft.notes.append(
            (f"{label or entry.label or LABELS.get(entry.key or '', '')}: {text}", entry.where)
        )
        warn(self.report, entry.where, message, "CF554")


def architecture_id(name: str) -> str | None:
    """The built-in architecture *name* means (``LAMBDA`` -> ``lambda``), if any."""
    folded = fold(name)
    for arch_id, names in ARCHITECTURE_NAMES.items():
        if folded in {fold(n) for n in names}:
            return arch_id
    return None


def _paired(found: list[Item]) -> list[Item]:
    """A title followed by a line that is only a link (``title``, ``https://...``) is one link."""
    result: list[Item] = []
    for item in found:
        previous = result[-1] if result else None
        if (
            item.url is None
            and looks_like_url(item.text)
            and previous is not None
            and previous.url is None
            and not looks_like_url(previous.text)
        ):
            result[-1] = Item(previous.text, item.text)
        else:
            result.append(item)
    return result


def _sounds_like_agent(name: str) -> bool:
    return bool(set(words(name)) & {"agent", "bot"})


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


def _unique_items(found: list[Item], *, by_url: bool) -> list[Item]:
    """Items once each (services by name, learn links by target); a link beats a plain name."""
    seen: dict[str, Item] = {}
    for item in found:
        key = (item.url or "") if by_url else item.text.casefold()
        if key not in seen or (item.url and not seen[key].url):
            seen[key] = item
    return list(seen.values())
