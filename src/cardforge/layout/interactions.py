"""Interactions: personas and teams as nodes, primary interactions as glued connectors.

Teams stand in the middle column; personas, grouped by their team, stand in the columns
left and right of it. Every edge from a persona to a team then crosses only the empty gap
between columns, never a node. Up to 30 personas share one slide; beyond that each team
gets its own slide, its members on the left and whoever they talk to in the middle.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck, Persona
from ..spec.slides import Options
from ..text.fit import ellipsize
from ..theme.contrast import darken_to_contrast, text_on
from .chrome import numbered, overview_frame, text_box
from .connectors import BOTTOM, LEFT, RIGHT, TOP, straight
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, TextFrame, pt

MAX_ON_ONE_SLIDE = 30
LEGEND_PT = 20
ALL_TEAMS = "All teams"


@dataclass
class _Node:
    key: str
    """``persona:ID`` or ``team:NAME``: also the shape's name."""
    label: str
    fill: str
    text: str
    bold: bool = False
    box: Box | None = None


def interaction_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    if not any(p.interacts_with for p in deck.personas):
        return []
    if len(deck.personas) <= MAX_ON_ONE_SLIDE:
        return [_slide(deck, fonts, "Interactions", deck.personas, split=True)]
    slides = []
    teams = [t for t in deck.teams.values() if t.members]
    loners = [p for p in deck.personas if not p.team]
    groups = [(t.name, [deck.persona(m) for m in t.members]) for t in teams] + (
        [("No team", loners)] if loners else []
    )
    for team, members in groups:
        members = [m for m in members if m is not None and m.interacts_with]
        for index in range(0, len(members), MAX_ON_ONE_SLIDE // 2):
            page = members[index : index + MAX_ON_ONE_SLIDE // 2]
            count = (len(members) + MAX_ON_ONE_SLIDE // 2 - 1) // (MAX_ON_ONE_SLIDE // 2)
            title = numbered(f"Interactions: {team}", index // (MAX_ON_ONE_SLIDE // 2) + 1, count)
            slides.append(_slide(deck, fonts, title, page, split=False))
    return slides


def _slide(deck: Deck, fonts: Fonts, title: str, personas: list[Persona], split: bool) -> Slide:
    slide, area, notes = overview_frame(deck, fonts, title, "Interactions")
    theme = deck.theme
    body = Box(area.x, area.y, area.w, area.h - pt(LEGEND_PT))
    gap = body.w // 7
    side_w = (body.w - 2 * gap) * 2 // 5 if split else (body.w - gap) // 2
    middle_w = body.w - 2 * gap - 2 * side_w if split else body.w - gap - side_w
    left_x = body.x
    middle_x = left_x + side_w + gap
    right_x = middle_x + middle_w + gap

    order = {id(p): index for index, p in enumerate(deck.personas)}
    ranks = {name: index for index, name in enumerate(deck.teams)}
    ordered = sorted(personas, key=lambda p: (ranks.get(p.team, len(ranks)), order[id(p)]))
    left, right = _split(ordered, deck) if split else (ordered, [])
    persona_nodes = {p.id: _persona_node(p) for p in ordered}
    _stack(deck, fonts, slide, left, persona_nodes, Box(left_x, body.y, side_w, body.h))
    _stack(deck, fonts, slide, right, persona_nodes, Box(right_x, body.y, side_w, body.h))

    targets = _targets(deck, ordered, persona_nodes)
    middle = _order_targets(targets, ordered, persona_nodes)
    _place_column(middle, Box(middle_x, body.y, middle_w, body.h), fonts)
    _clear_crossings(middle, Box(middle_x, body.y, middle_w, body.h), _side_to_side(ordered, persona_nodes))
    for node in middle:
        slide.add(_node_shape(node, fonts))

    for persona in ordered:
        source = persona_nodes[persona.id]
        for target_name in persona.interacts_with:
            target = _find_target(target_name, targets, persona_nodes, deck)
            if target is None or target.box is None or source.box is None:
                continue
            if source.box.x == target.box.x:  # same column: straight down or up, between the two
                start_site, end_site = (BOTTOM, TOP) if source.box.y < target.box.y else (TOP, BOTTOM)
            else:
                start_site, end_site = (RIGHT, LEFT) if source.box.x < target.box.x else (LEFT, RIGHT)
            colour = darken_to_contrast(persona.colour.hex, theme.background)
            slide.add(
                straight(
                    f"interaction:{persona.id}->{target.key}",
                    (source.key, source.box, start_site),
                    (target.key, target.box, end_site),
                    colour,
                )
            )
    _legend(deck, fonts, slide, area)
    slide.notes = "\n".join(notes)
    return slide


def _split(personas: list[Persona], deck: Deck) -> tuple[list[Persona], list[Persona]]:
    """Two columns, cut at a team boundary, so that edges between personas of one column
    do not have to pass other personas; among such cuts, the most even one."""
    half = (len(personas) + 1) // 2
    cuts = {half} | {i for i in range(1, len(personas)) if personas[i].team != personas[i - 1].team}
    position = {p.id: i for i, p in enumerate(personas)}
    by_label = {f"{p.name} ({p.id})": p.id for p in personas}
    links = [
        (position[p.id], position[by_label[name]])
        for p in personas
        for name in p.interacts_with
        if name in by_label
    ]

    def blocked(cut: int) -> int:
        return sum(1 for a, b in links if (a < cut) == (b < cut) and abs(a - b) > 1)

    def uneven(cut: int) -> int:
        return abs(cut - half) + (
            0 if cut == half or personas[cut].team != personas[cut - 1].team else len(personas)
        )

    cut = min(cuts, key=lambda c: (blocked(c), uneven(c)))
    return personas[:cut], personas[cut:]


def _persona_node(persona: Persona) -> _Node:
    return _Node(
        f"persona:{persona.id}",
        f"{persona.id}  {persona.name}",
        persona.colour.hex,
        text_on(persona.colour.hex),
    )


def _stack(deck: Deck, fonts: Fonts, slide: Slide, personas: list[Persona], nodes: dict, column: Box) -> None:
    """Personas stacked in *column*, each team's group under a small caption."""
    if not personas:
        return
    groups: list[tuple[str, list[Persona]]] = []
    for persona in personas:
        team = persona.team or "No team"
        if not groups or groups[-1][0] != team:
            groups.append((team, []))
        groups[-1][1].append(persona)
    rows = len(personas) + len(groups)
    pitch = min(column.h // rows, pt(34))
    node_h = max(pt(14), pitch - pt(6))
    y = column.y + (column.h - pitch * rows) // 2
    size = _size_for(node_h)
    for team, members in groups:
        caption = ellipsize(team, column.w / EMU_PER_PT, size, fonts.body, True)
        slide.add(
            text_box(
                f"caption:{team}",
                Box(column.x, y, column.w, pitch),
                [Paragraph((Run(caption),), size, colour=deck.theme.muted, bold=True)],
                anchor="b",
            )
        )
        y += pitch
        for persona in members:
            node = nodes[persona.id]
            node.box = Box(column.x, y + (pitch - node_h) // 2, column.w, node_h)
            slide.add(_node_shape(node, fonts))
            y += pitch


def _size_for(node_h: int) -> int:
    return max(8, min(12, int(node_h / EMU_PER_PT * 0.5)))


def _node_shape(node: _Node, fonts: Fonts) -> Shape:
    box = node.box
    size = _size_for(box.h)
    text = ellipsize(node.label, box.w / EMU_PER_PT - 12, size, fonts.body, node.bold)
    paragraph = Paragraph((Run(text),), size, colour=node.text, bold=node.bold, align="ctr")
    link = f"#card:{node.key.split(':', 1)[1]}" if node.key.startswith("persona:") else None
    return Shape(
        node.key,
        box,
        geometry="roundRect",
        fill=node.fill,
        line="7F7F7F" if node.key.startswith("team:") else None,
        line_width=pt(1),
        text=TextFrame((paragraph,), anchor="ctr", inset=(pt(6), 0, pt(6), 0)),
        adjust=20000,
        link=link,
        description=node.label,
    )


def _targets(deck: Deck, personas: list[Persona], persona_nodes: dict) -> dict[str, _Node]:
    """Nodes for everything personas interact with that is not a persona on this slide."""
    targets: dict[str, _Node] = {}
    by_label = {f"{p.name} ({p.id})": p for p in deck.personas}
    for persona in personas:
        for name in persona.interacts_with:
            target = by_label.get(name)
            if target is not None and target.id in persona_nodes:
                continue
            if name in targets:
                continue
            if target is not None:
                node = _persona_node(target)
                targets[name] = node
            else:
                targets[name] = _Node(f"team:{name}", name, deck.theme.card, deck.theme.text, bold=True)
    return targets


def _order_targets(targets: dict[str, _Node], personas: list[Persona], persona_nodes: dict) -> list[_Node]:
    """Middle-column order by the mean height of the personas pointing at each target."""

    def barycentre(name: str) -> float:
        ys = [
            persona_nodes[p.id].box.y
            for p in personas
            if name in p.interacts_with and persona_nodes[p.id].box
        ]
        return sum(ys) / len(ys) if ys else 0.0

    return [targets[name] for name in sorted(targets, key=barycentre)]


def _place_column(nodes: list[_Node], column: Box, fonts: Fonts) -> None:
    if not nodes:
        return
    pitch = min(column.h // len(nodes), pt(56))
    node_h = max(pt(14), min(pt(36), pitch - pt(10)))
    y = column.y + (column.h - pitch * len(nodes)) // 2
    for node in nodes:
        node.box = Box(column.x, y + (pitch - node_h) // 2, column.w, node_h)
        y += pitch


def _side_to_side(personas: list[Persona], nodes: dict) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The straight edges that join personas in opposite columns (they cross the middle)."""
    from .connectors import site_point

    by_label = {f"{p.name} ({p.id})": p.id for p in personas}
    segments = []
    for persona in personas:
        source = nodes[persona.id].box
        for name in persona.interacts_with:
            target_id = by_label.get(name)
            target = nodes[target_id].box if target_id else None
            if source is None or target is None or source.x == target.x:
                continue
            sites = (RIGHT, LEFT) if source.x < target.x else (LEFT, RIGHT)
            segments.append((site_point(source, sites[0]), site_point(target, sites[1])))
    return segments


def _clear_crossings(nodes: list[_Node], column: Box, segments: list) -> None:
    """Move middle nodes, as little as possible, off the lines that cross the column."""
    from .connectors import segment_hits_box

    if not segments:
        return
    gap = pt(6)
    placed: list[Box] = []
    for node in nodes:
        wanted = node.box
        step = pt(4)
        candidates = sorted(
            range(column.y, column.bottom - wanted.h + 1, step), key=lambda y: abs(y - wanted.y)
        )
        for y in candidates:
            box = Box(wanted.x, y, wanted.w, wanted.h)
            padded = Box(box.x, box.y - gap, box.w, box.h + 2 * gap)
            free = all(not padded.overlaps(other) for other in placed)
            if free and not any(segment_hits_box(a, b, box) for a, b in segments):
                node.box = box
                break
        placed.append(node.box)


def _find_target(name: str, targets: dict[str, _Node], persona_nodes: dict, deck: Deck) -> _Node | None:
    if name in targets:
        return targets[name]
    persona = next((p for p in deck.personas if f"{p.name} ({p.id})" == name), None)
    return persona_nodes.get(persona.id) if persona else None


def _legend(deck: Deck, fonts: Fonts, slide: Slide, area: Box) -> None:
    text = (
        "Arrows run from a persona to its primary interaction, in the persona's colour. "
        "Grey boxes are teams; personas stand under their team's name."
    )
    box = Box(area.x, area.bottom - pt(LEGEND_PT) + pt(4), area.w, pt(LEGEND_PT) - pt(4))
    text = ellipsize(text, box.w / EMU_PER_PT, 10, fonts.body)
    slide.add(text_box("Legend", box, [Paragraph((Run(text),), 10, colour=deck.theme.muted)], anchor="b"))


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `interactions` section."""
    return interaction_slides(deck, fonts, report)
