"""RBAC matrices: for each environment, personas x services with the role in each cell.

Cells are coloured by privilege rank (Owner, Contributor, Reader, other) and always carry
the role's text, so the matrix reads without colour too. Wide matrices split by service
columns and long ones by rows, over numbered slides.
"""

from __future__ import annotations

from ..diagnostics import Report
from ..model import Deck, Persona
from ..model.lint import rank
from ..spec.slides import Options
from ..text.fit import ellipsize, line_height
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame, text_box
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Cell, Paragraph, Run, Slide, Table, TextFrame, pt

RANK_FILLS = {3: "C0392B", 2: "F0A030", 1: "7FBF7F", 0: "D9D9D9"}
RANK_NAMES = {3: "Owner", 2: "Contributor", 1: "Reader", 0: "Other role"}
MAX_SERVICE_COLUMNS = 8
SIZE = 10
INSET = (pt(4), pt(2), pt(4), pt(2))
LEGEND_PT = 22


def rbac_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    if deck.rbac is None or not deck.rbac.grants:
        return []
    services = list(dict.fromkeys(g.service for g in deck.rbac.grants))
    granted = {g.persona for g in deck.rbac.grants}
    personas = [p for p in deck.personas if p.id in granted]
    roles = {(g.persona, g.service): g.roles for g in deck.rbac.grants}
    slides = []
    for env in deck.rbac.environments:
        pages = _pages(deck, fonts, personas, services, roles, env)
        for index, (rows, heights, columns) in enumerate(pages, start=1):
            title = numbered(f"Access in {env}", index, len(pages))
            slide, area, notes = overview_frame(deck, fonts, title, "RBAC")
            _matrix(deck, fonts, slide, area, env, rows, heights, columns, roles)
            _legend(deck, fonts, slide, area)
            slide.notes = "\n".join(notes)
            slides.append(slide)
    return slides


def _pages(
    deck: Deck, fonts: Fonts, personas: list[Persona], services: list[str], roles: dict, env: str
) -> list[tuple[list[Persona], list[int], list[str]]]:
    """Groups of at most eight services, each with the personas that hold a role on one
    of them, split into pages of rows (with their heights) that fit under the header."""
    _, area, _ = overview_frame(deck, fonts, "Access (9 of 9)", "")
    pages = []
    for start in range(0, len(services), MAX_SERVICE_COLUMNS):
        columns = services[start : start + MAX_SERVICE_COLUMNS]
        holders = [p for p in personas if any(roles.get((p.id, s), {}).get(env) for s in columns)]
        if not holders:
            continue
        available = area.h - pt(LEGEND_PT) - _header_height(fonts, columns, area)
        page: list[Persona] = []
        heights: list[int] = []
        for persona in holders:
            height = _row_height(fonts, persona, columns, roles, env, area)
            if page and sum(heights) + height > available:
                pages.append((page, heights, columns))
                page, heights = [], []
            page.append(persona)
            heights.append(height)
        pages.append((page, heights, columns))
    return pages


def _row_height(fonts: Fonts, persona: Persona, services: list[str], roles: dict, env: str, area: Box) -> int:
    _, name_w, widths = _widths(area, len(services))
    texts = [(persona.name, name_w)] + [
        (roles.get((persona.id, s), {}).get(env) or "", w) for s, w in zip(services, widths)
    ]
    lines = max(len(fonts.wrapped(t, w - INSET[0] - INSET[2], SIZE)) for t, w in texts)
    return round(lines * line_height(SIZE) * EMU_PER_PT) + INSET[1] + INSET[3] + pt(4)


def _widths(area: Box, count: int) -> tuple[int, int, list[int]]:
    chip_w, name_w = pt(48), pt(170)
    rest = area.w - chip_w - name_w
    column = rest // max(count, 1)
    return chip_w, name_w, [column] * count


def _header_height(fonts: Fonts, services: list[str], area: Box) -> int:
    _, _, widths = _widths(area, min(len(services), MAX_SERVICE_COLUMNS))
    width = widths[0] if widths else area.w
    lines = max(
        (
            len(fonts.lines(Paragraph((Run(s),), SIZE, bold=True), width - INSET[0] - INSET[2]))
            for s in services
        ),
        default=1,
    )
    return round(lines * line_height(SIZE) * EMU_PER_PT) + INSET[1] + INSET[3] + pt(4)


def _matrix(
    deck: Deck,
    fonts: Fonts,
    slide: Slide,
    area: Box,
    env: str,
    personas: list[Persona],
    row_heights: list[int],
    services: list[str],
    roles: dict,
) -> None:
    theme = deck.theme
    chip_w, name_w, widths = _widths(area, len(services))
    header_fill = theme.text
    header_colour = text_on(header_fill)

    def cell(text: str, fill: str, bold: bool = False, colour: str | None = None) -> Cell:
        paragraph = Paragraph((Run(text),), SIZE, colour=colour or text_on(fill), bold=bold)
        return Cell(TextFrame((paragraph,), anchor="ctr", inset=INSET), fill)

    header = [cell("ID", header_fill, True, header_colour), cell("Persona", header_fill, True, header_colour)]
    header += [cell(s, header_fill, True, header_colour) for s in services]
    rows = [tuple(header)]
    for persona in personas:
        row = [
            cell(persona.id, persona.colour.hex, True),
            cell(persona.name, theme.background, colour=theme.text),
        ]
        for service in services:
            role = roles.get((persona.id, service), {}).get(env)
            row.append(cell(role, RANK_FILLS[rank(role)]) if role else cell("", theme.background))
        rows.append(tuple(row))
    heights = (_header_height(fonts, services, area), *row_heights)
    columns = (chip_w, name_w, *widths)
    box = Box(area.x, area.y, sum(columns), sum(heights))
    slide.add(Table(f"RBAC {env}", box, columns, tuple(rows), heights))


def _legend(deck: Deck, fonts: Fonts, slide: Slide, area: Box) -> None:
    y = area.bottom - pt(LEGEND_PT) + pt(6)
    x = area.x
    for value in (3, 2, 1, 0):
        fill = RANK_FILLS[value]
        label = RANK_NAMES[value]
        width = pt(fonts.width_pt(label, 10, "body") + 16)
        slide.add(
            text_box(
                f"legend:{label}",
                Box(x, y, width, pt(16)),
                [Paragraph((Run(label),), 10, colour=text_on(fill), align="ctr")],
                anchor="ctr",
            )
        )
        slide.elements[-1] = _filled(slide.elements[-1], fill)
        x += width + pt(8)
    box = Box(x + pt(8), y, area.right - x - pt(8), pt(16))
    note = ellipsize(
        "Roles are ranked Owner > Contributor > Reader > other; least privilege keeps production read-only.",
        box.w / EMU_PER_PT,
        10,
        fonts.body,
    )
    slide.add(text_box("Legend", box, [Paragraph((Run(note),), 10, colour=deck.theme.muted)], anchor="ctr"))


def _filled(shape, fill: str):
    from dataclasses import replace

    return replace(shape, fill=fill)


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `rbac` section."""
    return rbac_slides(deck, fonts, report)
