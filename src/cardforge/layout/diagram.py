"""One page of an architecture diagram: layers as zones, components as native shapes,
flows as glued connectors with numbered labels, and a badge per persona on each component
it uses.

Zones run left to right (or top to bottom for ``direction: vertical``). Flow lines are
drawn beneath the components, so a flow that skips a layer passes behind it rather than
over it; each flow's number sits on the line where no component is. Components nobody
uses are dashed and grey. Services personas name that the diagram lacks are listed.

:func:`fits` answers from sizes alone, so that pagination can try many pages cheaply;
:func:`draw` builds the shapes of a page that fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Architecture, Component, Deck, Layer, Persona
from ..text.fit import ellipsize, line_height
from ..theme.contrast import darken_to_contrast
from .chrome import persona_chip, text_box
from .connectors import BOTTOM, LEFT, RIGHT, TOP, site_point, straight
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Element, Group, Paragraph, Run, Shape, TextFrame, pt

ZONE_GAP_PT = 14
BADGE = (34, 15)
LEGEND_ROW_PT = 18
NAME_TOP_PT = 4
MAX_LABEL_PT = 90
BADGE_GAP_PT = 5
COMPONENT_GAP_PT = 6
SIZES = range(11, 6, -1)
MIN_BODY_PT = 120
"""Below this height left for the zones, a page has too many personas for its legend."""


@dataclass
class Usage:
    """Who uses what on one architecture."""

    architecture: Architecture
    users: dict[str, list[Persona]] = field(default_factory=dict)
    """Component id -> personas whose services name it."""
    personas: list[Persona] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Service name -> ids of personas of this architecture that need it but it is not drawn."""

    _user_ids: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def uses(self, component: Component, persona: Persona) -> bool:
        ids = self._user_ids.get(component.id)
        if ids is None:
            ids = self._user_ids[component.id] = {p.id for p in self.users.get(component.id, [])}
        return persona.id in ids

    def personas_on(self, layers: list[Layer]) -> list[Persona]:
        """The personas with a badge somewhere on *layers*, in deck order."""
        ids = {p.id for layer in layers for c in layer.components for p in self.users.get(c.id, [])}
        return [p for p in self.personas if p.id in ids]


@dataclass
class Page:
    """What one slide of a diagram shows: some layers, with the badges of some personas."""

    layers: list[Layer]
    personas: list[Persona]
    focus: Persona | None = None
    """In a per-persona view, the persona whose view it is: other components are dashed."""


@dataclass
class Drawing:
    elements: list[Element]
    notes: list[str]


@dataclass(frozen=True)
class _Placement:
    """Component boxes in one zone, at one text size."""

    size: int
    badge: tuple[int, int]
    boxes: list[Box]


def fits(usage: Usage, page: Page, area: Box, fonts: Fonts) -> bool:
    """Whether *page* fits *area* at some size without cutting anything."""
    body = _body(usage, page, area)
    if body.h < pt(MIN_BODY_PT):
        return False
    zones = _zones(usage.architecture.direction, page.layers, body)
    return all(
        _placement(layer.components, zone, usage, page, fonts) is not None
        for layer, zone in zip(page.layers, zones)
    )


def draw(deck: Deck, usage: Usage, page: Page, area: Box, fonts: Fonts) -> Drawing:
    """The shapes of *page* in *area*; a page that does not fit is clipped to its zones."""
    theme = deck.theme
    body = _body(usage, page, area)
    zones = _zones(usage.architecture.direction, page.layers, body)
    boxes: dict[str, Box] = {}
    behind: list[Element] = []
    front: list[Element] = []
    for layer, zone in zip(page.layers, zones):
        behind.append(
            Shape(
                f"layer:{layer.name}",
                zone,
                geometry="roundRect",
                fill=theme.card,
                adjust=6000,
                description=f"Layer {layer.name}",
            )
        )
        label_box = Box(zone.x + pt(6), zone.y + pt(4), zone.w - pt(12), pt(20))
        front.append(
            text_box(
                f"layer:{layer.name}:label",
                label_box,
                [_label(layer.name, zone.w - pt(12), fonts, theme.text)],
                anchor="ctr",
            )
        )
        placement = _placement(layer.components, zone, usage, page, fonts) or _clipped(
            layer.components, zone, usage, page, fonts
        )
        for component, box in zip(layer.components, placement.boxes):
            boxes[component.id] = box
            front.append(_component(component, box, placement, usage, page, fonts, deck))
    lines, labels = _flows(usage.architecture, boxes, deck, fonts)
    drawing = Drawing(behind + lines + front + labels, [])
    missing_h = _missing_height(usage, page)
    legend_box = Box(
        area.x, body.bottom + pt(8) + missing_h, area.w, _legend_height(len(page.personas), area)
    )
    drawing.elements += _legend(deck, page, legend_box, fonts)
    if missing_h:
        missing, note = _missing(deck, usage, Box(area.x, body.bottom + pt(4), area.w, missing_h), fonts)
        drawing.elements.append(missing)
        drawing.notes += [note] if note else []
    return drawing


def _body(usage: Usage, page: Page, area: Box) -> Box:
    """The part of *area* for the zones: above the missing-services line and the legend."""
    below = _legend_height(len(page.personas), area) + _missing_height(usage, page) + pt(8)
    return Box(area.x, area.y, area.w, max(0, area.h - below))


def _missing_height(usage: Usage, page: Page) -> int:
    return pt(16) if usage.missing and page.focus is None else 0


def _label(text: str, width: int, fonts: Fonts, colour: str) -> Paragraph:
    size = 12
    while size > 8 and fonts.width_pt(text, size, "heading", True) > width / EMU_PER_PT:
        size -= 1
    return Paragraph(
        (Run(ellipsize(text, width / EMU_PER_PT, size, fonts.heading, True)),),
        size,
        colour=colour,
        bold=True,
        font="heading",
        align="ctr",
    )


def _zones(direction: str, layers: list, body: Box) -> list[Box]:
    count = len(layers)
    gap = pt(ZONE_GAP_PT)
    if direction == "vertical":
        height = (body.h - gap * (count - 1)) // count
        return [Box(body.x, body.y + i * (height + gap), body.w, height) for i in range(count)]
    width = (body.w - gap * (count - 1)) // count
    return [Box(body.x + i * (width + gap), body.y, width, body.h) for i in range(count)]


def _placement(components, zone: Box, usage: Usage, page: Page, fonts: Fonts) -> _Placement | None:
    """Component boxes in *zone*, at the largest size at which they all fit; None if none."""
    for size in SIZES:
        placement = _place(components, zone, usage, page, fonts, size)
        if placement is not None:
            return placement
    return None


def _clipped(components, zone: Box, usage: Usage, page: Page, fonts: Fonts) -> _Placement:
    """The smallest size's boxes, cut to the zone: only for a page that cannot be split."""
    return _place(components, zone, usage, page, fonts, SIZES[-1], clip=True)


def _place(
    components, zone: Box, usage: Usage, page: Page, fonts: Fonts, size: int, clip: bool = False
) -> _Placement | None:
    inner = Box(zone.x + pt(6), zone.y + pt(28), zone.w - pt(12), max(0, zone.h - pt(34)))
    count = max(1, len(components))
    gap = pt(COMPONENT_GAP_PT)
    scale = size / 11
    badge = (pt(BADGE[0] * scale), pt(BADGE[1] * scale))
    if usage.architecture.direction == "vertical":
        width = max(0, (inner.w - gap * (count - 1)) // count)
        tallest = max((_height(c, width, size, badge, usage, page, fonts) for c in components), default=0)
        if tallest > inner.h and not clip:
            return None
        return _Placement(
            size,
            badge,
            [
                Box(inner.x + i * (width + gap), inner.y, width, min(inner.h, tallest))
                for i in range(len(components))
            ],
        )
    heights = [_height(c, inner.w, size, badge, usage, page, fonts) for c in components]
    if sum(heights) + gap * (count - 1) > inner.h and not clip:
        return None
    spare = max(0, inner.h - sum(heights) - gap * (count - 1))
    step = gap + min(spare // count, pt(10))
    y, boxes = inner.y, []
    for height in heights:
        top = min(y, inner.bottom)
        boxes.append(Box(inner.x, top, inner.w, max(0, min(height, inner.bottom - top))))
        y += height + step
    return _Placement(size, badge, boxes)


def _badged(component: Component, usage: Usage, page: Page) -> list[Persona]:
    """The personas with a badge on *component* on this page."""
    return [p for p in page.personas if usage.uses(component, p)]


def _name_lines(component: Component, width: int, size: int, fonts: Fonts) -> int:
    return len(fonts.wrapped(component.name, width - pt(8), size))


def _badges_per_row(width: int, badge: tuple[int, int]) -> int:
    return max(1, (width - pt(6)) // (badge[0] + pt(3)))


def _height(
    component: Component,
    width: int,
    size: int,
    badge: tuple[int, int],
    usage: Usage,
    page: Page,
    fonts: Fonts,
) -> int:
    per_row = _badges_per_row(width, badge)
    rows = (len(_badged(component, usage, page)) + per_row - 1) // per_row
    text_h = round(_name_lines(component, width, size, fonts) * line_height(size) * EMU_PER_PT)
    return pt(NAME_TOP_PT + BADGE_GAP_PT + 5) + text_h + rows * (badge[1] + pt(3))


def _component(
    component: Component, box: Box, placement: _Placement, usage: Usage, page: Page, fonts: Fonts, deck: Deck
) -> Group:
    theme = deck.theme
    users = usage.users.get(component.id, [])
    used = any(p is page.focus for p in users) if page.focus is not None else bool(users)  # by anyone in view
    size, (badge_w, badge_h) = placement.size, placement.badge
    per_row = _badges_per_row(box.w, placement.badge)
    text_h = round(_name_lines(component, box.w, size, fonts) * line_height(size) * EMU_PER_PT)
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
            Box(box.x + pt(4), box.y + pt(NAME_TOP_PT), max(0, box.w - pt(8)), min(text_h + pt(2), box.h)),
            [
                Paragraph(
                    (Run(component.name),), size, colour=theme.text if used else theme.muted, align="ctr"
                )
            ],
        ),
    ]
    badges = _badged(component, usage, page)
    for index, persona in enumerate(badges):
        row, column = divmod(index, per_row)
        in_row = min(per_row, len(badges) - row * per_row)
        left = box.x + (box.w - in_row * (badge_w + pt(3)) + pt(3)) // 2
        badge = Box(
            left + column * (badge_w + pt(3)), box.y + name_h + row * (badge_h + pt(3)), badge_w, badge_h
        )
        if badge.bottom > box.bottom:
            break  # a clipped page only: pagination splits pages before it comes to that
        elements.append(
            persona_chip(persona, badge, fonts, f"persona:{persona.id}", link=f"#card:{persona.id}")
        )
    return Group(f"component:{component.id}:group", box, tuple(elements))


def _flows(
    architecture: Architecture, boxes: dict[str, Box], deck: Deck, fonts: Fonts
) -> tuple[list[Element], list[Element]]:
    """Connectors (to draw beneath components) and their number labels (to draw on top)."""
    lines: list[Element] = []
    labels: list[Element] = []
    colour = darken_to_contrast(deck.theme.accent, deck.theme.card, 3.0)
    for _index, flow in enumerate(architecture.flows):
        source, target = boxes.get(flow.source), boxes.get(flow.target)
        if source is None or target is None:
            continue  # the other end is on another slide of a split diagram
        sites = _sites(source, target)
        name = f"flow:{flow.source}->{flow.target}"
        lines.append(
            straight(
                name,
                (f"component:{flow.source}", source, sites[0]),
                (f"component:{flow.target}", target, sites[1]),
                colour,
                pt(1.75),
            )
        )
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
    box = best or Box(
        round((start[0] + end[0]) / 2 - width / 2), round((start[1] + end[1]) / 2 - height / 2), width, height
    )
    paragraph = Paragraph(
        (Run(text),), size, colour="FFFFFF" if _dark(colour) else "1A1A1A", bold=True, align="ctr"
    )
    return Shape(
        name,
        box,
        geometry="ellipse" if len(text) <= 2 else "roundRect",
        fill=colour,
        text=TextFrame((paragraph,), anchor="ctr"),
        description=f"Flow {full}",
    )


def _dark(colour: str) -> bool:
    from ..theme.contrast import text_on

    return text_on(colour) == "FFFFFF"


def _legend_height(count: int, area: Box) -> int:
    per_row = max(1, area.w // pt(180))
    rows = max(1, (count + per_row - 1) // per_row) if count else 1
    return rows * pt(LEGEND_ROW_PT) + pt(4)


def _legend(deck: Deck, page: Page, box: Box, fonts: Fonts) -> list[Element]:
    theme = deck.theme
    per_row = max(1, box.w // pt(180))
    cell_w = box.w // per_row
    if not page.personas:
        focus = page.focus
        text = (
            "No persona's services name a component of this diagram."
            if focus is None
            else f"{focus.id} uses no component on this slide."
        )
        return [text_box("Legend", box, [Paragraph((Run(text),), 10, colour=theme.muted)], anchor="ctr")]
    elements: list[Element] = []
    for index, persona in enumerate(page.personas):
        row, column = divmod(index, per_row)
        x = box.x + column * cell_w
        y = box.y + row * pt(LEGEND_ROW_PT)
        elements.append(
            persona_chip(
                persona,
                Box(x, y + pt(2), pt(34), pt(14)),
                fonts,
                f"legend:{persona.id}",
                link=f"#card:{persona.id}",
            )
        )
        name = ellipsize(persona.name, (cell_w - pt(42)) / EMU_PER_PT, 10, fonts.body)
        elements.append(
            text_box(
                f"legend:{persona.id}:name",
                Box(x + pt(38), y, cell_w - pt(42), pt(LEGEND_ROW_PT)),
                [Paragraph((Run(name),), 10, colour=theme.text)],
                anchor="ctr",
            )
        )
    return elements


def _missing(deck: Deck, usage: Usage, box: Box, fonts: Fonts) -> tuple[Shape, str]:
    """The services personas name that the diagram lacks; the whole list as a note if cut."""
    parts = [f"{service} ({', '.join(ids)})" for service, ids in usage.missing.items()]
    text = "Not on this diagram: " + "; ".join(parts) + ". Dashed components: no persona has access."
    shown = ellipsize(text, box.w / EMU_PER_PT, 10, fonts.body)
    return text_box(
        "Missing services", box, [Paragraph((Run(shown),), 10, colour=deck.theme.muted)], anchor="ctr"
    ), "" if shown == text else text
