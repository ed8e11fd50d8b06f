"""Personas x processes: who takes part in which process.

Rows are personas, columns the deck's processes (ad-hoc ones, named only by personas,
after them). A mark is a chip in the persona's colour holding its ID, so the map reads in
greyscale too. A process that declares stages is drawn as lanes, one per stage.
"""

from __future__ import annotations

from ..diagnostics import Report
from ..model import Deck, Persona, Process
from ..spec.slides import Options
from ..text.fit import ellipsize
from .chrome import numbered, overview_frame, persona_chip, text_box
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, pt

LABEL_WIDTH_PT = 230
HEADER_PT = 40
LANE_HEADER_PT = 16
LEGEND_PT = 20
ROW_PT = (30, 20)
"""Largest and smallest row pitch; rows shrink before the map splits across slides."""


def process_map_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    processes = [p for p in deck.processes if not p.ad_hoc] + [p for p in deck.processes if p.ad_hoc]
    if not processes:
        return []  # nothing to map: the section is skipped with a note
    personas = deck.personas
    _, area, _ = overview_frame(deck, fonts, "Personas and processes (9 of 9)", "")
    has_lanes = any(p.stages for p in processes)
    body_h = area.h - pt(HEADER_PT) - (pt(LANE_HEADER_PT) if has_lanes else 0) - pt(LEGEND_PT)
    pitch = max(pt(ROW_PT[1]), min(pt(ROW_PT[0]), body_h // max(1, len(personas))))
    per_page = max(1, body_h // pitch)
    pages = [personas[i : i + per_page] for i in range(0, len(personas), per_page)]
    slides = []
    for index, page in enumerate(pages, start=1):
        slide, area, notes = overview_frame(
            deck, fonts, numbered("Personas and processes", index, len(pages)), "Process map"
        )
        _draw(deck, fonts, slide, area, processes, page, pitch, has_lanes)
        slide.notes = "\n".join(notes)
        slides.append(slide)
    return slides


def _draw(
    deck,
    fonts,
    slide,
    area: Box,
    processes: list[Process],
    personas: list[Persona],
    pitch: int,
    has_lanes: bool,
) -> None:
    theme = deck.theme
    label_w = min(pt(LABEL_WIDTH_PT), area.w // 3)
    spans = _columns(processes, area.x + label_w, area.w - label_w)
    header_h = pt(HEADER_PT)
    lane_h = pt(LANE_HEADER_PT) if has_lanes else 0
    top = area.y + header_h + lane_h
    header_size = _header_size(fonts, processes, min(w for _, w in spans))
    for (x, column_w), process in zip(spans, processes):
        runs = (Run(process.name),) + ((Run(" (ad hoc)", italic=True),) if process.ad_hoc else ())
        slide.add(
            text_box(
                f"process:{process.name}",
                Box(x, area.y, column_w, header_h),
                [Paragraph(runs, header_size, colour=theme.text, bold=True, align="ctr")],
                anchor="b",
            )
        )
        if process.stages:
            lane_w = column_w // len(process.stages)
            for lane, stage in enumerate(process.stages):
                lane_box = Box(x + lane * lane_w, area.y + header_h, lane_w, lane_h)
                text = ellipsize(stage, lane_w / EMU_PER_PT - 4, 9, fonts.body)
                slide.add(
                    text_box(
                        f"process:{process.name}:{stage}",
                        lane_box,
                        [Paragraph((Run(text),), 9, colour=theme.muted, align="ctr")],
                        anchor="ctr",
                    )
                )
    body_h = pitch * len(personas)
    for row, persona in enumerate(personas):
        if row % 2 == 0:
            slide.add(
                Shape(f"row:{persona.id}", Box(area.x, top + row * pitch, area.w, pitch), fill=theme.card)
            )
    for (x, column_w), process in zip(spans, processes):
        slide.add(
            Shape(
                f"divider:{process.name}",
                Box(x, area.y + header_h, pt(0.75), lane_h + body_h),
                fill=theme.muted,
            )
        )
        for lane in range(1, len(process.stages)):
            lane_x = x + lane * (column_w // len(process.stages))
            slide.add(Shape(f"lane:{process.name}:{lane}", Box(lane_x, top, pt(0.5), body_h), fill="D9D9D9"))
    for row, persona in enumerate(personas):
        y = top + row * pitch
        chip_h = pitch - pt(8)
        chip = Box(area.x + pt(4), y + pt(4), pt(52), chip_h)
        slide.add(persona_chip(persona, chip, fonts, f"persona:{persona.id}", link=f"#card:{persona.id}"))
        name_box = Box(chip.right + pt(8), y, label_w - pt(64), pitch)
        size = 11 if pitch >= pt(24) else 9
        name = ellipsize(persona.name, name_box.w / EMU_PER_PT, size, fonts.body)
        slide.add(
            text_box(
                f"persona:{persona.id}:name",
                name_box,
                [Paragraph((Run(name),), size, colour=theme.text)],
                anchor="ctr",
            )
        )
        for (x, column_w), process in zip(spans, processes):
            if process.name in persona.processes:
                mark_w = min(column_w - pt(8), pt(56))
                mark = Box(x + (column_w - mark_w) // 2, y + pt(4), mark_w, chip_h)
                slide.add(persona_chip(persona, mark, fonts, f"mark:{persona.id}:{process.name}"))
    _legend(deck, fonts, slide, area, any(p.ad_hoc for p in processes), has_lanes)


def _columns(processes: list[Process], left: int, width: int) -> list[tuple[int, int]]:
    """Each process's column as (x, width); a process with stages gets room for its lanes."""
    weights = [max(1.0, 0.7 * len(p.stages)) for p in processes]
    unit = width / max(1.0, sum(weights))
    spans, x = [], float(left)
    for weight in weights:
        spans.append((round(x), round(x + weight * unit) - round(x)))
        x += weight * unit
    return spans


def _header_size(fonts: Fonts, processes: list[Process], column_w: int) -> int:
    for size in range(12, 7, -1):
        if all(
            len(
                fonts.lines(
                    Paragraph((Run(p.name + (" (ad hoc)" if p.ad_hoc else "")),), size, bold=True),
                    column_w - pt(4),
                )
            )
            <= 3
            for p in processes
        ):
            return size
    return 8


def _legend(deck, fonts, slide, area: Box, ad_hoc: bool, lanes: bool) -> None:
    parts = ["A chip with a persona's ID marks a process the persona takes part in."]
    if lanes:
        parts.append("Lanes under a process are its stages.")
    if ad_hoc:
        parts.append("Ad hoc: a process named only by personas.")
    box = Box(area.x, area.bottom - pt(LEGEND_PT) + pt(4), area.w, pt(LEGEND_PT) - pt(4))
    text = ellipsize(" ".join(parts), box.w / EMU_PER_PT, 10, fonts.body)
    slide.add(text_box("Legend", box, [Paragraph((Run(text),), 10, colour=deck.theme.muted)], anchor="b"))


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `process-map` section."""
    return process_map_slides(deck, fonts, report)
