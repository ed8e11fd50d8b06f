"""Import personas from Markdown, CSV and Excel into a deck file (``cardforge import``).

Importing is reading input into the deck format, the step before ``spec/``: each reader
(:mod:`.markdown`, :mod:`.tables`) turns its source into records with positions;
:mod:`.convert` makes them persona fields, :mod:`.merge` joins the records of one persona,
:mod:`.assemble` resolves ids and teams, and :mod:`.deckwriter` writes the YAML. The text is
then validated like any deck before the command writes it, so an import never leaves a
deck that does not build.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Position, Report

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xlsx",
}


MAX_LISTED = 4
"""Sources named in the deck's header comment (a folder may hold a thousand)."""


@dataclass
class ImportResult:
    text: str
    """The deck, as YAML."""
    personas: int
    sources: list[str] = field(default_factory=list)


@dataclass
class _Gathered:
    records: list = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    environments: list[str] = field(default_factory=list)
    grants: list = field(default_factory=list)
    has_rbac: bool = False
    summaries: list[str] = field(default_factory=list)


def import_personas(
    sources: list[Path],
    output: Path,
    *,
    title: str | None = None,
    sheet: str | None = None,
    report: Report,
) -> ImportResult | None:
    """The deck that *sources* describe, or ``None`` when *report* has errors."""
    with _collecting():
        return _import(sources, output, title, sheet, report)


@contextmanager
def _collecting() -> Iterator[None]:
    """Garbage collection on while importing, though the command line turns it off for builds:
    the Markdown parser's syntax trees link children and parents, and without the collector
    every file's tree would stay in memory (1000 persona files: 218 MB instead of 80 MB)."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_enabled:
            gc.disable()


def _import(
    sources: list[Path], output: Path, title: str | None, sheet: str | None, report: Report
) -> ImportResult | None:
    from ..spec.deck import MAX_PERSONAS
    from .assemble import assemble
    from .convert import Converter
    from .deckwriter import DeckText, deck_yaml
    from .merge import merge_drafts

    gathered = _gather(_expand(sources, report), sheet, report)
    if not gathered.records and not report.ok:
        return None
    if not gathered.records:
        report.error(
            str(sources[0]),
            Position(1, 1),
            "found no personas: no persona table and no persona card; "
            "a table needs a `Persona` column, a card a heading and `**Name**:` line",
            "CF504",
        )
        return None
    theme = _default_theme()
    converter = Converter(theme.palette, theme.palette_colour, report)
    drafts = [draft for record in gathered.records if (draft := converter.draft(record)) is not None]
    personas = merge_drafts(drafts, report)
    if len(personas) > MAX_PERSONAS:
        report.error(
            str(sources[0]),
            Position(1, 1),
            f"{len(personas)} personas; a deck holds at most {MAX_PERSONAS}",
            "CF501",
        )
    if not report.ok:
        return None
    assembled = assemble(personas, gathered.environments, gathered.grants, gathered.has_rbac, report)
    if not report.ok:
        return None
    shown = gathered.summaries[:MAX_LISTED]
    if len(gathered.summaries) > MAX_LISTED:
        shown.append(f"{len(gathered.summaries) - MAX_LISTED} more files")
    header = [
        "Imported by `cardforge import` from " + "; ".join(shown) + ".",
        "What a source held that no field can hold is kept in the persona's notes; the import's",
        f"warnings say which. Check the deck, then build it with:  cardforge build {output.as_posix()}",
    ]
    deck_title = title or next(iter(gathered.titles), None) or "Personas"
    text = deck_yaml(DeckText(header, deck_title, assembled.teams, assembled.personas, assembled.rbac))
    if not _deck_ok(text, output, report):
        return None
    return ImportResult(text, len(personas), [str(s) for s in sources])


def _expand(sources: list[Path], report: Report) -> list[Path]:
    """Files as given; a folder gives its Markdown, CSV and workbook files (README.md first)."""
    files = []
    for source in sources:
        if source.is_dir():
            found = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            found.sort(key=lambda p: p.name.casefold() != "readme.md")
            if not found:
                report.error(
                    str(source), Position(1, 1), "the folder holds no .md, .csv or .xlsx files", "CF501"
                )
            files += found
        else:
            files.append(source)
    return files


def _gather(paths: list[Path], sheet: str | None, report: Report) -> _Gathered:
    from .markdown import read_markdown
    from .sources import MAX_TEXT_BYTES, check_lines, decode_text, read_capped
    from .tables import read_csv, read_workbook

    gathered = _Gathered()
    for path in paths:
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            report.error(
                str(path),
                Position(1, 1),
                f"cannot import a `{path.suffix or 'file without a suffix'}` file; "
                "import Markdown (.md), CSV (.csv) or Excel (.xlsx)",
                "CF501",
            )
            continue
        if kind == "markdown":
            data = read_capped(path, MAX_TEXT_BYTES, report)
            text = decode_text(data, str(path), report, "UTF-8") if data is not None else None
            if text is None or not check_lines(text, str(path), report):
                continue
            source = read_markdown(path, text, report)
            records, title = source.records, source.title
        else:
            table = read_csv(path, report) if kind == "csv" else read_workbook(path, sheet, report)
            records, title = table.records, table.title
            gathered.environments += [e for e in table.environments if e not in gathered.environments]
            gathered.grants += table.grants
            gathered.has_rbac = gathered.has_rbac or table.has_rbac
        gathered.records += records
        if title:
            gathered.titles.append(title)
        gathered.summaries.append(_summary(path, records))
    return gathered


def _summary(path: Path, records: list) -> str:
    rows = sum(1 for r in records if r.kind == "row")
    cards = len(records) - rows
    parts = [f"{rows} table row{'s' if rows != 1 else ''}"] if rows else []
    parts += [f"{cards} card{'s' if cards != 1 else ''}"] if cards else []
    return f"{path.as_posix()} ({', '.join(parts) or 'no personas'})"


def _default_theme():
    from ..theme.load import builtin_theme_path, load_theme

    path = builtin_theme_path("default")
    assert path is not None
    theme = load_theme("default", path.parent, str(path), Position(1, 1), Report())
    assert theme is not None
    return theme


def _deck_ok(text: str, output: Path, report: Report) -> bool:
    """Validate the imported deck as ``cardforge validate`` would; its warnings are passed on."""
    from ..model.resolve import resolve
    from ..spec.deck import DeckSpec
    from ..spec.validate import validate_and_salvage
    from ..spec.yamlread import MAX_FILE_BYTES, read_yaml

    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        report.error(
            str(output),
            Position(1, 1),
            f"the imported deck would be {size:,} bytes; a deck may be at most {MAX_FILE_BYTES:,}; "
            "import fewer personas or shorter notes",
            "CF506",
        )
        return False
    local = Report()
    document = read_yaml(text.encode("utf-8"), str(output), local)
    spec, paths = validate_and_salvage(document, DeckSpec, local) if document is not None else (None, None)
    if spec is not None and document is not None:
        resolve(spec, document, output, _default_theme(), local, paths)
    for diagnostic in local.errors:
        report.error(
            diagnostic.file,
            diagnostic.position,
            f"the imported deck would not validate: {diagnostic.message}; please report this with the sources",
            "CF506",
        )
    for diagnostic in local.warnings:
        advice = f"; {diagnostic.suggestion}" if diagnostic.suggestion else ""
        report.warning(diagnostic.file, diagnostic.position, diagnostic.message + advice, diagnostic.code)
    return local.ok
