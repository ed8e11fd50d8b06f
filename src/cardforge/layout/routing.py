"""Orthogonal connector routing around boxes, one connector after another.

The router builds an orthogonal visibility grid, as libavoid does: lines through every
obstacle's outline (grown by a clearance) and through every port, plus evenly spaced lanes
in the free channels between them, so that connectors sharing a gutter can run side by
side. A connector is the cheapest path on that grid from one of its start ports to one of
its end ports, by A* over (node, heading, bends), where a path costs its length (more along
lines that hug an obstacle than along a channel's middle), a penalty per bend and one per
crossing of an earlier connector. A routed connector then owns its grid edges, its ports
and the nodes where it turns: later connectors may cross it at right angles, never run on
it, turn on it or share its ports, so no two connectors overlap. Boxes added after a route
(its number label) become obstacles for the routes that follow.

Routes have at most three bends, the most an elbow connector preset draws. Everything is
integer EMU and every choice is ordered, so the same input gives the same routes.
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from .connectors import Point, elbow
from .shapes import Box

EAST, SOUTH, WEST, NORTH = 0, 1, 2, 3
STEPS = ((1, 0), (0, 1), (-1, 0), (0, -1))
MAX_BENDS = 3


@dataclass(frozen=True)
class Port:
    """A connection site: where a connector may start or end, and which way it faces."""

    shape: str
    site: int
    point: Point
    heading: int
    """The direction a connector leaves the shape in (EAST, SOUTH, WEST or NORTH)."""
    cost: int = 0
    """Added to a route that uses this port (off-centre sites cost a little)."""


@dataclass
class Route:
    points: list[Point]
    """From the start port to the end port, one point per corner."""
    start: Port
    end: Port
    grid: list[Point] = field(default_factory=list, repr=False)
    """Every grid node the route visits, from stub end to stub end."""


@dataclass
class _Lines:
    """Sorted coordinates of grid lines on one axis, and the cost factor along each line."""

    values: list[int]
    weights: list[float]


@dataclass
class Router:
    """Routes connectors one after another among *obstacles*, within *bounds*."""

    obstacles: list[Box]
    ports: list[Port]
    bounds: Box
    clearance: int
    lane: int
    bend_cost: int
    cross_cost: int
    _xs: _Lines = field(init=False)
    _ys: _Lines = field(init=False)
    _blocked: bytearray = field(init=False)
    _h_blocked: bytearray = field(init=False)
    _v_blocked: bytearray = field(init=False)
    _turns: bytearray = field(init=False)
    """Nodes where a routed connector turns, starts or ends: no later route touches them."""
    _passes: bytearray = field(init=False)
    """Nodes a routed connector runs straight through: later routes may only cross there."""
    _used_ports: set[tuple[str, int]] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        grown = [self._grow(box) for box in self.obstacles]
        stubs = [self._stub(p) for p in self.ports]
        self._xs = _lines(
            [x for box in grown for x in (box.x, box.right)],
            [s[0] for s in stubs],
            self.bounds.x,
            self.bounds.right,
            self.lane,
        )
        self._ys = _lines(
            [y for box in grown for y in (box.y, box.bottom)],
            [s[1] for s in stubs],
            self.bounds.y,
            self.bounds.bottom,
            self.lane,
        )
        size = len(self._xs.values) * len(self._ys.values)
        self._blocked = bytearray(size)
        self._h_blocked = bytearray(size)
        self._v_blocked = bytearray(size)
        self._turns = bytearray(size)
        self._passes = bytearray(size)
        for box in grown:
            self.block(box)

    def _grow(self, box: Box) -> Box:
        c = self.clearance
        return Box(box.x - c, box.y - c, box.w + 2 * c, box.h + 2 * c)

    def _stub(self, port: Port) -> Point:
        """Where a connector leaving *port* first meets the grid: a clearance away."""
        dx, dy = STEPS[port.heading]
        return port.point[0] + dx * self.clearance, port.point[1] + dy * self.clearance

    def block(self, box: Box) -> None:
        """Make the inside of *box* (already grown as wanted) unreachable for later routes."""
        xs, ys = self._xs.values, self._ys.values
        ny = len(ys)
        i_inside = range(bisect_right(xs, box.x), bisect_left(xs, box.right))
        j_inside = range(bisect_right(ys, box.y), bisect_left(ys, box.bottom))
        i_spans = range(max(0, bisect_right(xs, box.x) - 1), min(len(xs) - 1, bisect_left(xs, box.right)))
        j_spans = range(max(0, bisect_right(ys, box.y) - 1), min(ny - 1, bisect_left(ys, box.bottom)))
        for i in i_inside:
            for j in j_inside:
                self._blocked[i * ny + j] = 1
        for i in i_spans:  # horizontal edge (i, j) -> (i + 1, j)
            for j in j_inside:
                self._h_blocked[i * ny + j] = 1
        for i in i_inside:  # vertical edge (i, j) -> (i, j + 1)
            for j in j_spans:
                self._v_blocked[i * ny + j] = 1

    def route(self, starts: list[Port], ends: list[Port]) -> Route | None:
        """The cheapest route from a free port in *starts* to a free port in *ends*; it is
        committed (later routes keep off it). None when no free route exists."""
        starts = [p for p in starts if (p.shape, p.site) not in self._used_ports]
        ends = [p for p in ends if (p.shape, p.site) not in self._used_ports]
        rejected: set[tuple[Port, Port]] = set()
        for _attempt in range(4):
            found = self._search(starts, ends, rejected)
            if found is None:
                return None
            route = found
            if elbow(route.points) is not None:
                self._commit(route)
                return route
            rejected.add((route.start, route.end))  # a U of equal legs: no preset draws it
        return None

    def _node(self, point: Point) -> int | None:
        xs, ys = self._xs.values, self._ys.values
        i, j = bisect_left(xs, point[0]), bisect_left(ys, point[1])
        if i < len(xs) and j < len(ys) and xs[i] == point[0] and ys[j] == point[1]:
            return i * len(ys) + j
        return None

    def _search(self, starts: list[Port], ends: list[Port], rejected) -> Route | None:
        xs, ys = self._xs, self._ys
        ny = len(ys.values)
        goals: dict[int, list[Port]] = {}
        for port in ends:
            node = self._node(self._stub(port))
            if node is not None and not self._blocked_node(node):
                goals.setdefault(node, []).append(port)
        if not goals:
            return None
        goal_points = [(xs.values[n // ny], ys.values[n % ny]) for n in goals]
        heap: list[tuple[float, float, int, int, int, int]] = []
        came: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
        best: dict[tuple[int, int, int], float] = {}
        origin: dict[tuple[int, int, int], Port] = {}
        counter = itertools.count()
        for port in starts:
            node = self._node(self._stub(port))
            if node is None or self._blocked_node(node):
                continue
            state = (node, port.heading, 0)
            cost = float(port.cost + self.clearance)
            if cost < best.get(state, float("inf")):
                best[state], came[state], origin[state] = cost, None, port
                point = (xs.values[node // ny], ys.values[node % ny])
                heapq.heappush(heap, (cost + _distance(point, goal_points), cost, next(counter), *state))
        finished: list[tuple[float, tuple[int, int, int], Port]] = []
        while heap:
            estimate, cost, _, node, heading, bends = heapq.heappop(heap)
            state = (node, heading, bends)
            if cost > best.get(state, float("inf")):
                continue
            if finished and estimate >= finished[0][0]:
                break
            for port in goals.get(node, ()):
                inward = (port.heading + 2) % 4
                if heading != inward and self._passes[node]:
                    continue  # turning into the port on an earlier route would join the two
                turns = bends + (heading != inward)
                total = cost + port.cost + self.clearance + self.bend_cost * (heading != inward)
                start = self._first_port(state, came, origin)
                if turns <= MAX_BENDS and (start, port) not in rejected and start.shape != port.shape:
                    if not finished or total < finished[0][0]:
                        finished = [(total, state, port)]
            self._expand(state, cost, heap, best, came, goal_points, counter)
        if not finished:
            return None
        _, state, end = finished[0]
        start = self._first_port(state, came, origin)
        nodes = []
        current: tuple[int, int, int] | None = state
        while current is not None:
            nodes.append(current[0])
            current = came[current]
        nodes.reverse()
        grid = [(xs.values[n // ny], ys.values[n % ny]) for n in nodes]
        return Route(_straighten([start.point, *grid, end.point]), start, end, grid)

    @staticmethod
    def _first_port(state, came, origin) -> Port:
        while came[state] is not None:
            state = came[state]
        return origin[state]

    def _blocked_node(self, node: int) -> bool:
        return bool(self._blocked[node] or self._turns[node])

    def _expand(self, state, cost, heap, best, came, goal_points, counter) -> None:
        node, heading, bends = state
        xs, ys = self._xs, self._ys
        ny = len(ys.values)
        i, j = divmod(node, ny)
        passing = self._passes[node]
        for new_heading in range(4):
            if new_heading == (heading + 2) % 4:
                continue
            turning = new_heading != heading
            if turning and (bends >= MAX_BENDS or passing):
                continue
            dx, dy = STEPS[new_heading]
            ni, nj = i + dx, j + dy
            if not (0 <= ni < len(xs.values) and 0 <= nj < ny):
                continue
            if dx:
                edge = min(i, ni) * ny + j
                if self._h_blocked[edge]:
                    continue
                length = abs(xs.values[ni] - xs.values[i]) * ys.weights[j]
            else:
                edge = i * ny + min(j, nj)
                if self._v_blocked[edge]:
                    continue
                length = abs(ys.values[nj] - ys.values[j]) * xs.weights[i]
            target = ni * ny + nj
            if self._blocked_node(target):
                continue
            step = (
                length + (self.bend_cost if turning else 0) + (self.cross_cost if self._passes[target] else 0)
            )
            new_state = (target, new_heading, bends + turning)
            new_cost = cost + step
            if new_cost < best.get(new_state, float("inf")):
                best[new_state] = new_cost
                came[new_state] = state
                point = (xs.values[ni], ys.values[nj])
                heapq.heappush(
                    heap, (new_cost + _distance(point, goal_points), new_cost, next(counter), *new_state)
                )

    def _commit(self, route: Route) -> None:
        """Later routes keep off *route*: its edges, its turns and its ports."""
        self._used_ports.add((route.start.shape, route.start.site))
        self._used_ports.add((route.end.shape, route.end.site))
        for a, b in pairwise(route.grid):
            self._mark_segment(a, b)
        corners = set(route.points) | {route.grid[0], route.grid[-1]}
        for point in route.grid:
            if point in corners:
                self._turns[self._node(point) or 0] = 1  # every corner and both stub ends

    def _mark_segment(self, a: Point, b: Point) -> None:
        xs, ys = self._xs.values, self._ys.values
        ny = len(ys)
        if a[1] == b[1]:
            j = bisect_left(ys, a[1])
            low, high = sorted((bisect_left(xs, a[0]), bisect_left(xs, b[0])))
            for i in range(low, high):
                self._h_blocked[i * ny + j] = 1
            for i in range(low + 1, high):
                self._passes[i * ny + j] = 1
        else:
            i = bisect_left(xs, a[0])
            low, high = sorted((bisect_left(ys, a[1]), bisect_left(ys, b[1])))
            for j in range(low, high):
                self._v_blocked[i * ny + j] = 1
            for j in range(low + 1, high):
                self._passes[i * ny + j] = 1


def _distance(point: Point, goals: list[Point]) -> float:
    return min(abs(point[0] - g[0]) + abs(point[1] - g[1]) for g in goals)


def _straighten(points: list[Point]) -> list[Point]:
    """*points* with the corners that do not turn taken out."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and (
            (kept[-2][0] == kept[-1][0] == point[0]) or (kept[-2][1] == kept[-1][1] == point[1])
        ):
            kept[-1] = point
        else:
            kept.append(point)
    return kept


EDGE_WEIGHT = 1.15
"""Cost factor along a line that hugs an obstacle (a clearance from its outline)."""
LANE_WEIGHT = 1.04
"""Cost factor along a lane off the middle of its channel."""


def _lines(outlines: list[int], ports: list[int], low: int, high: int, lane: int) -> _Lines:
    """Grid lines: grown obstacle *outlines* and *ports* within [low, high], the bounds, and
    lanes spaced at least *lane* apart in each free gap, an odd number so one is centred."""
    values = sorted({v for v in outlines + ports if low <= v <= high} | {low, high})
    weights = dict.fromkeys(values, EDGE_WEIGHT)
    weights.update({v: 1.0 for v in ports if low <= v <= high})
    for a, b in pairwise(values):
        count = (b - a) // lane - 1
        if count <= 0:
            continue
        if count % 2 == 0:
            count -= 1
        middle = count // 2
        for k in range(count):
            value = a + (b - a) * (k + 1) // (count + 1)
            weights[value] = 1.0 if k == middle else LANE_WEIGHT
    ordered = sorted(weights)
    return _Lines(ordered, [weights[v] for v in ordered])
