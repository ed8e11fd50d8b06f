"""The rest of the persona method: goals and roles, where personas live, use cases and stories."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

import cardforge
from cardforge.diagnostics import Report
from cardforge.layout.flow import Unit, balanced
from cardforge.model import Partner
from cardforge.model.lint import lint
from cardforge.spec.jsonschema import deck_schema
from cardforge.spec.slides import KINDS, SECTIONS
from checks import run_cli, slide_xml, structural_problems

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

DECK = """\
cardforge: 1
title: Method
teams:
  - {name: Platform Team, department: IT, group: Core team}
  - {name: Forecast Team, department: Finance, group: Project team}
  - {name: Empty Team, department: IT}
use_cases:
  - id: UC1
    name: Forecast
    category: discriminative
    architecture: lambda
    description: Weekly forecast per store
    stories:
      - {persona: P001, want: clean sales data, so_that: the model trains on complete data}
      - {persona: p002, want: to compare models}
  - id: UC2
    name: Chat
    architecture: rag-chat
    stories:
      - {persona: P002, want: grounded answers}
personas:
  - id: P001
    name: Data Engineer
    team: Platform Team
    goal: Reliable data
    responsibilities: [Builds ingestion, Curates the lake]
    example_roles: [ETL Developer, Data Engineer]
    interacts_with: [Forecast Team, Vendor Support Desk]
    architectures: [lambda]
    services: [Azure Data Factory]
  - id: P002
    name: Data Scientist
    team: Forecast Team
    architectures: [lambda]
  - id: A001
    name: Build Agent
    kind: agent
    team: Platform Team
    interacts_with: [Empty Team]
"""


def write(tmp_path: Path, text: str = DECK, name: str = "deck.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def texts(root: etree._Element) -> list[str]:
    """The text of each paragraph on a slide."""
    return ["".join(t.text or "" for t in p.iter(f"{A}t")) for p in root.iter(f"{A}p")]


def built(tmp_path: Path, deck: Path, *only: str) -> Path:
    output = tmp_path / "out.pptx"
    argv = ["build", str(deck), "-o", str(output), "-q"]
    for section in only:
        argv += ["--only", section]
    assert run_cli(argv) == 0
    return output


def test_new_keys_reach_the_model(tmp_path):
    deck = cardforge.load_deck(write(tmp_path))
    engineer = deck.persona("P001")
    assert engineer.goal == "Reliable data"
    assert engineer.responsibilities == ("Builds ingestion", "Curates the lake")
    assert engineer.example_roles == ("ETL Developer", "Data Engineer")
    platform = deck.teams["Platform Team"]
    assert (platform.department, platform.group, platform.members) == ("IT", "Core team", ["P001", "A001"])
    forecast = deck.use_cases[0]
    assert (forecast.id, forecast.categories, forecast.architecture) == ("UC1", ("discriminative",), "lambda")
    assert [(s.persona, s.want, s.so_that) for s in forecast.stories] == [
        ("P001", "clean sales data", "the model trains on complete data"),
        ("P002", "to compare models", None),  # the id as the deck defines it
    ]


def test_a_team_named_only_in_interacts_with_is_implied(tmp_path):
    report = Report()
    deck = cardforge.load_deck(write(tmp_path), report=report)
    assert report.errors == [] and report.warnings == []
    outside = deck.teams["Vendor Support Desk"]
    assert outside.external and not outside.declared and outside.members == []
    assert Partner("team", "Vendor Support Desk") in deck.persona("P001").interacts_with


def test_a_near_miss_of_a_known_team_warns_at_its_place(tmp_path):
    path = write(tmp_path, DECK.replace("[Forecast Team, Vendor Support Desk]", "[Forecast Teem]"))
    report = Report()
    cardforge.load_deck(path, report=report)
    assert [str(w) for w in report.warnings] == [
        f"{path}:28:22: warning: `Forecast Teem` is neither a known team nor a persona id and becomes a team "
        "outside the deck; did you mean `Forecast Team`? [CF001]"
    ]


def test_a_near_miss_of_a_persona_id_warns_too(tmp_path):
    text = DECK.replace("interacts_with: [Empty Team]", "interacts_with: [P00l]")
    report = Report()
    cardforge.load_deck(write(tmp_path, text), report=report)
    assert any("`P00l`" in str(w) and "did you mean `P00" in str(w) for w in report.warnings), report.warnings


def test_every_section_name_comes_from_the_registry():
    assert tuple(kind.name for kind in KINDS) == SECTIONS
    assert {"organisation", "use-cases"} <= set(SECTIONS)
    schema = deck_schema()
    base = "cardforge: 1\ntitle: t\npersonas: [{id: P1, name: N}]\n"
    import yaml

    good = yaml.safe_load(base + "slides: [organisation, use-cases, {cards: [P1]}, {architecture: lambda}]\n")
    jsonschema.validate(good, schema)
    for bad in (
        "slides: [organisaton]\n",
        "slides: [{cards: {persona: [P1]}}]\n",
        "slides: [{rbac: {x: 1}}]\n",
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(base + bad), schema)


def test_only_accepts_the_new_sections_and_their_aliases(tmp_path):
    output = built(tmp_path, write(tmp_path), "organization", "use-cases")
    titles = [texts(root)[0] for _, root in slide_xml(output)]
    assert titles == ["Where the personas live", "UC1: Forecast", "UC2: Chat"]


def test_organisation_shows_every_persona_once_under_its_department_group_and_team(tmp_path):
    output = built(tmp_path, write(tmp_path), "organisation")
    ((_, root),) = slide_xml(output)
    lines = texts(root)
    for heading in ("IT", "Finance", "Core team", "Project team", "Platform Team", "Forecast Team"):
        assert heading in lines
    chips = [line for line in lines if re.fullmatch(r"[PA]\d{3}", line)]
    assert sorted(chips) == ["A001", "P001", "P002"]
    assert "Build Agent  agent" in lines  # agents are marked
    assert "e.g. ETL Developer, Data Engineer" in lines
    assert "No persona in this team yet" in lines  # a declared team nobody fills
    assert "Outside this deck; worked with by P001" in lines
    assert lines.index("IT") < lines.index("Core team") < lines.index("Platform Team") < lines.index("P001")
    assert structural_problems(output) == []


def test_sixty_personas_flow_over_balanced_organisation_slides(tmp_path):
    from corpus import generated_deck

    output = built(tmp_path, write(tmp_path, generated_deck(60)), "organisation")
    slides = slide_xml(output)
    chips = [line for _, root in slides for line in texts(root) if re.fullmatch(r"P\d{3}", line)]
    assert sorted(chips) == [f"P{i:03d}" for i in range(1, 61)]  # each once, over all slides
    per_slide = [sum(bool(re.fullmatch(r"P\d{3}", line)) for line in texts(root)) for _, root in slides]
    assert min(per_slide) * 3 >= max(per_slide), per_slide  # no sparse continuation slide
    sizes = [int(r.get("sz")) for _, root in slides for r in root.iter(f"{A}rPr")]
    assert min(sizes) >= 1000


def test_a_row_taller_than_the_slide_is_cut_between_words_and_stays_on_it(tmp_path):
    """A name typed over many lines reads as one line; fifty long example roles end in an
    ellipsis after a few lines, between words: the slide is built, and nothing leaves it."""
    role = " ".join(["word"] * 38)
    roles = "".join(f'      - "{role} {i}"\n' for i in range(50))
    deck = (
        'cardforge: 1\ntitle: Org\npersonas:\n  - id: P001\n    name: "0\\n0\\n0\\n0"\n'
        f"  - id: P002\n    name: Roles galore\n    team: Big Team\n    example_roles:\n{roles}"
    )
    output = built(tmp_path, write(tmp_path, deck), "organisation")
    ((_, root),) = slide_xml(output)
    lines = texts(root)
    assert "0 0 0 0" in lines
    roles_line = next(line for line in lines if line.startswith("e.g. "))
    assert roles_line.endswith(" …") and len(roles_line) < 1000
    assert structural_problems(output) == []


def test_use_case_slide_tells_its_stories(tmp_path):
    output = built(tmp_path, write(tmp_path), "use-cases")
    (_, first), (_, second) = slide_xml(output)
    lines = texts(first)
    assert lines[0] == "UC1: Forecast"
    assert "Discriminative AI  ·  Lambda architecture - modern analytics" in lines
    assert "Weekly forecast per store" in lines
    assert "As a Data Engineer, I want clean sales data, so that the model trains on complete data." in lines
    assert "As a Data Scientist, I want to compare models." in lines
    assert texts(second)[0] == "UC2: Chat"


def test_many_stories_continue_on_numbered_balanced_slides(tmp_path):
    stories = "".join(
        f"      - {{persona: P00{1 + i % 2}, want: outcome number {i} described at some length so that it wraps}}\n"
        for i in range(40)
    )
    text = DECK.replace(
        "      - {persona: P002, want: grounded answers}\n",
        "      - {persona: P002, want: grounded answers}\n" + stories,
    )
    output = built(tmp_path, write(tmp_path, text), "use-cases")
    titles = [texts(root)[0] for _, root in slide_xml(output)]
    chat = [t for t in titles if t.startswith("UC2")]
    assert len(chat) > 1 and chat == [f"UC2: Chat ({i} of {len(chat)})" for i in range(1, len(chat) + 1)]
    counts = [
        sum(line.startswith("As a ") for line in texts(root))
        for _, root in slide_xml(output)
        if texts(root)[0].startswith("UC2")
    ]
    assert sum(counts) == 41 and min(counts) * 3 >= max(counts), counts


def test_lint_asks_for_the_stories_a_use_case_needs(tmp_path):
    text = DECK.replace(
        "      - {persona: P002, want: grounded answers}\n", "      - {persona: P001, want: answers}\n"
    )
    deck = cardforge.load_deck(write(tmp_path, text))
    found = {(f.code, f.personas) for f in lint(deck) if f.code in ("CF110", "CF111", "CF112")}
    assert ("CF110", ("A001",)) in found  # the agent has no story
    assert ("CF111", ("P001",)) in found  # UC2's stories are all P001's
    assert ("CF112", ("P001",)) in found  # P001 neither works in rag-chat nor uses a component of it
    assert ("CF112", ("P002",)) not in found
    report = Report()
    from cardforge.model.lint import report_findings

    report_findings(deck, lint(deck), report)
    positions = {d.code: (d.position.line, d.position.column) for d in report.warnings}
    story = text.splitlines().index("      - {persona: P001, want: answers}") + 1
    assert positions["CF112"] == (story, 19)  # the story's persona
    assert positions["CF111"] == (story, 7)  # UC2's list of stories


def test_lint_codes_can_be_silenced(tmp_path):
    deck = cardforge.load_deck(write(tmp_path, DECK + "lint: {disable: [CF110, cf111, CF112]}\n"))
    assert not [f for f in lint(deck) if f.code in ("CF110", "CF111", "CF112")]


def test_example_decks_use_the_new_keys():
    deck = cardforge.load_deck(MLOPS)
    assert all(p.goal and p.example_roles for p in deck.personas)
    assert all(t.department and t.group for t in deck.teams.values())
    assert len(deck.use_cases) >= 2 and all(len(u.stories) >= 2 for u in deck.use_cases)


def test_starter_deck_shows_every_new_key(tmp_path):
    starter = tmp_path / "starter.yaml"
    assert run_cli(["init", str(starter)]) == 0
    text = starter.read_text(encoding="utf-8")
    for key in (
        "goal:",
        "responsibilities:",
        "example_roles:",
        "department:",
        "group:",
        "use_cases:",
        "so_that:",
    ):
        assert key in text
    deck = cardforge.load_deck(starter)
    assert deck.use_cases and deck.persona("P001").responsibilities


def test_flow_keeps_headings_with_their_rows_and_balances_pages():
    heading = Unit(10, "heading", keep_with_next=True)
    units = [heading, *[Unit(10, f"row {i}", repeat=heading) for i in range(9)]]
    pages, _height = balanced(units, columns=2, height=40)
    assert len(pages) == 2
    columns = [column for page in pages for column in page]
    assert all(column[0].unit.item == "heading" for column in columns)  # repeated where it continues
    assert [p.continued for p in columns[1][:1]] == [True]
    rows = [len([p for p in column if p.unit.item != "heading"]) for column in columns]
    assert sum(rows) == 9 and max(rows) - min(rows) <= 1, rows


def test_schema_file_lists_the_new_keys():
    schema = json.dumps(deck_schema())
    for key in ('"goal"', '"responsibilities"', '"example_roles"', '"department"', '"group"', '"use_cases"'):
        assert key in schema


def test_new_slides_are_valid(tmp_path):
    output = built(tmp_path, write(tmp_path))
    assert structural_problems(output) == []
    with zipfile.ZipFile(output) as package:
        assert package.testzip() is None


def test_card_services_link_to_the_rbac_slide_with_the_personas_roles(tmp_path):
    """A granted service links to the RBAC slide showing the persona's roles on it; one with a
    link of its own keeps it and gains a "roles" link; without an RBAC slide there is none."""
    from pptx import Presentation as OpenPptx

    output = tmp_path / "deck.pptx"
    deck = cardforge.load_deck(MLOPS)
    cardforge.build(deck, output)
    prs = OpenPptx(str(output))
    slides = list(prs.slides)
    card = next(
        s for s in slides if s.shapes.title is not None and s.shapes.title.text.startswith("AI Data Engineer")
    )
    targets: dict[str, set[str]] = {}
    for shape in card.shapes:
        for paragraph in shape.text_frame.paragraphs if shape.has_text_frame else ():
            text = "".join(run.text for run in paragraph.runs)
            for run in paragraph.runs:
                if run.hyperlink.address:
                    targets.setdefault(text, set()).add(run.hyperlink.address)
    factory = targets["Azure Data Factory · roles"]
    assert "https://learn.microsoft.com/azure/data-factory/introduction" in factory
    (slide_part,) = factory - {"https://learn.microsoft.com/azure/data-factory/introduction"}
    rbac = next(s for s in slides if s.part.partname.endswith(slide_part))
    assert rbac.shapes.title.text.startswith("Access in")
    cells = {
        c.text for shape in rbac.shapes if shape.has_table for row in shape.table.rows for c in row.cells
    }
    assert "P001" in cells and "Azure Data Factory" in cells
    only_cards = tmp_path / "cards.pptx"
    cardforge.build(deck, only_cards, sections=[s for s in deck.sections if s.kind == "cards"])
    card = OpenPptx(str(only_cards)).slides[0]
    texts = [p.text for shape in card.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
    assert "Azure Data Factory" in texts and not any(t.endswith("· roles") for t in texts)
