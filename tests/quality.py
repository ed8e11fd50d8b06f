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

import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}

MIN_SLIDE_PT = 10
"""Nothing on a slide is smaller than this (the size a room reads from the back)."""


@dataclass
class BuiltDeck:
    """A built presentation, with its slide parts parsed and its PDF rendered on demand."""

    pptx: Path
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
