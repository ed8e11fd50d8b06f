"""Interactions: who works with whom, drawn as a layered graph.

Each team is one band holding its name and its personas; a team personas only name (one
outside the deck) is a band with its name alone. An arrow runs from a persona to the team or
persona it works with, in the persona's colour, routed around every other persona and team
(:mod:`.flows`), never on top of another arrow. Bands are placed by the layered (Sugiyama)
method on the graph of teams: cycles broken by reversing the fewest arrows, teams put in
columns by longest path, columns ordered by the barycentre of their neighbours to cross
fewer arrows, then spread over the content area.

Up to MAX_ON_ONE_SLIDE personas share one slide. A larger deck first gets an overview, its
teams as nodes, each joined to the teams its personas work with most by a line as thick as
the persona interactions between them are many; then one slide per team: its personas
(those with the same partners in one box of persona chips when the team is large) and the
teams and personas they work with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from ..diagnostics import Report
from ..model import Deck, Partner, Persona
from ..spec.slides import Options
from ..text.fit import line_height
from ..theme.contrast import darken_to_contrast, text_on
from .chrome import numbered, overview_frame, text_box
from .flows import FlowSpec, draw_flows
from .fonts import Fonts
from .labels import partner_label
from .shapes import EMU_PER_PT, Box, Element, Paragraph, Run, Shape, Site, Slide, TextFrame, pt

MAX_ON_ONE_SLIDE = 16
"""Personas on one interactions slide; a larger deck gets an overview and a slide per team."""
MAX_COLUMNS = 4
COLUMN_GAP_PT = 44
BAND_GAP_PT = 16
INSET_PT = 8
HEADER_PT = 20
MEMBER_GAP_PT = 8
CHIP_H_PT = 18
CHIP_GAP_PT = 4
SIZES = (12, 11, 10)
ROOMY = ((72, 24), (64, 22), (56, 20), (48, 16), (40, 14), (34, 12), (30, 10), (26, 8))
"""Least persona box heights and gaps, tried from the roomiest, so the graph fills the slide."""
LEGEND_PT = 20
TIES_PER_TEAM = 2
"""On the overview, each team is joined to the teams its personas work with most."""
CHIPS_WHEN_MORE_THAN = 12
"""A team's personas with the same partners share one box of chips when the team has more."""


@dataclass
class _Member:
    """A box in a band: one persona (id and name), or several with the same partners (chips)."""

    key: str
    personas: list[Persona]
    box: Box | None = None
    size: int = 12
    least: int = pt(26)
    """The least height of the box: more where the slide has room."""


@dataclass
class _Band:
    team: str
    members: list[_Member] = field(default_factory=list)
    caption: str = ""
    """Under the name: how many personas (on the overview)."""
    box: Box | None = None
    gap: int = pt(8)
    """Between its members."""
    header: int = pt(HEADER_PT)
    """Height of its name and caption."""

    @property
    def key(self) -> str:
        return f"team:{self.team}"


@dataclass
class _Edge:
    source: str
    """A member key (or a band key on the overview)."""
    target: str
    """A band key or a member key."""
    colour: str
    label: str | None = None
    width: float = 1.5
    interactions: int = 0
    """On the overview: the persona interactions between the two teams."""


@dataclass
class _Graph:
    bands: list[_Band]
    edges: list[_Edge]
    notes: list[str] = field(default_factory=list)
    grid: bool = False
    """Bands in a grid (teams on the overview, where every team may work with every other),
    not in layers; lines without arrowheads."""


def interaction_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    if not any(p.interacts_with for p in deck.personas):
        return []
    if len(deck.personas) <= MAX_ON_ONE_SLIDE:
        return [_slide(deck, fonts, "Interactions", _whole_graph(deck))]
    slides = [_slide(deck, fonts, "Interactions: teams", _team_graph(deck), overview=True)]
    for team, members in _teams(deck):
        if not any(p.interacts_with for p in members):
            continue
        pages = _team_pages(deck, team, members, fonts)
        for index, graph in enumerate(pages, start=1):
            slides.append(_slide(deck, fonts, numbered(f"Interactions: {team}", index, len(pages)), graph))
    return slides


# --- The graphs --------------------------------------------------------------------------


def _teams(deck: Deck) -> list[tuple[str, list[Persona]]]:
    """Teams with their personas, in deck order; personas without a team last."""
    groups: dict[str, list[Persona]] = {name: [] for name in deck.teams}
    loners = []
    for persona in deck.personas:
        if persona.team:
            groups.setdefault(persona.team, []).append(persona)
        else:
            loners.append(persona)
    result = [(name, members) for name, members in groups.items() if members]
    return result + ([("No team", loners)] if loners else [])


def _targets(deck: Deck, persona: Persona) -> list[tuple[str, Persona | None]]:
    """What *persona* interacts with: (team name, None) or (team of the persona, persona)."""
    found: list[tuple[str, Persona | None]] = []
    for partner in persona.interacts_with:
        other = deck.persona(partner.ref) if partner.kind == "persona" else None
        if other is not None:
            found.append((other.team or "No team", other))
        else:
            found.append((partner_label(deck, partner), None))
    return found


def _persona_member(persona: Persona) -> _Member:
    return _Member(f"persona:{persona.id}", [persona])


def _edge_colour(deck: Deck, persona: Persona) -> str:
    return darken_to_contrast(persona.colour.hex, deck.theme.background)


def _whole_graph(deck: Deck) -> _Graph:
    """Every team with every persona, and every interaction."""
    bands = {team: _Band(team, [_persona_member(p) for p in members]) for team, members in _teams(deck)}
    edges, notes = [], []
    for persona in deck.personas:
        for team, other in _targets(deck, persona):
            edge = _edge_to(deck, persona, f"persona:{persona.id}", team, other, bands)
            if edge is None:
                notes.append(f"{persona.id} {persona.name} works with its own team, {team}.")
            else:
                edges.append(edge)
    return _Graph(list(bands.values()), edges, notes)


def _edge_to(
    deck: Deck, persona: Persona, source: str, team: str, other, bands: dict[str, _Band]
) -> _Edge | None:
    """The edge from *source* to a team or a persona, adding the target's band (and the
    persona to it) when the slide lacks it; None for a persona's own team."""
    if other is None and team == (persona.team or "No team"):
        return None
    band = bands.setdefault(team, _Band(team))
    if other is None:
        return _Edge(source, band.key, _edge_colour(deck, persona))
    key = f"persona:{other.id}"
    if not any(m.key == key or other in m.personas for m in band.members):
        band.members.append(_persona_member(other))
    member = next(m for m in band.members if m.key == key or other in m.personas)
    if member.key == source:
        return None
    return _Edge(source, member.key, _edge_colour(deck, persona))


def _team_graph(deck: Deck) -> _Graph:
    """Teams as nodes; a line per pair of teams that work together, as thick as the persona
    interactions between them are many (counted in the notes)."""
    bands: dict[str, _Band] = {}
    for team, members in _teams(deck):
        count = len(members)
        bands[team] = _Band(team, caption=f"{count} persona{'s' if count != 1 else ''}")
    weights: dict[tuple[str, str], int] = defaultdict(int)
    order = {name: i for i, name in enumerate(bands)}
    for persona in deck.personas:
        for team, _other in _targets(deck, persona):
            source = persona.team or "No team"
            if team != source:
                if team not in bands:
                    bands[team] = _Band(team, caption="outside the deck")
                    order[team] = len(order)
                pair = (source, team) if order[source] < order[team] else (team, source)
                weights[pair] += 1
    colour = darken_to_contrast(deck.theme.accent, deck.theme.background)
    heaviest = max(weights.values(), default=1)
    shown: set[tuple[str, str]] = set()
    for team in bands:  # each team's strongest ties: all of them would be a thicket
        ties = sorted((pair for pair in weights if team in pair), key=lambda pair: (-weights[pair], pair))
        shown.update(ties[:TIES_PER_TEAM])
    edges = [
        _Edge(
            f"team:{a}",
            f"team:{b}",
            colour,
            width=1.25 + 3.25 * weights[(a, b)] / heaviest,
            interactions=weights[(a, b)],
        )
        for (a, b) in sorted(shown, key=lambda pair: (-weights[pair], pair))
    ]
    notes = [
        "Persona interactions between teams: "
        + "; ".join(f"{a} and {b}: {count}" for (a, b), count in sorted(weights.items(), key=lambda i: -i[1]))
        + "."
    ]
    return _Graph(list(bands.values()), edges, notes, grid=True)


def _team_pages(deck: Deck, team: str, members: list[Persona], fonts: Fonts) -> list[_Graph]:
    """One team's personas and their partners, over as few slides as hold them."""
    groups: dict[tuple[Partner, ...], list[Persona]] = {}
    for persona in members:
        if persona.interacts_with:
            groups.setdefault(tuple(persona.interacts_with), []).append(persona)
    chips = sum(len(g) for g in groups.values()) > CHIPS_WHEN_MORE_THAN
    boxes: list[_Member] = []
    for index, (_partners, personas) in enumerate(groups.items(), start=1):
        if chips and len(personas) > 1:
            boxes.append(_Member(f"personas:{team}:{index}", personas))
        else:
            boxes += [_persona_member(p) for p in personas]
    pages = [boxes[i : i + MAX_ON_ONE_SLIDE] for i in range(0, len(boxes), MAX_ON_ONE_SLIDE)]
    graphs = []
    for page in pages:
        own = _Band(team, page)
        bands = {team: own}
        edges: list[_Edge] = []
        notes: list[str] = []
        for member in page:
            for persona in member.personas[:1]:  # a box of chips: its personas share partners
                for target_team, other in _targets(deck, persona):
                    edge = _edge_to(deck, persona, member.key, target_team, other, bands)
                    if edge is None:
                        notes.append(f"{persona.id} {persona.name} works with its own team, {target_team}.")
                    elif all((e.source, e.target) != (edge.source, edge.target) for e in edges):
                        edges.append(edge)
        graphs.append(_Graph(list(bands.values()), edges, notes))
    return graphs


# --- Layered layout -----------------------------------------------------------------------


def _layers(graph: _Graph) -> list[list[_Band]]:
    """Bands in columns by the layered method: break cycles, longest path, barycentres."""
    index = {band.key: i for i, band in enumerate(graph.bands)}
    owner = {m.key: band.key for band in graph.bands for m in band.members}
    arcs: set[tuple[int, int]] = set()
    for edge in graph.edges:
        a, b = index[owner.get(edge.source, edge.source)], index[owner.get(edge.target, edge.target)]
        if a != b:
            arcs.add((a, b))
    order = _acyclic_order(len(graph.bands), arcs)
    position = {node: i for i, node in enumerate(order)}
    forward = {(a, b) if position[a] < position[b] else (b, a) for a, b in arcs}
    layer = dict.fromkeys(range(len(graph.bands)), 0)
    for node in order:  # longest path: every arc goes at least one column right
        for a, b in sorted(forward):
            if a == node:
                layer[b] = max(layer[b], layer[a] + 1)
    count = max(layer.values(), default=0) + 1
    if count > MAX_COLUMNS:  # squeeze the deepest layers together
        layer = {node: min(value, MAX_COLUMNS - 1) for node, value in layer.items()}
        count = MAX_COLUMNS
    columns: list[list[int]] = [[] for _ in range(count)]
    for node in range(len(graph.bands)):
        columns[layer[node]].append(node)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in arcs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    for sweep in range(4):  # barycentre ordering, left to right then right to left
        sequence = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for c in sequence:
            fixed = columns[c - 1] if sweep % 2 == 0 else columns[c + 1]
            rank = {node: i for i, node in enumerate(fixed)}
            current = {node: i for i, node in enumerate(columns[c])}
            columns[c].sort(key=lambda n: _barycentre(n, neighbours, rank, current[n]))
    return [[graph.bands[n] for n in column] for column in columns if column]


def _barycentre(node: int, neighbours, rank: dict[int, int], current: int) -> tuple[float, int]:
    ranks = [rank[n] for n in neighbours[node] if n in rank]
    return (sum(ranks) / len(ranks) if ranks else float(current), current)


def _acyclic_order(count: int, arcs: set[tuple[int, int]]) -> list[int]:
    """An order of the nodes that few arcs go against (Eades, Lin and Smyth's greedy method:
    sinks last, sources first, else the node with most out-arcs over in-arcs)."""
    remaining = set(range(count))
    head: list[int] = []
    tail: list[int] = []
    while remaining:
        changed = True
        while changed:
            changed = False
            for node in sorted(remaining):
                outs = [b for a, b in arcs if a == node and b in remaining]
                ins = [a for a, b in arcs if b == node and a in remaining]
                if not outs:
                    tail.insert(0, node)
                elif not ins:
                    head.append(node)
                else:
                    continue
                remaining.discard(node)
                changed = True
        if remaining:

            def balance(n: int) -> tuple[int, int]:
                outs = sum(1 for a, b in arcs if a == n and b in remaining)
                ins = sum(1 for a, b in arcs if b == n and a in remaining)
                return (ins - outs, n)

            node = min(remaining, key=balance)
            head.append(node)
            remaining.discard(node)
    return head + tail


# --- Geometry -------------------------------------------------------------------------------


def _member_text(member: _Member) -> str:
    persona = member.personas[0]
    return f"{persona.id}  {persona.name}"


def _chips_per_row(member: _Member, width: int, fonts: Fonts) -> int:
    return max(1, (width - pt(CHIP_GAP_PT)) // (_chip_w(member, fonts) + pt(CHIP_GAP_PT)))


def _member_height(member: _Member, width: int, fonts: Fonts) -> int:
    if len(member.personas) > 1:
        rows = -(-len(member.personas) // _chips_per_row(member, width, fonts))
        return rows * pt(CHIP_H_PT + CHIP_GAP_PT) + pt(CHIP_GAP_PT)
    lines = len(fonts.wrapped(_member_text(member), width - pt(12), member.size))
    return max(member.least, round(lines * line_height(member.size) * EMU_PER_PT) + pt(10))


def _size_members(graph: _Graph, width: int, fonts: Fonts) -> None:
    """One text size for every persona on the slide: the largest at which each name takes
    at most two lines (words whole)."""
    inner = width - 2 * pt(INSET_PT) - pt(12)
    singles = [m for band in graph.bands for m in band.members if len(m.personas) == 1]
    size = next(
        (s for s in SIZES if all(len(fonts.wrapped(_member_text(m), inner, s)) <= 2 for m in singles)),
        SIZES[-1],
    )
    for member in singles:
        member.size = size


def _chip_w(member: _Member, fonts: Fonts) -> int:
    widest = max(fonts.width_pt(p.id, 10, "body", True) for p in member.personas)
    return pt(max(30, widest + 10))


def _header_height(band: _Band, width: int, fonts: Fonts) -> int:
    """The team's name (whole, on as many lines as it takes at 12 pt) and its caption."""
    lines = len(fonts.wrapped(band.team, width - 2 * pt(INSET_PT), 12, "heading", True))
    band.header = (
        round(lines * line_height(12) * EMU_PER_PT) + pt(HEADER_PT - 14) + (pt(14) if band.caption else 0)
    )
    return band.header


def _band_height(band: _Band, width: int, fonts: Fonts) -> int:
    inner = width - 2 * pt(INSET_PT)
    header = _header_height(band, width, fonts)
    members = sum(_member_height(m, inner, fonts) + band.gap for m in band.members)
    return header + members + pt(INSET_PT if band.members else 4)


def _grid(graph: _Graph) -> list[list[_Band]]:
    count = len(graph.bands)
    across = max(1, min(MAX_COLUMNS, round(count**0.5 + 0.49)))
    down = -(-count // across)
    return [
        graph.bands[c * down : (c + 1) * down]
        for c in range(across)
        if graph.bands[c * down : (c + 1) * down]
    ]


def _place(graph: _Graph, body: Box, fonts: Fonts) -> bool:
    """Give every band and member its box in *body*; False if they do not fit."""
    columns = _grid(graph) if graph.grid else _layers(graph)
    while True:
        count = len(columns)
        gap = pt(COLUMN_GAP_PT)
        width = (body.w - gap * (count - 1)) // count
        _size_members(graph, width, fonts)
        for least, between_members in ROOMY:
            for band in graph.bands:
                band.gap = pt(between_members)
                for member in band.members:
                    member.least = pt(least)
            heights = [[_band_height(b, width, fonts) for b in column] for column in columns]
            tall = [sum(h) + pt(BAND_GAP_PT) * (len(h) - 1) for h in heights]
            if max(tall) <= body.h * 0.9:
                break
        if max(tall) <= body.h:
            break
        if count >= MAX_COLUMNS + 1 or all(len(c) == 1 for c in columns):
            return False
        worst = tall.index(max(tall))  # split the tallest column in two
        column = columns[worst]
        half = (len(column) + 1) // 2
        columns[worst : worst + 1] = [column[:half], column[half:]]
    for c, column in enumerate(columns):
        x = body.x + c * (width + gap)
        spare = body.h - tall[c]
        between = min(pt(90), spare // (len(column) + 1))
        y = body.y + (spare - between * (len(column) - 1)) // 2
        for band, height in zip(column, heights[c]):
            band.box = Box(x, y, width, height)
            _place_members(band, fonts)
            y += height + pt(BAND_GAP_PT) + between
    return True


def _place_members(band: _Band, fonts: Fonts) -> None:
    assert band.box is not None
    inner = band.box.w - 2 * pt(INSET_PT)
    y = band.box.y + _header_height(band, band.box.w, fonts)
    for member in band.members:
        height = _member_height(member, inner, fonts)
        member.box = Box(band.box.x + pt(INSET_PT), y, inner, height)
        y += height + band.gap


# --- Shapes --------------------------------------------------------------------------------


def _slide(deck: Deck, fonts: Fonts, title: str, graph: _Graph, overview: bool = False) -> Slide:
    slide, area, notes = overview_frame(deck, fonts, title, "Interactions")
    body = Box(area.x, area.y, area.w, area.h - pt(LEGEND_PT))
    if not _place(graph, body, fonts):
        notes.append("Not every team fits this slide at a readable size; see the persona cards.")
    theme = deck.theme
    placed = sorted((b for b in graph.bands if b.box is not None), key=_reading_place)
    boxes: dict[str, Box] = {}
    names: dict[str, str] = {}
    owner: dict[str, Box] = {}
    obstacles: list[Box] = []
    for band in placed:
        assert band.box is not None
        obstacles += [band.box, _header_box(band)]
        if graph.grid:  # on the overview a band is its name
            boxes[band.key], names[band.key] = band.box, band.key
        else:  # an arrow to a team points at its name, not at a persona beside it
            boxes[band.key], names[band.key] = _header_box(band), f"{band.key}:name"
            owner[band.key] = band.box
        for member in band.members:
            if member.box is not None:
                boxes[member.key], names[member.key] = member.box, member.key
                owner[member.key] = band.box
                obstacles.append(member.box)
    edges = [e for e in _busiest_first(graph.edges) if e.source in boxes and e.target in boxes]
    flows = [
        FlowSpec(
            f"interaction:{edge.source.split(':', 1)[1]}->{edge.target}",
            edge.source,
            edge.target,
            edge.label,
            colour=edge.colour,
            width=edge.width,
            arrow=not graph.grid,
            through=tuple(dict.fromkeys(owner[k] for k in (edge.source, edge.target) if k in owner)),
            decorative=True,  # the shape it starts from says whom it joins
        )
        for edge in edges
    ]
    drawn = draw_flows(flows, boxes, names, obstacles, body, theme.accent, fonts)
    band_sites = drawn.sites if graph.grid else {}
    partners = _partners(placed, edges, graph.grid)
    slide.elements.extend(_band_shape(band, theme, band_sites.get(band.key, ())) for band in placed)
    slide.elements.extend(drawn.lines)  # beneath the teams and personas they join
    for band in placed:
        slide.elements.extend(
            _band_text(band, theme, drawn.sites, fonts, header_sites=not graph.grid, partners=partners)
        )
    slide.elements.extend(drawn.labels)
    shared = any(len(m.personas) > 1 for band in placed for m in band.members)
    _legend(deck, slide, area, overview, shared)
    slide.notes = "\n".join(notes + graph.notes)
    return slide


def _reading_place(band: _Band) -> tuple[int, int]:
    """Where a placed band comes in reading order: column by column, each from the top."""
    assert band.box is not None
    return band.box.x, band.box.y


def _partners(bands: list[_Band], edges: list[_Edge], grid: bool) -> dict[str, str]:
    """What each shape an arrow starts from says to a screen reader of whom it works with
    ("works with AI Team, P002 Analyst Data Engineer"), the arrows being decorative; on the
    overview, each team of the teams it is joined to, with their persona interactions."""
    said = {band.key: band.team for band in bands}
    for band in bands:
        for member in band.members:
            said[member.key] = ", ".join(f"{p.id} {p.name}" for p in member.personas)
    found: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if grid:
            count = f"{edge.interactions} persona interaction{'s' if edge.interactions != 1 else ''}"
            found[edge.source].append(f"{said[edge.target]} ({count})")
            found[edge.target].append(f"{said[edge.source]} ({count})")
        else:
            found[edge.source].append(said[edge.target])
    verb = "joined to" if grid else "works with"
    return {key: f"{verb} " + ", ".join(names) for key, names in found.items()}


def _busiest_first(edges: list[_Edge]) -> list[_Edge]:
    """Edges of the personas with most partners first: a hub routed last would find every
    way out taken by the arrows around it."""
    counts: dict[str, int] = defaultdict(int)
    for edge in edges:
        counts[edge.source] += 1
    return sorted(edges, key=lambda edge: -counts[edge.source])  # stable: deck order otherwise


def _header_box(band: _Band) -> Box:
    assert band.box is not None
    return Box(
        band.box.x + pt(INSET_PT), band.box.y + pt(2), band.box.w - 2 * pt(INSET_PT), band.header - pt(2)
    )


def _band_shape(band: _Band, theme, sites) -> Shape:
    assert band.box is not None
    return Shape(
        band.key,
        band.box,
        geometry="roundRect",
        fill=theme.card,
        line="A6A6A6",
        line_width=pt(0.75),
        adjust=8000,
        sites=tuple(sites),  # its name says which team it is
    )


def _band_text(
    band: _Band,
    theme,
    sites: dict[str, list[Site]],
    fonts: Fonts,
    header_sites: bool,
    partners: dict[str, str],
) -> list[Element]:
    """The band's name (and caption), then its members; each says whom its arrows join."""
    paragraphs = [Paragraph((Run(band.team),), 12, colour=theme.text, bold=True, font="heading", align="ctr")]
    if band.caption:
        paragraphs.append(Paragraph((Run(band.caption),), 10, colour=theme.muted, align="ctr"))
    header = text_box(f"{band.key}:name", _header_box(band), paragraphs, anchor="ctr")
    header = replace(header, description=_sentence(partners.get(band.key, "")))
    if header_sites:  # arrows to the team are glued to its name
        header = replace(header, sites=tuple(sites.get(band.key, ())))
    elements: list[Element] = [header]
    for member in band.members:
        if member.box is None:
            continue
        if len(member.personas) == 1:
            elements.append(_persona_shape(member, sites.get(member.key, ()), partners.get(member.key, "")))
        else:
            elements += _chips_shapes(
                member, theme, sites.get(member.key, ()), fonts, partners.get(member.key, "")
            )
    return elements


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _persona_shape(member: _Member, sites, partners: str) -> Shape:
    persona = member.personas[0]
    paragraph = Paragraph(
        (Run(_member_text(member)),), member.size, colour=text_on(persona.colour.hex), align="ctr"
    )
    assert member.box is not None
    return Shape(
        member.key,
        member.box,
        geometry="roundRect",
        fill=persona.colour.hex,
        text=TextFrame((paragraph,), anchor="ctr", inset=(pt(6), 0, pt(6), 0)),
        adjust=20000,
        link=f"#card:{persona.id}",
        description=persona.title + (f", {partners}" if partners else ""),
        sites=tuple(sites),
    )


def _chips_shapes(member: _Member, theme, sites, fonts: Fonts, partners: str) -> list[Element]:
    assert member.box is not None
    box = member.box
    shapes: list[Element] = [
        Shape(
            member.key,
            box,
            geometry="roundRect",
            fill=theme.background,
            line="7F7F7F",
            line_width=pt(0.75),
            adjust=12000,
            description=", ".join(p.title for p in member.personas)
            + (f": each {partners}" if partners else ": the same partners"),
            sites=tuple(sites),
        )
    ]
    chip_w = _chip_w(member, fonts)
    per_row = _chips_per_row(member, box.w, fonts)
    for index, persona in enumerate(member.personas):
        row, column = divmod(index, per_row)
        chip = Box(
            box.x + pt(CHIP_GAP_PT) + column * (chip_w + pt(CHIP_GAP_PT)),
            box.y + pt(CHIP_GAP_PT) + row * pt(CHIP_H_PT + CHIP_GAP_PT),
            chip_w,
            pt(CHIP_H_PT),
        )
        paragraph = Paragraph(
            (Run(persona.id),), 10, colour=text_on(persona.colour.hex), bold=True, align="ctr"
        )
        shapes.append(
            Shape(
                f"persona:{persona.id}",
                chip,
                geometry="roundRect",
                fill=persona.colour.hex,
                text=TextFrame((paragraph,), anchor="ctr"),
                adjust=25000,
                link=f"#card:{persona.id}",
                description=persona.title,
            )
        )
    return shapes


def _legend(deck: Deck, slide: Slide, area: Box, overview: bool, shared: bool) -> None:
    if overview:
        text = (
            "Each team is joined to the two teams its personas work with most; the thicker the line, "
            "the more persona interactions. Every count is in the notes."
        )
    else:
        text = "Arrows run from a persona to the team or persona it works with, in the persona's colour."
        if shared:
            text += " Personas with the same partners share one box."
    box = Box(area.x, area.bottom - pt(LEGEND_PT) + pt(4), area.w, pt(LEGEND_PT) - pt(4))
    slide.add(text_box("Legend", box, [Paragraph((Run(text),), 10, colour=deck.theme.muted)], anchor="b"))


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `interactions` section."""
    return interaction_slides(deck, fonts, report)
