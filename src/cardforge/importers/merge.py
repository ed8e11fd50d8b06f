"""Drafts of the same persona from several sources merged into one, conflicts reported.

A persona table and the cards of the same personas describe each persona twice. Drafts are
matched by id and by name together, because ids are not stable across sources: a card
that says "P006" on a persona the table calls P007 is matched by its name, with a warning.
Within one table (or one file's cards) every persona is distinct, so a repeated id there is
an error, never a merge.
"""

from __future__ import annotations

import difflib

from ..diagnostics import Report
from ..spec.totals import PERSONA_LISTS
from .convert import Draft, Value
from .mapping import LABELS
from .records import fail, warn
from .values import Item, same_name

SIMILAR_NAMES = 0.75
LIST_KEYS = frozenset(PERSONA_LISTS)


def merge_drafts(drafts: list[Draft], report: Report) -> list[Draft]:
    """The personas the drafts describe, in order of first appearance."""
    _check_tables(drafts, report)
    personas = _Personas()
    for draft in drafts:
        target = _match(personas, draft, report)
        if target is None:
            personas.add(draft)
        else:
            had_id = target.id is not None
            _merge_into(target, draft, report)
            if not had_id and target.id is not None:
                personas.index_id(target)
    _check_ids(personas.all, report)
    return personas.all


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


class _Personas:
    """The personas so far, looked up by id and by name (a deck may hold thousands)."""

    def __init__(self) -> None:
        self.all: list[Draft] = []
        self._by_id: dict[str, list[Draft]] = {}
        self._by_name: dict[str, list[Draft]] = {}

    def add(self, draft: Draft) -> None:
        self.all.append(draft)
        self._by_name.setdefault(_folded(draft.name.value), []).append(draft)
        if draft.id is not None:
            self.index_id(draft)

    def index_id(self, draft: Draft) -> None:
        assert draft.id is not None
        self._by_id.setdefault(draft.id.value.casefold(), []).append(draft)

    def with_id(self, draft: Draft) -> list[Draft]:
        return self._by_id.get(draft.id.value.casefold(), []) if draft.id else []

    def named(self, draft: Draft) -> list[Draft]:
        return self._by_name.get(_folded(draft.name.value), [])


def _blocks(draft: Draft) -> set[str]:
    return {record.block for record in draft.records}


def _check_tables(drafts: list[Draft], report: Report) -> None:
    """Ids (and, without ids, names) repeated within one table: each row is its own persona."""
    seen: dict[tuple[str, str], Draft] = {}
    for draft in drafts:
        record = draft.records[0]
        if record.kind != "row":
            continue
        folded = draft.id.value.casefold() if draft.id else " ".join(draft.name.value.casefold().split())
        key = (record.block, ("id " if draft.id else "name ") + folded)
        first = seen.setdefault(key, draft)
        if first is draft:
            continue
        what = f"id `{draft.id.value}`" if draft.id else f"persona `{draft.name.value}` (without an id)"
        fail(
            report,
            draft.id.where if draft.id else draft.name.where,
            f"{what} appears twice in this table (first at {first.records[0].where.cite()}); "
            "give each persona its own id",
            "CF505",
        )


def _check_ids(personas: list[Draft], report: Report) -> None:
    """Two different personas left with one id (cards that no table row or name resolves)."""
    seen: dict[str, Draft] = {}
    for persona in personas:
        if persona.id is None:
            continue
        first = seen.setdefault(persona.id.value.casefold(), persona)
        if first is not persona and not _same_table(first, persona):  # a table's repeats are reported
            fail(
                report,
                persona.id.where,
                f"id `{persona.id.value}` is already `{first.name.value}` (at {first.records[0].where.cite()}); "
                f"give `{persona.name.value}` its own id",
                "CF505",
            )


def _same_table(first: Draft, second: Draft) -> bool:
    rows = {r.block for r in first.records if r.kind == "row"}
    return bool(rows & {r.block for r in second.records if r.kind == "row"})


def _match(personas: _Personas, draft: Draft, report: Report) -> Draft | None:
    """The persona *draft* describes too, if any; never one with a record of the same block."""
    blocks = _blocks(draft)
    by_id = next((p for p in personas.with_id(draft) if not (_blocks(p) & blocks)), None)
    by_name = [p for p in personas.named(draft) if not (_blocks(p) & blocks)]
    if by_id is not None and any(p is by_id for p in by_name):
        return by_id
    source = draft.records[0].describe()
    if by_id is not None and by_name:
        target = by_name[0]
        warn(
            report,
            draft.id.where if draft.id else draft.name.where,
            f"{source} says `{draft.id.value if draft.id else ''}`, which is `{by_id.name.value}` "
            f"(at {by_id.records[0].where.cite()}), so it is merged with {target.label} by name; correct the id",
            "CF553",
        )
        draft.id = None
        return target
    if by_id is not None:
        if _similar(by_id.name.value, draft.name.value):
            warn(
                report,
                draft.name.where,
                f"{source} calls {by_id.id.value if by_id.id else ''} `{draft.name.value}` but "
                f"{by_id.records[0].describe()} `{by_id.name.value}`, so `{by_id.name.value}` is kept; "
                "make the names agree",
                "CF553",
            )
            return by_id
        return None  # a different persona with a taken id: reported once all are merged
    if by_name:
        target = by_name[0]
        if draft.id and target.id and draft.id.value.casefold() != target.id.value.casefold():
            owner = next(iter(personas.with_id(draft)), None)
            whose = f" (the id of {owner.name.value})" if owner is not None else ""
            warn(
                report,
                draft.id.where,
                f"{source} gives `{draft.name.value}` the id `{draft.id.value}`{whose} but "
                f"{target.records[0].describe()} gives `{target.id.value}`, so `{target.id.value}` is kept; "
                "correct the id",
                "CF553",
            )
            draft.id = None
        return target
    return None


def _similar(first: str, second: str) -> bool:
    a, b = first.casefold(), second.casefold()
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAMES


def _merge_into(target: Draft, incoming: Draft, report: Report) -> None:
    if target.id is None and incoming.id is not None:
        target.id = incoming.id
    for key, value in incoming.fields.items():
        current = target.fields.get(key)
        if current is None or (key in target.comments and key not in incoming.comments):
            target.fields[key] = value
            target.comments.pop(key, None)
            if key in incoming.comments:
                target.comments[key] = incoming.comments[key]
        elif key in incoming.comments:
            continue  # a guess never overrides what a source says
        elif key == "notes":
            if not same_name(current.value, value.value):
                target.fields[key] = Value(f"{current.value}\n\n{value.value}", current.where)
        elif key in LIST_KEYS:
            current.value = _union(key, current.value, value.value)
        elif not same_name(str(current.value), str(value.value)):
            warn(
                report,
                value.where,
                f"{target.label}: {LABELS[key]} is `{value.value}` here but `{current.value}` at "
                f"{current.where.cite()}, so `{current.value}` is kept; make the sources agree",
                "CF553",
            )
    target.notes += [note for note in incoming.notes if note[0] not in {n[0] for n in target.notes}]
    target.records += incoming.records


def _union(key: str, first: list, second: list) -> list:
    if key in ("services", "learn"):
        return _union_items(first, second, by_url=key == "learn")
    seen = {value.casefold() for value in first}
    return first + [value for value in second if value.casefold() not in seen]


def _union_items(first: list[Item], second: list[Item], *, by_url: bool) -> list[Item]:
    """Services by name, learn links by target; a plain name gains the link another source gives."""
    result = list(first)
    for item in second:
        if by_url:
            index = next((i for i, old in enumerate(result) if old.url == item.url), None)
        else:
            index = next((i for i, old in enumerate(result) if same_name(old.text, item.text)), None)
        if index is None:
            result.append(item)
        elif item.url and not result[index].url:
            result[index] = Item(result[index].text or item.text, item.url)
        elif by_url and item.text and not result[index].text:
            result[index] = Item(item.text, item.url)
    return result
