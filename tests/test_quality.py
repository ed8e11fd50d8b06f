"""Every design-quality measure of ``tests/quality.py`` over every deck of the corpus.

Each measure also proves itself here, on a deliberately broken slide: a measure that finds
nothing on the corpus is known to be able to find something.
"""

from __future__ import annotations

import copy
import re
import shutil
from functools import cached_property
from pathlib import Path

import pytest
from lxml import etree

import cardforge
from corpus import corpus
from quality import (
    DIAGRAM_KINDS,
    MEASURES,
    NEEDS_PDF,
    NS,
    BuiltDeck,
    PdfWord,
    slide_kind,
    slide_number,
    slide_title,
)

CORPUS = {deck.name: deck for deck in corpus()}
A = NS["a"]

NOT_YET_MET: dict[str, str] = {}
"""Measures the corpus does not meet yet, with the slides that fail them; empty when all pass."""


def _cases(own_slides_only: bool = False):
    for name in MEASURES:
        marks = [pytest.mark.slow] if name in NEEDS_PDF else []
        if name in NOT_YET_MET and not own_slides_only:
            marks.append(pytest.mark.xfail(reason=NOT_YET_MET[name], strict=False))
        for deck in CORPUS:
            yield pytest.param(name, deck, marks=marks, id=f"{name}-{deck}")


def _measured(measure: str, deck: BuiltDeck) -> list[str]:
    if measure in NEEDS_PDF and deck.pdf is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-impress)")
    return MEASURES[measure](deck)


@pytest.mark.parametrize(("measure", "deck"), list(_cases()))
def test_corpus_reads_well(measure, deck, built):
    findings = _measured(measure, built(deck))
    assert not findings, f"{len(findings)} problems:\n" + "\n".join(findings[:40])


@pytest.mark.parametrize(("measure", "deck"), list(_cases(own_slides_only=True)))
def test_corpus_reads_well_beside_the_diagrams(measure, deck, built):
    """Every measure holds on every slide that is not a diagram (title, persona table, cards,
    process map, AI categories, RBAC, gaps), over the whole corpus, with no exception."""
    target = built(deck)
    kinds = [slide_kind(root) for root in target.slides]
    findings = [f for f in _measured(measure, target) if kinds[slide_number(f) - 1] not in DIAGRAM_KINDS]
    assert not findings, f"{len(findings)} problems:\n" + "\n".join(findings[:40])


def _copy(deck: BuiltDeck, slides: list[etree._Element] | None = None) -> BuiltDeck:
    """A deck to break: the same file, with slide trees of its own."""
    broken = BuiltDeck(deck.pptx, dict(deck.personas))
    broken.__dict__["slides"] = [copy.deepcopy(root) for root in (slides or deck.slides)]
    return broken


def _texts(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(f"{{{A}}}t"))


def test_small_text_measure_finds_a_small_run(built):
    """One 9 pt run on an otherwise good slide is found."""
    broken = _copy(built("mlops-default"))
    run = broken.slides[0].find(f".//{{{A}}}rPr")
    run.set("sz", "900")
    assert any("9 pt" in line and "slide 1" in line for line in MEASURES["text under 10 pt"](broken))


def _lines(*lines: str, x: float = 100.0, width: float = 6.0) -> list[list[PdfWord]]:
    """PDF text lines made up for a test: words laid left to right, lines top to bottom."""
    made = []
    for number, line in enumerate(lines):
        words, left = [], x
        for word in line.split():
            words.append(PdfWord(word, left, 100 + 14 * number, left + width * len(word), 112 + 14 * number))
            left += width * (len(word) + 1)
        made.append(words)
    return made


def test_mid_word_measure_finds_a_split_word_and_spares_what_may_break(built):
    """On made-up PDF lines over the persona table slide: "Engineerin / g" is found, and so is
    a line that starts with a comma; a break after a hyphen and a long word wider than its
    column (a URL) are not."""
    deck = built("mlops-default")
    table = next(n for n, root in enumerate(deck.slides) if slide_kind(root) == "persona table")
    broken = _copy(deck)
    root = broken.slides[table]
    cells = _texts(root)
    cells[-1].text = "Data Engineering Team, end-to-end https://learn.example.org/a/very/long/path/to/a/page"
    pages: list = [[] for _ in broken.slides]
    pages[table] = [
        _lines("Data Engineerin", "g Team"),
        _lines("Data", ", end-to-"),
        _lines("end-to-", "end"),
        _lines("https://learn.example.org/a/very/", "long/path/to/a/page", width=9.0),
    ]
    broken.__dict__["pdf_lines"] = pages
    found = MEASURES["mid-word breaks"](broken)
    assert any("'Engineerin' / 'g' breaks a word" in line for line in found), found
    assert any("a line starts with ','" in line for line in found), found
    assert len(found) == 2, found


@pytest.mark.slow
def test_mid_word_measure_reads_libreoffice_output(built, tmp_path):
    """For real: a persona table whose columns are made too narrow for its words is rendered
    by LibreOffice, and the measure finds the words it split."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-impress)")
    deck = cardforge.load_deck(Path(__file__).resolve().parent.parent / "decks" / "mlops.yaml")
    output = tmp_path / "table.pptx"
    cardforge.build(deck, output, sections=[s for s in deck.sections if s.kind == "persona-table"])
    narrowed = tmp_path / "narrow.pptx"
    _rewrite(output, narrowed, lambda xml: re.sub(r'gridCol w="(\d+)"', _third, xml))
    good, bad = BuiltDeck(output, {p.id: p.name for p in deck.personas}), BuiltDeck(narrowed)
    assert MEASURES["mid-word breaks"](good) == []
    assert any("breaks a word" in line for line in MEASURES["mid-word breaks"](bad))


def _third(match: re.Match) -> str:
    return f'gridCol w="{int(match[1]) // 3}"'


def _rewrite(source: Path, target: Path, change) -> None:
    """*source* copied to *target* with *change* applied to every slide's markup."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("ppt/slides/slide") and item.filename.endswith(".xml"):
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(item, data)


def test_cut_names_measure_finds_an_ellipsis_and_a_shortened_list(built):
    deck = built("mlops-default")
    broken = _copy(deck)
    texts = _texts(broken.slides[1].find(".//a:tbl", NS))  # the persona table's last cells
    texts[-1].text = "Discriminative AI Data Sci…"
    texts[-2].text = "BI Analyst (P003), AI Team, + 2 more (see notes)"
    found = MEASURES["cut persona names"](broken)
    assert any("'Discriminative AI Data Scientist' cut" in line for line in found), found
    assert any("a list of personas is shortened" in line for line in found), found
    assert MEASURES["cut persona names"](_copy(deck, deck.slides[:1])) == []


def test_sparse_measure_finds_a_nearly_empty_continuation(built):
    """A table slide split as (1 of 2) with all rows and (2 of 2) with one row is found."""
    deck = built("mlops-default")
    table = next(root for root in deck.slides if root.find(".//a:tbl", NS) is not None)
    first, second = copy.deepcopy(table), copy.deepcopy(table)
    for root, label in ((first, "1 of 2"), (second, "2 of 2")):
        title = next(
            shape for shape in root.iter(f"{{{NS['p']}}}sp") if shape.find(".//p:ph", NS) is not None
        )
        _texts(title)[0].text = f"Personas ({label})"
        for extra in _texts(title)[1:]:
            extra.text = ""
    rows = second.findall(".//a:tbl/a:tr", NS)
    for row in rows[2:]:
        row.getparent().remove(row)
    found = MEASURES["sparse continuation pages"](_copy(deck, [first, second]))
    assert found and found[0].startswith("slide 2 (Personas (2 of 2))"), found
    assert MEASURES["sparse continuation pages"](_copy(deck, [first, first])) == []


def test_body_size_measure_finds_a_card_in_another_size(built):
    deck = built("mlops-default")
    cards = [root for root in deck.slides if slide_kind(root) == "card"]
    broken = _copy(deck, cards[:3])
    for props in broken.slides[1].iter(f"{{{A}}}rPr"):
        if props.get("b") != "1":
            props.set("sz", str(int(props.get("sz")) + 200))
    found = MEASURES["one body size across cards"](broken)
    assert len(found) == 1 and found[0].startswith("slide 2"), found


# --- The diagram measures prove themselves on slides built to break them -------------------

_SLIDE = (
    '<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>{}</p:spTree>'
    "</p:cSld></p:sld>"
)
PT = 12700


def _xfrm(x: float, y: float, w: float, h: float, attrs: str = "") -> str:
    return (
        f'<a:xfrm{attrs}><a:off x="{round(x * PT)}" y="{round(y * PT)}"/>'
        f'<a:ext cx="{round(w * PT)}" cy="{round(h * PT)}"/></a:xfrm>'
    )


def _box(
    shape_id: int, name: str, x: float, y: float, w: float, h: float, text: str = "", link: str = ""
) -> str:
    click = f'<a:hlinkClick r:id="{link}"/>' if link else ""
    body = f"<p:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody>" if text else ""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}">{click}</p:cNvPr><p:cNvSpPr/>'
        f"<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(x, y, w, h)}"
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>{body}</p:sp>'
    )


def _connector(
    name: str,
    ends: tuple[int, int],
    box: tuple[float, float, float, float],
    prst: str,
    attrs: str = "",
    adj=(),
) -> str:
    guides = "".join(f'<a:gd name="adj{i}" fmla="val {v}"/>' for i, v in enumerate(adj, start=1))
    return (
        f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="99" name="{name}"/><p:cNvCxnSpPr>'
        f'<a:stCxn id="{ends[0]}" idx="3"/><a:endCxn id="{ends[1]}" idx="1"/></p:cNvCxnSpPr><p:nvPr/>'
        f"</p:nvCxnSpPr><p:spPr>{_xfrm(*box, attrs)}"
        f'<a:prstGeom prst="{prst}"><a:avLst>{guides}</a:avLst></a:prstGeom></p:spPr></p:cxnSp>'
    )


def _deck_of(*slides: str) -> BuiltDeck:
    deck = BuiltDeck(Path("synthetic.pptx"))
    deck.__dict__["slides"] = [etree.fromstring(_SLIDE.format(s)) for s in slides]
    return deck


def _through(*shapes: str) -> list[str]:
    return MEASURES["connector through a shape"](_deck_of("".join(shapes)))


def test_connector_measure_follows_adjust_values_rotation_flips_and_groups():
    """An elbow from A (right side at x=100, y=50) to B (left side at x=300, y=150) whose
    vertical leg stands at x = 100 + 200 * adj1: the measure finds the box it crosses there
    and only there, also when the route is drawn rotated and flipped, or moved by a group."""
    a = _box(2, "A", 0, 25, 100, 50)
    b = _box(3, "B", 300, 125, 100, 50)
    early = _box(4, "early", 130, 80, 20, 40)  # under a leg at x = 140 (adj1 = 20000)
    late = _box(5, "late", 250, 80, 20, 40)  # under a leg at x = 260 (adj1 = 80000)
    elbow_early = _connector("flow", (2, 3), (100, 50, 200, 100), "bentConnector3", adj=(20000,))
    assert _through(a, b, early, late, elbow_early) == ["slide 1: flow runs through 'early'"]
    elbow_late = _connector("flow", (2, 3), (100, 50, 200, 100), "bentConnector3", adj=(80000,))
    assert _through(a, b, early, late, elbow_late) == ["slide 1: flow runs through 'late'"]
    # Down 40, right 100, down 20 from (150, 0): a bentConnector3 turned a quarter and
    # flipped, in a box 60 wide and 100 high about the route's centre (200, 30). Read without
    # the rotation or the flip, the same markup would run down x = 210, through "decoy".
    leg = _box(6, "leg", 190, 30, 20, 20)
    decoy = _box(7, "decoy", 200, 50, 20, 20)
    turned = _connector(
        "flow", (2, 3), (170, -20, 60, 100), "bentConnector3", ' rot="5400000" flipV="1"', adj=(66667,)
    )
    assert _through(leg, decoy, turned) == ["slide 1: flow runs through 'leg'"]
    # A group whose child space starts at x = 130 but which stands at x = 250 moves "early"
    # under the late leg.
    group = (
        '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="20" name="g"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>'
        f'<a:xfrm><a:off x="{250 * PT}" y="{80 * PT}"/><a:ext cx="{20 * PT}" cy="{40 * PT}"/>'
        f'<a:chOff x="{130 * PT}" y="{80 * PT}"/><a:chExt cx="{20 * PT}" cy="{40 * PT}"/>'
        "</a:xfrm></p:grpSpPr>"
        f"{early}</p:grpSp>"
    )
    assert _through(a, b, group, elbow_late) == ["slide 1: flow runs through 'early'"]
    assert _through(a, b, group, elbow_early) == []


def test_connector_measure_spares_ends_their_contents_and_bands():
    """Badges inside an end, the band both ends stand in and the connector's own label are
    not crossings; a band holding other components is crossed freely when drawn behind."""
    band = _box(10, "band", 120, 0, 100, 200)
    inner = _box(11, "inner", 130, 150, 80, 40)
    inner_name = _box(12, "inner:name", 135, 155, 70, 10, "Inner")
    a = _box(2, "A", 0, 25, 100, 50)
    badge = _box(4, "badge", 80, 30, 15, 10, "P1")
    b = _box(3, "B", 300, 25, 100, 50)
    label = _box(5, "flow:label", 190, 40, 20, 20, "1")
    straight = _connector("flow", (2, 3), (100, 50, 200, 0), "straightConnector1")
    assert _through(band, inner, inner_name, a, badge, b, straight, label) == []
    # Drawn in front of the connector, the band hides it: that is a crossing.
    assert _through(inner, inner_name, a, badge, b, straight, label, band) == [
        "slide 1: flow runs through 'band'"
    ]


def test_overlap_measure_finds_a_label_on_a_name(built):
    half = _box(2, "name", 0, 0, 100, 20, "Azure Event Hubs") + _box(3, "label", 90, 10, 20, 20, "9")
    inside = _box(2, "box", 0, 0, 100, 100, "Card") + _box(3, "chip", 10, 10, 20, 20, "P1")
    touching = _box(2, "left", 0, 0, 100, 20, "Left") + _box(3, "right", 100, 0, 100, 20, "Right")
    measure = MEASURES["overlapping text shapes"]
    assert measure(_deck_of(half)) == ["slide 1: 'name' ('Azure Event Hubs') and 'label' ('9') overlap"]
    assert measure(_deck_of(inside, touching)) == []


def test_drawn_twice_measure_finds_a_repeated_team_or_persona():
    title = (
        '<p:sp><p:nvSpPr><p:cNvPr id="1" name="Title"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr>'
        "</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>Interactions</a:t></a:r></a:p></p:txBody></p:sp>"
    )
    team_twice = _box(2, "caption", 0, 0, 100, 20, "AI Team") + _box(3, "team", 0, 50, 100, 20, "AI  team")
    persona_twice = _box(4, "p", 0, 100, 100, 20, "P001", "rId2") + _box(
        5, "q", 0, 150, 100, 20, "AI Eng", "rId2"
    )
    measure = MEASURES["drawn twice on an interactions slide"]
    found = measure(_deck_of(title + team_twice + persona_twice))
    assert len(found) == 2 and "'AI  team' drawn twice" in found[0] and "same card" in found[1]
    assert measure(_deck_of(team_twice)) == []  # not an interactions slide


# --- Architecture and interactions slides meet every measure on the whole corpus -----------


def _is_diagram(root: etree._Element) -> bool:
    """Architecture slides hold layer bands (``layer:NAME``); interactions slides say so."""
    if slide_title(root).startswith("Interactions"):
        return True
    names = (e.get("name", "") for e in root.iter(f"{{{NS['p']}}}cNvPr"))
    return any(name.startswith("layer:") for name in names)


class DiagramSlides(BuiltDeck):
    """A built deck with every slide but its architecture and interactions slides blanked,
    so that findings keep their slide numbers."""

    @cached_property
    def slides(self) -> list[etree._Element]:
        blank = etree.fromstring(_SLIDE.format(""))
        return [root if _is_diagram(root) else blank for root in BuiltDeck(self.pptx).slides]


@pytest.mark.parametrize("measure", [m for m in MEASURES if m not in NEEDS_PDF])
@pytest.mark.parametrize("deck", list(CORPUS))
def test_diagram_slides_meet_every_measure(measure, deck, built):
    target = DiagramSlides(built(deck).pptx)
    assert any(_is_diagram(root) for root in target.slides) or deck == "mixed-script"
    findings = MEASURES[measure](target)
    assert not findings, f"{len(findings)} problems:\n" + "\n".join(findings[:40])


def test_diagonal_measure_finds_a_slanted_line_and_spares_elbows():
    """A straight connector between boxes at different heights slants; an elbow between the
    same boxes, and a level straight line, do not."""
    a = _box(2, "A", 0, 25, 100, 50)
    b = _box(3, "B", 300, 125, 100, 50)
    slanted = _connector("flow", (2, 3), (100, 50, 200, 100), "straightConnector1")
    elbow = _connector("flow", (2, 3), (100, 50, 200, 100), "bentConnector3", adj=(50000,))
    level = _connector("flow", (2, 3), (100, 50, 200, 0), "straightConnector1")
    diagonal = MEASURES["diagonal connectors"]
    assert diagonal(_deck_of(a + b + slanted)) == ["slide 1: flow runs slanted"]
    assert diagonal(_deck_of(a + b + elbow)) == []
    assert diagonal(_deck_of(a + b + level)) == []
