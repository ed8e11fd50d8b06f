"""The workshop print kit: print cards, printer-safe sheets, QR codes, blank cards, handouts.

Fast tests read the .pptx (sizes in the XML, boxes in EMU); the slow ones read LibreOffice's
PDF the way a printer would: every character's size, every inked object's place on the sheet,
the cards' trim boxes, and the QR codes decoded back to their links.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import cardforge
from cardforge import limits
from cardforge.layout.fonts import Fonts
from cardforge.layout.print_card import STYLES, PrintCards, front_entries
from cardforge.layout.print_sheet import CARD_SIZES_MM, PAPER_MM, SheetError, crop_marks, plan_sheet
from cardforge.layout.qr import qr_code
from cardforge.model import PrintOptions
from checks import NS, SCHEMAS, boxes, schema_errors, slide_size, slide_xml, structural_problems
from checks import run_cli as run
from corpus import generated_deck, mixed_script_deck

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
GENAIOPS = ROOT / "decks" / "genaiops.yaml"
MM = 36000
HALF_MM = MM // 2
PT_PER_MM = 72 / 25.4
HAS_LIBREOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice")) and bool(
    shutil.which("pdftoppm")
)
needs_libreoffice = pytest.mark.skipif(
    not HAS_LIBREOFFICE, reason="LibreOffice and poppler-utils are not installed (CI installs them)"
)
needs_zbar = pytest.mark.skipif(
    shutil.which("zbarimg") is None,
    reason="zbarimg is not installed (Debian package zbar-tools; .ci/run installs it)",
)


# -- the sheet plan -----------------------------------------------------------------------------


@pytest.mark.parametrize("card_size", sorted(CARD_SIZES_MM))
@pytest.mark.parametrize("paper", sorted(PAPER_MM))
@pytest.mark.parametrize("bleed, margin, crop", [(0, 5, True), (3, 5, True), (0, 8, False), (2, 12, True)])
def test_nothing_is_placed_within_the_sheet_margin(card_size, paper, bleed, margin, crop):
    options = PrintOptions(card_size=card_size, paper=paper, bleed=bleed, margin=margin, crop_marks=crop)
    sheet = plan_sheet(options)
    edge = round(margin * MM)
    inside = (edge, edge, sheet.page_w - edge, sheet.page_h - edge)
    cards = [sheet.slot(i) for i in range(sheet.per_page)]
    bleeds = [
        (b.x - sheet.bleed, b.y - sheet.bleed, b.right + sheet.bleed, b.bottom + sheet.bleed) for b in cards
    ]
    marks = crop_marks(sheet, sheet.per_page) if crop else []
    placed = bleeds + [_corners(m.box) for m in marks] + ([_corners(sheet.header)] if sheet.header else [])
    for x0, y0, x1, y1 in placed:
        assert inside[0] <= x0 and inside[1] <= y0 and x1 <= inside[2] and y1 <= inside[3]
    for mark in marks:  # crop marks stay off every card and its bleed
        assert not any(_overlap(_corners(mark.box), b) for b in bleeds), mark.name
    if sheet.header is not None:
        assert all(sheet.header.bottom < b[1] for b in bleeds)
    for a, b in ((a, b) for i, a in enumerate(cards) for b in cards[i + 1 :]):  # a gutter between cards
        apart = max(b.x - a.right, a.x - b.right, b.y - a.bottom, a.y - b.bottom)
        assert apart >= (2 * sheet.bleed if bleed else round(options.gutter * MM)) - 1
    if crop:
        assert marks, "a sheet with room for crop marks has them"


def _corners(box) -> tuple[int, int, int, int]:
    return box.x, box.y, box.x + box.w, box.y + box.h


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_card_that_cannot_fit_inside_the_margins_is_refused():
    with pytest.raises(SheetError, match="--margin"):
        plan_sheet(PrintOptions(card_size="A5", paper="A4", margin=60))


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--margin", "30"], "--margin"),
        (["--gutter", "-1"], "--gutter"),
        (["--qr", "maybe"], "--qr"),
        (["--blank", "-1"], "--blank"),
        (["--blank", "501"], "--blank"),
    ],
)
def test_print_values_from_the_command_line_are_checked(argv, option, tmp_path, capsys):
    output = tmp_path / "cards.pptx"
    assert run(["print", str(MLOPS), "-o", str(output), *argv]) == 1
    err = capsys.readouterr().err
    assert f"{option}:1:1: error:" in err and "[CF409]" in err
    assert not output.exists()


# -- type on paper ------------------------------------------------------------------------------


def _sizes(root: etree._Element) -> list[int]:
    return [
        int(e.get("sz")) for e in root.iter(f"{{{NS['a']}}}rPr", f"{{{NS['a']}}}endParaRPr") if e.get("sz")
    ]


def _field_sizes(root: etree._Element) -> set[int]:
    """The value sizes of the template fields on the cards of one sheet."""
    keys = ("team", "interacts_with", "processes", "services", "skills", "scope", "data_access")
    found = set()
    for shape in root.iter(f"{{{NS['p']}}}sp"):
        name = shape.find(".//p:cNvPr", NS).get("name")
        if re.fullmatch(r"persona:[^:]+:(" + "|".join(keys) + ")", name):
            found |= {int(r.get("sz")) for r in shape.iter(f"{{{NS['a']}}}rPr")}
    return found


PRINT_DECKS = {
    "mlops": lambda folder: MLOPS,
    "genaiops": lambda folder: GENAIOPS,
    "generated-30": lambda folder: _write(folder / "generated.yaml", generated_deck(30)),
    "mixed-script": lambda folder: _write(folder / "mixed.yaml", mixed_script_deck()),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("deck_name", sorted(PRINT_DECKS))
@pytest.mark.parametrize("card_size", sorted(CARD_SIZES_MM))
def test_print_type_is_8_pt_or_more_with_one_body_size(deck_name, card_size, tmp_path):
    deck = PRINT_DECKS[deck_name](tmp_path)
    output = tmp_path / "cards.pptx"
    assert run(["print", str(deck), "-o", str(output), "--card-size", card_size, "--backs", "--quiet"]) == 0
    assert structural_problems(output) == []
    body = set()
    for name, root in slide_xml(output):
        assert min(_sizes(root)) >= 800, name
        body |= _field_sizes(root)
    assert len(body) == 1, f"one body size on every card of the run, not {body}"
    if card_size in ("A6", "A5"):
        assert body.pop() >= 900


def _print_cards(deck, card_size: str) -> PrintCards:
    sheet = plan_sheet(PrintOptions(card_size=card_size))
    cards = PrintCards(deck, card_size, sheet.card_w, sheet.card_h, Fonts.from_theme(deck.theme), True)
    cards.prepare(deck.personas)
    return cards


@pytest.mark.parametrize("card_size", ["poker", "bridge", "A6"])
def test_a_field_is_left_off_only_when_it_would_not_fit(card_size):
    deck = cardforge.load_deck(MLOPS)
    cards = _print_cards(deck, card_size)
    for persona in deck.personas:
        entries = front_entries(deck, persona, cards.qr_fits(persona))
        cut = cards.fit(entries, persona)
        for entry in cut:
            if entry.dropped:
                entry.dropped = False
                assert not cards._fits(entries, persona, cards.size), (persona.id, entry.key)
                entry.dropped = True


def test_a_full_card_points_to_the_handout_and_says_so(tmp_path, capsys):
    output = tmp_path / "poker.pptx"
    assert run(["print", str(MLOPS), "-o", str(output), "--card-size", "poker"]) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"mlops\.yaml:\d+:\d+: warning: P001 AI Data Engineer: the poker card leaves off .*\[CF202\]", err
    )
    texts = {b.name: b.text for _, root in slide_xml(output) for b in boxes(root)}
    assert "More in the handout" in texts["persona:P001:footer"]
    assert "More in the handout" not in texts["persona:P008:footer"]  # a short persona shows everything
    assert "persona:P008:data_access" in texts
    assert "Azure Data Factory" in texts["persona:P001:services"]


# -- QR codes -----------------------------------------------------------------------------------

URLS = [
    "https://example.org/p",
    "https://learn.microsoft.com/azure/architecture/databases/architecture/dataops-mdw",
    "https://learn.microsoft.com/training/paths/" + "a-rather-long-learning-path-name/" * 4,
]


def _inside(polygons, x: float, y: float) -> bool:
    """Even-odd point-in-polygon test over all outlines."""
    inside = False
    for polygon in polygons:
        for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


@pytest.mark.parametrize("url", URLS)
def test_qr_outlines_cover_exactly_the_dark_modules(url):
    import segno

    code = qr_code(url)
    scale = code.outline.width // code.modules
    matrix = segno.make_qr(url, error="l", boost_error=True).matrix
    polygons = [list(p) for p in code.outline.polygons]
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            assert _inside(polygons, (x + 0.5) * scale, (y + 0.5) * scale) == bool(dark), (x, y)


@needs_zbar
@pytest.mark.parametrize("url", URLS)
def test_a_qr_outline_drawn_as_written_decodes_to_its_url(url, tmp_path):
    from PIL import Image, ImageChops, ImageDraw

    code = qr_code(url)
    scale, pixels = code.outline.width // code.modules, 8
    side = (code.modules + 8) * pixels
    image = Image.new("1", (side, side), 1)
    for polygon in code.outline.polygons:  # even-odd: each outline flips what it covers
        mask = Image.new("1", (side, side), 0)
        points = [((x / scale + 4) * pixels, (y / scale + 4) * pixels) for x, y in polygon]
        ImageDraw.Draw(mask).polygon(points, fill=1)
        image = ImageChops.logical_xor(image, mask)
    path = tmp_path / "qr.png"
    image.save(path)
    assert _decode(path) == [url]


def _decode(png: Path) -> list[str]:
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
    return sorted(line for line in result.stdout.splitlines() if line)


def test_each_card_carries_a_qr_code_to_its_first_learn_link(tmp_path):
    deck = cardforge.load_deck(MLOPS)
    output = tmp_path / "cards.pptx"
    assert run(["print", str(MLOPS), "-o", str(output), "--quiet"]) == 0
    first = slide_xml(output)[0][1]
    for persona in deck.personas[:2]:
        code = _shape(first, f"persona:{persona.id}:qr")
        assert code.find("p:spPr/a:custGeom", NS) is not None
        assert _link_target(output, "ppt/slides/slide1.xml", code) == persona.learn[0].url
        zone = _box(_shape(first, f"persona:{persona.id}:qr:quiet zone"))
        inner = _box(code)
        assert zone[0] <= inner[0] and inner[2] <= zone[2] and zone[1] <= inner[1] and inner[3] <= zone[3]
        module = (inner[2] - inner[0]) / qr_code(persona.learn[0].url).modules
        assert module >= 0.35 * MM
        for other in boxes(first):  # nothing printed in the code's quiet zone
            if other.name.startswith(f"persona:{persona.id}:") and other.kind == "textbox":
                grown = (
                    zone[0] - 2 * module,
                    zone[1] - 2 * module,
                    zone[2] + 2 * module,
                    zone[3] + 2 * module,
                )
                assert not _overlap(grown, (other.x, other.y, other.x + other.w, other.y + other.h)), (
                    other.name
                )
        caption = next(b for b in boxes(first) if b.name == f"persona:{persona.id}:qr caption")
        assert persona.learn[0].title in caption.text
        learn = next((b for b in boxes(first) if b.name == f"persona:{persona.id}:learn"), None)
        assert learn is None or persona.learn[0].title not in learn.text  # named once, beside its code


def _shape(root: etree._Element, name: str) -> etree._Element:
    return next(e for e in root.iter(f"{{{NS['p']}}}sp") if e.find(".//p:cNvPr", NS).get("name") == name)


def _box(shape: etree._Element) -> tuple[int, int, int, int]:
    off, ext = shape.find("p:spPr/a:xfrm/a:off", NS), shape.find("p:spPr/a:xfrm/a:ext", NS)
    x, y = int(off.get("x")), int(off.get("y"))
    return x, y, x + int(ext.get("cx")), y + int(ext.get("cy"))


def _link_target(pptx: Path, part: str, shape: etree._Element) -> str:
    rel_id = shape.find(".//p:cNvPr/a:hlinkClick", NS).get(f"{{{NS['r']}}}id")
    rels_name = part.replace("slides/", "slides/_rels/") + ".rels"
    with zipfile.ZipFile(pptx) as package:
        rels = etree.fromstring(package.read(rels_name))
    return next(r.get("Target") for r in rels if r.get("Id") == rel_id)


PERSONA_URL_DECK = """\
cardforge: 1
title: Links
personas:
  - id: P1
    name: Engineer
    url: https://wiki.example.org/personas/engineer
    learn: [{title: Getting started, url: "https://example.org/start"}]
  - id: P2
    name: Analyst
    learn: [{title: Way too long, url: "https://example.org/LONG"}]
  - id: P3
    name: Tester
"""


def test_a_persona_url_wins_and_a_link_too_long_to_scan_is_left_off(write_deck, tmp_path, capsys):
    deck = write_deck(PERSONA_URL_DECK.replace("LONG", "x" * 900))
    output = tmp_path / "cards.pptx"
    assert run(["print", str(deck), "-o", str(output), "--card-size", "poker"]) == 0
    err = capsys.readouterr().err
    assert "P2: the link https://example.org/xxx" in err and "[CF203]" in err
    root = slide_xml(output)[0][1]
    names = {b.name for b in boxes(root)}
    assert _link_target(output, "ppt/slides/slide1.xml", _shape(root, "persona:P1:qr")) == (
        "https://wiki.example.org/personas/engineer"
    )
    texts = {b.name: b.text for b in boxes(root)}
    assert "the persona's page" in texts["persona:P1:qr caption"]
    assert "Getting started" in texts["persona:P1:learn"]  # the code opens the page: the link is listed
    assert "persona:P2:qr" not in names and "persona:P3:qr" not in names


def test_no_codes_with_qr_none_and_codes_on_the_backs_when_asked(tmp_path):
    plain = tmp_path / "plain.pptx"
    assert run(["print", str(MLOPS), "-o", str(plain), "--qr", "none", "--quiet"]) == 0
    assert not any(":qr" in b.name for _, root in slide_xml(plain) for b in boxes(root))
    backs = tmp_path / "backs.pptx"
    assert run(["print", str(MLOPS), "-o", str(backs), "--backs", "--qr-on-back", "--quiet"]) == 0
    pages = slide_xml(backs)
    front, back = boxes(pages[0][1]), boxes(pages[1][1])
    assert not any(":qr" in b.name for b in front)
    assert {b.name for b in back if b.name.endswith(":back-qr")} == {
        "persona:P001:back-qr",
        "persona:P002:back-qr",
    }
    footer = next(b for b in front if b.name == "persona:P001:footer")
    assert "QR code on the back" in footer.text
    card = next(b for b in back if b.name == "persona:P001:back")
    code = next(b for b in back if b.name == "persona:P001:back-qr:quiet zone")
    assert card.x <= code.x and code.x + code.w <= card.x + card.w and card.y <= code.y


# -- blank cards --------------------------------------------------------------------------------


def test_blank_cards_are_the_template_with_writing_lines(tmp_path):
    output = tmp_path / "blank.pptx"
    assert run(["print", str(MLOPS), "-o", str(output), "--blank", "3", "--quiet"]) == 0
    shapes = [b for _, root in slide_xml(output) for b in boxes(root)]
    assert not any(b.name.startswith("persona:") for b in shapes)
    cards = [b for b in shapes if re.fullmatch(r"blank:\d+:card", b.name)]
    assert [b.name for b in cards] == ["blank:1:card", "blank:2:card", "blank:3:card"]
    for card in cards:
        number = card.name.split(":")[1]
        labels = {
            b.text for b in shapes if b.name.startswith(f"blank:{number}:") and b.name.endswith(":label")
        }
        assert {"Team", "Primary interaction", "Processes", "Component access", "Skills"} <= labels
        lines = sorted(
            (
                b
                for b in shapes
                if b.name.startswith(f"blank:{number}:") and ":line" in b.name and b.w > 20 * MM
            ),
            key=lambda b: (b.x, b.y),
        )
        assert len(lines) >= 12
        for line in lines:
            assert card.x <= line.x and line.x + line.w <= card.x + card.w
            assert card.y <= line.y <= card.y + card.h
        pitches = [b.y - a.y for a, b in itertools.pairwise(lines) if a.x == b.x and b.y > a.y]
        assert min(pitches) >= STYLES["A6"].writing_pitch_mm * MM - HALF_MM  # room for handwriting


def test_blank_cards_follow_the_persona_cards_when_asked(tmp_path):
    output = tmp_path / "mixed.pptx"
    assert (
        run(["print", str(MLOPS), "-o", str(output), "--blank", "2", "--with-cards", "--card-size", "poker"])
        == 0
    )
    order = [
        b.name.rsplit(":", 1)[0]
        for _, root in slide_xml(output)
        for b in sorted(boxes(root), key=lambda b: (b.y, b.x))
        if b.name.endswith(":card")
    ]
    assert order == [f"persona:P{i:03d}" for i in range(1, 12)] + ["blank:1", "blank:2"]


# -- handouts -----------------------------------------------------------------------------------


def test_a_handout_page_per_persona_with_everything(tmp_path):
    deck = cardforge.load_deck(MLOPS)
    output = tmp_path / "handout.pptx"
    assert run(["handout", str(MLOPS), "-o", str(output), "--quiet"]) == 0
    assert slide_size(output) == (210 * MM, 297 * MM)  # portrait A4
    pages = slide_xml(output)
    assert len(pages) == len(deck.personas)
    assert structural_problems(output) == []
    root = pages[0][1]
    assert min(_sizes(root)) >= 800
    text = "\n".join(b.text for b in boxes(root))
    persona = deck.personas[0]
    for responsibility in persona.responsibilities:
        assert responsibility in text
    assert "As an AI Data Engineer, I want yesterday's sales from every store" in text.replace("\n", " ")
    for link in persona.learn:
        assert link.url in text and link.title in text
    codes = [e for e in root.iter(f"{{{NS['p']}}}sp") if e.find("p:spPr/a:custGeom", NS) is not None]
    assert sorted(_link_target(output, "ppt/slides/slide1.xml", c) for c in codes) == sorted(
        link.url for link in persona.learn
    )
    table = next(e for e in root.iter(f"{{{NS['a']}}}tbl"))
    rows = [
        ["".join(t.text or "" for t in c.iter(f"{{{NS['a']}}}t")) for c in r.findall("a:tc", NS)]
        for r in table.findall("a:tr", NS)
    ]
    assert rows[0] == ["Service", "Dev", "Stage", "Prod"]
    assert ["Azure Data Factory", "Contributor", "Reader", "Reader"] in rows
    margin = 15 * MM
    for b in boxes(root):
        assert margin - 1 <= b.x and b.x + b.w <= 210 * MM - margin + 1, b.name
        assert margin - 1 <= b.y and b.y + b.h <= 297 * MM - margin + 1, b.name


def test_a_persona_with_more_than_a_page_continues_on_its_own_page(write_deck, tmp_path):
    duties = "\n".join(
        f"      - Duty number {i} with a sentence long enough to wrap a line or two"
        for i in range(limits.LIST_ENTRIES)
    )
    deck = write_deck(
        "cardforge: 1\ntitle: Long\npersonas:\n  - id: P1\n    name: Busy\n    responsibilities:\n"
        f"{duties}\n  - id: P2\n    name: Idle\n"
    )
    output = tmp_path / "handout.pptx"
    assert run(["handout", str(deck), "-o", str(output), "--paper", "Letter", "--quiet"]) == 0
    assert slide_size(output) == (round(215.9 * MM), round(279.4 * MM))
    pages = slide_xml(output)
    assert len(pages) == 3
    names = [next(b.text for b in boxes(root) if b.name == "persona:P1:name") for _, root in pages[:2]]
    assert names == ["Busy", "Busy (continued)"]
    text = "\n".join(b.text for _, root in pages[:2] for b in boxes(root))
    assert all(f"Duty number {i} " in text for i in range(limits.LIST_ENTRIES))


@pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/ooxml-schemas is absent")
def test_print_sheets_and_handouts_are_schema_valid(tmp_path):
    cards, handout = tmp_path / "cards.pptx", tmp_path / "handout.pptx"
    assert (
        run(["print", str(MLOPS), "-o", str(cards), "--backs", "--blank", "1", "--with-cards", "--quiet"])
        == 0
    )
    assert run(["handout", str(MLOPS), "-o", str(handout), "--quiet"]) == 0
    assert schema_errors(cards) == []
    assert schema_errors(handout) == []


# -- the printed PDF ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    """PDFs as they go to the printer: A6 cards with backs, poker cards with blanks, a handout."""
    if not HAS_LIBREOFFICE:
        pytest.skip("LibreOffice and poppler-utils are not installed (CI installs them)")
    folder = tmp_path_factory.mktemp("printed")
    jobs = {
        "a6": ["print", str(MLOPS), "--backs"],
        "poker": ["print", str(MLOPS), "--card-size", "poker", "--blank", "2", "--with-cards"],
        "handout": ["handout", str(MLOPS)],
    }
    made = {}
    for name, argv in jobs.items():
        made[name] = folder / f"{name}.pdf"
        assert run([*argv, "-o", str(made[name]), "--quiet"]) == 0
    return made


def _objects(pdf: Path):
    """Every page's size and the characters and inked shapes on it (pdfminer, PDF points)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve, LTImage

    def walk(item):
        yield item
        if hasattr(item, "__iter__"):
            for child in item:
                yield from walk(child)

    for page in extract_pages(pdf):
        items = []
        for item in walk(page):
            if isinstance(item, LTCurve) and not item.stroke and _white(item.non_stroking_color):
                continue  # paper colour: no ink
            if isinstance(item, (LTChar, LTCurve, LTImage)):
                items.append(item)
        yield page, items


def _white(colour) -> bool:
    return colour is not None and tuple(colour) in ((1, 1, 1), (1.0, 1.0, 1.0), (1,))


@needs_libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("name, margin_mm", [("a6", 5), ("poker", 5), ("handout", 15)])
def test_printed_text_is_8_pt_or_more_and_nothing_is_within_the_margin(printed, name, margin_mm):
    from pdfminer.layout import LTChar

    pages = 0
    for page, items in _objects(printed[name]):
        pages += 1
        edge = margin_mm * PT_PER_MM - 0.1  # a tenth of a point for rounding in the PDF
        chars = [i for i in items if isinstance(i, LTChar) and i.get_text().strip()]
        assert chars
        assert min(round(c.size, 1) for c in chars) >= 8.0
        for item in items:
            x0, y0, x1, y1 = item.bbox
            assert edge <= x0 and edge <= y0 and x1 <= page.width - edge and y1 <= page.height - edge, (
                pages,
                type(item).__name__,
                item.bbox,
            )
    assert pages >= 2


@needs_libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("name, card_size", [("a6", "A6"), ("poker", "poker")])
def test_printed_cards_are_their_size_and_in_their_place(printed, name, card_size):
    from pdfminer.layout import LTCurve

    sheet = plan_sheet(PrintOptions(card_size=card_size))
    card_fill = (0.949, 0.949, 0.949)  # the default theme's card colour, F2F2F2
    page, items = next(_objects(printed[name]))
    cards = sorted(
        (i for i in items if isinstance(i, LTCurve) and _close(i.non_stroking_color, card_fill)),
        key=lambda r: (-r.y1, r.x0),
    )
    assert len(cards) == sheet.per_page
    for index, rect in enumerate(cards):
        slot = sheet.slot(index)
        want = (slot.x / MM, slot.y / MM, slot.w / MM, slot.h / MM)
        got = (
            rect.x0 / PT_PER_MM,
            (page.height - rect.y1) / PT_PER_MM,
            rect.width / PT_PER_MM,
            rect.height / PT_PER_MM,
        )
        assert all(abs(g - w) <= 0.5 for g, w in zip(got, want)), (index, got, want)


def _close(colour, want) -> bool:
    return colour is not None and len(colour) == 3 and all(abs(a - b) < 0.01 for a, b in zip(colour, want))


@needs_libreoffice
@needs_zbar
@pytest.mark.slow
@pytest.mark.parametrize(
    "name, page, expected", [("a6", 1, ("P001", "P002")), ("poker", 1, ()), ("handout", 1, ())]
)
def test_printed_qr_codes_decode_to_their_links(printed, name, page, expected, tmp_path):
    deck = cardforge.load_deck(MLOPS)
    if name == "a6":
        urls = [deck.persona(pid).learn[0].url for pid in expected]
    elif name == "poker":
        urls = [p.learn[0].url for p in deck.personas[:9] if p.learn]
    else:
        urls = [link.url for link in deck.personas[0].learn]
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "200",
            "-f",
            str(page),
            "-l",
            str(page),
            str(printed[name]),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    assert _decode(png) == sorted(urls)


def _hostile_deck() -> str:
    """Every text at its longest, lists at their largest, many environments, a long link."""
    long = " ".join(["Words that keep going"] * 190)[:4000]
    name = ("Extraordinarily Long Persona Name " * 6)[:200].strip()
    services = ", ".join(f"Service number {i} with a long name" for i in range(limits.LIST_ENTRIES))
    envs = [f"Environment {i}" for i in range(8)]
    roles = ", ".join(f"'{env}': '{'Custom role ' * 300}'" for env in envs)
    url = "https://example.org/" + "a" * 2000
    return f"""\
cardforge: 1
title: '{name}'
footer: '{name}'
use_cases:
  - id: UC1
    name: Everything
    stories:
      - {{persona: {"X" * 40}, want: '{long}', so_that: '{long}'}}
personas:
  - id: {"X" * 40}
    name: '{name}'
    kind: agent
    goal: '{long}'
    scope: '{long}'
    data_access: '{long}'
    responsibilities: ['{long}', '{long}']
    services: [{services}]
    learn: [{{title: '{name}', url: '{url}'}}, {{title: Short, url: 'https://example.org/s'}}]
    people: []
rbac:
  environments: [{", ".join(envs)}]
  grants:
    - {{persona: {"X" * 40}, service: '{name}', roles: {{{roles}}}}}
"""


@pytest.mark.parametrize("card_size", sorted(CARD_SIZES_MM))
def test_a_deck_at_every_limit_prints_inside_its_cards_at_8_pt(card_size, write_deck, tmp_path):
    deck = write_deck(_hostile_deck())
    output = tmp_path / "cards.pptx"
    argv = ["print", str(deck), "-o", str(output), "--card-size", card_size, "--backs", "--blank", "1"]
    assert run([*argv, "--with-cards", "--quiet"]) == 0
    assert structural_problems(output) == []
    sheet = plan_sheet(PrintOptions(card_size=card_size))
    for _, root in slide_xml(output):
        assert min(_sizes(root)) >= 800
        cards = [b for b in boxes(root) if b.name.endswith((":card", ":back"))]
        for shape in boxes(root):
            if shape.name.startswith(("persona:", "blank:")):
                assert any(
                    c.x <= shape.x
                    and shape.x + shape.w <= c.x + c.w + 1
                    and c.y <= shape.y
                    and shape.y + shape.h <= c.y + c.h + 1
                    for c in cards
                ), shape.name
            edge = round(5 * MM)
            assert edge <= shape.x and shape.x + shape.w <= sheet.page_w - edge, shape.name


def test_a_deck_at_every_limit_makes_a_handout_that_runs_on(write_deck, tmp_path):
    deck = write_deck(_hostile_deck())
    output = tmp_path / "handout.pptx"
    assert run(["handout", str(deck), "-o", str(output), "--quiet"]) == 0
    assert structural_problems(output) == []
    pages = slide_xml(output)
    assert len(pages) > 1
    margin = 15 * MM
    for _, root in pages:
        assert min(_sizes(root)) >= 800
        for b in boxes(root):
            assert margin - 1 <= b.y and b.y + b.h <= 297 * MM - margin + 1, b.name
    services = [b.text for _, root in pages for b in boxes(root) if re.search(r":services(:\d+)?$", b.name)]
    text = re.sub(r"\s", "", "".join(services))
    assert all(f"Servicenumber{i}withalongname" in text for i in range(limits.LIST_ENTRIES))


def test_same_deck_same_bytes(tmp_path):
    outputs = []
    for run_number in (1, 2):
        cards, handout = tmp_path / f"cards{run_number}.pptx", tmp_path / f"handout{run_number}.pptx"
        assert (
            run(["print", str(MLOPS), "-o", str(cards), "--backs", "--blank", "1", "--with-cards", "-q"]) == 0
        )
        assert run(["handout", str(MLOPS), "-o", str(handout), "-q"]) == 0
        outputs.append((cards.read_bytes(), handout.read_bytes()))
    assert outputs[0] == outputs[1]


def test_a_name_too_long_for_the_header_is_cut_and_the_card_says_so(write_deck, tmp_path, capsys):
    name = "Principal Platform Engineer for Regulated Data and Machine Learning Operations " * 2
    deck = write_deck(f"cardforge: 1\ntitle: t\npersonas:\n  - {{id: P1, name: '{name.strip()}'}}\n")
    output = tmp_path / "cards.pptx"
    assert run(["print", str(deck), "-o", str(output), "--card-size", "poker"]) == 0
    assert re.search(r"deck\.yaml:4:5: warning: P1 .*shortens the name.*\[CF202\]", capsys.readouterr().err)
    texts = {b.name: b.text for b in boxes(slide_xml(output)[0][1])}
    assert texts["persona:P1:name"].endswith("…")
    assert "More in the handout" in texts["persona:P1:footer"]
