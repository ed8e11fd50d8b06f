"""AI categories: personas and use cases grouped under Pretrained, Discriminative and Generative AI.

A persona or use case may sit in several columns. Personas with no category stand in a fourth column
only when there are any. A persona's chip holds its ID and whole name, on two lines or more
when the name is long. Columns too long for one slide continue on numbered slides, each
column spread evenly over them.
"""

from __future__ import annotations

from ..diagnostics import Report
from ..model import Deck, Persona, UseCase
from ..spec.slides import Options
from ..text.fit import line_height
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame, text_box
from .fonts import Fonts
from .paging import balanced_pages, greedy_pages
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, TextFrame, pt

CATEGORIES = (
    ("pretrained", "Pretrained AI", "Uses existing models as they are"),
    ("discriminative", "Discriminative AI", "Classifies and predicts, trained on own data"),
    ("generative", "Generative AI", "Generates text, code and images"),
)
HEADER_PT = 52
PITCH_PT = 30
GAP_PT = 24
GAP_BETWEEN_PT = 6
NAME_SIZE = 11
CHIP_INSET_PT = 8


USE_CASES_HEADING = "Use cases"
Item = Persona | UseCase | str
"""What a column lists: personas, then (under a heading) the use cases of the category."""


def category_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    columns = [(title, hint, _items(deck, key)) for key, title, hint in CATEGORIES]
    others = [p for p in deck.personas if not p.categories]
    if others:
        columns.append(("Not categorised", "No category given in the deck", list(others)))
    if not any(members for _, _, members in columns[:3]):
        return []
    _, area, _ = overview_frame(deck, fonts, "AI categories (9 of 9)", "")
    width = (area.w - pt(GAP_PT) * (len(columns) - 1)) // len(columns)
    header_h = max(pt(HEADER_PT), max(_header_height(fonts, t, h, width) for t, h, m in columns))
    room = area.h - header_h - pt(8)
    heights = [
        [min(_item_height(i, width, fonts), room) + pt(GAP_BETWEEN_PT) for i in m] for _, _, m in columns
    ]
    count = max(len(greedy_pages(h, room)) for h in heights if h)
    parts = [balanced_pages(h, room, parts=count) if h else [] for h in heights]
    slides = []
    for page in range(count):
        slide, area, notes = overview_frame(
            deck, fonts, numbered("AI categories", page + 1, count), "AI categories"
        )
        for index, (title, hint, members) in enumerate(columns):
            x = area.x + index * (width + pt(GAP_PT))
            shown = [members[i] for i in parts[index][page]] if page < len(parts[index]) else []
            box = Box(x, area.y, width, area.h)
            personas = sum(isinstance(item, Persona) for item in members)
            _column(deck, fonts, slide, box, header_h, title, hint, shown, personas)
        slide.notes = "\n".join(notes)
        slides.append(slide)
    return slides


def _header_paragraphs(title: str, hint: str, total: int, colour: str) -> list[Paragraph]:
    return [
        Paragraph((Run(f"{title} ({total})"),), 16, colour=colour, bold=True, font="heading"),
        Paragraph((Run(hint),), 10, colour=colour, space_before=2),
    ]


def _header_height(fonts: Fonts, title: str, hint: str, width: int) -> int:
    paragraphs = _header_paragraphs(title, hint, 999, "000000")
    return round(fonts.height_pt(paragraphs, width - 2 * pt(CHIP_INSET_PT)) * EMU_PER_PT) + pt(14)


def _items(deck: Deck, category: str) -> list[Item]:
    personas: list[Item] = [p for p in deck.personas if category in p.categories]
    cases: list[Item] = [u for u in deck.use_cases if category in u.categories]
    return personas + ([USE_CASES_HEADING, *cases] if cases else [])


def _label(item: Persona | UseCase) -> str:
    return f"{item.id}  {item.name}"


def _use_case_description(use_case: UseCase) -> str:
    # Says more than the chip's own text, which a screen reader reads anyway.
    count = len(use_case.stories)
    stories = (
        "no user stories yet" if not count else "1 user story" if count == 1 else f"{count} user stories"
    )
    return f"Use case {use_case.id}, {use_case.name}: {stories}"


def _item_height(item: Item, width: int, fonts: Fonts) -> int:
    if isinstance(item, str):
        return round(line_height(NAME_SIZE) * EMU_PER_PT) + pt(6)
    lines = len(fonts.wrapped(_label(item), width - 2 * pt(CHIP_INSET_PT), NAME_SIZE))
    return max(pt(PITCH_PT) - pt(GAP_BETWEEN_PT), round(lines * line_height(NAME_SIZE) * EMU_PER_PT) + pt(8))


def _column(
    deck: Deck,
    fonts: Fonts,
    slide: Slide,
    column: Box,
    header_h: int,
    title: str,
    hint: str,
    members: list[Item],
    total: int,
) -> None:
    theme = deck.theme
    header = Box(column.x, column.y, column.w, header_h)
    slide.add(Shape(f"category:{title}", header, fill=theme.text))
    paragraphs = _header_paragraphs(title, hint, total, text_on(theme.text))
    header_inset = (pt(CHIP_INSET_PT), 0, pt(CHIP_INSET_PT), 0)
    frame = TextFrame(tuple(paragraphs), anchor="ctr", inset=header_inset)
    slide.add(Shape(f"category:{title}:label", header, text=frame, is_textbox=True))
    y = header.bottom + pt(8)
    if not total:
        slide.add(
            text_box(
                f"category:{title}:empty",
                Box(column.x, y, column.w, pt(24)),
                [Paragraph((Run("No persona in this category"),), 11, colour=theme.muted)],
                anchor="ctr",
            )
        )
    room = column.bottom - y
    for item in members:
        box = Box(column.x, y, column.w, min(_item_height(item, column.w, fonts), room))
        slide.add(_item_shape(deck, item, box, title))
        y += box.h + pt(GAP_BETWEEN_PT)


def _item_shape(deck: Deck, item: Item, box: Box, column: str) -> Shape:
    inset = (pt(CHIP_INSET_PT), 0, pt(CHIP_INSET_PT), 0)
    if isinstance(item, str):
        heading = Paragraph((Run(item),), NAME_SIZE, colour=deck.theme.muted, bold=True)
        return text_box(f"category:{column}:{item}", box, [heading], anchor="b")
    if isinstance(item, UseCase):
        paragraph = Paragraph((Run(_label(item)),), NAME_SIZE, colour=deck.theme.text)
        return Shape(
            f"use case:{item.id}:{column}",
            box,
            geometry="roundRect",
            fill=deck.theme.card,
            line=deck.theme.muted,
            text=TextFrame((paragraph,), anchor="ctr", inset=inset),
            adjust=20000,
            link=f"#use-case:{item.id}",
            description=_use_case_description(item),
        )
    paragraph = Paragraph((Run(_label(item)),), NAME_SIZE, colour=text_on(item.colour.hex))
    return Shape(
        f"persona:{item.id}:{column}",
        box,
        geometry="roundRect",
        fill=item.colour.hex,
        text=TextFrame((paragraph,), anchor="ctr", inset=inset),
        adjust=20000,
        link=f"#card:{item.id}",
        description=item.title,
    )


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `categories` section."""
    return category_slides(deck, fonts, report)
