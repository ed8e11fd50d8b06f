"""PowerPoint's Accessibility Checker rules (``tests/accessibility.py``) on every deck cardforge
makes: every shipped deck in every shipped theme and the rest of the corpus, their print
sheets (fronts, backs, blank cards) and their handouts.

Each rule also proves itself here, on slides broken the way the rule is about: a rule that
finds nothing on the corpus is known to be able to find something.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

import cardforge
from accessibility import ADEC, DECORATIVE_URI, RULES, CheckedDeck, check, placeholder, properties, text_of
from cardforge.api import build_handout, build_print
from cardforge.diagnostics import Report
from conftest import CORPUS
from quality import NS, BuiltDeck, R, slide_title

A, P = NS["a"], NS["p"]
LARGE = {"generated-120"}
"""Decks whose print sheets and handouts take long to make: the full suite checks them."""


def _cases():
    for name in CORPUS:
        yield pytest.param(name, marks=[pytest.mark.slow] if name in LARGE else [], id=name)


def _problems(deck: CheckedDeck) -> str:
    found = check(deck)
    lines = [line for findings in found.values() for line in findings]
    counts = ", ".join(f"{rule}: {len(f)}" for rule, f in found.items() if f)
    return f"{len(lines)} problems ({counts}):\n" + "\n".join(lines[:40]) if lines else ""


@pytest.mark.parametrize("deck", list(_cases()))
def test_every_slide_passes_the_checker(deck, built):
    problems = _problems(CheckedDeck(built(deck).pptx))
    assert not problems, problems


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each corpus deck's print sheets (fronts, backs, two blank cards, QR codes) and handout."""
    folder = tmp_path_factory.mktemp("printed")
    cache: dict[tuple[str, str], CheckedDeck] = {}

    def get(name: str, kind: str) -> CheckedDeck:
        if (name, kind) not in cache:
            loaded = cardforge.load_deck(CORPUS[name].write(folder), theme=CORPUS[name].theme)
            output = folder / f"{name}-{kind}.pptx"
            if kind == "cards":
                options = loaded.print_options.__class__(backs=True)
                build_print(loaded, loaded.personas, options, output, Report(), blanks=2)
            else:
                build_handout(loaded, loaded.personas, "A4", output, Report())
            cache[(name, kind)] = CheckedDeck(output)
        return cache[(name, kind)]

    return get


@pytest.mark.parametrize("deck", list(_cases()))
def test_print_sheets_pass_the_checker(deck, printed):
    problems = _problems(printed(deck, "cards"))
    assert not problems, problems


@pytest.mark.parametrize("deck", list(_cases()))
def test_handouts_pass_the_checker(deck, printed):
    problems = _problems(printed(deck, "handout"))
    assert not problems, problems


@pytest.mark.parametrize(
    "options",
    [
        {"card_size": "poker", "bleed": 3, "backs": True, "qr_on_back": True},
        {"card_size": "slide", "paper": "Letter", "margin": 0},  # no room for a sheet header
        {"card_size": "A5", "crop_marks": False, "qr": "none"},
    ],
    ids=["poker-bleed-backs", "slide-no-header", "A5-plain"],
)
def test_print_sheets_of_every_kind_pass_the_checker(options, tmp_path):
    deck = cardforge.load_deck(Path(__file__).resolve().parent.parent / "decks" / "mlops.yaml")
    output = tmp_path / "cards.pptx"
    build_print(deck, deck.personas, deck.print_options.__class__(**options), output, Report(), blanks=3)
    checked = CheckedDeck(output)
    problems = _problems(checked)
    assert not problems, problems
    titles = [slide_title(root) for root in checked.slides]
    assert titles[0].startswith("Cards 1") and "blank cards" in titles[-1].casefold(), titles
    assert len(set(titles)) == len(titles), titles


# --- Each rule proves itself on broken slides ---------------------------------------------


def _broken(deck: BuiltDeck) -> CheckedDeck:
    """A deck to break: the same file, with slide trees of its own."""
    broken = CheckedDeck(deck.pptx, dict(deck.personas))
    broken.__dict__["slides"] = [copy.deepcopy(root) for root in BuiltDeck(deck.pptx).slides]
    return broken


def _slide(deck: CheckedDeck, title: str) -> tuple[int, etree._Element]:
    """The first slide titled *title* (or *title* and more, when *title* ends in "("), and its
    number."""
    return next(
        (n, root)
        for n, root in enumerate(deck.slides, start=1)
        if slide_title(root) == title or (title.endswith("(") and slide_title(root).startswith(title))
    )


def _named(root: etree._Element, name: str) -> etree._Element:
    """The shape, connector, picture, table or group called *name*."""
    for props in root.iter(f"{{{P}}}cNvPr"):
        if props.get("name") == name:
            return props.getparent().getparent()
    raise AssertionError(f"no {name!r}")


def _undecorate(element: etree._Element) -> None:
    ext = properties(element).find(f"a:extLst/a:ext[@uri='{DECORATIVE_URI}']", NS)
    ext.getparent().getparent().remove(ext.getparent())


def _decorate(element: etree._Element) -> None:
    props = properties(element)
    ext_list = etree.SubElement(props, f"{{{A}}}extLst")
    ext = etree.SubElement(ext_list, f"{{{A}}}ext", uri=DECORATIVE_URI)
    etree.SubElement(ext, f"{{{ADEC}}}decorative", val="1")


def _only(deck: CheckedDeck, rule: str) -> list[str]:
    return RULES[rule](deck)


def test_missing_alt_text_is_found_on_a_shape_a_connector_a_group_and_a_picture(built):
    deck = _broken(built("mlops-contoso"))
    _, card = _slide(deck, "AI Data Engineer (")
    _undecorate(_named(card, "persona:P001:band"))
    _undecorate(_named(card, "Logo"))
    number, diagram = _slide(deck, "Lambda architecture - modern analytics")
    _undecorate(_named(diagram, "flow:eh->dbx"))  # a line whose number does not say what it is
    del properties(_named(diagram, "component:eh:group")).attrib["descr"]
    found = _only(deck, "missing alt text")
    assert any("shape 'persona:P001:band' has no alt text" in line for line in found), found
    assert any("picture 'Logo' has no alt text" in line for line in found), found
    assert any(f"slide {number} " in line and "connector 'flow:eh->dbx'" in line for line in found), found
    assert any("group 'component:eh:group' has no alt text" in line for line in found), found
    assert len(found) == 4, found


def test_alt_text_that_repeats_the_text_and_decorative_text_are_found(built):
    deck = _broken(built("mlops-default"))
    _, card = _slide(deck, "AI Data Engineer (")
    band = _named(card, "persona:P001:band")
    _undecorate(band)
    properties(band).set("descr", "AI Data Engineer (P001 | Dark Blue)")  # the title under it
    _decorate(_named(card, "persona:P001:left"))  # a text box marked decorative
    _, diagram = _slide(deck, "Lambda architecture - modern analytics")
    box = _named(diagram, "component:eh")
    _undecorate(box)
    properties(box).set("descr", "Azure Event Hubs")  # the name standing on it
    found = _only(deck, "alt text repeats visible text")
    assert any("'persona:P001:band' alt text" in line for line in found), found
    assert any("'persona:P001:left' is marked decorative but holds text" in line for line in found), found
    assert any("'component:eh' alt text 'Azure Event Hubs'" in line for line in found), found
    assert len(found) == 3, found


def test_a_missing_empty_or_repeated_title_is_found(built):
    deck = _broken(built("mlops-default"))
    _, first_card = _slide(deck, "AI Data Engineer (")
    ph = first_card.find(".//p:nvPr/p:ph[@type='title']", NS)
    ph.getparent().remove(ph)
    _, second_card = _slide(deck, "Analyst Data Engineer (")
    title = next(e for e in second_card.iter(f"{{{P}}}sp") if placeholder(e) == "title")
    for t in title.iter(f"{{{A}}}t"):
        t.text = ""
    number, third = _slide(deck, "BI Analyst (")
    for t in next(e for e in third.iter(f"{{{P}}}sp") if placeholder(e) == "title").iter(f"{{{A}}}t"):
        t.text = "Personas"
    assert _only(deck, "missing slide title") == [
        "slide 4: no title placeholder",
        "slide 5: the title placeholder is empty",
    ]
    assert _only(deck, "duplicate slide title") == [f"slide {number} (Personas): the same title as slide 2"]


def test_reading_order_finds_a_footer_read_first_and_content_read_out_of_place(built):
    deck = _broken(built("mlops-default"))
    _, card = _slide(deck, "AI Data Engineer (")
    tree = card.find("p:cSld/p:spTree", NS)
    footer = _named(card, "Page")
    tree.remove(footer)
    tree.insert(2, footer)  # before everything (after the tree's own properties)
    _, diagram = _slide(deck, "Lambda architecture - modern analytics")
    tree = diagram.find("p:cSld/p:spTree", NS)
    ingest = _named(diagram, "layer:Ingest:group")
    store = _named(diagram, "layer:Store:group")
    tree.remove(store)
    ingest.addprevious(store)  # the second zone read before the first
    found = _only(deck, "reading order")
    assert any("'Page' is read before the title" in line for line in found), found
    assert any("'Page' (footer) is read before the content" in line for line in found), found
    assert any(
        "'layer:Ingest:label' is read after 'layer:Store:label' but stands left" in line for line in found
    )


def test_a_flows_number_is_read_in_flow_order_wherever_it_stands(built):
    """A number on a line is read where the flows' order puts it, however far left it stands;
    a text beside no line is held to where it stands."""
    deck = _broken(built("mlops-default"))
    number, diagram = _slide(deck, "Lambda architecture - modern analytics")
    footer = _named(diagram, "Footer")
    for name in ("flow:eh->dbx:label", "flow:dbx->pbi:label"):  # read after the legend
        footer.addprevious(_named(diagram, name))
    assert _only(deck, "reading order") == []
    footer.addprevious(_named(diagram, "Missing services"))
    found = _only(deck, "reading order")
    assert len(found) == 1 and found[0].startswith(f"slide {number} "), found
    assert "'Missing services' is read after 'legend:P001' but stands above it" in found[0], found


def test_a_table_without_a_header_row_or_with_an_empty_header_cell_is_found(built):
    deck = _broken(built("mlops-default"))
    _, table_slide = _slide(deck, "Personas")
    table = table_slide.find(".//a:tbl", NS)
    table.find("a:tblPr", NS).attrib.pop("firstRow")
    _, rbac = _slide(deck, "Access in every environment (")
    for t in rbac.find(".//a:tbl/a:tr", NS).iter(f"{{{A}}}t"):
        t.text = ""
    found = _only(deck, "table header row")
    assert len(found) == 2 and "has no header row" in found[0] and "an empty header cell" in found[1], found


def test_low_contrast_text_and_links_are_found(built):
    deck = _broken(built("mlops-default"))
    _, card = _slide(deck, "AI Data Engineer (")
    value = _named(card, "persona:P001:left").find(".//a:r/a:rPr/a:solidFill/a:srgbClr", NS)
    value.set("val", "BFBFBF")  # light grey on the card's light grey
    found = _only(deck, "text contrast")
    assert len(found) == 1 and "BFBFBF" in found[0] and "needs 4.5:1" in found[0], found
    deck.__dict__["scheme"] = {**deck.scheme, "hlink": "9DC3E6"}  # links in a pale theme colour
    found = _only(deck, "text contrast")
    assert any("9DC3E6" in line and "'persona:P001:right'" in line for line in found), found


def test_a_link_that_shows_its_address_or_says_click_here_is_found(built):
    deck = _broken(built("mlops-default"))
    _, card = _slide(deck, "AI Data Engineer (")
    links: dict[str, list[etree._Element]] = {}
    for run in card.iter(f"{{{A}}}r"):
        link = run.find("a:rPr/a:hlinkClick", NS)
        if link is not None:
            links.setdefault(link.get(f"{{{R}}}id"), []).append(run)
    first, *_, last = links.values()
    for runs, text in ((first, "https://learn.microsoft.com/azure/data-factory/"), (last, "Click here")):
        runs[0].find("a:t", NS).text = text
        for run in runs[1:]:
            run.find("a:t", NS).text = ""
    found = _only(deck, "link text")
    assert len(found) == 2, found
    assert "https://learn.microsoft.com" in found[0] and "'Click here'" in found[1], found


def test_the_rules_read_what_the_writer_marks(built):
    """The writer's marks are what the rules look for: a numbered line decorative and its
    number saying what the flow is, badges that say where they stand, arrows between
    personas decorative and the persona saying whom it works with, a title placeholder read
    first and the footer placeholders last."""
    deck = CheckedDeck(built("mlops-default").pptx)
    _, diagram = _slide(deck, "Lambda architecture - modern analytics")
    assert properties(_named(diagram, "flow:eh->dbx")).find("a:extLst", NS) is not None
    label = properties(_named(diagram, "flow:eh->dbx:label"))
    assert label.get("descr") == "Flow 1: Azure Event Hubs to Azure Databricks"
    badge = _named(_named(diagram, "component:adf:group"), "persona:P001")
    assert properties(badge).get("descr") == "Persona badge: P001 AI Data Engineer on Azure Data Factory"
    _, graph = _slide(deck, "Interactions")
    assert properties(_named(graph, "interaction:P001->team:AI Team")).find("a:extLst", NS) is not None
    assert properties(_named(graph, "persona:P001")).get("descr").endswith(", works with AI Team")
    _, card = _slide(deck, "AI Data Engineer (")
    objects = [e for e in card.find("p:cSld/p:spTree", NS) if etree.QName(e).localname == "sp"]
    readable = [e for e in objects if properties(e).find("a:extLst", NS) is None]
    assert placeholder(readable[0]) == "title" and text_of(readable[0]).startswith("AI Data Engineer")
    assert [placeholder(e) for e in objects[-2:]] == ["ftr", "sldNum"]
