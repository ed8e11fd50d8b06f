"""Command-line conventions: version, completion, colour, JSON diagnostics, init, hooks, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

import cardforge
from cardforge.cli import EXIT_CODES_HELP
from cardforge.diagnostics import CODES
from cardforge.model.lint import KINDS
from cardforge.spec.jsonschema import deck_schema

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
SEVERAL = ROOT / "tests" / "malformed" / "several-errors.yaml"
ANSI = "\x1b["


def cardforge_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run ``python -m cardforge`` as a user would, output captured (so not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "cardforge", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def test_version_is_printed_and_comes_from_one_place():
    result = cardforge_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cardforge {cardforge.__version__}"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and cardforge.__version__ not in pyproject


def test_shell_completion_script_is_offered():
    result = cardforge_cli(
        "--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    )
    assert result.returncode == 0, result.stderr
    assert "_CARDFORGE_COMPLETE" in result.stdout and "complete" in result.stdout


def test_help_documents_the_exit_codes():
    result = cardforge_cli("--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    flat = " ".join(result.stdout.split())
    assert " ".join(EXIT_CODES_HELP.split()) in flat
    for code in ("0 done", "1 the input has errors", "2 wrong command-line usage", "130 interrupted"):
        assert code in flat


@pytest.mark.slow
def test_usage_errors_exit_2_and_missing_tools_3(tmp_path):
    assert cardforge_cli("build").returncode == 2
    assert cardforge_cli("build", str(MLOPS), "--no-such-option").returncode == 2
    no_tools = cardforge_cli("render", str(MLOPS), "--png", str(tmp_path), env={"PATH": str(tmp_path)})
    assert no_tools.returncode == 3 and "libreoffice-impress" in no_tools.stderr


@pytest.mark.slow
def test_piped_output_has_no_colour_codes():
    """Captured output is not a terminal: diagnostics and the palette list are plain text."""
    themes = cardforge_cli("themes")
    assert themes.returncode == 0 and ANSI not in themes.stdout
    assert "Dark Blue #002060" in themes.stdout
    failed = cardforge_cli("validate", str(SEVERAL))
    assert failed.returncode == 1 and ANSI not in failed.stderr
    assert f"{SEVERAL}:11:1: error: unknown key `subtitel`; did you mean `subtitle`? [CF403]" in failed.stderr


@pytest.mark.slow
def test_colour_on_a_terminal_and_none_with_no_color():
    forced = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    coloured = cardforge_cli("themes", env=forced)
    assert ANSI in coloured.stdout and "#002060" not in coloured.stdout  # blocks, not names
    errors = cardforge_cli("validate", str(SEVERAL), env=forced)
    assert ANSI in errors.stderr
    plain = cardforge_cli("themes", env={**forced, "NO_COLOR": "1"})
    assert ANSI not in plain.stdout and "Dark Blue #002060" in plain.stdout
    plain_errors = cardforge_cli("validate", str(SEVERAL), env={**forced, "NO_COLOR": "1"})
    assert ANSI not in plain_errors.stderr


@pytest.mark.slow
def test_validate_json_lists_every_diagnostic_with_its_parts():
    result = cardforge_cli("validate", "--format", "json", str(SEVERAL))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["errors"] == len(document["diagnostics"]) == 7
    first = document["diagnostics"][0]
    assert first == {
        "file": str(SEVERAL),
        "line": 11,
        "column": 1,
        "severity": "error",
        "code": "CF403",
        "message": "unknown key `subtitel`",
        "suggestion": "did you mean `subtitle`?",
    }
    assert all(d["code"] in CODES for d in document["diagnostics"])
    text = cardforge_cli("validate", str(SEVERAL)).stderr.splitlines()
    rebuilt = [
        f"{d['file']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}"
        + (f"; {d['suggestion']}" if d["suggestion"] else "")
        + f" [{d['code']}]"
        for d in document["diagnostics"]
    ]
    assert rebuilt == text[: len(rebuilt)]


@pytest.mark.slow
def test_validate_takes_several_decks_and_fails_if_any_fails(tmp_path):
    result = cardforge_cli("validate", "--format", "json", str(MLOPS), str(SEVERAL))
    assert result.returncode == 1
    files = json.loads(result.stdout)["files"]
    assert [(f["file"], f["personas"], f["errors"]) for f in files] == [
        (str(MLOPS), 11, 0),
        (str(SEVERAL), None, 7),
    ]
    good = cardforge_cli("validate", str(MLOPS), str(ROOT / "decks" / "genaiops.yaml"))
    assert good.returncode == 0
    assert f"{MLOPS}: 11 personas" in good.stderr and "; ok" in good.stderr
    lint = json.loads(cardforge_cli("validate", "--format", "json", str(MLOPS)).stdout)["diagnostics"]
    assert lint and all(d["severity"] == "warning" and d["code"] in KINDS for d in lint)


def test_every_error_of_the_malformed_catalogue_has_a_documented_code():
    from cardforge.checking import check_deck

    for case in sorted((ROOT / "tests" / "malformed").glob("*.yaml")):
        for diagnostic in check_deck(case).diagnostics:
            assert diagnostic.code in {**CODES, **KINDS}, (case.name, str(diagnostic))


@pytest.mark.slow
def test_init_points_editors_at_a_schema_that_accepts_the_starter(tmp_path):
    deck = tmp_path / "team.yaml"
    result = cardforge_cli("init", str(deck))
    assert result.returncode == 0, result.stderr
    text = deck.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=cardforge.schema.json"
    schema = json.loads((tmp_path / "cardforge.schema.json").read_text(encoding="utf-8"))
    assert schema == deck_schema()
    jsonschema.validate(yaml.safe_load(text), schema)
    assert cardforge_cli("build", str(deck), "-o", str(tmp_path / "team.pptx")).returncode == 0


def test_init_with_a_schema_url_writes_no_schema_file(tmp_path):
    deck = tmp_path / "team.yaml"
    url = "https://example.org/cardforge.schema.json"
    assert cardforge_cli("init", str(deck), "--schema-url", url).returncode == 0
    assert deck.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema={url}\n")
    assert not (tmp_path / "cardforge.schema.json").exists()


def test_pre_commit_hook_validates_deck_files(tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "cardforge-validate")
    assert hook["language"] == "python" and hook["entry"].split()[:2] == ["cardforge", "validate"]
    deck = tmp_path / "decks" / "team.yaml"
    deck.parent.mkdir()
    deck.write_text(
        "cardforge: 1\ntitle: T\npersonas:\n  - {id: P1, name: A, colour: Dark Blu}\n", encoding="utf-8"
    )
    import re

    assert re.search(hook["files"], "decks/team.yaml") and not re.search(hook["files"], "themes/x.yaml")
    # pre-commit passes the staged files as arguments after the entry
    args = hook["entry"].split()[1:] + hook.get("args", []) + [str(deck), str(MLOPS)]
    result = cardforge_cli(*args)
    assert result.returncode == 1 and f"{deck}:4:" in result.stderr


@pytest.mark.slow
def test_profiling_a_build_writes_its_profile(tmp_path):
    """The executable's fast exit must not cost a profiler its output."""
    import pstats

    profile = tmp_path / "build.prof"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(profile),
            "-m",
            "cardforge",
            "build",
            str(MLOPS),
            "-o",
            str(tmp_path / "m.pptx"),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    stats = pstats.Stats(str(profile))
    assert any("layout_deck" in name for (_, _, name) in stats.stats)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_profiling_the_installed_executable_writes_its_profile(tmp_path):
    import shutil

    executable = shutil.which("cardforge")
    if executable is None:
        pytest.skip("the cardforge executable is not on PATH")
    profile = tmp_path / "exe.prof"
    result = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), executable, "validate", str(MLOPS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert profile.stat().st_size > 0
