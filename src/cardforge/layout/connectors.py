"""Connectors between shapes: straight lines and elbow connectors glued to connection sites.

An elbow connector in DrawingML is a preset path in the connector's own box, from its top-left
corner to its bottom-right one, always leaving along +x: ``bentConnector2`` turns once,
``bentConnector3`` twice (where is its first adjust value), ``bentConnector4`` three times
(its two adjust values), ``bentConnector5`` four times (three). Rotating the box by
quarter turns and flipping it gives every other direction. :func:`elbow` finds, for an
orthogonal route, the preset, box, rotation, flips and adjust values that draw exactly that
route, so that the file shows the routed line and
PowerPoint keeps an editable elbow connector glued at both ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from .shapes import Box, Connector, pt

# Connection sites of rectangles and rounded rectangles, in the order PowerPoint numbers them.
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3

Point = tuple[int, int]

QUARTER = 5_400_000
"""A quarter turn in DrawingML's unit (60 000ths of a degree)."""
_TOLERANCE = 2
"""EMU an end may differ from the wanted one (boxes centred on half an EMU)."""
_BEND_TOLERANCE = 64
"""EMU a bend may differ from the wanted one: adjust values are whole 100 000ths of the box."""
_PRESETS = {
    0: "bentConnector3",
    1: "bentConnector2",
    2: "bentConnector3",
    3: "bentConnector4",
    4: "bentConnector5",
}


def site_point(box: Box, site: int) -> Point:
    """Where connection site *site* of a rectangle-like shape lies."""
    if site == TOP:
        return box.x + box.w // 2, box.y
    if site == LEFT:
        return box.x, box.y + box.h // 2
    if site == BOTTOM:
        return box.x + box.w // 2, box.bottom
    return box.right, box.y + box.h // 2


def straight(
    name: str,
    start: tuple[str, Box, int],
    end: tuple[str, Box, int],
    colour: str,
    width: int = pt(1.5),
    arrow: bool = True,
) -> Connector:
    """A straight connector from a site of one shape to a site of another."""
    (start_name, start_box, start_site), (end_name, end_box, end_site) = start, end
    x1, y1 = site_point(start_box, start_site)
    x2, y2 = site_point(end_box, end_site)
    box = Box(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
    return Connector(
        name,
        start_name,
        end_name,
        start_site,
        end_site,
        box,
        flip_h=x2 < x1,
        flip_v=y2 < y1,
        colour=colour,
        width=width,
        arrow=arrow,
    )


@dataclass(frozen=True)
class Elbow:
    """How to write an orthogonal route as a preset elbow connector."""

    geometry: str
    box: Box
    rotation: int
    flip_h: bool
    flip_v: bool
    adjusts: tuple[int, ...]


def simplify(points: list[Point]) -> list[Point]:
    """*points* without repeats and without corners that do not turn."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and _collinear(kept[-2], kept[-1], point):
            kept[-1] = point
        else:
            kept.append(point)
    return kept


def _collinear(a: Point, b: Point, c: Point) -> bool:
    return (a[0] == b[0] == c[0]) or (a[1] == b[1] == c[1])


def elbow(points: list[Point]) -> Elbow | None:
    """The elbow connector that draws the orthogonal route *points*; None if no preset can.

    A route with more than four bends cannot be drawn by these presets, nor one whose ends
    line up where the preset needs a width or height to place a bend in (a U of equal legs).
    """
    route = simplify(points)
    bends = len(route) - 2
    if bends < 0 or bends not in _PRESETS:
        return None
    for candidate in (route, *_nudged(route)):
        for rotation in (0, 1, 2, 3):
            for flip_h in (False, True):
                for flip_v in (False, True):
                    found = _fit(candidate, bends, rotation, flip_h, flip_v, candidate[0], candidate[-1])
                    if found is not None:
                        return found
    return None


NUDGE = 12700
"""EMU (a point) an end may move so that a preset can draw a route whose ends line up: a U
of equal legs has no width for its adjust value to be a fraction of. The last leg is made
longer (its tip goes a point into the box, under it) or moved aside along the box's side."""


def _nudged(route: list[Point]) -> list[list[Point]]:
    """*route* with its end moved a point along x or along y."""
    variants = []
    (px, py), (ex, ey) = route[-2], route[-1]
    along = (ex - px > 0) - (ex - px < 0), (ey - py > 0) - (ey - py < 0)  # the last leg's heading
    for axis in (0, 1):
        if along[axis]:  # the last leg runs on this axis: lengthen it
            moved = [list(p) for p in route]
            moved[-1][axis] += along[axis] * NUDGE
            variants.append([(p[0], p[1]) for p in moved])
            continue
        for sign in (1, -1):  # it runs across this axis: move it aside, its corner with it
            moved = [list(p) for p in route]
            moved[-1][axis] += sign * NUDGE
            moved[-2][axis] += sign * NUDGE
            variants.append([(p[0], p[1]) for p in moved])
    return variants


def _fit(route, bends, rotation, flip_h, flip_v, start, end) -> Elbow | None:
    turned = rotation % 2 == 1
    dx, dy = abs(end[0] - start[0]), abs(end[1] - start[1])
    w, h = (dy, dx) if turned else (dx, dy)
    cx, cy = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    left, top = round(cx - w / 2), round(cy - h / 2)
    frame = _Frame(left, top, w, h, rotation, flip_h, flip_v)
    if not (_near(frame.to_slide((0, 0)), start) and _near(frame.to_slide((w, h)), end)):
        return None
    local = [frame.to_local(p) for p in route]
    adjusts = _adjusts(local, bends, w, h)
    if adjusts is None:
        return None
    drawn = [frame.to_slide(p) for p in preset_path(_PRESETS[bends], w, h, adjusts)]
    if len(simplify([(round(x), round(y)) for x, y in drawn])) != len(route):
        return None
    if not all(
        _near(a, b, _BEND_TOLERANCE)
        for a, b in zip(simplify([(round(x), round(y)) for x, y in drawn]), route)
    ):
        return None
    return Elbow(_PRESETS[bends], Box(left, top, w, h), rotation * QUARTER, flip_h, flip_v, adjusts)


def _adjusts(local: list[tuple[float, float]], bends: int, w: int, h: int) -> tuple[int, ...] | None:
    """Adjust values that put the local route's bends where they are; None if they cannot."""
    if bends == 0:
        return (50000,) if w > 0 and abs(local[1][1]) <= _TOLERANCE else None
    if bends == 1:
        return ()
    if w == 0:
        return None
    x1 = local[1][0]
    if bends == 2:
        return (round(x1 * 100000 / w),)
    if h == 0:
        return None
    if bends == 3:
        return (round(x1 * 100000 / w), round(local[2][1] * 100000 / h))
    return (round(x1 * 100000 / w), round(local[2][1] * 100000 / h), round(local[3][0] * 100000 / w))


def preset_path(geometry: str, w: float, h: float, adjusts: tuple[int, ...]) -> list[tuple[float, float]]:
    """The points of a connector preset's path in its own box (ECMA-376 preset definitions)."""
    if geometry in ("line", "straightConnector1"):
        return [(0, 0), (w, h)]
    if geometry == "bentConnector2":
        return [(0, 0), (w, 0), (w, h)]
    values = list(adjusts) + [50000] * (3 - len(adjusts))
    x1 = w * values[0] / 100000
    if geometry == "bentConnector3":
        return [(0, 0), (x1, 0), (x1, h), (w, h)]
    y2 = h * values[1] / 100000
    if geometry == "bentConnector4":
        return [(0, 0), (x1, 0), (x1, y2), (w, y2), (w, h)]
    if geometry == "bentConnector5":
        x3 = w * values[2] / 100000
        return [(0, 0), (x1, 0), (x1, y2), (x3, y2), (x3, h), (w, h)]
    raise ValueError(f"not an elbow or straight connector: {geometry}")


def _near(a, b, tolerance: int = _TOLERANCE) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


@dataclass(frozen=True)
class _Frame:
    """A shape's box with its quarter-turn rotation and flips: local <-> slide coordinates."""

    left: int
    top: int
    w: int
    h: int
    rotation: int
    flip_h: bool
    flip_v: bool

    def to_slide(self, point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        x = self.w - x if self.flip_h else x
        y = self.h - y if self.flip_v else y
        dx, dy = x - self.w / 2, y - self.h / 2
        for _ in range(self.rotation):
            dx, dy = -dy, dx  # a quarter turn clockwise on a y-down page
        return self.left + self.w / 2 + dx, self.top + self.h / 2 + dy

    def to_local(self, point: tuple[float, float]) -> tuple[float, float]:
        dx, dy = point[0] - (self.left + self.w / 2), point[1] - (self.top + self.h / 2)
        for _ in range(self.rotation):
            dx, dy = dy, -dx
        x, y = dx + self.w / 2, dy + self.h / 2
        x = self.w - x if self.flip_h else x
        y = self.h - y if self.flip_v else y
        return x, y


def routed(
    name: str,
    start: tuple[str, int],
    end: tuple[str, int],
    points: list[Point],
    colour: str,
    width: int = pt(1.5),
    arrow: bool = True,
) -> Connector | None:
    """An elbow connector along *points*, glued to site *start[1]* of shape *start[0]* and
    site *end[1]* of *end[0]*; None when no elbow preset draws the route."""
    shape = elbow(points)
    if shape is None:
        return None
    return Connector(
        name,
        start[0],
        end[0],
        start[1],
        end[1],
        shape.box,
        flip_h=shape.flip_h,
        flip_v=shape.flip_v,
        geometry=shape.geometry,
        colour=colour,
        width=width,
        arrow=arrow,
        adjusts=shape.adjusts,
        rotation=shape.rotation,
    )
