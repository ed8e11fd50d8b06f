"""Architecture slides: layers as zones, components as native shapes, flows as glued
connectors with numbered labels, and a badge per persona on each component it uses.

Zones run left to right (or top to bottom for ``direction: vertical``). Flow lines are
drawn beneath the components, so a flow that skips a layer passes behind it rather than
over it; each flow's number sits on the line where no component is. Components nobody
uses are dashed and grey. Services personas name that the diagram lacks are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..diagnostics import Report
from ..model import Architecture, Component, Deck, Persona
from ..text.fit import ellipsize, line_height
from ..theme.contrast import darken_to_contrast
from .chrome import numbered, overview_frame, persona_chip, text_box
from .connectors import BOTTOM, LEFT, RIGHT, TOP, site_point, straight
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Element, Group, Paragraph, Run, Shape, Slide, TextFrame, pt

MAX_COMPONENTS = 40
MAX_PERSONAS = 15
ZONE_GAP_PT = 14
BADGE = (34, 15)
LEGEND_ROW_PT = 18
NAME_TOP_PT = 4
MAX_LABEL_PT = 90
BADGE_GAP_PT = 5


@dataclass
class _Plan:
    """Who uses what on one architecture."""

    architecture: Architecture
    users: dict[str, list[Persona]] = field(default_factory=dict)
    """Component id -> personas whose services name it."""
    personas: list[Persona] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Service name -> ids of personas of this architecture that need it but it is not drawn."""


def architecture_slides(deck: Deck, arch_id: Optional[str], per_persona: bool, fonts: Fonts, report: Report) -> list[Slide]:
    ids = [arch_id] if arch_id else _used_architectures(deck)
    slides: list[Slide] = []
    for current in ids:
        plan = _plan(deck, deck.architectures[current])
        slides += _diagram_slides(deck, plan, fonts)
        if per_persona:
            for persona in plan.personas:
                slides += _diagram_slides(deck, plan, fonts, focus=persona)
    return slides


def _used_architectures(deck: Deck) -> list[str]:
    used: list[str] = []
    for persona in deck.personas:
        for arch_id in persona.architectures:
            if arch_id not in used:
                used.append(arch_id)
    return used


def _plan(deck: Deck, architecture: Architecture) -> _Plan:
    plan = _Plan(architecture)
    by_name: dict[str, list[Component]] = {}
    for component in architecture.components():
        for name in (component.name, *component.aliases):
            by_name.setdefault(name.strip().casefold(), []).append(component)
    for persona in deck.personas:
        touched = False
        for service in persona.services:
            matches = by_name.get(service.name.strip().casefold(), [])
            for component in matches:
                users = plan.users.setdefault(component.id, [])
                if not users or users[-1] is not persona:  # personas are visited one at a time
                    users.append(persona)
            touched = touched or bool(matches)
            if not matches and architecture.id in persona.architectures:
                plan.missing.setdefault(service.name, []).append(persona.id)
        if touched:
            plan.personas.append(persona)
    return plan


def _diagram_slides(deck: Deck, plan: _Plan, fonts: Fonts, focus: Optional[Persona] = None) -> list[Slide]:
    architecture = plan.architecture
    groups = _layer_groups(architecture, plan)
    slides = []
    for index, layers in enumerate(groups, start=1):
        title = architecture.title + (f": {focus.id} {focus.name}" if focus else "")
        title = numbered(title, index, len(groups))
        slide, area, notes = overview_frame(deck, fonts, title, "Architecture")
        if len(groups) > 1:
            notes.append(
                f"{architecture.title} has more than {MAX_COMPONENTS} components or {MAX_PERSONAS} personas, "
                f"so it is split by layers over {len(groups)} slides; this one shows {', '.join(l.name for l in layers)}."
            )
        _draw(deck, plan, layers, slide, area, fonts, focus)
        slide.notes = "\n".join(notes)
        slides.append(slide)
    return slides


def _layer_groups(architecture: Architecture, plan: _Plan) -> list[list]:
    """Consecutive layers, as few groups as keep each within the component and persona limits."""
    groups: list[list] = [[]]
    components = 0
    personas: set[str] = set()
    for layer in architecture.layers:
        layer_personas = {p.id for c in layer.components for p in plan.users.get(c.id, [])}
        too_many = components + len(layer.components) > MAX_COMPONENTS or len(personas | layer_personas) > MAX_PERSONAS
        if groups[-1] and too_many:
            groups.append([])
            components, personas = 0, set()
        groups[-1].append(layer)
        components += len(layer.components)
        personas |= layer_personas
    return groups


def _draw(deck: Deck, plan: _Plan, layers: list, slide: Slide, area: Box, fonts: Fonts, focus: Optional[Persona]) -> None:
    theme = deck.theme
    on_slide = {p.id for layer in layers for c in layer.components for p in plan.users.get(c.id, [])}
    shown = [p for p in plan.personas if (focus is None or p is focus) and p.id in on_slide]
    legend_h = _legend_height(len(shown), area)
    missing_h = pt(16) if plan.missing and focus is None else 0
    body = Box(area.x, area.y, area.w, area.h - legend_h - missing_h - pt(8))
    zones = _zones(plan.architecture.direction, layers, body)
    boxes: dict[str, Box] = {}
    behind: list[Element] = []
    front: list[Element] = []
    for layer, zone in zip(layers, zones):
        behind.append(Shape(f"layer:{layer.name}", zone, geometry="roundRect", fill=theme.card, adjust=6000, description=f"Layer {layer.name}"))
        front.append(text_box(f"layer:{layer.name}:label", Box(zone.x + pt(6), zone.y + pt(4), zone.w - pt(12), pt(20)), [_label(layer.name, zone.w - pt(12), fonts, theme.text)], anchor="ctr"))
        placed = _components(layer.components, zone, plan, fonts, deck, focus, plan.architecture.direction)
        for component, box, elements in placed:
            boxes[component.id] = box
            front.extend(elements)
    flows = _flows(plan.architecture, boxes, deck, fonts)
    slide.elements.extend(behind)
    slide.elements.extend(flows[0])
    slide.elements.extend(front)
    slide.elements.extend(flows[1])
    _legend(deck, shown, slide, Box(area.x, body.bottom + pt(8) + missing_h, area.w, legend_h), fonts, focus)
    if missing_h:
        _missing(deck, plan, slide, Box(area.x, body.bottom + pt(4), area.w, missing_h), fonts)


def _label(text: str, width: int, fonts: Fonts, colour: str) -> Paragraph:
    size = 12
    while size > 8 and fonts.width_pt(text, size, "heading", True) > width / EMU_PER_PT:
        size -= 1
    return Paragraph((Run(ellipsize(text, width / EMU_PER_PT, size, fonts.heading, True)),), size, colour=colour, bold=True, font="heading", align="ctr")


def _zones(direction: str, layers: list, body: Box) -> list[Box]:
    count = len(layers)
    gap = pt(ZONE_GAP_PT)
    if direction == "vertical":
        height = (body.h - gap * (count - 1)) // count
        return [Box(body.x, body.y + i * (height + gap), body.w, height) for i in range(count)]
    width = (body.w - gap * (count - 1)) // count
    return [Box(body.x + i * (width + gap), body.y, width, body.h) for i in range(count)]


def _components(components, zone: Box, plan: _Plan, fonts: Fonts, deck: Deck, focus, direction: str):
    """Component boxes in *zone* with their badges; sizes shrink until the zone holds them."""
    inner = Box(zone.x + pt(6), zone.y + pt(28), zone.w - pt(12), zone.h - pt(34))
    count = len(components)
    for size in range(11, 6, -1):
        scale = size / 11
        badge_w, badge_h = pt(BADGE[0] * scale), pt(BADGE[1] * scale)
        if direction == "vertical":
            width = (inner.w - pt(6) * (count - 1)) // count
            heights = [_component_height(c, width, size, badge_w, badge_h, plan, fonts, focus) for c in components]
            if max(heights) <= inner.h or size == 7:
                boxes = [Box(inner.x + i * (width + pt(6)), inner.y, width, min(inner.h, max(heights))) for i in range(count)]
                break
        else:
            heights = [_component_height(c, inner.w, size, badge_w, badge_h, plan, fonts, focus) for c in components]
            gap = pt(6)
            if sum(heights) + gap * (count - 1) <= inner.h or size == 7:
                spare = max(0, inner.h - sum(heights) - gap * (count - 1))
                gap += min(spare // max(1, count), pt(10))
                y, boxes = inner.y, []
                for height in heights:
                    boxes.append(Box(inner.x, y, inner.w, min(height, inner.bottom - y)))
                    y += height + gap
                break
    result = []
    for component, box in zip(components, boxes):
        result.append((component, box, _component_elements(component, box, size, badge_w, badge_h, plan, fonts, deck, focus)))
    return result


def _users(component: Component, plan: _Plan, focus) -> list[Persona]:
    users = plan.users.get(component.id, [])
    return [p for p in users if p is focus] if focus is not None else users


def _component_height(component, width, size, badge_w, badge_h, plan, fonts, focus) -> int:
    name_lines = len(fonts.lines(Paragraph((Run(component.name),), size, align="ctr"), width - pt(8)))
    users = _users(component, plan, focus)
    per_row = max(1, (width - pt(6)) // (badge_w + pt(3)))
    rows = (len(users) + per_row - 1) // per_row
    return pt(NAME_TOP_PT + BADGE_GAP_PT + 5) + round(name_lines * line_height(size) * EMU_PER_PT) + rows * (badge_h + pt(3))


def _component_elements(component, box: Box, size, badge_w, badge_h, plan, fonts, deck, focus) -> list[Element]:
    theme = deck.theme
    users = _users(component, plan, focus)
    used = bool(users)
    per_row = max(1, (box.w - pt(6)) // (badge_w + pt(3)))
    name_lines = len(fonts.lines(Paragraph((Run(component.name),), size), box.w - pt(8)))
    text_h = round(name_lines * line_height(size) * EMU_PER_PT)
    name_h = pt(NAME_TOP_PT + BADGE_GAP_PT) + text_h
    # The box carries no text of its own: its name is a text box above the badges, so that
    # no text lies under a badge, and the three are grouped to move together.
    elements: list[Element] = [
        Shape(
            f"component:{component.id}",
            box,
            geometry="roundRect",
            fill=theme.background,
            line="595959" if used else "A6A6A6",
            line_width=pt(1),
            dash=None if used else "dash",
            adjust=12000,
            description=component.name + ("" if used else " (no persona has access)"),
        ),
        text_box(
            f"component:{component.id}:name",
            Box(box.x + pt(4), box.y + pt(NAME_TOP_PT), box.w - pt(8), text_h + pt(2)),
            [Paragraph((Run(component.name),), size, colour=theme.text if used else theme.muted, align="ctr")],
        ),
    ]
    for index, persona in enumerate(users):
        row, column = divmod(index, per_row)
        in_row = min(per_row, len(users) - row * per_row)
        left = box.x + (box.w - in_row * (badge_w + pt(3)) + pt(3)) // 2
        badge = Box(left + column * (badge_w + pt(3)), box.y + name_h + row * (badge_h + pt(3)), badge_w, badge_h)
        if badge.bottom > box.bottom:
            break
        elements.append(persona_chip(persona, badge, fonts, f"persona:{persona.id}", link=f"#card:{persona.id}"))
    return [Group(f"component:{component.id}:group", box, tuple(elements))]


def _flows(architecture: Architecture, boxes: dict[str, Box], deck: Deck, fonts: Fonts) -> tuple[list[Element], list[Element]]:
    """Connectors (to draw beneath components) and their number labels (to draw on top)."""
    lines: list[Element] = []
    labels: list[Element] = []
    colour = darken_to_contrast(deck.theme.accent, deck.theme.card, 3.0)
    for index, flow in enumerate(architecture.flows):
        source, target = boxes.get(flow.source), boxes.get(flow.target)
        if source is None or target is None:
            continue  # the other end is on another slide of a split diagram
        sites = _sites(source, target)
        name = f"flow:{flow.source}->{flow.target}"
        lines.append(straight(name, (f"component:{flow.source}", source, sites[0]), (f"component:{flow.target}", target, sites[1]), colour, pt(1.75)))
        if flow.label:
            start, end = site_point(source, sites[0]), site_point(target, sites[1])
            obstacles = [*boxes.values(), *(label.box for label in labels)]  # nor on another label
            labels.append(_flow_label(f"{name}:label", flow.label, start, end, obstacles, colour, fonts))
    return lines, labels


def _sites(source: Box, target: Box) -> tuple[int, int]:
    if source.right <= target.x:
        return RIGHT, LEFT
    if target.right <= source.x:
        return LEFT, RIGHT
    return (BOTTOM, TOP) if source.y < target.y else (TOP, BOTTOM)


def _flow_label(name: str, text: str, start, end, obstacles, colour: str, fonts: Fonts) -> Shape:
    size = 9
    full = text
    text = ellipsize(text, MAX_LABEL_PT - 8, size, fonts.body, True)  # labels are meant to be numbers
    width = max(pt(16), pt(fonts.width_pt(text, size, "body", True) + 8))
    height = pt(16)
    best = None
    for t in sorted((i / 20 for i in range(2, 19)), key=lambda t: abs(t - 0.5)):
        x = start[0] + (end[0] - start[0]) * t
        y = start[1] + (end[1] - start[1]) * t
        box = Box(round(x - width / 2), round(y - height / 2), width, height)
        if not any(box.overlaps(other) for other in obstacles):
            best = box
            break
    box = best or Box(round((start[0] + end[0]) / 2 - width / 2), round((start[1] + end[1]) / 2 - height / 2), width, height)
    paragraph = Paragraph((Run(text),), size, colour="FFFFFF" if _dark(colour) else "1A1A1A", bold=True, align="ctr")
    return Shape(name, box, geometry="ellipse" if len(text) <= 2 else "roundRect", fill=colour, text=TextFrame((paragraph,), anchor="ctr"), description=f"Flow {full}")


def _dark(colour: str) -> bool:
    from ..theme.contrast import text_on

    return text_on(colour) == "FFFFFF"


def _legend_height(count: int, area: Box) -> int:
    per_row = max(1, area.w // pt(180))
    rows = max(1, (count + per_row - 1) // per_row) if count else 1
    return rows * pt(LEGEND_ROW_PT) + pt(4)


def _legend(deck: Deck, personas: list[Persona], slide: Slide, box: Box, fonts: Fonts, focus) -> None:
    theme = deck.theme
    per_row = max(1, box.w // pt(180))
    cell_w = box.w // per_row
    if not personas:
        text = "No persona's services name a component of this diagram." if focus is None else f"{focus.id} uses no component on this slide."
        slide.add(text_box("Legend", box, [Paragraph((Run(text),), 10, colour=theme.muted)], anchor="ctr"))
        return
    for index, persona in enumerate(personas):
        row, column = divmod(index, per_row)
        x = box.x + column * cell_w
        y = box.y + row * pt(LEGEND_ROW_PT)
        slide.add(persona_chip(persona, Box(x, y + pt(2), pt(34), pt(14)), fonts, f"legend:{persona.id}", link=f"#card:{persona.id}"))
        name = ellipsize(persona.name, (cell_w - pt(42)) / EMU_PER_PT, 10, fonts.body)
        slide.add(text_box(f"legend:{persona.id}:name", Box(x + pt(38), y, cell_w - pt(42), pt(LEGEND_ROW_PT)), [Paragraph((Run(name),), 10, colour=theme.text)], anchor="ctr"))


def _missing(deck: Deck, plan: _Plan, slide: Slide, box: Box, fonts: Fonts) -> None:
    parts = [f"{service} ({', '.join(ids)})" for service, ids in plan.missing.items()]
    text = "Not on this diagram: " + "; ".join(parts) + ". Dashed components: no persona has access."
    shown = ellipsize(text, box.w / EMU_PER_PT, 10, fonts.body)
    slide.add(text_box("Missing services", box, [Paragraph((Run(shown),), 10, colour=deck.theme.muted)], anchor="ctr"))
    if shown != text:
        slide.notes = (slide.notes + "\n" if slide.notes else "") + text
