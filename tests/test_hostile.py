"""Hostile input, hostile templates, output paths and interrupted runs.

Each class of attack found by the adversarial review has tests here that generate its
variants (Hypothesis where the input has a shape to search, parameters where the variants
are a short list). Every outcome is one of: a build, or errors in the usual
``FILE:LINE:COLUMN`` form with exit status 1 and nothing touched; never a crash, a hang,
a half-written or misplaced file, or a file that escapes its folder.

``benchmarks/hostile.py`` measures the same attacks as whole processes, before and after.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, note, settings
from hypothesis import strategies as st

import cardforge
from cardforge import DeckError, limits
from cardforge.cli import main
from cardforge.diagnostics import Report, closest, suggestion_budget
from cardforge.paths import FileProblem, read_user_file
from cardforge.spec.yamlread import read_yaml
from checks import structural_problems
from test_properties import DIAGNOSTIC, PROPERTY, event, examples, time_limit

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
SMALL = "cardforge: 1\ntitle: t\nslides: [title, cards]\npersonas: [{id: P1, name: N}]\n"
PERSONA_LISTS = ("interacts_with", "processes", "services", "skills", "learn", "people")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def cli(argv: list[str]) -> tuple[int, str]:
    """Run the command line in this process; its exit status and what it said on stderr."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(argv)
            code = 0
        except SystemExit as exit_info:
            code = exit_info.code if isinstance(exit_info.code, int) else int(exit_info.code is not None)
    return code, stderr.getvalue()


def errors_of(path: Path, **kwargs) -> list[str]:
    """The error lines loading *path* gives (``[]`` when it loads)."""
    try:
        cardforge.load_deck(path, **kwargs)
    except DeckError as error:
        return [str(d) for d in error.report.sorted() if d.severity == "error"]
    return []


def theme_deck(folder: Path, theme_lines: str, deck: str = SMALL) -> Path:
    """A deck in *folder* whose theme (extending the default) adds *theme_lines*."""
    (folder / "theme.yaml").write_text(
        "cardforge_theme: 1\nname: hostile\nextends: default\n" + theme_lines, encoding="utf-8"
    )
    path = folder / "deck.yaml"
    text = re.sub(r"^theme:.*\n", "", deck, flags=re.M)
    path.write_text("theme: theme.yaml\n" + text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based line of *path* that holds *text*."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")


# --------------------------------------------------------------------------------------
# 1. No super-linear work on small input
# --------------------------------------------------------------------------------------

_REFERENCE_FLOW_HEX = re.compile(r"[{\[][^#\n]*?:[ \t]+(#[0-9A-Fa-f]{6})\b")
"""The backtracking pattern the linear scan replaced (13 s on a 40 KB line of `{`)."""


@settings(max_examples=examples(300), **PROPERTY)
@given(st.text(alphabet="{[]}:# \tab0F,'\"", max_size=60), st.integers(0, 60), st.booleans())
@pytest.mark.slow
def test_flow_colour_scan_finds_what_the_pattern_found(line, where, colour):
    from cardforge.spec.yamlread import _flow_hex

    if colour:
        line = line[:where] + ": #00ff0A" + line[where:]
    found = _REFERENCE_FLOW_HEX.search(line)
    assert _flow_hex(line) == ((found.start(1), found.group(1)) if found else None)


def _json_deck(personas: int, stray: str) -> str:
    items = [
        {"id": f"P{i:04d}", "name": f"Persona {i}", "skills": ["SQL", "Python"], "team": f"T{i % 7}"}
        for i in range(personas)
    ]
    text = json.dumps({"cardforge": 1, "title": "t", "personas": items}, separators=(",", ":"))
    return text.replace('"skills":["SQL",', '"skills":["SQL",' + stray, 1)


HOSTILE_YAML = {
    "line of {": SMALL + "x: " + "{" * 40_000 + "\n",
    "line of [": SMALL + "x: " + "[" * 40_000 + "\n",
    "brackets and colours": SMALL + "x: " + "{a: [b, " * 4_000 + ": #00ff00\n",
    "minified JSON, stray comma": _json_deck(2600, ","),
    "minified JSON, stray colon": _json_deck(2600, ":"),
    "deep block nesting": SMALL + "x:\n" + "".join(" " * i + "- \n" for i in range(0, 2000, 2)),
    "deep flow nesting, closed": SMALL + "x: " + "[" * 5000 + "]" * 5000 + "\n",
}


@pytest.mark.parametrize("name", list(HOSTILE_YAML))
def test_hostile_yaml_is_answered_at_once(name):
    """Inputs that took 13-84 s (a backtracking pattern, libyaml's scanner on deep nesting)."""
    report = Report()
    started = time.perf_counter()
    with time_limit(20):
        document = read_yaml(HOSTILE_YAML[name].encode(), "deck.yaml", report)
    assert time.perf_counter() - started < 5
    assert document is None and report.errors
    assert all(d.code == "CF402" for d in report.errors)


@settings(max_examples=examples(25), **PROPERTY)
@given(
    st.lists(st.sampled_from(["{", "[", "}", "]", ": ", "#0a0B0c", ",", "a", " ", "'", '"']), max_size=400),
    st.integers(1, 100),
)
def test_any_long_line_of_yaml_punctuation_is_read_in_bounded_time(pieces, repeat):
    line = "".join(pieces) * repeat
    report = Report()
    with time_limit(20):
        read_yaml((SMALL + "x: " + line + "\n").encode(), "deck.yaml", report)
    assert all(DIAGNOSTIC.match(str(d)) for d in report.diagnostics)


@settings(max_examples=examples(12), **PROPERTY)
@given(st.sampled_from(PERSONA_LISTS), st.integers(limits.LIST_ENTRIES - 2, limits.LIST_ENTRIES + 3))
def test_a_list_past_its_limit_is_an_error_at_the_list(tmp_path_factory, field, count):
    folder = tmp_path_factory.mktemp("lists")
    if field == "learn":
        entries = ", ".join(f'"https://example.org/{k}"' for k in range(count))
    elif field == "interacts_with":
        entries = ", ".join("P1" for _ in range(count))
    else:
        entries = ", ".join(f"Entry {k}" for k in range(count))
    path = folder / "deck.yaml"
    path.write_text(f"cardforge: 1\ntitle: t\npersonas:\n  - id: P1\n    name: N\n    {field}: [{entries}]\n")
    errors = errors_of(path)
    if count <= limits.LIST_ENTRIES:
        assert errors == []
    else:
        assert errors == [
            f"{path}:6:{len(field) + 7}: error: `{field}`: has {count} entries; "
            f"at most {limits.LIST_ENTRIES} are allowed [CF410]"
        ]


@settings(max_examples=examples(10), **PROPERTY)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=12), st.integers(5, 40))
def test_the_deck_wide_list_limit_stops_at_the_persona_that_crosses_it(tmp_path_factory, sizes, limit):
    folder = tmp_path_factory.mktemp("total")
    lines = ["cardforge: 1", "title: t", "personas:"]
    for index, size in enumerate(sizes):
        skills = ", ".join(f"S{k}" for k in range(size))
        lines.append(f"  - {{id: P{index}, name: N{index}, skills: [{skills}]}}")
    path = folder / "deck.yaml"
    path.write_text("\n".join(lines) + "\n")
    totals = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    crossing = next((i for i, total in enumerate(totals) if total > limit), None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits, "DECK_LIST_ENTRIES", limit)
        errors = errors_of(path)
    if crossing is None:
        assert errors == []
    else:
        assert len(errors) == 1 and errors[0].startswith(f"{path}:{4 + crossing}:5: error: with this persona")
        assert errors[0].endswith("[CF410]")


@pytest.mark.slow
def test_many_unknown_references_are_reported_quickly_with_suggestions_first(tmp_path):
    """Tens of thousands of unknown references among many ids took minutes; suggestions now
    have a budget."""
    lines = ["cardforge: 1", "title: t", "personas:"]
    lines += [f"  - {{id: P{i:04d}, name: N{i}}}" for i in range(600)]
    lines.append("use_cases:")
    for case in range(120):  # stories name personas by id: an unknown one is an error
        lines.append(f"  - id: UC{case}\n    name: Case {case}\n    stories:")
        lines += [f"      - {{persona: P{case:03d}{k:03d}, want: it}}" for k in range(200)]
    path = tmp_path / "deck.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    with time_limit(60):
        errors = errors_of(path)
    assert time.perf_counter() - started < 30
    assert len(errors) == 600 * 40
    assert all(DIAGNOSTIC.match(error) and error.endswith("[CF405]") for error in errors)
    assert "did you mean" in errors[0]


@pytest.mark.slow
def test_many_unknown_partners_become_outside_teams_in_linear_time(tmp_path):
    """Names in `interacts_with` that are neither personas nor teams become teams outside the
    deck, each checked for a near miss: 3,000 personas naming 30 such names each took 16 s
    when every check listed every persona again."""
    lines = ["cardforge: 1", "title: t", "personas:"]
    for i in range(3000):
        names = ", ".join(f"Q{i:04d}x{k:02d}" for k in range(30))
        lines.append(f"  - {{id: P{i:04d}, name: N{i}, interacts_with: [{names}]}}")
    path = tmp_path / "deck.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    with time_limit(60):
        errors = errors_of(path)
    assert errors == []
    assert time.perf_counter() - started < 8


@settings(max_examples=examples(200), **PROPERTY)
@given(st.text(max_size=12), st.lists(st.text(max_size=12), max_size=30), st.sampled_from([0.6, 0.8]))
@pytest.mark.slow
def test_closest_is_difflib_within_its_budget_and_nothing_past_it(word, choices, cutoff):
    import difflib

    folded = {}
    for choice in choices:
        folded.setdefault(choice.casefold(), choice)
    matches = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
    expected = folded[matches[0]] if matches else None
    assert closest(word, choices, cutoff) == expected
    with suggestion_budget(len(folded)):
        assert closest(word, choices, cutoff) == expected
    with suggestion_budget(0):
        assert closest(word, choices, cutoff) is None


def test_a_section_listed_twice_is_an_error_at_the_second(write_deck):
    path = write_deck(
        "cardforge: 1\ntitle: t\nslides:\n  - title\n  - cards\n  - {cards: {personas: [P1]}}\n"
        "  - title\n  - {architecture: lambda}\n  - {architecture: LAMBDA}\npersonas: [{id: P1, name: N}]\n"
    )
    assert errors_of(path) == [
        f"{path}:7:5: error: section `title` is already listed at line 4; list it once [CF406]",
        f"{path}:9:5: error: section `architecture: lambda` is already listed at line 8; list it once [CF406]",
    ]


def test_slides_entries_past_the_limit_are_an_error(write_deck):
    entries = ", ".join("{cards: {personas: [P1]}}" for _ in range(limits.SLIDE_ENTRIES + 1))
    path = write_deck(f"cardforge: 1\ntitle: t\nslides: [{entries}]\npersonas: [{{id: P1, name: N}}]\n")
    errors = errors_of(path)
    assert errors[0].startswith(f"{path}:3:9: error: `slides`: has {limits.SLIDE_ENTRIES + 1} entries")


@pytest.mark.parametrize("limit", [1, 3, 6])
def test_cards_past_the_slide_limit_are_an_error_before_layout(write_deck, monkeypatch, limit):
    monkeypatch.setattr(limits, "SLIDES", limit)
    personas = ", ".join(f"{{id: P{i}, name: N{i}}}" for i in range(4))
    path = write_deck(
        f"cardforge: 1\ntitle: t\nslides:\n  - title\n  - cards\n  - {{cards: {{personas: [P1, P2]}}}}\n"
        f"personas: [{personas}]\n"
    )
    crossing = {1: "5:5", 3: "5:5", 6: "6:5"}[limit]  # title 1, cards 4 more, the chosen two 2 more
    errors = errors_of(path)
    assert errors == [
        f"{path}:{crossing}: error: the sections listed so far come to more than {limit:,} slides; "
        "split the deck or list fewer cards [CF410]"
    ]


def test_paged_sections_past_the_slide_limit_stop_the_build_with_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "SLIDES", 4)
    grants = "\n".join(
        f"    - {{persona: P{k % 3}, service: S{k}, roles: {{Dev: Reader}}}}" for k in range(200)
    )
    path = tmp_path / "deck.yaml"
    path.write_text(
        "cardforge: 1\ntitle: t\nslides: [title, rbac]\n"
        "personas: [{id: P0, name: A}, {id: P1, name: B}, {id: P2, name: C}]\n"
        f"rbac:\n  environments: [Dev, Stage, Prod]\n  grants:\n{grants}\n"
    )
    output = tmp_path / "out.pptx"
    code, said = cli(["build", str(path), "-o", str(output)])
    assert code == 1 and not output.exists()
    assert said.startswith(f"{path}:3:17: error: the deck comes to more than 4 slides by `rbac`"), said


LIMIT_AXES = ("lists", "interactions", "teams", "architecture", "rbac")


@pytest.mark.slow
@settings(max_examples=examples(5), **PROPERTY)
@given(st.sampled_from(LIMIT_AXES), st.integers(0, 2**32), st.floats(0.3, 1.0))
@example("lists", 1, 1.0)
@example("interactions", 1, 1.0)
@example("teams", 1, 1.0)
@example("architecture", 1, 1.0)
@example("rbac", 1, 1.0)
def test_builds_up_to_the_limits_take_bounded_time(tmp_path_factory, axis, seed, share):
    """Decks grown towards the limits along one axis build, or stop with an error, in time
    that stays far below what the unbounded inputs took (44 s to hours)."""
    import random

    rng = random.Random(seed)
    text = _deck_towards_the_limit(axis, share, rng)
    path = tmp_path_factory.mktemp("limits") / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    note(f"{axis} at {share:.0%} of its limits, {len(text):,} bytes")
    started = time.perf_counter()
    with time_limit(240):
        code, said = cli(["build", str(path), "-o", str(path.with_name("out.pptx")), "--quiet"])
    elapsed = time.perf_counter() - started
    note(f"{elapsed:.1f} s")
    assert code in (0, 1) and "internal error" not in said, said
    assert elapsed < 120, f"{axis}: {elapsed:.0f} s"


def _deck_towards_the_limit(axis: str, share: float, rng) -> str:
    entries = max(1, int(limits.LIST_ENTRIES * share))
    lines = ["cardforge: 1", "title: t"]
    if axis == "lists":
        count = max(1, int(limits.DECK_LIST_ENTRIES * share / (6 * entries)))
        lines += ["slides: [cards, persona-table]", "personas:"]
        for i in range(count):
            lists = ", ".join(
                f"{name}: [{', '.join(f'{name[:3]} {i} {k}' for k in range(entries))}]"
                for name in ("services", "skills", "people", "processes")
            )
            links = ", ".join(f'"https://example.org/{i}/{k}"' for k in range(entries))
            lines.append(f"  - {{id: P{i}, name: Persona {i}, {lists}, learn: [{links}]}}")
    elif axis == "interactions":
        count = entries
        lines += ["personas:"]
        ids = [f"P{i}" for i in range(count)]
        for pid in ids:
            lines.append(f"  - {{id: {pid}, name: Persona {pid}, interacts_with: [{', '.join(ids)}]}}")
    elif axis == "teams":
        teams = max(1, int(limits.TEAMS * share))
        lines += ["teams:"] + [f"  - {{name: Team {t}}}" for t in range(teams)]
        lines += ["personas:"] + [
            f"  - {{id: P{i}, name: P {i}, team: Team {rng.randrange(teams)}, "
            f"interacts_with: [Team {rng.randrange(teams)}], processes: [Process {rng.randrange(teams)}]}}"
            for i in range(teams)
        ]
    elif axis == "architecture":
        components = max(8, int(limits.COMPONENTS * share))
        per_layer = components // 8
        ids = [f"c{layer}x{k}" for layer in range(8) for k in range(per_layer)]
        layers = []
        for layer in range(8):
            components_text = ", ".join(
                f"{{id: c{layer}x{k}, name: C {layer} {k}}}" for k in range(per_layer)
            )
            layers.append(f"      - {{name: L{layer}, components: [{components_text}]}}")
        flows = ", ".join(
            f"{{from: {rng.choice(ids)}, to: {rng.choice(ids)}}}" for _ in range(int(limits.FLOWS * share))
        )
        lines += [
            "architectures:",
            "  - id: big",
            "    layers:",
            *layers,
            f"    flows: [{flows}]",
            "personas:",
        ]
        lines += [
            f"  - {{id: P{i}, name: P {i}, architectures: [big], services: [C {i % 8} {i % per_layer}]}}"
            for i in range(40)
        ]
    else:
        environments = [f"E{k}" for k in range(max(1, int(limits.ENVIRONMENTS * share)))]
        roles = ", ".join(f"{env}: Reader" for env in environments)
        personas = 200
        grants = int(4000 * share)
        people = ", ".join(f"{{id: P{i}, name: N{i}}}" for i in range(personas))
        lines += ["slides: [rbac]", f"personas: [{people}]"]
        lines += ["rbac:", f"  environments: [{', '.join(environments)}]", "  grants:"]
        lines += [
            f"    - {{persona: P{k % personas}, service: S{k}, roles: {{{roles}}}}}" for k in range(grants)
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# 2. Limits are read before reading
# --------------------------------------------------------------------------------------

ROLES = {
    "deck": ("deck.yaml", None),
    "theme": ("t.yaml", None),
    "logo": ("logo.png", "logo: logo.png\n"),
    "font": ("f.ttf", "fonts: {body: {family: Hostile, file: f.ttf}}\n"),
    "template": ("master.pptx", "template: master.pptx\n"),
}
SPECIAL_KINDS = ("fifo", "folder", "sparse", "device", "missing")


def _special(path: Path, kind: str, limit: int) -> str:
    """Put a *kind* of non-file at *path*; the words a good message uses for it."""
    if kind == "fifo":
        os.mkfifo(path)
        return "named pipe"
    if kind == "folder":
        path.mkdir()
        return "folder"
    if kind == "sparse":
        with path.open("wb") as handle:
            handle.truncate(limit + 1)
        return f"{limit + 1:,} bytes"
    if kind == "device":
        if not IS_ROOT:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
        return "device"
    return "does not exist" if path.name != "deck.yaml" else "no such file"


@pytest.mark.parametrize("kind", SPECIAL_KINDS)
@pytest.mark.parametrize("role", list(ROLES))
def test_what_is_not_a_regular_file_is_refused_before_reading(tmp_path, role, kind):
    name, theme_line = ROLES[role]
    limit = {
        "deck": limits.DECK_BYTES,
        "theme": limits.THEME_BYTES,
        "logo": limits.IMAGE_BYTES,
        "font": limits.FONT_BYTES,
        "template": limits.TEMPLATE_BYTES,
    }[role]
    words = _special(tmp_path / name, kind, limit)
    if role == "deck":
        deck, where = tmp_path / name, f"{tmp_path / name}:1:1: error: "
    elif role == "theme":
        deck = tmp_path / "deck.yaml"
        deck.write_text(SMALL.replace("title: t\n", "title: t\ntheme: t.yaml\n"))
        where = f"{deck}:3:8: error: "
    else:
        deck = theme_deck(tmp_path, theme_line)
        where = f"{tmp_path / 'theme.yaml'}:4:"
    output = tmp_path / "out.pptx"
    with time_limit(30):
        code, said = cli(["build", str(deck), "-o", str(output)])
    first = said.splitlines()[0]
    assert code == 1 and not output.exists(), said
    assert first.startswith(where) and words in first, said
    assert said.rstrip().endswith("nothing was written."), said


@settings(max_examples=examples(30), **PROPERTY)
@given(st.integers(0, 64), st.integers(0, 64))
def test_a_file_is_read_only_up_to_its_limit(tmp_path_factory, size, limit):
    path = tmp_path_factory.mktemp("size") / "file"
    path.write_bytes(b"x" * size)
    if size <= limit:
        assert read_user_file(path, limit).data == b"x" * size
    else:
        with pytest.raises(FileProblem) as problem:
            read_user_file(path, limit)
        assert problem.value.kind == "size"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_a_file_that_claims_to_be_empty_is_still_read_with_a_cap():
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(FileProblem) as problem:
        read_user_file(Path("/proc/self/status"), 10)
    assert problem.value.kind == "size"


# --------------------------------------------------------------------------------------
# 3. Templates are untrusted input
# --------------------------------------------------------------------------------------


def _template_members() -> dict[str, bytes]:
    from cardforge.writer.opc import default_template

    with zipfile.ZipFile(default_template()) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


MEMBERS = _template_members()
_EXTERNAL = (
    '<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'hyperlink" Target="{target}" TargetMode="External"/>'
)


def _zip(members: list[tuple[str, bytes]], flags: int = 0) -> bytes:
    """A zip of *members*; *flags* set on every header afterwards (zipfile clears them)."""
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names, on purpose
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        found = data.find(signature)
        while flags and found >= 0:
            data[found + offset] |= flags
            found = data.find(signature, found + 4)
    return bytes(data)


@st.composite
def damaged_template(draw) -> tuple[str, bytes]:
    """The default template with one kind of damage; the kind, and the bytes."""
    members = dict(MEMBERS)
    kinds = ["truncate", "flip", "remove", "duplicate", "garbage xml", "doctype", "slide size", "coordinate"]
    kind = draw(st.sampled_from([*kinds, "external link", "encrypted", "ole"]))
    names = sorted(members)
    if kind == "remove":
        del members[draw(st.sampled_from(names))]
    elif kind == "garbage xml":
        name = draw(st.sampled_from([n for n in names if n.endswith((".xml", ".rels"))]))
        members[name] = draw(st.binary(max_size=200))
    elif kind == "doctype":
        name = draw(st.sampled_from([n for n in names if n.endswith(".xml")]))
        head, _, body = members[name].decode().partition("?>")
        entity = draw(
            st.sampled_from(['"ha"', 'SYSTEM "file:///etc/passwd"', 'SYSTEM "http://example.org/x"'])
        )
        members[name] = f"{head}?><!DOCTYPE x [<!ENTITY e {entity}>]>{body}".encode()
    elif kind == "slide size":
        value = draw(st.sampled_from(["0", "-1", "1", "914399", "51206401", "99999999999", "wide", ""]))
        xml = members["ppt/presentation.xml"].decode()
        members["ppt/presentation.xml"] = re.sub(r'<p:sldSz cx="\d+"', f'<p:sldSz cx="{value}"', xml).encode()
    elif kind == "coordinate":
        name = draw(st.sampled_from([n for n in names if n.startswith("ppt/slide") and n.endswith(".xml")]))
        value = draw(st.sampled_from(["left", "", "1.5", "0x10", "99999999999"]))
        xml = members[name].decode()
        members[name] = re.sub(r'<a:off x="-?\d+"', f'<a:off x="{value}"', xml, count=1).encode()
    elif kind == "external link":
        targets = ["javascript:alert(1)", "file:///etc/passwd", "\\\\attacker\\share\\x.png", "../../x.png"]
        targets += ["vbscript:x", "https://example.org/ok", "mailto:a@example.org", "data:text/html,x"]
        target = draw(st.sampled_from(targets))
        rels = "ppt/slideLayouts/_rels/slideLayout6.xml.rels"
        members[rels] = members[rels].replace(
            b"</Relationships>", _EXTERNAL.format(target=target).encode() + b"</Relationships>"
        )
    data = _zip(list(members.items()), flags=1 if kind == "encrypted" else 0)
    if kind == "duplicate":
        data = _zip([*members.items(), (draw(st.sampled_from(names)), b"<x/>")])
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif kind == "flip":
        index = draw(st.integers(0, len(data) - 1))
        data = data[:index] + bytes([data[index] ^ draw(st.integers(1, 255))]) + data[index + 1 :]
    elif kind == "ole":
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data
    return kind, data


@settings(max_examples=examples(60), **PROPERTY)
@given(damaged_template())
def test_a_damaged_template_is_a_reason_never_a_crash(case):
    from cardforge.theme.template import inspect_template
    from cardforge.writer.opc import TemplateError

    kind, data = case
    note(kind)
    try:
        info = inspect_template(data, "master.pptx")
    except TemplateError as error:
        assert str(error).strip() and "Traceback" not in str(error)
        event(f"{kind}: refused")
        return
    event(f"{kind}: read")
    assert info.title_layout() is not None or kind in ("remove", "garbage xml", "flip", "truncate")


@settings(max_examples=examples(15), **PROPERTY)
@given(damaged_template())
def test_a_damaged_template_fails_the_build_at_its_line_or_builds_cleanly(tmp_path_factory, case):
    kind, data = case
    folder = tmp_path_factory.mktemp("template")
    (folder / "master.pptx").write_bytes(data)
    deck = theme_deck(folder, 'template: master.pptx\nslide_size: "16:9"\n')
    output = folder / "out.pptx"
    with time_limit(60):
        code, said = cli(["build", str(deck), "-o", str(output)])
    note(f"{kind}: {said}")
    assert code in (0, 1) and "internal error" not in said, said
    event(f"{kind}: {'refused' if code else 'built'}")
    if code == 1:
        assert said.startswith(f"{folder / 'theme.yaml'}:4:11: error: "), said
        assert not output.exists()
    else:
        assert structural_problems(output) == []
        with zipfile.ZipFile(output) as archive:
            rels = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".rels"))
        for target in re.findall(rb'Target="([^"]*)" TargetMode="External"', rels):
            assert target.lower().startswith((b"https:", b"http:", b"mailto:")), target


@pytest.mark.parametrize(
    "kind",
    [
        "truncate",
        "encrypted",
        "duplicate",
        "doctype",
        "slide size",
        "coordinate",
        "remove-layout",
        "ole",
        "empty",
    ],
)
def test_cardforge_template_reports_damage_at_the_file(tmp_path, kind):
    members = dict(MEMBERS)
    if kind == "remove-layout":
        del members["ppt/slideLayouts/slideLayout6.xml"]
    elif kind == "doctype":
        head, _, body = members["ppt/presentation.xml"].decode().partition("?>")
        members["ppt/presentation.xml"] = f'{head}?><!DOCTYPE x [<!ENTITY e "a">]>{body}'.encode()
    elif kind == "slide size":
        xml = members["ppt/presentation.xml"].decode()
        members["ppt/presentation.xml"] = re.sub(r'cx="9144000" cy="6858000"', 'cx="0" cy="0"', xml).encode()
    elif kind == "coordinate":
        xml = members["ppt/slideLayouts/slideLayout6.xml"].decode()
        members["ppt/slideLayouts/slideLayout6.xml"] = xml.replace('<a:off x="0"', "<a:off", 1).encode()
    data = _zip(list(members.items()), flags=1 if kind == "encrypted" else 0)
    if kind == "truncate":
        data = data[: len(data) * 2 // 3]
    elif kind == "duplicate":
        data = _zip([*members.items(), ("ppt/presentation.xml", b"<x/>")])
    elif kind == "ole":
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data
    elif kind == "empty":  # once taken for no template at all, and built on the default
        data = b""
    path = tmp_path / "master.pptx"
    path.write_bytes(data)
    code, said = cli(["template", str(path)])
    assert code == 1 and said.startswith(f"{path}:1:1: error: `master.pptx`"), said
    assert "[CF408]" in said and "internal error" not in said


@pytest.mark.parametrize("what", ["part", "ratio", "total"])
def test_template_parts_are_read_within_size_and_ratio_limits(tmp_path, monkeypatch, what):
    """A 2 MB template holding a 2 GiB part was inflated whole; the limits stop it unread."""
    from cardforge.theme.template import inspect_template
    from cardforge.writer.opc import TemplateError

    limit = {"part": "TEMPLATE_PART_BYTES", "ratio": "TEMPLATE_PART_RATIO", "total": "TEMPLATE_TOTAL_BYTES"}
    monkeypatch.setattr(limits, limit[what], {"part": 1 << 20, "ratio": 50, "total": 1 << 20}[what])
    members = dict(MEMBERS)
    filler = b" " * (3 << 20) if what == "ratio" else os.urandom(3 << 19).hex().encode()
    members["ppt/theme/theme1.xml"] += b"<!--" + filler + b"-->"
    with pytest.raises(TemplateError) as error:
        inspect_template(_zip(list(members.items())), "master.pptx")
    expected = {"part": "holds a part of", "ratio": "inflates", "total": "bytes of parts"}[what]
    assert expected in str(error.value)


# --------------------------------------------------------------------------------------
# 4. Output never replaces what it should not
# --------------------------------------------------------------------------------------

OUTPUT_KINDS = ("fifo", "symlink", "dangling symlink", "folder", "socket", "file as parent")


def _occupy(path: Path, kind: str) -> Path:
    """Put a *kind* of thing at *path*; the path whose state must not change."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        (path.parent / "precious").write_bytes(b"precious")
        path.symlink_to("precious")
    elif kind == "dangling symlink":
        path.symlink_to("nowhere")
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":
        import socket

        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
        except OSError:
            pytest.skip("cannot make a socket here")
        finally:
            server.close()
    elif kind == "file as parent":
        path.parent.joinpath("plain").write_bytes(b"plain")
        return path.parent / "plain"
    return path


def _state(path: Path) -> tuple:
    info = path.lstat()
    content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
    return stat.S_IFMT(info.st_mode), info.st_ino, content, link


COMMANDS = {
    "build": lambda deck, out: ["build", str(deck), "-o", str(out)],
    "print": lambda deck, out: ["print", str(deck), "-o", str(out)],
    "schema": lambda deck, out: ["schema", "-o", str(out)],
    "init": lambda deck, out: ["init", str(out)],
}


@pytest.mark.parametrize("kind", OUTPUT_KINDS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_is_never_written_over_a_link_folder_pipe_or_device(tmp_path, command, kind):
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    name = "out.pptx" if command in ("build", "print") else "out.yaml"
    guarded = _occupy(tmp_path / name, kind)
    output = guarded / name if kind == "file as parent" else guarded
    before = _state(guarded)
    with time_limit(30):
        code, said = cli(COMMANDS[command](deck, output))
    assert code == 1 and "internal error" not in said, said
    assert _state(guarded) == before
    assert said.startswith(f"{output}:1:1: error: ") and "[CF409]" in said, said
    if kind == "symlink":
        assert (tmp_path / "precious").read_bytes() == b"precious"


def test_the_null_device_takes_an_output_and_stays_a_device(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    before = os.stat(os.devnull)
    for argv in (["build", str(deck), "-o", os.devnull], ["schema", "-o", os.devnull]):
        code, said = cli(argv)
        assert code == 0, said
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_dash_writes_the_whole_deck_to_standard_output(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    result = subprocess.run(
        [sys.executable, "-m", "cardforge", "build", str(deck), "-o", "-"], capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    output = tmp_path / "from-stdout.pptx"
    output.write_bytes(result.stdout)
    assert structural_problems(output) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml", "from-stdout.pptx"]


def test_print_to_pdf_keeps_its_pptx_in_a_private_folder(tmp_path, monkeypatch):
    """`print -o cards.pdf` deleted a user's own `.cards.cards.pptx` beside it."""
    import cardforge.export.libreoffice as lo

    seen = []

    def fake_pdf(pptx: Path, pdf: Path, timeout=None) -> Path:
        seen.append(pptx)
        pdf.write_bytes(b"%PDF-1.4 fake")
        return pdf

    monkeypatch.setattr(lo, "soffice", lambda: "soffice")
    monkeypatch.setattr(lo, "pptx_to_pdf", fake_pdf)
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    for neighbour in (".cards.cards.pptx", "cards.pptx", ".cards.pdf.tmp"):
        (tmp_path / neighbour).write_bytes(b"the user's own")
    code, said = cli(["print", str(deck), "-o", str(tmp_path / "cards.pdf")])
    assert code == 0, said
    assert seen and tmp_path not in seen[0].parents and not seen[0].exists()
    for neighbour in (".cards.cards.pptx", "cards.pptx", ".cards.pdf.tmp"):
        assert (tmp_path / neighbour).read_bytes() == b"the user's own"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["deck.yaml", "cards.pdf", ".cards.cards.pptx", "cards.pptx", ".cards.pdf.tmp"]
    )


COLLIDING_IDS = st.lists(
    st.text(alphabet="Pp1._-éeE", min_size=1, max_size=4).filter(lambda s: not s.startswith(("-", "."))),
    min_size=1,
    max_size=8,
    unique_by=lambda s: s.casefold(),
) | st.just(["P.1", "P-1", "README", "Café", "Cafe", "P_1", "readme", "CON", "nul"])


@settings(max_examples=examples(40), **PROPERTY)
@given(COLLIDING_IDS)
@pytest.mark.slow
def test_markdown_file_names_are_unique_and_every_link_reaches_its_file(tmp_path_factory, ids):
    from cardforge.export.markdown import read_persona_markdown

    folder = tmp_path_factory.mktemp("md")
    personas = "\n".join(f"  - {{id: '{pid}', name: 'Name {n}'}}" for n, pid in enumerate(ids))
    deck = folder / "deck.yaml"
    deck.write_text(f"cardforge: 1\ntitle: t\npersonas:\n{personas}\n", encoding="utf-8")
    if errors_of(deck):
        event("ids refused")
        return  # not valid ids: reported as such elsewhere
    event("exported")
    out = folder / "out"
    code, said = cli(["markdown", str(deck), "-o", str(out)])
    assert code == 0, said
    files = sorted(p.name for p in out.iterdir() if p.is_file())  # the site's other pages are in pages/
    assert len(files) == len(ids) + 1 and len({f.casefold() for f in files}) == len(files)
    index = (out / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(([^)/]+\.md)\)", index)
    assert sorted(linked) == sorted(f for f in files if f != "README.md")
    for pid, name in zip(ids, re.findall(r"^\| (.+?) \| \[", index, re.M)):
        assert name.replace("\\", "") == pid
    for link, pid in zip(linked, ids):
        assert read_persona_markdown((out / link).read_text(encoding="utf-8"))["id"] == pid
        assert link.removesuffix(".md").casefold() not in {"readme", "con", "nul", "prn", "aux"}
    renamed = [line for line in said.splitlines() if line.startswith("note: ")]
    assert len(renamed) == sum(1 for link, pid in zip(linked, ids) if link != f"{pid}.md")


# --------------------------------------------------------------------------------------
# 5. Signals
# --------------------------------------------------------------------------------------


def test_a_signal_inside_an_atomic_write_removes_the_temporary_file(tmp_path):
    from cardforge.interrupt import Interrupted, signals_interrupt
    from cardforge.writer.save import atomic_output

    output = tmp_path / "out.pptx"
    output.write_bytes(b"old")
    handlers = [signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with signals_interrupt(), pytest.raises(Interrupted) as stopped, atomic_output(output) as target:
            target.write(b"new, half written")
            os.kill(os.getpid(), signum)
            time.sleep(1)
        assert stopped.value.exit_code == 128 + signum
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pptx"]
        assert output.read_bytes() == b"old"
    assert [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)] == handlers


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
@pytest.mark.parametrize("stop_at", [0, 40, 199])
def test_an_interrupted_two_process_write_leaves_no_helper(monkeypatch, stop_at):
    from cardforge.interrupt import Interrupted
    from cardforge.writer import parallel
    from cardforge.writer.archive import compress

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    parent = os.getpid()

    def members_of(index: int):
        if os.getpid() == parent and index >= stop_at:
            raise Interrupted(signal.SIGTERM)
        return [compress(f"s{index}.xml", b"<x/>" * 200)]

    with pytest.raises(Interrupted):
        list(parallel.compressed_slides(400, members_of))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the helper was reaped: no child is left


@pytest.mark.slow
def test_the_converter_s_whole_process_group_ends_on_a_timeout():
    from cardforge.export import libreoffice as lo

    started: list[subprocess.Popen] = []
    real = subprocess.Popen

    def spy(*args, **kwargs):
        process = real(*args, **kwargs)
        started.append(process)
        return process

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lo.subprocess, "Popen", spy)
        with pytest.raises(lo.ExportError) as error:
            lo.run_tool(["sh", "-c", "sleep 60 & sleep 60 & wait"], 0.5, "the converter did not finish")
    assert "within 0 s" in str(error.value) or "within 1 s" in str(error.value)
    time.sleep(0.2)
    assert _process_group_members(started[0].pid) == []  # zombies aside: reaped by whoever adopts them


def test_the_conversion_timeout_grows_with_the_deck(tmp_path):
    from cardforge.export.libreoffice import BASE_SECONDS, SECONDS_PER_SLIDE, conversion_timeout

    timeouts = []
    for count in (1, 20, 60):
        personas = ", ".join(f"{{id: P{i}, name: N{i}}}" for i in range(count))
        deck = tmp_path / f"d{count}.yaml"
        deck.write_text(f"cardforge: 1\ntitle: t\nslides: [cards]\npersonas: [{personas}]\n")
        output = tmp_path / f"d{count}.pptx"
        cardforge.build(cardforge.load_deck(deck), output)
        timeouts.append(conversion_timeout(output))
    assert timeouts == [BASE_SECONDS + SECONDS_PER_SLIDE * n for n in (1, 20, 60)]


def _process_group_members(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def large_deck(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import deck

    path = tmp_path_factory.mktemp("large") / "deck.yaml"
    path.write_text(deck(1000), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").exists() or not hasattr(os, "fork"), reason="needs /proc and fork")
@pytest.mark.parametrize("after", [0.0, 0.4])
@pytest.mark.parametrize(
    ("signum", "group", "code", "said"),
    [
        (signal.SIGINT, True, 130, "interrupted; nothing was written."),
        (signal.SIGTERM, False, 143, "terminated; nothing was written."),
        (signal.SIGTERM, True, 143, "terminated; nothing was written."),
        (signal.SIGHUP, True, 129, "stopped by SIGHUP; nothing was written."),
    ],
)
def test_a_signal_during_a_two_process_build_cleans_up_and_says_so(
    large_deck, tmp_path, signum, group, code, said, after
):
    output = tmp_path / "out.pptx"
    output.write_bytes(b"old output")
    process = subprocess.Popen(
        [sys.executable, "-m", "cardforge", "build", str(large_deck), "-o", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.pptx.*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    time.sleep(after)
    assert process.poll() is None, "the build ended before the signal"
    (os.killpg if group else os.kill)(process.pid, signum)
    _, stderr = process.communicate(timeout=60)
    time.sleep(0.3)
    assert process.returncode == code, stderr
    assert stderr.decode().strip() == said
    assert output.read_bytes() == b"old output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pptx"]
    assert _process_group_members(process.pid) == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_sigterm_during_the_pdf_conversion_ends_libreoffice_and_removes_its_profile(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(MLOPS.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "cardforge", "build", str(deck), "-o", str(tmp_path / "out.pptx"), "--pdf"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((tmp_path / "tmp").glob("cardforge-lo-*/profile")):
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    time.sleep(0.5)
    assert process.returncode == 143, stderr
    written = tmp_path / "out.pptx"
    assert stderr.decode().splitlines()[-1] == f"terminated; {written} was written before; nothing else was."
    assert list((tmp_path / "tmp").iterdir()) == []
    assert _process_group_members(process.pid) == []
    assert not (tmp_path / "out.pdf").exists()


# --------------------------------------------------------------------------------------
# 6. Checked means used
# --------------------------------------------------------------------------------------


def _png(colour: tuple[int, int, int], size: int = 4) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _media(output: Path) -> list[bytes]:
    with zipfile.ZipFile(output) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("ppt/media/")]


@pytest.mark.parametrize("swap", ["replace the file", "point the link elsewhere"])
def test_the_logo_embedded_is_the_one_checked(tmp_path, swap):
    checked, other = _png((200, 0, 0)), _png((0, 0, 200))
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "a.png").write_bytes(checked)
    (tmp_path / "logos" / "b.png").write_bytes(other)
    (tmp_path / "logo.png").symlink_to("logos/a.png")
    deck = cardforge.load_deck(theme_deck(tmp_path, "logo: logo.png\n"))
    if swap == "replace the file":
        (tmp_path / "logos" / "a.png").write_bytes(other)
    else:
        (tmp_path / "logo.png").unlink()
        (tmp_path / "logo.png").symlink_to("/etc/hostname")
    output = tmp_path / "out.pptx"
    cardforge.build(deck, output)
    assert _media(output) == [checked]


def test_the_template_built_on_is_the_one_checked(tmp_path):
    from cardforge.writer.opc import default_template

    shutil.copyfile(default_template(), tmp_path / "master.pptx")
    deck = cardforge.load_deck(theme_deck(tmp_path, "template: master.pptx\n"))
    (tmp_path / "master.pptx").write_bytes(b"swapped for something else")
    output = tmp_path / "out.pptx"
    cardforge.build(deck, output)
    assert structural_problems(output) == []


@pytest.mark.parametrize("role", ["logo", "font", "template", "theme"])
def test_a_link_out_of_the_folder_is_refused_as_opened(tmp_path, role):
    outside = tmp_path / "outside"
    inside = tmp_path / "deck"
    outside.mkdir()
    inside.mkdir()
    name, theme_line = {
        "logo": ("logo.png", "logo: logo.png\n"),
        "font": ("f.ttf", "fonts: {body: {family: X, file: f.ttf}}\n"),
        "template": ("master.pptx", "template: master.pptx\n"),
        "theme": ("t.yaml", None),
    }[role]
    (outside / name).write_bytes(b"secret")
    (inside / name).symlink_to(outside / name)
    if role == "theme":
        deck = inside / "deck.yaml"
        deck.write_text(SMALL.replace("title: t\n", "title: t\ntheme: t.yaml\n"))
    else:
        deck = theme_deck(inside, theme_line)
    errors = errors_of(deck)
    assert len(errors) == 1 and "leaves the folder" in errors[0] and errors[0].endswith("[CF407]")


def test_a_link_swapped_between_open_and_check_is_refused(tmp_path, monkeypatch):
    """The race the review found: checked by one path, read by another 1-3 s later."""
    import cardforge.paths as paths

    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.png").write_bytes(_png((1, 2, 3)))
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "logo.png").symlink_to(tmp_path / "outside" / "secret.png")
    (tmp_path / "deck" / "good.png").write_bytes(_png((9, 9, 9)))
    link = tmp_path / "deck" / "logo.png"
    link.unlink()
    link.symlink_to("good.png")  # inside the folder when the path is checked
    real_open = os.open

    def swapped_around_the_open(path, *args, **kwargs):
        if str(path).endswith("logo.png"):
            link.unlink()
            link.symlink_to(tmp_path / "outside" / "secret.png")
            try:
                return real_open(path, *args, **kwargs)
            finally:
                link.unlink()
                link.symlink_to("good.png")  # and inside again when the open file is checked
        return real_open(path, *args, **kwargs)

    deck = theme_deck(tmp_path / "deck", "logo: logo.png\n")
    monkeypatch.setattr(paths.os, "open", swapped_around_the_open)
    errors = errors_of(deck)
    assert len(errors) == 1 and "changed while it was being read" in errors[0], errors


# --------------------------------------------------------------------------------------
# 7. Markdown export is not an injection vector
# --------------------------------------------------------------------------------------

URL_TAIL = st.text(alphabet="abc/<>()[]\"'`*_\\&;:=?#%!|{}~^", max_size=30)
TITLE = st.text(alphabet="ab <>()[]\"'`*_\\&#!|", min_size=1, max_size=20).filter(lambda s: s.strip())


@settings(max_examples=examples(60), **PROPERTY)
@given(st.lists(st.tuples(URL_TAIL, TITLE), min_size=1, max_size=4), TITLE)
@pytest.mark.slow
def test_exported_markdown_renders_without_html_or_unexpected_links(tmp_path_factory, links, name):
    from urllib.parse import unquote

    from markdown_it import MarkdownIt

    from cardforge.export.markdown import write_markdown

    folder = tmp_path_factory.mktemp("inject")
    urls = [f"https://example.org/{tail}" for tail, _ in links]

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    learn = ", ".join(
        f"{{title: {quoted(title)}, url: {quoted(url)}}}" for url, (_, title) in zip(urls, links)
    )
    deck_path = folder / "deck.yaml"
    deck_path.write_text(
        f"cardforge: 1\ntitle: t\npersonas:\n  - id: P1\n    name: {quoted(name)}\n"
        f"    services: [{{name: {quoted(name)}, url: {quoted(urls[0])}}}]\n    learn: [{learn}]\n",
        encoding="utf-8",
    )
    try:
        deck = cardforge.load_deck(deck_path)
    except DeckError:
        event("refused by the deck rules")
        return  # a link the deck rules refuse never reaches the export
    event("exported")
    written = write_markdown(deck, folder / "out")
    markdown = MarkdownIt("commonmark")
    persona = next(p for p in written if p.name != "README.md")
    tokens = markdown.parse(persona.read_text(encoding="utf-8"))
    inline = [child for token in tokens for child in (token.children or [])]
    assert not [t for t in tokens + inline if t.type in ("html_block", "html_inline")]
    hrefs = [t.attrs["href"] for t in inline if t.type == "link_open"]
    assert [unquote(str(h)) for h in hrefs] == [unquote(u) for u in [urls[0], *urls]]


# --------------------------------------------------------------------------------------
# 8. Every value inside its valid range
# --------------------------------------------------------------------------------------

MILLIMETRES = st.floats(10, 1600, allow_nan=False).map(lambda v: round(v, 1))


@settings(max_examples=examples(40), **PROPERTY)
@given(MILLIMETRES, MILLIMETRES)
def test_a_slide_size_is_laid_out_or_refused_at_its_line(tmp_path_factory, width, height):
    from cardforge.theme.model import EMU_PER_MM, MIN_SLIDE

    folder = tmp_path_factory.mktemp("size")
    deck = theme_deck(folder, f'slide_size: "{width}x{height}mm"\n')
    errors = errors_of(deck)
    small = width * EMU_PER_MM < MIN_SLIDE.width or height * EMU_PER_MM < MIN_SLIDE.height
    if small or width > 1422 or height > 1422:
        assert len(errors) == 1 and errors[0].startswith(f"{folder / 'theme.yaml'}:4:13: error: "), errors
    else:
        assert errors == []


@pytest.mark.slow
@settings(max_examples=examples(6), **PROPERTY)
@given(st.floats(190, 600).map(round), st.floats(140, 600).map(round))
def test_every_slide_kind_lays_out_on_any_allowed_slide_size(tmp_path_factory, width, height):
    folder = tmp_path_factory.mktemp("sizes")
    text = MLOPS.read_text(encoding="utf-8").replace("\ntheme:", "\n# theme:")
    deck = theme_deck(folder, f'slide_size: "{width}x{height}mm"\n', text)
    output = folder / "out.pptx"
    cardforge.build(cardforge.load_deck(deck), output)
    assert structural_problems(output) == []


def test_a_template_with_slides_too_small_is_refused_at_its_line(tmp_path):
    members = dict(MEMBERS)
    xml = members["ppt/presentation.xml"].decode()
    members["ppt/presentation.xml"] = xml.replace(
        'cx="9144000" cy="6858000"', 'cx="2160000" cy="2160000"'
    ).encode()
    (tmp_path / "master.pptx").write_bytes(_zip(list(members.items())))
    errors = errors_of(theme_deck(tmp_path, "template: master.pptx\n"))
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path / 'theme.yaml'}:4:11: error: the slides of")


EPOCHS = st.one_of(
    st.integers(0, 10**25).map(str),
    st.integers(-(10**12), -1).map(str),
    st.sampled_from(["", " ", "abc", "1e9", "٣", "12 34", "0x10", "315532799", "4354819199"]),
)


@settings(max_examples=examples(25), **PROPERTY)
@given(EPOCHS)
def test_any_source_date_epoch_builds_with_dates_a_zip_holds(tmp_path_factory, value):
    from cardforge.writer.save import EARLIEST_EPOCH, LATEST_EPOCH

    folder = tmp_path_factory.mktemp("epoch")
    deck = folder / "deck.yaml"
    deck.write_text(SMALL)
    report = Report()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", value)
        result = cardforge.build(cardforge.load_deck(deck), folder / "out.pptx", report=report)
    with zipfile.ZipFile(result.output) as archive:
        years = {info.date_time[0] for info in archive.infolist()}
        core = archive.read("docProps/core.xml").decode()
    assert all(1980 <= year <= 2107 for year in years)
    stripped = value.strip()
    in_range = stripped.isdigit() and stripped.isascii() and EARLIEST_EPOCH <= int(stripped) <= LATEST_EPOCH
    warned = [d for d in report.warnings if d.file == "SOURCE_DATE_EPOCH"]
    assert bool(warned) == (bool(stripped) and not in_range)
    assert re.search(r"<dcterms:created xsi:type=\"dcterms:W3CDTF\">(19[89]\d|2[01]\d\d)-", core)


@settings(max_examples=examples(15), **PROPERTY)
@given(st.sampled_from([b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf"]), st.binary(max_size=300))
def test_a_damaged_font_is_an_error_at_its_file_line(tmp_path_factory, magic, rest):
    folder = tmp_path_factory.mktemp("font")
    (folder / "f.ttf").write_bytes(magic + rest)
    deck = theme_deck(folder, "fonts: {body: {family: Hostile, file: f.ttf}}\n")
    code, said = cli(["build", str(deck), "-o", str(folder / "out.pptx")])
    assert code == 1, said
    assert said.startswith(f"{folder / 'theme.yaml'}:4:39: error: `f.ttf` is damaged"), said
    assert said.rstrip().endswith("nothing was written.")


def test_a_failed_pdf_says_the_pptx_is_complete(tmp_path, monkeypatch):
    import cardforge.export.libreoffice as lo

    def failing(pptx, pdf, timeout=None):
        raise lo.ExportError("LibreOffice could not convert out.pptx: it crashed")

    monkeypatch.setattr(lo, "soffice", lambda: "soffice")
    monkeypatch.setattr(lo, "pptx_to_pdf", failing)
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    output = tmp_path / "out.pptx"
    code, said = cli(["build", str(deck), "-o", str(output), "--pdf"])
    assert code == 1
    assert said.splitlines()[-1] == (
        f"error: LibreOffice could not convert out.pptx: it crashed; {output} was written and is complete, "
        "only the PDF is missing"
    )
    assert structural_problems(output) == []


def test_pdf_output_without_libreoffice_writes_nothing(tmp_path, monkeypatch):
    import cardforge.export.libreoffice as lo

    monkeypatch.setattr(lo.shutil, "which", lambda name: None)
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    code, said = cli(["build", str(deck), "-o", str(tmp_path / "out.pptx"), "--pdf"])
    assert code == 3 and "libreoffice-impress" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml"]


@settings(max_examples=examples(20), **PROPERTY)
@given(st.lists(st.text(alphabet=", \t", max_size=5), min_size=1, max_size=3))
def test_print_with_no_persona_ids_is_an_error_not_an_empty_file(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("only")
    deck = folder / "deck.yaml"
    deck.write_text(SMALL)
    output = folder / "cards.pptx"
    code, said = cli(["print", str(deck), "-o", str(output), *[arg for v in values for arg in ("--only", v)]])
    assert code in (1, 2) and not output.exists(), said
    if code == 1:
        assert said.startswith("--only:1:1: error: no persona ids given"), said


def test_sections_that_give_no_slides_are_an_error_not_an_empty_file(write_deck, tmp_path):
    deck = write_deck("cardforge: 1\ntitle: t\nslides: [interactions]\npersonas: [{id: P1, name: N}]\n")
    output = tmp_path / "out.pptx"
    code, said = cli(["build", str(deck), "-o", str(output)])
    assert code == 1 and not output.exists()
    assert said.startswith(f"{deck}:3:9: error: the deck gives no slides to write"), said
    code, said = cli(["build", str(MLOPS), "-o", str(output), "--only", "interactions", "--only", "gaps"])
    assert code in (0, 1)


# --------------------------------------------------------------------------------------
# 9. Messages name the real thing
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["writing", "renaming", "creating"])
def test_a_write_error_names_the_output_and_leaves_nothing(tmp_path, monkeypatch, where):
    import cardforge.writer.save as save

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".out.pptx.x1y2.tmp"))

    target = {"writing": "write_package", "renaming": "os.replace", "creating": "tempfile.mkstemp"}[where]
    if target == "os.replace":
        monkeypatch.setattr(save.os, "replace", no_space)
    elif target == "tempfile.mkstemp":
        monkeypatch.setattr(save.tempfile, "mkstemp", no_space)
    else:
        monkeypatch.setattr(save, "write_package", no_space)
    deck = tmp_path / "deck.yaml"
    deck.write_text(SMALL)
    output = tmp_path / "out.pptx"
    output.write_bytes(b"old")
    code, said = cli(["build", str(deck), "-o", str(output)])
    assert code == 1
    assert said.strip() == f"error: cannot write {output}: No space left on device; nothing was written."
    assert ".tmp" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml", "out.pptx"]
    assert output.read_bytes() == b"old"


@settings(max_examples=examples(15), **PROPERTY)
@given(st.integers(1, 12), st.one_of(st.none(), st.integers(0, 11)))
def test_a_long_extends_chain_is_not_called_a_loop(tmp_path_factory, length, back_to):
    from cardforge.theme.load import MAX_EXTENDS

    folder = tmp_path_factory.mktemp("extends")
    loops = back_to is not None and back_to < length
    for i in range(length):
        parent = f"t{i + 1}.yaml" if i + 1 < length else (f"t{back_to}.yaml" if loops else "default")
        (folder / f"t{i}.yaml").write_text(f"cardforge_theme: 1\nname: t{i}\nextends: {parent}\n")
    deck = folder / "deck.yaml"
    deck.write_text(SMALL.replace("title: t\n", "title: t\ntheme: t0.yaml\n"))
    errors = errors_of(deck)
    expected = _extends_outcome(length, back_to if loops else None, MAX_EXTENDS)
    if expected is None:
        assert errors == []
    else:
        assert len(errors) == 1 and expected in errors[0], errors
        assert expected == "loop" or "loop" not in errors[0]


def _extends_outcome(length: int, back_to: int | None, most: int) -> str | None:
    """What walking the chain t0 -> t1 -> ... finds first: a loop, a chain too long, or nothing."""
    chain: list[int] = []
    theme = 0
    while True:
        chain.append(theme)
        parent = theme + 1 if theme + 1 < length else back_to
        if parent is not None and parent in chain:
            return "loop"
        if len(chain) > most:
            return "chain of more than"
        if parent is None:
            return None
        theme = parent


@settings(max_examples=examples(30), **PROPERTY)
@given(
    st.one_of(
        st.sampled_from(["nan", "NaN", "inf", "-inf", "-1", "10.5", "1e9", "abc", ""]),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )
)
@pytest.mark.slow
def test_a_bleed_that_is_not_a_number_of_millimetres_is_named(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("bleed")
    deck = folder / "deck.yaml"
    deck.write_text(SMALL)
    code, said = cli(["print", str(deck), "-o", str(folder / "c.pptx"), "--bleed", value])
    if code == 0:
        assert 0 <= float(value) <= 10
        return
    assert code in (1, 2) and not (folder / "c.pptx").exists()
    if code == 1:
        assert said.startswith("--bleed:1:1: error: "), said
        assert "less than or equal" not in said
        assert "millimetres from 0 to 10" in said


@pytest.mark.parametrize(
    ("encoding", "bom", "named"),
    [
        ("utf-16-le", True, "UTF-16"),
        ("utf-16-be", True, "UTF-16"),
        ("utf-16-le", False, "UTF-16"),
        ("utf-16-be", False, "UTF-16"),
        ("utf-32-le", True, "UTF-32"),
        ("utf-32-be", True, "UTF-32"),
        ("utf-32-le", False, "UTF-32"),
        ("utf-32-be", False, "UTF-32"),
    ],
)
def test_a_wide_encoding_is_named_correctly(tmp_path, encoding, bom, named):
    import codecs

    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
             "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}  # fmt: skip
    path = tmp_path / "deck.yaml"
    path.write_bytes((marks[encoding] if bom else b"") + SMALL.encode(encoding))
    assert errors_of(path) == [f"{path}:1:1: error: the file is {named} encoded; save it as UTF-8 [CF401]"]


@settings(max_examples=examples(10), **PROPERTY)
@given(st.integers(61, 1_500_000))
def test_a_long_unknown_key_is_echoed_cut_with_its_length(tmp_path_factory, length):
    folder = tmp_path_factory.mktemp("key")
    path = folder / "deck.yaml"
    path.write_text(SMALL + "? " + "k" * length + "\n: 1\n")
    errors = errors_of(path)
    assert len(errors) == 1 and len(errors[0]) < 400
    assert f"… ({length:,} characters)`" in errors[0]


@settings(max_examples=examples(5), **PROPERTY)
@given(st.integers(limits.SHOWN_DIAGNOSTICS + 1, 5_000))
@pytest.mark.slow
def test_a_flood_of_errors_is_capped_and_counted_in_text_and_json(tmp_path_factory, count):
    folder = tmp_path_factory.mktemp("flood")
    keys = "".join(f", k{i}: 1" for i in range(count))
    path = folder / "deck.yaml"
    path.write_text(f"cardforge: 1\ntitle: t\npersonas: [{{id: P1, name: N{keys}}}]\n")
    with time_limit(60):
        code, said = cli(["validate", str(path)])
    lines = said.splitlines()
    assert code == 1
    assert len(lines) == limits.SHOWN_DIAGNOSTICS + 2
    more = count - limits.SHOWN_DIAGNOSTICS
    assert lines[-2] == f"... {more:,} more error{'s' if more != 1 else ''} not shown ({more:,} [CF403])"
    stdout = io.StringIO()
    with (
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(io.StringIO()),
        pytest.raises(SystemExit),
    ):
        main(["validate", str(path), "--format", "json"])
    document = json.loads(stdout.getvalue())
    assert document["errors"] == count
    assert len(document["diagnostics"]) == limits.SHOWN_DIAGNOSTICS
    assert document["omitted"] == {
        "errors": count - limits.SHOWN_DIAGNOSTICS,
        "warnings": 0,
        "codes": {"CF403": count - limits.SHOWN_DIAGNOSTICS},
    }
