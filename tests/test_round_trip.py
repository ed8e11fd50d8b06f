"""Round trips: Markdown export -> import, and XLSX export -> import, give the same deck.

Run over the corpus (every shipped deck, the custom architecture, generated decks and the
mixed-script deck), comparing every persona field after both decks are resolved, and for
the workbook the RBAC environments and grants too. Two differences are by design: ``-``
means "none" to the import (the generated decks use it as a scope), and an architecture
that is not built in cannot be drawn from an import, so it moves to the notes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

import cardforge
from cardforge.diagnostics import Report
from cardforge.export.markdown import write_markdown
from cardforge.export.xlsx import workbook_bytes, write_xlsx
from cardforge.importers import import_personas
from checks import run_cli as run
from corpus import corpus

CASES = [deck for deck in corpus() if deck.theme in (None, "default")]
SLOW = {"generated-120"}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def persona_fields(persona) -> dict:
    return {
        "id": persona.id,
        "name": persona.name,
        "colour": persona.colour,
        "kind": persona.kind,
        "categories": persona.categories,
        "team": persona.team,
        "interacts_with": persona.interacts_with,
        "processes": persona.processes,
        "architectures": persona.architectures,
        "scope": None if persona.scope == "-" else persona.scope,
        "services": persona.services,
        "data_access": persona.data_access,
        "skills": persona.skills,
        "learn": persona.learn,
        "people": persona.people,
        "notes": persona.notes,
    }


def expected_after_import(deck) -> list[dict]:
    """The deck's personas as an import must give them back."""
    result = []
    for persona in deck.personas:
        fields = persona_fields(persona)
        custom = [a for a in persona.architectures if not deck.architectures[a].builtin]
        if custom:
            fields["architectures"] = tuple(a for a in persona.architectures if a not in custom)
            kept = f"Architecture: {', '.join(custom)}"
            fields["notes"] = f"{persona.notes}\n\n{kept}" if persona.notes else kept
        result.append(fields)
    return result


def reimport(sources: list[Path], folder: Path):
    report = Report()
    result = import_personas(sources, folder / "imported.yaml", report=report)
    assert result is not None, [str(d) for d in report.sorted()]
    (folder / "imported.yaml").write_text(result.text, encoding="utf-8")
    return cardforge.load_deck(folder / "imported.yaml"), report


def grants(deck) -> dict:
    return {(g.persona, g.service): g.roles for g in (deck.rbac.grants if deck.rbac else ())}


def params():
    return [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.name in SLOW else []) for c in CASES]


@pytest.mark.parametrize("case", params())
def test_markdown_export_imports_back_to_the_same_personas(case, tmp_path):
    deck = cardforge.load_deck(case.write(tmp_path))
    write_markdown(deck, tmp_path / "md")
    back, report = reimport([tmp_path / "md"], tmp_path)
    assert [persona_fields(p) for p in back.personas] == expected_after_import(deck)
    assert back.title == deck.title
    assert all(d.code == "CF554" for d in report.warnings)  # only custom architectures


@pytest.mark.parametrize("case", params())
def test_xlsx_export_imports_back_to_the_same_personas_and_grants(case, tmp_path):
    deck = cardforge.load_deck(case.write(tmp_path))
    write_xlsx(deck, tmp_path / "deck.xlsx")
    back, report = reimport([tmp_path / "deck.xlsx"], tmp_path)
    assert [persona_fields(p) for p in back.personas] == expected_after_import(deck)
    assert back.title == deck.title
    assert grants(back) == grants(deck)
    assert (back.rbac.environments if back.rbac else None) == (deck.rbac.environments if deck.rbac else None)
    assert all(d.code == "CF554" for d in report.warnings)


# The workbook itself


def sheet_xml(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        book = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        return {
            s.get("name"): etree.fromstring(
                package.read("xl/" + targets[s.get(rel)].lstrip("/").removeprefix("xl/"))
            )
            for s in book.iter(f"{MAIN}sheet")
        }


def test_workbook_sheets_are_frozen_filtered_and_coloured(root):
    deck = cardforge.load_deck(root / "decks" / "mlops.yaml")
    sheets = sheet_xml(workbook_bytes(deck))
    assert list(sheets) == ["Personas", "RBAC Dev", "RBAC Stage", "RBAC Prod", "Gaps"]
    personas = sheets["Personas"]
    pane = personas.find(f".//{MAIN}pane")
    assert (pane.get("state"), pane.get("topLeftCell")) == ("frozen", "C2")
    assert personas.find(f"{MAIN}autoFilter").get("ref") == "A1:R12"
    widths = [float(c.get("width")) for c in personas.iter(f"{MAIN}col")]
    assert len(widths) == 18 and min(widths) >= 8 and max(widths) <= 110
    rbac = sheets["RBAC Prod"]
    assert rbac.find(f".//{MAIN}pane").get("topLeftCell") == "C3"
    assert rbac.find(f"{MAIN}autoFilter").get("ref").startswith("A2:")
    assert sheets["Gaps"].find(f".//{MAIN}pane").get("topLeftCell") == "A2"


def test_id_cells_carry_the_persona_colour(root):
    from openpyxl import load_workbook

    deck = cardforge.load_deck(root / "decks" / "mlops.yaml")
    book = load_workbook(__import__("io").BytesIO(workbook_bytes(deck)))
    for sheet, first in (("Personas", 2), ("RBAC Dev", 3)):
        for row, persona in enumerate(deck.personas, start=first):
            cell = book[sheet].cell(row, 1)
            assert cell.value == persona.id
            assert cell.fill.fgColor.rgb == "00" + persona.colour.hex
            assert cell.font.color.rgb in ("00FFFFFF", "001A1A1A")
    dev = book["RBAC Dev"]
    assert (dev["A1"].value, dev["B1"].value) == ("Environment", "Dev")
    assert dev.cell(2, 3).value == "Azure Data Factory"
    assert dev.cell(3, 3).value == "Contributor"


def test_same_deck_same_bytes(root, tmp_path):
    deck = cardforge.load_deck(root / "decks" / "mlops.yaml")
    assert workbook_bytes(deck) == workbook_bytes(deck)


def test_a_name_that_looks_like_a_formula_stays_text(write_deck, tmp_path):
    deck = cardforge.load_deck(
        write_deck(
            "cardforge: 1\ntitle: t\npersonas:\n  - {id: P1, name: '=HYPERLINK(\"x\")', team: '@risk'}\n"
        )
    )
    data = workbook_bytes(deck)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "=HYPERLINK" in xml
    write_xlsx(deck, tmp_path / "t.xlsx")
    back, _ = reimport([tmp_path / "t.xlsx"], tmp_path)
    assert back.personas[0].name == '=HYPERLINK("x")'


def test_export_command(root, tmp_path, capsys):
    output = tmp_path / "review.xlsx"
    assert run(["export", str(root / "decks" / "mlops.yaml"), "--xlsx", str(output)]) == 0
    assert zipfile.is_zipfile(output)
    assert "wrote" in capsys.readouterr().err
    assert run(["export", str(root / "decks" / "mlops.yaml")]) == 1
    assert run(["export", str(root / "decks" / "mlops.yaml"), "--xlsx", str(tmp_path / "x.csv")]) == 1
