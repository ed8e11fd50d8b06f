"""Hostile input, templates, output paths and signals: time and outcome of each attack.

    python benchmarks/hostile.py                 # every case, as a table
    python benchmarks/hostile.py yaml-brace-line  # some cases, by name
    python benchmarks/hostile.py --timeout 60     # give up on a case after 60 s

Each case runs ``cardforge`` as its own process, as a user would, and reports wall time,
peak memory (the largest of cardforge and any helper process), exit status, the first line
it printed and what it left behind. A case that runs past the timeout is killed, with its
whole process group, and reported as such. The table is what the issue about hostile input
asks for, before and after; the tests (tests/test_hostile.py) assert the outcomes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import deck as generated_deck  # noqa: E402

CARDFORGE = [sys.executable, "-m", "cardforge"]
SMALL = "cardforge: 1\ntitle: t\nslides: [title, cards]\npersonas: [{id: P1, name: N}]\n"
FULL = "cardforge: 1\ntitle: t\npersonas: [{id: P1, name: N, architectures: [lambda], services: [Azure Storage]}]\n"


@dataclass
class Case:
    name: str
    group: str
    what: str
    prepare: Callable[[Path], list[str]]
    """Writes the case's files into a folder; returns cardforge's arguments."""
    inspect: Callable[[Path], str] | None = None
    """Looks at the folder afterwards; returns a note ("" when nothing is wrong)."""
    drive: Callable[[subprocess.Popen, Path], None] | None = None
    """Acts on the running process (sends a signal)."""
    env: dict[str, str] = field(default_factory=dict)


CASES: list[Case] = []


def case(name: str, group: str, what: str, **extra):
    def register(prepare):
        CASES.append(Case(name, group, what, prepare, **extra))
        return prepare

    return register


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def build(folder: Path, deck: Path, *more: str) -> list[str]:
    return ["build", str(deck), "-o", str(folder / "out.pptx"), *more]


# 1. Super-linear work on small input -----------------------------------------------------


@case("yaml-brace-line", "1 work", "a 40 KB line of `{` (a YAML syntax error)")
def _brace_line(folder: Path) -> list[str]:
    return build(folder, write(folder, "deck.yaml", SMALL + "x: " + "{" * 40_000 + "\n"))


@case("yaml-json-comma", "1 work", "560 KB minified JSON deck with one stray comma")
def _json_comma(folder: Path) -> list[str]:
    personas = [
        {
            "id": f"P{i:04d}",
            "name": f"Persona number {i}",
            "team": f"Team {i % 7}",
            "skills": ["SQL", "Python", "Spark"],
            "services": [{"name": "Azure Storage", "url": f"https://example.org/{i}"}],
            "processes": ["DataOps"],
        }
        for i in range(2600)
    ]
    text = json.dumps({"cardforge": 1, "title": "t", "personas": personas}, separators=(",", ":"))
    text = text.replace('"skills":["SQL",', '"skills":["SQL",,', 1)
    return build(folder, write(folder, "deck.json.yaml", text))


def _everyone_interacts(count: int) -> str:
    ids = [f"P{i:04d}" for i in range(count)]
    lines = ["cardforge: 1", "title: Everyone talks to everyone", "personas:"]
    for pid in ids:
        lines.append(f"  - {{id: {pid}, name: Persona {pid}, interacts_with: [{', '.join(ids)}]}}")
    return "\n".join(lines) + "\n"


@case("cards-all-interact", "1 work", "420 personas who each interact with all others (430 KB)")
def _all_interact(folder: Path) -> list[str]:
    return build(folder, write(folder, "deck.yaml", _everyone_interacts(420)), "--only", "cards")


@case("cards-long-lists", "1 work", "9 personas with 1000 skills each")
def _long_lists(folder: Path) -> list[str]:
    skills = ", ".join(f"Skill {k:04d}" for k in range(1000))
    personas = "\n".join(f"  - {{id: P{i}, name: Persona {i}, skills: [{skills}]}}" for i in range(9))
    text = f"cardforge: 1\ntitle: Skills\nslides: [cards]\npersonas:\n{personas}\n"
    return build(folder, write(folder, "deck.yaml", text))


@case("cards-every-list-long", "1 work", "9 personas with 1000 entries in every list")
def _every_list_long(folder: Path) -> list[str]:
    def entries(word: str) -> str:
        return "[" + ", ".join(f"{word} {k:04d}" for k in range(1000)) + "]"

    links = ", ".join(f'"https://example.org/{k:04d}"' for k in range(1000))
    lists = (
        f"services: {entries('Service')}, skills: {entries('Skill')}, people: {entries('Person')}, "
        f"processes: {entries('Process')}, learn: [{links}]"
    )
    personas = "\n".join(f"  - {{id: P{i}, name: Persona {i}, {lists}}}" for i in range(9))
    text = f"cardforge: 1\ntitle: Services\nslides: [cards]\npersonas:\n{personas}\n"
    return build(folder, write(folder, "deck.yaml", text))


@case("did-you-mean-flood", "1 work", "3000 personas naming 40 unknown personas each (120k references)")
def _unknown_references(folder: Path) -> list[str]:
    lines = ["cardforge: 1", "title: t", "personas:"]
    for i in range(3000):
        refs = ", ".join(f"Q{i:04d}x{k:02d}" for k in range(40))
        lines.append(f"  - {{id: P{i:04d}, name: N{i}, interacts_with: [{refs}]}}")
    return build(folder, write(folder, "deck.yaml", "\n".join(lines) + "\n"))


@case("slides-repeated", "1 work", "`slides:` naming `cards` 5000 times, 20 personas")
def _slides_repeated(folder: Path) -> list[str]:
    personas = ", ".join(f"{{id: P{i}, name: N{i}}}" for i in range(20))
    text = f"cardforge: 1\ntitle: t\nslides: [{', '.join(['cards'] * 5000)}]\npersonas: [{personas}]\n"
    return build(folder, write(folder, "deck.yaml", text))


@case("rbac-environments", "1 work", "1000 RBAC environments, 2000 grants")
def _rbac_environments(folder: Path) -> list[str]:
    envs = [f"E{k:04d}" for k in range(1000)]
    roles = ", ".join(f"{env}: Reader" for env in envs[:20])
    grants = "\n".join(f"  - {{persona: P{k % 2}, service: S{k}, roles: {{{roles}}}}}" for k in range(2000))
    text = (
        "cardforge: 1\ntitle: t\nslides: [rbac]\npersonas: [{id: P0, name: N}, {id: P1, name: M}]\n"
        f"rbac:\n environments: [{', '.join(envs)}]\n grants:\n{grants}\n"
    )
    return build(folder, write(folder, "deck.yaml", text))


# 2. Limits checked before reading ----------------------------------------------------------


def _theme_with(folder: Path, key: str, value: str, deck: str = SMALL) -> Path:
    theme = "cardforge_theme: 1\nname: hostile\nextends: default\n"
    if key == "font":
        theme += f"fonts: {{body: {{family: Hostile, file: {value}}}}}\n"
    elif key == "template":  # a size of its own, so that the template's shapes are scaled
        theme += f'{key}: {value}\nslide_size: "16:9"\n'
    else:
        theme += f"{key}: {value}\n"
    write(folder, "theme.yaml", theme)
    return write(folder, "deck.yaml", deck.replace("title: t\n", "title: t\ntheme: theme.yaml\n"))


def _special_file(folder: Path, name: str, kind: str) -> None:
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    elif kind == "zero":  # a device node inside the folder where we may make one, else a link out
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
        except PermissionError:
            path.symlink_to("/dev/zero")
    elif kind == "sparse":
        with path.open("wb") as handle:
            handle.truncate(3 * 2**30)


for _kind in ("zero", "fifo", "sparse", "dir"):
    for _role, _name in (("deck", "deck.yaml"), ("theme", "t.yaml"), ("logo", "logo.png"),
                         ("font", "f.ttf"), ("template", "master.pptx")):  # fmt: skip

        def _prepare(folder: Path, kind=_kind, role=_role, name=_name) -> list[str]:
            _special_file(folder, name, kind)
            if role == "deck":
                return build(folder, folder / name)
            if role == "theme":
                deck = write(folder, "deck.yaml", SMALL.replace("slides:", f"theme: {name}\nslides:"))
                return build(folder, deck)
            return build(folder, _theme_with(folder, role, name))

        CASES.append(Case(f"{_kind}-as-{_role}", "2 read", f"{_kind} as the {_role}", _prepare))


# 3. Templates are untrusted input ----------------------------------------------------------


def _default_template() -> Path:
    import pptx

    return Path(pptx.__file__).parent / "templates" / "default.pptx"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(path: Path, members: dict[str, bytes] | list[tuple[str, bytes]]) -> Path:
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return path


def _template_case(name: str, what: str, make: Callable[[Path], None]) -> None:
    def prepare(folder: Path) -> list[str]:
        make(folder / "master.pptx")
        return build(folder, _theme_with(folder, "template", "master.pptx"))

    def command(folder: Path) -> list[str]:
        make(folder / "master.pptx")
        return ["template", str(folder / "master.pptx")]

    CASES.append(Case(f"template-{name}", "3 template", what + " (build)", prepare))
    CASES.append(Case(f"template-{name}-inspect", "3 template", what + " (`cardforge template`)", command))


def _edited(replace: dict[str, bytes | None]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        members = _members(_default_template())
        for name, data in replace.items():
            if data is None:
                members.pop(name, None)
            else:
                members[name] = data
        _zip(path, members)

    return make


def _layout_xml() -> bytes:
    return _members(_default_template())["ppt/slideLayouts/slideLayout6.xml"]


def _truncated(path: Path) -> None:
    data = _default_template().read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _bad_crc(path: Path) -> None:
    data = bytearray(_default_template().read_bytes())
    with zipfile.ZipFile(_default_template()) as archive:
        info = archive.getinfo("ppt/presentation.xml")
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    data[offset] ^= 0x55
    path.write_bytes(bytes(data))


def _encrypted(path: Path) -> None:
    data = bytearray(_default_template().read_bytes())
    position = 0
    while True:  # set the "encrypted" flag on every local and central header
        found = data.find(b"PK\x03\x04", position)
        if found < 0:
            break
        data[found + 6] |= 1
        position = found + 4
    position = 0
    while True:
        found = data.find(b"PK\x01\x02", position)
        if found < 0:
            break
        data[found + 8] |= 1
        position = found + 4
    path.write_bytes(bytes(data))


def _duplicate(path: Path) -> None:
    members = list(_members(_default_template()).items())
    members.append(("ppt/presentation.xml", b"<not-the-presentation/>"))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _zip(path, members)


_SIZE_RE = b'<p:sldSz cx="9144000" cy="6858000" type="screen4x3"/>'


def _presentation_with(sld_sz: bytes) -> bytes:
    return _members(_default_template())["ppt/presentation.xml"].replace(_SIZE_RE, sld_sz)


def _bomb() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    xml = _members(_default_template())["ppt/presentation.xml"].decode()
    head, _, body = xml.partition("?>")
    return f"{head}?><!DOCTYPE p:presentation [{entities}]>{body}".replace(
        "<p:sldMasterIdLst>", "<p:sldMasterIdLst>&a9;", 1
    ).encode()


def _external_entity() -> bytes:
    xml = _members(_default_template())["ppt/presentation.xml"].decode()
    head, _, body = xml.partition("?>")
    doctype = '<!DOCTYPE p:presentation [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return f"{head}?>{doctype}{body}".replace("<p:sldMasterIdLst>", "<p:sldMasterIdLst>&x;", 1).encode()


def _huge_part(path: Path) -> None:
    """A small zip whose theme part inflates to 2 GiB of zeros (streamed, never held)."""
    members = _members(_default_template())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            if name != "ppt/theme/theme1.xml":
                archive.writestr(name, data)
                continue
            with archive.open(name, "w", force_zip64=True) as handle:
                chunk = b"\0" * 2**24
                for _ in range(128):
                    handle.write(chunk)


def _external_links(path: Path) -> None:
    members = _members(_default_template())
    rels = members["ppt/slideLayouts/_rels/slideLayout6.xml.rels"].decode()
    extra = (
        '<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'hyperlink" Target="javascript:alert(1)" TargetMode="External"/>'
        '<Relationship Id="rId92" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'image" Target="file://attacker.example/share/x.png" TargetMode="External"/>'
        '<Relationship Id="rId93" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'image" Target="\\\\attacker.example\\share\\x.png" TargetMode="External"/>'
    )
    members["ppt/slideLayouts/_rels/slideLayout6.xml.rels"] = rels.replace(
        "</Relationships>", extra + "</Relationships>"
    ).encode()
    _zip(path, members)


_template_case("truncated", "a template cut off at two thirds", _truncated)
_template_case("bad-crc", "a template with a damaged member (bad CRC)", _bad_crc)
_template_case("encrypted", "a template whose members are marked encrypted", _encrypted)
_template_case("duplicate", "a template with a member given twice", _duplicate)
_template_case(
    "missing-layout", "a template whose Title Only layout part is missing",
    _edited({"ppt/slideLayouts/slideLayout6.xml": None}),
)  # fmt: skip
_template_case(
    "no-coordinates", "a template layout with a:off lacking x",
    _edited({"ppt/slideLayouts/slideLayout6.xml": _layout_xml().replace(b'<a:off x="0" y="0"/>', b"<a:off/>", 1)}),
)  # fmt: skip
_template_case(
    "text-coordinates", "a template layout with a:off x=\"left\"",
    _edited({"ppt/slideLayouts/slideLayout6.xml": _layout_xml().replace(b'<a:off x="0"', b'<a:off x="left"', 1)}),
)  # fmt: skip
_template_case(
    "zero-size", "a template whose slide size is 0x0",
    _edited({"ppt/presentation.xml": _presentation_with(b'<p:sldSz cx="0" cy="0"/>')}),
)  # fmt: skip
_template_case(
    "entity-bomb", "a template holding an XML entity bomb", _edited({"ppt/presentation.xml": _bomb()})
)
_template_case(
    "external-entity", "a template with an external XML entity",
    _edited({"ppt/presentation.xml": _external_entity()}),
)  # fmt: skip
_template_case("huge-part", "a 2 MB template holding a 2 GiB part", _huge_part)


def _external_output(folder: Path) -> str:
    output = folder / "out.pptx"
    if not output.exists():
        return "no output"
    with zipfile.ZipFile(output) as archive:
        rels = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".rels"))
    leaked = [t for t in (b"javascript:", b"file://", b"attacker.example") if t in rels]
    return f"output links to {', '.join(t.decode() for t in leaked)}" if leaked else "no external links"


CASES.append(
    Case(
        "template-external-links",
        "3 template",
        "template layout relating to javascript:, file: and UNC targets",
        lambda folder: (_external_links(folder / "master.pptx"),
                        build(folder, _theme_with(folder, "template", "master.pptx")))[1],
        inspect=_external_output,
    )
)  # fmt: skip


# 4. Output never replaces what it should not --------------------------------------------


def _output_onto(kind: str) -> Callable[[Path], list[str]]:
    def prepare(folder: Path) -> list[str]:
        deck = write(folder, "deck.yaml", SMALL)
        target = folder / "out.pptx"
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "symlink":
            write(folder, "precious.pptx", b"precious")
            target.symlink_to("precious.pptx")
        elif kind == "dir":
            target.mkdir()
        return ["build", str(deck), "-o", str(target)]

    return prepare


def _kind_of(path: Path) -> str:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return "missing"
    for test, name in ((stat.S_ISLNK, "symlink"), (stat.S_ISFIFO, "fifo"), (stat.S_ISDIR, "dir"),
                       (stat.S_ISREG, "file")):  # fmt: skip
        if test(mode):
            return name
    return "other"


for _kind in ("fifo", "symlink", "dir"):
    CASES.append(
        Case(
            f"output-onto-{_kind}",
            "4 output",
            f"`-o` naming a {_kind}",
            _output_onto(_kind),
            inspect=lambda folder, kind=_kind: (
                f"out.pptx is now a {_kind_of(folder / 'out.pptx')}"
                + (
                    f", precious.pptx {(folder / 'precious.pptx').read_bytes()[:8]!r}"
                    if kind == "symlink"
                    else ""
                )
            ),
        )
    )


def _schema_onto_fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "null")
    return ["schema", "-o", str(folder / "null")]


CASES.append(
    Case("schema-onto-fifo", "4 output", "`schema -o` naming a FIFO (stands for /dev/null)", _schema_onto_fifo,
         inspect=lambda folder: f"null is now a {_kind_of(folder / 'null')}")
)  # fmt: skip


def _print_beside(folder: Path) -> list[str]:
    deck = write(folder, "deck.yaml", SMALL)
    write(folder, ".cards.cards.pptx", b"the user's own file")
    return ["print", str(deck), "-o", str(folder / "cards.pdf")]


CASES.append(
    Case("print-intermediate", "4 output", "`print -o cards.pdf` beside a user's .cards.cards.pptx",
         _print_beside,
         inspect=lambda folder: ".cards.cards.pptx kept" if (folder / ".cards.cards.pptx").exists()
         else ".cards.cards.pptx DELETED")
)  # fmt: skip


def _markdown_collide(folder: Path) -> list[str]:
    text = (
        "cardforge: 1\ntitle: t\npersonas:\n"
        "  - {id: P.1, name: A}\n  - {id: P-1, name: B}\n  - {id: README, name: C}\n"
        "  - {id: Café, name: D}\n  - {id: Cafe, name: E}\n  - {id: P_1, name: F}\n"
    )
    return ["markdown", str(write(folder, "deck.yaml", text)), "-o", str(folder / "md")]


CASES.append(
    Case("markdown-collisions", "4 output", "Markdown export of ids P.1, P-1, README, Café, Cafe, P_1",
         _markdown_collide,
         inspect=lambda folder: f"{len(list((folder / 'md').glob('*.md')))} files for 6 personas + index"
         if (folder / "md").exists() else "no folder")
)  # fmt: skip


# 5. Signals --------------------------------------------------------------------------------


def _big_deck(folder: Path, *more: str) -> list[str]:
    deck = write(folder, "deck.yaml", generated_deck(1000))
    write(folder, "out.pptx", b"old output")
    return build(folder, deck, *more)


def _send(sig: int, after: float, group: bool) -> Callable[[subprocess.Popen, Path], None]:
    """Send *sig* once the temporary output appears, and *after* seconds more: to the whole
    process group as a terminal does (Ctrl-C, a closed terminal), or to cardforge alone as
    a supervisor does (SIGTERM)."""

    def drive(process: subprocess.Popen, folder: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if list(folder.glob(".out.pptx.*")) or list(folder.glob("*.tmp")):
                break
            time.sleep(0.01)
        time.sleep(after)
        if process.poll() is None:
            (os.killpg if group else os.kill)(process.pid, sig)

    return drive


def _leftovers(folder: Path) -> str:
    extra = sorted(p.name for p in folder.iterdir() if p.name not in ("deck.yaml", "out.pptx"))
    old = (folder / "out.pptx").read_bytes() == b"old output" if (folder / "out.pptx").exists() else False
    return f"old output {'intact' if old else 'replaced or lost'}; left: {', '.join(extra) or 'nothing'}"


for _sig, _group in ((signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGHUP, True)):
    CASES.append(
        Case(
            f"signal-{_sig.name}",
            "5 signals",
            f"{_sig.name} to {'the process group' if _group else 'cardforge'} while a 1000-persona deck "
            "is written on two cores",
            _big_deck,
            inspect=_leftovers,
            drive=_send(_sig, 0.3, _group),
        )
    )


def _pdf_signal(folder: Path) -> list[str]:
    (folder / "tmp").mkdir()  # the case's own TMPDIR, so that leftovers are its own
    return _big_deck(folder, "--pdf")


def _lo_leftovers(folder: Path) -> str:
    left = sorted(p.name for p in (folder / "tmp").iterdir())
    extra = sorted(p.name for p in folder.iterdir() if p.name not in ("deck.yaml", "out.pptx", "tmp"))
    return (
        f"{', '.join(extra) or 'nothing'} beside the output; temporary folder: {', '.join(left) or 'empty'}"
    )


def _send_when_converting(sig: int) -> Callable[[subprocess.Popen, Path], None]:
    def drive(process: subprocess.Popen, folder: Path) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if list((folder / "tmp").glob("cardforge-lo-*/profile")):
                break
            time.sleep(0.05)
        time.sleep(1.0)
        if process.poll() is None:
            os.kill(process.pid, sig)

    return drive


CASES.append(
    Case("signal-SIGTERM-pdf", "5 signals", "SIGTERM to cardforge while LibreOffice converts (--pdf)",
         _pdf_signal, inspect=_lo_leftovers, drive=_send_when_converting(signal.SIGTERM),
         env={"TMPDIR": "{folder}/tmp"})
)  # fmt: skip


# 8. Every value inside its valid range -----------------------------------------------------


def _negative_extents(folder: Path) -> str:
    import re

    output = folder / "out.pptx"
    if not output.exists():
        return "no output"
    with zipfile.ZipFile(output) as archive:
        slides = [archive.read(n) for n in archive.namelist() if n.startswith("ppt/slides/slide")]
    negative = sum(len(re.findall(rb'(?:cx|cy|x|y)="-', xml)) for xml in slides)
    return f"{negative} negative coordinates or extents"


def _small_slide(folder: Path) -> list[str]:
    return build(folder, _theme_with(folder, "slide_size", "60x60mm", FULL))


CASES.append(Case("slide-size-60mm", "8 range", "a theme with slide_size 60x60mm (every section)", _small_slide,
                  inspect=_negative_extents))  # fmt: skip


def _late_epoch(folder: Path) -> list[str]:
    return build(folder, write(folder, "deck.yaml", SMALL))


CASES.append(Case("epoch-2200", "8 range", "SOURCE_DATE_EPOCH in the year 2200", _late_epoch,
                  env={"SOURCE_DATE_EPOCH": "7258118400"}))  # fmt: skip


@case("damaged-font", "8 range", "a theme font file with a TrueType signature and garbage after it")
def _damaged_font(folder: Path) -> list[str]:
    write(folder, "f.ttf", b"\x00\x01\x00\x00" + b"\xff" * 200)
    return build(folder, _theme_with(folder, "font", "f.ttf"))


@case("print-only-comma", "8 range", "`print --only ,`")
def _print_only_comma(folder: Path) -> list[str]:
    return ["print", str(write(folder, "deck.yaml", SMALL)), "-o", str(folder / "c.pptx"), "--only", ","]


# 9. Messages name the real thing -----------------------------------------------------------


def _write_error(folder: Path) -> list[str]:
    return build(folder, write(folder, "deck.yaml", SMALL))


CASES.append(Case("write-error", "9 message", "the disk fills while writing (a 16 KB file size limit)",
                  _write_error, env={"CARDFORGE_HOSTILE_FSIZE": str(16 * 1024)}))  # fmt: skip


@case("extends-chain", "9 message", "a chain of 12 themes, each extending the next")
def _extends_chain(folder: Path) -> list[str]:
    for i in range(12):
        parent = f"t{i + 1}.yaml" if i < 11 else "default"
        write(folder, f"t{i}.yaml", f"cardforge_theme: 1\nname: t{i}\nextends: {parent}\n")
    return build(folder, write(folder, "deck.yaml", SMALL.replace("slides:", "theme: t0.yaml\nslides:")))


@case("bleed-nan", "9 message", "`print --bleed nan`")
def _bleed_nan(folder: Path) -> list[str]:
    return ["print", str(write(folder, "deck.yaml", SMALL)), "-o", str(folder / "c.pptx"), "--bleed", "nan"]


@case("deck-is-fifo-message", "9 message", "a FIFO as the deck (message)")
def _fifo_message(folder: Path) -> list[str]:
    os.mkfifo(folder / "deck.yaml")
    return ["validate", str(folder / "deck.yaml")]


@case("theme-is-folder", "9 message", "a folder as the theme file")
def _theme_folder(folder: Path) -> list[str]:
    (folder / "t.yaml").mkdir()
    return build(folder, write(folder, "deck.yaml", SMALL.replace("slides:", "theme: t.yaml\nslides:")))


@case("utf32", "9 message", "a UTF-32 deck")
def _utf32(folder: Path) -> list[str]:
    return build(folder, write(folder, "deck.yaml", SMALL.encode("utf-32")))


@case("huge-key", "9 message", "one 1.5 MB unknown key")
def _huge_key(folder: Path) -> list[str]:
    return ["validate", str(write(folder, "deck.yaml", SMALL + "? " + "k" * 1_500_000 + "\n: 1\n"))]


@case("unknown-key-flood", "9 message", "150k unknown keys")
def _key_flood(folder: Path) -> list[str]:
    keys = "".join(f", k{i}: 1" for i in range(150_000))
    text = f"cardforge: 1\ntitle: t\npersonas: [{{id: P1, name: N{keys}}}]\n"
    return ["validate", str(write(folder, "deck.yaml", text))]


# Running -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    seconds: float
    peak_mb: float
    status: str
    said: str
    note: str
    output_bytes: int


def run(one: Case, timeout: float) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="cardforge-hostile-") as work:
        folder = Path(work)
        argv = one.prepare(folder)
        env = {**os.environ, **{key: value.format(folder=folder) for key, value in one.env.items()}}
        start = time.perf_counter()
        process = subprocess.Popen(
            CARDFORGE + argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            preexec_fn=_limits(one.env),
        )
        sampler = _Sampler(process.pid)
        sampler.start()
        if one.drive:
            one.drive(process, folder)
        try:
            out, err = process.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            timed_out = True
        seconds = time.perf_counter() - start
        sampler.running = False
        sampler.join()
        usage = sampler.peak_mb
        time.sleep(0.2)  # a lingering helper shows itself now
        lingering = _lingering(process.pid)
        if lingering:
            os.killpg(process.pid, signal.SIGKILL)
        code = process.returncode
        status = (
            f"killed after {timeout:.0f} s"
            if timed_out
            else (f"signal {-code}" if code < 0 else f"exit {code}")
        )
        if lingering:
            status += f", {lingering} process left running"
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        said = lines[0] if lines else ""
        if len(err) > 10_000:
            said = f"[{len(err):,} bytes on stderr] " + said
        note = one.inspect(folder) if one.inspect else ""
        for path in folder.rglob("*"):
            with _ignored():
                path.parent.chmod(0o755)
        return Outcome(seconds, usage, status, said[:160], note, len(out))


class _ignored:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


MEMORY_LIMIT = [8 * 2**30]
"""Address space a case may take (--memory-limit): an unbounded read of /dev/zero must not
take the machine with it."""


def _limits(env: dict[str, str]) -> Callable[[], None]:
    """The child's limits: its address space, and a file size limit standing in for a full
    disk (root ignores permissions)."""
    size = env.get("CARDFORGE_HOSTILE_FSIZE")

    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT[0], MEMORY_LIMIT[0]))
        if size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (int(size), int(size)))

    return apply


class _Sampler(threading.Thread):
    """The largest resident set (VmHWM) of any process of the case's session, sampled."""

    def __init__(self, session: int):
        super().__init__(daemon=True)
        self.session = session
        self.running = True
        self.peaks: dict[int, int] = {}

    def run(self) -> None:
        while self.running:
            for pid in _session_pids(self.session):
                with _ignored():
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))
            time.sleep(0.02)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks.values(), default=0) / 1024


def _session_pids(session: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with _ignored():
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session and fields[0] != "Z":
                found.append(int(proc.name))
    return found


def _lingering(session: int) -> int:
    return len(_session_pids(session))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--group")
    parser.add_argument("--memory-limit", type=float, default=8, help="GiB of address space per case")
    args = parser.parse_args()
    MEMORY_LIMIT[0] = int(args.memory_limit * 2**30)
    chosen = [c for c in CASES if (not args.names or c.name in args.names)
              and (not args.group or c.group.startswith(args.group))]  # fmt: skip
    print("| case | what | time | peak MB | outcome | first line said | note |")
    print("| --- | --- | ---: | ---: | --- | --- | --- |")
    for one in chosen:
        result = run(one, args.timeout)
        peak = f"{result.peak_mb:.0f}"
        said = result.said.replace("|", "\\|")
        print(
            f"| {one.name} | {one.what} | {result.seconds:.2f} s | {peak} | {result.status} | {said} "
            f"| {result.note} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
