"""Merged personas made into a deck: ids given, references resolved, teams listed, notes composed.

Interactions that name a persona ("AI Data Engineer (P001)", or just its name) become its
id; every other name is a team and is declared under ``teams:``, so the deck validates
whether or not the team has members. Team names that differ by a letter are reported:
they are usually one team spelt two ways. Fields the deck format defines but this
cardforge does not read yet go to the notes, so the deck still validates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..diagnostics import Report
from ..model.resolve import ALL_TEAMS
from ..spec.deck import PersonaSpec, TeamSpec
from ..spec.types import MAX_TEXT
from .convert import Draft, Value
from .deckwriter import Block
from .mapping import LABELS
from .records import Where, fail, warn
from .tables import Grant
from .values import Item, same_name, split_title

MIN_TYPO_NAME = 5
"""Shorter names ("AI", "BI") differ by one letter without being typos."""
PERSONA_ORDER = (
    "colour",
    "kind",
    "category",
    "team",
    "interacts_with",
    "processes",
    "architectures",
    "scope",
    "services",
    "data_access",
    "skills",
    "learn",
    "people",
    "goal",
    "responsibilities",
    "example_roles",
)
TEAM_KEYS = ("department", "group")
_NUMBERED = re.compile(r"^([A-Za-z]*[-_]?)(\d+)$")


@dataclass
class Assembled:
    personas: list[Block]
    teams: list[Block]
    rbac: dict | None


def assemble(
    drafts: list[Draft],
    environments: list[str],
    grants: list[Grant],
    has_rbac: bool,
    report: Report,
) -> Assembled:
    _give_ids(drafts, report)
    ids = {d.id.value.casefold(): d.id.value for d in drafts if d.id}
    _resolve_interactions(drafts, ids)
    teams = _teams(drafts, ids, report)
    unread = _unread_fields(drafts, report)
    personas = [_persona_block(draft, unread, report) for draft in drafts]
    rbac = _rbac(drafts, environments, grants, report) if has_rbac else None
    return Assembled(personas, teams, rbac)


def _give_ids(drafts: list[Draft], report: Report) -> None:
    taken = {d.id.value.casefold() for d in drafts if d.id}
    numbered = [m for d in drafts if d.id and (m := _NUMBERED.match(d.id.value))]
    prefix, width = ("P", 3)
    if numbered:
        prefix = Counter(m.group(1) for m in numbered).most_common(1)[0][0]
        width = max(len(m.group(2)) for m in numbered if m.group(1) == prefix)
    number = max((int(m.group(2)) for m in numbered if m.group(1) == prefix), default=0)
    for draft in drafts:
        if draft.id is not None:
            continue
        number += 1
        while f"{prefix}{number:0{width}d}".casefold() in taken:
            number += 1
        new_id = f"{prefix}{number:0{width}d}"
        taken.add(new_id.casefold())
        draft.id = Value(new_id, draft.name.where)
        draft.comments["id"] = "given by the import"
        warn(
            report,
            draft.name.where,
            f"`{draft.name.value}` has no id, so it is given {new_id}; "
            f"write `{draft.name.value} ({new_id})` or add an ID column to choose one",
            "CF555",
        )


def _resolve_interactions(drafts: list[Draft], ids: dict[str, str]) -> None:
    names: dict[str, list[str]] = {}
    for draft in drafts:
        names.setdefault(" ".join(draft.name.value.casefold().split()), []).append(draft.id.value)  # type: ignore[union-attr]
    for draft in drafts:
        value = draft.fields.get("interacts_with")
        if value is None:
            continue
        resolved = []
        for ref in value.value:
            title = split_title(ref)
            by_name = names.get(" ".join(ref.casefold().split()), [])
            if title.id and title.id.casefold() in ids:
                resolved.append(ids[title.id.casefold()])
            elif ref.casefold() in ids:
                resolved.append(ids[ref.casefold()])
            elif len(by_name) == 1:
                resolved.append(by_name[0])
            else:
                resolved.append(ref)
        value.value = list(dict.fromkeys(resolved))


def _teams(drafts: list[Draft], ids: dict[str, str], report: Report) -> list[Block]:
    """Every team named, in order of first mention, each spelt as it first was."""
    spelling: dict[str, tuple[str, Where]] = {}
    attributes: dict[str, dict[str, str]] = {}
    members: set[str] = set()
    for draft in drafts:
        for key, value in _team_mentions(draft, ids):
            canonical, _ = spelling.setdefault(value.value.casefold(), (value.value, value.where))
            if canonical != value.value:
                _respell(draft, key, value.value, canonical)
            if key == "team":
                members.add(canonical.casefold())
        team = draft.fields.get("team")
        if team is not None:
            bucket = attributes.setdefault(team.value.casefold(), {})
            for key in TEAM_KEYS:
                if key in draft.fields:
                    bucket.setdefault(key, draft.fields[key].value)
    _report_near_teams(list(spelling.values()), report)
    supported = TeamSpec.model_fields
    blocks = []
    for folded, (name, _where) in spelling.items():
        block = Block()
        block.add("name", name, "" if folded in members else "named only as a team personas work with")
        for key, text in attributes.get(folded, {}).items():
            if key in supported:
                block.add(key, text)
        blocks.append(block)
    return blocks


def _team_mentions(draft: Draft, ids: dict[str, str]) -> list[tuple[str, Value]]:
    found = []
    team = draft.fields.get("team")
    if team is not None:
        found.append(("team", team))
    interacts = draft.fields.get("interacts_with")
    for name in interacts.value if interacts else []:
        if name.casefold() not in ids and name.casefold() not in ALL_TEAMS:
            found.append(("interacts_with", Value(name, interacts.where)))  # type: ignore[union-attr]
    return found


def _respell(draft: Draft, key: str, written: str, canonical: str) -> None:
    value = draft.fields[key]
    if key == "team":
        value.value = canonical
    else:
        value.value = [canonical if name == written else name for name in value.value]


def _report_near_teams(teams: list[tuple[str, Where]], report: Report) -> None:
    """Names one typo apart (a letter missing, extra, wrong or two swapped): one team spelt twice."""
    for index, (name, where) in enumerate(teams):
        for earlier, first_where in teams[:index]:
            if min(len(name), len(earlier)) >= MIN_TYPO_NAME and typo_distance(name, earlier) <= 1:
                warn(
                    report,
                    where,
                    f"team `{name}` is close to `{earlier}` (at {first_where.cite()}) but not the same, so it "
                    "becomes a team of its own; correct the spelling if it is the same team",
                    "CF556",
                )
                break


def typo_distance(first: str, second: str) -> int:
    """Edits between two names, case ignored; a swap of neighbouring letters counts as one."""
    a, b = first.casefold(), second.casefold()
    if abs(len(a) - len(b)) > 1:
        return 2
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _unread_fields(drafts: list[Draft], report: Report) -> set[str]:
    """Fields the deck format defines that this cardforge's validator does not accept yet."""
    supported = set(PersonaSpec.model_fields)
    team_supported = set(TeamSpec.model_fields)
    unread: set[str] = set()
    for draft in drafts:
        for key, value in draft.fields.items():
            known = key in supported if key not in TEAM_KEYS else key in team_supported
            if known or key in unread:
                continue
            unread.add(key)
            warn(
                report,
                value.where,
                f"{LABELS[key]} is part of the deck format but this cardforge does not read it yet, "
                "so it goes to the notes; move it to its own key after upgrading",
                "CF554",
            )
    return unread


def _persona_block(draft: Draft, unread: set[str], report: Report) -> Block:
    assert draft.id is not None
    block = Block(comment=_origin(draft))
    block.add("id", draft.id.value, draft.comments.get("id", ""))
    block.add("name", draft.name.value)
    extra: list[str] = []
    for key in PERSONA_ORDER + TEAM_KEYS:
        value = draft.fields.get(key)
        if value is None:
            continue
        if key in unread:
            extra.append(f"{LABELS[key]}: {_as_text(value.value)}")
        elif key not in TEAM_KEYS:
            block.add(key, _yaml_value(key, value.value), draft.comments.get(key, ""))
    block.add("notes", _notes(draft, extra, report))
    return block


def _origin(draft: Draft) -> str:
    places = []
    for record in draft.records:
        kind = "table row" if record.kind == "row" else "card"
        places.append(f"{record.where.cite()} ({kind})")
    return "from " + ", ".join(dict.fromkeys(places))


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(item.text if isinstance(item, Item) else str(item) for item in value)
    return str(value)


def _yaml_value(key: str, value: object) -> object:
    if key == "services":
        return [{"name": i.text, "url": i.url} if i.url else i.text for i in value]  # type: ignore[attr-defined]
    if key == "learn":
        return [{"title": i.text, "url": i.url} if i.text else {"url": i.url} for i in value]  # type: ignore[attr-defined]
    return value


def _notes(draft: Draft, extra: list[str], report: Report) -> str | None:
    base = draft.fields["notes"].value if "notes" in draft.fields else ""
    lines = extra + [text for text, _ in draft.notes]
    lines = list(dict.fromkeys(line for line in lines if not same_name(line, base)))
    text = "\n\n".join(part for part in (base, "\n".join(lines)) if part)
    if len(text) > MAX_TEXT:
        where = draft.fields["notes"].where if "notes" in draft.fields else draft.name.where
        fail(
            report,
            where,
            f"the notes of {draft.label} would be {len(text):,} characters; at most {MAX_TEXT:,} fit; "
            "shorten the notes or the columns that go to them",
            "CF506",
        )
    return text or None


def _rbac(drafts: list[Draft], environments: list[str], grants: list[Grant], report: Report) -> dict:
    by_id = {d.id.value.casefold(): d.id.value for d in drafts if d.id}
    by_name = {" ".join(d.name.value.casefold().split()): d.id.value for d in drafts if d.id}
    written = []
    for grant in grants:
        persona = by_id.get(grant.persona.casefold()) or by_name.get(
            " ".join(grant.persona.casefold().split())
        )
        if persona is None:
            fail(
                report,
                grant.where,
                f"this grant is for `{grant.persona}`, which is not a persona of the import; "
                "use an id from the persona sheet",
                "CF506",
            )
            continue
        written.append({"persona": persona, "service": grant.service, "roles": grant.roles})
    return {"environments": environments or ["Dev", "Stage", "Prod"], "grants": written}
