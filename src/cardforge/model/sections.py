"""Slide sections: the deck's `slides:` list (or the default order), and `--only` choices."""

from __future__ import annotations

from typing import Any

from .. import limits
from ..diagnostics import did_you_mean
from ..spec.deck import SECTIONS, DeckSpec
from ..spec.yamlread import PathKey
from .context import Context, architecture_hint
from .deck import Architecture, Persona, Section

_SECTION_ALIASES = {"architectures": "architecture", "persona-cards": "cards", "table": "persona-table"}


def resolve_sections(
    spec: DeckSpec, personas: list[Persona], architectures: dict[str, Architecture], ctx: Context
) -> list[Section]:
    if spec.slides is None:
        return [Section(kind) for kind in SECTIONS]
    sections: list[Section] = []
    first: dict[str, PathKey] = {}
    slides = 0
    for index, entry in enumerate(spec.slides):
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
        slides += len(section.options.get("personas") or personas) if section.kind == "cards" else 1
        if slides > limits.SLIDES:
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
    same section draw the same slides twice."""
    options = section.options
    if section.kind == "cards" and options.get("personas") is not None:
        return f"cards: {', '.join(options['personas'])}"
    if section.kind == "architecture" and options.get("id"):
        return f"architecture: {options['id']}" + (" per persona" if options.get("per_persona") else "")
    return section.kind


def _section(
    entry: Any, path: PathKey, personas: list[Persona], architectures: dict[str, Architecture], ctx: Context
) -> Section | None:
    if isinstance(entry, str):
        kind, options = entry, None
    elif isinstance(entry, dict) and len(entry) == 1:
        kind, options = next(iter(entry.items()))
    else:
        ctx.error(path, "a slide entry is a section name, or one `section: options` pair", "CF404")
        return None
    name = _SECTION_ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if name not in SECTIONS:
        message = f"unknown section `{kind}`{did_you_mean(kind, SECTIONS)}"
        if isinstance(entry, dict):
            ctx.key_error((*path, kind), message, "CF405")
        else:
            ctx.error(path, message, "CF405")
        return None
    option_path = (*path, kind)
    if name == "architecture":
        return _architecture_section(options, option_path, architectures, ctx)
    if name == "cards":
        return _cards_section(options, option_path, personas, ctx)
    if options not in (None, {}):
        ctx.error(option_path, f"section `{name}` takes no options", "CF404")
        return None
    return Section(name, {}, path)


def _architecture_section(
    options: Any, path: PathKey, architectures: dict[str, Architecture], ctx: Context
) -> Section | None:
    if options is None:
        return Section("architecture", {}, path)
    per_persona = False
    arch_id = options
    if isinstance(options, dict):
        unknown = [key for key in options if key not in ("id", "per_persona")]
        for key in unknown:
            ctx.key_error(
                (*path, key), f"unknown key `{key}`{did_you_mean(key, ['id', 'per_persona'])}", "CF403"
            )
        arch_id = options.get("id")
        flag = options.get("per_persona", "false")
        if not isinstance(flag, str) or flag.strip().lower() not in (
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
        ):
            ctx.error((*path, "per_persona"), "`per_persona`: expected true or false", "CF404")
            return None
        per_persona = flag.strip().lower() in ("true", "yes", "on")
        if unknown:
            return None
    if not isinstance(arch_id, str):
        ctx.error(path, "name the architecture: `{architecture: lambda}`", "CF404")
        return None
    by_key = {key.casefold(): key for key in architectures}
    if arch_id.casefold() not in by_key:
        where = (*path, "id") if isinstance(options, dict) else path
        ctx.error(
            where,
            f"unknown architecture `{arch_id}`{architecture_hint(arch_id, list(architectures))}",
            "CF405",
        )
        return None
    return Section("architecture", {"id": by_key[arch_id.casefold()], "per_persona": per_persona}, path)


def _cards_section(options: Any, path: PathKey, personas: list[Persona], ctx: Context) -> Section | None:
    if options in (None, {}):
        return Section("cards", {}, path)
    if not isinstance(options, dict) or set(options) - {"personas"}:
        extra = [key for key in (options if isinstance(options, dict) else {}) if key != "personas"]
        message = (
            f"unknown key `{extra[0]}`; did you mean `personas`?"
            if extra
            else "expected `{personas: [ID, ...]}`"
        )
        ctx.error(path, message, "CF403")
        return None
    ids = options.get("personas")
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        ctx.error((*path, "personas"), "expected a list of persona ids", "CF404")
        return None
    by_id = {p.id.casefold(): p.id for p in personas}
    chosen = []
    for item, persona_id in enumerate(ids):
        found = by_id.get(persona_id.strip().casefold())
        if found is None and not ctx.unknown(persona_id):
            continue
        if found is None:
            ctx.error(
                (*path, "personas", item),
                f"unknown persona `{persona_id}`{did_you_mean(persona_id, list(by_id.values()))}",
                "CF405",
            )
        else:
            chosen.append(found)
    return Section("cards", {"personas": chosen}, path)


def sections_from_choices(
    choices: list[str], personas: list[Persona], architectures: dict[str, Architecture], report
) -> list[Section]:
    """Sections named on the command line: ``cards``, ``cards:P001,P003``, ``architecture:lambda``."""
    from ..spec.salvage import PathMap
    from ..spec.yamlread import Document

    document = Document("--only", None)
    ctx = Context(document, report, PathMap())
    sections = []
    for index, choice in enumerate(choices):
        kind, _, argument = choice.strip().partition(":")
        entry: Any = kind
        if argument and kind.strip().lower() == "cards":
            entry = {kind: {"personas": [part for part in argument.split(",") if part]}}
        elif argument:
            entry = {kind: argument}
        section = _section(entry, ("slides", index), personas, architectures, ctx)
        if section is not None:
            sections.append(section)
    return sections
