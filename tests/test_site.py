"""The Markdown export as a site: every link resolves, every diagram is Mermaid we can parse."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

import cardforge
from cardforge.export.markdown import write_markdown
from cardforge.export.site import architecture_diagram, interactions_diagram, mermaid_label
from corpus import corpus

CORPUS = {deck.name: deck for deck in corpus()}
PARSER = MarkdownIt("commonmark").enable("table")


def exported(deck_name: str, folder: Path) -> tuple[cardforge.model.Deck, Path]:
    deck = cardforge.load_deck(CORPUS[deck_name].write(folder))
    out = folder / "site"
    write_markdown(deck, out)
    return deck, out


def links(text: str) -> list[str]:
    found = []

    def walk(node: SyntaxTreeNode) -> None:
        if node.type == "link":
            found.append(str(node.attrs.get("href", "")))
        for child in node.children:
            walk(child)

    walk(SyntaxTreeNode(PARSER.parse(text)))
    return found


def mermaid_blocks(text: str) -> list[str]:
    return [t.content for t in PARSER.parse(text) if t.type == "fence" and t.info.strip() == "mermaid"]


_LABEL = r'"[^"\n]*"'
_NODE = re.compile(rf"^(?P<id>[A-Za-z]\w*)(?:\[{_LABEL}\]|\(\[{_LABEL}\]\))$")
_SUBGRAPH = re.compile(rf"^subgraph (?P<id>[A-Za-z]\w*)\[{_LABEL}\]$")
_EDGE = re.compile(rf"^(?P<a>[A-Za-z]\w*) -->(?:\|{_LABEL}\|)? (?P<b>[A-Za-z]\w*)$")


def check_flowchart(source: str) -> list[str]:
    """What is wrong with *source* as the Mermaid flowchart subset cardforge writes."""
    lines = [line.strip() for line in source.strip().splitlines()]
    problems = []
    if not re.fullmatch(r"flowchart (LR|TB)", lines[0]):
        problems.append(f"first line {lines[0]!r}")
    defined: set[str] = set()
    depth = 0
    edges = []
    for line in lines[1:]:
        if line == "end":
            depth -= 1
            if depth < 0:
                problems.append("`end` without `subgraph`")
        elif match := _SUBGRAPH.match(line):
            depth += 1
            defined.add(match["id"])
        elif match := _NODE.match(line):
            if match["id"] in defined:
                problems.append(f"{match['id']} defined twice")
            defined.add(match["id"])
        elif match := _EDGE.match(line):
            edges.append((match["a"], match["b"]))
        else:
            problems.append(f"not flowchart syntax: {line!r}")
    if depth:
        problems.append("a `subgraph` is not closed")
    problems += [f"edge to undefined {end}" for edge in edges for end in edge if end not in defined]
    return problems


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_link_of_the_site_resolves(name, tmp_path):
    _, out = exported(name, tmp_path)
    pages = sorted(out.rglob("*.md"))
    assert (out / "README.md") in pages and (out / "pages" / "organisation.md") in pages
    reached = {out / "README.md"}
    for page in pages:
        for href in links(page.read_text(encoding="utf-8")):
            if re.match(r"^(https?|mailto):", href):
                continue
            assert not href.startswith("/") and "://" not in href, (page, href)
            target = (page.parent / unquote(href.split("#", 1)[0])).resolve()
            assert target.is_file(), f"{page.relative_to(out)} links to missing {href}"
            reached.add(target)
    assert {p.resolve() for p in pages} <= reached, "every page is linked from another"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_mermaid_block_is_a_flowchart_we_can_parse(name, tmp_path):
    _, out = exported(name, tmp_path)
    blocks = [
        block for page in out.rglob("*.md") for block in mermaid_blocks(page.read_text(encoding="utf-8"))
    ]
    assert blocks
    for block in blocks:
        assert check_flowchart(block) == [], block


def test_the_checker_finds_broken_flowcharts():
    assert check_flowchart('flowchart LR\n  a["A"]\n  a --> b\n') == ["edge to undefined b"]
    assert check_flowchart('flowchart LR\n  subgraph s["S"]\n  a["A"]\n') == ["a `subgraph` is not closed"]
    assert check_flowchart('flowchart LR\n  a["say "hi""]\n') == ['not flowchart syntax: \'a["say "hi""]\'']
    assert check_flowchart('graph LR\n  a["A"]\n  a["A"]\n') == ["first line 'graph LR'", "a defined twice"]


def test_labels_cannot_break_out_of_their_quotes():
    label = mermaid_label('Data "Lake" & <b>#1</b>\nnext')
    assert label.count('"') == 2 and "<" not in label and "\n" not in label


def test_diagrams_show_every_team_persona_component_and_flow():
    deck = cardforge.load_deck(Path(__file__).resolve().parent.parent / "decks" / "mlops.yaml")
    interactions = "\n".join(interactions_diagram(deck))
    for persona in deck.personas:
        assert f'"{persona.id} ' in interactions
    arrows = sum(len(p.interacts_with) for p in deck.personas)
    assert interactions.count("-->") == arrows
    lambda_ = deck.architectures["lambda"]
    diagram = "\n".join(architecture_diagram(lambda_))
    assert diagram.count("subgraph") == len(lambda_.layers)
    assert diagram.count("-->") == len(lambda_.flows)
    assert all(f'|"{flow.label}"|' in diagram for flow in lambda_.flows if flow.label)


def test_service_pages_hold_each_grant_and_persona_pages_link_to_them(tmp_path):
    deck, out = exported("mlops-default", tmp_path)
    page = (out / "pages" / "services" / "azure-data-factory.md").read_text(encoding="utf-8")
    assert page.startswith("# Roles on Azure Data Factory")
    for grant in deck.rbac.grants:
        if grant.service == "Azure Data Factory":
            persona = deck.persona(grant.persona)
            row = next(line for line in page.splitlines() if f"{persona.id} {persona.name}" in line)
            assert all(f"| {role} " in row + " " for role in grant.roles.values())
    card = (out / "P001.md").read_text(encoding="utf-8")
    assert "· [roles](pages/services/azure-data-factory.md)" in card


def test_organisation_and_use_cases_pages(tmp_path):
    deck, out = exported("mlops-default", tmp_path)
    organisation = (out / "pages" / "organisation.md").read_text(encoding="utf-8")
    for persona in deck.personas:
        assert organisation.count(f"[{persona.id} ") == 1
    assert "- **IT - Data Platform**" in organisation and "  - Core team" in organisation
    use_cases = (out / "pages" / "use-cases.md").read_text(encoding="utf-8")
    assert "## UC1: Weekly demand forecast" in use_cases
    assert "As an [AI Data Engineer](../P001.md) (P001), I want yesterday's sales" in use_cases
