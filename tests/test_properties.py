"""Property-based tests: whatever a deck holds, cardforge builds it or explains why not.

Every generated deck must end in one of two ways:

- it builds, and the .pptx has no structural problem (ids, connector ends, coordinates,
  shapes on the slide, relationship targets, link schemes), or
- ``load_deck`` raises :class:`cardforge.DeckError` whose errors all read
  ``FILE:LINE:COLUMN: error: MESSAGE``, pointing into the file;

never another exception, never an "internal error" from the command line, never a hang.

Decks are generated as Python values and written as YAML by a small emitter of our own,
with every text as a double-quoted scalar whose unprintable characters are escapes
(``\\x85``, ``\\u2028``, ``\\U0001F600``). So the YAML is always well formed and each
character, control characters included, reaches cardforge as text: the tests exercise
cardforge, not YAML syntax. Raw bytes and broken YAML are generated separately.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import signal
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, given, note, reject, settings
from hypothesis import event as _hypothesis_event
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from lxml import etree

import cardforge
from cardforge import DeckError
from cardforge.cli import main
from cardforge.diagnostics import Report
from checks import SCHEMAS, card_slides, overflow_findings, schema_errors, structural_problems

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="cardforge-hypothesis-"))  # no .hypothesis/ in the project

HANG_SECONDS = 30
"""An example that takes longer than this counts as a hang."""

FAST = ["title", "cards", "persona-table"]
"""`slides:` of a quick deck; decks without `slides:` build every section."""

PALETTE = [
    "Dark Blue",
    "Purple",
    "Light Blue",
    "Light Green",
    "Blue",
    "Orange",
    "Magenta",
    "Pink",
    "Gold",
    "Teal",
]

SCALE = float(os.environ.get("CARDFORGE_PROPERTY_SCALE", "1"))
"""Multiplies every test's number of examples: CARDFORGE_PROPERTY_SCALE=20 searches twenty times longer."""


def examples(count: int) -> int:
    return max(1, round(count * SCALE))


PROPERTY = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    "database": None,
}
"""Common settings: no deadline (hangs are caught by an alarm), no example database in the repo."""


# --------------------------------------------------------------------------------------
# Writing YAML
# --------------------------------------------------------------------------------------

_PRINTABLE = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yq(text: str) -> str:
    """*text* as a YAML double-quoted scalar that reads back as exactly *text*.

    Printable characters stay as they are (so the file holds real UTF-8: emoji, RTL,
    combining marks); everything else, line breaks and the BOM included, is an escape.
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif _PRINTABLE.match(char) and char not in "\u2028\u2029":  # YAML line breaks, even when quoted
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


class Raw(str):
    """A YAML fragment written into the document as it is (a plain scalar, a number)."""


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return yq(str(value))


def _key(key: Any) -> str:
    if isinstance(key, str) and re.fullmatch(r"[a-z_]+", key):
        return key
    return _scalar(key)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def to_yaml(value: Any, seed: int = 0) -> str:
    """*value* as a YAML document; *seed* chooses block or flow style per collection."""
    rng = random.Random(seed)

    def nested(value: Any) -> bool:
        return isinstance(value, (dict, list)) and bool(value) and rng.random() < 0.8

    def block(value: Any, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        if isinstance(value, dict) and value:
            for key, item in value.items():
                if nested(item):
                    lines.append(f"{pad}{_key(key)}:")
                    lines += block(item, indent + 2)
                else:
                    lines.append(f"{pad}{_key(key)}: {_flow(item)}")
        elif isinstance(value, list) and value:
            for item in value:
                if nested(item):
                    lines.append(f"{pad}-")
                    lines += block(item, indent + 2)
                else:
                    lines.append(f"{pad}- {_flow(item)}")
        else:
            lines.append(pad + _flow(value))
        return lines

    return "\n".join(block(value, 0)) + "\n"


# --------------------------------------------------------------------------------------
# Running cardforge and judging the outcome
# --------------------------------------------------------------------------------------

DIAGNOSTIC = re.compile(
    r"^(?P<file>.+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<severity>error|warning): (?P<message>.+)$",
    re.S,
)


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int = HANG_SECONDS):
    def _alarm(signum, frame):
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_well_formed(diagnostic, path: Path, line_count: int, severity: str) -> None:
    shown = str(diagnostic)
    match = DIAGNOSTIC.match(shown)
    assert match, f"not FILE:LINE:COLUMN: {severity}: MESSAGE: {shown!r}"
    assert match["file"] == str(path), shown
    assert match["severity"] == severity, shown
    assert match["message"].strip(), f"empty message: {shown!r}"
    assert int(match["line"]) <= line_count + 1, (
        f"points past the end of the file ({line_count} lines): {shown!r}"
    )


@contextlib.contextmanager
def deck_file(content, name: str = "deck.yaml"):
    """A temporary folder holding the deck *content* (text or bytes); yields its path."""
    with tempfile.TemporaryDirectory(prefix="cardforge-prop-") as folder:
        path = Path(folder) / name
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path.write_bytes(data)
        yield path


def _line_count(path: Path) -> int:
    return len(path.read_bytes().decode("utf-8", "replace").splitlines())


KNOWN_PROBLEMS: dict = {}
KNOWN_CRASHES: dict = {}
# An entry looked like this, while `processes: []` crashed the process map:
#   "empty-processes": lambda error, where: isinstance(error, ValueError) and where == "process_map.py:_draw",
"""Structural problems (patterns) and crashes (tests on the exception and the function that
raised it) of open bugs, each shown by an xfail test below. A property test that runs into
one rejects the example (counted in the statistics as ``known bug: ...``) so that it can go
on to find other bugs. Remove an entry when its xfail test starts to pass."""


def event(text: str) -> None:
    """Count *text* in Hypothesis's statistics (a no-op in a plain test)."""
    if currently_in_test_context():
        _hypothesis_event(text)


def known_bug(problems: list[str]) -> str | None:
    """The known bug that explains every one of *problems*, if one does."""
    for name, pattern in KNOWN_PROBLEMS.items():
        if problems and all(pattern.match(problem) for problem in problems):
            return name
    return None


def known_crash(error: BaseException) -> str | None:
    """The known bug that raised *error*, if it is one."""
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].name}" if frames else ""
    for name, matches in KNOWN_CRASHES.items():
        if matches(error, where):
            return name
    return None


def outcome_of(deck, seed: int, **checks) -> str:
    """:func:`outcome` of *deck* written as YAML (laid out by *seed*), noted for Hypothesis."""
    text = to_yaml(deck, seed)
    note(text[:3000])
    with deck_file(text) as path:
        return outcome(path, **checks)


def outcome(path: Path, inspect: Callable[[Path, Any], None] | None = None, must_build: bool = False) -> str:
    """Load and build the deck at *path* through the API; returns "built" or "error".

    Fails the test on any other exception, a hang, malformed diagnostics, or a built
    file with structural problems. *inspect* sees the built file and the deck.
    """
    output = path.with_name("out.pptx")
    report = Report()
    lines = _line_count(path)
    with time_limit():
        try:
            deck = cardforge.load_deck(path, report=report)
        except DeckError as error:
            errors = error.report.errors
            assert errors, "DeckError without any error in its report"
            for diagnostic in errors:
                assert_well_formed(diagnostic, path, lines, "error")
            assert not output.exists()
            assert not must_build, "a valid deck was refused:\n" + "\n".join(str(d) for d in errors)
            event("outcome: input errors")
            return "error"
        try:
            result = cardforge.build(deck, output, report=report)
        except Exception as error:
            bug = known_crash(error)
            if bug is None or not currently_in_test_context():
                raise
            event(f"known bug: {bug}")
            reject()
    for diagnostic in report.warnings:
        assert_well_formed(diagnostic, path, lines, "warning")
    assert output.is_file()
    if result.slides == 0:
        event("built: no slides")  # `slides: []` builds an empty presentation, without a word
    problems = structural_problems(output)
    bug = known_bug(problems)
    if bug is not None and currently_in_test_context():
        event(f"known bug: {bug}")
        reject()
    assert problems == [], problems
    assert [p.name for p in output.parent.iterdir() if p.name.endswith(".tmp")] == []
    event("outcome: built")
    if inspect is not None:
        inspect(output, deck)
    return "built"


def cli_outcome(path: Path) -> int:
    """Build *path* with the command line; returns the exit code (0 or 1, never 2)."""
    output = path.with_name("cli.pptx")
    stderr = io.StringIO()
    code = 0
    with time_limit(), contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["build", str(path), "-o", str(output), "--quiet"])
        except SystemExit as exit_info:
            code = exit_info.code if isinstance(exit_info.code, int) else 1
    said = stderr.getvalue()
    if code == 2:
        outcome(path)  # the same deck through the API, to show the traceback
    assert "internal error" not in said, said
    assert code in (0, 1), f"exit code {code}:\n{said}"
    if code == 1:
        assert not output.exists()
        first = said.splitlines()[0] if said else ""
        assert first.startswith(f"{path}:"), said
        assert DIAGNOSTIC.match(first), said
        assert re.search(r"^\d+ errors?; nothing was written\.$", said, re.M), said
        event("cli: input errors")
    else:
        problems = structural_problems(output)
        if known_bug(problems):
            event(f"known bug: {known_bug(problems)}")
            reject()
        assert problems == []
        event("cli: built")
    return code


# --------------------------------------------------------------------------------------
# Strategies: text
# --------------------------------------------------------------------------------------

STRANGE = [
    "",
    " ",
    "   ",
    "\t",
    "\n",
    " \n\t ",
    "\r\n",
    "\u00a0",
    "\u3000",
    "\u2003",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\u2028",
    "\u2029",
    "\ufffe",
    "\uffff",
    "\ufffd",
    "no",
    "on",
    "yes",
    "off",
    "1.10",
    "12:30",
    "0x1F",
    "1e3",
    "null",
    "~",
    "true",
    ".inf",
    "#002060",
    "P001",
    "|",
    "()",
    "a|b",
    "(x)",
    "e\u0301",
    "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308",
    "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a" * 20,
    "\u0301",
    "\u20dd",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "👍🏽",
    "😀" * 50,
    "\U0001f1eb\U0001f1ee",
    "\U0010ffff",
    "\U000e0041",
    "مهندس البيانات",
    "עברית ו-English",
    "Ελληνικά",
    "ไทย",
    "हिन्दी",
    "ᄀᄀᄀ",
    "数据工程师",
    "データ",
    "Jyväskylän yliopiston tietohallintopäällikkö",
    "ǅ",
    "ß",
    "İstanbul",
    "ﬁ",
    "Å",
    "<b>bold</b>",
    "&amp;",
    "&",
    "<",
    "]]>",
    "_x000D_",
    "{{x}}",
    "%s %d",
    "\\",
    '"',
    "'",
    "-",
    "- x",
    "a: b",
    "#",
    "# x",
    "*x",
    "&x",
    "!!python/object:os.system",
    "<script>alert(1)</script>",
    "${HOME}",
    "../../etc/passwd",
    "C:\\Windows",
    "…",
    "+ 4 more (see notes)",
    "persona:P001:band",
    "#card:P001",
    "Title",
    "\u00ad",
    "\u034f",
    "\u180e",
    "\u2060",
    "\ufe0f",
]

MIXED = (
    list("aZ9 _-./:·,;()|&<>\"'\\#")
    + list("äöåéçñßøЖжΩλ中文字日本語한국어ابجדהו")
    + [
        "\u0301",
        "\u200f",
        "\u202e",
        "\u00a0",
        "\u3000",
        "\n",
        "\t",
        "\x0b",
        "\x00",
        "\x85",
        "\u2028",
        "😀",
        "👩\u200d💻",
        "\ufeff",
        "\ufffe",
        "\x7f",
        "\x9f",
        "\U0001d54f",
    ]
)


def mixed_text(min_size: int = 0, max_size: int = 80):
    """Text of mixed scripts, marks, controls and emoji (some pieces are several characters)."""
    return st.lists(st.sampled_from(MIXED), min_size=min_size, max_size=max_size).map("".join)


whitespace_only = st.text(
    alphabet=" \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000\x1c\x1f", min_size=1, max_size=6
)
long_word = st.builds(
    lambda piece, n: (piece * n)[:n], st.text(min_size=1, max_size=7), st.integers(100, 3000)
)
long_mixed = st.builds(
    lambda words, n: (" ".join(words) * n)[:n],
    st.lists(mixed_text(1, 30), min_size=1, max_size=5),
    st.integers(200, 3000),
)
any_text = st.one_of(
    st.text(max_size=30),
    st.text(max_size=30),
    st.sampled_from(STRANGE),
    st.sampled_from(STRANGE),
    mixed_text(),
    whitespace_only,
    long_word,
    long_mixed,
)
"""Any text at all: every Unicode character but surrogates (YAML cannot carry those)."""


def _visible(text: str) -> bool:
    return bool(text.strip())


def valid_text(max_size: int):
    """Text a field of at most *max_size* characters accepts: not blank."""
    pieces = st.one_of(
        st.text(min_size=1, max_size=min(40, max_size)),
        st.sampled_from([s for s in STRANGE if _visible(s) and len(s) <= max_size]),
        mixed_text(1, min(80, max_size)),
        st.builds(
            lambda piece, n: (piece * n)[:n], st.text(min_size=1, max_size=7), st.integers(1, max_size)
        ),
    )
    return pieces.filter(lambda s: _visible(s) and len(s) <= max_size)


valid_name = valid_text(200)
valid_long_text = valid_text(3000)
valid_id = st.text(st.characters(codec="utf-8", exclude_characters="|()"), min_size=1, max_size=40).filter(
    lambda s: re.fullmatch(r"[^\s|()]+", s) is not None
)

URL_SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%"
valid_url = st.builds(
    lambda scheme, path: f"{scheme}://example.org/{path}",
    st.sampled_from(["https", "http", "HTTPS"]),
    st.text(alphabet=URL_SAFE, max_size=200),
)


# --------------------------------------------------------------------------------------
# Strategies: decks
# --------------------------------------------------------------------------------------


def _drop_empty(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not _ABSENT}


_ABSENT = object()


@st.composite
def maybe(draw, strategy):
    """A value of *strategy*, or absent (the key left out)."""
    return draw(strategy) if draw(st.booleans()) else _ABSENT


@st.composite
def random_text_deck(draw):
    """Any text in any place, at a rate drawn per deck (1 to 100 in 100 texts); elsewhere valid values."""
    rate = draw(st.sampled_from([1, 3, 10, 30, 100]))

    def chaos(good):
        """*good* values, but any text at all at the deck's rate."""
        return st.integers(0, 99).flatmap(lambda n: any_text if n >= 100 - rate else good)  # shrinks to good

    text = chaos(valid_name)
    count = draw(st.integers(1, 4))
    ids = [draw(chaos(st.just(f"P{index:03d}"))) for index in range(1, count + 1)]
    teams = draw(st.lists(st.fixed_dictionaries({"name": text}, optional={"description": text}), max_size=3))
    refs = chaos(st.sampled_from(ids + [t["name"] for t in teams] + ["all teams"]))
    lists = st.lists(text, max_size=6)
    service = st.one_of(text, st.fixed_dictionaries({"name": text}, optional={"url": chaos(valid_url)}))
    link = st.one_of(
        chaos(valid_url), st.fixed_dictionaries({"url": chaos(valid_url)}, optional={"title": text})
    )
    personas = []
    for pid in ids:
        persona = {
            "id": pid,
            "name": draw(text),
            "colour": draw(maybe(chaos(st.sampled_from(PALETTE)))),
            "kind": draw(maybe(chaos(st.sampled_from(["person", "agent", "Agent "])))),
            "category": draw(maybe(chaos(st.sampled_from(["pretrained", "generative", "discriminative"])))),
            "team": draw(maybe(text)),
            "interacts_with": draw(maybe(st.lists(refs, max_size=4))),
            "processes": draw(maybe(lists)),
            "architectures": draw(
                maybe(st.lists(chaos(st.sampled_from(["lambda", "rag-chat"])), max_size=2))
            ),
            "scope": draw(maybe(text)),
            "services": draw(maybe(st.lists(service, max_size=6))),
            "data_access": draw(maybe(text)),
            "skills": draw(maybe(lists)),
            "learn": draw(maybe(st.lists(link, max_size=3))),
            "people": draw(maybe(st.one_of(st.just([]), lists))),
            "notes": draw(maybe(text)),
        }
        personas.append(_drop_empty(persona))
    deck = {
        "cardforge": Raw("1"),
        "title": draw(text),
        "subtitle": draw(maybe(text)),
        "organisation": draw(maybe(text)),
        "footer": draw(maybe(text)),
        "slides": draw(st.sampled_from([FAST, FAST, FAST, FAST, ["cards"], _ABSENT])),
        "teams": teams or _ABSENT,
        "processes": draw(
            maybe(
                st.lists(
                    st.fixed_dictionaries(
                        {"name": text}, optional={"description": text, "stages": st.lists(text, max_size=3)}
                    ),
                    max_size=3,
                )
            )
        ),
        "personas": personas,
    }
    event(f"random text: {rate} in 100")
    return _drop_empty(deck)


@st.composite
def valid_persona(
    draw,
    index: int,
    pid: str,
    teams: list[str],
    ids: list[str],
    items: int = 6,
    long_text=valid_long_text,
    architectures=("lambda", "rag-chat", "LAMBDA"),
    components=(),
):
    names = st.lists(valid_name, max_size=items)
    service_name = st.one_of(valid_name, st.sampled_from(components)) if components else valid_name
    service = st.one_of(
        service_name, st.fixed_dictionaries({"name": service_name}, optional={"url": valid_url})
    )
    link = st.one_of(valid_url, st.fixed_dictionaries({"url": valid_url}, optional={"title": valid_name}))
    refs = st.lists(st.sampled_from(teams + ids + ["all teams"]), max_size=4)
    persona = {
        "id": pid,
        "name": draw(valid_name),
        "colour": draw(maybe(st.sampled_from(PALETTE + ["#123456", "#fedcba"]))),
        "kind": draw(maybe(st.sampled_from(["person", "agent"]))),
        "category": draw(
            maybe(st.lists(st.sampled_from(["pretrained", "generative", "discriminative"]), max_size=3))
        ),
        "team": draw(maybe(st.one_of(st.sampled_from(teams), valid_name) if teams else valid_name)),
        "interacts_with": draw(maybe(refs)),
        "processes": draw(maybe(names)),
        "architectures": draw(maybe(st.lists(st.sampled_from(list(architectures)), max_size=2))),
        "scope": draw(maybe(long_text)),
        "services": draw(maybe(st.lists(service, max_size=items))),
        "data_access": draw(maybe(long_text)),
        "skills": draw(maybe(names)),
        "learn": draw(maybe(st.lists(link, max_size=4))),
        "people": draw(maybe(st.one_of(st.just([]), names))),
        "notes": draw(maybe(long_text)),
    }
    return _drop_empty(persona)


@st.composite
def custom_architecture(draw):
    """An architecture of random text: layers, components (some named like services), flows."""
    layers, component_ids = [], []
    for _layer in range(draw(st.integers(1, 4))):
        components = []
        for _ in range(draw(st.integers(1, 4))):
            component_ids.append(f"c{len(component_ids)}")
            component = {"id": component_ids[-1], "name": draw(valid_name)}
            if draw(st.booleans()):
                component["aliases"] = draw(st.lists(valid_name, max_size=2))
            components.append(component)
        layers.append({"name": draw(valid_name), "components": components})
    flows = draw(
        st.lists(
            st.tuples(st.sampled_from(component_ids), st.sampled_from(component_ids), maybe(valid_name)),
            max_size=5,
        )
    )
    architecture = {
        "id": "custom",
        "title": draw(maybe(valid_name)),
        "description": draw(maybe(valid_name)),
        "direction": draw(maybe(st.sampled_from(["horizontal", "vertical"]))),
        "layers": layers,
        "flows": [_drop_empty({"from": a, "to": b, "label": label}) for a, b, label in flows],
    }
    return _drop_empty(architecture)


@st.composite
def valid_deck(
    draw, min_personas=1, max_personas=4, items=6, slides=None, long_text=valid_long_text, extras=False
):
    """A deck that must build: every text non-blank and within its length, every reference known.

    With *extras*, a custom architecture and an RBAC table of random text too.
    """
    count = draw(st.integers(min_personas, max_personas))
    ids = draw(
        st.one_of(
            st.just([f"P{i:03d}" for i in range(1, count + 1)]),
            st.lists(valid_id, min_size=count, max_size=count, unique_by=lambda s: s.strip().casefold()),
        )
    )
    teams = draw(st.lists(valid_name, max_size=3, unique_by=lambda s: s.strip().casefold()))
    architecture = draw(custom_architecture()) if extras else None
    architectures = ("lambda", "rag-chat", "LAMBDA") + (("custom",) if architecture else ())
    components = (
        tuple(c["name"] for layer in architecture["layers"] for c in layer["components"])
        if architecture
        else ()
    )
    deck = {
        "cardforge": Raw("1"),
        "title": draw(valid_name),
        "subtitle": draw(maybe(valid_name)),
        "organisation": draw(maybe(valid_name)),
        "footer": draw(maybe(valid_name)),
        "slides": draw(st.sampled_from([FAST, FAST, FAST, ["cards"], _ABSENT])) if slides is None else slides,
        "teams": [{"name": name} for name in teams] if teams else _ABSENT,
        "architectures": [architecture] if architecture else _ABSENT,
        "personas": [
            draw(valid_persona(i, pid, teams, ids, items, long_text, architectures, components))
            for i, pid in enumerate(ids)
        ],
    }
    if extras:
        environments = draw(
            st.lists(valid_name, min_size=1, max_size=3, unique_by=lambda s: s.strip().casefold())
        )
        role = st.one_of(
            st.sampled_from(["Owner", "Contributor", "Reader", "Data Reader", "owner"]), valid_name
        )
        grants = draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.one_of(valid_name, st.sampled_from(components))),
                max_size=6,
                unique_by=lambda g: (g[0].strip().casefold(), g[1].strip().casefold()),
            )
        )
        deck["rbac"] = {
            "environments": environments,
            "grants": [
                {
                    "persona": pid,
                    "service": service,
                    "roles": draw(st.dictionaries(st.sampled_from(environments), role, max_size=3)),
                }
                for pid, service in grants
            ],
        }
    return _drop_empty(deck)


def _norm(text: str) -> str:
    """Text as it can be compared after a round trip: no white space, no XML-illegal characters."""
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
    return "".join(ch for ch in text if not ch.isspace()).casefold()


def nothing_lost(path: Path, deck) -> None:
    """Every service, skill and text field of every persona is on its card or in its notes."""
    from pptx import Presentation

    prs = Presentation(str(path))
    cards = card_slides(prs)
    by_id = {}
    for slide in cards:
        band = next(shape for shape in slide.shapes if shape.name.endswith(":band"))
        persona_id = band.name[len("persona:") : -len(":band")]
        shown = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        by_id[persona_id] = _norm(shown + "\n" + notes)
    for persona in deck.personas:
        if persona.id not in by_id:
            continue
        found = by_id[persona.id]
        wanted = (
            [s.name for s in persona.services] + list(persona.skills) + [link.title for link in persona.learn]
        )
        wanted += [t for t in (persona.name, persona.scope, persona.data_access, persona.notes) if t]
        wanted += list(persona.people or ())
        for value in wanted:
            assert _norm(value) in found, f"{persona.id}: {value!r} is neither on the card nor in its notes"


# --------------------------------------------------------------------------------------
# 1. Random text everywhere text goes
# --------------------------------------------------------------------------------------


@settings(max_examples=examples(60), **PROPERTY)
@given(deck=random_text_deck(), seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_random_text_everywhere_builds_or_reports(deck, seed):
    outcome_of(deck, seed)


@settings(max_examples=examples(40), **PROPERTY)
@given(deck=valid_deck(), seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_any_valid_text_builds_and_nothing_is_lost(deck, seed):
    """Non-blank text of any script and length within the limits is never refused or lost."""
    outcome_of(deck, seed, inspect=nothing_lost, must_build=True)


@settings(max_examples=examples(15), **PROPERTY)
@given(deck=random_text_deck(), seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_random_text_through_the_command_line(deck, seed):
    with deck_file(to_yaml(deck, seed)) as path:
        cli_outcome(path)


# --------------------------------------------------------------------------------------
# 2. Links: very long, and with any scheme
# --------------------------------------------------------------------------------------

long_url = st.builds(
    lambda path: "https://example.org/" + path,
    st.one_of(
        st.text(alphabet=URL_SAFE, max_size=2500),
        st.builds(lambda n: "a" * n, st.integers(2000, 2500)),
        st.builds(lambda n: "%E4%B8%AD/" * n, st.integers(150, 260)),
    ),
)
schemes = st.sampled_from(
    [
        "https:",
        "http:",
        "mailto:",
        "HTTPS:",
        "Http:",
        "javascript:",
        "JavaScript:",
        "file:",
        "data:",
        "ftp:",
        "vbscript:",
        "ms-word:ofe|u|",
        "tel:",
        "news:",
        "",
        " https:",
        "\thttps:",
        "https;",
        "h ttps:",
        "//",
        "#",
    ]
)
url_rest = st.one_of(
    st.sampled_from(
        [
            "//example.org/",
            "//",
            "/",
            "",
            "alert(1)",
            "text/html;base64,PGI+",
            "///etc/passwd",
            "//user:pw@host:99999/p?q=1#f",
            "someone@example.org",
            "//例え.jp/パス",
            "// host",
            "//example.org/a b",
            "//example.org/\x00",
            "//example.org/\ufffe",
            "//example.org/\u2028",
            "//example.org/\x85",
            "//example.org/\u202e",
            "//[::1]/",
            "//%00/",
            '//example.org/"<>',
        ]
    ),
    st.text(max_size=60),
    st.text(alphabet=URL_SAFE, max_size=60),
)
any_url = st.one_of(valid_url, long_url, long_url, st.builds(lambda s, r: s + r, schemes, url_rest), any_text)


def _allowed_scheme(url: str) -> bool:
    return re.match(r"(https?|mailto):", url.strip(), re.I) is not None


def _external_links(path: Path) -> list[str]:
    targets = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith(".rels"):
                root = etree.fromstring(package.read(name))
                targets += [r.get("Target") for r in root if r.get("TargetMode") == "External"]
    return targets


@settings(max_examples=examples(40), **PROPERTY)
@given(
    urls=st.lists(any_url, min_size=1, max_size=4),
    places=st.lists(st.sampled_from(["learn", "learn-text", "service"]), min_size=4, max_size=4),
    seed=st.integers(0, 2**16),
)
@pytest.mark.slow
def test_links_of_any_length_and_scheme(urls, places, seed):
    persona = {"id": "P001", "name": "Link Tester", "services": [], "learn": []}
    for url, place in zip(urls, places):
        if place == "learn":
            persona["learn"].append({"title": "Read this", "url": url})
        elif place == "learn-text":
            persona["learn"].append(url)
        else:
            persona["services"].append({"name": f"Service {len(persona['services'])}", "url": url})
    deck = {"cardforge": Raw("1"), "title": "Links", "slides": FAST, "personas": [persona]}
    text = to_yaml(deck, seed)
    note(text[:3000])

    def links_are_safe(output: Path, _deck) -> None:
        for target in _external_links(output):
            assert _allowed_scheme(target) and len(target) <= 2048, target
            assert not any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in target), repr(target)

    with deck_file(text) as path:
        result = outcome(path, inspect=links_are_safe)
    if not all(_allowed_scheme(url) for url in urls):
        assert result == "error", "a link with a scheme other than https, http or mailto was accepted"
    if any(len(url.strip()) > 2048 for url in urls):
        assert result == "error", "a link longer than 2048 characters was accepted"


# --------------------------------------------------------------------------------------
# 3. Random structure: any value in any place, extra keys, random YAML
# --------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    any_text,
    st.sampled_from(
        [
            Raw(s)
            for s in (
                "1",
                "01",
                "0x10",
                "1.0",
                "1_000",
                "yes",
                "no",
                "on",
                "~",
                "''",
                '""',
                ".nan",
                "-.inf",
                "12:30",
                "2024-01-01",
                "!!str 1",
                "[]",
                "{}",
                "|-\n  x",
            )
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(["id", "name", "url", "title", "personas", "cards", "x"]), st.text(max_size=8)
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=12,
)

PERSONA_KEYS = [
    "id",
    "name",
    "colour",
    "color",
    "kind",
    "category",
    "team",
    "interacts_with",
    "processes",
    "architectures",
    "scope",
    "services",
    "data_access",
    "skills",
    "learn",
    "people",
    "notes",
]
TOP_KEYS = [
    "cardforge",
    "title",
    "subtitle",
    "organisation",
    "theme",
    "footer",
    "language",
    "slides",
    "teams",
    "processes",
    "architectures",
    "personas",
    "rbac",
    "print",
    "lint",
]
PLACES = (
    [(k,) for k in TOP_KEYS]
    + [("personas", 0, k) for k in PERSONA_KEYS]
    + [("personas", 1, k) for k in PERSONA_KEYS]
    + [
        ("personas", 0),
        ("personas", 1),
        ("personas", 0, "services", 0),
        ("personas", 0, "services", 0, "url"),
        ("personas", 0, "learn", 0),
        ("personas", 0, "learn", 0, "url"),
        ("personas", 0, "skills", 0),
        ("teams", 0),
        ("teams", 0, "name"),
        ("processes", 0),
        ("processes", 0, "stages"),
        ("slides", 0),
        ("slides", 1),
        ("slides", 0, "cards"),
        ("slides", 0, "architecture"),
        ("architectures", 0),
        ("architectures", 0, "layers"),
        ("architectures", 0, "layers", 0, "components", 0),
        ("architectures", 0, "flows", 0),
        ("rbac", "grants", 0),
        ("rbac", "grants", 0, "roles"),
        ("rbac", "environments"),
        ("print", "card_size"),
        ("print", "bleed"),
        ("lint", "disable"),
    ]
)

BASE_DECK = {
    "cardforge": Raw("1"),
    "title": "Structure",
    "slides": list(FAST),
    "teams": [{"name": "Data Team", "description": "Owns data"}],
    "processes": [{"name": "DataOps", "stages": ["Dev", "Prod"]}],
    "architectures": [
        {
            "id": "mine",
            "layers": [
                {"name": "Ingest", "components": [{"id": "adf", "name": "Azure Data Factory"}]},
                {"name": "Store", "components": [{"id": "adls", "name": "Azure Data Lake Storage"}]},
            ],
            "flows": [{"from": "adf", "to": "adls", "label": "1"}],
        }
    ],
    "personas": [
        {
            "id": "P001",
            "name": "Engineer",
            "team": "Data Team",
            "services": [{"name": "Azure Data Factory", "url": "https://example.org/adf"}],
            "skills": ["SQL"],
            "learn": [{"title": "Learn", "url": "https://example.org/l"}],
            "architectures": ["mine"],
        },
        {"id": "P002", "name": "Analyst", "interacts_with": ["P001"], "skills": ["DAX"]},
    ],
    "rbac": {
        "environments": ["Dev", "Prod"],
        "grants": [{"persona": "P001", "service": "Azure Data Factory", "roles": {"Dev": "Owner"}}],
    },
    "print": {"card_size": "A6"},
    "lint": {"disable": ["CF101"]},
}


def _put(data: Any, path: tuple, value: Any) -> Any:
    """*data* with the value at *path* replaced, containers made up on the way as needed."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(data) if isinstance(data, list) else []
        while len(items) <= head:
            items.append({})
        items[head] = _put(items[head], rest, value)
        return items
    mapping = dict(data) if isinstance(data, dict) else {}
    mapping[head] = _put(mapping.get(head), rest, value)
    return mapping


@st.composite
def mangled_deck(draw):
    import copy

    deck = copy.deepcopy(BASE_DECK)
    if draw(st.booleans()):
        deck.pop("slides")  # the whole deck: every section sees the damage
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "replace", "extra", "delete"]))
        path = draw(st.sampled_from(PLACES))
        if kind == "replace":
            deck = _put(deck, path, draw(values))
        elif kind == "extra":
            deck = _put(deck, path[:-1] + (draw(st.text(max_size=12)),), draw(values))
        else:
            parent = deck
            for part in path[:-1]:
                try:
                    parent = parent[part]
                except (KeyError, IndexError, TypeError):
                    break
            else:
                with contextlib.suppress(KeyError, IndexError, TypeError):
                    del parent[path[-1]]
    return deck


@settings(max_examples=examples(120), **PROPERTY)
@given(deck=mangled_deck(), seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_any_value_in_any_place(deck, seed):
    outcome_of(deck, seed)


@settings(max_examples=examples(25), **PROPERTY)
@given(value=values, seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_any_document_whatsoever(value, seed):
    text = to_yaml(value, seed)
    note(text)
    with deck_file(text) as path:
        assert outcome(path) == "error"


FRAGMENTS = [
    "cardforge: 1",
    "title: t",
    "personas:",
    "  - id: P1",
    "    name: N",
    "- id: P2",
    "  name: M",
    "skills: [a, b",
    "skills: {a: 1}",
    "key: value",
    "- item",
    "  nested:",
    "[a, b",
    "{a: 1",
    "a: b: c",
    "&a x",
    "*a",
    "x: &a 1",
    "y: *a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!custom x",
    "---",
    "...",
    "%YAML 1.1",
    "%TAG ! tag:x,2000:",
    "? complex",
    "? [a]\n: b",
    "|",
    ">-",
    "'unclosed",
    '"unclosed',
    '"\\q"',
    "\t- tab",
    "  \tx: 1",
    "#comment",
    ": :",
    "- - - x",
    "{",
    "}",
    "]",
    "[",
    "@x",
    "`x`",
    "name: #002060",
    "colour: #002060",
    "{colour: #002060}",
    "title: t\ntitle: u",
    "personas: []",
    "personas: P1",
    "personas: {id: P1}",
    "cardforge: 2",
    "cardforge: one",
    "cardforge: 0",
    "slides: [nope]",
    "[" * 200 + "]" * 200,
    "[" * 3000,
    "{a: " * 60 + "1" + "}" * 60,
    "- " * 100 + "x",
    "\ufeffcardforge: 1",
    "\u2028",
    "\x85",
    "\u00a0: x",
]
raw_char = st.characters(codec="utf-8")
"""Any character that can be in a UTF-8 file, raw: controls, C1 controls, line separators, BOM."""
random_yaml = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map("\n".join),
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(raw_char, max_size=30)), min_size=1, max_size=8
    ).map("\n".join),
    st.text(raw_char, max_size=200),
    st.lists(st.sampled_from(list(" \n\t-:[]{}#&*!|>'\"%@`,?~") + ["a", "1", "x: ", "- "]), max_size=120).map(
        "".join
    ),
)


@settings(max_examples=examples(150), **PROPERTY)
@given(body=random_yaml, header=st.booleans())
@pytest.mark.slow
def test_random_yaml_text(body, header):
    text = (
        "cardforge: 1\ntitle: t\nslides: [title, cards]\npersonas: [{id: P1, name: N}]\n" if header else ""
    ) + body
    note(repr(text))
    with deck_file(text) as path:
        outcome(path)


@settings(max_examples=examples(60), **PROPERTY)
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.builds(
            lambda head, tail: head + tail,
            st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"c\x00", b"\x00c", b""]),
            st.binary(max_size=100),
        ),
        st.builds(lambda text: text.encode("utf-8", "surrogatepass"), st.text(raw_char, max_size=80)),
        st.builds(lambda text: text.encode("utf-16"), st.text(max_size=20)),
        st.builds(
            lambda text: text.encode("latin-1", "replace"),
            st.sampled_from(["cardforge: 1\ntitle: Jyväskylä\npersonas: [{id: P1, name: Ö}]"]),
        ),
    )
)
@pytest.mark.slow
def test_random_bytes(data):
    note(repr(data))
    with deck_file(data) as path:
        outcome(path)


@settings(max_examples=examples(40), **PROPERTY)
@given(body=random_yaml)
@pytest.mark.slow
def test_random_yaml_through_the_command_line(body):
    with deck_file("cardforge: 1\ntitle: t\n" + body) as path:
        cli_outcome(path)


MARK = "\u27e6MARK\u27e7"
FIELD_LIMITS = {
    "name": 200,
    "team": 200,
    "scope": 4000,
    "data_access": 4000,
    "notes": 4000,
    "skills": 200,
    "processes": 200,
    "people": 200,
    "services": 200,
    "learn": 4000,
    "teams": 200,
}


@st.composite
def deck_with_one_bad_value(draw):
    """A valid deck with one text made one character too long, and the key it was put in."""
    deck = draw(valid_deck(max_personas=3, slides=FAST))
    field = draw(st.sampled_from(sorted(FIELD_LIMITS)))
    bad = MARK + "x" * (FIELD_LIMITS[field] + 1 - len(MARK))
    if field == "teams":
        deck.setdefault("teams", []).append({"name": bad})
        return deck, field
    persona = draw(st.sampled_from(deck["personas"]))
    if field == "services":
        persona["services"] = list(persona.get("services", [])) + [{"name": bad}]
    elif field == "learn":
        persona["learn"] = list(persona.get("learn", [])) + [{"title": bad, "url": "https://example.org/"}]
    elif field in ("skills", "processes", "people"):
        persona[field] = list(persona.get(field) or []) + [bad]
    else:
        persona[field] = bad
    return deck, field


@settings(max_examples=examples(30), **PROPERTY)
@given(case=deck_with_one_bad_value(), seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_one_bad_value_gives_one_error_at_its_place(case, seed):
    """One value too long: exactly one error, on the line where that value is written."""
    deck, field = case
    text = to_yaml(deck, seed)
    note(text[:3000])
    (line,) = [number for number, content in enumerate(text.splitlines(), start=1) if MARK in content]
    with deck_file(text) as path, time_limit(), pytest.raises(DeckError) as caught:
        cardforge.load_deck(path)
    errors = caught.value.report.errors
    assert [d.position.line for d in errors] == [line], f"{field}: " + "\n".join(map(str, errors))
    assert "too long" in errors[0].message, str(errors[0])


only_choice = st.one_of(
    st.sampled_from(
        [
            "title",
            "cards",
            "persona-table",
            "process-map",
            "interactions",
            "categories",
            "rbac",
            "gaps",
            "architecture",
            "architecture:lambda",
            "architecture:rag-chat",
            "architecture:LAMBDA",
            "cards:P001",
            "cards:p001,P002",
            "cards:",
            "cards:,",
            "cards:P999",
            "architecture:",
            "architecture:nope",
            ":",
            "",
            " cards ",
            "CARDS",
            "table",
            "persona-cards",
            "cards:P001:P002",
            "rbac:x",
            "title:",
        ]
    ),
    any_text.filter(lambda s: "\x00" not in s),
)


@settings(max_examples=examples(40), **PROPERTY)
@given(choices=st.lists(only_choice, min_size=1, max_size=4))
@pytest.mark.slow
def test_any_only_choice_on_the_command_line(choices):
    """`--only` takes any text: a known section, or an error in the usual form, never a crash."""
    text = "cardforge: 1\ntitle: t\npersonas: [{id: P001, name: A, architectures: [lambda]}, {id: P002, name: B}]\n"
    note(repr(choices))
    with deck_file(text) as path:
        output = path.with_name("only.pptx")
        stderr = io.StringIO()
        argv = ["build", str(path), "-o", str(output), "--quiet"] + [
            arg for choice in choices for arg in ("--only", choice)
        ]
        with time_limit(), contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            try:
                main(argv)
                code = 0
            except SystemExit as exit_info:
                code = exit_info.code if isinstance(exit_info.code, int) else 1
        said = stderr.getvalue()
        assert code in (0, 1) and "internal error" not in said, said
        if code == 0:
            problems = structural_problems(output)
            if known_bug(problems):
                reject()
            assert problems == []
            event("only: built")
        else:
            assert not output.exists()
            assert said.startswith("--only:1:1: error: ") or DIAGNOSTIC.match(said.splitlines()[0]), said
            event("only: input errors")


# Bugs these properties found, each fixed since (commits 93a02c7, 6f94178, c0c3d59): regression tests.


@pytest.mark.parametrize("char", ["\x80", "\x9f"])
def test_c1_control_character_in_the_file_is_an_input_error(char):
    """Was yaml.reader.ReaderError, an internal error: raw U+0080..U+009F (but U+0085) in a file."""
    text = f"cardforge: 1\ntitle: a{char}b\npersonas: [{{id: P1, name: N}}]\n"
    with deck_file(text) as path:
        with pytest.raises(DeckError) as caught, time_limit():
            cardforge.load_deck(path)
        assert str(caught.value.report.errors[0]).startswith(f"{path}:2:")
        assert cli_outcome(path) == 1


def test_persona_with_two_invalid_parts_is_an_input_error():
    """Was IndexError/KeyError in salvage(): a persona dropped for an invalid required key, with an
    invalid list item inside it too, was looked up again to drop the item."""
    text = 'cardforge: 1\ntitle: t\npersonas:\n  - {id: P001, name: "", skills: [""]}\n'
    with deck_file(text) as path:
        with pytest.raises(DeckError) as caught, time_limit():
            cardforge.load_deck(path)
        assert len(caught.value.report.errors) == 2


TABLE_WIDTH_DECK = """\
cardforge: 1
title: t
slides: [persona-table]
architectures:
  - {id: a, title: "\\x1cX", layers: [{name: L, components: [{id: c, name: C}]}]}
teams: [{name: "\\x1cY"}]
personas:
  - id: P1
    name: Averyveryverylongpersonaname
    team: Averyveryverylongteamname
    interacts_with: ["\\x1cY"]
    processes: [Averyveryverylongprocessname]
    architectures: [a]
    scope: Averyveryverylongscopetextword
    services: [Averyveryverylongservicename]
    data_access: Averyveryverylongdataaccessword
    skills: [Averyveryverylongskillname]
    learn: [{title: Averyveryverylongtitle, url: "https://example.org/"}]
"""


@pytest.mark.parametrize("separator", ["\\x1c", ""])
def test_persona_table_columns_have_positive_widths(separator):
    """Were negative when the columns' floors exceeded the table width: with U+001C at the start of a
    narrow column's text (white space to Python, not to pydantic) text.fit._wrap_line raised
    IndexError; without it the table was written with negative <a:gridCol w>."""
    text = TABLE_WIDTH_DECK.replace("\\x1c", separator)
    with deck_file(text) as path:
        with time_limit():
            deck = cardforge.load_deck(path)
            cardforge.build(deck, path.with_name("out.pptx"))
        with zipfile.ZipFile(path.with_name("out.pptx")) as package:
            root = etree.fromstring(package.read("ppt/slides/slide1.xml"))
        widths = [
            int(col.get("w"))
            for col in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}gridCol")
        ]
        assert widths and min(widths) > 0, widths


def test_empty_process_list_builds_the_process_map():
    """Was ValueError (min() of an empty sequence) in the process map: an internal error."""
    text = "cardforge: 1\ntitle: t\nslides: [process-map]\nprocesses: []\npersonas: [{id: P001, name: N}]\n"
    with deck_file(text) as path:
        assert cli_outcome(path) in (0, 1)


FLOW_LABEL_DECK = """\
cardforge: 1
title: t
slides: [{architecture: custom}]
architectures:
  - id: custom
    layers:
      - {name: A, components: [{id: a, name: A}]}
      - {name: B, components: [{id: b, name: B}]}
    flows:
      - {from: a, to: b, label: "%s"}
personas:
  - {id: P1, name: N}
""" % ("W" * 120)


def test_long_flow_label_stays_on_the_slide():
    """Was drawn wider than the slide: the label box held the whole label on one line."""
    with deck_file(FLOW_LABEL_DECK) as path:
        with time_limit():
            deck = cardforge.load_deck(path)
            cardforge.build(deck, path.with_name("out.pptx"))
        assert structural_problems(path.with_name("out.pptx")) == []


def test_flow_labels_of_the_builtin_rag_chat_diagram_do_not_overlap():
    from checks import boxes, slide_xml

    text = "cardforge: 1\ntitle: t\nslides: [{architecture: rag-chat}]\npersonas: [{id: P1, name: N}]\n"
    with deck_file(text) as path:
        assert outcome(path) == "built"
        for name, root in slide_xml(path.with_name("out.pptx")):
            labels = [b for b in boxes(root) if b.name.startswith("flow:") and b.name.endswith(":label")]
            overlapping = [
                (a.name, b.name) for i, a in enumerate(labels) for b in labels[i + 1 :] if a.overlaps(b)
            ]
            assert overlapping == [], f"{name}: {overlapping}"


# --------------------------------------------------------------------------------------
# 4. Sizes: 1 to 60 personas, 0 to 40 items per list
# --------------------------------------------------------------------------------------

BASES = [
    "Azure Data Factory",
    "数据工程",
    "مهندس البيانات",
    "😀 Emoji",
    "Jyväskylän yliopisto",
    "SQL",
    "Python",
    "PySpark",
    "Azure Databricks",
    "Power BI",
    "Microsoft Fabric",
    "a" * 60,
    "e\u0301",
    "x",
]


@st.composite
def sized_deck(draw):
    """1 to 60 personas with 0 to 40 items in every list.

    Hypothesis draws the sizes; the names come from a seeded generator, because
    thousands of separate draws would overrun Hypothesis's example size.
    """
    count = draw(st.integers(1, 60))
    rng = random.Random(draw(st.integers(0, 2**32)))
    teams = ["Data Team", "AI Team"]

    def name() -> str:
        return f"{rng.choice(BASES)} {rng.randrange(100)}"

    def items(make=name) -> list:
        return [make() for _ in range(draw(st.integers(0, 40)))]

    personas = []
    for index in range(1, count + 1):
        persona = {
            "id": f"P{index:03d}",
            "name": name(),
            "team": rng.choice(teams),
            "kind": rng.choice(["person", "agent"]),
            "interacts_with": items(lambda: rng.choice(teams + ["P001", "all teams"])),
            "processes": items(),
            "services": items(lambda: rng.choice([name(), {"name": name(), "url": "https://example.org/s"}])),
            "skills": items(),
            "learn": items(lambda: {"title": name(), "url": "https://example.org/l"}),
            "people": items(),
        }
        if rng.random() < 0.5:
            persona["scope"] = name()
        personas.append(persona)
    return {
        "cardforge": Raw("1"),
        "title": "Sizes",
        "slides": FAST,
        "teams": [{"name": t} for t in teams],
        "personas": personas,
    }


@settings(max_examples=examples(6), **PROPERTY)
@given(deck=sized_deck(), seed=st.integers(0, 2**16))
@pytest.mark.slow
def test_any_number_of_personas_and_items(deck, seed):
    outcome_of(deck, seed, inspect=nothing_lost, must_build=True)


@pytest.mark.slow
def test_sixty_personas_with_forty_items_in_every_list():
    """The largest size the properties draw, always: 60 personas, 40 items in every list."""
    rng = random.Random(60)
    names = lambda: [f"{rng.choice(BASES)} {i}" for i in range(40)]  # noqa: E731
    personas = [
        {
            "id": f"P{index:03d}",
            "name": f"{rng.choice(BASES)} {index}",
            "team": "Data Team",
            "scope": rng.choice(BASES),
            "interacts_with": ["Data Team"] * 20 + [f"P{i:03d}" for i in range(1, 21)],
            "processes": names(),
            "services": [
                {"name": n, "url": "https://example.org/" + str(i)} if i % 2 else n
                for i, n in enumerate(names())
            ],
            "skills": names(),
            "learn": [{"title": n, "url": "https://example.org/l"} for n in names()],
            "people": names(),
        }
        for index in range(1, 61)
    ]
    deck = {
        "cardforge": Raw("1"),
        "title": "Sizes",
        "slides": FAST,
        "teams": [{"name": "Data Team"}],
        "personas": personas,
    }
    with deck_file(to_yaml(deck, 60)) as path:
        outcome(path, inspect=nothing_lost, must_build=True)


@settings(max_examples=examples(6), **PROPERTY)
@given(
    deck=valid_deck(
        min_personas=1, max_personas=12, items=12, slides=_ABSENT, long_text=valid_text(400), extras=True
    ),
    seed=st.integers(0, 2**16),
)
@pytest.mark.slow
def test_full_decks_of_random_text(deck, seed):
    """Every section (process map, architectures, interactions, categories, RBAC, gaps) with random text."""
    outcome_of(deck, seed, inspect=nothing_lost, must_build=True)


# --------------------------------------------------------------------------------------
# 5. A failed build leaves the output alone
# --------------------------------------------------------------------------------------

BAD_DECKS = {
    "yaml": "cardforge: 1\ntitle: [unclosed\n",
    "schema": "cardforge: 1\ntitle: t\npersonas: [{id: P1, name: N, skils: [SQL]}]\n",
    "reference": "cardforge: 1\ntitle: t\nslides: [{cards: [P2]}]\npersonas: [{id: P1, name: N}]\n",
    "link": "cardforge: 1\ntitle: t\npersonas: [{id: P1, name: N, learn: ['javascript:alert(1)']}]\n",
}


@pytest.mark.parametrize("kind", list(BAD_DECKS))
def test_failed_build_leaves_existing_output_untouched(tmp_path, kind):
    deck = tmp_path / "deck.yaml"
    deck.write_text(BAD_DECKS[kind], encoding="utf-8")
    output = tmp_path / "out.pptx"
    before = b"PK\x03\x04 an earlier build, not to be lost " + bytes(range(256))
    output.write_bytes(before)
    os.utime(output, (1_000_000_000, 1_000_000_000))
    listing = sorted(p.name for p in tmp_path.iterdir())
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as exit_info:
        main(["build", str(deck), "-o", str(output)])
    assert exit_info.value.code == 1, stderr.getvalue()
    assert "internal error" not in stderr.getvalue()
    assert output.read_bytes() == before
    assert output.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == listing, "a temporary file was left behind"


def test_successful_build_replaces_output_and_leaves_no_temporary_file(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "cardforge: 1\ntitle: t\nslides: [title, cards]\npersonas: [{id: P1, name: N}]\n", encoding="utf-8"
    )
    output = tmp_path / "out.pptx"
    output.write_bytes(b"old")
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(io.StringIO()):
        main(["build", str(deck), "-o", str(output)])
    assert exit_info.value.code in (0, None)
    assert output.read_bytes()[:2] == b"PK" and structural_problems(output) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml", "out.pptx"]


# --------------------------------------------------------------------------------------
# 6. A deck of stress text: mixed scripts, long lists, very long links
# --------------------------------------------------------------------------------------

LONG_URL = "https://example.org/" + "/".join(f"segment-{i:04d}" for i in range(200))
LONG_URL = LONG_URL[:2000]
STRESS_NAMES = [
    "Jyväskylän yliopiston tietohallintopäällikkö",
    "数据平台与机器学习运维工程负责人（华东区域）",
    "مهندس بيانات الذكاء الاصطناعي ومسؤول المنصة",
    "🚀 GenAI Chat Developer 👩‍💻🤖✨",
    "Jyväskylän 数据 مهندس 🚀 Überlänge-Persona mit sehr langem Namen",
]


def stress_deck() -> dict:
    personas = []
    for index, name in enumerate(STRESS_NAMES, start=1):
        services = [f"{name.split()[0]} Service {i:02d}" for i in range(40)]
        services = [{"name": s, "url": LONG_URL} if i % 7 == 0 else s for i, s in enumerate(services)]
        personas.append(
            {
                "id": f"P{index:03d}",
                "name": name,
                "kind": "agent" if index % 2 == 0 else "person",
                "team": ["Tietohallinto", "数据团队", "فريق البيانات"][index % 3],
                "interacts_with": ["all teams"],
                "processes": ["DataOps", "MLOps"],
                "scope": f"{name} — " * 5,
                "services": services,
                "data_access": "Täysi pääsy 数据湖 والمشاريع " * 4,
                "skills": [f"Skill-{i:02d}-{name.split()[0]}" for i in range(40)],
                "learn": [{"title": f"Oppimateriaali {name}", "url": LONG_URL}, LONG_URL],
                "people": ["Aino Mäkinen", "王小明", "فاطمة"],
                "notes": f"Notes for {name}.",
            }
        )
    return {
        "cardforge": Raw("1"),
        "title": "Stress: Jyväskylä 数据 مهندس 🚀",
        "footer": "Sisäinen – 内部 – داخلي",
        "slides": FAST,
        "personas": personas,
    }


@pytest.fixture(scope="module")
def stress_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stress")
    path = folder / "stress.yaml"
    path.write_text(to_yaml(stress_deck(), 7), encoding="utf-8")
    output = folder / "stress.pptx"
    with time_limit(120):
        deck = cardforge.load_deck(path)
        cardforge.build(deck, output)
    return path, output, deck


def test_stress_text_deck_builds_without_problems(stress_build):
    _, output, _ = stress_build
    assert structural_problems(output) == []
    if SCHEMAS.exists():
        assert schema_errors(output) == []


def test_stress_text_deck_does_not_overflow(stress_build):
    import shutil

    if shutil.which("ooxml-integrity") is None:
        pytest.skip("ooxml-integrity is not installed")
    _, output, _ = stress_build
    assert overflow_findings(output) == []


def test_stress_text_deck_loses_nothing(stress_build):
    from pptx import Presentation

    _, output, deck = stress_build
    prs = Presentation(str(output))
    cards = card_slides(prs)
    assert len(cards) == len(STRESS_NAMES)
    for slide, persona in zip(cards, deck.personas):
        shown = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        for value in [s.name for s in persona.services] + list(persona.skills):
            assert value in shown or value in notes, f"{persona.id}: {value!r} is lost"
        assert persona.title in shown or persona.title in notes
    nothing_lost(output, deck)
    assert any(target == LONG_URL for target in _external_links(output))


# --------------------------------------------------------------------------------------
# Every strange string at once, checked against the schemas (slow, so once)
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_strange_string_builds_schema_valid(tmp_path):
    names = [s for s in STRANGE if _visible(s) and len(s) <= 200]
    personas = [
        {
            "id": f"P{i:03d}",
            "name": name,
            "team": name,
            "scope": name,
            "skills": [name, name + "x"],
            "services": [name, {"name": "S " + name, "url": "https://example.org/" + str(i)}],
            "learn": [{"title": name, "url": "https://example.org/l"}],
            "people": [name],
            "notes": name,
            "interacts_with": [name],
            "processes": [name],
        }
        for i, name in enumerate(names, start=1)
    ]
    deck = {
        "cardforge": Raw("1"),
        "title": "Strange",
        "footer": "\u202eright-to-left footer",
        "slides": FAST + ["process-map", "interactions", "gaps"],
        "personas": personas,
    }
    path = tmp_path / "strange.yaml"
    path.write_text(to_yaml(deck, 3), encoding="utf-8")
    outcome(path, inspect=nothing_lost, must_build=True)
    output = path.with_name("out.pptx")
    if SCHEMAS.exists():
        assert schema_errors(output) == []
