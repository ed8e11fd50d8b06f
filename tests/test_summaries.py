"""Summaries a facilitator presents: persona table, process stages, cards, text that stays whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation as OpenPptx

import cardforge
from cardforge.diagnostics import DeckError
from cardforge.layout.card import deck_value_size
from cardforge.layout.chrome import fitted_title
from cardforge.layout.fonts import Fonts
from cardforge.layout.labels import partner_labels
from cardforge.layout.paging import balanced_pages, even_chunks
from cardforge.layout.shapes import Box, pt
from cardforge.text.fit import wrap
from cardforge.text.measure import builtin_metrics
from checks import card_slides, structural_problems
from corpus import generated_deck

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"

STAGES = """\
cardforge: 1
title: Stages
processes:
  - {name: MLOps, stages: [Dev, Stage, Prod]}
  - {name: DataOps}
personas:
  - {id: A1, name: Ann, processes: [MLOps/Prod, mlops/dev, CI/CD, DataOps]}
  - {id: B2, name: Bob, processes: [MLOps, MLOps/Stage]}
"""


def test_a_persona_names_stages_as_process_slash_stage(write_deck):
    deck = cardforge.load_deck(write_deck(STAGES))
    ann, bob = deck.personas
    assert ann.processes == ("MLOps", "CI/CD", "DataOps")
    assert ann.stages_in("MLOps") == ("Dev", "Prod"), "stages in the process's order, as it spells them"
    assert ann.process_labels == ("MLOps (Dev, Prod)", "CI/CD", "DataOps")
    assert bob.stages_in("MLOps") == (), "naming the process alone spans every stage"
    assert [p.name for p in deck.processes if p.ad_hoc] == ["CI/CD"], "a slash in an ad-hoc name is kept"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "MLOps/Prodd",
            "9:36: error: `MLOps` has no stage `Prodd`; did you mean `Prod`? (its stages: Dev, Stage, Prod)",
        ),
        ("DataOps/Prod", "9:36: error: process `DataOps` has no stages to name (`DataOps/Prod`)"),
    ],
)
def test_unknown_stages_are_errors_at_their_place(write_deck, entry, message):
    path = write_deck(STAGES + f"  - {{id: C3, name: Cy, processes: [{entry}]}}\n")
    with pytest.raises(DeckError) as error:
        cardforge.load_deck(path)
    assert any(message in str(d) for d in error.value.report.errors), error.value.report.errors


def _table_cells(path: Path) -> list[list[list[str]]]:
    pages = []
    for slide in OpenPptx(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_table:
                pages.append([[cell.text for cell in row.cells] for row in shape.table.rows])
    return pages


def test_persona_table_holds_whole_text_and_says_what_moved(tmp_path):
    deck = cardforge.load_deck(MLOPS)
    output = tmp_path / "table.pptx"
    cardforge.build(deck, output, sections=[s for s in deck.sections if s.kind == "persona-table"])
    ((header, *rows),) = _table_cells(output)
    assert header[:5] == ["ID", "Persona", "Team", "Primary interaction", "Process"]
    for row, persona in zip(rows, deck.personas):
        assert row[1] == persona.name + (" (agent)" if persona.is_agent else "")
        assert row[3] == ", ".join(partner_labels(deck, persona)), "no cell is cut short"
        assert row[4] == ", ".join(persona.process_labels)
    assert "…" not in "".join(cell for row in rows for cell in row)
    notes = OpenPptx(str(output)).slides[0].notes_slide.notes_text_frame.text
    assert "Moved to the persona cards" in notes and "Skills" in notes
    sizes = {
        int(r.get("sz"))
        for r in OpenPptx(str(output))
        .slides[0]
        .shapes[0]
        ._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}rPr")
        if r.get("sz")
    }
    assert min(sizes) >= 1000


def test_persona_table_keeps_its_columns_without_cards(write_deck, tmp_path):
    """Without card slides nothing may move there: the same columns take more slides."""
    text = generated_deck(30).replace(
        "personas:\n  - id: P001", "slides: [persona-table]\npersonas:\n  - id: P001"
    )
    deck = cardforge.load_deck(write_deck(text))
    output = tmp_path / "t.pptx"
    cardforge.build(deck, output)
    pages = _table_cells(output)
    assert len(pages[0][0]) == 11, "ID and all ten columns"
    counts = [len(page) - 1 for page in pages]
    assert sum(counts) == 30 and min(counts) * 3 >= max(counts), counts
    assert structural_problems(output) == []


def test_long_table_pages_hold_about_the_same(tmp_path, write_deck):
    deck = cardforge.load_deck(write_deck(generated_deck(120)))
    output = tmp_path / "t.pptx"
    cardforge.build(deck, output, sections=[s for s in deck.sections if s.kind == "persona-table"])
    counts = [len(page) - 1 for page in _table_cells(output)]
    assert sum(counts) == 120 and len(counts) > 1
    assert min(counts) * 3 >= max(counts) * 2, counts


def test_every_card_of_a_deck_has_one_value_size(tmp_path):
    deck = cardforge.load_deck(MLOPS)
    output = tmp_path / "cards.pptx"
    cardforge.build(deck, output, sections=[s for s in deck.sections if s.kind == "cards"])
    sizes = set()
    for slide in card_slides(OpenPptx(str(output))):
        for shape in slide.shapes:
            if shape.name.endswith((":left", ":right")):
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        if not run.font.bold:
                            sizes.add(run.font.size.pt)
    assert len(sizes) == 1 and sizes.pop() >= 12


def test_deck_value_size_follows_the_densest_card_within_reason():
    sizes = range(18, 9, -1)
    assert deck_value_size([18, 16, 15, 17], sizes) == 15
    assert deck_value_size([18] * 19 + [10], sizes) == 18, "one overfull card in twenty is shortened"
    assert deck_value_size([18] * 19 + [None], sizes) == 18
    assert deck_value_size([11, 11, 12, 10], sizes) == 10, "many dense cards: all go small together"
    assert deck_value_size([None, None], sizes) == 10


def test_empty_template_fields_show_a_dash(write_deck, tmp_path):
    deck = cardforge.load_deck(
        write_deck("cardforge: 1\ntitle: t\npersonas:\n  - {id: A1, name: Ann, team: Red}\n")
    )
    output = tmp_path / "c.pptx"
    cardforge.build(deck, output, sections=[s for s in deck.sections if s.kind == "cards"])
    (slide,) = card_slides(OpenPptx(str(output)))
    lines = [
        p.text for s in slide.shapes if s.name.endswith((":left", ":right")) for p in s.text_frame.paragraphs
    ]
    for label in ("Primary interaction", "Processes", "Component access", "Skills", "Links to learn"):
        assert lines[lines.index(label) + 1] == "-", label
    assert lines[lines.index("Team") + 1] == "Red"


def test_card_title_never_breaks_inside_its_tag():
    """Across box widths, the (ID | COLOUR) tag is whole on one line, measured and with a
    renderer's slack; failing that it starts a line of its own."""
    fonts = Fonts(builtin_metrics(), builtin_metrics())
    title = "Principal Platform Discriminative AI Data Scientist (P004 | Light Blue)"
    tag = "(P004 | Light Blue)"
    for width_pt in range(200, 900, 7):
        box = Box(0, 0, pt(width_pt), pt(76))
        paragraph, whole = fitted_title(fonts, title, box, "000000", range(32, 15, -1), 2, keep_whole=tag)
        if whole:
            for room in (box.w, round(box.w * 1.06)):
                assert any(tag in line for line in fonts.lines(paragraph, room)), (width_pt, room)


def test_lines_break_after_hyphens_and_keep_words_whole():
    metrics = builtin_metrics()
    assert wrap("RAG chat - baseline end-to-end chat", 60, 10, metrics) == [
        "RAG chat -",
        "baseline end-",
        "to-end chat",
    ]
    for line in wrap("Data Ingestion Team, Engineering Team, Architecture", 62, 10, metrics):
        assert line.split()[0].rstrip(",") in ("Data", "Ingestion", "Team", "Engineering", "Architecture")


def test_pages_are_filled_evenly():
    assert [len(p) for p in balanced_pages([10] * 31, 100)] == [8, 8, 8, 7]
    assert [len(p) for p in balanced_pages([10] * 25, 200, parts=2)] == [13, 12]
    assert balanced_pages([10, 500, 10], 100) == [[0], [1], [2]], "a row taller than a page stands alone"
    assert [len(c) for c in even_chunks(60, 20)] == [20, 20, 20]
    assert [len(c) for c in even_chunks(41, 20)] == [14, 14, 13]
