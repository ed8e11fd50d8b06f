"""Decks that hold up inside people's own templates and tools.

- Text no template reflows: every run pins what changes its width (capitals, letter spacing,
  raised text, underline, kerning), so a master whose title style sets capitals and wide
  spacing changes nothing on the slides (the markup is the same; LibreOffice draws the same).
- Header and footer the PowerPoint way: the footer text and the slide number are the
  layout's footer and slide-number placeholders (Insert > Header & Footer finds them where
  they are), read last, and clear of each other and of the logo.
- The deck's language on every run, on the masters and on the default text style; right to
  left where the text is.
- Print sheets and handouts carry the deck's theme part, as any build does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

import cardforge
from cardforge.api import build_handout, build_print
from cardforge.diagnostics import Report
from checks import NS, boxes, slide_xml

ROOT = Path(__file__).resolve().parent.parent
MLOPS = ROOT / "decks" / "mlops.yaml"
PPTX_TEMPLATE = Path(__import__("pptx").__file__).parent / "templates" / "default.pptx"
A, P = NS["a"], NS["p"]
PINNED = {"kern": {"0"}, "cap": {"none"}, "spc": {"0"}, "baseline": {"0"}, "u": {"none", "sng"}}
"""What every run states, as cardforge measured it."""


def _rewrite(source: Path, target: Path, changes: dict[str, Callable[[str], str]]) -> Path:
    """*source* copied to *target*, each part named in *changes* passed through its change."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename in changes:
                data = changes[item.filename](data.decode("utf-8")).encode("utf-8")
            new.writestr(item, data)
    return target


def _shouting(style: str) -> Callable[[str], str]:
    """A change that gives every default run style of a part *style*, and kerning."""

    def change(xml: str) -> str:
        xml = re.sub(r"<a:defRPr(?![^>]*cap=)", f"<a:defRPr {style}", xml)
        return xml.replace('kern="1200"', 'kern="0"')

    return change


CAPITALS = 'cap="all" spc="1000" u="sng"'
"""Capitals, 10 pt letter spacing and underlining: what a corporate template's title style may set."""
RAISED = 'cap="small" spc="-300" baseline="30000"'


def capitals_template(folder: Path, style: str = CAPITALS, name: str = "capitals") -> Path:
    """PowerPoint's blank template with *style* in the master's title, body and other styles
    and in the presentation's default text style."""
    change = _shouting(style)
    return _rewrite(
        PPTX_TEMPLATE,
        folder / f"{name}-template.pptx",
        {"ppt/slideMasters/slideMaster1.xml": change, "ppt/presentation.xml": change},
    )


def _theme(folder: Path, template: Path, name: str) -> Path:
    theme = folder / f"{name}.yaml"
    theme.write_text(f"cardforge_theme: 1\nname: {name}\nextends: default\ntemplate: {template.name}\n")
    return theme


def _build_on(folder: Path, template: Path, name: str) -> Path:
    """The example deck built on *template* (a theme of its own, beside a copy of the deck)."""
    _theme(folder, template, name)
    deck = cardforge.load_deck(shutil.copy(MLOPS, folder / "mlops.yaml"), theme=f"{name}.yaml")
    output = folder / f"{name}-deck.pptx"
    cardforge.build(deck, output)
    return output


def _slide_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n.startswith("ppt/slides/")}


@pytest.fixture(scope="module")
def on_templates(tmp_path_factory) -> tuple[Path, Path]:
    """The example deck built on PowerPoint's blank template, and on the same template with
    capitals and letter spacing everywhere."""
    folder = tmp_path_factory.mktemp("templates")
    plain = shutil.copy(PPTX_TEMPLATE, folder / "plain-template.pptx")
    return _build_on(folder, Path(plain), "plain"), _build_on(folder, capitals_template(folder), "capitals")


def test_every_run_pins_what_changes_its_width(built):
    for name in ("mlops-default", "mixed-script"):
        for part, root in slide_xml(built(name).pptx):
            for props in root.iter(f"{{{A}}}rPr"):
                stated = {key: props.get(key) for key in PINNED}
                assert all(stated[key] in PINNED[key] for key in PINNED), (name, part, stated)


def test_a_template_with_capitals_and_letter_spacing_changes_nothing_on_the_slides(on_templates):
    """The master's styles are the template's own; the slides, which state everything they
    measured, are the same bytes as on the plain template."""
    plain, capitals = on_templates
    with zipfile.ZipFile(capitals) as package:
        master = package.read("ppt/slideMasters/slideMaster1.xml").decode("utf-8")
    assert 'cap="all"' in master and 'spc="1000"' in master  # the template is as hostile as meant
    assert _slide_parts(plain) == _slide_parts(capitals)


def test_a_template_with_raised_small_capitals_changes_nothing_on_the_slides(on_templates, tmp_path):
    """The same for small capitals, tight spacing and raised text. (LibreOffice reads a run's
    ``baseline`` only when it is not 0, so it draws such a template's text raised and small
    whatever the run says; PowerPoint takes the run's 0.)"""
    raised = _build_on(tmp_path, capitals_template(tmp_path, RAISED, "raised"), "raised")
    assert _slide_parts(on_templates[0]) == _slide_parts(raised)


@pytest.mark.slow
def test_a_template_with_capitals_and_letter_spacing_draws_the_same_words_in_the_same_places(
    on_templates, tmp_path
):
    """LibreOffice applies a master's capitals and letter spacing to text that does not
    say otherwise: drawn on both templates, every word of every slide is the same and in
    the same place (within half a point)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-impress)")
    pages = [_words(_pdf(path, tmp_path)) for path in on_templates]
    assert len(pages[0]) == len(pages[1])
    for number, (plain, capitals) in enumerate(zip(*pages), start=1):
        assert [w[0] for w in plain] == [w[0] for w in capitals], number
        moved = [
            (a, b) for a, b in zip(plain, capitals) if max(abs(x - y) for x, y in zip(a[1:], b[1:])) > 0.5
        ]
        assert not moved, (number, moved[:5])
    titles = [w for w in pages[1][3] if w[2] < 60]  # the first card's title, in its band
    assert " ".join(w[0] for w in titles) == "AI Data Engineer (P001 | Dark Blue)"


def _pdf(pptx: Path, folder: Path) -> Path:
    out = folder / pptx.stem
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(pptx),
        ],
        capture_output=True,
        timeout=600,
        check=True,
    )
    return out / f"{pptx.stem}.pdf"


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, every word LibreOffice drew with its box in points."""
    layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(layout, etree.XMLParser(recover=True))
    return [
        [
            (w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter("{*}word")
        ]
        for page in root.iter("{*}page")
    ]


# --- Header and footer ---------------------------------------------------------------------


def _placeholders(root: etree._Element, kind: str) -> list[etree._Element]:
    return [
        sp
        for sp in root.iter(f"{{{P}}}sp")
        if sp.find(f"p:nvSpPr/p:nvPr/p:ph[@type='{kind}']", NS) is not None
    ]


def _layout_indexes(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        rels = etree.fromstring(package.read("ppt/slides/_rels/slide1.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Type", "").endswith("/slideLayout"))
        layout = etree.fromstring(package.read("ppt/slideLayouts/" + target.rsplit("/", 1)[1]))
    return {
        ph.get("type"): ph.get("idx")
        for ph in layout.iter(f"{{{P}}}ph")
        if ph.get("type") in ("ftr", "sldNum")
    }


def test_footer_and_slide_number_are_the_layouts_placeholders_read_last(built):
    """Insert > Header & Footer finds the footer and the slide number on every slide, where
    cardforge put them, so turning slide numbers on adds nothing on top of the page label."""
    path = built("mlops-contoso").pptx
    indexes = _layout_indexes(path)
    for number, (part, root) in enumerate(slide_xml(path), start=1):
        footer, page = _placeholders(root, "ftr"), _placeholders(root, "sldNum")
        assert len(footer) == 1 and len(page) == 1, part
        assert "".join(t.text for t in footer[0].iter(f"{{{A}}}t")) == "Contoso - Internal"
        field = page[0].find(".//a:fld[@type='slidenum']", NS)
        assert field is not None and field.findtext("a:t", namespaces=NS) == str(number), part
        for shape, kind in ((footer[0], "ftr"), (page[0], "sldNum")):
            assert shape.find("p:nvSpPr/p:nvPr/p:ph", NS).get("idx") == indexes[kind], part
        drawn = [e for e in root.find("p:cSld/p:spTree", NS) if etree.QName(e).localname in ("sp", "pic")]
        assert drawn[-2:] == [footer[0], page[0]], f"{part}: the footer is not read last"


def test_the_footer_ends_before_the_page_label_which_ends_before_the_logo(built):
    path = built("mlops-contoso").pptx
    for part, root in slide_xml(path):
        found = {box.name: box for box in boxes(root) if box.name in ("Footer", "Page", "Logo")}
        assert set(found) == {"Footer", "Page", "Logo"}, part
        footer, page, logo = found["Footer"], found["Page"], found["Logo"]
        assert footer.x + footer.w < page.x and page.x + page.w < logo.x, part


def test_a_template_with_its_own_placeholder_indexes_is_followed(tmp_path):
    def renumber(xml: str) -> str:
        return xml.replace('type="ftr" sz="quarter" idx="11"', 'type="ftr" sz="quarter" idx="31"').replace(
            'type="sldNum" sz="quarter" idx="12"', 'type="sldNum" sz="quarter" idx="32"'
        )

    layouts = [f"ppt/slideLayouts/slideLayout{n}.xml" for n in range(1, 12)]
    template = _rewrite(PPTX_TEMPLATE, tmp_path / "renumbered.pptx", dict.fromkeys(layouts, renumber))
    output = _build_on(tmp_path, template, "renumbered")
    for part, root in slide_xml(output):
        assert _placeholders(root, "ftr")[0].find(".//p:ph", NS).get("idx") == "31", part
        assert _placeholders(root, "sldNum")[0].find(".//p:ph", NS).get("idx") == "32", part


# --- Language -----------------------------------------------------------------------------


def _parts(path: Path, prefixes: tuple[str, ...]) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as package:
        return {
            n: etree.fromstring(package.read(n))
            for n in package.namelist()
            if n.startswith(prefixes) and n.endswith(".xml") and "/_rels/" not in n
        }


def test_the_decks_language_is_on_every_run_the_masters_and_the_default_text_style(built):
    path = built("mixed-script").pptx  # language: fi
    parts = _parts(
        path,
        ("ppt/slides/", "ppt/slideMasters/", "ppt/slideLayouts/", "ppt/notesMasters/", "ppt/notesSlides/"),
    )
    parts |= _parts(path, ("ppt/presentation.xml",))
    for name, root in parts.items():
        for props in root.iter(f"{{{A}}}rPr", f"{{{A}}}endParaRPr", f"{{{A}}}defRPr"):
            assert props.get("lang") == "fi", (name, etree.tostring(props)[:120])
    styles = [parts["ppt/presentation.xml"].find("p:defaultTextStyle", NS)]
    styles += list(parts["ppt/slideMasters/slideMaster1.xml"].find("p:txStyles", NS))
    for style in styles:
        for level in style:
            assert level.find("a:defRPr", NS).get("lang") == "fi", etree.QName(level).localname


def test_right_to_left_text_is_set_right_to_left(built):
    """In the mixed-script deck, a paragraph that starts in Arabic is right to left; the rest
    (Finnish, Chinese, Hindi, German) are not."""
    arabic = re.compile("[\u0600-\u06ff]")
    seen = 0
    for part, root in slide_xml(built("mixed-script").pptx):
        for paragraph in root.iter(f"{{{A}}}p"):
            text = "".join(t.text or "" for t in paragraph.iter(f"{{{A}}}t")).strip()
            settings = paragraph.find("a:pPr", NS)
            if not text or settings is None:
                continue
            first = next((c for c in text if c.isalpha()), "")
            expected = "1" if arabic.match(first) else "0"
            seen += expected == "1"
            assert settings.get("rtl") == expected, (part, text[:40])
    assert seen >= 3


def test_a_right_to_left_language_makes_the_masters_right_to_left(write_deck, tmp_path):
    path = write_deck(
        "cardforge: 1\ntitle: بطاقات\nlanguage: ar\npersonas: [{id: P1, name: مهندس البيانات}]\n"
    )
    output = tmp_path / "ar.pptx"
    cardforge.build(cardforge.load_deck(path), output)
    parts = _parts(output, ("ppt/slideMasters/slideMaster1.xml", "ppt/presentation.xml"))
    levels = list(parts["ppt/presentation.xml"].find("p:defaultTextStyle", NS))
    levels += [
        level
        for style in parts["ppt/slideMasters/slideMaster1.xml"].find("p:txStyles", NS)
        for level in style
    ]
    assert levels and all(
        level.get("rtl") == "1" and level.find("a:defRPr", NS).get("lang") == "ar" for level in levels
    )


# --- Print decks ------------------------------------------------------------------------------


def _scheme(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("ppt/theme/theme1.xml"))
    return b"".join(etree.tostring(root.find(f".//a:{tag}", NS)) for tag in ("clrScheme", "fontScheme"))


def test_print_sheets_and_handouts_carry_the_decks_theme(tmp_path):
    deck = cardforge.load_deck(MLOPS, theme="contoso")
    cardforge.build(deck, tmp_path / "deck.pptx")
    build_print(deck, deck.personas, deck.print_options, tmp_path / "cards.pptx", Report())
    build_handout(deck, deck.personas[:2], "A4", tmp_path / "handout.pptx", Report())
    theme = _scheme(tmp_path / "deck.pptx")
    assert b"Contoso" in theme or deck.theme.accent.encode() in theme
    assert _scheme(tmp_path / "cards.pptx") == theme
    assert _scheme(tmp_path / "handout.pptx") == theme
