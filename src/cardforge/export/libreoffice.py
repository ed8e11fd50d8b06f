"""PDF and PNG through LibreOffice in headless mode (and poppler's pdftoppm for PNG).

Each conversion runs with a profile of its own in a temporary folder, so that it neither
waits for nor disturbs a LibreOffice the user has open. LibreOffice starts a process of its
own behind its launcher, so each tool runs in a process group of its own: on a timeout, an
error or a signal (Ctrl-C, SIGTERM) the whole group is ended and waited for before the
temporary folder, profile included, is removed. The timeout grows with the deck.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_MISSING_TOOL = 3
TIMEOUT_SECONDS = 300
"""The timeout of a rendering that does not depend on a deck's size."""
BASE_SECONDS = 60
"""LibreOffice's start-up, and a small deck's conversion, with room to spare."""
SECONDS_PER_SLIDE = 1.0
"""LibreOffice converts a few slides a second on a slow machine; one second each is ample."""


class ExportError(Exception):
    """A conversion could not run; ``exit_code`` is 3 when a tool is missing."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ExportError(
        "LibreOffice is needed for PDF and PNG output but was not found; "
        "install the Debian package `libreoffice-impress` (apt-get install libreoffice-impress)",
        EXIT_MISSING_TOOL,
    )


def conversion_timeout(pptx: Path) -> float:
    """Seconds to allow LibreOffice for *pptx*: a base plus a time per slide."""
    try:
        with zipfile.ZipFile(pptx) as archive:
            slides = sum(
                1
                for name in archive.namelist()
                if name.startswith("ppt/slides/slide") and name.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile):
        slides = 0
    return BASE_SECONDS + SECONDS_PER_SLIDE * slides


def pptx_to_pdf(pptx: Path, pdf: Path, timeout: float | None = None) -> Path:
    """Convert *pptx* to *pdf* (written atomically); *timeout* defaults to
    :func:`conversion_timeout`."""
    from ..writer.save import atomic_output
    from .drawn_connectors import copy_with_drawn_connectors

    executable = soffice()
    timeout = conversion_timeout(pptx) if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="cardforge-lo-") as work:
        work_dir = Path(work)
        # LibreOffice re-routes connectors by its own rules; it is given their routes as lines.
        drawn = copy_with_drawn_connectors(pptx, work_dir / pptx.name)
        command = [
            executable,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work_dir),
            str(drawn.resolve()),
        ]
        scratch = work_dir / "tmp"  # LibreOffice's own temporary files go where the profile goes
        scratch.mkdir()
        with _status(f"Converting {pptx.name} to PDF with LibreOffice"):
            returncode, said = run_tool(
                command,
                timeout,
                f"LibreOffice did not finish converting {pptx.name}",
                {"TMPDIR": str(scratch)},
            )
        produced = work_dir / (pptx.stem + ".pdf")
        if returncode != 0 or not produced.exists():
            detail = said.strip().splitlines()[-1:] or ["no output"]
            raise ExportError(f"LibreOffice could not convert {pptx.name}: {detail[0]}")
        with atomic_output(pdf) as target, produced.open("rb") as source:
            shutil.copyfileobj(source, target)
    return pdf


def run_tool(
    command: list[str], timeout: float, late: str, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run *command* in a process group of its own; its exit status and what it said.

    On a timeout (an :class:`ExportError` starting with *late*), an error or a signal, the
    whole group is killed and reaped before this returns: no converter outlives cardforge,
    and nothing writes into a folder that is being removed.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env={**_quiet_env(), **(env or {})},
        start_new_session=True,
    )
    try:
        said, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ExportError(f"{late} within {timeout:.0f} s") from None
    except BaseException:
        _kill_group(process)
        raise
    return process.returncode, said or ""


def _kill_group(process: subprocess.Popen) -> None:
    """Kill *process*'s group while its leader is not yet reaped (so the group id is still
    its own), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError, OSError):
        process.communicate(timeout=10)


def pdf_to_pngs(pdf: Path, folder: Path, dpi: int = 110, prefix: str = "slide") -> list[Path]:
    """Render each page of *pdf* to ``folder/prefix-N.png``."""
    executable = shutil.which("pdftoppm")
    if executable is None:
        raise ExportError(
            "pdftoppm is needed for PNG output but was not found; install the Debian package `poppler-utils`",
            EXIT_MISSING_TOOL,
        )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cardforge-png-") as work:
        with _status(f"Rendering {pdf.name} to PNG"):
            returncode, said = run_tool(
                [executable, "-png", "-r", str(dpi), str(pdf), str(Path(work) / prefix)],
                TIMEOUT_SECONDS,
                f"pdftoppm did not finish rendering {pdf.name}",
            )
        if returncode != 0:
            raise ExportError(f"pdftoppm could not render {pdf.name}: {said.strip()}")
        pages = sorted(Path(work).glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        written = []
        for number, page in enumerate(pages, start=1):
            target = folder / f"{prefix}-{number:03d}.png"
            shutil.move(str(page), target)
            written.append(target)
    return written


def _quiet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")  # headless rendering, no display needed
    return env


@contextmanager
def _status(message: str) -> Iterator[None]:
    """A spinner on a terminal; nothing when output goes to a file or a pipe."""
    import sys

    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield
