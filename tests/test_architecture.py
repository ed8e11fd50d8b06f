"""Architecture slides: zones, components, glued flows, persona badges, scale and splits."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation as OpenPptx

import cardforge
from cardforge.cli import main
from checks import NS, boxes, overflow_findings, slide_xml, structural_problems
from quality import connector_path, drawn

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"


def build(deck: Path, output: Path, *only: str) -> Path:
    argv = ["build", str(deck), "-o", str(output), "--quiet"]
    for section in only:
        argv += ["--only", section]
    try:
        main(argv)
    except SystemExit as exit_info:
        assert not exit_info.code
    return output


def check_geometry(output: Path) -> None:
    assert structural_problems(output) == []
    for name, root in slide_xml(output):
        components = [b for b in boxes(root) if b.name.startswith("component:") and b.name.count(":") == 1]
        for i, first in enumerate(components):
            for second in components[i + 1 :]:
                assert not first.overlaps(second), f"{name}: {first.name} overlaps {second.name}"
        badges = [b for b in boxes(root) if b.name.startswith("persona:")]
        for badge in badges:
            assert any(
                c.x <= badge.x
                and badge.x + badge.w <= c.x + c.w
                and c.y <= badge.y
                and badge.y + badge.h <= c.y + c.h
                for c in components
            ), f"{name}: badge outside its component"
        for connector in root.findall(".//p:cxnSp", NS):
            assert (
                connector.find(".//a:stCxn", NS) is not None and connector.find(".//a:endCxn", NS) is not None
            )


def badge_map(root) -> dict[str, set[str]]:
    """Component shape name -> persona ids of the badges inside it."""
    found: dict[str, set[str]] = {}
    all_boxes = boxes(root)
    components = [b for b in all_boxes if b.name.startswith("component:") and b.name.count(":") == 1]
    for badge in (b for b in all_boxes if b.name.startswith("persona:")):
        owner = next(
            c
            for c in components
            if c.x <= badge.x and badge.x + badge.w <= c.x + c.w and c.y <= badge.y <= c.y + c.h
        )
        found.setdefault(owner.name, set()).add(badge.name.split(":", 1)[1])
    return found


def test_lambda_slide_of_the_example_deck(tmp_path):
    output = build(DECKS / "mlops.yaml", tmp_path / "lambda.pptx", "architecture:lambda")
    check_geometry(output)
    ((_name, root),) = slide_xml(output)
    badges = badge_map(root)
    assert badges["component:adf"] >= {"P001", "P002", "P005"}
    assert "P003" in badges["component:pbi"]
    zones = [b.name for b in boxes(root) if b.name.startswith("layer:") and not b.name.endswith(":label")]
    assert zones == [
        f"layer:{n}"
        for n in (
            "Ingest",
            "Store",
            "Process",
            "Serve",
            "DW & Lakehouse",
            "Analyse & Report",
            "Govern & Monitor",
        )
    ]
    flows = [c.find(".//p:cNvPr", NS).get("name") for c in root.findall(".//p:cxnSp", NS)]
    assert len(flows) == 7 and "flow:eh->dbx" in flows
    labels = sorted(b.text for b in boxes(root) if b.name.endswith(":label") and b.name.startswith("flow:"))
    assert labels == ["1", "2", "3", "4", "5", "6", "7"]
    missing = next(b for b in boxes(root) if b.name == "Missing services")
    assert "Azure SQL Database (P001, P002)" in missing.text
    untouched = next(
        c for c in root.iter(f"{{{NS['p']}}}sp") if c.find(".//p:cNvPr", NS).get("name") == "component:bronze"
    )
    assert untouched.find(".//a:prstDash", NS).get("val") == "dash"
    assert overflow_findings(output) == []


def test_rag_chat_slide_of_the_genai_deck(tmp_path):
    output = build(DECKS / "genaiops.yaml", tmp_path / "rag.pptx", "architecture:rag-chat")
    check_geometry(output)
    ((_name, root),) = slide_xml(output)
    badges = badge_map(root)
    assert {"G001", "G003"} <= badges["component:aoai"]
    assert badges["component:search"]


def test_default_sections_draw_each_architecture_personas_use(tmp_path):
    output = build(DECKS / "mlops.yaml", tmp_path / "all.pptx")
    titles = [s.shapes.title.text_frame.text for s in OpenPptx(str(output)).slides]
    assert "Lambda architecture - modern analytics" in titles


def test_custom_architecture_with_four_layers_and_five_flows(write_deck, tmp_path):
    deck = write_deck(
        """\
cardforge: 1
title: Custom
architectures:
  - id: platform
    title: Our data platform
    layers:
      - name: Sources
        components: [{id: crm, name: CRM}, {id: erp, name: ERP}]
      - name: Ingest
        components: [{id: adf, name: Azure Data Factory}]
      - name: Store
        components: [{id: lake, name: Data Lake, aliases: [ADLS, Azure Storage]}, {id: sql, name: Azure SQL Database}]
      - name: Use
        components: [{id: bi, name: Power BI}]
    flows:
      - {from: crm, to: adf, label: "1"}
      - {from: erp, to: adf, label: "2"}
      - {from: adf, to: lake, label: "3"}
      - {from: lake, to: sql, label: "4"}
      - {from: sql, to: bi, label: "5"}
personas:
  - {id: P1, name: Engineer, architectures: [platform], services: [Azure Data Factory, ADLS, Databricks]}
  - {id: P2, name: Analyst, architectures: [platform], services: [Power BI, Azure SQL Database]}
"""
    )
    output = build(deck, tmp_path / "custom.pptx", "architecture:platform")
    check_geometry(output)
    ((_name, root),) = slide_xml(output)
    assert len([b for b in boxes(root) if b.name.startswith("layer:") and not b.name.endswith(":label")]) == 4
    ids = {int(e.get("id")): e.get("name") for e in root.iter(f"{{{NS['p']}}}cNvPr")}
    ends = sorted(
        (ids[int(c.find(".//a:stCxn", NS).get("id"))], ids[int(c.find(".//a:endCxn", NS).get("id"))])
        for c in root.findall(".//p:cxnSp", NS)
    )
    assert ends == sorted(
        [
            ("component:crm", "component:adf"),
            ("component:erp", "component:adf"),
            ("component:adf", "component:lake"),
            ("component:lake", "component:sql"),
            ("component:sql", "component:bi"),
        ]
    )
    assert badge_map(root)["component:lake"] == {"P1"}  # matched through an alias
    missing = next(b for b in boxes(root) if b.name == "Missing services")
    assert "Databricks (P1)" in missing.text


def test_deck_can_override_a_builtin_architecture(write_deck):
    deck = cardforge.load_deck(
        write_deck(
            "cardforge: 1\ntitle: t\narchitectures:\n  - id: lambda\n    title: Our lambda\n"
            "    layers: [{name: One, components: [{id: a, name: A}]}]\n"
            "personas: [{id: P1, name: X, architectures: [lambda]}]\n"
        )
    )
    assert deck.architectures["lambda"].title == "Our lambda"
    assert not deck.architectures["lambda"].builtin


def test_per_persona_view_highlights_only_its_components(write_deck, tmp_path):
    deck = write_deck(
        "cardforge: 1\ntitle: t\nslides: [{architecture: {id: lambda, per_persona: true}}]\npersonas:\n"
        "  - {id: P1, name: Engineer, architectures: [lambda], services: [Azure Data Factory, Azure Databricks]}\n"
        "  - {id: P2, name: Analyst, architectures: [lambda], services: [Power BI]}\n"
    )
    output = build(deck, tmp_path / "per.pptx")
    slides = slide_xml(output)
    assert len(slides) == 3
    titles = [s.shapes.title.text_frame.text for s in OpenPptx(str(output)).slides]
    assert titles[1].endswith(": P1 Engineer") and titles[2].endswith(": P2 Analyst")
    assert badge_map(slides[1][1]) == {"component:adf": {"P1"}, "component:dbx": {"P1"}}
    assert badge_map(slides[2][1]) == {"component:pbi": {"P2"}}


def _big_architecture(components: int, personas: int) -> str:
    per_layer = 5
    layers = []
    for start in range(0, components, per_layer):
        items = ", ".join(
            f"{{id: c{i}, name: Component number {i}}}"
            for i in range(start, min(components, start + per_layer))
        )
        layers.append(f"      - name: Layer {start // per_layer + 1}\n        components: [{items}]")
    flows = "\n".join(
        f'      - {{from: c{i}, to: c{i + per_layer}, label: "{i + 1}"}}'
        for i in range(0, components - per_layer, 3)
    )
    people = "\n".join(
        f"  - {{id: P{p}, name: Persona {p}, architectures: [big], services: "
        f"[{', '.join(f'Component number {(p * 3 + k) % components}' for k in range(4))}]}}"
        for p in range(personas)
    )
    return (
        "cardforge: 1\ntitle: Big\narchitectures:\n  - id: big\n    title: Big platform\n    layers:\n"
        + "\n".join(layers)
        + f"\n    flows:\n{flows}\npersonas:\n{people}\n"
    )


def test_forty_components_and_fifteen_personas_split_by_layers_before_personas(write_deck, tmp_path):
    """At 10 pt the badges of fifteen personas on forty components need more room than one
    slide has: the layers are split in two groups, each with every badge of its personas,
    rather than the personas over three slides each repeating all forty components."""
    output = build(write_deck(_big_architecture(40, 15)), tmp_path / "big.pptx", "architecture:big")
    slides = slide_xml(output)
    assert len(slides) == 2
    check_geometry(output)
    per_slide = [
        {b.name for b in boxes(root) if b.name.startswith("component:") and b.name.count(":") == 1}
        for _, root in slides
    ]
    assert [len(names) for names in per_slide] == [20, 20] and not per_slide[0] & per_slide[1]
    assert overflow_findings(output) == []


def test_larger_architectures_split_by_layer_group_with_a_note(write_deck, tmp_path):
    output = build(write_deck(_big_architecture(60, 20)), tmp_path / "bigger.pptx", "architecture:big")
    prs = OpenPptx(str(output))
    assert len(prs.slides) >= 2
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles[0] == f"Big platform (1 of {len(titles)})"
    assert "split by layers" in prs.slides[0].notes_slide.notes_text_frame.text
    check_geometry(output)
    components = sum(
        len([b for b in boxes(root) if b.name.startswith("component:") and b.name.count(":") == 1])
        for _, root in slide_xml(output)
    )
    assert components == 60


@pytest.mark.slow
def test_many_personas_are_paged_with_every_badge_kept_once(write_deck, tmp_path):
    """50 personas on the same components, and a layer too long for one zone: no page
    overflows, no slide shows more than 15 personas, and every use appears exactly once."""
    big = ", ".join(f"{{id: b{i}, name: Big component {i}}}" for i in range(30))
    people = "\n".join(
        f"  - {{id: P{p:02}, name: Persona {p}, architectures: [wide], "
        "services: [Big component 0, Big component 29, Gateway]}"
        for p in range(50)
    )
    deck = (
        "cardforge: 1\ntitle: Wide\narchitectures:\n  - id: wide\n    title: Wide platform\n    layers:\n"
        f"      - name: Edge\n        components: [{{id: gw, name: Gateway}}]\n"
        f"      - name: Core\n        components: [{big}]\n"
        '    flows:\n      - {from: gw, to: b0, label: "1"}\n'
        f"personas:\n{people}\n"
    )
    output = build(write_deck(deck), tmp_path / "wide.pptx", "architecture:wide")
    check_geometry(output)
    uses: dict[tuple[str, str], int] = {}
    for _, root in slide_xml(output):
        legend = [b for b in boxes(root) if b.name.startswith("legend:") and b.name.count(":") == 1]
        assert len(legend) <= 15
        for component, personas in badge_map(root).items():
            for persona in personas:
                uses[(component, persona)] = uses.get((component, persona), 0) + 1
    expected = {(f"component:{c}", f"P{p:02}") for c in ("gw", "b0", "b29") for p in range(50)}
    assert set(uses) == expected and set(uses.values()) == {1}
    prs = OpenPptx(str(output))
    assert "split by layers and personas" in prs.slides[0].notes_slide.notes_text_frame.text
    assert overflow_findings(output) == []


def _site(shape, index: int, drawn_item) -> tuple[float, float]:
    """Where connection site *index* of a written component lies on the slide."""
    sites = shape.findall(".//a:cxnLst/a:cxn", NS)
    guides = {g.get("name"): g.get("fmla") for g in shape.findall(".//a:gdLst/a:gd", NS)}
    pos = sites[index].find("a:pos", NS)
    w, h = drawn_item.size

    def value(name: str, extent: float) -> float:
        if name in ("hc", "vc"):
            return extent / 2
        if name in ("l", "t"):
            return 0
        if name in ("r", "b"):
            return extent
        _, _, numerator, denominator = guides[name].split()  # "*/ w N 100000"
        return extent * int(numerator) / int(denominator)

    x, y = value(pos.get("x"), w), value(pos.get("y"), h)
    a, b, c, d, e, f = drawn_item.matrix
    return a * x + b * y + c, d * x + e * y + f


def test_flows_are_elbows_glued_where_they_are_drawn_with_their_numbers_on_them(tmp_path):
    output = build(DECKS / "mlops.yaml", tmp_path / "lambda.pptx", "architecture:lambda")
    ((_name, root),) = slide_xml(output)
    items = {i.name: i for i in drawn(root)}
    by_id = {i.id: i for i in items.values()}
    flows = [i for i in items.values() if i.name.startswith("flow:") and not i.name.endswith(":label")]
    assert len(flows) == 7
    pt = 12700
    for flow in flows:
        geometry = flow.element.find("p:spPr/a:prstGeom", NS).get("prst")
        assert geometry in ("bentConnector2", "bentConnector3", "bentConnector4", "bentConnector5")
        path = connector_path(flow)
        for end, point, slack in (("stCxn", path[0], 0.05), ("endCxn", path[-1], 1.05)):
            glue = flow.element.find(f".//a:{end}", NS)
            shape = by_id[glue.get("id")]
            x, y = _site(shape.element, int(glue.get("idx")), shape)
            assert abs(x - point[0]) <= slack * pt and abs(y - point[1]) <= slack * pt, (flow.name, end)
        label = items[f"{flow.name}:label"]
        cx = (label.bounds[0] + label.bounds[2]) / 2
        cy = (label.bounds[1] + label.bounds[3]) / 2
        assert any(
            min(a[0], b[0]) - pt <= cx <= max(a[0], b[0]) + pt
            and min(a[1], b[1]) - pt <= cy <= max(a[1], b[1]) + pt
            for a, b in pairwise(path)
        ), f"{flow.name}: its number is not on its line"
    sizes = {int(r.get("sz")) for r in root.iter(f"{{{NS['a']}}}rPr")}
    assert min(sizes) >= 1000  # badges, legend chips, numbers and names: 10 pt or more
    for band in (
        e for e in root.iter(f"{{{NS['p']}}}sp") if e.find(".//p:cNvPr", NS).get("name", "").count(":") == 1
    ):
        name = band.find(".//p:cNvPr", NS).get("name")
        if name.startswith("layer:"):
            group = band.getparent()
            assert etree.QName(group).localname == "grpSp"
            assert f"{name}:label" in {e.get("name") for e in group.iter(f"{{{NS['p']}}}cNvPr")}


def test_rag_chat_numbers_its_flows_as_the_reference_does(tmp_path):
    """Steps 1 to 7 of the reference data flow: 1 through the gateway to the chat UI (its
    second hop unnumbered), 2, 4, 5 out through the firewall (its second hop unnumbered), 6,
    7; step 3 happens inside the agent, as the notes say."""
    arch = cardforge.load_deck(DECKS / "genaiops.yaml").architectures["rag-chat"]
    assert [(f.source, f.target, f.label) for f in arch.flows] == [
        ("user", "appgw", "1"),
        ("appgw", "app", None),
        ("app", "agent", "2"),
        ("agent", "search", "4"),
        ("agent", "fw", "5"),
        ("fw", "bing", None),
        ("agent", "aoai", "6"),
        ("agent", "cosmos", "7"),
    ]
    output = build(DECKS / "genaiops.yaml", tmp_path / "rag.pptx", "architecture:rag-chat")
    ((_name, root),) = slide_xml(output)
    numbers = [b.text for b in boxes(root) if b.name.startswith("flow:") and b.name.endswith(":label")]
    assert numbers == ["1", "2", "4", "5", "6", "7"]
    notes = OpenPptx(str(output)).slides[0].notes_slide.notes_text_frame.text
    assert "Step 3" in notes and "5 Foundry Agent Service -> Azure Firewall" in notes


def test_vertical_architecture_routes_flows_between_rows(write_deck, tmp_path):
    """Layers as rows: flows go down through the gaps between rows, beside the layer names,
    and back up along the side, through no component, name or number."""
    from quality import MEASURES, BuiltDeck

    deck = write_deck(
        """\
cardforge: 1
title: Vertical
architectures:
  - id: stack
    title: A vertical platform
    direction: vertical
    layers:
      - name: Users
        components: [{id: web, name: Web app}, {id: mobile, name: Mobile app}]
      - name: Services
        components: [{id: api, name: API gateway}, {id: orders, name: Orders}, {id: pay, name: Payment}]
      - name: Data
        components: [{id: db, name: Orders database}, {id: lake, name: Data lake}]
    flows:
      - {from: web, to: api, label: "1"}
      - {from: mobile, to: api, label: "2"}
      - {from: api, to: orders, label: "3"}
      - {from: orders, to: db, label: "4"}
      - {from: pay, to: lake, label: "5"}
      - {from: db, to: web, label: "6"}
personas:
  - {id: P1, name: Developer, architectures: [stack], services: [Web app, API gateway]}
  - {id: P2, name: Data Engineer, architectures: [stack], services: [Data lake, Orders database]}
"""
    )
    output = build(deck, tmp_path / "vertical.pptx", "architecture:stack")
    check_geometry(output)
    ((_name, root),) = slide_xml(output)
    flows = root.findall(".//p:cxnSp", NS)
    assert len(flows) == 6
    assert all(c.find(".//a:prstGeom", NS).get("prst").startswith("bentConnector") for c in flows)
    built = BuiltDeck(output)
    for measure in ("connector through a shape", "overlapping text shapes", "text under 10 pt"):
        assert MEASURES[measure](built) == [], measure


def test_pages_that_share_a_layout_keep_their_own_notes(write_deck, tmp_path):
    """Pages of one diagram share their layout and routes, not their speaker notes: each says
    once what the diagram lacks."""
    people = "\n".join(
        f"  - {{id: P{p:02}, name: Persona {p}, architectures: [lambda], services: [Azure Databricks, Nowhere]}}"
        for p in range(40)
    )
    output = build(
        write_deck(f"cardforge: 1\ntitle: Many\npersonas:\n{people}\n"),
        tmp_path / "m.pptx",
        "architecture:lambda",
    )
    prs = OpenPptx(str(output))
    assert len(prs.slides) >= 2
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.count("Not on this diagram") <= 1


def test_two_flows_between_one_pair_keep_one_number_on_the_slide(write_deck, tmp_path):
    """Two flows join the same two components, only the second numbered, with a long number
    on a route along the slide's edge: each flow is a shape of its own name, the number is
    drawn once, after its own line, and stays on the slide."""
    deck = write_deck(
        """\
cardforge: 1
title: Pair
architectures:
  - id: pair
    layers:
      - {name: A, components: [{id: c0, name: Source}, {id: c1, name: Middle}, {id: c2, name: Sink}]}
      - {name: B, components: [{id: c3, name: Other}]}
    flows:
      - {from: c0, to: c2}
      - {from: c0, to: c2, label: "0000000000000"}
personas:
  - {id: P1, name: Engineer, architectures: [pair]}
"""
    )
    output = build(deck, tmp_path / "pair.pptx", "architecture:pair")
    check_geometry(output)
    ((_name, root),) = slide_xml(output)
    names = [element.get("name") for element in root.iter(f"{{{NS['p']}}}cNvPr")]
    flows = [name for name in names if name.startswith("flow:")]
    assert flows == ["flow:c0->c2", "flow:c0->c2:2", "flow:c0->c2:2:label"]
    assert len(names) == len(set(names))
