"""The rules of PowerPoint's Accessibility Checker, applied to a built .pptx.

Each rule looks at the markup a screen reader and the Checker see and returns one line per
problem, naming the slide (``slide N (TITLE): ...``):

- ``missing alt text``: every picture, shape without text, connector and group either has
  alternative text or is marked decorative (``adec:decorative``);
- ``alt text repeats visible text``: alternative text that says only what the slide already
  shows (a shape's own text, or another shape's) is read twice; a decorative shape holds no
  text and no link;
- ``missing slide title`` and ``duplicate slide title``: every slide has a title in a title
  placeholder, and no two slides share one;
- ``reading order``: the title is read first, the footer, date and slide number last, and
  the content between them in the order the eye takes (nothing read later stands above an
  earlier shape in its column, or left of it in its row);
- ``table header row``: every table marks its first row as the header and fills it;
- ``text contrast``: text reaches WCAG 2 contrast on what is behind it (4.5:1, large text
  3:1), links in the colour PowerPoint draws them (the theme's hyperlink colour);
- ``link text``: a link's text says where it goes (not a bare address or "click here").

Add a rule with ``@rule("name")``; ``tests/test_accessibility.py`` runs every rule over
every shipped deck in every shipped theme, the corpus, print sheets and handouts, and proves
each rule on a broken slide.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from lxml import etree

from quality import NS, A, BuiltDeck, Drawn, P, R, _segment_enters, connector_path, drawn, slide_title, where

DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
HYPERLINK_COLOUR_URI = "{A12FA001-AC4F-418D-AE19-62706E023703}"
"""The extension that makes PowerPoint draw a link in its run's colour (not the theme's)."""
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
FOOTER_PLACEHOLDERS = frozenset({"ftr", "sldNum", "dt"})
TITLE_PLACEHOLDERS = frozenset({"title", "ctrTitle"})
NORMAL_CONTRAST = 4.5
LARGE_CONTRAST = 3.0
UNCLEAR_LINK_TEXT = frozenset(
    {"click here", "here", "link", "this link", "more", "read more", "learn more", "this", "click", "url"}
)
_ADDRESS = re.compile(r"^(https?://|www\.|mailto:)\S+$", re.IGNORECASE)


@dataclass
class CheckedDeck(BuiltDeck):
    """A built deck with the parts the Checker reads beside its slides: each slide's layout
    and master (for its background), and the theme (for scheme and hyperlink colours)."""

    @cached_property
    def parts(self) -> dict[str, bytes]:
        with zipfile.ZipFile(self.pptx) as package:
            return {
                name: package.read(name) for name in package.namelist() if name.endswith((".xml", ".rels"))
            }

    @cached_property
    def slide_names(self) -> list[str]:
        return sorted(
            (n for n in self.parts if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
            key=lambda n: int(n[len("ppt/slides/slide") : -4]),
        )

    def related(self, part: str, kind: str) -> str | None:
        """The part *part* relates to with a relationship type ending in ``/kind``."""
        folder, name = posixpath.split(part)
        rels = self.parts.get(f"{folder}/_rels/{name}.rels")
        if rels is None:
            return None
        for rel in etree.fromstring(rels).iter(f"{REL}Relationship"):
            if rel.get("Type", "").endswith(f"/{kind}") and rel.get("TargetMode") != "External":
                return posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        return None

    @cached_property
    def scheme(self) -> dict[str, str]:
        """Theme colour slots (``dk1``, ``accent1``, ``hlink``...) to ``RRGGBB``, with the
        master's colour map applied (``tx1``, ``bg1``...)."""
        master = self.related(self.slide_names[0], "slideLayout") if self.slide_names else None
        master = self.related(master, "slideMaster") if master else None
        theme = self.related(master, "theme") if master else None
        colours: dict[str, str] = {}
        if theme is not None:
            scheme = etree.fromstring(self.parts[theme]).find(".//a:clrScheme", NS)
            for slot in scheme if scheme is not None else []:
                value = slot.find("a:srgbClr", NS)
                system = slot.find("a:sysClr", NS)
                if value is not None:
                    colours[etree.QName(slot).localname] = value.get("val", "000000").upper()
                elif system is not None:
                    colours[etree.QName(slot).localname] = system.get("lastClr", "000000").upper()
        mapping = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}
        if master is not None:
            colour_map = etree.fromstring(self.parts[master]).find("p:clrMap", NS)
            if colour_map is not None:
                mapping = {key: colour_map.get(key, value) for key, value in mapping.items()}
        for alias, slot in mapping.items():
            if slot in colours:
                colours[alias] = colours[slot]
        return colours

    def colour(self, holder: etree._Element | None) -> str | None:
        """The solid colour a fill holder (``a:solidFill``, ``p:bgPr``...) names, if any."""
        if holder is None:
            return None
        found = holder.find("a:srgbClr", NS)
        if found is not None:
            return found.get("val", "").upper()
        found = holder.find("a:schemeClr", NS)
        if found is not None:
            return self.scheme.get(found.get("val", ""), None)
        return None

    @cached_property
    def backgrounds(self) -> list[str]:
        """Each slide's background colour: its own, else its layout's, else its master's."""
        found = []
        for name in self.slide_names:
            colour = None
            part: str | None = name
            while part is not None and colour is None:
                root = etree.fromstring(self.parts[part])
                background = root.find("p:cSld/p:bg", NS)
                if background is not None:
                    properties = background.find("p:bgPr/a:solidFill", NS)
                    reference = background.find("p:bgRef", NS)
                    colour = self.colour(properties) if properties is not None else self.colour(reference)
                kind = "slideLayout" if "/slides/" in part else "slideMaster" if "Layouts/" in part else ""
                part = self.related(part, kind) if kind else None
            found.append(colour or "FFFFFF")
        return found


Rule = Callable[[CheckedDeck], list[str]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[name] = function
        return function

    return register


def check(deck: CheckedDeck) -> dict[str, list[str]]:
    """Every rule's findings on *deck*."""
    return {name: function(deck) for name, function in RULES.items()}


# --- What a screen reader sees of a shape -------------------------------------------------


def properties(element: etree._Element) -> etree._Element:
    """The ``p:cNvPr`` of a shape, picture, connector, table or group."""
    found = element.find("./*/p:cNvPr", NS)
    assert found is not None, etree.QName(element).localname
    return found


def is_decorative(element: etree._Element) -> bool:
    """Marked decorative, itself or through a group that holds it."""
    while element is not None and etree.QName(element).localname != "spTree":
        props = element.find("./*/p:cNvPr", NS)
        if props is not None:
            for ext in props.findall("a:extLst/a:ext", NS):
                mark = ext.find(f"{{{ADEC}}}decorative")
                if ext.get("uri") == DECORATIVE_URI and mark is not None and mark.get("val") in ("1", "true"):
                    return True
        element = element.getparent()
    return False


def placeholder(element: etree._Element) -> str | None:
    """The placeholder type of a shape (``title``, ``ftr``...), ``body`` when untyped."""
    ph = element.find("./*/p:nvPr/p:ph", NS)
    return None if ph is None else ph.get("type", "body")


def text_of(element: etree._Element) -> str:
    """The visible text of a shape, paragraphs joined by spaces."""
    return " ".join(
        "".join(t.text or "" for t in paragraph.iter(f"{{{A}}}t")) for paragraph in element.iter(f"{{{A}}}p")
    ).strip()


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def kind_of(element: etree._Element) -> str:
    return {"sp": "shape", "pic": "picture", "cxnSp": "connector", "grpSp": "group", "graphicFrame": "table"}[
        etree.QName(element).localname
    ]


_OBJECTS = (f"{{{P}}}sp", f"{{{P}}}pic", f"{{{P}}}cxnSp", f"{{{P}}}grpSp", f"{{{P}}}graphicFrame")


def objects(root: etree._Element) -> Iterator[etree._Element]:
    """Every shape, picture, connector, group and table of a slide, in reading order."""
    tree = root.find("p:cSld/p:spTree", NS)
    if tree is not None:
        yield from tree.iter(*_OBJECTS)


def readable(item: Drawn) -> bool:
    """Read by a screen reader: not decorative, and with text or alternative text."""
    element = item.element
    return not is_decorative(element) and bool(text_of(element) or properties(element).get("descr"))


# --- The rules ----------------------------------------------------------------------------


@rule("missing alt text")
def missing_alt_text(deck: CheckedDeck) -> list[str]:
    """Pictures, shapes without text, connectors and groups have alt text or are decorative."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        for element in objects(root):
            kind = kind_of(element)
            if kind == "table" or is_decorative(element) or properties(element).get("descr", "").strip():
                continue
            if kind == "shape" and (text_of(element) or placeholder(element)):
                continue
            found.append(f"{where(number, root)}: {kind} {properties(element).get('name')!r} has no alt text")
    return found


NEIGHBOURS = 2
"""Shapes read just before and after a shape whose words its alt text may not merely repeat."""


@rule("alt text repeats visible text")
def repeated_alt_text(deck: CheckedDeck) -> list[str]:
    """Alt text adds something a listener does not hear anyway: alt text made only of words
    of the shape's own text, of what stands on it, or of the shapes read just before and
    after it is read twice for nothing. A decorative shape carries no text and no link."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        items = drawn(root)
        read = [item for item in items if readable(item)]
        place = {id(item.element): index for index, item in enumerate(read)}
        said = {id(item.element): words(text_of(item.element)) for item in read}
        for element in objects(root):
            props = properties(element)
            name = props.get("name")
            if is_decorative(element):
                link = (
                    props.find("a:hlinkClick", NS) is not None
                    or element.find(".//a:hlinkClick", NS) is not None
                )
                if kind_of(element) != "group" and (text_of(element) or link):
                    found.append(
                        f"{where(number, root)}: {name!r} is marked decorative but holds text or a link"
                    )
                continue
            alt = words(props.get("descr", ""))
            if alt and alt <= _heard_around(element, items, read, place, said):
                found.append(
                    f"{where(number, root)}: {name!r} alt text {props.get('descr')!r} repeats the text"
                )
    return found


def _heard_around(element, items: list[Drawn], read: list[Drawn], place: dict, said: dict) -> set[str]:
    """The words a listener hears with *element*: its own text, the text of what stands on it
    (overlaps it), and of the shapes read just before and after it."""
    heard = words(text_of(element))
    own = next((item for item in items if item.element is element), None)
    if own is None:  # a group: the shapes it holds
        inside = [item for item in read if element in item.element.iterancestors()]
        return heard | {word for item in inside for word in said[id(item.element)]}
    index = place.get(id(element))
    if index is not None:
        for other in read[max(0, index - NEIGHBOURS) : index + NEIGHBOURS + 1]:
            heard |= said[id(other.element)]
    if kind_of(element) == "shape":  # a line has nothing standing on it
        for other in read:
            if other is not own and kind_of(other.element) == "shape" and _overlap(own, other):
                heard |= said[id(other.element)]
    return heard


def _overlap(first: Drawn, second: Drawn) -> bool:
    ax0, ay0, ax1, ay1 = first.bounds
    bx0, by0, bx1, by1 = second.bounds
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _title_shapes(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter(f"{{{P}}}sp") if placeholder(e) in TITLE_PLACEHOLDERS]


@rule("missing slide title")
def missing_title(deck: CheckedDeck) -> list[str]:
    found = []
    for number, root in enumerate(deck.slides, start=1):
        titles = _title_shapes(root)
        if not titles:
            found.append(f"slide {number}: no title placeholder")
        elif not any(text_of(t) for t in titles):
            found.append(f"slide {number}: the title placeholder is empty")
        elif any(is_decorative(t) for t in titles):
            found.append(f"slide {number}: the title is marked decorative")
    return found


@rule("duplicate slide title")
def duplicate_titles(deck: CheckedDeck) -> list[str]:
    seen: dict[str, int] = {}
    found = []
    for number, root in enumerate(deck.slides, start=1):
        title = normal(slide_title(root))
        if not title:
            continue
        if title in seen:
            found.append(f"{where(number, root)}: the same title as slide {seen[title]}")
        seen.setdefault(title, number)
    return found


ORDER_SLACK_PT = 1.0
"""Boxes that overlap by less than this are side by side (rounding, hairlines)."""


@rule("reading order")
def reading_order(deck: CheckedDeck) -> list[str]:
    """Title first; footer, date and slide number last; content between them as the eye reads
    it: nothing read later stands wholly above an earlier shape in its column, or wholly left
    of it in its row. A shape inside another is read after it. Flows are read where the
    diagram's order puts them: a connector, and what one runs through other than its ends
    (its number), are not held to where they stand."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        everything = drawn(root)
        items = [item for item in everything if readable(item)]
        if not items:
            continue
        titles = [i for i, item in enumerate(items) if placeholder(item.element) in TITLE_PLACEHOLDERS]
        if titles and titles[0] != 0:
            found.append(f"{where(number, root)}: {items[0].name!r} is read before the title")
        last_content = max((i for i, item in enumerate(items) if not _is_footer(item)), default=-1)
        for item in items[:last_content]:
            if _is_footer(item):
                found.append(f"{where(number, root)}: {item.name!r} (footer) is read before the content")
        flows = _on_flows(everything)
        content = [
            item
            for item in items
            if not _is_footer(item) and placeholder(item.element) is None and id(item.element) not in flows
        ]
        found += [f"{where(number, root)}: {problem}" for problem in _order_problems(content)]
    return found


_FOOTER_NAMES = frozenset({"Footer", "Page", "Logo"})
"""Names cardforge gives its footer shapes (they were not always placeholders)."""


def _is_footer(item: Drawn) -> bool:
    return placeholder(item.element) in FOOTER_PLACEHOLDERS or item.name in _FOOTER_NAMES


def _order_problems(items: list[Drawn]) -> list[str]:
    """One line for each shape read after a shape it stands above or left of."""
    slack = ORDER_SLACK_PT * 12700
    problems = []
    for index, second in enumerate(items):
        sx0, sy0, sx1, sy1 = second.bounds
        for first in items[:index]:
            if first.holds(second, slack) or second.holds(first, slack):
                continue
            fx0, fy0, fx1, fy1 = first.bounds
            across = min(fx1, sx1) - max(fx0, sx0)
            down = min(fy1, sy1) - max(fy0, sy0)
            if across > slack and sy1 <= fy0 + slack:
                problems.append(f"{second.name!r} is read after {first.name!r} but stands above it")
                break
            if down > slack and sx1 <= fx0 + slack:
                problems.append(f"{second.name!r} is read after {first.name!r} but stands left of it")
                break
    return problems


def _on_flows(items: list[Drawn]) -> set[int]:
    """The connectors of a slide and the shapes one runs through other than its ends and what
    holds or lies in them (a flow's number): ``id`` of their elements."""
    margin = 0.25 * 12700
    connectors = [item for item in items if etree.QName(item.element).localname == "cxnSp"]
    flows = {id(item.element) for item in connectors}
    shapes = [item for item in items if id(item.element) not in flows]
    by_id = {item.id: item for item in shapes}
    for connector in connectors:
        path = connector_path(connector) or [connector.corners[0], connector.corners[2]]
        ends = [
            by_id[end.get("id")]
            for end in connector.element.iter(f"{{{A}}}stCxn", f"{{{A}}}endCxn")
            if end.get("id") in by_id
        ]
        for shape in shapes:
            if any(end.holds(shape) or shape.holds(end) for end in ends):
                continue
            if any(_segment_enters(a, b, shape.corners, margin) for a, b in pairwise(path)):
                flows.add(id(shape.element))
    return flows


@rule("table header row")
def table_headers(deck: CheckedDeck) -> list[str]:
    """A table marks its first row as the header row, and every header cell says something."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        for frame in root.iter(f"{{{P}}}graphicFrame"):
            table = frame.find(".//a:tbl", NS)
            if table is None:
                continue
            name = properties(frame).get("name")
            settings = table.find("a:tblPr", NS)
            if settings is None or settings.get("firstRow") not in ("1", "true"):
                found.append(f"{where(number, root)}: table {name!r} has no header row")
                continue
            first = table.find("a:tr", NS)
            cells = [] if first is None else [c for c in first.findall("a:tc", NS) if c.get("hMerge") != "1"]
            if any(not text_of(cell) for cell in cells):
                found.append(f"{where(number, root)}: table {name!r} has an empty header cell")
    return found


@rule("text contrast")
def text_contrast(deck: CheckedDeck) -> list[str]:
    """Text reaches 4.5:1 on what lies behind it (3:1 from 18 pt, or 14 pt bold)."""
    found = []
    for number, (root, background) in enumerate(zip(deck.slides, deck.backgrounds), start=1):
        items = drawn(root)
        for item in items:
            if etree.QName(item.element).localname == "graphicFrame":
                behind = _behind(deck, item, items, background)
                for cell in item.element.iter(f"{{{A}}}tc"):
                    fill = deck.colour(cell.find("a:tcPr/a:solidFill", NS)) or behind
                    found += _run_contrast(deck, cell, fill, number, root, item.name)
            elif etree.QName(item.element).localname == "sp" and text_of(item.element):
                own = deck.colour(item.element.find("p:spPr/a:solidFill", NS))
                fill = own or _behind(deck, item, items, background)
                found += _run_contrast(deck, item.element, fill, number, root, item.name)
    return found


def _behind(deck: CheckedDeck, item: Drawn, items: list[Drawn], background: str) -> str:
    """The colour behind the middle of *item*: the nearest filled shape beneath it, else the
    slide's background."""
    x0, y0, x1, y1 = item.bounds
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    for other in reversed(items[: item.order]):
        if etree.QName(other.element).localname != "sp":
            continue
        ox0, oy0, ox1, oy1 = other.bounds
        if ox0 <= middle[0] <= ox1 and oy0 <= middle[1] <= oy1:
            fill = deck.colour(other.element.find("p:spPr/a:solidFill", NS))
            if fill is not None:
                return fill
    return background


def _run_contrast(deck: CheckedDeck, holder, fill: str, number: int, root, name: str) -> list[str]:
    from cardforge.theme.contrast import contrast

    found = []
    said: set[tuple[str, str]] = set()  # one line per colour on its fill, not per run
    for run in holder.iter(f"{{{A}}}r"):
        text = run.findtext("a:t", default="", namespaces=NS)
        props = run.find("a:rPr", NS)
        if not text.strip() or props is None:
            continue
        colour = deck.colour(props.find("a:solidFill", NS)) or deck.scheme.get("tx1", "000000")
        link = props.find("a:hlinkClick", NS)
        if link is not None and link.find(f"a:extLst/a:ext[@uri='{HYPERLINK_COLOUR_URI}']", NS) is None:
            colour = deck.scheme.get("hlink", colour)
        size = int(props.get("sz", "1800")) / 100
        large = size >= 18 or (size >= 14 and props.get("b") in ("1", "true"))
        needed = LARGE_CONTRAST if large else NORMAL_CONTRAST
        ratio = contrast(colour, fill)
        if ratio < needed - 0.005 and (colour, fill) not in said:
            said.add((colour, fill))
            found.append(
                f"{where(number, root)}: {name!r} {text[:30]!r} {colour} on {fill} is {ratio:.2f}:1 "
                f"(needs {needed:g}:1)"
            )
    return found


@rule("link text")
def link_text(deck: CheckedDeck) -> list[str]:
    """A link's text says where it goes: not a bare address, not "click here"; a linked shape
    says so in its text or alt text."""
    found = []
    for number, root in enumerate(deck.slides, start=1):
        for element in objects(root):
            props = properties(element)
            link = props.find("a:hlinkClick", NS)
            if link is not None and link.get(f"{{{R}}}id"):
                words = text_of(element) or props.get("descr", "")
                if _unclear(words):
                    found.append(f"{where(number, root)}: linked {props.get('name')!r} says {words[:40]!r}")
        for paragraph in root.iter(f"{{{A}}}p"):
            for words in _linked_words(paragraph):
                if _unclear(words):
                    found.append(f"{where(number, root)}: link text {words[:60]!r}")
    return found


def _linked_words(paragraph: etree._Element) -> list[str]:
    """The text of each link of a paragraph: its runs joined (a link may be written one word
    per run, as cardforge does so that LibreOffice wraps it between words)."""
    links: dict[str, list[str]] = {}
    for run in paragraph.findall("a:r", NS):
        link = run.find("a:rPr/a:hlinkClick", NS)
        if link is not None and link.get(f"{{{R}}}id"):
            links.setdefault(link.get(f"{{{R}}}id", ""), []).append(
                run.findtext("a:t", default="", namespaces=NS)
            )
    return ["".join(parts).strip() for parts in links.values()]


def _unclear(words: str) -> bool:
    text = normal(words).strip(" .:!")
    return not text or text in UNCLEAR_LINK_TEXT or bool(_ADDRESS.match(text))


def summary(deck: CheckedDeck) -> dict[str, int]:
    """Findings per rule, for reports."""
    return {name: len(findings) for name, findings in check(deck).items()}
