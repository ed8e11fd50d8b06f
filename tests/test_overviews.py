"""Overview slides: persona table, process map, interactions, AI categories, section choice."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from pptx import Presentation as OpenPptx

import cardforge
from cardforge.cli import main
from checks import NS, boxes, overflow_findings, slide_size, slide_xml, structural_problems
from quality import MEASURES, BuiltDeck, connector_path, drawn

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"


def subset_deck(tmp_path: Path, count: int) -> Path:
    """The example deck cut to its first *count* personas (and the grants that still apply)."""
    data = yaml.load(MLOPS.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    data["personas"] = data["personas"][:count]
    kept = {p["id"] for p in data["personas"]}
    data["rbac"]["grants"] = [g for g in data["rbac"]["grants"] if g["persona"] in kept]
    for use_case in data.get("use_cases", []):
        use_case["stories"] = [s for s in use_case.get("stories", []) if s["persona"] in kept]
    for persona in data["personas"]:
        persona["interacts_with"] = [
            r for r in persona.get("interacts_with", []) if not r.startswith("P") or r in kept
        ]
    path = tmp_path / f"deck-{count}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def generated_deck(tmp_path: Path, count: int) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / f"generated-{count}.yaml"
    path.write_text(module.deck(count), encoding="utf-8")
    return path


def build(deck: Path, output: Path, *only: str) -> Path:
    argv = ["build", str(deck), "-o", str(output), "--quiet"]
    for section in only:
        argv += ["--only", section]
    with pytest.raises(SystemExit) if False else _no_exit():
        main(argv)
    return output


class _no_exit:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        return kind is SystemExit and not value.code


def titles(path: Path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in OpenPptx(str(path)).slides]


def table_rows(path: Path) -> list[list[str]]:
    """Per table slide, the persona ids in its rows (header excluded)."""
    pages = []
    for slide in OpenPptx(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows = list(shape.table.rows)
                assert rows[0].cells[0].text == "ID"
                pages.append([row.cells[0].text for row in rows[1:]])
    return pages


def test_nine_personas_fit_one_table_slide(tmp_path):
    output = build(subset_deck(tmp_path, 9), tmp_path / "nine.pptx", "persona-table")
    assert titles(output) == ["Personas"]
    assert table_rows(output) == [[f"P00{i}" for i in range(1, 10)]]


def test_long_table_splits_between_rows_on_numbered_slides(tmp_path):
    output = build(generated_deck(tmp_path, 120), tmp_path / "long.pptx", "persona-table")
    names = titles(output)
    assert len(names) > 1
    assert names == [f"Personas ({i} of {len(names)})" for i in range(1, len(names) + 1)]
    pages = table_rows(output)
    assert [pid for page in pages for pid in page] == [
        f"G{i:04d}" for i in range(1, 121)
    ]  # each row once, in order
    _width, _height = slide_size(output)
    for name, root in slide_xml(output):
        table = next(b for b in boxes(root) if b.kind == "graphicFrame")
        footer = next(b for b in boxes(root) if b.name == "Footer")
        assert table.y + table.h <= footer.y, f"{name}: the table runs into the footer"


def test_table_rows_link_to_card_slides(tmp_path):
    output = build(MLOPS, tmp_path / "deck.pptx", "persona-table", "cards")
    prs = OpenPptx(str(output))
    table_slide = prs.slides[0]
    rels = {r.rId: r for r in table_slide.part.rels.values()}
    table = next(s for s in table_slide.shapes if s.has_table).table
    link = table.cell(1, 1).text_frame.paragraphs[0].runs[0]._r.find(".//a:hlinkClick", NS)
    assert link.get("action") == "ppaction://hlinksldjump"
    target = rels[link.get(f"{{{NS['r']}}}id")].target_part
    card_titles = {s.part: s.shapes.title.text_frame.text for s in prs.slides}
    assert card_titles[target] == "AI Data Engineer (P001 | Dark Blue)"


def test_table_trims_columns_the_deck_leaves_empty(write_deck, tmp_path):
    deck = write_deck(
        "cardforge: 1\ntitle: t\npersonas:\n  - {id: A1, name: Ann, team: Red}\n"
        "  - {id: B2, name: Bob, skills: [SQL]}\n"
    )
    output = build(deck, tmp_path / "t.pptx", "persona-table")
    table = next(s for s in OpenPptx(str(output)).slides[0].shapes if s.has_table).table
    assert [c.text for c in table.rows[0].cells] == ["ID", "Persona", "Team", "Skills"]


def test_process_map_marks_every_persona_process(tmp_path):
    """A chip spans the whole process unless the persona names stages; then it sits in those
    lanes only (P004 names MLOps/Dev and MLOps/Stage: one chip over the two lanes)."""
    output = build(MLOPS, tmp_path / "map.pptx", "process-map")
    deck = cardforge.load_deck(MLOPS)
    ((_name, root),) = slide_xml(output)
    found = {b.name: b for b in boxes(root)}
    expected = set()
    for persona in deck.personas:
        for process in persona.processes:
            stages = persona.stages_in(process)
            expected.add(f"mark:{persona.id}:{process}" + (f":{'+'.join(stages)}" if stages else ""))
    assert {name for name in found if name.startswith("mark:")} == expected
    for name, box in found.items():
        if name.startswith("mark:"):
            assert box.text == name.split(":")[1], "each mark carries the persona's ID"
    lanes = [found[f"process:MLOps:{stage}"] for stage in ("Dev", "Stage", "Prod")]
    assert [b.text for b in lanes] == ["Dev", "Stage", "Prod"]
    column = found["process:MLOps"]
    spanning, staged = found["mark:P005:MLOps"], found["mark:P004:MLOps:Dev+Stage"]
    assert spanning.w > column.w * 0.8, "a persona naming MLOps alone spans all its stages"
    assert lanes[0].x <= staged.x and staged.x + staged.w <= lanes[1].x + lanes[1].w
    assert staged.x + staged.w < lanes[2].x, "the Dev+Stage chip stays out of the Prod lane"
    assert found["mark:P009:MLOps:Stage+Prod"].x >= lanes[1].x
    legend = found["Legend"].text
    assert legend.count("Ad hoc") == 1
    assert not any("ad hoc" in b.text.casefold() for n, b in found.items() if n.startswith("process:"))


def test_process_map_headers_hold_their_text(tmp_path):
    """Each header box is tall enough for its wrapped lines (measured), and no header word is
    wider than its column."""
    from cardforge.layout.fonts import Fonts
    from cardforge.text.fit import line_height

    deck = cardforge.load_deck(MLOPS, theme="contoso")
    fonts = Fonts.from_theme(deck.theme)
    output = tmp_path / "map.pptx"
    cardforge.build(deck, output, sections=[s for s in deck.sections if s.kind == "process-map"])
    ((_name, root),) = slide_xml(output)
    for shape in root.iter(f"{{{NS['p']}}}sp"):
        name = shape.find(".//p:cNvPr", NS).get("name")
        if not name.startswith("process:") or name.count(":") > 1:
            continue
        box = next(b for b in boxes(root) if b.name == name)
        size = int(shape.find(".//a:rPr", NS).get("sz")) // 100
        assert size >= 10
        inner = box.w - 2 * 3 * 12700
        lines = fonts.wrapped(box.text, inner, size, "body", bold=True)
        assert len(lines) * line_height(size) * 12700 <= box.h, (name, lines, box.h)
        for word in box.text.split():
            assert fonts.width_pt(word, size, "body", True) * 12700 <= inner, (name, word)


def test_process_map_is_skipped_when_no_persona_names_a_process(write_deck, tmp_path, capsys):
    deck = write_deck("cardforge: 1\ntitle: t\npersonas:\n  - {id: A1, name: Ann}\n  - {id: B2, name: Bob}\n")
    with _no_exit():
        main(["build", str(deck), "-o", str(tmp_path / "m.pptx"), "--only", "process-map", "--only", "title"])
    assert "process-map: skipped" in capsys.readouterr().err
    assert titles(tmp_path / "m.pptx") == ["t"]


def _inside(inner, outer) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.w <= outer.x + outer.w
        and inner.y + inner.h <= outer.y + outer.h
    )


def test_interaction_graph_draws_each_team_and_persona_once_with_routed_arrows(tmp_path):
    """Each persona is one node inside its team's band; bands and nodes never overlap; each
    interaction is one arrow glued at both ends, running through no shape but its ends and
    the bands they stand in, with no two arrows overlapping."""
    for deck_path in (MLOPS, ROOT / "decks" / "genaiops.yaml", subset_deck(tmp_path, 8)):
        deck = cardforge.load_deck(deck_path)
        output = build(deck_path, tmp_path / "graph.pptx", "interactions")
        assert structural_problems(output) == []
        ((_name, root),) = slide_xml(output)
        all_boxes = boxes(root)
        personas = [b for b in all_boxes if b.name.startswith("persona:")]
        bands = {b.name: b for b in all_boxes if b.name.startswith("team:") and b.name.count(":") == 1}
        assert sorted(b.name for b in personas) == sorted(f"persona:{p.id}" for p in deck.personas)
        for persona in deck.personas:
            node = next(b for b in personas if b.name == f"persona:{persona.id}")
            assert _inside(node, bands[f"team:{persona.team}"]), persona.id
            assert node.text.startswith(persona.id) and persona.name.split()[0] in node.text
        for group in (personas, list(bands.values())):
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    assert not first.overlaps(second), (first.name, second.name)
        ids = {int(e.get("id")): e.get("name") for e in root.iter(f"{{{NS['p']}}}cNvPr")}
        arrows = root.findall(".//p:cxnSp", NS)
        expected = sum(
            1
            for p in deck.personas
            for target in p.interacts_with
            if target.ref != p.team  # working with one's own team is said in the notes
        )
        assert len(arrows) == expected
        for arrow in arrows:
            start = ids[int(arrow.find(".//a:stCxn", NS).get("id"))]
            end = ids[int(arrow.find(".//a:endCxn", NS).get("id"))]
            assert start.startswith("persona:") and end.startswith(("persona:", "team:"))
    built = BuiltDeck(output)
    for measure in (
        "connector through a shape",
        "overlapping text shapes",
        "drawn twice on an interactions slide",
    ):
        assert MEASURES[measure](built) == [], measure
    paths = [connector_path(item) for item in drawn(built.slides[0]) if item.name.startswith("interaction:")]
    segments = [(a, b) for path in paths for a, b in pairwise(path)]
    for i, (a, b) in enumerate(segments):
        for c, d in segments[i + 1 :]:
            assert not _collinear_overlap(a, b, c, d), (a, b, c, d)


def _collinear_overlap(a, b, c, d) -> bool:
    """Whether two axis-parallel segments lie on one line and share a stretch longer than 1 pt."""
    for axis in (0, 1):
        other = 1 - axis
        if abs(a[other] - b[other]) < 1 and abs(c[other] - d[other]) < 1 and abs(a[other] - c[other]) < 1:
            low = max(min(a[axis], b[axis]), min(c[axis], d[axis]))
            high = min(max(a[axis], b[axis]), max(c[axis], d[axis]))
            if high - low > 12700:
                return True
    return False


def test_many_personas_get_a_team_overview_then_a_slide_per_team(tmp_path):
    output = build(generated_deck(tmp_path, 45), tmp_path / "teams.pptx", "interactions")
    names = titles(output)
    assert names[0] == "Interactions: teams"
    deck = cardforge.load_deck(generated_deck(tmp_path, 45))
    assert names[1:] == [f"Interactions: {team}" for team in deck.teams]  # 8 personas each: one slide
    assert structural_problems(output) == []
    slides = slide_xml(output)
    overview = {b.name for b in boxes(slides[0][1]) if b.name.startswith("team:") and b.name.count(":") == 1}
    assert overview == {f"team:{team}" for team in deck.teams}
    for (_name, root), team in zip(slides[1:], deck.teams):
        members = {b.name for b in boxes(root) if b.name.startswith(("persona:", "personas:"))}
        assert {f"persona:{p.id}" for p in deck.personas if p.team == team} <= members


def test_categories_put_personas_in_each_of_their_columns(tmp_path):
    output = build(MLOPS, tmp_path / "cat.pptx", "categories")
    deck = cardforge.load_deck(MLOPS)
    ((_name, root),) = slide_xml(output)
    found = {b.name for b in boxes(root) if b.name.startswith("persona:")}
    titles_by_key = {
        "pretrained": "Pretrained AI",
        "discriminative": "Discriminative AI",
        "generative": "Generative AI",
    }
    expected = {f"persona:{p.id}:{titles_by_key[c]}" for p in deck.personas for c in p.categories}
    assert found == expected
    assert any(len(p.categories) > 1 for p in deck.personas)


def test_slides_order_and_only_override(write_deck, tmp_path):
    deck = write_deck(
        "cardforge: 1\ntitle: Ordered\nslides: [categories, {cards: {personas: [B2]}}, title]\n"
        "personas:\n  - {id: A1, name: Ann, category: generative}\n"
        "  - {id: B2, name: Bob, category: pretrained}\n"
    )
    output = build(deck, tmp_path / "o.pptx")
    assert titles(output) == ["AI categories", "Bob (B2 | Purple)", "Ordered"]
    output = build(deck, tmp_path / "p.pptx", "title", "cards:A1")
    assert titles(output) == ["Ordered", "Ann (A1 | Dark Blue)"]


def test_sections_without_data_are_skipped_with_a_note(write_deck, tmp_path, capsys):
    deck = write_deck("cardforge: 1\ntitle: Sparse\npersonas:\n  - {id: A1, name: Ann}\n")
    main_argv = [
        "build",
        str(deck),
        "-o",
        str(tmp_path / "s.pptx"),
        "--only",
        "interactions",
        "--only",
        "title",
    ]
    with _no_exit():
        main(main_argv)
    assert "interactions: skipped" in capsys.readouterr().err
    assert titles(tmp_path / "s.pptx") == ["Sparse"]


def test_every_overview_slide_stands_alone(tmp_path):
    output = build(MLOPS, tmp_path / "all.pptx", "persona-table", "process-map", "interactions", "categories")
    for name, root in slide_xml(output):
        names = {b.name for b in boxes(root)}
        assert root.find(".//p:ph[@type='title']", NS) is not None, name
        assert "Footer" in names, name
    assert structural_problems(output) == []
    assert overflow_findings(output) == []


def test_unknown_only_section_is_an_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(MLOPS), "-o", str(tmp_path / "x.pptx"), "--only", "cardz"])
    assert exit_info.value.code == 1
    assert "unknown section `cardz`; did you mean `cards`?" in capsys.readouterr().err
    assert not (tmp_path / "x.pptx").exists()
