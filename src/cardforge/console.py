"""What the command line prints: diagnostics, summaries and palette swatches.

Everything goes through Rich, which leaves colour out when the output is not a terminal or
when ``NO_COLOR`` is set, so a redirected or piped run prints plain text. Lines are never
wrapped: editors and CI read ``FILE:LINE:COLUMN: severity: message`` one per line.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from .diagnostics import Diagnostic, capped

_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow"}


def stderr() -> Console:
    """A console on standard error (looked up on each call, so tests can capture it)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def stdout() -> Console:
    return Console(highlight=False, soft_wrap=True)


def coloured(console: Console) -> bool:
    """True when *console* shows colour: a terminal, and ``NO_COLOR`` not set.

    ``NO_COLOR`` turns off bold and dim too: whoever sets it wants plain text.
    """
    return console.color_system is not None and not console.no_color


def say(message: str, style: str | None = None) -> None:
    """A line for the user on standard error, styled only where colour is shown."""
    console = stderr()
    console.print(Text(message, style=style if style and coloured(console) else ""), markup=False)


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """One line per diagnostic, at most :data:`~cardforge.limits.SHOWN_DIAGNOSTICS` per file
    (errors first), then a line counting the rest by code."""
    console = stderr()
    styled = coloured(console)
    shown = capped(diagnostics)
    for diagnostic in shown.diagnostics:
        console.print(diagnostic_text(diagnostic) if styled else Text(str(diagnostic)), markup=False)
    if shown.summary:
        console.print(Text(f"... {shown.summary}", style="dim" if styled else ""), markup=False)


def diagnostic_text(diagnostic: Diagnostic) -> Text:
    """``FILE:LINE:COLUMN: severity: message; suggestion [CODE]``, the severity in colour."""
    where = f"{diagnostic.file}:{diagnostic.position.line}:{diagnostic.position.column}: "
    text = Text(where)
    text.append(diagnostic.severity, style=_SEVERITY_STYLES[diagnostic.severity])
    text.append(f": {diagnostic.message}")
    if diagnostic.suggestion:
        text.append(f"; {diagnostic.suggestion}")
    if diagnostic.code:
        text.append(f" [{diagnostic.code}]", style="dim")
    return text


def swatch(palette: dict[str, str], console: Console) -> Text:
    """The palette as colour blocks on a colour terminal, else as names and hex values."""
    if not coloured(console):
        return Text(", ".join(f"{name} #{value}" for name, value in palette.items()))
    blocks = Text()
    for value in palette.values():
        blocks.append("   ", style=f"on #{value}")
    return blocks
