"""AI categories: personas grouped under Pretrained, Discriminative and Generative AI.

A persona may sit in several columns. Personas with no category stand in a fourth column
only when there are any. Columns too long for one slide continue on numbered slides.
"""

from __future__ import annotations

from ..diagnostics import Report
from ..model import Deck, Persona
from ..spec.slides import Options
from ..text.fit import ellipsize
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame, text_box
from .fonts import Fonts
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, TextFrame, pt

CATEGORIES = (
    ("pretrained", "Pretrained AI", "Uses existing models as they are"),
    ("discriminative", "Discriminative AI", "Classifies and predicts, trained on own data"),
    ("generative", "Generative AI", "Generates text, code and images"),
)
HEADER_PT = 52
PITCH_PT = 30
GAP_PT = 24


def category_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    columns = [
        (title, hint, [p for p in deck.personas if key in p.categories]) for key, title, hint in CATEGORIES
    ]
    others = [p for p in deck.personas if not p.categories]
    if others:
        columns.append(("Not categorised", "No category given in the deck", others))
    if not any(members for _, _, members in columns[:3]):
        return []
    _, area, _ = overview_frame(deck, fonts, "AI categories (9 of 9)", "")
    per_page = max(1, (area.h - pt(HEADER_PT) - pt(8)) // pt(PITCH_PT))
    pages = max(1, max((len(m) + per_page - 1) // per_page for _, _, m in columns))
    slides = []
    for page in range(pages):
        slide, area, notes = overview_frame(
            deck, fonts, numbered("AI categories", page + 1, pages), "AI categories"
        )
        width = (area.w - pt(GAP_PT) * (len(columns) - 1)) // len(columns)
        for index, (title, hint, members) in enumerate(columns):
            x = area.x + index * (width + pt(GAP_PT))
            _column(
                deck,
                fonts,
                slide,
                Box(x, area.y, width, area.h),
                title,
                hint,
                members[page * per_page : (page + 1) * per_page],
                len(members),
            )
        slide.notes = "\n".join(notes)
        slides.append(slide)
    return slides


def _column(
    deck: Deck,
    fonts: Fonts,
    slide: Slide,
    column: Box,
    title: str,
    hint: str,
    members: list[Persona],
    total: int,
) -> None:
    theme = deck.theme
    header = Box(column.x, column.y, column.w, pt(HEADER_PT))
    slide.add(Shape(f"category:{title}", header, fill=theme.text))
    colour = text_on(theme.text)
    width = header.w / EMU_PER_PT - 16
    paragraphs = [
        Paragraph(
            (Run(ellipsize(f"{title} ({total})", width, 16, fonts.heading, True)),),
            16,
            colour=colour,
            bold=True,
            font="heading",
        ),
        Paragraph((Run(ellipsize(hint, width, 10, fonts.body)),), 10, colour=colour, space_before=2),
    ]
    slide.add(text_box(f"category:{title}:label", header, paragraphs, anchor="ctr"))
    slide.elements[-1] = _with_inset(slide.elements[-1])
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
    for persona in members:
        box = Box(column.x, y, column.w, pt(PITCH_PT) - pt(6))
        label = ellipsize(f"{persona.id}  {persona.name}", column.w / EMU_PER_PT - 16, 11, fonts.body)
        paragraph = Paragraph((Run(label),), 11, colour=text_on(persona.colour.hex))
        slide.add(
            Shape(
                f"persona:{persona.id}:{title}",
                box,
                geometry="roundRect",
                fill=persona.colour.hex,
                text=TextFrame((paragraph,), anchor="ctr", inset=(pt(8), 0, pt(8), 0)),
                adjust=20000,
                link=f"#card:{persona.id}",
                description=persona.title,
            )
        )
        y += pt(PITCH_PT)


def _with_inset(shape: Shape) -> Shape:
    from dataclasses import replace

    return replace(shape, text=replace(shape.text, inset=(pt(8), 0, pt(8), 0)))


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `categories` section."""
    return category_slides(deck, fonts, report)
