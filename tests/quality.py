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
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
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
    """What a page holds: its table's data cells, else its persona shapes, else its paragraphs."""
    table = root.find(".//a:tbl", NS)
    if table is not None:
        rows = table.findall("a:tr", NS)
        columns = len(table.findall("a:tblGrid/a:gridCol", NS))
        return max(0, len(rows) - 1) * columns
    names = [e.get("name", "") for e in root.iter(f"{{{P}}}cNvPr")]
    personas = {name.split(":")[1] for name in names if name.startswith("persona:") and name.count(":") >= 1}
    if personas:
        return len(personas)
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
            label = "".join(t.text or "" for t in shape.iter(f"{{{A}}}t"))
            return _PAGE_LABELS.get(label, "title" if label.endswith("personas") else "other")
    return "other"


def slide_number(finding: str) -> int:
    """The slide a finding names (every finding starts with ``slide N``)."""
    return int(finding.split()[1])
