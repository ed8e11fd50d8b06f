"""Building the example deck: card titles, fields, links, notes, validity, determinism."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pptx import Presentation as OpenPptx

import cardforge
from checks import (
    NS,
    SCHEMAS,
    audit_errors,
    boxes,
    card_slides,
    overflow_findings,
    run_cli,
    schema_errors,
    slide_xml,
    structural_problems,
)

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
EXPECTED_TITLES = [
    "AI Data Engineer (P001 | Dark Blue)",
    "Analyst Data Engineer (P002 | Blue)",
    "BI Analyst (P003 | Purple)",
    "Discriminative AI Data Scientist (P004 | Light Blue)",
    "Discriminative AI MLOps Engineer (P005 | Orange)",
    "GenAI Data Scientist (P006 | Light Blue)",
    "GenAI Chat Developer (P007 | Light Green)",
    "DeveloperAgent Unittest Writer (P008 | Magenta)",
    "BuildAgent MLOps (P009 | Pink)",
    "Data & AI Product Manager (P010 | Gold)",
    "Project Manager (P011 | Teal)",
]


@pytest.fixture(scope="module")
def mlops(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("build") / "mlops.pptx"
    run_cli(["build", str(MLOPS), "-o", str(output), "--quiet"])
    return output


def test_cards_are_titled_name_id_colour(mlops):
    prs = OpenPptx(str(mlops))
    assert prs.slides[0].shapes.title.text_frame.text == "Personas for DataOps and MLOps"
    assert [slide.shapes.title.text_frame.text for slide in card_slides(prs)] == EXPECTED_TITLES


def test_card_shows_template_fields(mlops):
    prs = OpenPptx(str(mlops))
    card = card_slides(prs)[0]
    text = "\n".join(shape.text_frame.text for shape in card.shapes if shape.has_text_frame)
    for label in (
        "Team",
        "Primary interaction",
        "Component access",
        "Processes",
        "Skills",
        "Links to learn",
        "Scope",
        "Architecture",
        "Data access",
    ):
        assert f"\n{label}\n" in f"\n{text}\n", label
    assert "Data Ingestion Team" in text
    assert "Azure Data Factory" in text


def test_learn_links_are_real_hyperlinks(mlops):
    prs = OpenPptx(str(mlops))
    card = card_slides(prs)[0]
    links = []  # a link is written as a run per word (LibreOffice wraps it then): join them
    for shape in card.shapes:
        for paragraph in shape.text_frame.paragraphs if shape.has_text_frame else ():
            linked: dict[str, str] = {}
            for run in paragraph.runs:
                if run.hyperlink.address:
                    linked[run.hyperlink.address] = linked.get(run.hyperlink.address, "") + run.text
            links += [(title, url) for url, title in linked.items()]
    assert (
        "DataOps for the modern data warehouse",
        "https://learn.microsoft.com/azure/architecture/databases/architecture/dataops-mdw",
    ) in links
    external = [url for _, url in links if not url.startswith("slide")]  # in-deck links name a slide
    assert external and all(url.startswith(("https://", "http://", "mailto:")) for url in external)


def test_agents_are_marked_and_people_shown(mlops):
    prs = OpenPptx(str(mlops))
    by_title = {slide.shapes.title.text_frame.text: slide for slide in prs.slides}
    agent = by_title["BuildAgent MLOps (P009 | Pink)"]
    person = by_title["AI Data Engineer (P001 | Dark Blue)"]
    assert any(shape.name == "Agent marker" and shape.text_frame.text == "AGENT" for shape in agent.shapes)
    assert not any(shape.name == "Agent marker" for shape in person.shapes)
    gap = by_title["Data & AI Product Manager (P010 | Gold)"]
    assert "staffing gap" in "\n".join(s.text_frame.text for s in gap.shapes if s.has_text_frame)


def test_header_text_contrasts_with_band(mlops):
    from cardforge.theme.contrast import contrast

    for _, root in slide_xml(mlops):
        if not any(e.get("name", "").endswith(":band") for e in root.iter(f"{{{NS['p']}}}cNvPr")):
            continue
        band = next(
            e for e in root.iter(f"{{{NS['p']}}}sp") if e.find(".//p:cNvPr", NS).get("name").endswith(":band")
        )
        fill = band.find("p:spPr/a:solidFill/a:srgbClr", NS).get("val")
        title = next(
            e for e in root.iter(f"{{{NS['p']}}}sp") if e.find(".//p:ph[@type='title']", NS) is not None
        )
        colour = title.find(".//a:rPr/a:solidFill/a:srgbClr", NS).get("val")
        assert contrast(fill, colour) >= 4.5, (fill, colour)


def test_notes_go_to_speaker_notes(mlops):
    prs = OpenPptx(str(mlops))
    deck = cardforge.load_deck(MLOPS)
    with_notes = [p for p in deck.personas if p.notes]
    assert with_notes
    by_title = {slide.shapes.title.text_frame.text: slide for slide in prs.slides}
    for persona in with_notes:
        assert persona.notes in by_title[persona.title].notes_slide.notes_text_frame.text


def test_no_autofit_and_explicit_fills(mlops):
    for name, root in slide_xml(mlops):
        assert not root.findall(".//a:normAutofit", NS) and not root.findall(".//a:spAutoFit", NS)
        for sp in root.iter(f"{{{NS['p']}}}sp"):
            sp_pr = sp.find("p:spPr", NS)
            assert sp_pr.find("a:solidFill", NS) is not None or sp_pr.find("a:noFill", NS) is not None, name
            assert sp_pr.find("a:ln", NS) is not None, name
            assert sp.find("p:style", NS) is None, name
            for r_pr in sp.iter(f"{{{NS['a']}}}rPr"):
                assert r_pr.get("sz") and int(r_pr.get("sz")) % 100 == 0, "sizes in whole points"


def test_geometry_inside_slide_and_text_boxes_apart(mlops):
    assert structural_problems(mlops) == []
    for name, root in slide_xml(mlops):
        text = [b for b in boxes(root) if b.kind in ("textbox", "title") and b.text.strip()]
        for i, first in enumerate(text):
            for second in text[i + 1 :]:
                assert not first.overlaps(second), f"{name}: {first.name} overlaps {second.name}"


@pytest.mark.skipif(
    not (SCHEMAS / "transitional" / "pml.xsd").exists(), reason="../shared/ooxml-schemas is absent"
)
def test_parts_validate_against_ecma_schemas(mlops):
    assert schema_errors(mlops) == []


@pytest.mark.slow
def test_openxml_audit_finds_nothing(mlops):
    assert audit_errors(mlops) == []


@pytest.mark.slow
def test_independent_layout_checker_finds_no_overflow(mlops):
    assert overflow_findings(mlops) == []


def test_same_deck_same_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    deck = cardforge.load_deck(MLOPS)
    cardforge.build(deck, first)
    cardforge.build(cardforge.load_deck(MLOPS), second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {info.date_time for info in package.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in package.read("docProps/core.xml")


def test_source_date_epoch_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    output = tmp_path / "a.pptx"
    cardforge.build(cardforge.load_deck(MLOPS), output)
    with zipfile.ZipFile(output) as package:
        assert {info.date_time for info in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in package.read("docProps/core.xml")


def test_failed_build_leaves_existing_output_untouched(tmp_path, write_deck):
    output = tmp_path / "keep.pptx"
    output.write_bytes(b"previous build")
    bad = write_deck("cardforge: 1\ntitle: x\npersonas:\n  - {id: P1, name: A, colour: Nope}\n")
    assert run_cli(["build", str(bad), "-o", str(output)]) == 1
    assert output.read_bytes() == b"previous build"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_example_decks_build_without_warnings(tmp_path):
    from cardforge.diagnostics import Report

    for deck_file in sorted((ROOT / "decks").glob("*.yaml")):
        report = Report()
        cardforge.build(cardforge.load_deck(deck_file, report=report), tmp_path / "d.pptx", report=report)
        assert [str(w) for w in report.warnings] == [], deck_file.name


@pytest.mark.slow
def test_the_executable_reports_and_exits_with_the_right_status(tmp_path, write_deck):
    """``python -m cardforge`` exits at once after its work; output and status must survive that."""
    import subprocess
    import sys

    broken = write_deck("cardforge: 1\ntitle: T\npersonas:\n  - {id: P1, name: A, colour: Dark Blu}\n")
    failed = subprocess.run(
        [sys.executable, "-m", "cardforge", "validate", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 1
    assert f"{broken}:4:" in failed.stderr and "Dark Blue" in failed.stderr

    output = tmp_path / "out.pptx"
    built = subprocess.run(
        [sys.executable, "-m", "cardforge", "build", str(MLOPS), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0
    assert f"wrote {output}" in built.stderr
    assert len(OpenPptx(str(output)).slides) > 12


def test_field_heights_match_the_paragraphs_drawn():
    """Card fitting measures fields from their texts; it must agree with what is drawn."""
    from dataclasses import replace

    from cardforge.layout import card
    from cardforge.layout.fonts import Fonts

    deck = cardforge.load_deck(MLOPS)
    fonts = Fonts.from_theme(deck.theme)
    checked = 0
    for persona in deck.personas:
        text = card.card_fields(deck, persona, "000000")
        for field in text.left + text.right:
            for variant in (
                field,
                replace(field, hidden=min(2, len(field.items))),
                replace(field, clipped="cut short"),
            ):
                for size in (18, 12, 7):
                    for width in (600_000, 3_000_000):
                        drawn = fonts.height_pt(
                            card.render_fields([variant], size, "000000", "000000"), width
                        )
                        assert card.field_height(variant, size, width, fonts) == pytest.approx(drawn), (
                            persona.id,
                            field.key,
                            size,
                        )
                        checked += 1
    assert checked > 1000
