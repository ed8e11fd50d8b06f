"""Reading rules of the deck format: text stays text, unusual decks build, the schema is usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pptx import Presentation as OpenPptx

import cardforge
from cardforge.cli import main
from cardforge.diagnostics import Report
from cardforge.model import Partner

ROOT = Path(__file__).resolve().parent.parent


def test_scalars_stay_the_text_written(write_deck):
    deck = cardforge.load_deck(
        write_deck(
            "cardforge: 1\ntitle: 1.10\nsubtitle: 12:30\npersonas:\n"
            "  - {id: NO, name: no, team: on, skills: [yes, 0x1F, 1e3, null-ish], scope: ~x}\n"
        )
    )
    persona = deck.personas[0]
    assert deck.title == "1.10" and deck.subtitle == "12:30"
    assert (persona.id, persona.name, persona.team) == ("NO", "no", "on")
    assert persona.skills == ("yes", "0x1F", "1e3", "null-ish")


def test_numbers_and_booleans_parse_where_fields_want_them(write_deck):
    deck = cardforge.load_deck(
        write_deck(
            "cardforge: 1\ntitle: t\npersonas: [{id: P1, name: A}]\n"
            "print: {card_size: Poker, paper: letter, crop_marks: no, backs: yes, bleed: 3}\n"
        )
    )
    assert (deck.print_options.card_size, deck.print_options.paper) == ("poker", "Letter")
    assert deck.print_options.crop_marks is False and deck.print_options.backs is True
    assert deck.print_options.bleed == 3.0


def test_omitted_colours_take_the_next_unused_palette_colours(write_deck):
    deck = cardforge.load_deck(
        write_deck(
            "cardforge: 1\ntitle: t\npersonas:\n"
            "  - {id: P1, name: A}\n  - {id: P2, name: B, colour: dark blue}\n"
            "  - {id: P3, name: C, color: '#12AB9F'}\n  - {id: P4, name: D}\n"
        )
    )
    colours = [p.colour.name for p in deck.personas]
    assert colours[1:3] == ["Dark Blue", "#12AB9F"]
    assert colours[0] != "Dark Blue" and colours[3] not in ("Dark Blue", colours[0])
    assert deck.personas[1].title == "B (P2 | Dark Blue)"
    assert deck.personas[2].title == "C (P3 | #12AB9F)"


def test_unusual_deck_builds(write_deck, tmp_path):
    """No colours, a custom architecture, non-Latin names, an agent, links by text."""
    path = write_deck(
        """\
cardforge: 1
title: Персоны и роли · 人物卡片
organisation: Ōsaka Data Lab
language: ja
architectures:
  - id: plat
    title: 自社データ基盤
    layers:
      - name: Ingest
        components: [{id: adf, name: Azure Data Factory}]
      - name: Store
        components: [{id: lake, name: Data Lake, aliases: [ADLS]}]
    flows: [{from: adf, to: lake, label: "1"}]
personas:
  - id: 甲1
    name: データエンジニア
    architectures: [plat]
    services: [Azure Data Factory, ADLS]
    learn: [https://learn.microsoft.com/azure/data-factory/]
  - id: A-2
    name: وكيل البناء
    kind: Agent
    interacts_with: [甲1]
    skills: [Python, "C#", 🚀 Rocketry]
  - id: P3
    name: Jyväskylän analyytikko
    people: [Åsa Öberg]
"""
    )
    deck = cardforge.load_deck(path)
    assert deck.architectures["plat"].title == "自社データ基盤"
    assert deck.personas[1].interacts_with == (Partner("persona", "甲1"),)
    output = tmp_path / "unusual.pptx"
    cardforge.build(deck, output)
    from checks import card_slides

    titles = [s.shapes.title.text_frame.text for s in card_slides(OpenPptx(str(output)))]
    assert titles[0] == f"データエンジニア (甲1 | {deck.personas[0].colour.name})"
    assert len(titles) == 3


def test_overfull_card_is_shortened_with_warning_and_notes(write_deck, tmp_path):
    services = "".join(f"      - Service number {i} with a long descriptive name\n" for i in range(40))
    path = write_deck(
        "cardforge: 1\ntitle: t\npersonas:\n  - id: P1\n    name: Overloaded\n    services:\n"
        + services
        + "    skills: ["
        + ", ".join(f"Skill{i}" for i in range(40))
        + "]\n"
    )
    report = Report()
    deck = cardforge.load_deck(path, report=report)
    output = tmp_path / "full.pptx"
    cardforge.build(deck, output, report=report)
    warnings = [str(w) for w in report.warnings]
    assert any(
        f"{path}:7:7: warning:" in w and "`services`" in w and "speaker notes" in w for w in warnings
    ), warnings
    from checks import card_slides

    slide = card_slides(OpenPptx(str(output)))[0]
    shown = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "more (see notes)" in shown
    notes = slide.notes_slide.notes_text_frame.text
    for i in range(40):
        assert f"Service number {i} with" in notes

    from checks import overflow_findings

    assert overflow_findings(output) == []


def test_schema_command_prints_a_usable_json_schema(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    with pytest.raises(SystemExit) as exit_info:
        main(["schema"])
    assert exit_info.value.code in (0, None)
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["required"]) == {"cardforge", "title", "personas"}
    for deck in sorted((ROOT / "decks").glob("*.yaml")):
        data = yaml.load(deck.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # scalars as text
        data["cardforge"] = int(data["cardforge"])
        _ints_and_bools(data)
        jsonschema.validate(data, schema)


def _ints_and_bools(data: dict) -> None:
    printing = data.get("print") or {}
    for key in ("crop_marks", "backs"):
        if key in printing:
            printing[key] = printing[key] == "true"


def test_init_writes_a_deck_that_builds(tmp_path):
    starter = tmp_path / "starter.yaml"
    with pytest.raises(SystemExit) as exit_info:
        main(["init", str(starter)])
    assert exit_info.value.code in (0, None)
    deck = cardforge.load_deck(starter)
    assert [p.id for p in deck.personas] == ["P001", "P002"]
    with pytest.raises(SystemExit) as exit_info:
        main(["init", str(starter)])
    assert exit_info.value.code == 1


def test_validate_reports_ok(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(ROOT / "decks" / "mlops.yaml")])
    assert exit_info.value.code in (0, None)
    assert "decks/mlops.yaml: 11 personas" in capsys.readouterr().err.replace("\\", "/")
