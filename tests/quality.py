"""Design-quality measures: does a built deck read well at the size of use?

Fitting text into its box is not enough. Each measure here looks at a built .pptx (and, where
the question is how the text really lays out, at LibreOffice's PDF of it) and returns what a
reader would stumble over, one line per problem, naming the slide. Every slide kind is held to
the same measures, over the corpus in ``tests/corpus.py``; each measure also proves itself on
a deliberately broken slide, so a measure that finds nothing is known to be able to find
something.

Add a measure with ``@measure("name")``; ``tests/test_quality.py`` runs every registered
measure over every corpus deck.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P}

MIN_SLIDE_PT = 10
"""Nothing on a slide is smaller than this (the size a room reads from the back)."""
EMU_PER_PT = 12700
DEFAULT_INSET_PT = 7.2
"""A text body's left and right inset when the markup gives none (0.1 in)."""
CONTINUATION_SHARE = 1 / 3
"""A continuation page holds at least this share of its first page's rows or items."""


@dataclass
class BuiltDeck:
    """A built presentation, with its slide parts parsed and its PDF rendered on demand."""

    pptx: Path
    personas: dict[str, str] = field(default_factory=dict)
    """Persona id to name, for the measures that look for names on slides."""
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cardforge-quality-")))

    @cached_property
    def slides(self) -> list[etree._Element]:
        """Slide roots in presentation order."""
        with zipfile.ZipFile(self.pptx) as package:
            names = sorted(
                (n for n in package.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")),
                key=lambda n: int(n[len("ppt/slides/slide") : -4]),
            )
            return [etree.fromstring(package.read(name)) for name in names]

    @cached_property
    def pdf(self) -> Path | None:
        """LibreOffice's rendering of the deck, or ``None`` where LibreOffice is not installed."""
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            return None
        profile = (self.work / "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(self.work),
                str(self.pptx),
            ],
            capture_output=True,
            timeout=600,
            check=True,
        )
        return self.work / (self.pptx.stem + ".pdf")

    @cached_property
    def pdf_lines(self) -> list[list[list[PdfWord]]]:
        """Per page, the text lines LibreOffice drew, in reading order within each text flow
        (a table cell or a text box is a flow of its own), each line a list of words."""
        if self.pdf is None:
            return []
        layout = subprocess.run(
            ["pdftotext", "-bbox-layout", str(self.pdf), "-"], capture_output=True, timeout=600, check=True
        ).stdout
        root = etree.fromstring(layout, etree.XMLParser(recover=True, huge_tree=True))
        pages = []
        for page in root.iter("{*}page"):
            flows = []
            for flow in page.iter("{*}flow"):
                lines = [
                    [
                        PdfWord(
                            word.text or "",
                            float(word.get("xMin")),
                            float(word.get("yMin")),
                            float(word.get("xMax")),
                            float(word.get("yMax")),
                        )
                        for word in line.iter("{*}word")
                    ]
                    for line in flow.iter("{*}line")
                ]
                flows.append([line for line in lines if line])
            pages.append(flows)
        return pages


@dataclass(frozen=True)
class PdfWord:
    """A word as LibreOffice drew it: its text and bounding box in points (y down)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class TextArea:
    """Where a text body may set its lines on a slide, in points: a shape's box less its
    insets, or a table column's cells less their margins."""

    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, word: PdfWord) -> bool:
        middle_x, middle_y = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        return self.x0 - 2 <= middle_x <= self.x1 + 2 and self.y0 - 2 <= middle_y <= self.y1 + 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


Measure = Callable[[BuiltDeck], list[str]]
MEASURES: dict[str, Measure] = {}
NEEDS_PDF: set[str] = set()


def measure(name: str, *, pdf: bool = False) -> Callable[[Measure], Measure]:
    """Register a measure under *name*; ``pdf=True`` when it reads LibreOffice's rendering."""

    def register(function: Measure) -> Measure:
        MEASURES[name] = function
        if pdf:
            NEEDS_PDF.add(name)
        return function

    return register


def slide_title(root: etree._Element) -> str:
    """The text of a slide's title placeholder, to name the slide in findings."""
    for shape in root.iter(f"{{{P}}}sp"):
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type") in ("title", "ctrTitle"):
            return "".join(t.text or "" for t in shape.iter(f"{{{A}}}t"))
    return ""


def where(number: int, root: etree._Element) -> str:
    title = slide_title(root)
    return f"slide {number}" + (f" ({title})" if title else "")


@measure("text under 10 pt")
def small_text(deck: BuiltDeck) -> list[str]:
    """Every run, field and end-of-paragraph size on the slides is at least 10 pt."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        for props in root.iter(f"{{{A}}}rPr", f"{{{A}}}endParaRPr", f"{{{A}}}defRPr"):
            size = props.get("sz")
            if size is not None and int(size) < MIN_SLIDE_PT * 100:
                text = _run_text(props)
                found.append(f"{where(number, root)}: {int(size) / 100:g} pt {text!r}")
    return found


def _run_text(props: etree._Element) -> str:
    parent = props.getparent()
    if parent is None:
        return ""
    text = parent.findtext("a:t", default="", namespaces=NS)
    return text[:40]


def _paragraph_texts(root: etree._Element) -> Iterator[str]:
    """Every paragraph's text on a slide (runs joined, line breaks as newlines)."""
    for paragraph in root.iter(f"{{{A}}}p"):
        parts = []
        for child in paragraph:
            if child.tag == f"{{{A}}}r":
                parts.append(child.findtext("a:t", default="", namespaces=NS))
            elif child.tag == f"{{{A}}}br":
                parts.append("\n")
        yield "".join(parts)


def _vocabulary(root: etree._Element) -> tuple[set[str], list[str]]:
    """The words written on a slide (as split at spaces, punctuation kept), and the same
    sorted, to look up words that begin with a fragment."""
    words = {word for text in _paragraph_texts(root) for word in text.split()}
    return words, sorted(words)


def _begins_a_word(fragment: str, ordered: list[str]) -> bool:
    index = bisect.bisect_left(ordered, fragment)
    return index < len(ordered) and ordered[index].startswith(fragment)


def _emu_pt(value: str | None, default: float = 0.0) -> float:
    return default if value is None else int(value) / EMU_PER_PT


def _text_areas(root: etree._Element) -> list[TextArea]:
    """Text areas of a slide's shapes and table columns, group transforms applied."""
    areas: list[TextArea] = []
    _collect_areas(root.find("p:cSld/p:spTree", NS), (1.0, 0.0, 1.0, 0.0), areas)
    return areas


def _collect_areas(tree, transform: tuple[float, float, float, float], areas: list[TextArea]) -> None:
    scale_x, shift_x, scale_y, shift_y = transform
    if tree is None:
        return
    for element in tree:
        tag = etree.QName(element).localname
        if tag == "grpSp":
            xfrm = element.find("p:grpSpPr/a:xfrm", NS)
            off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
            ch_off, ch_ext = xfrm.find("a:chOff", NS), xfrm.find("a:chExt", NS)
            sx = int(ext.get("cx")) / max(1, int(ch_ext.get("cx")))
            sy = int(ext.get("cy")) / max(1, int(ch_ext.get("cy")))
            inner = (
                scale_x * sx,
                shift_x + scale_x * (int(off.get("x")) - sx * int(ch_off.get("x"))),
                scale_y * sy,
                shift_y + scale_y * (int(off.get("y")) - sy * int(ch_off.get("y"))),
            )
            _collect_areas(element, inner, areas)
        elif tag == "sp" and element.find("p:txBody", NS) is not None:
            xfrm = element.find("p:spPr/a:xfrm", NS)
            if xfrm is None:
                continue
            off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
            x = (shift_x + scale_x * int(off.get("x"))) / EMU_PER_PT
            y = (shift_y + scale_y * int(off.get("y"))) / EMU_PER_PT
            w, h = scale_x * int(ext.get("cx")) / EMU_PER_PT, scale_y * int(ext.get("cy")) / EMU_PER_PT
            body = element.find("p:txBody/a:bodyPr", NS)
            left = _emu_pt(body.get("lIns") if body is not None else None, DEFAULT_INSET_PT)
            right = _emu_pt(body.get("rIns") if body is not None else None, DEFAULT_INSET_PT)
            areas.append(TextArea(x + left, y, x + w - right, y + h))
        elif tag == "graphicFrame":
            areas.extend(_table_columns(element, transform))


def _table_columns(frame, transform: tuple[float, float, float, float]) -> list[TextArea]:
    """One area per table column: its width less the cell margins, over the table's height
    and below it (a renderer may grow rows)."""
    table = frame.find(".//a:tbl", NS)
    if table is None:
        return []
    scale_x, shift_x, scale_y, shift_y = transform
    off = frame.find("p:xfrm/a:off", NS)
    x = (shift_x + scale_x * int(off.get("x"))) / EMU_PER_PT
    y = (shift_y + scale_y * int(off.get("y"))) / EMU_PER_PT
    widths = [scale_x * int(c.get("w")) / EMU_PER_PT for c in table.findall("a:tblGrid/a:gridCol", NS)]
    first_row = table.find("a:tr", NS)
    cells = first_row.findall("a:tc", NS) if first_row is not None else []
    areas = []
    for index, width in enumerate(widths):
        props = cells[index].find("a:tcPr", NS) if index < len(cells) else None
        left = _emu_pt(props.get("marL") if props is not None else None, DEFAULT_INSET_PT)
        right = _emu_pt(props.get("marR") if props is not None else None, DEFAULT_INSET_PT)
        areas.append(TextArea(x + left, y, x + width - right, 10_000))
        x += width
    return areas


_PUNCTUATION_START = ",;:.!?)]}"


@measure("mid-word breaks", pdf=True)
def mid_word_breaks(deck: BuiltDeck) -> list[str]:
    """Lines break between words: no word is split over two lines, and no line starts with
    the comma or stop of the line before.

    Read from LibreOffice's rendering: where line *n* of a text flow ends in a fragment that
    is no word of the slide, and that fragment joined with the first word of line *n + 1*
    begins a word of the slide, the word was split. Breaking is fine after a hyphen, between
    CJK characters, and inside a long word (a URL, a path, a compound of 20 letters or more)
    that alone is wider than its text area. A shorter word wider than its area means the
    layout made the area too narrow, and counts.
    """
    found = []
    for number, (root, flows) in enumerate(zip(deck.slides, deck.pdf_lines), start=1):
        words, ordered = _vocabulary(root)
        areas = _text_areas(root)
        for flow in flows:
            for line, following in itertools.pairwise(flow):
                head, tail = line[-1], following[0]
                if tail.text[0] in _PUNCTUATION_START and tail.text not in words:
                    found.append(f"{where(number, root)}: a line starts with {tail.text!r}")
                    continue
                joined = head.text + tail.text
                if head.text in words or not _begins_a_word(joined, ordered):
                    continue
                if _breakable_there(head.text, tail.text):
                    continue
                if _long_word(joined, ordered) and _wider_than_its_area(head, tail, joined in words, areas):
                    continue
                found.append(f"{where(number, root)}: {head.text!r} / {tail.text!r} breaks a word")
    return found


LONG_WORD = 20
"""Characters from which a word may split when it alone is wider than its text area."""
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]")


def _breakable_there(head: str, tail: str) -> bool:
    """Whether a line may end between *head* and *tail*: after a hyphen inside a word, or
    next to a CJK character (such text breaks between any two characters)."""
    if len(head) > 1 and head[-1] in "-‐–" and head[-2].isalpha():
        return True
    return bool(_WIDE.match(head[-1]) or _WIDE.match(tail[0]))


def _long_word(start: str, ordered: list[str]) -> bool:
    """Whether the word that *start* begins is long, or a URL or path."""
    index = bisect.bisect_left(ordered, start)
    word = ordered[index] if index < len(ordered) else start
    return len(word.strip(",;:.()")) >= LONG_WORD or any(mark in word for mark in ("://", "/", "@", "_"))


def _wider_than_its_area(head: PdfWord, tail: PdfWord, whole: bool, areas: list[TextArea]) -> bool:
    """Whether the split word alone is wider than the text area it stands in (then it must split)."""
    if not whole:
        return True  # split over three lines or more: wider than its area by construction
    holding = [area for area in areas if area.holds(head)]
    if not holding:
        return False
    width = min(area.width for area in holding)
    return head.width + tail.width > width - 1.5


def persona_references(deck: BuiltDeck) -> tuple[list[str], set[str]]:
    names = sorted({name for name in deck.personas.values() if name}, key=len, reverse=True)
    return names, {f"({persona_id})" for persona_id in deck.personas}


_MORE = re.compile(r"\+\s?\d+\s+more")
_ELLIPSIS = re.compile(r"…|\.\.\.")


@measure("cut persona names")
def cut_persona_names(deck: BuiltDeck) -> list[str]:
    """A persona name shown on a slide is whole: not cut with an ellipsis, and not among
    the entries a "+ N more" hides (a list that names personas is never shortened)."""
    names, references = persona_references(deck)
    found = []
    for number, root in enumerate(deck.slides, start=1):
        for text in _paragraph_texts(root):
            for match in _ELLIPSIS.finditer(text):
                cut = _cut_name(text[: match.start()].rstrip(), names)
                if cut:
                    found.append(f"{where(number, root)}: {cut!r} cut in {text!r}")
            if _MORE.search(text) and (
                any(reference in text for reference in references) or any(name in text for name in names)
            ):
                found.append(f"{where(number, root)}: a list of personas is shortened: {text!r}")
    return found


def _cut_name(head: str, names: list[str]) -> str | None:
    """The persona name whose beginning *head* ends with (cut short), if any."""
    for name in names:
        for length in range(len(name) - 1, min(3, len(name) - 1) - 1, -1):
            start = len(head) - length
            if start < 0 or not head.endswith(name[:length].rstrip()):
                continue
            start = len(head) - len(name[:length].rstrip())
            if start == 0 or not head[start - 1].isalnum():
                return name
    return None


_NUMBERED = re.compile(r"^(?P<base>.*) \((?P<index>\d+) of (?P<count>\d+)\)$")
_CHROME = ("Title", "Footer", "Page", "Logo")


def slide_items(root: etree._Element) -> int:
    """What a page holds: its table's data cells, else the personas and use cases it lists, else
    its paragraphs."""
    table = root.find(".//a:tbl", NS)
    if table is not None:
        rows = table.findall("a:tr", NS)
        columns = len(table.findall("a:tblGrid/a:gridCol", NS))
        return max(0, len(rows) - 1) * columns
    names = [e.get("name", "") for e in root.iter(f"{{{P}}}cNvPr")]
    listed = {
        tuple(name.split(":")[:2])
        for name in names
        if name.startswith(("persona:", "use case:")) and ":" in name
    }
    if listed:
        return len(listed)
    count = 0
    for shape in root.iter(f"{{{P}}}sp"):
        name = shape.find("p:nvSpPr/p:cNvPr", NS).get("name", "")
        if name in _CHROME:
            continue
        count += sum(1 for text in _paragraph_texts(shape) if text.strip())
    return count


@measure("sparse continuation pages")
def sparse_continuations(deck: BuiltDeck) -> list[str]:
    """A numbered continuation page ("X (2 of 3)") holds at least a third of the rows or
    items of its first page: a nearly empty page is not worth presenting."""
    found = []
    first: tuple[str, int] | None = None
    for number, root in enumerate(deck.slides, start=1):
        match = _NUMBERED.match(slide_title(root))
        if match is None:
            first = None
            continue
        items = slide_items(root)
        if match["index"] == "1":
            first = (match["base"], items)
        elif first is not None and first[0] == match["base"] and items < first[1] * CONTINUATION_SHARE:
            found.append(f"{where(number, root)}: {items} items after {first[1]} on the first page")
    return found


def card_body_sizes(root: etree._Element) -> Counter[int]:
    """The sizes of a card's field values (its label paragraphs are bold), in points."""
    sizes: Counter[int] = Counter()
    for shape in root.iter(f"{{{P}}}sp"):
        name = shape.find("p:nvSpPr/p:cNvPr", NS).get("name", "")
        if not (name.startswith("persona:") and name.endswith((":left", ":right"))):
            continue
        for props in shape.iter(f"{{{A}}}rPr"):
            if props.get("b") != "1" and props.get("sz"):
                sizes[int(props.get("sz")) // 100] += 1
    return sizes


def is_card(root: etree._Element) -> bool:
    return any(e.get("name", "").endswith(":band") for e in root.iter(f"{{{P}}}cNvPr"))


@measure("one body size across cards")
def one_card_body_size(deck: BuiltDeck) -> list[str]:
    """Every card of a deck sets its field values in one size: text that jumps in size from
    card to card looks like a mistake when a facilitator pages through."""
    sizes: dict[int, list[int]] = {}
    for number, root in enumerate(deck.slides, start=1):
        if is_card(root):
            for size in card_body_sizes(root):
                sizes.setdefault(size, []).append(number)
    if len(sizes) <= 1:
        return []
    usual = max(sizes, key=lambda size: len(sizes[size]))
    found = []
    for size, numbers in sorted(sizes.items()):
        if size != usual:
            for number in numbers:
                root = deck.slides[number - 1]
                found.append(f"{where(number, root)}: values in {size} pt; most cards use {usual} pt")
    return found


_PAGE_LABELS = {
    "Persona table": "persona table",
    "Process map": "process map",
    "RBAC": "rbac",
    "Gaps": "gaps",
    "AI categories": "categories",
    "Architecture": "architecture",
    "Interactions": "interactions",
}
DIAGRAM_KINDS = frozenset({"architecture", "interactions"})
"""Slide kinds drawn as diagrams (components, badges, connectors)."""


def slide_kind(root: etree._Element) -> str:
    """Which section made a slide, read from its footer's page label (cards: their band)."""
    if is_card(root):
        return "card"
    for shape in root.iter(f"{{{P}}}sp"):
        if shape.find("p:nvSpPr/p:cNvPr", NS).get("name") == "Page":
            # The label's runs, not the slide number's field after them.
            label = "".join(t.text or "" for t in shape.iterfind(".//a:r/a:t", NS)).removesuffix(" · ")
            return _PAGE_LABELS.get(label, "title" if label.endswith("personas") else "other")
    return "other"


def slide_number(finding: str) -> int:
    """The slide a finding names (every finding starts with ``slide N``)."""
    return int(finding.split()[1])


# --- Geometry of a slide: every shape and connector in slide coordinates ------------------

Matrix = tuple[float, float, float, float, float, float]
"""An affine map (a, b, c, d, e, f): x' = a x + b y + c, y' = d x + e y + f."""
IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    a, b, c, d, e, f = outer
    p, q, r, s, t, u = inner
    return (a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f)


def _apply(m: Matrix, point: tuple[float, float]) -> tuple[float, float]:
    x, y = point
    return m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]


def _placement(xfrm: etree._Element | None, child_frame: bool) -> tuple[Matrix, float, float]:
    """The map from a shape's own box (or a group's child space) to its parent's coordinates,
    with the box's width and height: flips, then rotation about the centre, then offset."""
    if xfrm is None:
        return IDENTITY, 0.0, 0.0
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    x, y = float(off.get("x", 0)), float(off.get("y", 0))
    w, h = float(ext.get("cx", 0)), float(ext.get("cy", 0))
    angle = math.radians(int(xfrm.get("rot", "0")) / 60000)
    cos, sin = math.cos(angle), math.sin(angle)
    sx = -1.0 if xfrm.get("flipH") in ("1", "true") else 1.0
    sy = -1.0 if xfrm.get("flipV") in ("1", "true") else 1.0
    # Own box: translate to centre, flip, rotate (clockwise on a y-down page), move to place.
    to_centre: Matrix = (1.0, 0.0, -w / 2, 0.0, 1.0, -h / 2)
    if child_frame:
        ch_off, ch_ext = xfrm.find("a:chOff", NS), xfrm.find("a:chExt", NS)
        cw, chh = float(ch_ext.get("cx", 0)) or 1.0, float(ch_ext.get("cy", 0)) or 1.0
        scale: Matrix = (
            w / cw,
            0.0,
            -float(ch_off.get("x", 0)) * w / cw,
            0.0,
            h / chh,
            -float(ch_off.get("y", 0)) * h / chh,
        )
        to_centre = _compose(to_centre, scale)
    flip: Matrix = (sx, 0.0, 0.0, 0.0, sy, 0.0)
    rotate: Matrix = (cos, -sin, 0.0, sin, cos, 0.0)
    place: Matrix = (1.0, 0.0, x + w / 2, 0.0, 1.0, y + h / 2)
    return _compose(place, _compose(rotate, _compose(flip, to_centre))), w, h


@dataclass
class Drawn:
    """One shape or connector of a slide, placed in slide coordinates."""

    element: etree._Element
    id: str
    name: str
    order: int
    """Position in drawing order (later is in front)."""
    corners: list[tuple[float, float]]
    """The four corners of its box, in slide coordinates."""
    text: str
    matrix: Matrix
    size: tuple[float, float]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = [c[0] for c in self.corners], [c[1] for c in self.corners]
        return min(xs), min(ys), max(xs), max(ys)

    def holds(self, other: Drawn, slack: float = 1.0) -> bool:
        """Whether *other*'s box lies within this one's (bounding boxes, *slack* EMU)."""
        x0, y0, x1, y1 = self.bounds
        a0, b0, a1, b1 = other.bounds
        return x0 - slack <= a0 and y0 - slack <= b0 and a1 <= x1 + slack and b1 <= y1 + slack


_SHAPE_TAGS = {f"{{{P}}}sp", f"{{{P}}}pic", f"{{{P}}}graphicFrame", f"{{{P}}}cxnSp"}


def drawn(root: etree._Element) -> list[Drawn]:
    """Every shape, picture, table and connector of a slide, through group transforms."""
    found: list[Drawn] = []
    tree = root.find("p:cSld/p:spTree", NS)
    if tree is not None:
        _walk(tree, IDENTITY, found)
    return found


def _walk(group: etree._Element, outer: Matrix, found: list[Drawn]) -> None:
    for child in group:
        if child.tag == f"{{{P}}}grpSp":
            inner, _, _ = _placement(child.find("p:grpSpPr/a:xfrm", NS), child_frame=True)
            _walk(child, _compose(outer, inner), found)
        elif child.tag in _SHAPE_TAGS:
            xfrm = child.find("p:spPr/a:xfrm", NS)
            if xfrm is None:
                xfrm = child.find("p:xfrm", NS)
            local, w, h = _placement(xfrm, child_frame=False)
            matrix = _compose(outer, local)
            props = child.find(".//p:cNvPr", NS)
            corners = [_apply(matrix, p) for p in ((0, 0), (w, 0), (w, h), (0, h))]
            text = " ".join(
                "".join(t.text or "" for t in p.iter(f"{{{A}}}t")) for p in child.iter(f"{{{A}}}p")
            )
            found.append(
                Drawn(
                    child,
                    props.get("id", ""),
                    props.get("name", ""),
                    len(found),
                    corners,
                    text.strip(),
                    matrix,
                    (w, h),
                )
            )


def connector_path(item: Drawn) -> list[tuple[float, float]] | None:
    """The connector's line in slide coordinates, from its preset geometry and adjust values;
    None for a preset this module does not know."""
    geometry = item.element.find("p:spPr/a:prstGeom", NS)
    if geometry is None:
        return None
    adjust = {"adj1": 50000.0, "adj2": 50000.0, "adj3": 50000.0}
    for guide in geometry.findall("a:avLst/a:gd", NS):
        adjust[guide.get("name")] = float(guide.get("fmla", "val 50000").split()[-1])
    w, h = item.size
    x1, y2, x3 = w * adjust["adj1"] / 100000, h * adjust["adj2"] / 100000, w * adjust["adj3"] / 100000
    paths = {
        "line": [(0, 0), (w, h)],
        "straightConnector1": [(0, 0), (w, h)],
        "bentConnector2": [(0, 0), (w, 0), (w, h)],
        "bentConnector3": [(0, 0), (x1, 0), (x1, h), (w, h)],
        "bentConnector4": [(0, 0), (x1, 0), (x1, y2), (w, y2), (w, h)],
        "bentConnector5": [(0, 0), (x1, 0), (x1, y2), (x3, y2), (x3, h), (w, h)],
    }
    local = paths.get(geometry.get("prst", ""))
    if local is None:
        return None
    return [_apply(item.matrix, point) for point in local]


def _segment_enters(start, end, corners: list[tuple[float, float]], margin: float) -> bool:
    """Whether the segment passes through the inside of the convex quadrilateral *corners*
    shrunk by *margin* (Cyrus-Beck clipping)."""
    cx = sum(c[0] for c in corners) / 4
    cy = sum(c[1] for c in corners) / 4
    low, high = 0.0, 1.0
    dx, dy = end[0] - start[0], end[1] - start[1]
    for i in range(4):
        (ax, ay), (bx, by) = corners[i], corners[(i + 1) % 4]
        nx, ny = by - ay, ax - bx  # a normal of the edge
        length = math.hypot(nx, ny)
        if length == 0:
            return False  # a shape without area has no inside
        nx, ny = nx / length, ny / length
        if nx * (cx - ax) + ny * (cy - ay) > 0:
            nx, ny = -nx, -ny  # outward
        # inside when n . (p - a) < -margin
        offset = nx * (start[0] - ax) + ny * (start[1] - ay) + margin
        rate = nx * dx + ny * dy
        if rate == 0:
            if offset >= 0:
                return False
            continue
        t = -offset / rate
        if rate > 0:
            high = min(high, t)
        else:
            low = max(low, t)
        if low >= high:
            return False
    return high - low > 1e-9


def _is_region(item: Drawn, others: list[Drawn]) -> bool:
    """A band or panel: a shape holding shapes that hold shapes (an architecture layer with
    its components). Connectors cross such a band between the things it holds."""
    held = [o for o in others if o is not item and item.holds(o) and not o.holds(item)]
    return any(any(h is not o and h.holds(o) and not o.holds(h) for o in held) for h in held)


CONNECTOR_MARGIN_PT = 0.25
"""How far inside a shape's outline a connector must come to count as entering it."""


@measure("connector through a shape")
def connector_through_shape(deck: BuiltDeck) -> list[str]:
    """No connector runs through a shape other than its two ends, what lies inside them, what
    holds them, its own label, and the bands it crosses behind (see :func:`_is_region`)."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        items = drawn(root)
        connectors = [i for i in items if etree.QName(i.element).localname == "cxnSp"]
        if not connectors:
            continue
        shapes = [i for i in items if etree.QName(i.element).localname != "cxnSp"]
        by_id = {s.id: s for s in shapes}
        regions = {s.order for s in shapes if _is_region(s, shapes)}
        for connector in connectors:
            path = connector_path(connector)
            if path is None:
                found.append(f"{where(number, root)}: {connector.name}: geometry not measured")
                continue
            ends = [
                by_id[e.get("id")]
                for e in connector.element.iter(f"{{{A}}}stCxn", f"{{{A}}}endCxn")
                if e.get("id") in by_id
            ]
            for shape in shapes:
                if shape.name == f"{connector.name}:label" or shape in ends:
                    continue
                if any(end.holds(shape) or shape.holds(end) for end in ends):
                    continue
                if shape.order in regions and shape.order < connector.order:
                    continue
                margin = CONNECTOR_MARGIN_PT * EMU_PER_PT
                if any(_segment_enters(a, b, shape.corners, margin) for a, b in pairwise(path)):
                    found.append(f"{where(number, root)}: {connector.name} runs through {shape.name!r}")
    return found


@measure("diagonal connectors")
def diagonal_connectors(deck: BuiltDeck) -> list[str]:
    """Every segment of a connector runs across or down the slide: one slanted line among
    routed ones reads as a different kind of link, and cuts across the lanes beside it."""
    found = []
    slack = 0.5 * EMU_PER_PT
    for number, root in enumerate(deck.slides, start=1):
        for item in drawn(root):
            if etree.QName(item.element).localname != "cxnSp":
                continue
            path = connector_path(item) or []
            for (ax, ay), (bx, by) in pairwise(path):
                if abs(ax - bx) > slack and abs(ay - by) > slack:
                    found.append(f"{where(number, root)}: {item.name} runs slanted")
                    break
    return found


OVERLAP_SLACK_PT = 0.5
"""Overlaps thinner than this are rounding, not one text covering another."""


@measure("overlapping text shapes")
def overlapping_text(deck: BuiltDeck) -> list[str]:
    """No two shapes that carry text partly overlap (one wholly inside the other is a design)."""
    found = []
    slack = OVERLAP_SLACK_PT * EMU_PER_PT
    for number, root in enumerate(deck.slides, start=1):
        texts = sorted((i for i in drawn(root) if i.text), key=lambda i: i.bounds[0])
        for index, first in enumerate(texts):
            fx0, fy0, fx1, fy1 = first.bounds
            for second in texts[index + 1 :]:
                sx0, sy0, sx1, sy1 = second.bounds
                if sx0 >= fx1 - slack:
                    break  # sorted by left edge: nothing further right overlaps
                if min(fy1, sy1) - max(fy0, sy0) <= slack or min(fx1, sx1) - max(fx0, sx0) <= slack:
                    continue
                if first.holds(second) or second.holds(first):
                    continue
                found.append(
                    f"{where(number, root)}: {first.name!r} ({first.text[:30]!r}) and "
                    f"{second.name!r} ({second.text[:30]!r}) overlap"
                )
    return found


INTERACTIONS_TITLE = "Interactions"
"""Interactions slides are the slides whose title starts with this."""


@measure("drawn twice on an interactions slide")
def drawn_twice(deck: BuiltDeck) -> list[str]:
    """On an interactions slide, each team and persona is drawn once: no two shapes carry the
    same text, and no two shapes link to the same card."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        if not slide_title(root).startswith(INTERACTIONS_TITLE):
            continue
        texts: dict[str, str] = {}
        links: dict[str, str] = {}
        connectors = {i.name for i in drawn(root) if etree.QName(i.element).localname == "cxnSp"}
        for item in drawn(root):
            ph = item.element.find(".//p:nvPr/p:ph", NS)
            if ph is not None or item.name.removesuffix(":label") in connectors:
                continue  # the title, and numbers on arrows, are no team or persona
            key = " ".join(item.text.split()).casefold()
            if key:
                if key in texts:
                    found.append(
                        f"{where(number, root)}: {item.text!r} drawn twice ({texts[key]}, {item.name})"
                    )
                texts.setdefault(key, item.name)
            link = item.element.find("p:nvSpPr/p:cNvPr/a:hlinkClick", NS)
            if link is not None and link.get(f"{{{R}}}id"):
                target = link.get(f"{{{R}}}id")
                if target in links:
                    found.append(
                        f"{where(number, root)}: {item.name} and {links[target]} link to the same card"
                    )
                links.setdefault(target, item.name)
    return found
