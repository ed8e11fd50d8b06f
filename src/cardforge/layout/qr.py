"""QR codes drawn as one vector shape, so that they print sharp at any size and scan.

segno encodes the link; the dark modules are then traced into outlines (every region of
touching modules becomes one polygon, holes wound the other way) and written as a single
custom geometry. A picture would be resampled by PDF export; hundreds of squares would
leave hairline seams between neighbours and make the slide heavy to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno

from .shapes import Box, Outline, Shape

QUIET_MODULES = 2
"""The white border drawn around the code, in modules. A scanner needs four (ISO/IEC 18004);
the other two come from the light card around it: callers keep text and edges that far off."""
MIN_MODULE_EMU = 12600
"""0.35 mm: a module an office printer renders cleanly and a phone reads at arm's length."""
DARK = "000000"
LIGHT = "FFFFFF"
_SCALE = 100
"""Path units per module: whole numbers with room to spare for renderers that round."""

Point = tuple[int, int]


@dataclass(frozen=True)
class QrCode:
    text: str
    modules: int
    """Modules along one side, without the quiet zone."""
    outline: Outline


def qr_fits(text: str, side: int) -> bool:
    """Whether *text*'s code with its quiet zone, drawn *side* EMU wide, has modules large enough."""
    return side // (qr_modules(text) + 2 * QUIET_MODULES) >= MIN_MODULE_EMU


@lru_cache(maxsize=8192)
def qr_modules(text: str) -> int:
    """Modules along one side of *text*'s code: its size depends on the text, not on the mask,
    so a fixed mask answers five times faster than choosing the best one."""
    return len(segno.make_qr(text, error="l", boost_error=True, mask=0).matrix)


@lru_cache(maxsize=64)
def qr_code(text: str) -> QrCode:
    """The smallest QR code for *text*, with the strongest error correction at that size."""
    code = segno.make_qr(text, error="l", boost_error=True)
    matrix = [[bool(value) for value in row] for row in code.matrix]
    polygons = tuple(tuple((x * _SCALE, y * _SCALE) for x, y in polygon) for polygon in trace(matrix))
    side = len(matrix)
    return QrCode(text, side, Outline(side * _SCALE, side * _SCALE, polygons))


def qr_shapes(name: str, text: str, box: Box, description: str) -> list[Shape]:
    """A white square *box* (the quiet zone) with the code centred in it, linked to *text*."""
    code = qr_code(text)
    module = box.w // (code.modules + 2 * QUIET_MODULES)
    side = module * code.modules
    inner = Box(box.x + (box.w - side) // 2, box.y + (box.h - side) // 2, side, side)
    return [
        Shape(f"{name}:quiet zone", box, fill=LIGHT),  # decorative: the code says what it is
        Shape(
            name,
            inner,
            fill=DARK,
            outline=code.outline,
            link=text,
            description=description,
        ),
    ]


def trace(matrix: list[list[bool]]) -> list[tuple[Point, ...]]:
    """Outlines of the dark cells of *matrix* (rows top to bottom), as corner points.

    Each dark cell contributes the sides it does not share with a dark neighbour, walked
    clockwise on screen; those sides join into closed loops, outer edges clockwise and
    holes anticlockwise, so the fill is right under either winding rule. Where two cells
    touch only at a corner the walk turns right, keeping the two regions apart.
    """
    dark = {(x, y) for y, row in enumerate(matrix) for x, value in enumerate(row) if value}
    outgoing: dict[Point, list[Point]] = {}

    def side(start: Point, end: Point) -> None:
        outgoing.setdefault(start, []).append(end)

    for x, y in sorted(dark, key=lambda cell: (cell[1], cell[0])):
        if (x, y - 1) not in dark:
            side((x, y), (x + 1, y))
        if (x + 1, y) not in dark:
            side((x + 1, y), (x + 1, y + 1))
        if (x, y + 1) not in dark:
            side((x + 1, y + 1), (x, y + 1))
        if (x - 1, y) not in dark:
            side((x, y + 1), (x, y))
    loops = []
    for start in sorted(outgoing, key=lambda point: (point[1], point[0])):
        while outgoing.get(start):
            loops.append(_corners(_walk(outgoing, start)))
    return loops


def _walk(outgoing: dict[Point, list[Point]], start: Point) -> list[Point]:
    points = [start]
    current = start
    direction: Point | None = None
    while True:
        ends = outgoing[current]
        end = ends[0] if len(ends) == 1 or direction is None else _right_turn(current, direction, ends)
        ends.remove(end)
        direction = (end[0] - current[0], end[1] - current[1])
        current = end
        if current == start:
            return points
        points.append(current)


def _right_turn(at: Point, direction: Point, ends: list[Point]) -> Point:
    right = (at[0] - direction[1], at[1] + direction[0])
    return right if right in ends else ends[0]


def _corners(points: list[Point]) -> tuple[Point, ...]:
    """*points* without those in the middle of a straight run."""
    kept = []
    count = len(points)
    for index, (x, y) in enumerate(points):
        before, after = points[index - 1], points[(index + 1) % count]
        if (x - before[0], y - before[1]) != (after[0] - x, after[1] - y):
            kept.append((x, y))
    return tuple(kept)
