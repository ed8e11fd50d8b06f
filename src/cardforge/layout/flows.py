"""Flows of a diagram: routed elbow connectors between boxes, each with its number on it.

Flows are routed in order (:mod:`.routing`), then numbered: each number sits on its own
flow where it covers nothing (no box, no text, no other flow, no other number), as near the
flow's start as that allows. The flows with the fewest free places are numbered first. A
flow whose number finds no free place is routed again with the others fixed and their
numbers as obstacles, kept far enough off them for its own number to fit beside them.

Each box gets connection sites where its flows meet it (after the four of a rounded
rectangle, so that sites 0-3 keep their meaning): the connectors are glued exactly where
they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise

from ..text.fit import ellipsize
from ..theme.contrast import text_on
from .connectors import BOTTOM, LEFT, RIGHT, TOP, Point, routed, site_point, straight
from .fonts import Fonts
from .routing import EAST, NORTH, SOUTH, WEST, Route, Router, sides_of
from .shapes import Box, Connector, Paragraph, Run, Shape, Site, TextFrame, pt

TEXT_PT = 10
LABEL_PT = 16
"""Diameter of a flow's number."""
MAX_LABEL_PT = 90
LINE_PT = 1.75
CLEARANCE_PT = 6
"""How far a flow keeps from a box, a name or a badge."""
LANE_PT = 6
"""The least distance between two flows side by side."""
BEND_COST_PT = 30
CROSS_COST_PT = 12
CORNER_PT = 8
"""The least distance from where a flow meets a box to the box's corner."""
MARGIN_PT = 2
"""Room kept around a number."""

STANDARD_SITES = (Site(50000, 0, 270), Site(0, 50000, 180), Site(50000, 100000, 90), Site(100000, 50000, 0))
_ANGLES = {NORTH: 270, WEST: 180, SOUTH: 90, EAST: 0}


@dataclass(frozen=True)
class FlowSpec:
    """A flow to draw: from one box to another (by key), maybe with a number."""

    name: str
    source: str
    target: str
    label: str | None = None
    description: str = ""
    colour: str | None = None
    """The line's colour; None for the diagram's."""
    through: tuple[Box, ...] = ()
    """Obstacles this flow may cross: the panels its ends stand in."""
    width: float = LINE_PT
    arrow: bool = True
    decorative: bool = False
    """A line whose meaning a shape it joins says in words (the persona it starts from)."""


@dataclass
class Flows:
    lines: list[Connector] = field(default_factory=list)
    sites: dict[str, list[Site]] = field(default_factory=dict)
    """Box key -> its connection sites: a rounded rectangle's four, then where flows meet it."""
    label_of: dict[int, Shape] = field(default_factory=dict)
    """Index in *lines* -> that line's number (two flows may join the same pair of boxes)."""

    @property
    def labels(self) -> list[Shape]:
        """The flows' numbers, in the order of their lines."""
        return list(self.label_of.values())

    def in_reading_order(self) -> list[Connector | Shape]:
        """Each line followed by its number: a screen reader reads a flow as one."""
        ordered: list[Connector | Shape] = []
        for index, line in enumerate(self.lines):
            ordered.append(line)
            if index in self.label_of:
                ordered.append(self.label_of[index])
        return ordered


def flow_description(flow: FlowSpec) -> str:
    """What a screen reader says of a flow: "Flow 1: Azure Event Hubs to Azure Databricks"."""
    if not flow.label:
        return flow.description
    return f"Flow {flow.label}" + (f": {flow.description}" if flow.description else "")


def draw_flows(
    flows: list[FlowSpec],
    boxes: dict[str, Box],
    shape_names: dict[str, str],
    obstacles: list[Box],
    bounds: Box,
    colour: str,
    fonts: Fonts,
) -> Flows:
    """Connectors along routes between *boxes* (keyed as in *flows*, drawn as the shapes
    *shape_names* names) around *obstacles* within *bounds*, and their numbers."""
    router = _router(flows, boxes, obstacles, bounds)
    routes: list[_Routed] = []
    for flow in flows:
        routed = _route(router, flow, boxes, shape_names)
        if routed[0] is None:
            routed = _route_closer(flow, routes, flows, boxes, shape_names, obstacles, bounds)
            if routed[0] is not None:
                router.commit(routed[0], lanes=False)
        routes.append(routed)
    texts = {i: _label_text(f.label, fonts) for i, f in enumerate(flows) if f.label}
    placed, unplaced = _place_labels(routes, texts, obstacles + _outside(bounds))
    for index in unplaced:  # rip up and reroute: this flow, else the flows under its number
        context = _Context(flows, routes, placed, texts, boxes, shape_names, obstacles, bounds)
        if not _move_flow(index, context):
            _move_others(index, context)
    result = Flows()
    for index, flow in enumerate(flows):
        line_colour = flow.colour or colour
        line = _connector(flow, routes[index], boxes, shape_names, line_colour, result.sites)
        if index in placed:  # the number says what the flow is; the line is decorative
            result.lines.append(replace(line, decorative=True))
            spot = _inside(placed[index], bounds)  # a number on a flow along the edge stays on the slide
            result.label_of[len(result.lines) - 1] = _label_shape(flow, texts[index][0], spot, line_colour)
        else:
            result.lines.append(replace(line, description=flow_description(flow), decorative=flow.decorative))
    return result


def _router(flows: list[FlowSpec], boxes: dict[str, Box], obstacles: list[Box], bounds: Box) -> Router:
    return Router(
        obstacles,
        [(boxes[f.source], boxes[f.target]) for f in flows],
        bounds,
        pt(CLEARANCE_PT),
        pt(LANE_PT),
        pt(BEND_COST_PT),
        pt(CROSS_COST_PT),
        pt(CORNER_PT),
    )


_Routed = tuple[Route | None, list[Point]]


def _route_closer(
    flow: FlowSpec,
    routes: list[_Routed],
    flows: list[FlowSpec],
    boxes: dict[str, Box],
    names: dict[str, str],
    obstacles: list[Box],
    bounds: Box,
) -> _Routed:
    """*flow* routed again when no free track was left for it, now allowed to end closer to
    where earlier flows end: a line beside another reads better than a diagonal across."""
    router = _router(flows, boxes, obstacles, bounds)
    for route, _ in routes:
        if route is not None:
            router.commit(route, lanes=False)
    return _route(router, flow, boxes, names)


def _route(router: Router, flow: FlowSpec, boxes: dict[str, Box], names: dict[str, str]) -> _Routed:
    source, target = boxes[flow.source], boxes[flow.target]
    for box in flow.through:
        router.open(box)
    route = router.route(sides_of(names[flow.source], source), sides_of(names[flow.target], target))
    for box in flow.through:
        router.close(box)
    if route is None:
        sites = _straight_sites(source, target)
        return None, [site_point(source, sites[0]), site_point(target, sites[1])]
    return route, route.points


@dataclass
class _Context:
    """Everything a rip-up needs; *routes* and *placed* are changed in place."""

    flows: list[FlowSpec]
    routes: list[_Routed]
    placed: dict[int, Box]
    texts: dict[int, tuple[str, int]]
    boxes: dict[str, Box]
    names: dict[str, str]
    obstacles: list[Box]
    bounds: Box


def _reroute(index: int, context: _Context, keep_off: list[Box]) -> _Routed | None:
    """Flow *index* routed again with every other flow fixed, keeping off *keep_off*."""
    router = _router(context.flows, context.boxes, context.obstacles, context.bounds)
    for other, (route, _) in enumerate(context.routes):
        if other != index and route is not None:
            router.commit(route)
    for box in keep_off:
        router.block(box)
    route, points = _route(router, context.flows[index], context.boxes, context.names)
    return None if route is None else (route, points)


def _spot_on(index: int, points: list[Point], context: _Context, ignore: set[int]) -> Box | None:
    """A free place for flow *index*'s number on *points*, given the other flows and numbers."""
    others = [p for i, (_, p) in enumerate(context.routes) if i != index and i not in ignore]
    taken = [_grow(box, pt(MARGIN_PT)) for i, box in context.placed.items() if i != index and i not in ignore]
    width = context.texts[index][1]
    keep_off = context.obstacles + taken + _outside(context.bounds)
    return next(iter(_free_spots(points, width, pt(LABEL_PT), keep_off, others)), None)


def _move_flow(index: int, context: _Context) -> bool:
    """Route flow *index* again, off every other number by enough to fit its own beside."""
    room = pt(CLEARANCE_PT + LABEL_PT // 2 + MARGIN_PT)
    keep_off = [_grow(box, room) for i, box in context.placed.items() if i != index]
    again = _reroute(index, context, keep_off)
    spot = _spot_on(index, again[1], context, set()) if again else None
    if again is None or spot is None:
        return False
    context.routes[index], context.placed[index] = again, spot
    return True


def _move_others(index: int, context: _Context) -> bool:
    """Keep flow *index*'s number where it covers least and route the flows it covers
    around it, each numbered again on its new route."""
    _, points = context.routes[index]
    covered = {
        i
        for i, (_, other) in enumerate(context.routes)
        if i != index
        and any(_touches(_grow(context.placed[index], pt(MARGIN_PT)), p, q) for p, q in pairwise(other))
    }
    if not covered:
        return False
    saved_routes, saved_placed = list(context.routes), dict(context.placed)
    for other in sorted(covered):
        keep_off = [_grow(box, pt(CLEARANCE_PT)) for i, box in context.placed.items() if i != other]
        again = _reroute(other, context, keep_off)
        if again is None:
            break
        context.routes[other] = again
        if other in context.texts:
            spot = _spot_on(other, again[1], context, set())
            if spot is None:
                break
            context.placed[other] = spot
    else:
        if _spot_on(index, points, context, set()) is not None or not any(
            any(_touches(_grow(context.placed[index], pt(MARGIN_PT)), p, q) for p, q in pairwise(r))
            for i, (_, r) in enumerate(context.routes)
            if i != index
        ):
            return True
    context.routes[:] = saved_routes
    context.placed.clear()
    context.placed.update(saved_placed)
    return False


def _label_text(label: str, fonts: Fonts) -> tuple[str, int]:
    text = ellipsize(label, MAX_LABEL_PT - 8, TEXT_PT, fonts.body, True)  # labels are meant to be numbers
    return text, max(pt(LABEL_PT), pt(fonts.width_pt(text, TEXT_PT, "body", True) + 8))


def _place_labels(
    routes: list[_Routed], texts: dict[int, tuple[str, int]], obstacles: list[Box]
) -> tuple[dict[int, Box], list[int]]:
    """Where each number goes, and the flows whose number covers something."""
    paths = [points for _, points in routes]
    free = {
        i: _free_spots(paths[i], width, pt(LABEL_PT), obstacles, paths[:i] + paths[i + 1 :])
        for i, (_, width) in texts.items()
    }
    placed: dict[int, Box] = {}
    unplaced: list[int] = []
    for index in sorted(free, key=lambda i: (len(free[i]), i)):
        taken = [_grow(box, pt(MARGIN_PT)) for box in placed.values()]
        spot = next((box for box in free[index] if not any(box.overlaps(t) for t in taken)), None)
        if spot is None:
            unplaced.append(index)
            others = paths[:index] + paths[index + 1 :]
            spot = _least_covering(paths[index], texts[index][1], pt(LABEL_PT), obstacles + taken, others)
        placed[index] = spot
    return placed, sorted(unplaced)


def _label_shape(flow: FlowSpec, text: str, box: Box, colour: str) -> Shape:
    paragraph = Paragraph((Run(text),), TEXT_PT, colour=text_on(colour), bold=True, align="ctr")
    return Shape(
        f"{flow.name}:label",
        box,
        geometry="ellipse" if len(text) <= 2 else "roundRect",
        fill=colour,
        text=TextFrame((paragraph,), anchor="ctr"),
        description=flow_description(flow),
    )


def _connector(
    flow: FlowSpec, routed_flow: _Routed, boxes, names, colour: str, sites: dict[str, list[Site]]
) -> Connector:
    route, points = routed_flow
    source, target = boxes[flow.source], boxes[flow.target]
    if route is not None:
        start = _site_on(
            sites.setdefault(flow.source, list(STANDARD_SITES)), source, points[0], route.start.heading
        )
        end = _site_on(
            sites.setdefault(flow.target, list(STANDARD_SITES)), target, points[-1], route.end.heading
        )
        connector = routed(
            flow.name,
            (names[flow.source], start),
            (names[flow.target], end),
            points,
            colour,
            pt(flow.width),
            flow.arrow,
        )
        if connector is not None:
            return connector
    ends = _straight_sites(source, target)  # no free track: a straight line still says which
    return straight(
        flow.name,
        (names[flow.source], source, ends[0]),
        (names[flow.target], target, ends[1]),
        colour,
        pt(flow.width),
        flow.arrow,
    )


def _site_on(sites: list[Site], box: Box, point: Point, heading: int) -> int:
    """The index of the site of *box* at *point* (added to *sites* if new)."""
    site = Site(
        round((point[0] - box.x) * 100000 / box.w) if box.w else 0,
        round((point[1] - box.y) * 100000 / box.h) if box.h else 0,
        _ANGLES[heading],
    )
    if site not in sites:
        sites.append(site)
    return sites.index(site)


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


def _spots(points: list[Point], width: int, height: int):
    """Boxes of a number centred on *points*, every 2 pt, from the start to the end."""
    margin = pt(MARGIN_PT)
    for a, b in pairwise(points):
        length = abs(b[0] - a[0]) + abs(b[1] - a[1])
        along = (width if a[1] == b[1] else height) // 2 + margin
        for distance in range(min(along, length // 2), max(length - along, length // 2) + 1, pt(2)):
            t = distance / length if length else 0
            x, y = round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t)
            yield Box(x - width // 2, y - height // 2, width, height)


def _free_spots(points: list[Point], width: int, height: int, obstacles: list[Box], others) -> list[Box]:
    """The places along *points* where a number covers no obstacle and no other flow."""
    found = []
    for box in _spots(points, width, height):
        clear = _grow(box, pt(MARGIN_PT))
        if any(clear.overlaps(o) for o in obstacles):
            continue
        if any(_touches(clear, p, q) for path in others for p, q in pairwise(path)):
            continue
        found.append(box)
    return found


def _least_covering(points: list[Point], width: int, height: int, obstacles: list[Box], others) -> Box:
    """Where a number covers least: another flow before a name, badge, box or number."""
    best: tuple[float, Box] | None = None
    for box in _spots(points, width, height):
        clear = _grow(box, pt(MARGIN_PT))
        covered = sum(_overlap(clear, o) for o in obstacles) * 100
        crossed = sum(1 for path in others for p, q in pairwise(path) if _touches(clear, p, q))
        cost = covered + crossed * pt(1) ** 2
        if best is None or cost < best[0]:
            best = (cost, box)
    if best is None:
        middle = points[len(points) // 2]
        return Box(middle[0] - width // 2, middle[1] - height // 2, width, height)
    return best[1]


def _inside(box: Box, bounds: Box) -> Box:
    """*box* moved as little as it takes to lie within *bounds* (where it fits)."""
    x = max(bounds.x, min(box.x, bounds.right - box.w))
    y = max(bounds.y, min(box.y, bounds.bottom - box.h))
    return Box(x, y, box.w, box.h)


def _outside(bounds: Box) -> list[Box]:
    """Four boxes around *bounds*: a number placed as if they were obstacles stays inside."""
    far = 10 * max(bounds.w, bounds.h)
    return [
        Box(bounds.x - far, bounds.y - far, 2 * far + bounds.w, far),
        Box(bounds.x - far, bounds.bottom, 2 * far + bounds.w, far),
        Box(bounds.x - far, bounds.y, far, bounds.h),
        Box(bounds.right, bounds.y, far, bounds.h),
    ]


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a.right, b.right) - max(a.x, b.x)) * max(0, min(a.bottom, b.bottom) - max(a.y, b.y))
