"""Connectors between shapes: geometry of straight lines glued to connection sites."""

from __future__ import annotations

from .shapes import Box, Connector, pt

# Connection sites of rectangles and rounded rectangles, in the order PowerPoint numbers them.
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3


def site_point(box: Box, site: int) -> tuple[int, int]:
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


def segment_hits_box(start: tuple[int, int], end: tuple[int, int], box: Box) -> bool:
    """Whether the segment from *start* to *end* passes through the inside of *box*."""
    (x1, y1), (x2, y2) = start, end
    steps = 64
    for i in range(1, steps):
        x = x1 + (x2 - x1) * i / steps
        y = y1 + (y2 - y1) * i / steps
        if box.x < x < box.right and box.y < y < box.bottom:
            return True
    return False
