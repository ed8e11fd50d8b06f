"""The organisation: departments, groups of teams, teams, and the personas that live in each.

People know their organisation by its departments and teams, not by persona ids; this slide
shows where each persona lives. The hierarchy reads top-down in columns: a department's
name over its groups, a group's name over its teams, each team a panel with its personas'
ID chips, names and, in smaller type, the job titles that usually fill them. Agents are
marked; a team with no persona of its own says so (an outside team that personas work with,
or a declared team nobody fills yet).

Small decks get larger type; large ones flow over balanced columns and numbered slides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..diagnostics import Report
from ..model import Deck, Partner, Persona, Team
from ..spec.slides import Options
from ..text.fit import ellipsize
from .chrome import numbered, overview_frame, persona_chip, text_box
from .flow import Page, Placed, Unit, balanced, flow
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, pt

TITLE = "Where the personas live"
NO_DEPARTMENT = "Other teams"
NO_TEAM = "No team given"
GUTTER_PT = 20
PAD_PT = 6
CHIP_GAP_PT = 6
MIN_COLUMN_PT = 190
MAX_ROLE_LINES = 3
"""Example roles beyond this many lines end in an ellipsis: the card lists them all."""


@dataclass(frozen=True)
class Scale:
    """Type sizes, largest first: small decks read from further away."""

    department: int
    group: int
    team: int
    name: int
    role: int
    chip: int
    """Chip height in points (its ID is set at about half of it, so never under 10 pt)."""


SCALES = (
    Scale(22, 16, 18, 18, 14, 30),
    Scale(18, 13, 15, 14, 12, 24),
    Scale(16, 12, 13, 12, 11, 22),
    Scale(14, 11, 12, 11, 10, 20),
)


@dataclass(frozen=True)
class Heading:
    kind: str
    """``department`` or ``group``."""
    text: str


@dataclass(frozen=True)
class TeamHeading:
    team: Team
    note: str


@dataclass(frozen=True)
class Member:
    persona: Persona
    team: Team


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `organisation` section: one slide, or balanced numbered slides for a large deck."""
    teams = _teams(deck)
    if not teams:
        return []
    _, area, _ = overview_frame(deck, fonts, numbered(TITLE, 1, 9), "")
    pages, scale, width = _best_flow(deck, fonts, teams, area)
    slides = []
    for number, page in enumerate(pages, start=1):
        slide, area, notes = overview_frame(deck, fonts, numbered(TITLE, number, len(pages)), "Organisation")
        for index, column in enumerate(page):
            x = area.x + index * (width + pt(GUTTER_PT))
            _draw_column(deck, fonts, scale, slide, column, Box(x, area.y, width, area.h))
        slide.notes = "\n".join([*notes, *_notes(deck, teams)]) if number == 1 else "\n".join(notes)
        slides.append(slide)
    return slides


def _teams(deck: Deck) -> list[Team]:
    """Every team with a persona or declared, then outside teams; personas with no team last."""
    teams = list(deck.teams.values())
    homeless = [p.id for p in deck.personas if not p.team]
    if homeless:
        teams.append(Team(NO_TEAM, members=homeless, declared=False))
    return sorted(teams, key=lambda team: team.external)


def _best_flow(deck: Deck, fonts: Fonts, teams: list[Team], area: Box) -> tuple[list[Page], Scale, int]:
    """The largest type and the column count that need the fewest slides, columns balanced.

    Returns the pages, the type scale and the column width.
    """
    # Count the pages of every scale and column count at full height first (one pass each),
    # smallest type first: a larger type whose rows alone (a chip's height each) need more
    # pages than found so far is not measured at all. Only the fewest pages at the largest
    # type are then balanced (a search of many passes).
    rows = sum(len(team.members) for team in teams)
    combos = []
    for rank, scale in enumerate(SCALES):
        for columns in range(1, 5):
            width = (area.w - pt(GUTTER_PT) * (columns - 1)) // columns
            if width < pt(MIN_COLUMN_PT) and columns > 1:
                break
            combos.append((rank, scale, columns, width))
    candidates: list[tuple[tuple[int, int], int, Scale, int, list[Unit]]] = []
    fewest_pages = None
    for rank, scale, columns, width in reversed(combos):
        least_pages = -(-rows * pt(scale.chip) // (columns * area.h))
        if fewest_pages is not None and least_pages > fewest_pages:
            continue
        units = list(_units(deck, fonts, scale, teams, width))
        full = flow(units, columns, area.h)
        if full is not None:
            candidates.append(((len(full), rank), columns, scale, width, units))
            fewest_pages = len(full) if fewest_pages is None else min(fewest_pages, len(full))
    best: tuple[int, list[Page], Scale, int] | None = None
    fewest = min((candidate[0] for candidate in candidates), default=None)
    for key, columns, scale, width, units in sorted(candidates, key=lambda c: (c[0][1], c[1])):
        result = balanced(units, columns, area.h) if key == fewest else None
        if result is not None and (best is None or result[1] < best[0]):
            best = (result[1], result[0], scale, width)
    if best is None:  # a row taller than the slide even in the smallest type: cut to a third
        scale, width = SCALES[-1], area.w  # (the headings it repeats must fit beside it)
        units = [
            replace(u, height=min(u.height, area.h // 3)) for u in _units(deck, fonts, scale, teams, width)
        ]
        pages, _ = balanced(units, 1, area.h) or ([], 0)
        return pages, scale, width
    return best[1], best[2], best[3]


def _units(deck: Deck, fonts: Fonts, scale: Scale, teams: list[Team], width: int) -> Iterator[Unit]:
    """The hierarchy as flowable units: headings kept with what follows, rows, gaps."""
    show_departments = any(team.department for team in teams)
    for department, groups in _hierarchy(teams).items():
        if show_departments:
            height = _heading_height(fonts, scale.department, department, width)
            yield Unit(height, Heading("department", department), keep_with_next=True)
        for group, members in groups.items():
            if group:
                height = _heading_height(fonts, scale.group, group, width) + pt(2)
                yield Unit(height, Heading("group", group), keep_with_next=True)
            for team in members:
                yield from _team_units(deck, fonts, scale, team, width)


def _hierarchy(teams: list[Team]) -> dict[str, dict[str, list[Team]]]:
    """Department -> group -> teams, in the order teams first name them; the unnamed last."""
    tree: dict[str, dict[str, list[Team]]] = {}
    for team in sorted(teams, key=lambda t: (t.department is None, t.group is None)):
        tree.setdefault(team.department or NO_DEPARTMENT, {}).setdefault(team.group or "", []).append(team)
    return tree


def _team_units(deck: Deck, fonts: Fonts, scale: Scale, team: Team, width: int) -> Iterator[Unit]:
    inner = width - 2 * pt(PAD_PT)
    members = [p for p in (deck.persona(pid) for pid in team.members) if p is not None]
    note = _team_note(deck, team, members)
    heading = TeamHeading(team, note)
    height = pt(PAD_PT) + _text_height(fonts, _team_paragraphs(deck, scale, heading), inner) + pt(4)
    continued = pt(PAD_PT) + _text_height(fonts, _team_paragraphs(deck, scale, heading, True), inner) + pt(4)
    yield Unit(height, heading, keep_with_next=True)
    repeat = Unit(continued, heading)
    for persona in members:
        row = _member_height(deck, fonts, scale, persona, inner)
        yield Unit(row + pt(4), Member(persona, team), repeat=repeat)
    yield Unit(pt(PAD_PT + 8), None, gap=True)


def _team_note(deck: Deck, team: Team, members: list[Persona]) -> str:
    if members:
        return ""
    if team.external:
        partners = sorted({p.id for p in deck.personas if Partner("team", team.name) in p.interacts_with})
        return "Outside this deck; worked with by " + ", ".join(partners) if partners else "Outside this deck"
    return "No persona in this team yet"


def _team_paragraphs(
    deck: Deck, scale: Scale, heading: TeamHeading, continued: bool = False
) -> list[Paragraph]:
    name = heading.team.name + (" (continued)" if continued else "")
    paragraphs = [Paragraph((Run(name),), scale.team, colour=deck.theme.text, bold=True, font="heading")]
    if heading.note and not continued:
        paragraphs.append(Paragraph((Run(heading.note, italic=True),), scale.role, colour=deck.theme.muted))
    return paragraphs


def _member_paragraphs(
    deck: Deck, fonts: Fonts, scale: Scale, persona: Persona, width: int
) -> list[Paragraph]:
    runs = [Run(_one_line(persona.name))]
    if persona.is_agent:
        runs.append(Run("  agent", bold=True, colour=deck.theme.muted))
    paragraphs = [Paragraph(tuple(runs), scale.name, colour=deck.theme.text)]
    if persona.example_roles:
        roles = _roles_text(fonts, scale, persona, width)
        paragraphs.append(Paragraph((Run(roles),), scale.role, colour=deck.theme.muted))
    return paragraphs


def _roles_text(fonts: Fonts, scale: Scale, persona: Persona, width: int) -> str:
    """ "e.g." and the example roles, cut after a few lines: examples, not the list (the card
    has it)."""
    roles = "e.g. " + ", ".join(_one_line(role) for role in persona.example_roles)
    lines = fonts.wrapped(roles, width, scale.role)
    if len(lines) <= MAX_ROLE_LINES:
        return roles
    words = " ".join(lines[MAX_ROLE_LINES - 1 : MAX_ROLE_LINES + 1]).split()
    while len(words) > 1 and fonts.body.width(" ".join(words) + " …", scale.role) > width / EMU_PER_PT:
        words.pop()  # cut between words, never inside one
    last = ellipsize(" ".join(words) + " …", width / EMU_PER_PT, scale.role, fonts.body)
    return " ".join([*lines[: MAX_ROLE_LINES - 1], last])


def _one_line(text: str) -> str:
    """*text* with its line breaks as spaces: a row wraps to its column, not where typed."""
    return " ".join(text.split())


def _chip_width(fonts: Fonts, scale: Scale, persona: Persona) -> int:
    size = _chip_text_size(scale)
    return pt(fonts.width_pt(persona.id, size, "body", True) + 12)


def _chip_text_size(scale: Scale) -> int:
    return max(10, min(12, int(scale.chip * 0.55)))


def _member_height(deck: Deck, fonts: Fonts, scale: Scale, persona: Persona, inner: int) -> int:
    text_width = inner - _chip_width(fonts, scale, persona) - pt(CHIP_GAP_PT)
    paragraphs = _member_paragraphs(deck, fonts, scale, persona, text_width)
    return max(pt(scale.chip), _text_height(fonts, paragraphs, text_width))


def _heading_height(fonts: Fonts, size: int, text: str, width: int) -> int:
    paragraph = Paragraph((Run(text),), size, bold=True, font="heading")
    return _text_height(fonts, [paragraph], width) + pt(6)


def _text_height(fonts: Fonts, paragraphs: list[Paragraph], width: int) -> int:
    return round(fonts.height_pt(paragraphs, width) * EMU_PER_PT) + pt(1)


def _draw_column(
    deck: Deck, fonts: Fonts, scale: Scale, slide: Slide, column: list[Placed], box: Box
) -> None:
    panels: dict[int, list[Placed]] = {}
    for placed in column:
        item = placed.unit.item
        if isinstance(item, (TeamHeading, Member)):
            key = id(item.team)
            panels.setdefault(key, []).append(placed)
    for rows in panels.values():
        top = box.y + rows[0].y
        bottom = box.y + rows[-1].y + rows[-1].unit.height + pt(PAD_PT) - pt(4)
        team = rows[0].unit.item.team
        slide.add(
            Shape(
                f"team:{team.name}:panel:{top}",
                Box(box.x, top, box.w, bottom - top),
                geometry="roundRect",
                fill=deck.theme.card,
                line=None if team.members else deck.theme.muted,
                dash=None if team.members else "dash",
                adjust=6000,  # its team's name heads it: the panel itself is decorative
            )
        )
    for placed in column:
        _draw_unit(deck, fonts, scale, slide, placed, box)


def _draw_unit(deck: Deck, fonts: Fonts, scale: Scale, slide: Slide, placed: Placed, box: Box) -> None:
    item = placed.unit.item
    y = box.y + placed.y
    inner = Box(box.x + pt(PAD_PT), y, box.w - 2 * pt(PAD_PT), placed.unit.height)
    if isinstance(item, Heading):
        size = scale.department if item.kind == "department" else scale.group
        colour = deck.theme.accent if item.kind == "department" else deck.theme.muted
        paragraph = Paragraph((Run(item.text),), size, colour=colour, bold=True, font="heading")
        slide.add(
            text_box(f"{item.kind}:{item.text}:{y}", Box(box.x, y, box.w, placed.unit.height), [paragraph])
        )
        if item.kind == "department":
            rule = Box(box.x, y + placed.unit.height - pt(4), box.w, pt(1.5))
            slide.add(Shape(f"department:{item.text}:rule:{y}", rule, fill=deck.theme.accent))
    elif isinstance(item, TeamHeading):
        paragraphs = _team_paragraphs(deck, scale, item, placed.continued)
        top = Box(inner.x, y + pt(PAD_PT), inner.w, placed.unit.height - pt(PAD_PT))
        slide.add(text_box(f"team:{item.team.name}:name:{y}", top, paragraphs))
    elif isinstance(item, Member):
        _draw_member(deck, fonts, scale, slide, item.persona, inner)


def _draw_member(deck: Deck, fonts: Fonts, scale: Scale, slide: Slide, persona: Persona, box: Box) -> None:
    chip_w = _chip_width(fonts, scale, persona)
    chip = Box(box.x, box.y, chip_w, pt(scale.chip))
    slide.add(persona_chip(persona, chip, fonts, f"persona:{persona.id}:chip:{box.y}", f"#card:{persona.id}"))
    text = Box(chip.right + pt(CHIP_GAP_PT), box.y, box.w - chip_w - pt(CHIP_GAP_PT), box.h - pt(4))
    paragraphs = _member_paragraphs(deck, fonts, scale, persona, text.w)
    if text.h <= pt(scale.chip):  # one line beside the chip: centred on it
        text = Box(text.x, chip.y, text.w, chip.h)
        slide.add(text_box(f"persona:{persona.id}:name:{box.y}", text, paragraphs, anchor="ctr"))
    else:
        slide.add(text_box(f"persona:{persona.id}:name:{box.y}", text, paragraphs))


def _notes(deck: Deck, teams: list[Team]) -> list[str]:
    """The hierarchy as text, for the speaker and for screen readers."""
    lines = []
    for department, groups in _hierarchy(teams).items():
        lines.append(department)
        for group, members in groups.items():
            if group:
                lines.append(f"  {group}")
            for team in members:
                personas = [deck.persona(pid) for pid in team.members]
                names = ", ".join(f"{p.id} {p.name}" for p in personas if p is not None)
                lines.append(f"    {team.name}: {names or _team_note(deck, team, [])}")
    return lines
