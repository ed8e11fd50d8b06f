"""Themes: shipped themes, brand in the package, contrast, fonts, logos, templates, errors."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import cardforge
from cardforge.cli import main
from cardforge.diagnostics import DeckError, Report
from cardforge.paths import ASSETS_DIR, THEMES_DIR
from cardforge.theme.contrast import contrast
from checks import NS, slide_xml, structural_problems

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
THEMES = sorted(p.stem for p in THEMES_DIR.glob("*.yaml"))
PPTX_TEMPLATE = Path(__import__("pptx").__file__).parent / "templates" / "default.pptx"


def theme_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("ppt/theme/theme1.xml"))


def text_on_fill_contrasts(path: Path) -> list[tuple[float, str]]:
    """(contrast, where) for every run of text drawn on a solid fill (shapes and table cells)."""
    found = []
    for name, root in slide_xml(path):
        holders = list(root.iter(f"{{{NS['p']}}}sp")) + list(root.iter(f"{{{NS['a']}}}tc"))
        for holder in holders:
            fill = holder.find("p:spPr/a:solidFill/a:srgbClr", NS)
            if fill is None:
                fill = holder.find("a:tcPr/a:solidFill/a:srgbClr", NS)
            if fill is None:
                continue
            for r_pr in holder.iter(f"{{{NS['a']}}}rPr"):
                colour = r_pr.find("a:solidFill/a:srgbClr", NS)
                if colour is not None and r_pr.find("a:hlinkClick", NS) is None:
                    found.append(
                        (
                            contrast(fill.get("val"), colour.get("val")),
                            f"{name}: {colour.get('val')} on {fill.get('val')}",
                        )
                    )
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_example_deck_builds_in_every_shipped_theme(theme, tmp_path):
    report = Report()
    deck = cardforge.load_deck(MLOPS, theme=theme, report=report)
    output = tmp_path / f"{theme}.pptx"
    cardforge.build(deck, output, report=report)
    assert [str(w) for w in report.warnings] == []
    assert structural_problems(output) == []
    root = theme_xml(output)
    assert root.find(".//a:clrScheme/a:accent1/a:srgbClr", NS).get("val") == deck.theme.accent
    assert root.find(".//a:clrScheme/a:dk1/a:srgbClr", NS).get("val") == deck.theme.text
    assert (
        root.find(".//a:fontScheme/a:majorFont/a:latin", NS).get("typeface") == deck.theme.heading_font.family
    )
    assert root.find(".//a:fontScheme/a:minorFont/a:latin", NS).get("typeface") == deck.theme.body_font.family
    worst = min(text_on_fill_contrasts(output))
    assert worst[0] >= 4.5, worst


def test_logo_reaches_every_slide(tmp_path):
    output = tmp_path / "contoso.pptx"
    cardforge.build(cardforge.load_deck(MLOPS, theme="contoso"), output)
    with zipfile.ZipFile(output) as package:
        media = [n for n in package.namelist() if n.startswith("ppt/media/")]
    assert len(media) == 1, "one image part, shared by every slide"
    for name, root in slide_xml(output):
        assert root.find(".//p:pic", NS) is not None, name


def test_deck_with_its_own_theme_file(tmp_path):
    folder = tmp_path / "project"
    (folder / "brand").mkdir(parents=True)
    shutil.copy(ASSETS_DIR / "contoso-logo.png", folder / "brand" / "logo.png")
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font_line = ""
    if font.exists():
        shutil.copy(font, folder / "brand" / "body.ttf")
        font_line = "  body: {family: DejaVu Sans, file: body.ttf}\n"
    (folder / "brand" / "fabrikam.yaml").write_text(
        "cardforge_theme: 1\nname: Fabrikam\nextends: default\nfonts:\n  heading: {family: Arial}\n"
        + font_line
        + "colours: {accent: '#7A1F5C'}\npalette:\n  Fabrikam Plum: '#7A1F5C'\n"
        "  Fabrikam Stone: '#D8D2C4'\nlogo: logo.png\n",
        encoding="utf-8",
    )
    deck_path = folder / "deck.yaml"
    deck_path.write_text(
        "cardforge: 1\ntitle: Fabrikam personas\ntheme: brand/fabrikam.yaml\npersonas:\n"
        "  - {id: F1, name: Planner, colour: fabrikam plum}\n"
        "  - {id: F2, name: Builder, colour: Fabrikam Stone}\n  - {id: F3, name: Tester, colour: Dark Blue}\n",
        encoding="utf-8",
    )
    report = Report()
    deck = cardforge.load_deck(deck_path, report=report)
    assert report.warnings == []
    assert [p.title for p in deck.personas] == [
        "Planner (F1 | Fabrikam Plum)",
        "Builder (F2 | Fabrikam Stone)",
        "Tester (F3 | Dark Blue)",
    ]
    assert [p.colour.hex for p in deck.personas][:2] == ["7A1F5C", "D8D2C4"]
    output = tmp_path / "fabrikam.pptx"
    cardforge.build(deck, output)
    assert theme_xml(output).find(".//a:fontScheme/a:majorFont/a:latin", NS).get("typeface") == "Arial"
    if font_line:
        assert (
            theme_xml(output).find(".//a:fontScheme/a:minorFont/a:latin", NS).get("typeface") == "DejaVu Sans"
        )


def write_theme(tmp_path: Path, body: str, deck_extra: str = "") -> Path:
    (tmp_path / "theme.yaml").write_text("cardforge_theme: 1\nname: T\n" + body, encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "cardforge: 1\ntitle: t\ntheme: theme.yaml\npersonas: [{id: P1, name: A}]\n" + deck_extra,
        encoding="utf-8",
    )
    return deck


def diagnostics(deck: Path) -> list[str]:
    report = Report()
    try:
        cardforge.load_deck(deck, report=report)
    except DeckError as error:
        return [str(d) for d in error.report.sorted()]
    return [str(d) for d in report.sorted()]


@pytest.mark.parametrize(
    "body, where, text",
    [
        ("colurs: {accent: '#000000'}\n", "3:1", "unknown key `colurs`; did you mean `colours`?"),
        ("colours: {accent: '#12345'}\n", "3:19", "is not a colour; write it as #RRGGBB"),
        ("palette: {Plum: 'purple'}\n", "3:17", "is not a colour"),
        ("logo: missing.png\n", "3:7", "does not exist"),
        ("logo: ../../outside.png\n", "3:7", "leaves the folder"),
        ("slide_size: 17:3\n", "3:13", "is not a slide size"),
        ("fonts: {body: {family: Segoe UI, file: nofont.ttf}}\n", "3:40", "does not exist"),
        ("extends: theme.yaml\n", "3:10", "makes a loop of themes"),
        ("cardforge_theme: 2\n", "3:1", "duplicate key"),
    ],
    ids=[
        "unknown-key",
        "bad-hex",
        "palette-not-hex",
        "missing-logo",
        "escaping-path",
        "slide-size",
        "missing-font",
        "extends-loop",
        "duplicate",
    ],
)
def test_bad_theme_input_is_reported_in_the_theme_file(tmp_path, body, where, text):
    deck = write_theme(tmp_path, body)
    found = diagnostics(deck)
    theme_file = str(tmp_path / "theme.yaml")
    assert any(d.startswith(f"{theme_file}:{where}: error: ") and text in d for d in found), found


def test_logo_that_is_not_an_image_or_is_a_bomb(tmp_path):
    (tmp_path / "fake.png").write_text("not an image", encoding="utf-8")
    assert any(
        "is not a PNG or JPEG image" in d for d in diagnostics(write_theme(tmp_path, "logo: fake.png\n"))
    )
    from PIL import Image

    Image.new("1", (10_000, 10_000)).save(tmp_path / "bomb.png")  # 100 megapixels, a few KB
    found = diagnostics(write_theme(tmp_path, "logo: bomb.png\n"))
    assert any("pixels" in d and ":3:7: error:" in d for d in found), found


def test_unknown_font_family_is_measured_by_a_stand_in_with_a_warning(tmp_path):
    found = diagnostics(write_theme(tmp_path, "fonts: {heading: {family: Segoe UI Semibold}}\n"))
    assert any(
        ":3:27: warning: no metrics for `Segoe UI Semibold`: text is measured as Arial" in d for d in found
    ), found


def test_palette_colour_without_readable_text_is_a_warning(tmp_path):
    found = diagnostics(write_theme(tmp_path, "palette: {Mid Grey: '#777777'}\n"))
    assert any(":3:21: warning: palette colour `Mid Grey`" in d for d in found), found


def test_template_supplies_masters_and_layouts(tmp_path):
    shutil.copy(PPTX_TEMPLATE, tmp_path / "base.pptx")
    deck = write_theme(tmp_path, "template: base.pptx\n")
    loaded = cardforge.load_deck(deck)
    assert loaded.theme.template_layout == "Title Only"
    assert (loaded.theme.slide_size.width, loaded.theme.slide_size.height) == (9144000, 6858000)
    output = tmp_path / "t.pptx"
    cardforge.build(loaded, output)
    assert structural_problems(output) == []


def test_template_without_a_title_layout_is_an_error(tmp_path):
    from pptx import Presentation

    prs = Presentation(str(PPTX_TEMPLATE))
    for layout in prs.slide_layouts:
        for placeholder in list(layout.placeholders):
            if placeholder.placeholder_format.type is not None and "TITLE" in str(
                placeholder.placeholder_format.type
            ):
                placeholder._element.getparent().remove(placeholder._element)
    prs.save(str(tmp_path / "untitled.pptx"))
    found = diagnostics(write_theme(tmp_path, "template: untitled.pptx\n"))
    assert any(
        ":3:11: error: `untitled.pptx` has no layout with just a title placeholder" in d for d in found
    ), found
    (tmp_path / "text.pptx").write_text("plain text", encoding="utf-8")
    assert any(
        "is not a PowerPoint file" in d for d in diagnostics(write_theme(tmp_path, "template: text.pptx\n"))
    )


def test_themes_command_lists_shipped_themes(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["themes"])
    assert not exit_info.value.code
    out = capsys.readouterr().out
    for theme in THEMES:
        assert out.count(f"\n{theme} ") + out.startswith(f"{theme} ") == 1
    assert "Dark Blue #002060" in out


def test_template_command_lists_layouts(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["template", str(PPTX_TEMPLATE)])
    assert not exit_info.value.code
    out = capsys.readouterr().out
    assert "Title Only" in out and "cardforge builds on: Title Only" in out


@pytest.mark.slow
def test_template_with_its_own_slides_and_notes_master(tmp_path):
    """The template's example slides (and their notes) are left out; its notes master,
    masters and layouts are kept once; the package stays valid."""
    from pptx import Presentation as NewPptx

    from checks import SCHEMAS, audit_errors, schema_errors

    template = NewPptx()
    for number in range(2):
        slide = template.slides.add_slide(template.slide_layouts[5])
        slide.shapes.title.text = f"Example slide {number}"
        slide.notes_slide.notes_text_frame.text = f"Example notes {number}"
    template.save(tmp_path / "base.pptx")
    deck = write_theme(tmp_path, "template: base.pptx\n")
    output = tmp_path / "t.pptx"
    result = cardforge.build(cardforge.load_deck(deck), output)
    with zipfile.ZipFile(output) as package:
        names = package.namelist()
        text = b"".join(package.read(name) for name in names if name.endswith(".xml"))
    assert b"Example slide" not in text and b"Example notes" not in text
    assert len([n for n in names if n.startswith("ppt/notesMasters/") and n.endswith(".xml")]) == 1
    assert len([n for n in names if n.startswith("ppt/slides/") and n.endswith(".xml")]) == result.slides
    assert len(set(names)) == len(names)
    assert structural_problems(output) == []
    assert audit_errors(output) == []
    if SCHEMAS.is_dir():
        assert schema_errors(output) == []


def test_wrapped_lines_are_remembered_per_font_not_per_role():
    """Two themes with different body fonts in one process: each wraps by its own widths."""
    from cardforge.layout.fonts import Fonts
    from cardforge.layout.shapes import EMU_PER_PT
    from cardforge.text.measure import table_metrics

    calibri = Fonts(table_metrics("calibri"), table_metrics("calibri"))
    arial = Fonts(table_metrics("arial"), table_metrics("arial"))
    text = "Ingest and store layers of the Lambda architecture"
    narrow, wide = calibri.width_pt(text, 12), arial.width_pt(text, 12)
    assert narrow < wide
    width = round((narrow + wide) / 2 * EMU_PER_PT)
    assert calibri.wrapped(text, width, 12) == [text]
    assert len(arial.wrapped(text, width, 12)) == 2
