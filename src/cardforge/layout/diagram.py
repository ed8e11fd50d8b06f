"""One page of an architecture diagram: layers as zones, components as native shapes,
flows as routed elbow connectors with numbered labels, and a badge per persona on each
component it uses.

Zones run left to right (or top to bottom for ``direction: vertical``), each grouped with
its name so that it moves as one. Components stand in their zone with room between them.
Flows are routed around every component, name and badge (:mod:`.routing`), in the
architecture's order: each through the gutters between zones and the gaps between
components, on a track of its own, glued to sites of its two components. Each flow's
number sits on its own line where it covers nothing. Components nobody uses are dashed and
grey. Services personas name that the diagram lacks are listed.

Every text on the slide is 10 pt or more: when badges do not fit, pagination
(:mod:`.architecture`) gives a page fewer layers or fewer personas.

:func:`fits` answers from sizes alone, so that pagination can try many pages cheaply;
:func:`draw` builds the shapes of a page that fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Architecture, Component, Deck, Layer, Persona
from ..text.fit import ellipsize, line_height
from ..theme.contrast import darken_to_contrast, text_on
from .chrome import text_box
from .connectors import BOTTOM, LEFT, RIGHT, TOP, Point, routed, straight
from .fonts import Fonts
from .routing import EAST, NORTH, SOUTH, WEST, Port, Router
from .shapes import EMU_PER_PT, Box, Element, Group, Paragraph, Run, Shape, Site, TextFrame, pt

ZONE_GAP_PT = 18
ZONE_INSET_PT = 6
LABEL_TOP_PT = 4
NAME_TOP_PT = 4
BADGE_GAP_PT = 5
BADGE_SPACING_PT = 3
COMPONENT_GAP_PT = 14
"""The least room between two components: enough for a flow to pass between them."""
EXTRA_GAP_PT = 16
"""The most spare room added to each gap between components."""
TEXT_PT = 10
"""The size of badges, legend chips and flow numbers: nothing on a slide is smaller."""
BADGE_H_PT = 18
LEGEND_ROW_PT = 22
LABEL_SIZES = range(12, TEXT_PT - 1, -1)
SIZES = range(12, TEXT_PT - 1, -1)
MAX_LABEL_PT = 90
MIN_BODY_PT = 120
"""Below this height left for the zones, a page has too many personas for its legend."""

CLEARANCE_PT = 6
"""How far a flow keeps from a component, name, label or badge."""
LANE_PT = 6
"""The least distance between two flows running side by side."""
BEND_COST_PT = 30
CROSS_COST_PT = 12

# Connection sites of a component: the four of a rounded rectangle (centres of top, left,
# bottom, right), then a quarter and three quarters along each side.
_SITES = (
    Site(50000, 0, 270),
    Site(0, 50000, 180),
    Site(50000, 100000, 90),
    Site(100000, 50000, 0),
    Site(25000, 0, 270),
    Site(75000, 0, 270),
    Site(0, 25000, 180),
    Site(0, 75000, 180),
    Site(25000, 100000, 90),
    Site(75000, 100000, 90),
    Site(100000, 25000, 0),
    Site(100000, 75000, 0),
)
_HEADINGS = {270: NORTH, 180: WEST, 90: SOUTH, 0: EAST}
OFF_CENTRE_COST_PT = 4


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
    badge = _badge_size(page, fonts)
    return all(
        _placement(layer, zone, usage, page, fonts, badge) is not None
        for layer, zone in zip(page.layers, zones)
    )


def draw(deck: Deck, usage: Usage, page: Page, area: Box, fonts: Fonts) -> Drawing:
    """The shapes of *page* in *area*; a page that does not fit is clipped to its zones."""
    theme = deck.theme
    body = _body(usage, page, area)
    zones = _zones(usage.architecture.direction, page.layers, body)
    badge = _badge_size(page, fonts)
    boxes: dict[str, Box] = {}
    layers: list[Element] = []
    components: list[Element] = []
    obstacles: list[Box] = []
    for layer, zone in zip(page.layers, zones):
        label, label_box = _layer_label(layer, zone, fonts, theme.text)
        band = Shape(
            f"layer:{layer.name}",
            zone,
            geometry="roundRect",
            fill=theme.card,
            adjust=6000,
            description=f"Layer {layer.name}",
        )
        layers.append(Group(f"layer:{layer.name}:group", zone, (band, label)))
        obstacles.append(label_box)
        placement = _placement(layer, zone, usage, page, fonts, badge) or _clipped(
            layer, zone, usage, page, fonts, badge
        )
        for component, box in zip(layer.components, placement.boxes):
            boxes[component.id] = box
            obstacles.append(box)
            components.append(_component(component, box, placement, usage, page, fonts, deck))
    lines, labels, notes = _flows(usage.architecture, boxes, obstacles, body, deck, fonts)
    drawing = Drawing(layers + lines + components + labels, notes)
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


def _label_size(text: str, width: int, fonts: Fonts) -> int:
    for size in LABEL_SIZES:
        if fonts.width_pt(text, size, "heading", True) <= width / EMU_PER_PT:
            return size
    return LABEL_SIZES[-1]


def _label_height(layer: Layer, zone: Box, fonts: Fonts) -> int:
    """Height of a layer's name: one line, or two when it is too long for one at 10 pt."""
    width = zone.w - 2 * pt(ZONE_INSET_PT)
    size = _label_size(layer.name, width, fonts)
    lines = min(2, len(fonts.wrapped(layer.name, width, size, "heading", True)))
    return round(lines * line_height(size) * EMU_PER_PT) + pt(2)


def _layer_label(layer: Layer, zone: Box, fonts: Fonts, colour: str) -> tuple[Shape, Box]:
    width = zone.w - 2 * pt(ZONE_INSET_PT)
    size = _label_size(layer.name, width, fonts)
    lines = fonts.wrapped(layer.name, width, size, "heading", True)
    text = layer.name
    if len(lines) > 2:  # more than two lines even at 10 pt: cut; the band's description is whole
        text = lines[0] + " " + ellipsize(" ".join(lines[1:]), width / EMU_PER_PT, size, fonts.heading, True)
    box = Box(zone.x + pt(ZONE_INSET_PT), zone.y + pt(LABEL_TOP_PT), width, _label_height(layer, zone, fonts))
    paragraph = Paragraph((Run(text),), size, colour=colour, bold=True, font="heading", align="ctr")
    return text_box(f"layer:{layer.name}:label", box, [paragraph], anchor="ctr"), box


def _zones(direction: str, layers: list, body: Box) -> list[Box]:
    count = len(layers)
    gap = pt(ZONE_GAP_PT)
    if direction == "vertical":
        height = (body.h - gap * (count - 1)) // count
        return [Box(body.x, body.y + i * (height + gap), body.w, height) for i in range(count)]
    width = (body.w - gap * (count - 1)) // count
    return [Box(body.x + i * (width + gap), body.y, width, body.h) for i in range(count)]


def _badge_size(page: Page, fonts: Fonts) -> tuple[int, int]:
    """One badge size for the page: the widest persona id at 10 pt, with room either side."""
    widest = max((fonts.width_pt(p.id, TEXT_PT, "body", True) for p in page.personas), default=0)
    return pt(max(30, widest + 10)), pt(BADGE_H_PT)


def _inner(layer: Layer, zone: Box, fonts: Fonts, direction: str) -> Box:
    """The part of a zone for its components: below its name, inset from its sides."""
    inset = pt(ZONE_INSET_PT)
    top = pt(LABEL_TOP_PT) + _label_height(layer, zone, fonts) + pt(CLEARANCE_PT + 2)
    bottom = inset if direction == "vertical" else pt(CLEARANCE_PT + 2)
    return Box(zone.x + inset, zone.y + top, zone.w - 2 * inset, max(0, zone.h - top - bottom))


def _placement(layer, zone: Box, usage: Usage, page: Page, fonts: Fonts, badge) -> _Placement | None:
    """Component boxes in *zone*, at the largest size at which they all fit; None if none."""
    for size in SIZES:
        placement = _place(layer, zone, usage, page, fonts, size, badge)
        if placement is not None:
            return placement
    return None


def _clipped(layer, zone: Box, usage: Usage, page: Page, fonts: Fonts, badge) -> _Placement:
    """The smallest size's boxes, cut to the zone: only for a page that cannot be split."""
    placement = _place(layer, zone, usage, page, fonts, SIZES[-1], badge, clip=True)
    assert placement is not None
    return placement


def _place(
    layer, zone: Box, usage: Usage, page: Page, fonts: Fonts, size: int, badge, clip: bool = False
) -> _Placement | None:
    components = layer.components
    direction = usage.architecture.direction
    inner = _inner(layer, zone, fonts, direction)
    count = max(1, len(components))
    gap = pt(COMPONENT_GAP_PT)
    if direction == "vertical":
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
    step = gap + min(spare // count, pt(EXTRA_GAP_PT))
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
    return max(1, (width - pt(6)) // (badge[0] + pt(BADGE_SPACING_PT)))


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
    return pt(NAME_TOP_PT + BADGE_GAP_PT + 3) + text_h + rows * (badge[1] + pt(BADGE_SPACING_PT))


def _component(
    component: Component, box: Box, placement: _Placement, usage: Usage, page: Page, fonts: Fonts, deck: Deck
) -> Group:
    theme = deck.theme
    users = usage.users.get(component.id, [])
    used = any(p is page.focus for p in users) if page.focus is not None else bool(users)  # by anyone in view
    size, (badge_w, badge_h) = placement.size, placement.badge
    spacing = pt(BADGE_SPACING_PT)
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
            sites=_SITES,
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
        left = box.x + (box.w - in_row * (badge_w + spacing) + spacing) // 2
        badge = Box(
            left + column * (badge_w + spacing), box.y + name_h + row * (badge_h + spacing), badge_w, badge_h
        )
        if badge.bottom > box.bottom:
            break  # a clipped page only: pagination splits pages before it comes to that
        elements.append(_chip(persona, badge, f"persona:{persona.id}"))
    return Group(f"component:{component.id}:group", box, tuple(elements))


def _chip(persona: Persona, box: Box, name: str) -> Shape:
    """A rounded chip in the persona's colour holding its id at 10 pt, linked to its card."""
    paragraph = Paragraph(
        (Run(persona.id),), TEXT_PT, colour=text_on(persona.colour.hex), bold=True, align="ctr"
    )
    return Shape(
        name,
        box,
        geometry="roundRect",
        fill=persona.colour.hex,
        text=TextFrame((paragraph,), anchor="ctr"),
        adjust=25000,
        description=persona.title,
        link=f"#card:{persona.id}",  # on the shape, not the text: a text link would take the link colour
    )


# --- Flows ------------------------------------------------------------------------------


def _ports(component_id: str, box: Box) -> list[Port]:
    ports = []
    for index, site in enumerate(_SITES):
        point = (box.x + box.w * site.x // 100000, box.y + box.h * site.y // 100000)
        cost = 0 if index < 4 else pt(OFF_CENTRE_COST_PT)
        ports.append(Port(f"component:{component_id}", index, point, _HEADINGS[site.angle], cost))
    return ports


def _flows(
    architecture: Architecture,
    boxes: dict[str, Box],
    obstacles: list[Box],
    body: Box,
    deck: Deck,
    fonts: Fonts,
) -> tuple[list[Element], list[Element], list[str]]:
    """Routed connectors (drawn over the zones, under the components) and their number
    labels (on top), in the architecture's flow order; and a note naming the flows."""
    colour = darken_to_contrast(deck.theme.accent, deck.theme.card, 3.0)
    shown = [
        f for f in architecture.flows if f.source in boxes and f.target in boxes and f.source != f.target
    ]
    ends = {end for flow in shown for end in (flow.source, flow.target)}
    ports = {cid: _ports(cid, boxes[cid]) for cid in sorted(ends)}
    router = Router(
        obstacles,
        [port for cid in sorted(ports) for port in ports[cid]],
        body,
        pt(CLEARANCE_PT),
        pt(LANE_PT),
        pt(BEND_COST_PT),
        pt(CROSS_COST_PT),
    )
    lines: list[Element] = []
    labels: list[Element] = []
    taken: list[Box] = []
    paths: list[list[Point]] = []
    for flow in shown:
        name = f"flow:{flow.source}->{flow.target}"
        route = router.route(ports[flow.source], ports[flow.target])
        connector = None
        if route is not None:
            connector = routed(
                name,
                (route.start.shape, route.start.site),
                (route.end.shape, route.end.site),
                route.points,
                colour,
                pt(1.75),
            )
        if connector is None or route is None:  # no free track: a straight line says at least which
            source, target = boxes[flow.source], boxes[flow.target]
            sites = _straight_sites(source, target)
            connector = straight(
                name,
                (f"component:{flow.source}", source, sites[0]),
                (f"component:{flow.target}", target, sites[1]),
                colour,
                pt(1.75),
            )
            points = [_site(source, sites[0]), _site(target, sites[1])]
        else:
            points = route.points
        lines.append(connector)
        if flow.label:
            label = _flow_label(f"{name}:label", flow.label, points, obstacles + taken, paths, colour, fonts)
            labels.append(label)
            grown = _grow(label.box, pt(2))
            taken.append(grown)
            router.block(_grow(label.box, pt(CLEARANCE_PT)))
        paths.append(points)
    return lines, labels, _flow_note(architecture, shown)


def _flow_note(architecture: Architecture, shown) -> list[str]:
    if not shown:
        return []
    names = {c.id: c.name for c in architecture.components()}
    parts = [
        f"{flow.label + ' ' if flow.label else ''}{names[flow.source]} -> {names[flow.target]}"
        for flow in shown
    ]
    note = "Flows: " + "; ".join(parts) + "."
    return [architecture.description + " " + note if architecture.description else note]


def _site(box: Box, site: int) -> Point:
    return {
        TOP: (box.x + box.w // 2, box.y),
        LEFT: (box.x, box.y + box.h // 2),
        BOTTOM: (box.x + box.w // 2, box.bottom),
        RIGHT: (box.right, box.y + box.h // 2),
    }[site]


def _straight_sites(source: Box, target: Box) -> tuple[int, int]:
    if source.right <= target.x:
        return RIGHT, LEFT
    if target.right <= source.x:
        return LEFT, RIGHT
    return (BOTTOM, TOP) if source.y < target.y else (TOP, BOTTOM)


def _grow(box: Box, by: int) -> Box:
    return Box(box.x - by, box.y - by, box.w + 2 * by, box.h + 2 * by)


def _touches(box: Box, a: Point, b: Point) -> bool:
    """Whether the axis-parallel segment a-b passes through *box*."""
    low_x, high_x = sorted((a[0], b[0]))
    low_y, high_y = sorted((a[1], b[1]))
    return low_x < box.right and box.x < high_x + 1 and low_y < box.bottom and box.y < high_y + 1


def _flow_label(
    name: str,
    text: str,
    points: list[Point],
    obstacles: list[Box],
    others: list[list[Point]],
    colour: str,
    fonts: Fonts,
) -> Shape:
    """The flow's number on its own line, as near its start as it covers nothing: no
    component, name, badge, layer name, other label or other flow."""
    full = text
    text = ellipsize(text, MAX_LABEL_PT - 8, TEXT_PT, fonts.body, True)  # labels are meant to be numbers
    width = max(pt(18), pt(fonts.width_pt(text, TEXT_PT, "body", True) + 9))
    height = pt(18)
    box = _label_spot(points, width, height, obstacles, others)
    paragraph = Paragraph((Run(text),), TEXT_PT, colour=text_on(colour), bold=True, align="ctr")
    return Shape(
        name,
        box,
        geometry="ellipse" if len(text) <= 2 else "roundRect",
        fill=colour,
        text=TextFrame((paragraph,), anchor="ctr"),
        description=f"Flow {full}",
    )


def _label_spot(points: list[Point], width: int, height: int, obstacles: list[Box], others) -> Box:
    step = pt(2)
    margin = pt(2)
    fallback: Box | None = None
    for a, b in zip(points, points[1:]):
        length = abs(b[0] - a[0]) + abs(b[1] - a[1])
        along = (width if a[1] == b[1] else height) // 2 + margin
        for distance in range(along, length - along + 1, step):
            t = distance / length
            x, y = round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t)
            box = Box(x - width // 2, y - height // 2, width, height)
            clear = _grow(box, margin)
            if any(clear.overlaps(o) for o in obstacles):
                continue
            if fallback is None:
                fallback = box
            if any(_touches(clear, p, q) for path in others for p, q in zip(path, path[1:])):
                continue
            return box
    if fallback is not None:
        return fallback
    a, b = max(zip(points, points[1:]), key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]))
    return Box((a[0] + b[0]) // 2 - width // 2, (a[1] + b[1]) // 2 - height // 2, width, height)


# --- Legend and missing services ---------------------------------------------------------


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
    chip_w, chip_h = _badge_size(page, fonts)
    elements: list[Element] = []
    for index, persona in enumerate(page.personas):
        row, column = divmod(index, per_row)
        x = box.x + column * cell_w
        y = box.y + row * pt(LEGEND_ROW_PT)
        elements.append(
            _chip(
                persona, Box(x, y + (pt(LEGEND_ROW_PT) - chip_h) // 2, chip_w, chip_h), f"legend:{persona.id}"
            )
        )
        name_x = x + chip_w + pt(6)
        name_w = cell_w - chip_w - pt(10)
        name = ellipsize(persona.name, name_w / EMU_PER_PT, 10, fonts.body)
        elements.append(
            text_box(
                f"legend:{persona.id}:name",
                Box(name_x, y, name_w, pt(LEGEND_ROW_PT)),
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
