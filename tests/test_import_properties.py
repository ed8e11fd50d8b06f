"""Property-based tests of the import: whatever a table holds, the import gives a deck that
loads, or positioned errors; never another exception.

Tables are generated with headers drawn from real and misspelt field names and cells from
an alphabet of the characters that mean something to Markdown, CSV and YAML (pipes,
brackets, backslashes, commas, colons, hashes, quotes, dashes) plus letters, digits,
non-Latin text and control characters. Each table is written as Markdown, as CSV and as
a workbook, then imported.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

import cardforge
from cardforge.diagnostics import CODES, Report
from cardforge.importers import import_personas

pytestmark = pytest.mark.slow  # many generated tables each; the full suite runs them

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="cardforge-hypothesis-"))

HEADERS = [
    "Persona",
    "ID",
    "Area or Team",
    "Primary Interaction",
    "Process",
    "Related Architecture",
    "Scope",
    "Security Access on services",
    "Security Access on Data",
    "Skills",
    "Link to education",
    "Colour",
    "Kind",
    "People",
    "Notes",
    "Skils",
    "Budget",
    "",
]
ALPHABET = st.sampled_from(
    list("abcXYZ019 |\\[](),;:-#*_`<>\"'&=@!%~/.") + ["é", "名", "ب", "\t", "\x07", "\u2028"]
)
PARTS = st.one_of(
    st.text(ALPHABET, max_size=8), st.sampled_from(["https://x.org/a", "[T](https://x.org)", "[]()", "(P1)"])
)
CELL = st.lists(PARTS, max_size=4).map("".join)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def tables(draw) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    if draw(st.integers(0, 4)):  # most tables have a persona column somewhere
        header.insert(draw(st.integers(0, len(header))), "Persona")
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 1), max_size=6))
    if "Persona" in header:  # and most rows a name, so that imports succeed as well as fail
        column = header.index("Persona")
        for row in rows:
            if draw(st.integers(0, 4)):
                row.extend([""] * (column + 1 - len(row)))
                row[column] = draw(st.text(ALPHABET, min_size=1, max_size=12).filter(str.strip))
    return header, rows


def check(sources: list[Path], folder: Path) -> None:
    report = Report()
    result = import_personas(sources, folder / "deck.yaml", report=report)
    for diagnostic in report.diagnostics:
        assert diagnostic.position.line >= 1 and diagnostic.position.column >= 1
        assert diagnostic.code in CODES
    if result is None:
        assert report.errors
        return
    assert not report.errors, [str(d) for d in report.errors]
    (folder / "deck.yaml").write_text(result.text, encoding="utf-8")
    deck = cardforge.load_deck(folder / "deck.yaml")
    assert len(deck.personas) == result.personas


def _markdown_cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


@SETTINGS
@given(tables())
def test_markdown_tables(table):
    header, rows = table
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in rows]
        (folder / "t.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        check([folder / "t.md"], folder)


@SETTINGS
@given(tables())
def test_csv_tables(table):
    header, rows = table
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        (folder / "t.csv").write_text(buffer.getvalue(), encoding="utf-8")
        check([folder / "t.csv"], folder)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_workbook_tables(table):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    header, rows = table
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        book = Workbook()
        for row in [header, *rows]:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        book.save(folder / "t.xlsx")
        check([folder / "t.xlsx"], folder)


@SETTINGS
@given(
    st.lists(st.tuples(st.sampled_from(["Name", "Team", "Skills", "Services", "Links", "Colour", "X"]), CELL))
)
def test_markdown_cards(lines):
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        body = "\n".join(f"* **{label}**: {value}" for label, value in lines)
        (folder / "c.md").write_text(f"### Persona Template Card: Analyst\n\n{body}\n", encoding="utf-8")
        check([folder / "c.md"], folder)
