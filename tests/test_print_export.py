"""Print sheets, PDF and PNG through LibreOffice, Markdown export."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import cardforge
from cardforge.export.markdown import read_persona_markdown, write_markdown
from cardforge.layout.labels import partner_labels
from cardforge.layout.print_sheet import MM, plan_sheet
from cardforge.model import PrintOptions
from checks import boxes, slide_size, slide_xml, structural_problems
from checks import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
HAS_LIBREOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice")) and bool(
    shutil.which("pdftotext")
)
needs_libreoffice = pytest.mark.skipif(
    not HAS_LIBREOFFICE, reason="LibreOffice and poppler-utils are not installed (CI installs them)"
)
HALF_MM = MM // 2


def a6_slots_mm() -> list[tuple[float, float, float, float]]:
    """Two A6 cards on landscape A4 inside 5 mm margins: a 3 mm gutter, centred below the header."""
    return [(42, 33.5, 105, 148), (150, 33.5, 105, 148)]


def edge_to_edge_a6_slots_mm() -> list[tuple[float, float, float, float]]:
    return [(0, 0.5, 105, 148), (105, 0.5, 105, 148), (0, 148.5, 105, 148), (105, 148.5, 105, 148)]


def assert_slots(sheet, expected) -> None:
    for index, (x, y, w, h) in enumerate(expected):
        slot = sheet.slot(index)
        for got, want in ((slot.x, x), (slot.y, y), (slot.w, w), (slot.h, h)):
            assert abs(got - want * MM) <= HALF_MM, (index, got / MM, want)


def test_two_a6_cards_fit_an_a4_page_inside_the_printer_margin():
    sheet = plan_sheet(PrintOptions(card_size="A6", paper="A4"))
    assert (sheet.page_w, sheet.page_h) == (297 * MM, 210 * MM)
    assert sheet.per_page == 2
    assert_slots(sheet, a6_slots_mm())


def test_four_a6_cards_fill_an_a4_page_without_margin_and_gutter():
    sheet = plan_sheet(PrintOptions(card_size="A6", paper="A4", margin=0, gutter=0))
    assert (sheet.page_w, sheet.page_h) == (210 * MM, 297 * MM)
    assert sheet.per_page == 4
    assert sheet.header is None  # no room for it above four cards
    assert_slots(sheet, edge_to_edge_a6_slots_mm())


@pytest.mark.parametrize(
    "size, paper, count, edge_to_edge",
    [("A5", "A4", 1, 2), ("poker", "A4", 9, 9), ("bridge", "A4", 9, 10), ("A6", "Letter", 2, 2)],
)
def test_other_sizes_fit_as_many_as_the_paper_allows(size, paper, count, edge_to_edge):
    for options, expected in (
        (PrintOptions(card_size=size, paper=paper), count),
        (PrintOptions(card_size=size, paper=paper, margin=0, gutter=0), edge_to_edge),
    ):
        sheet = plan_sheet(options)
        assert sheet.per_page == expected
        margin = round(options.margin * MM)
        for index in range(expected):
            slot = sheet.slot(index)
            assert slot.x >= margin and slot.right <= sheet.page_w - margin
            assert slot.y >= margin and slot.bottom <= sheet.page_h - margin


def test_print_pptx_places_cards_marks_and_mirrored_backs(tmp_path):
    output = tmp_path / "cards.pptx"
    assert run(["print", str(MLOPS), "-o", str(output), "--backs", "--quiet"]) == 0
    assert slide_size(output) == (297 * MM, 210 * MM)
    pages = slide_xml(output)
    assert len(pages) == 12  # 11 cards, two a sheet: six sheets of fronts, each followed by its backs
    assert structural_problems(output) == []
    front = boxes(pages[0][1])
    bands = sorted((b for b in front if b.name.endswith(":band")), key=lambda b: (b.y, b.x))
    assert [b.name for b in bands] == ["persona:P001:band", "persona:P002:band"]
    for band, (x, y, w, _) in zip(bands, a6_slots_mm()):
        assert (
            abs(band.x - x * MM) <= HALF_MM
            and abs(band.y - y * MM) <= HALF_MM
            and abs(band.w - w * MM) <= HALF_MM
        )
    for card, (x, y, w, h) in zip(("P001", "P002"), a6_slots_mm()):
        outline = next(b for b in front if b.name == f"persona:{card}:card")
        for got, want in ((outline.x, x), (outline.y, y), (outline.w, w), (outline.h, h)):
            assert abs(got - want * MM) <= HALF_MM
        inside = [b for b in front if b.name.startswith(f"persona:{card}:")]
        for shape in inside:  # every part of the card within the card
            assert outline.x <= shape.x and shape.x + shape.w <= outline.x + outline.w + 1, shape.name
            assert outline.y <= shape.y and shape.y + shape.h <= outline.y + outline.h + 1, shape.name
    assert sum(1 for b in front if b.name.startswith("crop:")) >= 8
    backs = {b.name: b for b in boxes(pages[1][1]) if b.name.endswith(":back")}
    assert abs(backs["persona:P001:back"].x - 150 * MM) <= HALF_MM  # mirrored: P001's back is on the right
    assert abs(backs["persona:P002:back"].x - 42 * MM) <= HALF_MM


def test_bleed_extends_the_colour_band_past_the_cut(tmp_path):
    output = tmp_path / "bleed.pptx"
    assert (
        run(["print", str(MLOPS), "-o", str(output), "--bleed", "3", "--card-size", "poker", "--quiet"]) == 0
    )
    front = boxes(slide_xml(output)[0][1])
    band = next(b for b in front if b.name == "persona:P001:band")
    bleed = next(b for b in front if b.name == "persona:P001:bleed")
    assert abs(band.x - bleed.x - 3 * MM) <= HALF_MM and abs(band.y - bleed.y - 3 * MM) <= HALF_MM


def test_print_options_from_the_command_line_are_checked(tmp_path, capsys):
    assert run(["print", str(MLOPS), "-o", str(tmp_path / "x.pptx"), "--card-size", "B7"]) == 1
    assert "--card-size" in capsys.readouterr().err
    assert not (tmp_path / "x.pptx").exists()


@needs_libreoffice
@pytest.mark.slow
def test_print_pdf_pages_sizes_and_text_inside_cards(tmp_path):
    output = tmp_path / "cards.pdf"
    assert run(["print", str(MLOPS), "-o", str(output), "--quiet"]) == 0
    info = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+6\b", info)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 841.89) < 1.5 and abs(height - 595.28) < 1.5  # landscape A4 to 0.5 mm
    bbox = subprocess.run(["pdftotext", "-bbox", str(output), "-"], capture_output=True, text=True).stdout
    header = (0, 0, width, 10 / 25.4 * 72)  # the sheet header: inside the margin, above the cards
    slots = [
        (x / 25.4 * 72, y / 25.4 * 72, (x + w) / 25.4 * 72, (y + h) / 25.4 * 72)
        for x, y, w, h in a6_slots_mm()
    ] + [header]
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', bbox)
    assert len(words) > 100
    for x0, y0, x1, y1 in ((float(a), float(b), float(c), float(d)) for a, b, c, d in words):
        assert any(
            sx - 1.5 <= x0 and x1 <= ex + 1.5 and sy - 1.5 <= y0 and y1 <= ey + 1.5
            for sx, sy, ex, ey in slots
        ), (x0, y0, x1, y1)


@needs_libreoffice
@pytest.mark.slow
def test_build_pdf_and_render_png(tmp_path):
    output = tmp_path / "deck.pptx"
    assert (
        run(
            [
                "build",
                str(ROOT / "decks" / "genaiops.yaml"),
                "-o",
                str(output),
                "--only",
                "title",
                "--only",
                "cards:G001",
                "--pdf",
                "--quiet",
            ]
        )
        == 0
    )
    info = subprocess.run(["pdfinfo", str(output.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    folder = tmp_path / "png"
    assert (
        run(
            [
                "render",
                str(ROOT / "decks" / "genaiops.yaml"),
                "--png",
                str(folder),
                "--only",
                "title",
                "--dpi",
                "30",
            ]
        )
        == 0
    )
    pictures = sorted(folder.glob("*.png"))
    assert [p.name for p in pictures] == ["genaiops-001.png"]
    assert pictures[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_libreoffice_exits_3_naming_the_package(tmp_path, monkeypatch, capsys):
    import cardforge.export.libreoffice as lo

    monkeypatch.setattr(lo.shutil, "which", lambda name: None)
    assert run(["print", str(MLOPS), "-o", str(tmp_path / "cards.pdf")]) == 3
    assert "libreoffice-impress" in capsys.readouterr().err
    assert not (tmp_path / "cards.pdf").exists()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("deck_name", ["mlops.yaml", "genaiops.yaml"])
def test_markdown_round_trips_every_field(deck_name, tmp_path):
    deck = cardforge.load_deck(ROOT / "decks" / deck_name)
    written = write_markdown(deck, tmp_path)
    assert written[0].name == "README.md"
    index = written[0].read_text(encoding="utf-8")
    for persona in deck.personas:
        assert f"({persona.id}.md)" in index
        fields = read_persona_markdown((tmp_path / f"{persona.id}.md").read_text(encoding="utf-8"))
        assert fields["title"] == persona.title
        assert fields["id"] == persona.id
        assert fields["colour"] == f"{persona.colour.name} (#{persona.colour.hex})"
        assert fields["kind"] == persona.kind
        assert fields.get("categories", "") == ", ".join(persona.categories)
        assert fields.get("team") == persona.team
        assert fields.get("interacts_with", "") == ", ".join(partner_labels(deck, persona))
        assert fields.get("processes", "") == ", ".join(persona.processes)
        assert fields.get("architectures", "") == ", ".join(persona.architectures)
        assert fields.get("scope") == persona.scope
        assert fields.get("data_access") == persona.data_access
        assert fields.get("services", []) == [(s.name, s.url) if s.url else s.name for s in persona.services]
        assert fields.get("skills", []) == list(persona.skills)
        assert fields.get("learn", []) == [(link.title, link.url) for link in persona.learn]
        assert fields.get("people", None if persona.people is None else []) == (
            None if persona.people is None else list(persona.people)
        )
        assert fields.get("notes") == persona.notes


def test_markdown_escapes_table_and_link_syntax(write_deck, tmp_path):
    deck = cardforge.load_deck(
        write_deck(
            "cardforge: 1\ntitle: t\npersonas:\n  - id: P1\n    name: 'Pipes | and [brackets] *stars*'\n"
            "    scope: 'a | b'\n    learn: [{title: 'Title [x]', url: 'https://example.org/a_(b)'}]\n"
            '    notes: "line one\\nline two"\n'
        )
    )
    write_markdown(deck, tmp_path)
    fields = read_persona_markdown((tmp_path / "P1.md").read_text(encoding="utf-8"))
    assert fields["title"].startswith("Pipes | and [brackets] *stars*")
    assert fields["scope"] == "a | b"
    assert fields["learn"] == [("Title [x]", "https://example.org/a_(b)")]
    assert fields["notes"] == "line one\nline two"
