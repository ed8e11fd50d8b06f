"""Orthogonal connector routing around boxes, one connector after another.

The router builds an orthogonal visibility grid, as libavoid does: lines along every
obstacle's outline grown by a clearance, through the middle of every side a connector may
use and of the stretch where two such sides face each other (so that facing boxes can be
joined by a straight line), and evenly spaced lanes in the free channels between them, so
that connectors sharing a gutter run side by side. A connector is the cheapest path on that
grid from a side of one box to a side of another, by A* over (node, heading, bends), where a
path costs its length (more along lines that hug an obstacle than along a channel's middle,
a little more the further its ends are from the middle of their sides), a penalty per bend
and one per crossing of an earlier connector.

A routed connector then owns its grid edges and the nodes where it turns or ends: later
connectors may cross it at right angles, never run along it or turn on it, and keep a lane's
width from where it meets a box, so no two connectors overlap and every arrowhead shows.
Boxes added after a route (its number label) become obstacles for the routes that follow.

Routes have at most four bends, the most an elbow connector preset draws. Everything is
integer EMU and every choice is ordered, so the same input gives the same routes.
"""

from __future__ import annotations

import heapq
import itertools
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from .connectors import Point, elbow
from .shapes import Box

EAST, SOUTH, WEST, NORTH = 0, 1, 2, 3
STEPS = ((1, 0), (0, 1), (-1, 0), (0, -1))
MAX_BENDS = 4
EDGE_WEIGHT = 1.15
"""Cost factor along a line that hugs an obstacle (a clearance from its outline)."""
LANE_WEIGHT = 1.04
"""Cost factor along a lane off the middle of its channel."""
OFF_CENTRE_WEIGHT = 0.5
GREED = 1.5
"""How much more than its cost a route's distance to go counts: a little greed finds nearly
as good a route much sooner (weighted A*)."""
MAX_STEPS = 40_000
"""States one search may expand: past that it keeps the best route found, if any."""
MAX_LANES = 3
MERGE = 12700
"""EMU (a point): grid lines closer than this are one line."""
"""Lanes in one gap between grid lines: more would only slow the search."""
"""Cost per EMU an end lies from the middle of its side."""


@dataclass(frozen=True)
class Side:
    """One side of a box that a connector may start or end on, facing *heading*."""

    shape: str
    box: Box
    heading: int
    """The direction a connector leaves the box in (EAST, SOUTH, WEST or NORTH)."""


@dataclass
class Route:
    points: list[Point]
    """From the start on the first box's outline to the end on the second's, one per corner."""
    start: Side
    end: Side
    grid: list[Point] = field(default_factory=list, repr=False)
    """Every grid node the route visits, from the first node off the box to the last."""


@dataclass
class _Lines:
    """Sorted coordinates of grid lines on one axis, and the cost factor along each line."""

    values: list[int]
    weights: list[float]


def sides_of(shape: str, box: Box) -> list[Side]:
    return [Side(shape, box, heading) for heading in (EAST, SOUTH, WEST, NORTH)]


@dataclass
class Router:
    """Routes connectors between *pairs* of boxes, one after another, among *obstacles*
    (which include the boxes themselves), within *bounds*."""

    obstacles: list[Box]
    pairs: list[tuple[Box, Box]]
    bounds: Box
    clearance: int
    lane: int
    bend_cost: int
    cross_cost: int
    corner: int
    """The least distance from a connector's end to a corner of its box."""
    _xs: _Lines = field(init=False)
    _ys: _Lines = field(init=False)
    _blocked: bytearray = field(init=False)
    _h_blocked: bytearray = field(init=False)
    _v_blocked: bytearray = field(init=False)
    _turns: bytearray = field(init=False)
    """Nodes where a routed connector turns, starts or ends: no later route touches them."""
    _passes: bytearray = field(init=False)
    """Nodes a routed connector runs straight through: later routes may only cross there."""

    def __post_init__(self) -> None:
        grown = [self._grow(box) for box in self.obstacles]
        favoured_x: list[int] = []
        favoured_y: list[int] = []
        for a, b in self.pairs:
            for box in (a, b):  # the middle of each side a flow may use
                favoured_x.append(box.x + box.w // 2)
                favoured_y.append(box.y + box.h // 2)
            favoured_y += _facing(a.y, a.bottom, b.y, b.bottom)
            favoured_x += _facing(a.x, a.right, b.x, b.right)
        self._xs = _lines(
            [x for box in grown for x in (box.x, box.right)],
            favoured_x,
            self.bounds.x,
            self.bounds.right,
            self.lane,
        )
        self._ys = _lines(
            [y for box in grown for y in (box.y, box.bottom)],
            favoured_y,
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

    def block(self, box: Box, by: int = 1) -> None:
        """Make the inside of *box* (already grown as wanted) unreachable for later routes;
        ``by=-1`` takes back one such block."""
        xs, ys = self._xs.values, self._ys.values
        ny = len(ys)
        i_inside = range(bisect_right(xs, box.x), bisect_left(xs, box.right))
        j_inside = range(bisect_right(ys, box.y), bisect_left(ys, box.bottom))
        i_spans = range(max(0, bisect_right(xs, box.x) - 1), min(len(xs) - 1, bisect_left(xs, box.right)))
        j_spans = range(max(0, bisect_right(ys, box.y) - 1), min(ny - 1, bisect_left(ys, box.bottom)))
        for i in i_inside:
            for j in j_inside:
                self._blocked[i * ny + j] += by
        for i in i_spans:  # horizontal edge (i, j) -> (i + 1, j)
            for j in j_inside:
                self._h_blocked[i * ny + j] += by
        for i in i_inside:  # vertical edge (i, j) -> (i, j + 1)
            for j in j_spans:
                self._v_blocked[i * ny + j] += by

    def open(self, obstacle: Box) -> None:
        """Let the routes that follow cross *obstacle* (one of those the router was given)."""
        self.block(self._grow(obstacle), -1)

    def close(self, obstacle: Box) -> None:
        """Block *obstacle* again after :meth:`open`."""
        self.block(self._grow(obstacle))

    def route(self, starts: list[Side], ends: list[Side]) -> Route | None:
        """The cheapest route from a side in *starts* to a side in *ends*, committed so that
        later routes keep off it; None when no free route exists."""
        rejected: set[tuple[Point, Point]] = set()
        for _attempt in range(4):
            route = self._search(starts, ends, rejected)
            if route is None:
                return None
            if elbow(route.points) is not None:
                self.commit(route)
                return route
            rejected.add((route.points[0], route.points[-1]))  # a U of equal legs: no preset draws it
        return None

    def _ends(self, side: Side) -> list[tuple[int, Point, int]]:
        """Grid nodes a clearance off *side*, with the point on the side each leads to and
        the cost of ending there."""
        box, c = side.box, self.clearance
        xs, ys = self._xs.values, self._ys.values
        ny = len(ys)
        found = []
        if side.heading in (EAST, WEST):
            x = box.right + c if side.heading == EAST else box.x - c
            i = bisect_left(xs, x)
            if i == len(xs) or xs[i] != x:
                return []
            middle = box.y + box.h // 2
            corner = min(self.corner, box.h // 5)
            low, high = box.y + corner, box.bottom - corner
            for j in range(bisect_left(ys, low), bisect_right(ys, high)):
                node = i * ny + j
                if not self._blocked_node(node) and not self._blocked[node]:
                    on_box = (box.right if side.heading == EAST else box.x, ys[j])
                    found.append((node, on_box, round(abs(ys[j] - middle) * OFF_CENTRE_WEIGHT)))
        else:
            y = box.bottom + c if side.heading == SOUTH else box.y - c
            j = bisect_left(ys, y)
            if j == len(ys) or ys[j] != y:
                return []
            middle = box.x + box.w // 2
            corner = min(self.corner, box.w // 5)
            low, high = box.x + corner, box.right - corner
            for i in range(bisect_left(xs, low), bisect_right(xs, high)):
                node = i * ny + j
                if not self._blocked_node(node):
                    on_box = (xs[i], box.bottom if side.heading == SOUTH else box.y)
                    found.append((node, on_box, round(abs(xs[i] - middle) * OFF_CENTRE_WEIGHT)))
        return found

    def _search(self, starts: list[Side], ends: list[Side], rejected) -> Route | None:
        """A* over states (node, heading, bends), packed into one int for speed."""
        xs, ys = self._xs.values, self._ys.values
        x_weights, y_weights = self._xs.weights, self._ys.weights
        nx, ny = len(xs), len(ys)
        levels = MAX_BENDS + 1
        goals: dict[int, list[tuple[Side, Point, int]]] = {}
        for side in ends:
            for node, on_box, end_cost in self._ends(side):
                goals.setdefault(node, []).append((side, on_box, end_cost))
        if not goals:
            return None
        target = self._grow(ends[0].box)  # every end lies on it: distance to it never overestimates
        tx0, ty0, tx1, ty1 = target.x, target.y, target.right, target.bottom
        heap: list[tuple[float, float, int, int]] = []  # (estimate, cost, tie-break, state)
        came: dict[int, int] = {}
        best: dict[int, float] = {}
        origin: dict[int, tuple[Side, Point]] = {}
        counter = itertools.count()
        for side in starts:
            for node, on_box, start_cost in self._ends(side):
                state = (node * 4 + side.heading) * levels
                total = float(start_cost + self.clearance)
                if total < best.get(state, math.inf):
                    best[state], came[state], origin[state] = total, -1, (side, on_box)
                    x, y = xs[node // ny], ys[node % ny]
                    h = (tx0 - x if x < tx0 else x - tx1 if x > tx1 else 0) + (
                        ty0 - y if y < ty0 else y - ty1 if y > ty1 else 0
                    )
                    heapq.heappush(heap, (total + h, total, next(counter), state))
        blocked, turns, passes = self._blocked, self._turns, self._passes
        h_blocked, v_blocked = self._h_blocked, self._v_blocked
        bend_cost, cross_cost = self.bend_cost, self.cross_cost
        finished: tuple[float, int, Side, Point] | None = None
        budget = MAX_STEPS
        while heap and budget:
            budget -= 1
            estimate, cost, _, state = heapq.heappop(heap)
            if cost > best.get(state, math.inf):
                continue
            if finished is not None and estimate >= finished[0]:
                break
            rest, bends = divmod(state, levels)
            node, heading = divmod(rest, 4)
            for side, on_box, end_cost in goals.get(node, ()):
                inward = (side.heading + 2) % 4
                turning = heading != inward
                if (turning and passes[node]) or bends + turning > MAX_BENDS:
                    continue  # turning into the box on an earlier route would join the two
                start_side, start_point = origin[_first(state, came)]
                if start_side.shape == side.shape or (start_point, on_box) in rejected:
                    continue
                total = cost + end_cost + self.clearance + bend_cost * turning
                if finished is None or total < finished[0]:
                    finished = (total, state, side, on_box)
            i, j = divmod(node, ny)
            passing = passes[node]
            for new_heading in range(4):
                if new_heading == (heading + 2) % 4:
                    continue
                turning = new_heading != heading
                if turning and (bends >= MAX_BENDS or passing):
                    continue
                if new_heading == EAST:
                    if i + 1 >= nx or h_blocked[node]:
                        continue
                    to = node + ny
                    length = (xs[i + 1] - xs[i]) * y_weights[j]
                elif new_heading == WEST:
                    if i == 0 or h_blocked[node - ny]:
                        continue
                    to = node - ny
                    length = (xs[i] - xs[i - 1]) * y_weights[j]
                elif new_heading == SOUTH:
                    if j + 1 >= ny or v_blocked[node]:
                        continue
                    to = node + 1
                    length = (ys[j + 1] - ys[j]) * x_weights[i]
                else:
                    if j == 0 or v_blocked[node - 1]:
                        continue
                    to = node - 1
                    length = (ys[j] - ys[j - 1]) * x_weights[i]
                if blocked[to] or turns[to]:
                    continue
                new_cost = cost + length + (bend_cost if turning else 0) + (cross_cost if passes[to] else 0)
                base = (to * 4 + new_heading) * levels
                new_bends = bends + turning
                # Dominated: reached the same node and heading as cheaply with no more bends.
                # (A loop, not any() over a generator: this is the search's innermost step.)
                for fewer in range(base, base + new_bends + 1):
                    if best.get(fewer, math.inf) <= new_cost:
                        break
                else:
                    new_state = base + new_bends  # cheaper than best[new_state] too
                    best[new_state] = new_cost
                    came[new_state] = state
                    x, y = xs[to // ny], ys[to % ny]
                    h = (tx0 - x if x < tx0 else x - tx1 if x > tx1 else 0) + (
                        ty0 - y if y < ty0 else y - ty1 if y > ty1 else 0
                    )
                    h += bend_cost * _turns_needed(x, y, new_heading, tx0, ty0, tx1, ty1)
                    heapq.heappush(heap, (new_cost + GREED * h, new_cost, next(counter), new_state))
        if finished is None:
            return None
        _, state, end_side, end_point = finished
        start_side, start_point = origin[_first(state, came)]
        nodes = []
        while state != -1:
            nodes.append(state // levels // 4)
            state = came[state]
        nodes.reverse()
        grid = [(xs[n // ny], ys[n % ny]) for n in nodes]
        return Route(_straighten([start_point, *grid, end_point]), start_side, end_side, grid)

    def _blocked_node(self, node: int) -> bool:
        return bool(self._blocked[node] or self._turns[node])

    def commit(self, route: Route, lanes: bool = True) -> None:
        """Later routes keep off *route*: its edges, its turns, its ends and (with *lanes*) a
        lane either side of where it meets each box."""
        for a, b in pairwise(route.grid):
            self._mark_segment(a, b)
        corners = set(route.points)
        for point in route.grid:
            if point in corners:
                self._turns[self._node(point)] = 1
        for point, side in ((route.grid[0], route.start), (route.grid[-1], route.end)):
            self._turns[self._node(point)] = 1
            if lanes:
                self._keep_clear(point, side.heading)

    def _node(self, point: Point) -> int:
        return bisect_left(self._xs.values, point[0]) * len(self._ys.values) + bisect_left(
            self._ys.values, point[1]
        )

    def _keep_clear(self, point: Point, heading: int) -> None:
        """No other connector ends within a lane of *point* along the same side."""
        xs, ys = self._xs.values, self._ys.values
        ny = len(ys)
        if heading in (EAST, WEST):
            i = bisect_left(xs, point[0])
            for j in range(bisect_right(ys, point[1] - self.lane), bisect_left(ys, point[1] + self.lane)):
                self._turns[i * ny + j] = 1
        else:
            j = bisect_left(ys, point[1])
            for i in range(bisect_right(xs, point[0] - self.lane), bisect_left(xs, point[0] + self.lane)):
                self._turns[i * ny + j] = 1

    def _mark_segment(self, a: Point, b: Point) -> None:
        xs, ys = self._xs.values, self._ys.values
        ny = len(ys)
        if a[1] == b[1]:
            j = bisect_left(ys, a[1])
            low, high = sorted((bisect_left(xs, a[0]), bisect_left(xs, b[0])))
            for i in range(low, high):
                self._h_blocked[i * ny + j] |= 128  # a route's own edge: never taken back
            for i in range(low + 1, high):
                self._passes[i * ny + j] = 1
        else:
            i = bisect_left(xs, a[0])
            low, high = sorted((bisect_left(ys, a[1]), bisect_left(ys, b[1])))
            for j in range(low, high):
                self._v_blocked[i * ny + j] |= 128
            for j in range(low + 1, high):
                self._passes[i * ny + j] = 1


def _first(state: int, came: dict[int, int]) -> int:
    while came[state] != -1:
        state = came[state]
    return state


def _facing(a_low: int, a_high: int, b_low: int, b_high: int) -> list[int]:
    """The middle of the stretch two boxes share along an axis, if they share one."""
    low, high = max(a_low, b_low), min(a_high, b_high)
    return [(low + high) // 2] if low < high else []


def _turns_needed(x: int, y: int, heading: int, x0: int, y0: int, x1: int, y1: int) -> int:
    """The fewest turns from (x, y) heading *heading* to the outline of the box (x0, y0) to
    (x1, y1): none if it lies straight ahead, two if wholly behind, else one. Never more than
    a route needs, so that A* stays exact."""
    if heading == EAST:
        ahead, behind, level = x <= x1, x >= x1, y0 <= y <= y1
    elif heading == WEST:
        ahead, behind, level = x >= x0, x <= x0, y0 <= y <= y1
    elif heading == SOUTH:
        ahead, behind, level = y <= y1, y >= y1, x0 <= x <= x1
    else:
        ahead, behind, level = y >= y0, y <= y0, x0 <= x <= x1
    if level and ahead:
        return 0
    return 2 if behind and not level else 1


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


def _lines(outlines: list[int], favoured: list[int], low: int, high: int, lane: int) -> _Lines:
    """Grid lines: grown obstacle *outlines* and *favoured* lines (middles of sides) within
    [low, high], the bounds, and lanes spaced at least *lane* apart in each free gap, an odd
    number so that one runs down the middle. Lines closer than MERGE keep one of them (an
    outline first: routes end on outlines), so that no route takes a jog too small to see."""
    ranked = sorted(
        {(v, 0) for v in outlines if low <= v <= high}
        | {(v, 1) for v in favoured if low <= v <= high}
        | {(low, 2), (high, 2)}
    )
    kept: list[tuple[int, int]] = []
    for value, rank in ranked:
        if kept and value - kept[-1][0] < MERGE:
            if rank < kept[-1][1]:
                kept[-1] = (value, rank)
            continue
        kept.append((value, rank))
    values = [v for v, _ in kept]
    weights = {v: 1.0 if rank == 1 else EDGE_WEIGHT for v, rank in kept}
    for a, b in pairwise(values):
        count = min(MAX_LANES, (b - a) // lane - 1)
        if count <= 0:
            continue
        if count % 2 == 0:
            count -= 1
        middle = count // 2
        for k in range(count):
            value = a + (b - a) * (k + 1) // (count + 1)
            weights.setdefault(value, 1.0 if k == middle else LANE_WEIGHT)
    ordered = sorted(weights)
    return _Lines(ordered, [weights[v] for v in ordered])
