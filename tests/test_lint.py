"""Persona lint (each rule positive and negative, with its line), RBAC and gaps slides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation as OpenPptx

import cardforge
from cardforge.cli import main
from cardforge.diagnostics import Report
from cardforge.layout.rbac import PRODUCTION_FILL, RANK_FILLS, abbreviations
from cardforge.model.lint import lint, rank, report_findings
from checks import overflow_findings, run_cli, structural_problems

ROOT = Path(__file__).resolve().parent.parent
BASE = """\
cardforge: 1
title: Lint
processes: [{name: DataOps}, {name: MLOps}]
personas:
"""
FIVE = "".join(
    f"  - {{id: Q{i}, name: Filler {i}, people: [Filler person {i}], processes: [DataOps, MLOps]}}\n"
    for i in range(4)
)


def warnings_for(write_deck, text: str) -> list[str]:
    path = write_deck(text)
    deck = cardforge.load_deck(path)
    report = Report()
    report_findings(deck, lint(deck), report)
    return [
        str(w).split(": warning: ", 1)[0].split(":", 1)[1] + " " + str(w).split(": warning: ", 1)[1]
        for w in report.warnings
    ]


def codes(found: list[str], code: str) -> list[str]:
    return [f for f in found if f.endswith(f"[{code}]")]


def test_cf101_human_without_people_is_a_staffing_gap(write_deck):
    found = warnings_for(
        write_deck,
        BASE
        + FIVE
        + "  - {id: P1, name: Lead, processes: [DataOps], people: []}\n"
        + "  - {id: A1, name: Bot, kind: agent, processes: [DataOps]}\n",
    )
    gaps = codes(found, "CF101")
    assert gaps == ["9:56 P1 Lead has no people: a staffing gap [CF101]"]  # the agent is never a gap
    found = warnings_for(
        write_deck, BASE + FIVE + "  - {id: P1, name: Lead, processes: [DataOps], people: [Ann]}\n"
    )
    assert codes(found, "CF101") == []


def test_cf102_person_spread_over_many_personas(write_deck):
    spread = "".join(
        f"  - {{id: S{i}, name: Role {i}, processes: [DataOps], people: [Ann Lee]}}\n" for i in range(3)
    )
    found = codes(warnings_for(write_deck, BASE + FIVE + spread), "CF102")
    assert (
        len(found) == 1 and found[0].startswith("11:") and "Ann Lee fills 3 personas (S0, S1, S2)" in found[0]
    )
    two = "".join(
        f"  - {{id: S{i}, name: Role {i}, processes: [DataOps], people: [Ann Lee]}}\n" for i in range(2)
    )
    assert codes(warnings_for(write_deck, BASE + FIVE + two), "CF102") == []


def test_cf103_fewer_than_five_or_more_than_ten(write_deck):
    assert codes(
        warnings_for(write_deck, BASE + "  - {id: P1, name: A, people: [X], processes: [DataOps, MLOps]}\n"),
        "CF103",
    ) == ["5:3 1 personas: fewer than 5 makes least privilege hard to express [CF103]"]
    assert (
        codes(
            warnings_for(
                write_deck, BASE + FIVE + "  - {id: P1, name: A, people: [X], processes: [DataOps]}\n"
            ),
            "CF103",
        )
        == []
    )
    many = "".join(
        f"  - {{id: M{i}, name: Many {i}, people: [P{i}], processes: [DataOps, MLOps]}}\n" for i in range(11)
    )
    assert "more than 10" in codes(warnings_for(write_deck, BASE + many), "CF103")[0]


RBAC = """\
rbac:
  environments: [Dev, Production]
  grants:
    - persona: Q0
      service: Lake
      roles: {Dev: Owner, production: Storage Blob Data Contributor}
    - {persona: Q1, service: Lake, roles: {Dev: Contributor, Production: Reader}}
"""
WITH_SERVICES = BASE + "".join(
    f"  - {{id: Q{i}, name: Filler {i}, people: [Person {i}], processes: [DataOps, MLOps], "
    f"services: [Lake]}}\n"
    for i in range(5)
)


def test_cf104_owner_or_contributor_in_production(write_deck):
    found = codes(warnings_for(write_deck, WITH_SERVICES + RBAC), "CF104")
    assert found == [
        "15:39 Q0 is Storage Blob Data Contributor on Lake in Production; production access "
        "should be read-only or just in time [CF104]"
    ]


def test_cf105_and_cf106_grants_and_services_must_match(write_deck):
    text = WITH_SERVICES + RBAC + "    - {persona: Q2, service: Vault, roles: {Dev: Reader}}\n"
    found = warnings_for(write_deck, text)
    assert codes(found, "CF105") == [
        "17:30 Q2 has a grant on Vault, which it does not list under services [CF105]"
    ]
    missing = codes(found, "CF106")
    assert [m.split(" ")[0] for m in missing] == [
        "7:90",
        "8:90",
        "9:90",
    ]  # Q2, Q3, Q4 list Lake without a grant
    assert (
        codes(warnings_for(write_deck, WITH_SERVICES), "CF106") == []
    )  # no RBAC in the deck: nothing to compare


def test_cf107_components_nobody_uses(write_deck):
    deck = (
        BASE
        + FIVE
        + """\
  - {id: P1, name: A, people: [X], processes: [DataOps], architectures: [plat], services: [Ingest]}
architectures:
  - id: plat
    layers: [{name: L, components: [{id: i, name: Ingest}, {id: s, name: Store}]}]
"""
    )
    found = codes(warnings_for(write_deck, deck), "CF107")
    assert found == ["11:9 no persona uses Store (plat) [CF107]"]
    deck_all_used = deck.replace("services: [Ingest]", "services: [Ingest, Store]")
    assert codes(warnings_for(write_deck, deck_all_used), "CF107") == []


def test_cf108_processes_nobody_runs(write_deck):
    found = codes(
        warnings_for(
            write_deck,
            BASE.replace("{name: MLOps}", "{name: MLOps}, {name: GenAIOps}")
            + FIVE
            + "  - {id: P1, name: A, people: [X], processes: [DataOps]}\n",
        ),
        "CF108",
    )
    assert found == ["3:52 no persona runs the GenAIOps process [CF108]"]


def test_cf109_interaction_with_a_team_nobody_is_in(write_deck):
    text = (
        BASE.replace("personas:\n", "teams: [{name: Platform Team}, {name: Data Team}]\npersonas:\n")
        + FIVE
        + "  - {id: P1, name: A, people: [X], team: Data Team, processes: [DataOps], "
        "interacts_with: [Platform Team]}\n"
    )
    found = codes(warnings_for(write_deck, text), "CF109")
    assert found == ["10:92 P1 interacts with Platform Team, but no persona belongs to that team [CF109]"]
    assert (
        codes(
            warnings_for(
                write_deck, text.replace("interacts_with: [Platform Team]", "interacts_with: [Data Team]")
            ),
            "CF109",
        )
        == []
    )


def test_lint_block_silences_codes_and_strict_fails(write_deck, tmp_path, capsys):
    text = BASE + "  - {id: P1, name: A, people: [], processes: [DataOps, MLOps]}\n"
    assert codes(warnings_for(write_deck, text + "lint: {disable: [CF103, cf101]}\n"), "CF101") == []
    path = write_deck(text)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(path), "--strict"])
    assert exit_info.value.code == 1
    assert "[CF101]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(path), "-o", str(tmp_path / "x.pptx"), "--strict"])
    assert exit_info.value.code == 1
    assert not (tmp_path / "x.pptx").exists()


def test_role_ranks():
    assert [
        rank(r) for r in ("Owner", "Storage Blob Data Contributor", "Reader", "AzureML Data Scientist", "KVA")
    ] == [3, 2, 1, 0, 0]


def _table_cells(slide):
    """(row, column, text, fill) of every cell of every table on *slide*."""
    found = []
    for shape in slide.shapes:
        if shape.has_table:
            for r, row in enumerate(shape.table.rows):
                for c, cell in enumerate(row.cells):
                    fill = cell._tc.tcPr.find(
                        "{http://schemas.openxmlformats.org/drawingml/2006/main}solidFill"
                    )
                    found.append((r, c, cell.text, fill[0].get("val") if fill is not None else None))
    return found


def test_rbac_matrix_has_services_as_rows_and_persona_chips(tmp_path):
    """The example deck's access fits fewer slides as one matrix with a sub-column per
    environment under each persona's chip (two slides) than as a matrix per environment
    (three): it gets the one matrix."""
    output = tmp_path / "rbac.pptx"
    assert (
        run_cli(["build", str(ROOT / "decks" / "mlops.yaml"), "-o", str(output), "--only", "rbac", "--quiet"])
        == 0
    )
    deck = cardforge.load_deck(ROOT / "decks" / "mlops.yaml")
    prs = OpenPptx(str(output))
    assert [s.shapes.title.text_frame.text for s in prs.slides] == [
        "Access in every environment (1 of 2)",
        "Access in every environment (2 of 2)",
    ]
    key = abbreviations(role for g in deck.rbac.grants for role in g.roles.values())
    assert key["Reader"] == "R" and key["Contributor"] == "C" and key["AzureML Data Scientist"] == "ADS"
    rows_seen = set()
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            table = shape.table
            chips = [c for c in table.rows[0].cells if c.text and c.text != "Service"]
            for chip in chips:
                assert chip._tc.get("gridSpan") == "3", "a chip spans its persona's three environments"
            environments = [c.text for c in table.rows[1].cells][1:]
            assert environments == ["D", "S", "P"] * len(chips)
            for row in list(table.rows)[2:]:
                service = row.cells[0].text
                rows_seen.add(service)
                for index, cell in enumerate(list(row.cells)[1:]):
                    persona, env = chips[index // 3].text, deck.rbac.environments[index % 3]
                    grant = next(
                        (g for g in deck.rbac.grants if g.persona == persona and g.service == service), None
                    )
                    role = grant.roles.get(env, "") if grant else ""
                    fill = cell._tc.tcPr.find(
                        "{http://schemas.openxmlformats.org/drawingml/2006/main}solidFill"
                    )
                    if not role:
                        assert cell.text == ""
                    elif env == "Prod" and rank(role) >= 2:
                        assert cell.text.endswith("!") and fill[0].get("val") == PRODUCTION_FILL, (
                            persona,
                            role,
                        )
                    else:
                        assert cell.text == key[role] and fill[0].get("val") == RANK_FILLS[rank(role)]
        notes = slide.notes_slide.notes_text_frame.text
        assert "Environments: D = Dev; S = Stage; P = Prod" in notes
    assert rows_seen == {g.service for g in deck.rbac.grants}, "every service once"
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert (
        "P009 BuildAgent MLOps: Azure Machine Learning: Dev Contributor, Stage Contributor, Prod Contributor"
        in notes
    )
    key_text = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.name == "Key")
    assert "ADS AzureML Data Scientist" in key_text and "D Dev" in key_text
    assert structural_problems(output) == []


def test_rbac_per_environment_when_that_needs_fewer_slides(tmp_path, write_deck):
    """Fifteen personas, each with a role on a service of its own in each of three
    environments: a matrix per environment (fifteen rows each) takes three slides, one
    matrix for all (45 rows, 45 sub-columns) would take more."""
    grants = "".join(
        f"    - {{persona: P{k:02d}, service: Service {env} {k}, roles: {{{env}: Reader}}}}\n"
        for env in ("Dev", "Stage", "Prod")
        for k in range(15)
    )
    personas = "".join(f"  - {{id: P{k:02d}, name: Persona {k}}}\n" for k in range(15))
    rbac = f"rbac:\n  environments: [Dev, Stage, Prod]\n  grants:\n{grants}"
    deck = write_deck(f"cardforge: 1\ntitle: t\npersonas:\n{personas}{rbac}")
    output = tmp_path / "r.pptx"
    assert run_cli(["build", str(deck), "-o", str(output), "--only", "rbac", "--quiet"]) == 0
    prs = OpenPptx(str(output))
    assert [s.shapes.title.text_frame.text for s in prs.slides] == [
        "Access in Dev",
        "Access in Stage",
        "Access in Prod",
    ]
    for slide in prs.slides:
        rows = [r for r, c, _t, _f in _table_cells(slide) if c == 0]
        assert len(rows) == 16, "the header and the environment's fifteen services"


def test_rbac_pages_split_evenly_and_columns_fit(tmp_path, write_deck):
    """Sixty personas with grants in two environments: persona columns split over pages that
    hold about as many as each other; every table stays inside the slide."""
    grants = "".join(
        f"    - {{persona: P{i:02d}, service: Service {i % 7}, roles: {{Dev: Reader, Prod: Owner}}}}\n"
        for i in range(60)
    )
    personas = "".join(
        f"  - {{id: P{i:02d}, name: Persona {i}, services: [Service {i % 7}]}}\n" for i in range(60)
    )
    deck = write_deck(
        f"cardforge: 1\ntitle: t\npersonas:\n{personas}"
        f"rbac:\n  environments: [Dev, Prod]\n  grants:\n{grants}"
    )
    output = tmp_path / "r.pptx"
    assert run_cli(["build", str(deck), "-o", str(output), "--only", "rbac", "--quiet"]) == 0
    prs = OpenPptx(str(output))
    columns = [max(c for _r, c, _t, _f in _table_cells(slide)) for slide in prs.slides]
    titles = [slide.shapes.title.text_frame.text for slide in prs.slides]
    assert titles == [f"Access in every environment ({i} of 3)" for i in (1, 2, 3)]
    assert set(columns) == {40}, columns  # 60 personas, two environments each: three pages of twenty
    assert structural_problems(output) == []


def test_gaps_is_one_summary_slide_with_advice(tmp_path):
    output = tmp_path / "gaps.pptx"
    assert (
        run_cli(["build", str(ROOT / "decks" / "mlops.yaml"), "-o", str(output), "--only", "gaps", "--quiet"])
        == 0
    )
    prs = OpenPptx(str(output))
    assert len(prs.slides) == 1
    rows = {}
    for r, c, text, _fill in _table_cells(prs.slides[0]):
        rows.setdefault(r, {})[c] = text
    by_kind = {row[0]: row for r, row in rows.items() if r > 0}
    assert (
        by_kind["Staffing gaps"][1] == "1" and "P010 Data & AI Product Manager" in by_kind["Staffing gaps"][2]
    )
    assert "SaaS or low-code" in by_kind["Staffing gaps"][3]
    assert "read-only" in by_kind["Privilege in production"][3]
    assert "Merge similar personas" in by_kind["Number of personas"][3]
    assert "User" not in by_kind["Components nobody uses"][2], "the chat's end user is an actor"
    notes = prs.slides[0].notes_slide.notes_text_frame.text
    deck = cardforge.load_deck(ROOT / "decks" / "mlops.yaml")
    for finding in lint(deck):
        assert notes.count(finding.message) == 1
    assert overflow_findings(output) == []


def test_long_gap_lists_go_to_the_notes_once(tmp_path):
    many = tmp_path / "many.yaml"
    many.write_text(
        "cardforge: 1\ntitle: Many\npersonas:\n"
        + "".join(f"  - {{id: G{i}, name: Gap persona {i}, people: []}}\n" for i in range(120)),
        encoding="utf-8",
    )
    output = tmp_path / "many.pptx"
    assert run_cli(["build", str(many), "-o", str(output), "--only", "gaps", "--quiet"]) == 0
    prs = OpenPptx(str(output))
    assert [s.shapes.title.text_frame.text for s in prs.slides] == ["Gaps and advice"]
    text = "\n".join(t for _r, _c, t, _f in _table_cells(prs.slides[0]))
    assert "G0, G1, G2" in text and "more (in the notes)" in text
    assert "Gap persona 5" not in text, "a list too long for names shows IDs"
    notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert all(notes.count(f"G{i} Gap persona {i} has no people") == 1 for i in range(120))
    assert structural_problems(output) == [] and overflow_findings(output) == []


def test_actor_components_are_never_unused(write_deck):
    deck = (
        BASE
        + FIVE
        + """\
  - {id: P1, name: A, people: [X], processes: [DataOps], architectures: [plat], services: [Ingest]}
architectures:
  - id: plat
    layers: [{name: L, components: [{id: i, name: Ingest}, {id: u, name: Shopper, kind: Actor}]}]
"""
    )
    assert codes(warnings_for(write_deck, deck), "CF107") == []
    with pytest.raises(cardforge.DeckError) as error:
        cardforge.load_deck(write_deck(deck.replace("kind: Actor", "kind: visitor")))
    assert "kind" in str(error.value.report.errors[0])
