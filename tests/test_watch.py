"""``cardforge watch``: real file changes in a temporary folder, every wait bounded in time."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

DECK = """\
cardforge: 1
title: {title}
theme: brand.yaml
slides: [title, cards]
personas:
  - {{id: P1, name: Data Engineer, colour: Brand Blue}}
"""
THEME = """\
cardforge_theme: 1
name: Brand
extends: default
palette: {{Brand Blue: "{blue}"}}
"""
WAIT = 60


class Watcher:
    """A running ``cardforge watch`` whose standard error is read line by line."""

    def __init__(self, *args: str, cwd: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cardforge", "watch", *args],
            cwd=cwd,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = WAIT) -> list[str]:
        """Lines up to and including the first that contains *text*."""
        deadline = time.monotonic() + timeout
        got = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got
        raise AssertionError(f"no line with {text!r} within {timeout} s; saw:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def title_of(pptx: Path) -> str:
    with zipfile.ZipFile(pptx) as package:
        core = package.read("docProps/core.xml").decode("utf-8")
    return core.split("<dc:title>", 1)[1].split("</dc:title>", 1)[0]


def save(path: Path, text: str) -> None:
    """Save as editors do: write a new file, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
@pytest.mark.slow
def test_watch_rebuilds_on_change_and_keeps_the_last_good_output(tmp_path):
    deck, theme, output = tmp_path / "team.yaml", tmp_path / "brand.yaml", tmp_path / "out" / "team.pptx"
    output.parent.mkdir()
    theme.write_text(THEME.format(blue="#1F4E79"), encoding="utf-8")
    deck.write_text(DECK.format(title="First title"), encoding="utf-8")
    watcher = Watcher("team.yaml", "-o", str(output), cwd=tmp_path)
    try:
        watcher.wait_for("watching 3 files")  # the deck, its theme and the theme it extends
        assert title_of(output) == "First title"

        save(deck, DECK.format(title="Second title"))
        watcher.wait_for(f"wrote {output}")
        assert title_of(output) == "Second title"
        good = output.read_bytes()

        save(deck, DECK.format(title="Broken") + "  - id: P1\n    name: Twin\n    skilz: [SQL]\n")
        said = watcher.wait_for("unchanged")
        assert any(
            "team.yaml:9:5: error: unknown key `skilz`; did you mean `skills`?" in line for line in said
        )
        assert any("team.yaml:7:9: error: persona id `P1` is already used" in line for line in said), said
        assert output.read_bytes() == good

        theme.write_text(THEME.format(blue="#C00000"), encoding="utf-8")  # in place, not renamed
        save(deck, DECK.format(title="Third title"))
        watcher.wait_for(f"wrote {output}")
        assert title_of(output) == "Third title"
        with zipfile.ZipFile(output) as package:
            assert b"C00000" in package.read("ppt/slides/slide2.xml")
    finally:
        status = watcher.stop()
    assert status == 0
    assert "stopped watching" in "\n".join(watcher.seen + [watcher.lines.get(timeout=5)])
    assert not list(output.parent.glob(".*")), "no temporary files left beside the output"


@pytest.mark.slow
def test_build_watch_is_the_same_command(tmp_path):
    (tmp_path / "brand.yaml").write_text(THEME.format(blue="#1F4E79"), encoding="utf-8")
    (tmp_path / "team.yaml").write_text(DECK.format(title="Watched"), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "cardforge", "build", "team.yaml", "--watch"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    watcher = Watcher.__new__(Watcher)
    watcher.process, watcher.lines, watcher.seen = process, queue.Queue(), []
    threading.Thread(target=watcher._read, daemon=True).start()
    try:
        watcher.wait_for("watching")
        assert title_of(tmp_path / "team.pptx") == "Watched"
    finally:
        assert watcher.stop() == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) or not shutil.which("pdftoppm"),
    reason="needs LibreOffice and poppler (apt-get install libreoffice-impress poppler-utils)",
)
def test_watch_renders_pictures_after_each_build(tmp_path):
    (tmp_path / "brand.yaml").write_text(THEME.format(blue="#1F4E79"), encoding="utf-8")
    deck = tmp_path / "team.yaml"
    deck.write_text(DECK.format(title="Pictures"), encoding="utf-8")
    pictures = tmp_path / "png"
    watcher = Watcher("team.yaml", "--png", str(pictures), cwd=tmp_path)
    try:
        watcher.wait_for(f"wrote 2 pictures to {pictures}", timeout=240)
        first = (pictures / "team-001.png").read_bytes()
        save(deck, DECK.format(title="Pictures, again"))
        watcher.wait_for(f"wrote 2 pictures to {pictures}", timeout=240)
        assert (pictures / "team-001.png").read_bytes() != first
    finally:
        assert watcher.stop() == 0
