"""Personas x processes: who takes part in which process, and at which stage.

Rows are the personas that name a process, columns the deck's processes (ad-hoc ones, named
only by personas, after them and marked with an asterisk that the legend explains once). A
process that declares stages is drawn as lanes. A persona that names the process alone
(``MLOps``) gets a chip across the whole process; one that names stages (``MLOps/Prod``) gets
a chip in those lanes only. Chips hold the persona's ID in its colour, so the map reads in
greyscale too. Rows share the slide's height; long maps split between rows over numbered
slides, and a deck whose personas name no process gets no map.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck, Persona, Process
from ..spec.slides import Options
from ..text.fit import line_height
from .chrome import id_chip, numbered, overview_frame, text_box
from .fonts import Fonts
from .paging import balanced_pages
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, TextFrame, pt

HEADER_SIZES = (12, 11, 10)
NAME_SIZES = (12, 11, 10)
CHIP_SIZE = 10
STAGE_SIZE = 10
LEGEND_SIZE = 10
LABEL_MAX_PT = 230
CHIP_PAD_PT = 4
"""Room either side of an ID inside its chip."""
MARK_GAP_PT = 2
"""Space between a chip and the edges of its lane or column."""
ROW_PAD_PT = 6
ROW_MAX_PT = 48
"""Rows grow to fill the slide, up to this pitch; beyond it chips float in empty rows."""
CHIP_MAX_PT = 24
HEADER_WORD_MAX_PT = 140
"""A header word wider than this (a long compound) may split rather than widen its column."""
AD_HOC_MARK = "*"


@dataclass
class Geometry:
    """Sizes and widths of one map page: label column, process columns, header heights."""

    label_w: int
    chip_w: int
    spans: list[tuple[int, int]]
    """Each process column's (x offset from the area's left, width)."""
    header_size: int
    name_size: int
    header_h: int
    lane_h: int


def process_map_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    processes = [p for p in deck.processes if not p.ad_hoc] + [p for p in deck.processes if p.ad_hoc]
    personas = [p for p in deck.personas if p.processes]
    if not processes or not personas:
        return []  # nobody names a process: the section is skipped with a note
    _, area, _ = overview_frame(deck, fonts, "Personas and processes (9 of 9)", "")
    groups = _column_groups(processes, personas, area, fonts)
    plans = []
    for group in groups:
        members = [p for p in personas if any(q.name in p.processes for q in group)]
        geometry = _geometry(group, members, area, fonts)
        legend = _legend_paragraphs(deck, group, area, fonts)
        legend_h = round(fonts.height_pt(legend, area.w) * EMU_PER_PT) + pt(6)
        body_h = area.h - geometry.header_h - geometry.lane_h - legend_h
        heights = [_row_height(p, geometry, fonts) for p in members]
        heights = [min(h, body_h) for h in heights]  # a name of many lines: its row is cut to the page
        for page in balanced_pages(heights, body_h):
            plans.append((group, [members[i] for i in page], [heights[i] for i in page], geometry, legend))
    missing = [p for p in deck.personas if not p.processes]
    slides = []
    for index, (group, rows, heights, geometry, legend) in enumerate(plans, start=1):
        title = numbered("Personas and processes", index, len(plans))
        slide, area, notes = overview_frame(deck, fonts, title, "Process map")
        legend_h = round(fonts.height_pt(legend, area.w) * EMU_PER_PT) + pt(6)
        body = Box(area.x, area.y, area.w, area.h - legend_h)
        rows_h = _stretched(heights, body, geometry)
        _draw(deck, fonts, slide, body, group, rows, rows_h, geometry)
        bottom = body.y + geometry.header_h + geometry.lane_h + sum(rows_h)
        top = min(bottom + pt(4), area.bottom - legend_h)
        slide.add(text_box("Legend", Box(area.x, top, area.w, legend_h), legend, "t"))
        slide.notes = "\n".join(notes + _notes(group, missing if index == 1 else []))
        slides.append(slide)
    return slides


def _chip_width(personas: list[Persona], fonts: Fonts) -> int:
    widest = max((fonts.width_pt(p.id, CHIP_SIZE, "body", True) for p in personas), default=20)
    return pt(min(widest, 120) + 2 * CHIP_PAD_PT)


def _min_width(process: Process, chip_w: int, size: int, fonts: Fonts) -> int:
    """The narrowest a process column may be: its header's longest word, and a chip per lane."""
    words = _header_text(process).split()
    header = (
        min(max((fonts.width_pt(w, size, "body", True) for w in words), default=0), HEADER_WORD_MAX_PT) + 8
    )
    lanes = max(1, len(process.stages))
    stage = max((fonts.width_pt(s, STAGE_SIZE) for s in process.stages), default=0) + 6
    lane = max(chip_w + 2 * pt(MARK_GAP_PT), pt(stage))
    return max(pt(header), lane * lanes)


def _column_groups(processes: list[Process], personas: list[Persona], area: Box, fonts: Fonts):
    """Processes in groups that fit the slide's width side by side (usually one group)."""
    chip_w = _chip_width(personas, fonts)
    room = area.w - _label_floor(personas, chip_w, fonts)
    groups: list[list[Process]] = [[]]
    used = 0
    for process in processes:
        width = _min_width(process, chip_w, HEADER_SIZES[-1], fonts)
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0
        groups[-1].append(process)
        used += width
    return groups


def _label_floor(personas: list[Persona], chip_w: int, fonts: Fonts) -> int:
    """The label column's least width: a chip and the longest word of any name."""
    longest = max(
        (fonts.width_pt(w, NAME_SIZES[-1]) for p in personas for w in p.name.split()[:12]), default=40
    )
    return chip_w + pt(8) + pt(max(48, min(longest, LABEL_MAX_PT - 60)) + 4)


def _geometry(processes: list[Process], personas: list[Persona], area: Box, fonts: Fonts) -> Geometry:
    chip_w = _chip_width(personas, fonts)
    names = max((fonts.width_pt(p.name, NAME_SIZES[0]) for p in personas), default=60)
    label_w = max(
        _label_floor(personas, chip_w, fonts),
        min(pt(LABEL_MAX_PT), area.w // 3, chip_w + pt(8) + pt(names + 4)),
    )
    for size in HEADER_SIZES:
        floors = [_min_width(p, chip_w, size, fonts) for p in processes]
        if sum(floors) <= area.w - label_w or size == HEADER_SIZES[-1]:
            break
    room = area.w - label_w
    if sum(floors) > room:  # the label column gives way to the processes' words
        label_w = max(_label_floor(personas, chip_w, fonts), area.w - sum(floors))
        room = area.w - label_w
    if sum(floors) > room:  # one process alone wider than the slide: it takes what there is
        floors = [f * room // sum(floors) for f in floors]
    spans = _spans(processes, floors, room)
    header_lines = max(
        len(fonts.wrapped(_header_text(p), w - pt(6), size, bold=True)) for p, (_, w) in zip(processes, spans)
    )
    header_h = min(round(header_lines * line_height(size) * EMU_PER_PT) + pt(6), area.h // 3)
    lane_h = round(line_height(STAGE_SIZE) * EMU_PER_PT) + pt(6) if any(p.stages for p in processes) else 0
    name_size = next(  # names on one line make even rows; else on two at most, where they can
        (
            s
            for lines in (1, 2)
            for s in NAME_SIZES
            if all(_name_lines(p, label_w, chip_w, s, fonts) <= lines for p in personas)
        ),
        NAME_SIZES[-1],
    )
    return Geometry(label_w, chip_w, spans, size, name_size, header_h, lane_h)


def _spans(processes: list[Process], floors: list[int], room: int) -> list[tuple[int, int]]:
    """Column offsets and widths: each its floor, the rest shared, staged processes weighing more."""
    weights = [max(1.0, 0.8 * len(p.stages)) for p in processes]
    spare = max(0, room - sum(floors))
    widths = [f + round(spare * w / sum(weights)) for f, w in zip(floors, weights)]
    widths[-1] += room - sum(widths)
    spans, x = [], 0
    for width in widths:
        spans.append((x, width))
        x += width
    return spans


def _header_text(process: Process) -> str:
    """A process's header: its name on as few lines as its column allows (line breaks in the
    name become spaces), and the ad-hoc mark."""
    return " ".join(process.name.split()) + (AD_HOC_MARK if process.ad_hoc else "")


def _name_lines(persona: Persona, label_w: int, chip_w: int, size: int, fonts: Fonts) -> int:
    return len(fonts.wrapped(persona.name, label_w - chip_w - pt(12), size))


def _row_height(persona: Persona, geometry: Geometry, fonts: Fonts) -> int:
    lines = _name_lines(persona, geometry.label_w, geometry.chip_w, geometry.name_size, fonts)
    text = round(lines * line_height(geometry.name_size) * EMU_PER_PT)
    return max(pt(18 + ROW_PAD_PT), text + pt(ROW_PAD_PT))


def _stretched(heights: list[int], body: Box, geometry: Geometry) -> list[int]:
    """Row heights for one page: all as tall as the tallest when they fit so, grown evenly to
    use the slide's height up to the largest pitch."""
    room = body.h - geometry.header_h - geometry.lane_h
    tallest = max(heights)
    if tallest * len(heights) <= room:
        return [max(tallest, min(pt(ROW_MAX_PT), room // len(heights)))] * len(heights)
    extra = (room - sum(heights)) // max(1, len(heights))
    return [min(max(h, pt(ROW_MAX_PT)), h + max(0, extra)) for h in heights]


def _draw(
    deck: Deck,
    fonts: Fonts,
    slide: Slide,
    area: Box,
    processes: list[Process],
    personas: list[Persona],
    heights: list[int],
    geometry: Geometry,
) -> None:
    theme = deck.theme
    left = area.x + geometry.label_w
    header_h, lane_h = geometry.header_h, geometry.lane_h
    top = area.y + header_h + lane_h
    body_h = sum(heights)
    for (offset, width), process in zip(geometry.spans, processes):
        x = left + offset
        header = Paragraph(
            (Run(_header_text(process), italic=process.ad_hoc),),
            geometry.header_size,
            colour=theme.text,
            bold=True,
            align="ctr",
        )
        box = Box(x, area.y, width, header_h)
        frame = TextFrame((header,), anchor="b", inset=(pt(3), 0, pt(3), pt(2)))
        slide.add(Shape(f"process:{process.name}", box, text=frame, is_textbox=True))
        for lane, stage in enumerate(process.stages):
            lane_x, lane_w = _lane(x, width, len(process.stages), lane)
            paragraph = Paragraph((Run(stage),), STAGE_SIZE, colour=theme.muted, align="ctr")
            lane_box = Box(lane_x, area.y + header_h, lane_w, lane_h)
            slide.add(text_box(f"process:{process.name}:{stage}", lane_box, [paragraph], anchor="ctr"))
    y = top
    for row, (persona, height) in enumerate(zip(personas, heights)):
        if row % 2 == 0:
            slide.add(Shape(f"row:{persona.id}", Box(area.x, y, area.w, height), fill=theme.card))
        y += height
    for (offset, width), process in zip(geometry.spans, processes):
        x = left + offset
        slide.add(
            Shape(
                f"divider:{process.name}",
                Box(x, area.y + header_h, pt(0.75), lane_h + body_h),
                fill=theme.muted,
            )
        )
        for lane in range(1, len(process.stages)):
            lane_x, _ = _lane(x, width, len(process.stages), lane)
            slide.add(Shape(f"lane:{process.name}:{lane}", Box(lane_x, top, pt(0.5), body_h), fill="D9D9D9"))
    y = top
    for persona, height in zip(personas, heights):
        _label(deck, fonts, slide, persona, Box(area.x, y, geometry.label_w, height), geometry)
        for (offset, width), process in zip(geometry.spans, processes):
            if process.name in persona.processes:
                for name, box in _marks(persona, process, left + offset, width, y, height, geometry):
                    slide.add(id_chip(persona, box, CHIP_SIZE, name, description=persona.title))
        y += height


def _lane(x: int, width: int, lanes: int, lane: int) -> tuple[int, int]:
    start = x + round(width * lane / lanes)
    return start, x + round(width * (lane + 1) / lanes) - start


def _marks(persona: Persona, process: Process, x: int, width: int, y: int, height: int, geometry: Geometry):
    """The chips of *persona* in *process*: across the column, or in each run of named lanes."""
    chip_h = min(pt(CHIP_MAX_PT), height - pt(ROW_PAD_PT))
    top = y + (height - chip_h) // 2
    gap = pt(MARK_GAP_PT)
    named = persona.stages_in(process.name)
    if not named or not process.stages:
        return [
            (f"mark:{persona.id}:{process.name}", Box(x + gap * 2, top, max(pt(4), width - gap * 4), chip_h))
        ]
    indexes = sorted(process.stages.index(stage) for stage in named)
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    marks = []
    for run in runs:
        first_x, _ = _lane(x, width, len(process.stages), run[0])
        last_x, last_w = _lane(x, width, len(process.stages), run[-1])
        stages = "+".join(process.stages[i] for i in run)
        box = Box(first_x + gap, top, max(pt(4), last_x + last_w - first_x - 2 * gap), chip_h)
        marks.append((f"mark:{persona.id}:{process.name}:{stages}", box))
    return marks


def _label(deck: Deck, fonts: Fonts, slide: Slide, persona: Persona, row: Box, geometry: Geometry) -> None:
    chip_h = min(pt(CHIP_MAX_PT), row.h - pt(ROW_PAD_PT))
    chip = Box(row.x + pt(4), row.y + (row.h - chip_h) // 2, geometry.chip_w, chip_h)
    slide.add(
        id_chip(
            persona,
            chip,
            CHIP_SIZE,
            f"persona:{persona.id}",
            description=persona.title,
            link=f"#card:{persona.id}",
        )
    )
    name_box = Box(chip.right + pt(8), row.y, geometry.label_w - geometry.chip_w - pt(12), row.h)
    paragraph = Paragraph((Run(persona.name),), geometry.name_size, colour=deck.theme.text)
    slide.add(text_box(f"persona:{persona.id}:name", name_box, [paragraph], anchor="ctr"))


def _legend_paragraphs(deck: Deck, processes: list[Process], area: Box, fonts: Fonts) -> list[Paragraph]:
    parts = ["A chip holds the ID of a persona that takes part in the process."]
    if any(p.stages for p in processes):
        parts.append(
            "Lanes are the process's stages: a chip across all lanes, the whole process; "
            "in one lane, that stage only."
        )
    if any(p.ad_hoc for p in processes):
        parts.append(
            f"{AD_HOC_MARK} Ad hoc: a process named only by personas, not among the deck's processes."
        )
    return [Paragraph((Run(" ".join(parts)),), LEGEND_SIZE, colour=deck.theme.muted)]


def _notes(processes: list[Process], missing: list[Persona]) -> list[str]:
    notes = []
    described = [f"{p.name}: {p.description}" for p in processes if p.description]
    if described:
        notes.append("Processes:\n" + "\n".join(described))
    if missing:
        ids = ", ".join(f"{p.id} {p.name}" for p in missing)
        notes.append(f"Not on the map, naming no process: {ids}.")
    return notes


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `process-map` section."""
    return process_map_slides(deck, fonts, report)
