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

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Architecture, Component, Deck, Layer, Persona
from ..model.deck import Flow
from ..text.fit import ellipsize, line_height
from ..theme.contrast import darken_to_contrast, text_on
from .chrome import text_box
from .flows import CLEARANCE_PT, Flows, FlowSpec, draw_flows
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Element, Group, Paragraph, Run, Shape, Site, TextFrame, pt

ZONE_GAP_PT = 20
MAX_ZONE_GAP_PT = 36
ZONE_INSET_PT = 6
LABEL_TOP_PT = 4
NAME_TOP_PT = 4
BADGE_GAP_PT = 4
BADGE_SPACING_PT = 3
COMPONENT_GAP_PT = 12
"""The least room between two components: enough for a flow to pass between them."""
EXTRA_GAP_PT = 16
"""The most spare room added to each gap between components."""
TEXT_PT = 10
"""The size of badges, legend chips and flow numbers: nothing on a slide is smaller."""
BADGE_H_PT = 18
LEGEND_ROW_PT = 20
LEGEND_SPACE_PT = 14
"""Between one legend entry's name and the next entry."""
MAX_LEGEND_COLUMNS = 6
LABEL_SIZES = range(12, TEXT_PT - 1, -1)
SIZES = range(12, TEXT_PT - 1, -1)
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


@dataclass(frozen=True)
class Room:
    """Room a page keeps for more than it shows, so that every page of a diagram whose
    personas are paged has the same layout (and the same routes): badges per component,
    legend entries, and the persona ids badges must be wide enough for."""

    badges: dict[str, int]
    legend: int
    id_width: float = 0.0
    """Points: the widest persona id at 10 pt bold."""
    name_width: float = 0.0
    """Points: the widest persona name at 10 pt."""


def room(badges: dict[str, int], personas: list[Persona], legend: int, fonts: Fonts) -> Room:
    """A :class:`Room` for *badges* per component, *legend* entries and *personas*' ids and names."""
    return Room(
        badges,
        legend,
        max((fonts.width_pt(p.id, TEXT_PT, "body", True) for p in personas), default=0),
        max((fonts.width_pt(p.name, 10, "body") for p in personas), default=0),
    )


@dataclass
class Page:
    """What one slide of a diagram shows: some layers, with the badges of some personas."""

    layers: list[Layer]
    personas: list[Persona]
    focus: Persona | None = None
    """In a per-persona view, the persona whose view it is: other components are dashed."""
    room: Room | None = None
    _counts: dict[str, int] = field(default_factory=dict, repr=False)
    _label: tuple[int, int] | None = field(default=None, repr=False)

    def badges_on(self, component: Component, usage: Usage) -> int:
        """How many badges *component* needs room for on this page."""
        count = self._counts.get(component.id)
        if count is None:
            count = sum(1 for p in self.personas if usage.uses(component, p))
            if self.room is not None:
                count = max(count, self.room.badges.get(component.id, 0))
            self._counts[component.id] = count
        return count


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
    body = _body(usage, page, area, fonts)
    if body.h < pt(MIN_BODY_PT):
        return False
    _label_style(page, body, fonts)
    badge = _badge_size(page, fonts)
    zones = _zones(usage, page, body, fonts, badge)
    return zones is not None and all(
        _placement(layer, zone, usage, page, fonts, badge) is not None
        for layer, zone in zip(page.layers, zones)
    )


def draw(
    deck: Deck, usage: Usage, page: Page, area: Box, fonts: Fonts, routes: dict | None = None
) -> Drawing:
    """The shapes of *page* in *area*; a page that does not fit is clipped to its zones."""
    theme = deck.theme
    body = _body(usage, page, area, fonts)
    _label_style(page, body, fonts)
    badge = _badge_size(page, fonts)
    # The largest name size at which zones can be made wide enough for every component.
    size, zones = next(
        ((s, z) for s in SIZES if (z := _zones(usage, page, body, fonts, badge, s)) is not None),
        (SIZES[-1], _even_zones(usage.architecture.direction, page.layers, body)),
    )
    boxes: dict[str, Box] = {}
    placements: dict[str, _Placement] = {}
    layers: list[Element] = []
    obstacles: list[Box] = []
    for layer, zone in zip(page.layers, zones):
        label, label_box = _layer_label(layer, zone, page, fonts, theme.text)
        band = Shape(f"layer:{layer.name}", zone, geometry="roundRect", fill=theme.card, adjust=6000)
        layers.append(Group(f"layer:{layer.name}:group", zone, (band, label), _layer_description(layer)))
        obstacles.append(label_box)
    for layer, zone in zip(page.layers, zones):
        placement = _place(layer, zone, usage, page, fonts, size, badge) or _clipped(
            layer, zone, usage, page, fonts, badge
        )
        for component, box in zip(layer.components, placement.boxes):
            boxes[component.id] = box
            placements[component.id] = placement
            obstacles.append(box)
    key = (tuple(boxes.items()), body)  # pages with the same layout share their routes
    found = routes.get(key) if routes is not None else None
    if found is None:
        found = _flows(usage.architecture, boxes, obstacles, body, deck, fonts)
        if routes is not None:
            routes[key] = found
    flows, notes = found
    # Drawn in reading order: zone by zone (the zone, saying what stands in it, then its
    # components), then flow by flow (the line, then its number, which says what it is). A
    # zone lies beside the others, and no line runs through a component, a name or a badge:
    # nothing drawn later hides anything.
    elements: list[Element] = []
    for layer, zone_group in zip(page.layers, layers):
        elements.append(zone_group)
        elements += [
            _component(
                component,
                boxes[component.id],
                placements[component.id],
                usage,
                page,
                fonts,
                deck,
                flows.sites,
            )
            for component in layer.components
        ]
    drawing = Drawing([*elements, *flows.in_reading_order()], list(notes))  # notes are shared
    missing_h = _missing_height(usage, page)
    if missing_h:  # above the legend, and read before it
        missing, note = _missing(deck, usage, Box(area.x, body.bottom + pt(4), area.w, missing_h), fonts)
        drawing.elements.append(missing)
        drawing.notes += [note] if note else []
    legend_box = Box(area.x, body.bottom + pt(8) + missing_h, area.w, _legend_height(page, area, fonts))
    drawing.elements += _legend(deck, page, legend_box, fonts)
    return drawing


def _body(usage: Usage, page: Page, area: Box, fonts: Fonts) -> Box:
    """The part of *area* for the zones: above the missing-services line and the legend."""
    below = _legend_height(page, area, fonts) + _missing_height(usage, page) + pt(8)
    return Box(area.x, area.y, area.w, max(0, area.h - below))


def _legend_count(page: Page) -> int:
    return max(len(page.personas), page.room.legend if page.room else 0)


def _missing_height(usage: Usage, page: Page) -> int:
    return pt(16) if usage.missing and page.focus is None else 0


def _label_style(page: Page, body: Box, fonts: Fonts) -> tuple[int, int]:
    """One size for every layer name of a page: the largest at which each name takes at
    most two lines in an even share of the width (each zone then gives its name the one or
    two lines it takes in its own width)."""
    if page._label is None:
        count = max(1, len(page.layers))
        width = (body.w - pt(ZONE_GAP_PT) * (count - 1)) // count - 2 * pt(ZONE_INSET_PT)
        for size in LABEL_SIZES:
            lines = max(len(fonts.wrapped(layer.name, width, size, "heading", True)) for layer in page.layers)
            if lines <= 2:
                break
        page._label = (size, round(min(2, lines) * line_height(size) * EMU_PER_PT) + pt(2))
    return page._label


def _layer_label(layer: Layer, zone: Box, page: Page, fonts: Fonts, colour: str) -> tuple[Shape, Box]:
    assert page._label is not None
    size, height = page._label[0], _label_height(layer, zone, page, fonts)
    width = zone.w - 2 * pt(ZONE_INSET_PT)
    lines = fonts.wrapped(layer.name, width, size, "heading", True)
    text = layer.name
    pitch = round(line_height(size) * EMU_PER_PT)
    if len(lines) * pitch > height:  # more than two lines: cut; the band's description is whole
        kept = max(1, height // pitch)
        text = " ".join(
            lines[: kept - 1]
            + [ellipsize(" ".join(lines[kept - 1 :]), width / EMU_PER_PT, size, fonts.heading, True)]
        )
    # As wide as its text, centred: flows may pass beside a name that does not fill its zone.
    used = max(
        fonts.width_pt(line, size, "heading", True)
        for line in fonts.wrapped(text, width, size, "heading", True)
    )
    text_w = min(width, pt(used + 8))
    box = Box(zone.x + (zone.w - text_w) // 2, zone.y + pt(LABEL_TOP_PT), text_w, height)
    paragraph = Paragraph((Run(text),), size, colour=colour, bold=True, font="heading", align="ctr")
    return text_box(f"layer:{layer.name}:label", box, [paragraph], anchor="ctr"), box


def _zones(
    usage: Usage, page: Page, body: Box, fonts: Fonts, badge, size: int = SIZES[-1]
) -> list[Box] | None:
    """Zones side by side, as even as they can be while each is wide enough for its
    components, names (at *size*) and badges; None when the page is too narrow for them."""
    direction = usage.architecture.direction
    if direction == "vertical":
        return _even_zones(direction, page.layers, body)
    count = len(page.layers)
    gap = pt(ZONE_GAP_PT)
    room = body.w - gap * (count - 1)
    found = [_least_width(layer, body, usage, page, fonts, badge, size) for layer in page.layers]
    needed = [n for n in found if n is not None]
    if len(needed) < count or sum(needed) > room:
        return None
    if count > 1:  # wider gutters where zones have room to spare: flows and numbers need them
        spare = (room - sum(needed)) // (count - 1)
        extra = min(pt(MAX_ZONE_GAP_PT - ZONE_GAP_PT), spare // 4)
        gap += extra
        room -= extra * (count - 1)
    widths = _fill(room, needed)
    zones, x = [], body.x
    for width in widths:
        zones.append(Box(x, body.y, width, body.h))
        x += width + gap
    return zones


_LEAST_WIDTHS: dict[tuple, int | None] = {}


def _least_width(
    layer: Layer, body: Box, usage: Usage, page: Page, fonts: Fonts, badge, size: int
) -> int | None:
    """The narrowest zone (to a point) in which *layer* fits at *size*; None if none does.
    Pagination asks for the same layers and badges many times: answers are remembered."""
    counts = tuple(page.badges_on(c, usage) for c in layer.components)
    key = (fonts, usage.architecture.direction, layer, counts, body.w, body.h, badge, page._label, size)
    if key not in _LEAST_WIDTHS:
        if len(_LEAST_WIDTHS) > 100_000:
            _LEAST_WIDTHS.clear()
        _LEAST_WIDTHS[key] = _search_least_width(layer, body, usage, page, fonts, badge, size)
    return _LEAST_WIDTHS[key]


def _search_least_width(
    layer: Layer, body: Box, usage: Usage, page: Page, fonts: Fonts, badge, size: int
) -> int | None:
    low, high = pt(60), body.w
    if _place(layer, Box(body.x, body.y, high, body.h), usage, page, fonts, size, badge) is None:
        return None
    while high - low > pt(2):
        middle = (low + high) // 2
        zone = Box(body.x, body.y, middle, body.h)
        if _place(layer, zone, usage, page, fonts, size, badge) is None:
            low = middle
        else:
            high = middle
    return high


def _fill(room: int, needed: list[int]) -> list[int]:
    """Widths summing to *room*, each at least its need, as equal as that allows."""
    widths = list(needed)
    free = sorted(range(len(needed)), key=lambda i: needed[i])
    while free:
        share = (room - sum(widths[i] for i in range(len(widths)) if i not in free)) // len(free)
        if needed[free[-1]] > share:  # the neediest keeps its need; share the rest again
            free.pop()
            continue
        for i in free:
            widths[i] = share
        break
    return widths


def _even_zones(direction: str, layers: list, body: Box) -> list[Box]:
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
    widest = max(widest, page.room.id_width if page.room else 0)
    return pt(max(30, widest + 10)), pt(BADGE_H_PT)


def _label_height(layer: Layer, zone: Box, page: Page, fonts: Fonts) -> int:
    """A layer name's height in its zone: one line or two at the page's size."""
    assert page._label is not None
    size = page._label[0]
    lines = len(fonts.wrapped(layer.name, zone.w - 2 * pt(ZONE_INSET_PT), size, "heading", True))
    return round(min(2, lines) * line_height(size) * EMU_PER_PT) + pt(2)


def _inner(layer: Layer, zone: Box, page: Page, fonts: Fonts, direction: str) -> Box:
    """The part of a zone for its components: below its name, inset from its sides."""
    inset = pt(ZONE_INSET_PT)
    top = pt(LABEL_TOP_PT) + _label_height(layer, zone, page, fonts) + pt(CLEARANCE_PT + 2)
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
    inner = _inner(layer, zone, page, fonts, direction)
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
    rows = (page.badges_on(component, usage) + per_row - 1) // per_row
    text_h = round(_name_lines(component, width, size, fonts) * line_height(size) * EMU_PER_PT)
    return pt(NAME_TOP_PT + BADGE_GAP_PT + 3) + text_h + rows * (badge[1] + pt(BADGE_SPACING_PT))


def _component(
    component: Component,
    box: Box,
    placement: _Placement,
    usage: Usage,
    page: Page,
    fonts: Fonts,
    deck: Deck,
    sites: dict[str, list[Site]],
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
            sites=tuple(sites.get(component.id, ())),
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
        about = f"Persona badge: {persona.id} {persona.name} on {component.name}"
        elements.append(_chip(persona, badge, f"persona:{persona.id}", about))
    description = _component_description(component, badges, used)
    return Group(f"component:{component.id}:group", box, tuple(elements), description)


def _layer_description(layer: Layer) -> str:
    """What a screen reader says of a zone: its name and what stands in it."""
    names = ", ".join(component.name for component in layer.components)
    return f"Layer {layer.name}" + (f": {names}" if names else "")


def _component_description(component: Component, badges: list[Persona], used: bool) -> str:
    """What a screen reader says of a component: its name and who uses it on this slide."""
    if badges:
        return f"Component {component.name}, used by " + ", ".join(f"{p.id} {p.name}" for p in badges)
    return f"Component {component.name}" + ("" if used else ": no persona has access")


def _chip(persona: Persona, box: Box, name: str, description: str = "") -> Shape:
    """A rounded chip in the persona's colour holding its id at 10 pt, linked to its card."""
    return Shape(
        name,
        box,
        geometry="roundRect",
        fill=persona.colour.hex,
        text=_chip_text(persona.id, persona.colour.hex),
        adjust=25000,
        description=description,
        link=f"#card:{persona.id}",  # on the shape, not the text: a text link would take the link colour
    )


@lru_cache(maxsize=4096)
def _chip_text(persona_id: str, fill: str) -> TextFrame:
    """A chip's text (the same on every badge of a persona: one frozen frame serves them all)."""
    paragraph = Paragraph((Run(persona_id),), TEXT_PT, colour=text_on(fill), bold=True, align="ctr")
    return TextFrame((paragraph,), anchor="ctr")


# --- Flows ------------------------------------------------------------------------------


def _flows(
    architecture: Architecture,
    boxes: dict[str, Box],
    obstacles: list[Box],
    body: Box,
    deck: Deck,
    fonts: Fonts,
) -> tuple[Flows, list[str]]:
    """The flows between components on this page, in the architecture's order, and a note
    naming them (with the architecture's description) for the speaker."""
    colour = darken_to_contrast(deck.theme.accent, deck.theme.card, 3.0)
    shown = [
        f for f in architecture.flows if f.source in boxes and f.target in boxes and f.source != f.target
    ]
    names = {c.id: c.name for c in architecture.components()}
    seen: Counter[tuple[str, str]] = Counter()
    specs = []
    for f in shown:
        seen[f.source, f.target] += 1
        again = seen[f.source, f.target]  # a second flow between the same pair is named apart
        specs.append(
            FlowSpec(
                f"flow:{f.source}->{f.target}" + (f":{again}" if again > 1 else ""),
                f.source,
                f.target,
                f.label,
                f"{names[f.source]} to {names[f.target]}",
            )
        )
    shape_names = {cid: f"component:{cid}" for cid in boxes}
    return draw_flows(specs, boxes, shape_names, obstacles, body, colour, fonts), _flow_note(
        architecture, shown
    )


def _flow_note(architecture: Architecture, shown: list[Flow]) -> list[str]:
    if not shown:
        return []
    names = {c.id: c.name for c in architecture.components()}
    parts = [
        f"{flow.label + ' ' if flow.label else ''}{names[flow.source]} -> {names[flow.target]}"
        for flow in shown
    ]
    note = "Flows: " + "; ".join(parts) + "."
    return [architecture.description + " " + note if architecture.description else note]


# --- Legend and missing services ---------------------------------------------------------


def _legend_columns(page: Page, width: int, fonts: Fonts) -> int:
    """Legend entries to a row: as many as fit with every persona's name whole at 10 pt."""
    chip_w, _ = _badge_size(page, fonts)
    widest = max((fonts.width_pt(p.name, 10, "body") for p in page.personas), default=0)
    widest = max(widest, page.room.name_width if page.room else 0)
    cell = chip_w + pt(widest + 6 + LEGEND_SPACE_PT)
    return max(1, min(MAX_LEGEND_COLUMNS, width // cell))


def _legend_height(page: Page, area: Box, fonts: Fonts) -> int:
    count = _legend_count(page)
    per_row = _legend_columns(page, area.w, fonts)
    rows = max(1, (count + per_row - 1) // per_row) if count else 1
    return rows * pt(LEGEND_ROW_PT) + pt(4)


def _legend(deck: Deck, page: Page, box: Box, fonts: Fonts) -> list[Element]:
    theme = deck.theme
    per_row = _legend_columns(page, box.w, fonts)
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
