"""The catalogue of malformed decks: each names the diagnostics it must produce.

A case file in ``tests/malformed/`` carries lines ``# expect: LINE:COLUMN: error: TEXT``;
the run must report a diagnostic at that position, of that severity, whose message
contains TEXT. Cases whose bytes cannot hold comments (binary, bad encodings) are below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cardforge import DeckError, load_deck
from cardforge.cli import main

CASES = sorted((Path(__file__).parent / "malformed").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (error|warning): (.+)$")


def diagnostics_of(path: Path) -> list[str]:
    try:
        from cardforge.diagnostics import Report

        report = Report()
        load_deck(path, report=report)
        return [str(d) for d in report.sorted()]
    except DeckError as error:
        return [str(d) for d in error.report.sorted()]


def expectations(path: Path) -> list[tuple[int, int, str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3], match[4].strip()))
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_reports_expected_diagnostics(case: Path):
    expected = expectations(case)
    assert expected, f"{case.name} has no '# expect:' line"
    got = diagnostics_of(case)
    for line, column, severity, text in expected:
        prefix = f"{case}:{line}:{column}: {severity}: "
        assert any(d.startswith(prefix) and text in d for d in got), (
            f"expected {prefix}...{text}\n got:\n  " + "\n  ".join(got)
        )
    errors = [d for d in got if ": error: " in d]
    expected_errors = [e for e in expected if e[2] == "error"]
    assert len(errors) == len(expected_errors), "unexpected extra errors:\n  " + "\n  ".join(got)


@pytest.mark.slow
def test_every_case_fails_the_cli_without_writing(tmp_path, capsys):
    for case in CASES:
        if not any(e[2] == "error" for e in expectations(case)):
            continue
        output = tmp_path / "out.pptx"
        with pytest.raises(SystemExit) as exit_info:
            main(["build", str(case), "-o", str(output)])
        assert exit_info.value.code == 1, case.name
        assert not output.exists(), case.name
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert f"{case}:" in err


@pytest.mark.parametrize(
    "raw, position, text",
    [
        (b"", "1:1", "the file is empty"),
        (b"# only a comment\n\n", "1:1", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "1:1", "binary file"),
        (b"cardforge: 1\ntitle: x\x00y\n", "1:1", "binary file"),
        (b"cardforge: 1\ntitle: caf\xe9\n", "2:11", "invalid UTF-8"),
        ("cardforge: 1\n".encode("utf-16"), "1:1", "UTF-16"),
        (b"cardforge: 1\ntitle: a\x07b\n", "2:9", "control character U+0007"),
    ],
    ids=["empty", "comment-only", "png", "nul", "latin1", "utf16", "bell"],
)
def test_unreadable_bytes(tmp_path, raw, position, text):
    path = tmp_path / "deck.yaml"
    path.write_bytes(raw)
    got = diagnostics_of(path)
    assert any(d.startswith(f"{path}:{position}: error: ") and text in d for d in got), got
