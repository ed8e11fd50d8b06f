"""Checks on generated .pptx files that schemas do not make: ids, glue, geometry, links."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "ooxml-schemas"


@dataclass
class Box:
    name: str
    x: int
    y: int
    w: int
    h: int
    kind: str
    text: str

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


def slide_xml(path: Path) -> list[tuple[str, etree._Element]]:
    """Every slide part of *path*, in presentation order, as (part name, root)."""
    with zipfile.ZipFile(path) as package:
        names = sorted(
            (n for n in package.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")),
            key=lambda n: int(n[len("ppt/slides/slide") : -4]),
        )
        return [(name, etree.fromstring(package.read(name))) for name in names]


def slide_size(path: Path) -> tuple[int, int]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("ppt/presentation.xml"))
    size = root.find("p:sldSz", NS)
    return int(size.get("cx")), int(size.get("cy"))


def boxes(root: etree._Element) -> list[Box]:
    found = []
    for element in root.iter(
        f"{{{NS['p']}}}sp", f"{{{NS['p']}}}pic", f"{{{NS['p']}}}cxnSp", f"{{{NS['p']}}}graphicFrame"
    ):
        name = element.find(".//p:cNvPr", NS).get("name")
        xfrm = element.find("p:spPr/a:xfrm", NS)
        if xfrm is None:
            xfrm = element.find("p:xfrm", NS)
        off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(f"{{{NS['a']}}}t")) for p in element.iter(f"{{{NS['a']}}}p")
        )
        kind = etree.QName(element).localname
        if element.find("p:nvSpPr/p:cNvSpPr[@txBox='1']", NS) is not None:
            kind = "textbox"
        elif element.find(".//p:ph", NS) is not None:
            kind = "title"
        x, y, w, h = int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
        if round(int(xfrm.get("rot", "0")) / 5400000) % 2:  # a quarter turn: drawn across its box
            x, y, w, h = x + (w - h) // 2, y + (h - w) // 2, h, w
        found.append(Box(name, x, y, w, h, kind, text))
    return found


def structural_problems(path: Path) -> list[str]:
    """What PowerPoint would repair or choke on, beyond schema validity."""
    problems = []
    width, height = slide_size(path)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for name in sorted(names):
            if name.endswith(".rels"):
                problems += _relationship_problems(package, name, names)
    for name, root in slide_xml(path):
        ids = [int(e.get("id")) for e in root.iter(f"{{{NS['p']}}}cNvPr")]
        if len(ids) != len(set(ids)):
            problems.append(f"{name}: duplicate shape ids")
        for tag in ("a:stCxn", "a:endCxn"):
            for end in root.iter(f"{{{NS['a']}}}{tag[2:]}"):
                if int(end.get("id")) not in ids:
                    problems.append(f"{name}: connector end on missing shape {end.get('id')}")
        for element in root.iter(f"{{{NS['a']}}}off", f"{{{NS['a']}}}ext"):
            if etree.QName(element.getparent()).localname != "xfrm":
                continue  # an extension (a:extLst/a:ext), not an extent
            for key, value in element.attrib.items():
                if not value.lstrip("-").isdigit():
                    problems.append(f"{name}: non-integer coordinate {value}")
                elif key in ("cx", "cy") and int(value) < 0:
                    problems.append(f"{name}: negative size {key}={value}")
        for box in boxes(root):
            if box.x < 0 or box.y < 0 or box.x + box.w > width or box.y + box.h > height:
                problems.append(f"{name}: {box.name} leaves the slide")
        if any(not (t.text or "") for t in root.iter(f"{{{NS['a']}}}t")):
            problems.append(f"{name}: an empty text run (LibreOffice draws its line at the default size)")
        for table in root.iter(f"{{{NS['a']}}}tbl"):
            columns = len(table.findall("a:tblGrid/a:gridCol", NS))
            for row in table.findall("a:tr", NS):
                if len(row.findall("a:tc", NS)) != columns:
                    problems.append(f"{name}: a table row does not match the grid")
    return problems


def _relationship_problems(package: zipfile.ZipFile, rels_name: str, names: set[str]) -> list[str]:
    problems = []
    root = etree.fromstring(package.read(rels_name))
    base = rels_name.replace("_rels/", "").removesuffix(".rels")
    folder = base.rsplit("/", 1)[0] if "/" in base else ""
    for rel in root.iter(f"{REL_NS}Relationship"):
        target = rel.get("Target")
        if rel.get("TargetMode") == "External":
            scheme = target.split(":", 1)[0].lower()
            if scheme not in ("https", "http", "mailto"):
                problems.append(f"{rels_name}: link with scheme {scheme}")
            if len(target) > 2048:
                problems.append(f"{rels_name}: link longer than 2048 characters")
            continue
        resolved = _join(folder, target)
        if resolved not in names:
            problems.append(f"{rels_name}: target {target} is missing")
    return problems


def _join(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def schema_errors(path: Path) -> list[str]:
    """Presentation, slide, layout, master and notes parts that do not validate against ECMA-376."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "transitional" / "pml.xsd")))
    errors = []
    prefixes = (
        "ppt/slides/",
        "ppt/slideLayouts/",
        "ppt/slideMasters/",
        "ppt/notesSlides/",
        "ppt/notesMasters/",
    )
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            checked = (name.startswith(prefixes) and name.endswith(".xml")) or name == "ppt/presentation.xml"
            if checked and not schema.validate(etree.fromstring(package.read(name))):
                errors.append(f"{name}: {schema.error_log.last_error}")
    return errors


def audit_errors(path: Path) -> list[str]:
    """Errors openxml-audit (a port of the Open XML SDK validator) reports."""
    exe = shutil.which("openxml-audit")
    result = subprocess.run([exe, "-o", "json", str(path)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)[0]
    return [json.dumps(e) for e in report["errors"]]


def overflow_findings(path: Path) -> list[str]:
    """Text-does-not-fit findings of ooxml-integrity's independent layout check."""
    exe = shutil.which("ooxml-integrity")
    result = subprocess.run(
        [exe, "check", "--json", "--no-config", str(path)], capture_output=True, text=True, timeout=300
    )
    data = json.loads(result.stdout)
    return [json.dumps(f) for f in _findings(data)]


def _findings(data) -> list:
    if isinstance(data, dict):
        if "findings" in data:
            return list(data["findings"])
        return [f for value in data.values() for f in _findings(value)]
    if isinstance(data, list):
        return [f for item in data for f in _findings(item)]
    return []


def card_slides(prs) -> list:
    """The persona card slides of an opened presentation, in order."""
    return [s for s in prs.slides if any(shape.name.endswith(":band") for shape in s.shapes)]


def run_cli(argv: list[str]) -> int:
    """Run the ``cardforge`` command in this process; its exit status."""
    from cardforge.cli import main

    try:
        main(argv)
    except SystemExit as exit_info:
        return int(exit_info.code or 0)
    return 0
