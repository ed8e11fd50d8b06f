"""The gaps slide: one summary of the lint findings, as advice.

A table with a row per kind of finding: how many there are, whom or what they concern, and
the action the persona method recommends (a staffing gap: recruit, train, or redesign
towards SaaS or low-code; privilege in production: read-only or just in time; too many
personas: merge similar ones). Each list of concerned personas or parts shows what fits in
a few lines, persona IDs only when the names do not all fit, and says how many more there
are; every finding is written out once, in the slide's notes. The cost is linear in the
number of findings.
"""

from __future__ import annotations

from collections import defaultdict

from ..diagnostics import Report
from ..model import Deck
from ..model.lint import ADVICE, KINDS, Finding, lint
from ..spec.slides import Options
from ..text.fit import line_height
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame
from .fonts import Fonts
from .paging import balanced_pages
from .shapes import EMU_PER_PT, Box, Cell, Paragraph, Run, Slide, Table, TextFrame, pt

SIZES = (16, 15, 14, 13, 12, 11, 10)
INSET = (pt(6), pt(4), pt(6), pt(4))
MAX_LINES = 3
"""Lines a list of concerned personas or parts may take before the rest goes to the notes."""
SHARES = (0.22, 0.08, 0.30, 0.40)
"""Column widths as shares of the slide: finding, count, concerned, what to do."""
HEADERS = ("Finding", "Count", "Concerned", "What to do")
CANDIDATES = 120
"""More items than this never fit in three lines: longer lists are not even measured."""


def gaps_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    findings = lint(deck)
    if not findings:
        return []
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.code].append(finding)
    kinds = [code for code in KINDS if code in groups]
    _, area, _ = overview_frame(deck, fonts, "Gaps and advice (9 of 9)", "")
    widths = _widths(area.w)
    for size in SIZES:
        rows = [_row_texts(deck, code, groups[code], widths[2], size, fonts) for code in kinds]
        header = _height(fonts, HEADERS, widths, size, bold=True)
        heights = [_height(fonts, row, widths, size) for row in rows]
        if header + sum(heights) <= area.h:
            break
    pages = balanced_pages(heights, area.h - header)
    notes = _notes(kinds, groups)
    slides = []
    for index, page in enumerate(pages, start=1):
        slide, area, overflow = overview_frame(
            deck, fonts, numbered("Gaps and advice", index, len(pages)), "Gaps"
        )
        table_rows = [_header(deck, size)] + [_row(deck, rows[i], size) for i in page]
        row_heights = (header, *(heights[i] for i in page))
        box = Box(area.x, area.y, sum(widths), sum(row_heights))
        slide.add(Table("Gaps and advice", box, tuple(widths), tuple(table_rows), row_heights))
        slide.notes = "\n\n".join(overflow + (notes if index == 1 else []))
        slides.append(slide)
    return slides


def _widths(total: int) -> list[int]:
    widths = [round(total * share) for share in SHARES]
    widths[-1] += total - sum(widths)
    return widths


def _row_texts(deck: Deck, code: str, group: list[Finding], width: int, size: int, fonts: Fonts):
    advice = group[0].advice if len({f.advice for f in group}) == 1 else ADVICE[code]
    return (KINDS[code], str(len(group)), _concerned(deck, code, group, width, size, fonts), advice)


def _concerned(deck: Deck, code: str, group: list[Finding], width: int, size: int, fonts: Fonts) -> str:
    """Whom or what the findings concern, in at most three lines: persona names while they
    all fit, else IDs, then "and N more"; never a name cut short."""
    ids = list(dict.fromkeys(pid for f in group for pid in f.personas))
    if code in ("CF102", "CF103", "CF107", "CF108", "CF109") or not ids:
        items = [(f.group, f.short or f.message) for f in group]
        return _fitting(list(dict.fromkeys(items)), width, size, fonts)
    named = []
    for pid in ids:
        persona = deck.persona(pid)
        named.append(f"{pid} {persona.name}" if persona else pid)
    whole = "; ".join(named[:CANDIDATES])
    if len(named) <= CANDIDATES and _lines(fonts, whole, width, size) <= MAX_LINES:
        return whole
    return _fitting(ids, width, size, fonts, separator=", ")


def _fitting(items: list, width: int, size: int, fonts: Fonts, separator: str = "; ") -> str:
    """As many whole *items* as fit in three lines, and how many more are in the notes. An
    item is a text, or a (group, text) pair: texts of one group are written after its name."""
    if len(items) <= CANDIDATES and _lines(fonts, _joined(items, separator), width, size) <= MAX_LINES:
        return _joined(items, separator)
    low, high = 0, min(len(items), CANDIDATES)  # the most that fit with the "more" remark: bisection
    while low < high:
        middle = (low + high + 1) // 2
        text = _joined(items[:middle], separator) + _more(len(items) - middle)
        if _lines(fonts, text, width, size) <= MAX_LINES:
            low = middle
        else:
            high = middle - 1
    if not low:
        return f"{len(items)}, listed in the notes"
    return _joined(items[:low], separator) + _more(len(items) - low)


def _joined(items: list, separator: str) -> str:
    if not items or isinstance(items[0], str):
        return separator.join(items)
    groups: dict[str, list[str]] = {}
    for group, text in items:
        groups.setdefault(group, []).append(text)
    if list(groups) == [""]:
        return "; ".join(groups[""])
    return "; ".join(
        f"{group}: {', '.join(texts)}" if group else "; ".join(texts) for group, texts in groups.items()
    )


def _more(count: int) -> str:
    return f" and {count} more (in the notes)"


def _lines(fonts: Fonts, text: str, width: int, size: int, bold: bool = False) -> int:
    return len(fonts.wrapped(text, width - INSET[0] - INSET[2], size, bold=bold))


def _height(fonts: Fonts, texts, widths: list[int], size: int, bold: bool = False) -> int:
    """A row's height; the first column (the kind of finding) is bold, and measured so."""
    lines = max(
        _lines(fonts, text, width, size, bold or column == 0)
        for column, (text, width) in enumerate(zip(texts, widths))
    )
    return round(lines * line_height(size) * EMU_PER_PT) + INSET[1] + INSET[3] + pt(2)


def _cell(text: str, size: int, colour: str, fill: str, bold: bool = False, align: str = "l") -> Cell:
    paragraph = Paragraph((Run(text),), size, colour=colour, bold=bold, align=align)  # type: ignore[arg-type]
    return Cell(TextFrame((paragraph,), inset=INSET), fill)


def _header(deck: Deck, size: int) -> tuple[Cell, ...]:
    fill = deck.theme.text
    return tuple(_cell(text, size, text_on(fill), fill, bold=True) for text in HEADERS)


def _row(deck: Deck, texts, size: int) -> tuple[Cell, ...]:
    theme = deck.theme
    kind, count, concerned, advice = texts
    return (
        _cell(kind, size, theme.text, theme.background, bold=True),
        _cell(count, size, theme.text, theme.background, align="r"),
        _cell(concerned, size, theme.text, theme.background),
        _cell(advice, size, theme.text, theme.background),
    )


def _notes(kinds: list[str], groups: dict[str, list[Finding]]) -> list[str]:
    """Every finding once, grouped by kind, with the recommended action."""
    parts = []
    for code in kinds:
        lines = [f"{KINDS[code]} ({len(groups[code])}): {ADVICE[code]}"]
        lines += [f"- {finding.message}" for finding in groups[code]]
        parts.append("\n".join(lines))
    return parts


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `gaps` section."""
    return gaps_slides(deck, fonts, report)
