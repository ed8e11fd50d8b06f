"""The ``cardforge`` command line.

Imports are deferred into each command so that a command loads only what it needs:
start-up time is most of a small build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .console import print_diagnostics, say
from .diagnostics import DeckError, Position, Report

EXIT_OK = 0
EXIT_INPUT = 1
"""The input has errors (or warnings, with ``--strict``); nothing was written."""
EXIT_USAGE = 2
"""The command line itself is wrong: an unknown option or a missing argument."""
EXIT_MISSING_TOOL = 3
"""PDF or PNG output needs LibreOffice or poppler, and it is not installed."""
EXIT_INTERNAL = 4
"""A bug in cardforge; nothing was written."""
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C (SIGINT); temporary files removed, the old output untouched. SIGHUP gives 129."""
EXIT_TERMINATED = 143
"""Stopped by SIGTERM; temporary files removed, the old output untouched."""

EXIT_CODES_HELP = (
    "Exit status: 0 done; 1 the input has errors (or warnings with --strict), nothing written; "
    "2 wrong command-line usage; 3 LibreOffice or poppler needed but not installed; "
    "4 internal error; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM)."
)
_WRITTEN: list[Path] = []
"""Outputs this run completed, for the message when it is stopped part of the way."""

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is plain: "[default: ...]" must not be read as markup
    help="Turn a YAML persona spec into a PowerPoint deck of persona cards.",
    epilog=EXIT_CODES_HELP,
)

DeckArgument = Annotated[Path, typer.Argument(help="The deck file (YAML).", show_default=False)]
ThemeOption = Annotated[
    str | None, typer.Option("--theme", help="A built-in theme name or a theme file, instead of the deck's.")
]
OnlyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        metavar="SECTION",
        help="Only this section (repeatable): title, persona-table, cards, cards:P001,P003, process-map, "
        "architecture:lambda, interactions, categories, rbac, gaps.",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"cardforge {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Turn a YAML persona spec into a PowerPoint deck of persona cards."""


def _fail(report: Report) -> typer.Exit:
    print_diagnostics(report.sorted())
    errors = len(report.errors)
    say(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.")
    return typer.Exit(EXIT_INPUT)


def _option_error(option: str, message: str) -> typer.Exit:
    report = Report()
    report.error(option, Position(1, 1), message, "CF409")
    return _fail(report)


@app.command()
def build(
    deck: DeckArgument,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The .pptx to write [default: DECK's name + .pptx, here]."),
    ] = None,
    theme: ThemeOption = None,
    only: OnlyOption = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a PDF beside the .pptx (needs LibreOffice).")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail, writing nothing, on any warning (lint findings included).")
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running and rebuild whenever the deck or its theme changes.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Build a presentation from DECK (`-o -` writes it to standard output)."""
    output = _checked_output(deck, output)
    if output == STDOUT and (pdf or watch):
        raise _option_error("-o", "--pdf and --watch need an output file, not standard output")
    if watch:
        _watch(deck, output, theme, only, png=None)
        return
    if pdf:
        _need_libreoffice()
        _refuse_output(output.with_suffix(".pdf"))
    report = Report()
    loaded = _load_or_fail(deck, theme, report)
    sections = _sections_or_fail(only, loaded)
    if strict:
        _refuse_warnings(loaded, report, sections)
    from .api import build as build_deck

    result = _built(lambda: build_deck(loaded, output, sections=sections, report=report))
    _WRITTEN.append(output)
    if not quiet:
        print_diagnostics(report.sorted())
        for note in result.skipped:
            say(f"note: {note}")
        say(f"wrote {'the deck to standard output' if output == STDOUT else output} ({result.slides} slides)")
    if pdf:
        _export_pdf(output, output.with_suffix(".pdf"), quiet, made=output)


@app.command()
def watch(
    deck: DeckArgument,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The .pptx to write [default: DECK's name + .pptx, here]."),
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", help="Also render one PNG per slide into this folder on each build."),
    ] = None,
    theme: ThemeOption = None,
    only: OnlyOption = None,
) -> None:
    """Build DECK, then rebuild whenever it, its theme, logo, fonts or template change (Ctrl-C stops).

    A broken deck is reported and the last good output is kept.
    """
    _watch(deck, _checked_output(deck, output), theme, only, png)


def _watch(deck: Path, output: Path, theme: str | None, only: list[str] | None, png: Path | None) -> None:
    from .interrupt import Interrupted
    from .watch import WatchJob
    from .watch import watch as watch_deck

    try:
        watch_deck(WatchJob(deck, output, theme, only, png))
    except (KeyboardInterrupt, Interrupted) as stop:
        say("stopped watching")
        if isinstance(stop, Interrupted) and stop.verb != "interrupted":
            raise typer.Exit(stop.exit_code) from None


STDOUT = Path("-")


def _checked_output(deck: Path, output: Path | None) -> Path:
    output = output or Path(deck.stem + ".pptx")
    if output == STDOUT:
        if sys.stdout.isatty():
            raise _option_error(
                "-o", "standard output is a terminal; redirect it to a file or give -o FILE.pptx"
            )
        return output
    if _is_null_device(output):
        return output
    if output.suffix.lower() != ".pptx":
        raise _option_error(str(output), "the output must be a .pptx file")
    if output.exists() and deck.exists() and output.resolve() == deck.resolve():
        raise _option_error(str(output), "the output would overwrite the deck itself")
    _refuse_output(output)
    return output


def _refuse_output(output: Path) -> None:
    """Stop before any work when *output* may not be written (a link, folder, pipe, device)."""
    from .paths import output_problem

    if _is_null_device(output):
        return  # the null device takes an output and discards it
    problem = output_problem(output)
    if problem:
        raise _option_error(str(output), problem)


def _is_null_device(path: Path) -> bool:
    try:
        return os.path.samefile(path, os.devnull)
    except OSError:
        return False


def _built(make: Any) -> Any:
    """*make*'s result; a deck that fails to lay out (errors, limits) is reported like a
    deck that fails to load."""
    try:
        return make()
    except DeckError as error:
        raise _fail(error.report) from None


def _sections_or_fail(only: list[str] | None, deck: Any) -> Any:
    """The sections named by ``--only``, or ``None`` for the deck's own choice."""
    if not only:
        return None
    from .model.sections import sections_from_choices

    report = Report()
    sections = sections_from_choices(only, deck.personas, deck.architectures, report)
    if not report.ok:
        raise _fail(report)
    return sections


def _refuse_warnings(deck: Any, report: Report, sections: Any) -> None:
    """--strict: lint, lay out without writing, and stop if anything was said."""
    from .layout.deck import layout_deck
    from .model.lint import lint, report_findings

    trial = Report()
    trial.extend(report)
    report_findings(deck, lint(deck), trial)
    layout_deck(deck, trial, sections)
    if trial.warnings:
        print_diagnostics(trial.sorted())
        count = len(trial.warnings)
        say(f"{count} warning{'s' if count != 1 else ''} and --strict; nothing was written.")
        raise typer.Exit(EXIT_INPUT)


def _need_libreoffice() -> None:
    """Check for LibreOffice before any work, so that a missing tool writes nothing."""
    from .export.libreoffice import ExportError, soffice

    try:
        soffice()
    except ExportError as error:
        say(f"error: {error}; nothing was written.")
        raise typer.Exit(error.exit_code) from None


def _export_pdf(pptx: Path, target: Path, quiet: bool, made: Path | None = None) -> None:
    """*pptx* to *target*; when the conversion fails, say whether *made* (the .pptx written
    before it) is complete."""
    from .export.libreoffice import ExportError, pptx_to_pdf

    try:
        pptx_to_pdf(pptx, target)
    except ExportError as error:
        kept = f"; {made} was written and is complete, only the PDF is missing" if made else ""
        say(f"error: {error}{kept}")
        raise typer.Exit(error.exit_code) from None
    _WRITTEN.append(target)
    if not quiet:
        say(f"wrote {target}")


def _load_or_fail(deck: Path, theme: str | None, report: Report) -> Any:
    from .load import load_deck

    try:
        return load_deck(deck, theme=theme, report=report)
    except DeckError as error:
        raise _fail(error.report) from None


@app.command(name="print")
def print_cards(
    deck: DeckArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="cards.pdf (needs LibreOffice) or cards.pptx.", show_default=False
        ),
    ],
    card_size: Annotated[
        str | None,
        typer.Option(
            "--card-size",
            help="A6, A5, poker, bridge or slide [default: the deck's print: section, else A6].",
        ),
    ] = None,
    paper: Annotated[
        str | None, typer.Option("--paper", help="A4 or Letter [default: the deck's, else A4].")
    ] = None,
    crop_marks: Annotated[
        bool | None, typer.Option("--crop-marks/--no-crop-marks", help="Cut marks.")
    ] = None,
    backs: Annotated[
        bool | None, typer.Option("--backs/--no-backs", help="A back per card, mirrored for duplex printing.")
    ] = None,
    bleed: Annotated[float | None, typer.Option("--bleed", help="Bleed in millimetres (0 to 10).")] = None,
    margin: Annotated[
        float | None,
        typer.Option("--margin", help="Millimetres left empty at each sheet edge (0 to 25) [default: 5]."),
    ] = None,
    gutter: Annotated[
        float | None,
        typer.Option("--gutter", help="Millimetres between cards without bleed (0 to 20) [default: 3]."),
    ] = None,
    qr: Annotated[
        str | None,
        typer.Option("--qr", help="learn: a QR code to the persona's url or first learn link; none."),
    ] = None,
    qr_on_back: Annotated[
        bool | None,
        typer.Option("--qr-on-back/--qr-on-front", help="With --backs, put the QR code on the back."),
    ] = None,
    blank: Annotated[
        int,
        typer.Option("--blank", help="Print this many empty template cards, to fill in by hand."),
    ] = 0,
    with_cards: Annotated[
        bool,
        typer.Option("--with-cards", help="With --blank, print the persona cards first (as --only does)."),
    ] = False,
    theme: ThemeOption = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="ID", help="Print only these personas' cards (repeatable ids)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Lay out persona cards N-up at their physical size for printing and cutting."""
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".pptx"):
        raise _option_error(str(output), "the output must be a .pdf or a .pptx file")
    if not 0 <= blank <= MAX_BLANK_CARDS:
        raise _option_error("--blank", f"{blank} blank cards cannot be printed; give 0 to {MAX_BLANK_CARDS}")
    _refuse_output(output)
    if suffix == ".pdf":
        _need_libreoffice()
    report = Report()
    loaded = _load_or_fail(deck, theme, report)
    given = {
        "card_size": card_size,
        "paper": paper,
        "crop_marks": crop_marks,
        "backs": backs,
        "bleed": bleed,
        "margin": margin,
        "gutter": gutter,
        "qr": qr,
        "qr_on_back": qr_on_back,
    }
    options = _print_options(loaded.print_options, given)
    personas = _chosen_personas(loaded, only) if (not blank or with_cards or only) else []
    from .api import build_print
    from .layout.print_sheet import SheetError

    try:
        pages = _written_as(
            output, lambda target: build_print(loaded, personas, options, target, report, blanks=blank)
        )
    except SheetError as error:
        raise _option_error("--margin" if margin is not None else "--card-size", str(error)) from None
    if not quiet:
        print_diagnostics(report.sorted())
        what = f"{options.card_size} cards" if not blank else f"{options.card_size} cards, {blank} blank"
        say(f"wrote {output} ({pages} pages, {what} on {options.paper})")


MAX_BLANK_CARDS = 500
"""Blank cards in one run: a workshop of any size; more is a mistake in the command."""


def _written_as(output: Path, make: Any) -> int:
    """*make(target)* writes a .pptx: *output* itself, or, for a .pdf, one in a private folder
    that is converted and removed (never a file beside the user's own)."""
    if output.suffix.lower() == ".pptx":
        return int(_built(lambda: make(output)))
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cardforge-print-") as work:
        target = Path(work) / f"{output.stem}.pptx"
        pages = int(_built(lambda: make(target)))
        _export_pdf(target, output, quiet=True)
    return pages


@app.command()
def handout(
    deck: DeckArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="handout.pdf (needs LibreOffice) or handout.pptx.", show_default=False
        ),
    ],
    paper: Annotated[
        str | None, typer.Option("--paper", help="A4 or Letter [default: the deck's print: paper, else A4].")
    ] = None,
    theme: ThemeOption = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="ID", help="Only these personas' pages (repeatable ids)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """A page per persona to hand out: the card's fields, responsibilities, user stories,
    roles per environment and the learn links as QR codes with their URLs written out."""
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".pptx"):
        raise _option_error(str(output), "the output must be a .pdf or a .pptx file")
    _refuse_output(output)
    if suffix == ".pdf":
        _need_libreoffice()
    report = Report()
    loaded = _load_or_fail(deck, theme, report)
    options = _print_options(loaded.print_options, {"paper": paper})
    personas = _chosen_personas(loaded, only)
    from .api import build_handout

    pages = _written_as(output, lambda target: build_handout(loaded, personas, options.paper, target, report))
    if not quiet:
        print_diagnostics(report.sorted())
        say(f"wrote {output} ({pages} pages on {options.paper})")


def _chosen_personas(deck: Any, only: list[str] | None) -> list[Any]:
    if not only:
        return list(deck.personas)
    from .diagnostics import did_you_mean

    wanted = [part.strip().casefold() for value in only for part in value.split(",") if part.strip()]
    if not wanted:
        raise _option_error("--only", "no persona ids given; name one or more, such as --only P001,P003")
    known = {p.id.casefold() for p in deck.personas}
    missing = [name for name in wanted if name not in known]
    if missing:
        report = Report()
        ids = [p.id for p in deck.personas]
        for name in missing:
            report.error(
                "--only", Position(1, 1), f"unknown persona `{name}`{did_you_mean(name, ids)}", "CF409"
            )
        raise _fail(report)
    return [p for p in deck.personas if p.id.casefold() in wanted]


def _option_message(option: str, error: Any) -> str:
    """What is wrong with a print option's value, naming the value given."""
    if error["type"] in ("finite_number", "float_parsing", "float_type"):
        return f"`{error.get('input')}` is not a number; give millimetres from 0 to 10"
    if option == "--bleed":
        return f"{error['input']} mm is out of range; give millimetres from 0 to 10"
    return str(error["msg"])


def _print_options(base: Any, given: dict[str, Any]) -> Any:
    from dataclasses import replace

    from pydantic import ValidationError

    from .spec.deck import PrintSpec

    given = {key: value for key, value in given.items() if value is not None}
    if not given:
        return base
    merged = {**{key: getattr(base, key) for key in PrintSpec.model_fields}, **given}
    try:
        spec = PrintSpec.model_validate(merged)
    except ValidationError as error:
        first = error.errors()[0]
        option = "--" + str(first["loc"][0]).replace("_", "-")
        raise _option_error(option, _option_message(option, first)) from None
    return replace(base, **spec.model_dump())


@app.command()
def render(
    deck: DeckArgument,
    png: Annotated[
        Path, typer.Option("--png", help="Folder to write one PNG per slide into.", show_default=False)
    ],
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=600, help="Resolution of the pictures.")] = 110,
    theme: ThemeOption = None,
    only: OnlyOption = None,
) -> None:
    """Render DECK's slides to PNG pictures (through LibreOffice and pdftoppm)."""
    import tempfile

    from .api import build as build_deck
    from .export.libreoffice import ExportError, pdf_to_pngs, pptx_to_pdf

    report = Report()
    loaded = _load_or_fail(deck, theme, report)
    sections = _sections_or_fail(only, loaded)
    with tempfile.TemporaryDirectory(prefix="cardforge-render-") as work:
        pptx = Path(work) / f"{deck.stem}.pptx"
        _built(lambda: build_deck(loaded, pptx, sections=sections, report=report))
        try:
            pages = pdf_to_pngs(
                pptx_to_pdf(pptx, Path(work) / f"{deck.stem}.pdf"), png, dpi, prefix=deck.stem
            )
        except ExportError as error:
            say(f"error: {error}")
            raise typer.Exit(error.exit_code) from None
    print_diagnostics(report.sorted())
    say(f"wrote {len(pages)} pictures to {png}")


@app.command()
def markdown(
    deck: DeckArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Folder for README.md and one file per persona.", show_default=False
        ),
    ],
) -> None:
    """Write the personas as Markdown: one file per card and an index table."""
    from .export.markdown import file_names, write_markdown

    if output.exists() and not output.is_dir():
        raise _option_error(str(output), "the output must be a folder")
    loaded = _load_or_fail(deck, None, Report())
    for persona, name in file_names(loaded.personas).items():
        if name.removesuffix(".md") != persona.id:
            say(f"note: {persona.id} is written as {name}")
    written = write_markdown(loaded, output)
    say(f"wrote {len(written)} files to {output}")


@app.command(name="import")
def import_command(
    sources: Annotated[
        list[Path],
        typer.Argument(
            help="Markdown (.md: persona tables and cards), CSV or Excel (.xlsx) files, or folders of them.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The deck file to write (.yaml).", show_default=False)
    ],
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="The deck's title (default: the first Markdown heading or workbook title)."
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="The workbook sheet with the persona table (default: the first)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Make a deck from personas in Markdown tables or cards, CSV or Excel; warnings say what to check."""
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise _option_error(str(output), "the output must be a .yaml file")
    if output.exists() and any(output.resolve() == source.resolve() for source in sources):
        raise _option_error(str(output), "the output would overwrite one of the sources")
    if output.exists() and not force:
        raise _option_error(str(output), "the file exists; choose another name or pass --force")
    if sheet is not None and not any(s.suffix.lower() in (".xlsx", ".xlsm") for s in sources):
        raise _option_error("--sheet", "--sheet chooses a worksheet, but no source is an .xlsx workbook")
    from .importers import import_personas
    from .writer.save import atomic_write

    report = Report()
    result = import_personas(sources, output, title=title, sheet=sheet, report=report)
    if result is None:
        raise _fail(report)
    atomic_write(output, result.text.encode("utf-8"))
    if not quiet:
        print_diagnostics(report.sorted())
        warnings = len(report.warnings)
        say(
            f"wrote {output} ({result.personas} persona{'s' if result.personas != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}); build it with: cardforge build {output}"
        )


@app.command()
def export(
    deck: DeckArgument,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Write an Excel workbook: the persona table, an RBAC sheet per environment and the gaps.",
        ),
    ] = None,
    theme: ThemeOption = None,
) -> None:
    """Export DECK for review in other tools (Excel); `cardforge import` reads the workbook back."""
    if xlsx is None:
        raise _option_error("--xlsx", "say what to write, for example --xlsx personas.xlsx")
    if xlsx.suffix.lower() != ".xlsx":
        raise _option_error(str(xlsx), "the output must be a .xlsx file")
    loaded = _load_or_fail(deck, theme, Report())
    from .export.xlsx import write_xlsx

    write_xlsx(loaded, xlsx)
    environments = len(loaded.rbac.environments) if loaded.rbac else 0
    say(f"wrote {xlsx} ({len(loaded.personas)} personas, {environments} RBAC sheets, gaps)")


@app.command()
def validate(
    decks: Annotated[list[Path], typer.Argument(help="One or more deck files (YAML).", show_default=False)],
    theme: Annotated[str | None, typer.Option("--theme", help="Check against this theme instead.")] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings (lint included) as errors.")
    ] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text: one line per problem; json: every diagnostic with file, line, column, severity, "
            "code, message and suggestion, on standard output.",
        ),
    ] = "text",
) -> None:
    """Check decks without building: every error, and lint warnings, with their lines."""
    if output_format not in ("text", "json"):
        raise _option_error("--format", f"unknown format `{output_format}`; use text or json")
    from .checking import check_deck

    results = [check_deck(deck, theme) for deck in decks]
    failed = any(result.failed(strict) for result in results)
    if output_format == "json":
        _print_json(results, failed)
    else:
        for result in results:
            print_diagnostics(result.diagnostics)
            say(result.summary(strict))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def _print_json(results: list[Any], failed: bool) -> None:
    import json

    from .diagnostics import capped

    shown = capped(d for result in results for d in result.diagnostics)
    document = {
        "ok": not failed,
        "errors": sum(result.errors for result in results),
        "warnings": sum(result.warnings for result in results),
        "files": [result.as_dict() for result in results],
        "diagnostics": [d.as_dict() for d in shown.diagnostics],
        "omitted": shown.as_dict(),
    }
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Print the JSON Schema of the deck format, for editors that check YAML."""
    from .spec.jsonschema import deck_schema_json

    if output is not None and output != STDOUT:
        _refuse_output(output)
    text = deck_schema_json()
    if output is None or output == STDOUT:
        sys.stdout.write(text)
    else:
        from .writer.save import atomic_write

        atomic_write(output, text.encode("utf-8"))
        say(f"wrote {output}")


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="Where to write the starter deck.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    schema_url: Annotated[
        str | None,
        typer.Option(
            "--schema-url",
            help="Point the editor at this schema instead of writing cardforge.schema.json beside the deck.",
        ),
    ] = None,
) -> None:
    """Write a commented starter deck to FILE, with the JSON Schema editors use to check it."""
    from .spec.jsonschema import SCHEMA_FILE, deck_schema_json
    from .starter import starter_deck
    from .writer.save import atomic_write

    if file.exists() and not force:
        raise _option_error(str(file), "the file exists; choose another name or pass --force")
    _refuse_output(file)
    atomic_write(file, starter_deck(schema_url or SCHEMA_FILE).encode("utf-8"))
    _WRITTEN.append(file)
    if schema_url is None:
        schema_file = file.parent / SCHEMA_FILE
        atomic_write(schema_file, deck_schema_json().encode("utf-8"))
        say(f"wrote {file} and {schema_file}; build it with: cardforge build {file}")
    else:
        say(f"wrote {file}; build it with: cardforge build {file}")


@app.command()
def themes() -> None:
    """List the built-in themes, with a swatch of each palette."""
    from .console import stdout, swatch
    from .theme.load import builtin_theme_names, builtin_theme_path, load_theme

    console = stdout()
    for name in builtin_theme_names():
        path = builtin_theme_path(name)
        theme = load_theme(name, path.parent, str(path), Position(1, 1), Report()) if path else None
        if theme is None:
            console.print(
                f"{name:<12} (cannot be read; `cardforge validate --theme {name}` says why)", markup=False
            )
            continue
        console.print(f"{name:<12} {theme.description}", markup=False)
        console.print(" " * 13, swatch(theme.palette, console), sep="", markup=False)


@app.command()
def template(
    file: Annotated[
        Path, typer.Argument(help="A .pptx whose layouts and placeholders to list.", show_default=False)
    ],
) -> None:
    """List a template's layouts and placeholders, and the layout cardforge would build on."""
    from . import limits
    from .paths import FileProblem, read_user_file
    from .theme.template import inspect_template

    try:
        info = inspect_template(read_user_file(file, limits.TEMPLATE_BYTES).data, file.name)
    except (ValueError, FileProblem) as error:
        report = Report()
        code = "CF410" if isinstance(error, FileProblem) and error.kind == "size" else "CF408"
        report.error(str(file), Position(1, 1), str(error), code)
        raise _fail(report) from None
    inch = 914400
    typer.echo(
        f"{file}: slide size {info.width / inch:.2f} x {info.height / inch:.2f} in, {len(info.layouts)} layouts"
    )
    for number, layout in enumerate(info.layouts, start=1):
        typer.echo(f"{number:>3}. {layout.name}")
        for ph in layout.placeholders:
            x, y, w, h = (value / inch for value in ph.box)
            typer.echo(
                f"       {ph.type:<8} idx {ph.idx:<3} {ph.name:<28} at {x:.2f},{y:.2f} in, {w:.2f} x {h:.2f} in"
            )
    chosen = info.title_layout()
    typer.echo(
        f"cardforge builds on: {chosen}"
        if chosen
        else "cardforge cannot use it: no layout with just a title placeholder"
    )


def _what_was_written() -> str:
    if not _WRITTEN:
        return "nothing was written."
    return f"{', '.join(str(path) for path in _WRITTEN)} was written before; nothing else was."


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``cardforge`` command."""
    import gc

    # A build allocates many small objects and frees them all at exit; the cycle collector's
    # repeated passes over them cost a third of a large build and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run(argv)
    finally:
        if collecting:
            gc.enable()


def _run(argv: list[str] | None) -> None:
    from .interrupt import Interrupted, signals_interrupt

    _WRITTEN.clear()
    try:
        with signals_interrupt():
            app(args=argv, prog_name="cardforge")
    except (KeyboardInterrupt, Interrupted) as stop:
        code = stop.exit_code if isinstance(stop, Interrupted) else EXIT_INTERRUPTED
        verb = stop.verb if isinstance(stop, Interrupted) else "interrupted"
        say(f"{verb}; {_what_was_written()}")
        sys.exit(code)
    except OSError as error:  # a disk or permission problem while writing
        named = f": {error.filename}" if error.filename else ""
        say(f"error: {error.strerror or error}{named}; {_what_was_written()}")
        sys.exit(EXIT_INPUT)
    except Exception as error:  # a bug in cardforge, not in the user's input
        if os.environ.get("CARDFORGE_DEBUG"):
            raise
        say(
            f"cardforge: internal error: {type(error).__name__}: {error}\n"
            "Nothing was written. Please report this with the deck; CARDFORGE_DEBUG=1 shows the details."
        )
        sys.exit(EXIT_INTERNAL)
