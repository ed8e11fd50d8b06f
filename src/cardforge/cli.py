"""The ``cardforge`` command line: build, validate, schema, init.

Imports are deferred into each command so that a command loads only what it needs:
start-up time is most of a small build.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .diagnostics import DeckError, Diagnostic, Report

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Turn a YAML persona spec into a PowerPoint deck of persona cards.",
)

EXIT_INPUT = 1
EXIT_INTERNAL = 2


def _print(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        typer.echo(str(diagnostic), err=True)


def _fail(report: Report) -> typer.Exit:
    _print(report.sorted())
    errors = len(report.errors)
    typer.echo(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", err=True)
    return typer.Exit(EXIT_INPUT)


@app.command()
def build(
    deck: Path = typer.Argument(..., help="The deck file (YAML).", show_default=False),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="The .pptx to write [default: DECK's name + .pptx, here]."
    ),
    theme: str | None = typer.Option(
        None, "--theme", help="A built-in theme name or a theme file, instead of the deck's."
    ),
    only: list[str] | None = typer.Option(
        None,
        "--only",
        help="Build only this section (repeatable): title, persona-table, cards, cards:P001,P003, process-map, architecture:lambda, interactions, categories, rbac, gaps.",
    ),
    pdf: bool = typer.Option(False, "--pdf", help="Also write a PDF beside the .pptx (needs LibreOffice)."),
    strict: bool = typer.Option(
        False, "--strict", help="Fail, writing nothing, if there is any warning (lint findings included)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Build a presentation from DECK."""
    report = Report()
    output = output or Path(deck.stem + ".pptx")
    if output.suffix.lower() != ".pptx":
        report.error(str(output), _start(), "the output must be a .pptx file")
        raise _fail(report)
    if output.exists() and deck.exists() and output.resolve() == deck.resolve():
        report.error(str(output), _start(), "the output would overwrite the deck itself")
        raise _fail(report)
    loaded = _load_or_fail(deck, theme, report)
    sections = _sections_or_fail(only, loaded)
    if strict:
        _refuse_warnings(loaded, report, sections)
    from .api import build as build_deck

    result = build_deck(loaded, output, sections=sections, report=report)
    if not quiet:
        _print(report.sorted())
        for note in result.skipped:
            typer.echo(f"note: {note}", err=True)
        typer.echo(f"wrote {output} ({result.slides} slides)", err=True)
    if pdf:
        _export_pdf(output, output.with_suffix(".pdf"), quiet)


def _sections_or_fail(only: list[str] | None, deck):
    """The sections named by ``--only``, or ``None`` for the deck's own choice."""
    if not only:
        return None
    from .model.sections import sections_from_choices

    report = Report()
    sections = sections_from_choices(only, deck.personas, deck.architectures, report)
    if not report.ok:
        raise _fail(report)
    return sections


def _refuse_warnings(deck, report: Report, sections) -> None:
    """--strict: lint, lay out without writing, and stop if anything was said."""
    from .layout.deck import layout_deck
    from .model.lint import lint, report_findings

    trial = Report()
    trial.extend(report)
    report_findings(deck, lint(deck), trial)
    layout_deck(deck, trial, sections)
    if trial.warnings:
        _print(trial.sorted())
        count = len(trial.warnings)
        typer.echo(f"{count} warning{'s' if count != 1 else ''} and --strict; nothing was written.", err=True)
        raise typer.Exit(EXIT_INPUT)


def _export_pdf(pptx: Path, target: Path, quiet: bool) -> None:
    from .export.libreoffice import ExportError, pptx_to_pdf

    try:
        pptx_to_pdf(pptx, target)
    except ExportError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code)
    if not quiet:
        typer.echo(f"wrote {target}", err=True)


def _load_or_fail(deck: Path, theme: str | None, report: Report):
    from .load import load_deck

    try:
        return load_deck(deck, theme=theme, report=report)
    except DeckError as error:
        raise _fail(error.report)


@app.command(name="print")
def print_cards(
    deck: Path = typer.Argument(..., help="The deck file (YAML).", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="cards.pdf (needs LibreOffice) or cards.pptx."),
    card_size: str | None = typer.Option(
        None,
        "--card-size",
        help="A6, A5, poker, bridge or slide [default: the deck's print: section, else A6].",
    ),
    paper: str | None = typer.Option(None, "--paper", help="A4 or Letter [default: the deck's, else A4]."),
    crop_marks: bool | None = typer.Option(
        None, "--crop-marks/--no-crop-marks", help="Cut marks on the page."
    ),
    backs: bool | None = typer.Option(
        None, "--backs/--no-backs", help="A back per card, mirrored for duplex printing."
    ),
    bleed: float | None = typer.Option(None, "--bleed", help="Bleed in millimetres (0 to 10)."),
    theme: str | None = typer.Option(
        None, "--theme", help="A built-in theme name or a theme file (try: print)."
    ),
    only: list[str] | None = typer.Option(
        None, "--only", help="Print only these personas' cards (repeatable ids)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Lay out persona cards N-up at their physical size for printing and cutting."""

    report = Report()
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".pptx"):
        report.error(str(output), _start(), "the output must be a .pdf or a .pptx file")
        raise _fail(report)
    loaded = _load_or_fail(deck, theme, report)
    options = _print_options(loaded.print_options, card_size, paper, crop_marks, backs, bleed)
    personas = loaded.personas
    if only:
        wanted = [part.strip().casefold() for value in only for part in value.split(",") if part.strip()]
        personas = [p for p in personas if p.id.casefold() in wanted]
        missing = [w for w in wanted if w not in {p.id.casefold() for p in personas}]
        if missing:
            choice = Report()
            from .diagnostics import did_you_mean

            for name in missing:
                choice.error(
                    "--only",
                    _start(),
                    f"unknown persona `{name}`{did_you_mean(name, [p.id for p in loaded.personas])}",
                )
            raise _fail(choice)
    from .api import build_print

    target = output if suffix == ".pptx" else output.with_name(f".{output.stem}.cards.pptx")
    try:
        pages = build_print(loaded, personas, options, target, report)
        if suffix == ".pdf":
            _export_pdf(target, output, quiet=True)
    finally:
        if suffix == ".pdf" and target.exists():
            target.unlink()
    if not quiet:
        _print(report.sorted())
        typer.echo(f"wrote {output} ({pages} pages, {options.card_size} cards on {options.paper})", err=True)


def _print_options(base, card_size, paper, crop_marks, backs, bleed):
    from dataclasses import replace

    from .spec.deck import PrintSpec

    given = {
        k: v
        for k, v in {
            "card_size": card_size,
            "paper": paper,
            "crop_marks": crop_marks,
            "backs": backs,
            "bleed": bleed,
        }.items()
        if v is not None
    }
    if not given:
        return base
    merged = {
        **{f: getattr(base, f) for f in ("card_size", "paper", "crop_marks", "backs", "bleed")},
        **given,
    }
    try:
        spec = PrintSpec.model_validate(merged)
    except Exception as error:  # pydantic's message names the option and the allowed values
        report = Report()
        first = error.errors()[0] if hasattr(error, "errors") else {"loc": ("option",), "msg": str(error)}
        report.error("--" + str(first["loc"][0]).replace("_", "-"), _start(), first["msg"])
        raise _fail(report)
    return replace(base, **spec.model_dump())


@app.command()
def render(
    deck: Path = typer.Argument(..., help="The deck file (YAML).", show_default=False),
    png: Path = typer.Option(..., "--png", help="Folder to write one PNG per slide into."),
    dpi: int = typer.Option(110, "--dpi", min=30, max=600, help="Resolution of the pictures."),
    theme: str | None = typer.Option(None, "--theme", help="A built-in theme name or a theme file."),
    only: list[str] | None = typer.Option(None, "--only", help="Render only this section (repeatable)."),
) -> None:
    """Render DECK's slides to PNG pictures (through LibreOffice and pdftoppm)."""
    import tempfile

    from .export.libreoffice import ExportError, pdf_to_pngs, pptx_to_pdf

    report = Report()
    loaded = _load_or_fail(deck, theme, report)
    sections = _sections_or_fail(only, loaded)
    from .api import build as build_deck

    with tempfile.TemporaryDirectory(prefix="cardforge-render-") as work:
        pptx = Path(work) / f"{deck.stem}.pptx"
        build_deck(loaded, pptx, sections=sections, report=report)
        try:
            pages = pdf_to_pngs(
                pptx_to_pdf(pptx, Path(work) / f"{deck.stem}.pdf"), png, dpi, prefix=deck.stem
            )
        except ExportError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code)
    _print(report.sorted())
    typer.echo(f"wrote {len(pages)} pictures to {png}", err=True)


@app.command()
def markdown(
    deck: Path = typer.Argument(..., help="The deck file (YAML).", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for README.md and one file per persona."),
) -> None:
    """Write the personas as Markdown: one file per card and an index table."""
    from .export.markdown import write_markdown

    loaded = _load_or_fail(deck, None, Report())
    written = write_markdown(loaded, output)
    typer.echo(f"wrote {len(written)} files to {output}", err=True)


@app.command()
def validate(
    deck: Path = typer.Argument(..., help="The deck file (YAML).", show_default=False),
    theme: str | None = typer.Option(None, "--theme", help="Check against this theme instead of the deck's."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings (lint findings included) as errors."),
) -> None:
    """Check DECK without building: every error, and lint warnings with their lines."""
    from .model.lint import lint, report_findings

    report = Report()
    loaded = _load_or_fail(deck, theme, report)
    report_findings(loaded, lint(loaded), report)
    _print(report.sorted())
    count = len(report.warnings)
    summary = f"{deck}: {len(loaded.personas)} personas, {count} warning{'s' if count != 1 else ''}"
    if strict and count:
        typer.echo(f"{summary}; failing because of --strict", err=True)
        raise typer.Exit(EXIT_INPUT)
    typer.echo(f"{summary}; ok", err=True)


@app.command()
def schema(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of standard output."
    ),
) -> None:
    """Print the JSON Schema of the deck format, for editors that check YAML."""
    from .spec.jsonschema import deck_schema_json

    text = deck_schema_json()
    if output is None:
        sys.stdout.write(text)
    else:
        from .writer.save import atomic_write

        atomic_write(output, text.encode("utf-8"))
        typer.echo(f"wrote {output}", err=True)


@app.command()
def init(
    file: Path = typer.Argument(..., help="Where to write the starter deck.", show_default=False),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write a commented starter deck to FILE."""
    from .starter import STARTER_DECK
    from .writer.save import atomic_write

    if file.exists() and not force:
        report = Report()
        report.error(str(file), _start(), "the file exists; choose another name or pass --force")
        raise _fail(report)
    atomic_write(file, STARTER_DECK.encode("utf-8"))
    typer.echo(f"wrote {file}; build it with: cardforge build {file}", err=True)


@app.command()
def themes() -> None:
    """List the built-in themes, with a swatch of each palette."""
    from .diagnostics import Position
    from .theme.load import builtin_theme_names, builtin_theme_path, load_theme

    colour = sys.stdout.isatty()
    for name in builtin_theme_names():
        path = builtin_theme_path(name)
        theme = load_theme(name, path.parent, str(path), Position(1, 1), Report())
        if theme is None:
            typer.echo(f"{name:<12} (cannot be read; `cardforge validate` with --theme {name} says why)")
            continue
        typer.echo(f"{name:<12} {theme.description}")
        typer.echo(" " * 13 + _swatch(theme.palette, colour))


def _swatch(palette: dict[str, str], colour: bool) -> str:
    if not colour:
        return ", ".join(f"{name} #{value}" for name, value in palette.items())
    blocks = []
    for value in palette.values():
        r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
        blocks.append(f"\x1b[48;2;{r};{g};{b}m   \x1b[0m")
    return "".join(blocks)


@app.command()
def template(
    file: Path = typer.Argument(
        ..., help="A .pptx whose layouts and placeholders to list.", show_default=False
    ),
) -> None:
    """List a template's layouts and placeholders, and the layout cardforge would build on."""
    from .theme.template import inspect_template

    try:
        info = inspect_template(file)
    except (ValueError, OSError) as error:
        report = Report()
        report.error(str(file), _start(), str(error))
        raise _fail(report)
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


def _start():
    from .diagnostics import Position

    return Position(1, 1)


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
    try:
        app(args=argv, prog_name="cardforge")
    except KeyboardInterrupt:
        typer.echo("interrupted; nothing was written.", err=True)
        sys.exit(130)
    except OSError as error:  # a disk or permission problem while writing
        typer.echo(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
        sys.exit(EXIT_INPUT)
    except Exception as error:  # a bug in cardforge, not in the user's input
        import os

        if os.environ.get("CARDFORGE_DEBUG"):
            raise
        typer.echo(
            f"cardforge: internal error: {type(error).__name__}: {error}\n"
            "Nothing was written. Please report this with the deck; CARDFORGE_DEBUG=1 shows the details.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
