"""Persona lint (each rule positive and negative, with its line), RBAC and gaps slides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation as OpenPptx

import cardforge
from cardforge.cli import main
from cardforge.diagnostics import Report
from cardforge.layout.rbac import RANK_FILLS
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
        BASE + FIVE + "  - {id: P1, name: Lead, processes: [DataOps], people: []}\n"
        "  - {id: A1, name: Bot, kind: agent, processes: [DataOps]}\n",
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
    f"  - {{id: Q{i}, name: Filler {i}, people: [Person {i}], processes: [DataOps, MLOps], services: [Lake]}}\n"
    for i in range(5)
)


def test_cf104_owner_or_contributor_in_production(write_deck):
    found = codes(warnings_for(write_deck, WITH_SERVICES + RBAC), "CF104")
    assert found == [
        "15:39 Q0 is Storage Blob Data Contributor on Lake in Production; "
        "production access should be read-only or just in time [CF104]"
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
        + "  - {id: P1, name: A, people: [X], team: Data Team, processes: [DataOps], interacts_with: [Platform Team]}\n"
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


def test_rbac_slides_colour_cells_by_rank(tmp_path):
    output = tmp_path / "rbac.pptx"
    assert (
        run_cli(["build", str(ROOT / "decks" / "mlops.yaml"), "-o", str(output), "--only", "rbac", "--quiet"])
        == 0
    )
    prs = OpenPptx(str(output))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert all(t.startswith(("Access in Dev", "Access in Stage", "Access in Prod")) for t in titles)
    assert any(t.startswith("Access in Prod") for t in titles)
    seen = set()
    for slide in prs.slides:
        table = next(s for s in slide.shapes if s.has_table).table
        for row in list(table.rows)[1:]:
            for cell in list(row.cells)[2:]:
                if cell.text:
                    fill = cell._tc.tcPr.find(
                        "{http://schemas.openxmlformats.org/drawingml/2006/main}solidFill"
                    )[0].get("val")
                    assert fill == RANK_FILLS[rank(cell.text)], cell.text
                    seen.add(rank(cell.text))
    assert {1, 2} <= seen
    assert structural_problems(output) == []


def test_gaps_slide_groups_findings_by_kind(tmp_path):
    output = tmp_path / "gaps.pptx"
    assert (
        run_cli(["build", str(ROOT / "decks" / "mlops.yaml"), "-o", str(output), "--only", "gaps", "--quiet"])
        == 0
    )
    prs = OpenPptx(str(output))
    text = "\n".join(
        shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
    )
    assert "Staffing gaps (1)" in text and "P010 Data & AI Product Manager" in text
    assert "Privilege in production (1)" in text
    assert overflow_findings(output) == []
    many = tmp_path / "many.yaml"
    many.write_text(
        "cardforge: 1\ntitle: Many\npersonas:\n"
        + "".join(f"  - {{id: G{i}, name: Gap persona {i}, people: []}}\n" for i in range(120)),
        encoding="utf-8",
    )
    output = tmp_path / "many.pptx"
    assert run_cli(["build", str(many), "-o", str(output), "--only", "gaps", "--quiet"]) == 0
    titles = [s.shapes.title.text_frame.text for s in OpenPptx(str(output)).slides]
    assert len(titles) > 1 and titles[0] == f"Gaps and advice (1 of {len(titles)})"
    assert structural_problems(output) == [] and overflow_findings(output) == []
