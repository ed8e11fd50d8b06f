"""`cardforge import`: Markdown tables and cards, CSV and Excel into a deck that builds.

The fixture ``fixtures/import/ai-factory.md`` is a persona table of eleven personas in ten
columns followed by five template cards of the same personas, with the quirks found in
real wiki pages: ids glued to names, stray spaces, missing spaces after commas, empty link
targets, ``-`` for none, a typo in a team, a row with one cell too many, a card heading
that disagrees with its Name line and a card that reuses another persona's id.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

import pytest
import yaml

import cardforge
from cardforge.diagnostics import CODES, Report
from cardforge.importers import import_personas
from cardforge.importers.deckwriter import scalar
from cardforge.layout.labels import partner_labels
from cardforge.spec.deck import PersonaSpec
from checks import run_cli as run

FIXTURES = Path(__file__).parent / "fixtures" / "import"
AI_FACTORY = FIXTURES / "ai-factory.md"
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<text>.*)$"
)


def imported(sources: list[Path], tmp_path: Path, **options) -> tuple[str | None, Report]:
    report = Report()
    result = import_personas(sources, tmp_path / "deck.yaml", report=report, **options)
    return (result.text if result else None), report


def lines_of(capsys) -> list[re.Match]:
    err = capsys.readouterr().err
    return [m for m in (DIAGNOSTIC.match(line) for line in err.splitlines()) if m]


def where(match: re.Match) -> tuple[int, int, str]:
    return int(match["line"]), int(match["column"]), match["severity"]


# The Markdown fixture: a ten-column persona table and five cards of the same personas


def test_table_and_cards_import_into_a_deck_that_builds(tmp_path, capsys):
    deck_file = tmp_path / "ai.yaml"
    assert run(["import", str(AI_FACTORY), "-o", str(deck_file)]) == 0
    found = {(int(m["line"]), m["text"].split("[")[-1].rstrip("]")) for m in lines_of(capsys)}
    assert found == {
        (16, "CF554"),  # Agentic is not a built-in architecture
        (17, "CF554"),  # nor are three others (the typo `ventdriven` among them)
        (18, "CF556"),  # `Engineering Tem`
        (20, "CF554"),  # SaaS
        (21, "CF557"),  # an eleventh cell
        (40, "CF553"),  # heading `AI Analyst`, Name line `BI Analyst`
        (59, "CF551"),  # `Favourite tools` names no field
        (79, "CF553"),  # the Chat Developer card says P006, the table P007
    }
    deck = cardforge.load_deck(deck_file)
    assert [p.id for p in deck.personas] == [f"P{n:03d}" for n in range(1, 12)]
    result = cardforge.build(deck, tmp_path / "ai.pptx")
    assert result.slides > 11
    assert (tmp_path / "ai.pptx").stat().st_size > 0


def test_names_ids_links_and_none_are_read_as_meant(tmp_path):
    text, report = imported([AI_FACTORY], tmp_path)
    assert report.ok and text
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    deck = cardforge.load_deck(tmp_path / "deck.yaml")
    p1, p2, p3 = deck.persona("P001"), deck.persona("P002"), deck.persona("P003")
    assert p1.name == "AI Data Engineer"  # `AI Data Engineer(P001)`: no space before the id
    assert p1.skills == ("SQL", "Python", "PySpark")  # `SQL,Python,  PySpark`
    services = {s.name: s.url for s in p1.services}
    assert services["Azure Data Factory"] == "https://learn.microsoft.com/azure/data-factory/introduction"
    assert services["Azure Databricks"] == "https://learn.microsoft.com/azure/databricks/"  # from the card
    assert services["Azure Storage"] is None  # `[Azure Storage]()`: a plain name
    assert "Azure SQL Database" in services  # only the card lists it
    assert [link.title for link in p1.learn][:2] == [
        "DataOps for the modern data warehouse",
        "Apply DataOps in Azure Data Factory",
    ]
    assert p2.team == "Data Ingestion Team"  # ` Data Ingestion Team`: stray space
    assert p2.learn == ()  # `-`
    assert (p1.colour.name, p3.colour.name, deck.persona("P004").colour.name) == (
        "Dark Blue",
        "Purple",
        "Light Blue",  # written `Light blue`
    )
    assert deck.persona("P006").skills[2] == "Model (LLM, SLM) knowledge"  # comma inside parentheses
    assert partner_labels(deck, deck.persona("P003")) == ["Data Engineer"]
    assert partner_labels(deck, deck.persona("P011")) == ["All teams"]
    assert deck.persona("P006").architectures == ("rag-chat",)
    assert deck.persona("P008").scope is None and deck.persona("P008").architectures == ()


def test_card_with_a_wrong_id_merges_by_name(tmp_path):
    text, _ = imported([AI_FACTORY], tmp_path)
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    deck = cardforge.load_deck(tmp_path / "deck.yaml")
    chat, scientist = deck.persona("P007"), deck.persona("P006")
    assert chat.name == "GenAI Chat Developer" and chat.colour.name == "Light Green"
    assert chat.learn[0].url == "https://learn.microsoft.com/azure/static-web-apps/deploy-react"
    assert scientist.name == "GenAI Data Scientist" and scientist.colour.name == "Light Blue"


def test_what_no_field_holds_is_kept_in_the_notes(tmp_path):
    text, _ = imported([AI_FACTORY], tmp_path)
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    deck = cardforge.load_deck(tmp_path / "deck.yaml")
    assert deck.persona("P004").notes == "Favourite tools: Jupyter, VS Code"
    assert deck.persona("P006").notes == "Related Architecture: Agentic"
    assert "ventdriven processing" in deck.persona("P007").notes
    assert deck.persona("P011").notes == "Extra cell 11: weekly status"


def test_the_deck_is_commented_and_says_where_each_persona_came_from(tmp_path):
    text, _ = imported([AI_FACTORY], tmp_path)
    assert text.startswith("# Imported by `cardforge import` from")
    assert f"# from {AI_FACTORY}:11 (table row), {AI_FACTORY}:25 (card)" in text
    assert "kind: agent  # from the name; change it if this is a person" in text
    assert "- name: Data Engineer  # named only as a team personas work with" in text
    assert "\n  - id: P002\n    name: Analyst Data Engineer\n" in text


def test_same_sources_give_the_same_deck(tmp_path):
    first, _ = imported([AI_FACTORY], tmp_path)
    second, _ = imported([AI_FACTORY], tmp_path)
    assert first == second


def test_fields_the_validator_does_not_read_yet_go_to_the_notes(tmp_path):
    source = tmp_path / "p.md"
    source.write_text(
        "| Persona | Goal | Responsibilities | Example roles |\n|---|---|---|---|\n"
        "| Data Engineer (P1) | Fresh data every morning | Ingestion, Curation | ETL Developer |\n",
        encoding="utf-8",
    )
    text, report = imported([source], tmp_path)
    data = yaml.safe_load(text)["personas"][0]
    for key, value in (
        ("goal", "Fresh data every morning"),
        ("responsibilities", ["Ingestion", "Curation"]),
        ("example_roles", ["ETL Developer"]),
    ):
        if key in PersonaSpec.model_fields:
            assert data[key] == value
        else:
            assert key not in data
            assert any(d.code == "CF554" and "does not read it yet" in d.message for d in report.warnings)
    if "goal" not in PersonaSpec.model_fields:
        assert data["notes"].splitlines()[0] == "Goal: Fresh data every morning"


# Markdown shapes


def test_cards_as_paragraph_lines_field_tables_and_sub_headings(tmp_path):
    source = tmp_path / "cards.md"
    source.write_text(
        "# Workshop\n\n"
        "## Persona: Platform Engineer\n\n"
        "**Name:** Platform Engineer (PE1 | #12AB9F)  \n**Team:** Platform Team  \n**Skills**: Bicep; Terraform\n\n"
        "## Prompt Engineer (PE2 | Gold)\n\n"
        "| Field | Value |\n| --- | --- |\n| **Team** | AI Team |\n| **Processes** | GenAIOps |\n\n"
        "### Skills\n\n- Prompt design\n- Evaluation, red teaming\n\n"
        "### Links to learn\n\n- [Prompt engineering](https://learn.microsoft.com/azure/ai-services/openai/)\n",
        encoding="utf-8",
    )
    text, report = imported([source], tmp_path)
    assert report.ok, report.sorted()
    personas = yaml.safe_load(text)["personas"]
    assert personas[0] == {
        "id": "PE1",
        "name": "Platform Engineer",
        "colour": "#12AB9F",
        "team": "Platform Team",
        "skills": ["Bicep", "Terraform"],
    }
    assert personas[1]["skills"] == ["Prompt design", "Evaluation, red teaming"]  # a list item is one item
    assert personas[1]["learn"] == [
        {"title": "Prompt engineering", "url": "https://learn.microsoft.com/azure/ai-services/openai/"}
    ]
    assert yaml.safe_load(text)["title"] == "Workshop"


def test_a_table_of_other_things_is_skipped_with_a_warning(tmp_path, capsys):
    source = tmp_path / "p.md"
    source.write_text(
        "| Term | Meaning |\n|---|---|\n| RAG | Retrieval |\n\n"
        "| Persona | Team |\n|---|---|\n| Analyst (A1) | BI |\n",
        encoding="utf-8",
    )
    text, report = imported([source], tmp_path)
    assert text is not None
    assert [(d.position.line, d.code) for d in report.warnings] == [(1, "CF558")]


# Bad input: clear positioned errors, exit 1, nothing written


def _fails(capsys, tmp_path: Path, sources: list[Path], *extra: str) -> list[re.Match]:
    output = tmp_path / "out.yaml"
    assert run(["import", *map(str, sources), "-o", str(output), *extra]) == 1
    assert not output.exists()
    return [m for m in lines_of(capsys) if m["severity"] == "error"]


def test_markdown_table_of_persona_fields_without_a_persona_column(tmp_path, capsys):
    source = tmp_path / "p.md"
    source.write_text(
        "Intro\n\n| Team | Skills | Scope |\n|---|---|---|\n| AI Team | SQL | All |\n", encoding="utf-8"
    )
    errors = _fails(capsys, tmp_path, [source])
    assert [where(m) for m in errors] == [(3, 1, "error")]
    assert "no persona column" in errors[0]["text"] and "`Persona` or `Name`" in errors[0]["text"]


def test_duplicate_ids_in_a_table(tmp_path, capsys):
    source = tmp_path / "p.md"
    source.write_text(
        "| ID | Persona |\n|---|---|\n| P1 | Analyst |\n| P2 | Engineer |\n|  p1 | Scientist |\n",
        encoding="utf-8",
    )
    errors = _fails(capsys, tmp_path, [source])
    assert [where(m) for m in errors] == [(5, 4, "error")]
    assert "id `p1` appears twice in this table (first at" in errors[0]["text"]


def test_a_card_that_takes_another_personas_id(tmp_path, capsys):
    source = tmp_path / "p.md"
    source.write_text(
        "### Persona Template Card: Analyst\n* **Name**: Analyst (P1 | Purple)\n\n"
        "### Persona Template Card: Tester\n* **Name**: Tester (P1 | Gold)\n",
        encoding="utf-8",
    )
    errors = _fails(capsys, tmp_path, [source])
    assert [where(m) for m in errors] == [(5, 3, "error")]
    assert "id `P1` is already `Analyst`" in errors[0]["text"]


def test_a_row_without_a_name_and_an_invalid_id(tmp_path, capsys):
    source = tmp_path / "p.csv"
    source.write_text("ID,Persona,Team\nP 1,Analyst,BI\nP2,,BI\n", encoding="utf-8")
    errors = _fails(capsys, tmp_path, [source])
    assert [where(m) for m in errors] == [(2, 1, "error"), (3, 4, "error")]
    assert "`P 1` cannot be a persona id" in errors[0]["text"]
    assert "no persona name under `Persona`" in errors[1]["text"]


def test_csv_in_windows_1252_names_the_encoding(tmp_path, capsys):
    source = tmp_path / "p.csv"
    source.write_bytes("Persona;Team\nAnalyst;Équipe BI\n".encode("cp1252"))
    errors = _fails(capsys, tmp_path, [source])
    assert [where(m) for m in errors] == [(2, 9, "error")]
    assert "Windows-1252" in errors[0]["text"] and "CSV UTF-8" in errors[0]["text"]


def test_csv_in_utf16_names_the_encoding(tmp_path, capsys):
    source = tmp_path / "p.csv"
    source.write_bytes(codecs.BOM_UTF16_LE + "Persona\tTeam\nAnalyst\tBI\n".encode("utf-16-le"))
    errors = _fails(capsys, tmp_path, [source])
    assert "UTF-16 (little-endian), by its byte-order mark" in errors[0]["text"]


def test_huge_source_is_refused_before_reading(tmp_path, capsys, monkeypatch):
    import cardforge.importers.sources as sources

    source = tmp_path / "p.md"
    source.write_text("| Persona |\n|---|\n" + "| Analyst |\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(sources, "MAX_TEXT_BYTES", 4096)
    opened = []
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self))
    errors = _fails(capsys, tmp_path, [source])
    assert "an import source may be at most 4,096 bytes" in errors[0]["text"]
    assert opened == []


def test_a_text_file_named_xlsx_is_not_a_workbook(tmp_path, capsys):
    source = tmp_path / "p.xlsx"
    source.write_text("Persona,Team\nAnalyst,BI\n", encoding="utf-8")
    errors = _fails(capsys, tmp_path, [source])
    assert "not an Excel workbook" in errors[0]["text"]


def test_a_zip_that_is_a_word_document(tmp_path, capsys):
    source = tmp_path / "p.xlsx"
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
    errors = _fails(capsys, tmp_path, [source])
    assert "this is a Word document, not an Excel workbook" in errors[0]["text"]


def test_a_password_protected_workbook(tmp_path, capsys):
    errors = _fails(capsys, tmp_path, [FIXTURES / "password-protected.xlsx"])
    assert [where(m) for m in errors] == [(1, 1, "error")]
    assert "password-protected" in errors[0]["text"]


def test_an_old_xls_workbook(tmp_path, capsys):
    source = tmp_path / "old.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    errors = _fails(capsys, tmp_path, [source])
    assert "Excel 97-2003 (.xls)" in errors[0]["text"]


def test_a_workbook_that_unpacks_too_far(tmp_path, capsys, monkeypatch):
    import cardforge.importers.tables as tables

    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1000)
    source = tmp_path / "p.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/workbook.xml", " " * 5000)
    errors = _fails(capsys, tmp_path, [source])
    assert "unpacks to 5,000 bytes" in errors[0]["text"]


def test_an_existing_output_is_kept_unless_forced(tmp_path, capsys):
    output = tmp_path / "deck.yaml"
    output.write_text("mine", encoding="utf-8")
    assert run(["import", str(AI_FACTORY), "-o", str(output)]) == 1
    assert output.read_text(encoding="utf-8") == "mine"
    assert run(["import", str(AI_FACTORY), "-o", str(output), "--force", "-q"]) == 0
    assert output.read_text(encoding="utf-8").startswith("# Imported")


def test_every_import_code_is_documented():
    codes = set(
        re.findall(
            r"\"(CF5\d\d)\"",
            (Path(cardforge.__file__).parent / "importers")
            .joinpath("__init__.py")
            .read_text(encoding="utf-8"),
        )
    )
    for module in (Path(cardforge.__file__).parent / "importers").glob("*.py"):
        codes |= set(re.findall(r"\"(CF5\d\d)\"", module.read_text(encoding="utf-8")))
    assert codes and codes <= set(CODES)


# CSV and workbooks


def test_csv_with_bom_semicolons_and_quoted_line_breaks(tmp_path):
    source = tmp_path / "p.csv"
    source.write_bytes(
        codecs.BOM_UTF8
        + b'Persona;Team;Skills;Certs\nAnalyst (A1);BI;"SQL\nDAX";PL-300\n"Engineer; data (A2)";Data;Python;-\n'
    )
    text, report = imported([source], tmp_path)
    personas = yaml.safe_load(text)["personas"]
    assert personas[0]["skills"] == ["SQL", "DAX"]
    assert personas[0]["notes"] == "Certs: PL-300"
    assert personas[1]["name"] == "Engineer; data"
    assert "notes" not in personas[1]
    assert [(d.file, d.position, d.code) for d in report.warnings] == [(str(source), (1, 21), "CF551")]


def _user_workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Overview"
    book.active.append(["This workbook lists our personas"])
    sheet = book.create_sheet("Our personas")
    sheet.append(["ID", "Persona", "Area or Team", "Skils", "Budget code"])
    sheet.append(["P1", "Analyst", "BI", "SQL, DAX", 4711])
    sheet.append([None, None, None, None, None])
    sheet.append(["P2", "Engineer", "Data", "Python", 12.5])
    book.save(path)


def test_workbook_sheet_by_name_with_cells_named_in_warnings(tmp_path):
    source = tmp_path / "people.xlsx"
    _user_workbook(source)
    text, report = imported([source], tmp_path, sheet="our personas")
    personas = yaml.safe_load(text)["personas"]
    assert [p["skills"] for p in personas] == [["SQL", "DAX"], ["Python"]]
    assert [p["notes"] for p in personas] == ["Budget code: 4711", "Budget code: 12.5"]
    shown = [str(d) for d in report.warnings]
    assert shown == [
        f"{source}:1:4: warning: 'Our personas'!D1: column `Skils` read as Skills; "
        "rename it `Skills` to confirm, or after the field it holds [CF552]",
        f"{source}:1:5: warning: 'Our personas'!E1: column `Budget code` matches no persona field, so its "
        "values go to each persona's notes; name it after a persona field (ID, Persona, Colour, Kind, Category, "
        "Team, Primary interaction, Processes, Architecture, Scope, Services, Data access, ...) to map it [CF551]",
    ]


def test_workbook_first_sheet_without_personas_points_at_sheet_option(tmp_path, capsys):
    source = tmp_path / "people.xlsx"
    _user_workbook(source)
    errors = _fails(capsys, tmp_path, [source])
    assert "Overview!A1: this table has no persona column" in errors[0]["text"]
    assert "--sheet (the others are Our personas)" in errors[0]["text"]
    errors = _fails(capsys, tmp_path, [source], "--sheet", "Personas")
    assert "no sheet `Personas`; did you mean `Our personas`?" in errors[0]["text"]


# The deck writer


@pytest.mark.parametrize(
    "text",
    ["no", "1.10", "12:30", "Data: lake", "#1 fan", "- dash", "null", "~", "[x]", "a, b", "x #y", "ok"],
)
def test_scalars_read_back_as_written(text):
    assert yaml.safe_load(f"key: {scalar(text)}") == {"key": text}
    assert yaml.safe_load(f"key: [{scalar(text, flow=True)}]") == {"key": [text]}


def test_odd_names_survive_the_deck_writer(tmp_path):
    source = tmp_path / "p.csv"
    source.write_text(
        'Persona,Team,Notes\n"no (P1)",on,"line one\nline two"\n"Data: lake (P2)",#hash,\n"=1+1 (P3)",- dash,\n',
        encoding="utf-8",
    )
    text, _report = imported([source], tmp_path)
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    deck = cardforge.load_deck(tmp_path / "deck.yaml")
    assert [(p.name, p.team) for p in deck.personas] == [
        ("no", "on"),
        ("Data: lake", "#hash"),
        ("=1+1", "- dash"),
    ]
    assert deck.personas[0].notes == "line one\nline two"


def test_an_overlong_line_is_refused_before_parsing(tmp_path, capsys):
    source = tmp_path / "p.md"
    source.write_text("| Persona |\n|---|\n| " + "[a](" * 20000 + " |\n", encoding="utf-8")
    errors = _fails(capsys, tmp_path, [source])
    assert [where(m) for m in errors] == [(3, 65537, "error")]
    assert "line 3 is 80,004 characters long" in errors[0]["text"]


def test_sheet_option_needs_a_workbook(tmp_path, capsys):
    assert run(["import", str(AI_FACTORY), "-o", str(tmp_path / "d.yaml"), "--sheet", "Personas"]) == 1
    assert "no source is an .xlsx workbook" in capsys.readouterr().err
    assert not (tmp_path / "d.yaml").exists()


def test_sources_of_several_kinds_in_one_deck(tmp_path):
    extra = tmp_path / "more.csv"
    extra.write_text(
        "Persona,Team,People\nAI Data Engineer (P001),Data Ingestion Team,Ann Lee\nTester,QA,-\n"
    )
    text, report = imported([AI_FACTORY, extra], tmp_path, title="Everyone")
    data = yaml.safe_load(text)
    assert data["title"] == "Everyone"
    assert data["personas"][0]["people"] == ["Ann Lee"]  # merged into P001 by id
    assert data["personas"][-1] == {"id": "P012", "name": "Tester", "team": "QA", "people": []}
    assert any(d.code == "CF555" and "given P012" in d.message for d in report.warnings)


def test_a_file_that_is_one_card_without_a_heading(tmp_path):
    source = tmp_path / "card.md"
    source.write_text(
        "* **Name**: Build Agent (A7 | Pink)\n* **Processes**: DevOps\n* **Services**: [GitHub](https://github.com)\n",
        encoding="utf-8",
    )
    text, report = imported([source], tmp_path)
    assert report.ok
    assert yaml.safe_load(text)["personas"] == [
        {
            "id": "A7",
            "name": "Build Agent",
            "colour": "Pink",
            "kind": "agent",
            "processes": ["DevOps"],
            "services": [{"name": "GitHub", "url": "https://github.com"}],
        }
    ]


def test_a_stray_cell_far_below_the_table(tmp_path, capsys):
    from openpyxl import Workbook

    source = tmp_path / "sparse.xlsx"
    book = Workbook()
    book.active.append(["Persona", "Team"])
    book.active.append(["Analyst", "BI"])
    book.active["XFD1000000"] = "stray"
    book.save(source)
    text, report = imported([source], tmp_path)
    assert yaml.safe_load(text)["personas"] == [{"id": "P001", "name": "Analyst", "team": "BI"}]
    assert [(d.code, d.message) for d in report.warnings if d.code != "CF555"] == [
        (
            "CF559",
            "Sheet!A1: the sheet reaches XFD1000000, so only rows up to 20,000 and columns up to GS are read",
        )
    ]
