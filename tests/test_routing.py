"""Orthogonal routing and elbow connectors: routes keep off boxes and off each other, and the
written connector draws exactly the routed line."""

from __future__ import annotations

import zipfile
from itertools import pairwise

import pytest
from lxml import etree

from cardforge.export.drawn_connectors import copy_with_drawn_connectors
from cardforge.layout.connectors import elbow, routed
from cardforge.layout.routing import Router, sides_of
from cardforge.layout.shapes import Box, Presentation, Shape, Slide, pt
from cardforge.writer import write_presentation
from quality import NS, BuiltDeck, connector_path, drawn

P = 12700

ROUTES = {
    "straight east": [(0, 50), (200, 50)],
    "straight north": [(50, 200), (50, 0)],
    "L east then south": [(0, 0), (100, 0), (100, 80)],
    "L north then west": [(100, 100), (100, 20), (10, 20)],
    "Z east": [(0, 0), (40, 0), (40, 90), (160, 90)],
    "Z south": [(0, 0), (0, 60), (100, 60), (100, 150)],
    "U east": [(0, 0), (60, 0), (60, 50), (20, 50)],
    "U of equal legs": [(0, 0), (0, 20), (120, 20), (120, 0)],
    "three bends": [(0, 0), (30, 0), (30, 70), (150, 70), (150, 120)],
    "three bends back": [(200, 100), (170, 100), (170, 10), (20, 10), (20, 60)],
    "four bends": [(0, 0), (20, 0), (20, -40), (160, -40), (160, 30), (190, 30)],
}


def _xml(route) -> etree._Element:
    points = [(x * P, y * P) for x, y in route]
    connector = routed("c", ("a", 0), ("b", 0), points, "000000")
    assert connector is not None
    slide = Slide("t", [Shape("a", Box(0, 0, 1, 1)), Shape("b", Box(0, 0, 1, 1)), connector])
    return _written(slide)


def _written(slide: Slide) -> etree._Element:
    from cardforge.layout.shapes import flatten
    from cardforge.writer.xml import ElementWriter

    writer = ElementWriter(
        lambda _: ("", False), "en", {"heading": "x", "body": "x"}, [e.name for e in flatten(slide.elements)]
    )
    for element in slide.elements:
        writer.element(element)
    return etree.fromstring(
        '<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>'
        + writer.markup()
        + "</p:spTree></p:cSld></p:sld>"
    )


@pytest.mark.parametrize("name", list(ROUTES))
def test_elbow_connector_draws_the_route(name):
    """Read back from the markup (preset, adjust values, rotation and flips), the connector
    runs through every corner of the route, to within a hundredth of a point (a point at
    the end of a U of equal legs, which no adjust value can place otherwise)."""
    route = ROUTES[name]
    root = _xml(route)
    (item,) = [i for i in drawn(root) if i.name == "c"]
    path = connector_path(item)
    corners = [path[0]]
    for point in path[1:]:  # drop repeated points and corners that do not turn
        if not _far(point, corners[-1]):
            continue
        if len(corners) >= 2 and _on_line(corners[-2], corners[-1], point):
            corners[-1] = point
        else:
            corners.append(point)
    assert len(corners) == len(route)
    slack = 1.01 if name == "U of equal legs" else 0.01
    for (x, y), (ex, ey) in zip(corners, route):
        assert abs(x / P - ex) <= slack and abs(y / P - ey) <= slack, (corners, route)
    geometry = item.element.find("p:spPr/a:prstGeom", NS).get("prst")
    bends = len(route) - 2
    assert geometry == {0: "bentConnector3", 1: "bentConnector2"}.get(bends, f"bentConnector{bends + 1}")


def _on_line(a, b, c) -> bool:
    return (abs(a[0] - b[0]) < 2 and abs(b[0] - c[0]) < 2) or (abs(a[1] - b[1]) < 2 and abs(b[1] - c[1]) < 2)


def _far(a, b) -> bool:
    return abs(a[0] - b[0]) > 2 or abs(a[1] - b[1]) > 2


def test_a_route_of_five_bends_has_no_preset():
    assert elbow([(0, 0), (10, 0), (10, 10), (20, 10), (20, 20), (30, 20), (30, 30)]) is None


def _box(x, y, w, h) -> Box:
    return Box(pt(x), pt(y), pt(w), pt(h))


def _enters(a, b, box: Box) -> bool:
    (x1, y1), (x2, y2) = a, b
    return (
        min(x1, x2) < box.right and box.x < max(x1, x2) and min(y1, y2) < box.bottom and box.y < max(y1, y2)
    )


def test_router_goes_around_a_box_in_the_way_and_keeps_its_clearance():
    left, right, wall = _box(0, 100, 60, 40), _box(300, 100, 60, 40), _box(140, 40, 60, 160)
    router = Router(
        [left, right, wall], [(left, right)], _box(-20, 0, 420, 300), pt(6), pt(6), pt(30), pt(12), pt(8)
    )
    route = router.route(sides_of("a", left), sides_of("b", right))
    assert route is not None
    points = route.points
    grown = Box(wall.x - pt(6) + 1, wall.y - pt(6) + 1, wall.w + pt(12) - 2, wall.h + pt(12) - 2)
    assert not any(_enters(a, b, grown) for a, b in pairwise(points))
    assert 2 <= len(points) - 2 <= 4  # around the wall: up or down and back
    assert points[0][0] in (left.x, left.right) or points[0][1] in (left.y, left.bottom)
    assert points[-1][0] in (right.x, right.right) or points[-1][1] in (right.y, right.bottom)
    again = Router(
        [left, right, wall], [(left, right)], _box(-20, 0, 420, 300), pt(6), pt(6), pt(30), pt(12), pt(8)
    )
    assert again.route(sides_of("a", left), sides_of("b", right)).points == points  # deterministic


def test_routes_sharing_a_gutter_take_separate_tracks():
    """Three flows from one column to boxes of the next cross the same gutter: no two share
    a stretch of line, and no two meet a box at the same point."""
    sources = [_box(0, y, 80, 30) for y in (0, 60, 120)]
    targets = [_box(200, y, 80, 30) for y in (30, 90, 150)]
    router = Router(
        sources + targets,
        list(zip(sources, targets)),
        _box(-20, -20, 320, 220),
        pt(6),
        pt(6),
        pt(30),
        pt(12),
        pt(8),
    )
    routes = [
        router.route(sides_of(f"s{i}", s), sides_of(f"t{i}", t))
        for i, (s, t) in enumerate(zip(sources, targets))
    ]
    assert all(routes)
    segments = [(a, b) for r in routes for a, b in pairwise(r.points)]
    owners = [i for i, r in enumerate(routes) for _ in pairwise(r.points)]
    for i, (a, b) in enumerate(segments):
        for j in range(i + 1, len(segments)):
            if owners[i] != owners[j]:
                assert not _shared_stretch(a, b, *segments[j]), (a, b, segments[j])
    ends = [p for r in routes for p in (r.points[0], r.points[-1])]
    assert len(set(ends)) == len(ends)


def _shared_stretch(a, b, c, d) -> bool:
    for axis in (0, 1):
        other = 1 - axis
        if a[other] == b[other] == c[other] == d[other]:
            low = max(min(a[axis], b[axis]), min(c[axis], d[axis]))
            high = min(max(a[axis], b[axis]), max(c[axis], d[axis]))
            if high > low:
                return True
    return False


def test_pdf_copy_draws_connectors_as_the_lines_the_file_holds(tmp_path):
    """LibreOffice re-routes connectors by its own rules; the copy it converts holds each
    connector as a freeform line along the same path, under the same name."""
    slide = Slide("t", [Shape("a", _box(0, 0, 50, 30)), Shape("b", _box(200, 100, 50, 30))])
    for name, route in ROUTES.items():
        connector = routed(
            name, ("a", 3), ("b", 1), [(x * P + pt(100), y * P + pt(200)) for x, y in route], "C00000"
        )
        slide.add(connector)
    pptx = tmp_path / "c.pptx"
    write_presentation(
        Presentation(pt(960), pt(540), [slide]), pptx, {"heading": "Calibri", "body": "Calibri"}, None, None
    )
    copy = copy_with_drawn_connectors(pptx, tmp_path / "drawn.pptx")
    original, lines = BuiltDeck(pptx), BuiltDeck(copy)
    paths = {i.name: connector_path(i) for i in drawn(original.slides[0]) if i.name in ROUTES}
    assert len(paths) == len(ROUTES)
    for item in drawn(lines.slides[0]):
        if item.name not in ROUTES:
            continue
        assert etree.QName(item.element).localname == "sp"
        points = [(int(pt_.get("x")), int(pt_.get("y"))) for pt_ in item.element.iter(f"{{{NS['a']}}}pt")]
        slide_points = [_through(item.matrix, p) for p in points]
        for (x, y), (ex, ey) in zip(slide_points, paths[item.name]):
            assert abs(x - ex) < 2 and abs(y - ey) < 2
    with zipfile.ZipFile(copy) as package:
        assert b"<p:cxnSp>" not in package.read("ppt/slides/slide1.xml")


def _through(matrix, point):
    a, b, c, d, e, f = matrix
    return a * point[0] + b * point[1] + c, d * point[0] + e * point[1] + f
