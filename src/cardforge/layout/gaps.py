"""The gaps slide: lint findings grouped by kind, naming the personas concerned.

Each kind is a block (a heading with its count, then one line per finding). Blocks flow
down three columns; a block longer than a column continues in the next, and what does
not fit on one slide continues on numbered slides.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck
from ..model.lint import KINDS, lint
from ..spec.slides import Options
from ..text.fit import line_height
from .chrome import numbered, overview_frame, text_box
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Slide, pt

COLUMNS = 3
GAP_PT = 20
SIZE = 11


@dataclass
class _Line:
    paragraph: Paragraph
    height: int
    heading: bool = False


def gaps_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    findings = lint(deck)
    if not findings:
        return []
    _, area, _ = overview_frame(deck, fonts, "Gaps and advice (9 of 9)", "")
    column_w = (area.w - pt(GAP_PT) * (COLUMNS - 1)) // COLUMNS
    lines = _lines(deck, findings, fonts, column_w)
    pages = _flow(lines, area.h)
    slides = []
    for index, columns in enumerate(pages, start=1):
        slide, area, notes = overview_frame(
            deck, fonts, numbered("Gaps and advice", index, len(pages)), "Gaps"
        )
        for number, column in enumerate(columns):
            if column:
                x = area.x + number * (column_w + pt(GAP_PT))
                height = sum(line.height for line in column)
                slide.add(
                    text_box(
                        f"Gaps column {number + 1}",
                        Box(x, area.y, column_w, min(height + pt(4), area.h)),
                        [line.paragraph for line in column],
                    )
                )
        slide.notes = "\n".join(notes + [f.message for f in findings])
        slides.append(slide)
    return slides


def _lines(deck: Deck, findings, fonts: Fonts, width: int) -> list[_Line]:
    theme = deck.theme
    lines: list[_Line] = []
    for code, kind in KINDS.items():
        group = [f for f in findings if f.code == code]
        if not group:
            continue
        heading = Paragraph(
            (Run(f"{kind} ({len(group)})"),),
            SIZE + 2,
            colour=theme.text,
            bold=True,
            font="heading",
            space_before=10,
        )
        lines.append(_Line(heading, _height(fonts, heading, width, first=not lines), heading=True))
        for finding in group:
            paragraph = Paragraph(
                (Run(finding.short or finding.message),), SIZE, colour=theme.text, bullet=True, space_before=2
            )
            lines.append(_Line(paragraph, _height(fonts, paragraph, width, first=False)))
    return lines


def _height(fonts: Fonts, paragraph: Paragraph, width: int, first: bool) -> int:
    lines = len(fonts.lines(paragraph, width))
    return round(
        (lines * line_height(paragraph.size) + (0 if first else paragraph.space_before)) * EMU_PER_PT
    )


def _flow(lines: list[_Line], height: int) -> list[list[list[_Line]]]:
    """Lines into columns and pages; a heading never ends a column."""
    pages: list[list[list[_Line]]] = [[[]]]
    used = 0
    for index, line in enumerate(lines):
        needed = line.height + (lines[index + 1].height if line.heading and index + 1 < len(lines) else 0)
        if pages[-1][-1] and used + needed > height:
            if len(pages[-1]) == COLUMNS:
                pages.append([[]])
            else:
                pages[-1].append([])
            used = 0
        pages[-1][-1].append(line)
        used += line.height
    return pages


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `gaps` section."""
    return gaps_slides(deck, fonts, report)
