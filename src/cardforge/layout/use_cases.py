"""Use cases: one slide each, with its category, architecture, description and user stories.

A user story is read aloud in a workshop, so it is set as a sentence ("As a BI Analyst, I
want ..., so that ...") at a size a room can read, next to the persona's ID chip and colour.
Stories that do not fit continue on numbered slides, balanced so the last is not sparse.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Report
from ..model import Deck, Persona, Story, UseCase
from ..spec.slides import Options
from .chrome import numbered, overview_frame, persona_chip, text_box
from .flow import Page, Unit, balanced
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, pt

CATEGORY_NAMES = {
    "pretrained": "Pretrained AI",
    "discriminative": "Discriminative AI",
    "generative": "Generative AI",
}
STORY_SIZES = (24, 20, 18, 16, 14, 12)
MAX_LINE_CHARACTERS = 80
"""Longer lines are hard to follow; two columns of stories are better than one that wide."""
GUTTER_PT = 24
BAR_PT = 5
CHIP_PT = 22
GAP_PT = 10
DESCRIPTION_PT = 16
META_PT = 14


@dataclass(frozen=True)
class StoryRow:
    story: Story
    persona: Persona


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `use-cases` section: a slide per use case (more when its stories run long)."""
    return [slide for use_case in deck.use_cases for slide in use_case_slides(deck, use_case, fonts)]


def use_case_slides(deck: Deck, use_case: UseCase, fonts: Fonts) -> list[Slide]:
    title = f"{use_case.id}: {use_case.name}"
    _, area, _ = overview_frame(deck, fonts, numbered(title, 1, 9), "")
    header = _header_paragraphs(deck, use_case)
    header_h = _height(fonts, header, area.w) + pt(12)
    stories_area = Box(area.x, area.y + header_h, area.w, area.h - header_h)
    rows = [StoryRow(s, p) for s in use_case.stories if (p := deck.persona(s.persona)) is not None]
    pages, size, width = _best_flow(deck, fonts, rows, stories_area)
    slides = []
    for number, page in enumerate(pages, start=1):
        slide, area, notes = overview_frame(deck, fonts, numbered(title, number, len(pages)), "Use cases")
        if number == 1:
            slide.anchor = f"use-case:{use_case.id}"  # the AI categories slide links here
        slide.add(
            text_box(f"use case:{use_case.id}:about", Box(area.x, area.y, area.w, header_h - pt(12)), header)
        )
        top = area.y + header_h
        if not rows:
            empty = [Paragraph((Run("No user stories yet", italic=True),), 14, colour=deck.theme.muted)]
            slide.add(text_box(f"use case:{use_case.id}:no stories", Box(area.x, top, area.w, pt(24)), empty))
        for index, column in enumerate(page):
            x = area.x + index * (width + pt(GUTTER_PT))
            for placed in column:
                box = Box(x, top + placed.y, width, placed.unit.height - pt(GAP_PT))
                _draw_story(deck, fonts, size, slide, placed.unit.item, box)
        slide.notes = "\n".join([*notes, *(_notes(deck, use_case) if number == 1 else [])])
        slides.append(slide)
    return slides


def _header_paragraphs(deck: Deck, use_case: UseCase) -> list[Paragraph]:
    facts = [CATEGORY_NAMES[c] for c in use_case.categories]
    if use_case.architecture:
        facts.append(deck.architectures[use_case.architecture].title)
    paragraphs = []
    if facts:
        paragraphs.append(
            Paragraph((Run("  ·  ".join(facts)),), META_PT, colour=deck.theme.accent, bold=True)
        )
    if use_case.description:
        space = 4 if paragraphs else 0
        paragraphs.append(
            Paragraph(
                (Run(use_case.description),), DESCRIPTION_PT, colour=deck.theme.text, space_before=space
            )
        )
    return paragraphs


def _best_flow(deck: Deck, fonts: Fonts, rows: list[StoryRow], area: Box) -> tuple[list[Page], int, int]:
    """The story size and column count (one or two) that need the fewest slides.

    Then lines short enough to read, then the largest type. Returns the pages, the story
    type size and the column width.
    """
    best: tuple[tuple[int, bool, int], list[Page], int, int] | None = None
    for rank, size in enumerate(STORY_SIZES):
        for columns in (1, 2):
            width = (area.w - pt(GUTTER_PT) * (columns - 1)) // columns
            units = [Unit(_row_height(deck, fonts, size, row, width) + pt(GAP_PT), row) for row in rows]
            result = balanced(units, columns, area.h)
            if result is None:
                continue
            pages, _ = result
            too_wide = width / EMU_PER_PT / (size * 0.45) > MAX_LINE_CHARACTERS  # an average letter
            key = (len(pages), too_wide, rank)
            if best is None or key < best[0]:
                best = (key, pages, size, width)
    assert best is not None, "a story is at most 4,000 characters, which fits a column at 12 pt"
    return best[1], best[2], best[3]


def story_runs(story: Story, persona: Persona) -> tuple[Run, ...]:
    """ "As a NAME, I want WANT, so that SO_THAT." with the persona's name in bold."""
    runs = [
        Run("As " + ("an " if persona.name[:1].lower() in "aeio" else "a ")),
        Run(persona.name, bold=True),
    ]
    runs.append(Run(f", I want {story.want.rstrip('.')}"))
    if story.so_that:
        runs.append(Run(f", so that {story.so_that.rstrip('.')}"))
    runs.append(Run("."))
    return tuple(runs)


def _story_paragraph(deck: Deck, size: int, row: StoryRow) -> Paragraph:
    return Paragraph(story_runs(row.story, row.persona), size, colour=deck.theme.text)


def _text_width(fonts: Fonts, row: StoryRow, width: int) -> int:
    return width - pt(BAR_PT) - pt(8) - _chip_width(fonts, row.persona) - pt(10)


def _chip_width(fonts: Fonts, persona: Persona) -> int:
    return pt(fonts.width_pt(persona.id, 12, "body", True) + 12)


def _row_height(deck: Deck, fonts: Fonts, size: int, row: StoryRow, width: int) -> int:
    text = _height(fonts, [_story_paragraph(deck, size, row)], _text_width(fonts, row, width))
    return max(pt(CHIP_PT), text) + pt(8)


def _height(fonts: Fonts, paragraphs: list[Paragraph], width: int) -> int:
    return round(fonts.height_pt(paragraphs, width) * EMU_PER_PT) + pt(1)


def _draw_story(deck: Deck, fonts: Fonts, size: int, slide: Slide, row: StoryRow, box: Box) -> None:
    persona = row.persona
    name = f"story:{persona.id}:{box.x}:{box.y}"
    slide.add(Shape(f"{name}:panel", box, fill=deck.theme.card, description=f"User story of {persona.title}"))
    slide.add(Shape(f"{name}:bar", Box(box.x, box.y, pt(BAR_PT), box.h), fill=persona.colour.hex))
    chip = Box(box.x + pt(BAR_PT) + pt(8), box.y + pt(4), _chip_width(fonts, persona), pt(CHIP_PT))
    slide.add(persona_chip(persona, chip, fonts, f"{name}:chip", f"#card:{persona.id}"))
    text = Box(chip.right + pt(10), box.y + pt(4), _text_width(fonts, row, box.w), box.h - pt(8))
    slide.add(text_box(f"{name}:text", text, [_story_paragraph(deck, size, row)]))


def _notes(deck: Deck, use_case: UseCase) -> list[str]:
    lines = [f"{use_case.id}: {use_case.name}"]
    if use_case.description:
        lines.append(use_case.description)
    for story in use_case.stories:
        persona = deck.persona(story.persona)
        if persona is not None:
            lines.append("- " + "".join(run.text for run in story_runs(story, persona)))
    return lines
