"""Slide sections: the deck's `slides:` list (or the default order), and `--only` choices.

Everything here is driven by the slide-kind registry (:mod:`cardforge.spec.slides`): a
section's options are validated by its kind's options model, with positions, and options
marked as references (persona ids, an architecture id) are checked against the deck.
"""

from __future__ import annotations

from typing import Any

from .. import limits
from ..diagnostics import Report, did_you_mean
from ..spec.slides import KINDS, SECTIONS, Options, SlideKind, reference_of, slide_kind
from ..spec.validate import validate
from ..spec.yamlread import DocumentView, PathKey
from .context import Context, architecture_hint
from .deck import Architecture, Persona, Section


def resolve_sections(
    slides: list[Any] | None, personas: list[Persona], architectures: dict[str, Architecture], ctx: Context
) -> list[Section]:
    """The sections `slides:` asks for, in its order; every kind when it is absent.

    A section listed twice (with the same options) is an error, and so is a list whose
    slides would pass the limit of one build, found before any is laid out.
    """
    if slides is None:
        return [Section(kind.name, kind.options()) for kind in KINDS]
    sections: list[Section] = []
    first: dict[str, PathKey] = {}
    estimate = 0
    for index, entry in enumerate(slides):
        section = _section(entry, ("slides", index), personas, architectures, ctx)
        if section is None:
            continue
        key = _identity(section)
        if key in first:
            line = ctx.position(first[key]).line
            ctx.error(
                section.path, f"section `{key}` is already listed at line {line}; list it once", "CF406"
            )
            continue
        first[key] = section.path
        estimate += _slides_at_least(section, len(personas))
        if estimate > limits.SLIDES:
            ctx.error(
                section.path,
                f"the sections listed so far come to more than {limits.SLIDES:,} slides; "
                "split the deck or list fewer cards",
                "CF410",
            )
            break
        sections.append(section)
    return sections


def _identity(section: Section) -> str:
    """The section as the user would name it, options included: two entries that name the
    same section with the same options draw the same slides twice."""
    given = {
        key: ", ".join(value) if isinstance(value, list) else str(value)
        for key, value in section.options.model_dump(exclude_defaults=True).items()
    }
    if not given:
        return section.kind
    kind = slide_kind(section.kind)
    if kind is not None and kind.shorthand is not None and list(given) == [kind.shorthand]:
        return f"{section.kind}: {given[kind.shorthand]}"
    return f"{section.kind} ({', '.join(f'{key}: {value}' for key, value in given.items())})"


def _slides_at_least(section: Section, personas: int) -> int:
    """A lower bound of the slides *section* draws: a card per persona for `cards`, else one."""
    if section.kind != "cards":
        return 1
    chosen = getattr(section.options, "personas", None)
    return len(chosen) if chosen else personas


def _section(
    entry: Any, path: PathKey, personas: list[Persona], architectures: dict[str, Architecture], ctx: Context
) -> Section | None:
    if isinstance(entry, str):
        name, value = entry, None
    elif isinstance(entry, dict) and len(entry) == 1:
        name, value = next(iter(entry.items()))
    else:
        ctx.error(path, "a slide entry is a section name, or one `section: options` pair", "CF404")
        return None
    kind = slide_kind(name)
    if kind is None:
        message = f"unknown section `{name}`{did_you_mean(name, SECTIONS)}"
        (ctx.key_error if isinstance(entry, dict) else ctx.error)((*path, name), message, "CF405")
        return None
    options = _options(kind, value, (*path, name) if isinstance(entry, dict) else path, ctx)
    if options is None:
        return None
    options = _resolve_references(options, (*path, name), personas, architectures, ctx)
    return Section(kind.name, options, path) if options is not None else None


def _options(kind: SlideKind, value: Any, path: PathKey, ctx: Context) -> Options | None:
    """*value* validated as *kind*'s options, problems reported at their place in the deck."""
    raw = kind.parse_options(value)
    if not kind.options.model_fields and raw not in (None, {}):
        ctx.error(path, f"section `{kind.name}` takes no options", "CF404")
        return None
    document = DocumentView(ctx.document, ctx.paths.original(path), raw)
    local = Report()
    options = validate(document, kind.options, local)
    ctx.report.extend(local)
    return options


def _resolve_references(
    options: Options,
    path: PathKey,
    personas: list[Persona],
    architectures: dict[str, Architecture],
    ctx: Context,
) -> Options | None:
    """Options that name personas or architectures, with the names as the deck spells them."""
    known = {
        "persona": {p.id.casefold(): p.id for p in personas},
        "architecture": {key.casefold(): key for key in architectures},
    }
    changes: dict[str, Any] = {}
    ok = True
    for field in type(options).model_fields:
        reference = reference_of(type(options), field)
        value = getattr(options, field)
        if reference is None or value is None:
            continue
        names = known[reference.kind]
        items = value if isinstance(value, list) else [value]
        resolved = []
        for item, name in enumerate(items):
            found = names.get(name.strip().casefold())
            if found is not None:
                resolved.append(found)
            elif ctx.unknown(name):
                where = (*path, field, item) if isinstance(value, list) else (*path, field)
                ctx.error(where, _unknown(reference.kind, name, list(names.values())), "CF405")
                ok = False
        changes[field] = resolved if isinstance(value, list) else (resolved[0] if resolved else None)
    return options.model_copy(update=changes) if ok else None


def _unknown(kind: str, name: str, known: list[str]) -> str:
    if kind == "architecture":
        return f"unknown architecture `{name}`{architecture_hint(name, known)}"
    return f"unknown {kind} `{name}`{did_you_mean(name, known)}"


def sections_from_choices(
    choices: list[str], personas: list[Persona], architectures: dict[str, Architecture], report: Report
) -> list[Section]:
    """Sections named on the command line: ``cards``, ``cards:P001,P003``, ``architecture:lambda``."""
    from ..spec.salvage import PathMap
    from ..spec.yamlread import Document

    document = Document("--only", None)
    ctx = Context(document, report, PathMap())
    sections = []
    for index, choice in enumerate(choices):
        name, _, argument = choice.strip().partition(":")
        entry: Any = name
        kind = slide_kind(name)
        if argument and kind is not None and kind.shorthand is not None:
            value: Any = argument
            if _takes_a_list(kind):
                value = [part for part in argument.split(",") if part.strip()]
            entry = {name: value}
        elif argument:
            entry = {name: argument}
        section = _section(entry, ("slides", index), personas, architectures, ctx)
        if section is not None:
            sections.append(section)
    return sections


def _takes_a_list(kind: SlideKind) -> bool:
    assert kind.shorthand is not None
    annotation = kind.options.model_fields[kind.shorthand].annotation
    return getattr(annotation, "__origin__", None) is list
