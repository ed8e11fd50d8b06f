"""Every shipped deck in every shipped theme opens cleanly; each check catches what it should."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import cardforge
from cardforge.diagnostics import Report
from cardforge.paths import THEMES_DIR
from checks import SCHEMAS, audit_errors, schema_errors, structural_problems

ROOT = Path(__file__).resolve().parent.parent
DECKS = sorted((ROOT / "decks").glob("*.yaml"))
THEMES = sorted(p.stem for p in THEMES_DIR.glob("*.yaml"))
HAS_SCHEMAS = (SCHEMAS / "transitional" / "pml.xsd").exists()


class Builds(dict):
    """Each shipped deck in each shipped theme, and a generated deck, built on first use: the
    checks of damaged files need only one of them."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, key: tuple[str, str]) -> Path:
        deck, theme = key
        source = ROOT / "decks" / f"{deck}.yaml" if deck != "generated" else self._generated()
        output = self.folder / f"{deck}-{theme}.pptx"
        cardforge.build(cardforge.load_deck(source, theme=theme), output, report=Report())
        self[key] = output
        return output

    def every(self) -> dict[tuple[str, str], Path]:
        keys = [(deck.stem, theme) for deck in DECKS for theme in THEMES] + [("generated", "default")]
        return {key: self[key] for key in keys}

    def _generated(self) -> Path:
        import importlib.util

        spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        generated = self.folder / "generated.yaml"
        generated.write_text(module.deck(40), encoding="utf-8")
        return generated


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    return Builds(tmp_path_factory.mktemp("validity"))


def test_structure_and_schema_of_the_example_deck(builds):
    """The inner loop's check; the full suite checks every deck in every theme."""
    path = builds[("mlops", "default")]
    assert structural_problems(path) == []
    if HAS_SCHEMAS:
        assert schema_errors(path) == []


@pytest.mark.slow
def test_structure_of_every_build(builds):
    for key, path in builds.every().items():
        assert structural_problems(path) == [], key


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SCHEMAS, reason="../shared/ooxml-schemas is absent")
def test_schema_validity_of_every_build(builds):
    for key, path in builds.every().items():
        assert schema_errors(path) == [], key


@pytest.mark.slow
def test_openxml_audit_of_every_build(builds):
    for key, path in builds.every().items():
        assert audit_errors(path) == [], key


# Deliberately broken files: each check must notice its own kind of damage.


def _damaged(source: Path, target: Path, member: str, change) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            copy.writestr(item, data)
    return target


def _first_slide_with(path: Path, needle: str) -> str:
    with zipfile.ZipFile(path) as package:
        for name in sorted(n for n in package.namelist() if re.match(r"ppt/slides/slide\d+\.xml$", n)):
            if needle in package.read(name).decode("utf-8"):
                return name
    raise AssertionError(f"no slide contains {needle}")


@pytest.mark.parametrize(
    "needle, change, expected",
    [
        (
            '<p:cNvPr id="3"',
            lambda x: x.replace('<p:cNvPr id="3"', '<p:cNvPr id="2"', 1),
            "duplicate shape ids",
        ),
        (
            "<a:stCxn",
            lambda x: re.sub(r'<a:stCxn id="\d+"', '<a:stCxn id="99999"', x, count=1),
            "connector end on missing shape",
        ),
        (
            "<a:off ",
            lambda x: re.sub(r'<a:off x="(\d+)"', r'<a:off x="\1.5"', x, count=1),
            "non-integer coordinate",
        ),
        (
            "<p:spPr><a:xfrm><a:off ",
            lambda x: re.sub(
                r'<p:spPr><a:xfrm><a:off x="\d+"', '<p:spPr><a:xfrm><a:off x="99999999"', x, count=1
            ),
            "leaves the slide",
        ),
        (
            "<a:gridCol",
            lambda x: x.replace("<a:gridCol", '<a:gridCol w="1"/><a:gridCol', 1),
            "does not match the grid",
        ),
        (
            "<a:ext cx=",
            lambda x: re.sub(r'<a:ext cx="(\d+)" cy="\d+"', r'<a:ext cx="\1" cy="-5"', x, count=1),
            "negative size",
        ),
        ("<a:t>", lambda x: re.sub(r"<a:t>[^<]+</a:t>", "<a:t></a:t>", x, count=1), "empty text run"),
    ],
    ids=[
        "duplicate-id",
        "dangling-connector",
        "fractional-coordinate",
        "off-slide",
        "table-grid",
        "negative-size",
        "empty-run",
    ],
)
def test_checks_catch_damaged_slides(builds, tmp_path, needle, change, expected):
    source = builds[("mlops", "default")]
    member = _first_slide_with(source, needle)
    damaged = _damaged(source, tmp_path / "damaged.pptx", member, change)
    assert any(expected in problem for problem in structural_problems(damaged))


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda x: re.sub(
                r'Target="\.\./slideLayouts/[^"]+"', 'Target="../slideLayouts/missing.xml"', x, count=1
            ),
            "is missing",
        ),
        (lambda x: x.replace('Target="https://', 'Target="javascript://', 1), "link with scheme javascript"),
        (lambda x: x.replace('Target="https://', 'Target="https://' + "a" * 2100, 1), "longer than 2048"),
    ],
    ids=["missing-target", "javascript-link", "long-link"],
)
def test_checks_catch_damaged_relationships(builds, tmp_path, change, expected):
    source = builds[("mlops", "default")]
    member = _first_slide_with(source, "hlinkClick").replace("slides/", "slides/_rels/") + ".rels"
    with zipfile.ZipFile(source) as package:
        assert 'Target="https://' in package.read(member).decode("utf-8")
    damaged = _damaged(source, tmp_path / "damaged.pptx", member, change)
    assert any(expected in problem for problem in structural_problems(damaged))


@pytest.mark.skipif(not HAS_SCHEMAS, reason="../shared/ooxml-schemas is absent")
def test_schema_check_catches_invalid_markup(builds, tmp_path):
    source = builds[("mlops", "default")]
    member = _first_slide_with(source, "<a:noAutofit/>")
    damaged = _damaged(
        source,
        tmp_path / "damaged.pptx",
        member,
        lambda x: x.replace("<a:noAutofit/>", "<a:noAutofit/><a:bogus/>", 1),
    )
    assert schema_errors(damaged)


@pytest.mark.slow
def test_audit_catches_invalid_markup(builds, tmp_path):
    source = builds[("mlops", "default")]
    member = _first_slide_with(source, "<a:noAutofit/>")
    damaged = _damaged(
        source, tmp_path / "damaged.pptx", member, lambda x: x.replace('prst="rect"', 'prst="notashape"', 1)
    )
    assert audit_errors(damaged)


@pytest.mark.slow
def test_same_bytes_across_runs_and_processes(tmp_path):
    import subprocess
    import sys

    outputs = []
    for index in range(2):
        output = tmp_path / f"run{index}.pptx"
        subprocess.run(
            [sys.executable, "-m", "cardforge", "build", str(DECKS[0]), "-o", str(output), "-q"],
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": str(index + 1)},
        )
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]


def test_two_process_writing_gives_the_same_bytes(tmp_path, monkeypatch):
    """Every other slide may be written by a forked helper; the package must not change."""
    import os

    from pptx import Presentation as OpenPptx

    from cardforge.writer import parallel

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system: decks are always written in one process")
    deck = cardforge.load_deck(DECKS[0])
    monkeypatch.setenv("CARDFORGE_JOBS", "1")
    cardforge.build(deck, tmp_path / "one.pptx", report=Report())
    monkeypatch.delenv("CARDFORGE_JOBS")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    cardforge.build(deck, tmp_path / "two.pptx", report=Report())
    assert forks == [1]  # the helper did write half the slides
    assert (tmp_path / "one.pptx").read_bytes() == (tmp_path / "two.pptx").read_bytes()
    with zipfile.ZipFile(tmp_path / "two.pptx") as package:
        assert package.testzip() is None
        assert len([n for n in package.namelist() if n.startswith("ppt/slides/slide")]) == len(
            OpenPptx(str(tmp_path / "two.pptx")).slides
        )


def test_a_failing_helper_process_fails_the_build(tmp_path, monkeypatch):
    import os

    from cardforge.writer import parallel

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    deck = cardforge.load_deck(DECKS[0])
    output = tmp_path / "deck.pptx"
    output.write_bytes(b"the previous deck")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)

    def failing_dump(*args, **kwargs):
        raise MemoryError("helper")

    monkeypatch.setattr(parallel.pickle, "dump", failing_dump)
    with pytest.raises(RuntimeError, match="helper process"):
        cardforge.build(deck, output, report=Report())
    assert output.read_bytes() == b"the previous deck"
