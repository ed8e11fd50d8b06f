"""PDF and PNG through LibreOffice in headless mode (and poppler's pdftoppm for PNG).

Each conversion runs with a profile of its own in a temporary folder, so that it neither
waits for nor disturbs a LibreOffice the user has open, and with a timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_MISSING_TOOL = 3
TIMEOUT_SECONDS = 300


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


def pptx_to_pdf(pptx: Path, pdf: Path, timeout: int = TIMEOUT_SECONDS) -> Path:
    """Convert *pptx* to *pdf* (written atomically)."""
    from .drawn_connectors import copy_with_drawn_connectors

    executable = soffice()
    with tempfile.TemporaryDirectory(prefix="cardforge-lo-") as work:
        work_dir = Path(work)
        # LibreOffice re-routes connectors by its own rules; it is given their routes as lines.
        source = copy_with_drawn_connectors(pptx, work_dir / pptx.name)
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
            str(source.resolve()),
        ]
        with _status(f"Converting {pptx.name} to PDF with LibreOffice"):
            try:
                result = subprocess.run(
                    command, capture_output=True, text=True, timeout=timeout, env=_quiet_env()
                )
            except subprocess.TimeoutExpired:
                raise ExportError(
                    f"LibreOffice did not finish converting {pptx.name} within {timeout} s"
                ) from None
        produced = work_dir / (pptx.stem + ".pdf")
        if result.returncode != 0 or not produced.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ExportError(f"LibreOffice could not convert {pptx.name}: {detail[0]}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        temp = pdf.with_name(f".{pdf.name}.tmp")
        shutil.copyfile(produced, temp)
        os.replace(temp, pdf)
    return pdf


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
            result = subprocess.run(
                [executable, "-png", "-r", str(dpi), str(pdf), str(Path(work) / prefix)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        if result.returncode != 0:
            raise ExportError(f"pdftoppm could not render {pdf.name}: {result.stderr.strip()}")
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
