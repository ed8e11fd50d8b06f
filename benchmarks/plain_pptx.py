"""The same persona cards built the plain python-pptx way, for comparison with cardforge.

One slide per persona with a coloured band, a title, a grey panel, two text boxes of
fields, a footer and speaker notes, using python-pptx's shape API (add_slide,
add_shape, add_textbox, notes_slide), as a script written without cardforge would.

    python benchmarks/plain_pptx.py deck.yaml out.pptx
"""

from __future__ import annotations

import sys

import yaml
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Pt


def main(deck_path: str, output: str) -> None:
    with open(deck_path, encoding="utf-8") as file:
        data = yaml.safe_load(file)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    layout = prs.slide_layouts[6]
    for persona in data["personas"]:
        slide = prs.slides.add_slide(layout)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Pt(92))
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor(0x00, 0x20, 0x60)
        title = slide.shapes.add_textbox(Pt(36), Pt(20), Pt(800), Pt(50)).text_frame
        title.text = f"{persona['name']} ({persona['id']} | Colour)"
        title.paragraphs[0].runs[0].font.size = Pt(28)
        panel = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(36), Pt(112), Pt(888), Pt(370))
        panel.fill.solid()
        panel.fill.fore_color.rgb = RGBColor(0xF2, 0xF2, 0xF2)
        left = slide.shapes.add_textbox(Pt(60), Pt(130), Pt(380), Pt(340)).text_frame
        left.word_wrap = True
        for key in ("team", "interacts_with", "processes", "scope"):
            paragraph = left.add_paragraph()
            paragraph.text = f"{key}: {persona.get(key, '')}"
        right = slide.shapes.add_textbox(Pt(480), Pt(130), Pt(420), Pt(340)).text_frame
        right.word_wrap = True
        for key in ("services", "data_access", "skills", "learn"):
            paragraph = right.add_paragraph()
            paragraph.text = f"{key}: {persona.get(key, '')}"
        slide.shapes.add_textbox(Pt(36), Pt(505), Pt(400), Pt(20)).text_frame.text = data.get("footer", "")
        slide.notes_slide.notes_text_frame.text = str(persona.get("notes", ""))
    prs.save(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
