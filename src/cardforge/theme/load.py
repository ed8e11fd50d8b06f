"""Read theme files (with ``extends:``) into a :class:`Theme`, reporting every problem."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import limits
from ..diagnostics import Position, Report, did_you_mean
from ..paths import FileProblem, UserFile, assets_dirs, read_user_file, resolve_user_path, themes_dirs
from ..spec.theme import ThemeSpec
from ..spec.validate import validate
from ..spec.yamlread import Document, read_yaml
from ..text.measure import builtin_table_for, nearest_table
from .contrast import MIN_CONTRAST, best_contrast
from .images import check_image
from .model import Font, SlideSize, Theme, parse_slide_size, slide_size_problem

STAND_IN_NAMES = {"calibri": "Calibri", "arial": "Arial", "times": "Times New Roman"}

MAX_EXTENDS = 8


def builtin_theme_names() -> list[str]:
    names: dict[str, None] = {}
    for folder in themes_dirs():
        for path in sorted(folder.glob("*.yaml")):
            names.setdefault(path.stem, None)
    return list(names)


def builtin_theme_path(name: str) -> Path | None:
    for folder in themes_dirs():
        path = folder / f"{name}.yaml"
        if path.is_file():
            return path
    return None


def looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.lower().endswith((".yaml", ".yml"))


def load_theme(ref: str, base_dir: Path, file: str, position: Position, report: Report) -> Theme | None:
    """Load the theme a deck names: a built-in name, or a path relative to *base_dir*."""
    found = _locate(ref, base_dir, file, position, report)
    if found is None:
        return None
    return _load_chain(found, report, seen=())


def _locate(ref: str, base_dir: Path, file: str, position: Position, report: Report) -> UserFile | None:
    """The theme file *ref* names, read (a built-in theme, or a file beside *file*)."""
    if looks_like_path(ref):
        path, why = resolve_user_path(ref, base_dir)
        if path is None:
            report.error(file, position, why, "CF407")
            return None
        return read_asset(path, ref, limits.THEME_BYTES, [base_dir], file, position, report, "theme file ")
    path = builtin_theme_path(ref)
    if path is None:
        names = builtin_theme_names()
        hint = did_you_mean(ref, names) or f"; built-in themes: {', '.join(names)}"
        report.error(file, position, f"unknown theme `{ref}`{hint}", "CF405")
        return None
    return read_asset(path, ref, limits.THEME_BYTES, themes_dirs(), file, position, report, "theme ")


def read_asset(
    path: Path,
    text: str,
    limit: int,
    roots: list[Path],
    file: str,
    position: Position,
    report: Report,
    noun: str = "",
) -> UserFile | None:
    """Read the file *path* (named *text* at *position* in *file*), or report why not.

    The file is opened once and checked as opened: a regular file, at most *limit* bytes,
    inside *roots*. Its bytes are what the deck uses from then on.
    """
    try:
        return read_user_file(path, limit, roots=roots, shown=text)
    except FileProblem as problem:
        message = str(problem)
        if problem.kind == "missing":
            message = f"{noun}`{text}` does not exist (looked in {path.parent})"
        code = {"size": "CF410", "unreadable": "CF401"}.get(problem.kind, "CF407")
        report.error(file, position, message, code)
        return None


def _load_chain(found: UserFile, report: Report, seen: tuple[Path, ...]) -> Theme | None:
    path = found.path
    file = str(path)
    local = Report()
    document = read_yaml(found.data, file, local)
    spec = validate(document, ThemeSpec, local) if document else None
    report.extend(local)
    if spec is None or document is None:
        return None
    base: Theme | None = Theme(name=spec.name)
    if spec.extends:
        base = _load_parent(spec.extends, path, document, report, seen)
    if base is None:
        return None
    return _apply(spec, base, path, document, report)


def _load_parent(
    ref: str, path: Path, document: Document, report: Report, seen: tuple[Path, ...]
) -> Theme | None:
    position = document.position(("extends",))
    parent = _locate(ref, path.parent, str(path), position, report)
    if parent is None:
        return None
    chain = (*seen, path.resolve())
    if parent.path.resolve() in chain:
        report.error(str(path), position, f"`extends: {ref}` makes a loop of themes", "CF408")
        return None
    if len(chain) > MAX_EXTENDS:
        report.error(
            str(path),
            position,
            f"`extends: {ref}` makes a chain of more than {MAX_EXTENDS + 1} themes; "
            f"a theme may build on at most {MAX_EXTENDS} others in a row",
            "CF410",
        )
        return None
    return _load_chain(parent, report, chain)


def _apply(spec: ThemeSpec, base: Theme, path: Path, document: Document, report: Report) -> Theme:
    file = str(path)
    theme = replace(
        base,
        name=spec.name,
        description=spec.description or base.description,
        source=path,
        files=(*base.files, path),
    )
    if spec.slide_size:
        size = parse_slide_size(spec.slide_size)
        problem = slide_size_problem(size) if size is not None else ""
        if size is None:
            report.error(
                file,
                document.position(("slide_size",)),
                f"`{spec.slide_size}` is not a slide size; use 16:9, 4:3, A4, Letter or WIDTHxHEIGHTmm",
                "CF404",
            )
        elif problem:
            report.error(file, document.position(("slide_size",)), f"`{spec.slide_size}`: {problem}", "CF404")
        else:
            theme = replace(theme, slide_size=size)
    theme = _apply_fonts(spec, theme, path, document, report)
    roles = spec.colour_roles
    if roles is not None:
        given = {k: v.lstrip("#") for k, v in roles.model_dump().items() if v is not None}
        theme = replace(theme, **given)
    if spec.palette:
        palette = dict(theme.palette)
        for name, value in spec.palette.items():
            existing = theme.palette_colour(name)
            palette.pop(existing[0] if existing else name, None)
            palette[name] = value.lstrip("#")
        theme = replace(theme, palette=palette)
    for name, value in spec.palette.items():
        if best_contrast(value, theme.text) < MIN_CONTRAST:
            report.warning(
                file,
                document.position(("palette", name)),
                f"palette colour `{name}` ({value}) gives text a contrast below "
                f"{MIN_CONTRAST}:1 in both dark and light",
                "CF302",
            )
    if spec.logo:
        logo = _asset(spec.logo, path, document, ("logo",), limits.IMAGE_BYTES, report)
        position = document.position(("logo",))
        pixels = check_image(logo.data, spec.logo, file, position, report) if logo is not None else None
        if logo is not None and pixels is not None:
            theme = replace(
                theme, logo=logo.path, logo_size=pixels, logo_data=logo.data, files=(*theme.files, logo.path)
            )
    if spec.template:
        template = _asset(spec.template, path, document, ("template",), limits.TEMPLATE_BYTES, report)
        if template is not None:
            theme = _apply_template(theme, template, spec, file, document.position(("template",)), report)
    return theme


def _apply_template(
    theme: Theme, template: UserFile, spec: ThemeSpec, file: str, position, report: Report
) -> Theme:
    from .template import inspect_template

    try:
        info = inspect_template(template.data, template.path.name)
    except ValueError as error:
        report.error(file, position, str(error), "CF408")
        return theme
    layout = info.title_layout()
    if layout is None:
        names = ", ".join(layout.name for layout in info.layouts) or "none"
        report.error(
            file,
            position,
            f"`{template.path.name}` has no layout with just a title placeholder (its layouts: {names}); "
            'add a "Title Only" layout to the template',
            "CF408",
        )
        return theme
    theme = replace(
        theme,
        template=template.path,
        template_data=template.data,
        template_layout=layout,
        files=(*theme.files, template.path),
    )
    if not spec.slide_size:
        size = SlideSize(info.width, info.height)
        problem = slide_size_problem(size)
        if problem:
            report.error(
                file,
                position,
                f"the slides of `{template.path.name}`: {problem.partition('; ')[0]}; "
                "give the theme a `slide_size:` of at least 190 x 140 mm",
                "CF404",
            )
            return theme
        theme = replace(theme, slide_size=size)
    return theme


def _apply_fonts(spec: ThemeSpec, theme: Theme, path: Path, document: Document, report: Report) -> Theme:
    if spec.fonts is None:
        return theme
    for role in ("heading", "body"):
        font = getattr(spec.fonts, role)
        if font is None:
            continue
        file_path = None
        data = None
        if font.file:
            where = ("fonts", role, "file")
            found = _asset(font.file, path, document, where, limits.FONT_BYTES, report)
            problem = _font_problem(found.data, font.file) if found is not None else ""
            if problem:
                report.error(str(path), document.position(where), problem, "CF408")
            elif found is not None:
                file_path, data = found.path, found.data
        elif builtin_table_for(font.family) is None:
            stand_in = nearest_table(font.family)
            report.warning(
                str(path),
                document.position(("fonts", role, "family")),
                f"no metrics for `{font.family}`: text is measured as {STAND_IN_NAMES[stand_in]}, with a "
                f"margin; give `file:` with the font to measure it exactly",
                "CF301",
            )
        if file_path is not None:
            theme = replace(theme, files=(*theme.files, file_path))
        chosen = Font(font.family, file_path, data)
        theme = replace(theme, heading_font=chosen) if role == "heading" else replace(theme, body_font=chosen)
    return theme


def _font_problem(data: bytes, name: str) -> str:
    """Why the bytes of the font file *name* cannot measure text, or ``""``.

    The font is opened and measured here, once, so that a damaged file is an error at its
    `file:` line rather than a failure in the middle of laying out slides.
    """
    if data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf"):
        return f"`{name}` is not a TrueType or OpenType font file"
    import io

    from PIL import ImageFont

    try:
        face = ImageFont.truetype(io.BytesIO(data), size=100)
        face.getlength("Ag")
    except Exception as error:  # FreeType reports damage in many ways
        reason = str(error).strip() or type(error).__name__
        return (
            f"`{name}` is damaged and cannot be read as a font ({reason}); give an intact .ttf or .otf file"
        )
    return ""


def _asset(
    text: str, theme_path: Path, document: Document, where: tuple, limit: int, report: Report
) -> UserFile | None:
    position = document.position(where)
    roots = [theme_path.parent, *assets_dirs()]
    path, why = resolve_user_path(text, theme_path.parent, assets_dirs())
    if path is None:
        report.error(str(theme_path), position, why, "CF407")
        return None
    return read_asset(path, text, limit, roots, str(theme_path), position, report)
