"""Resolve a validated :class:`DeckSpec` into a :class:`Deck`: every reference checked.

Each ``_resolve_*`` function handles one kind of reference and reports problems with the
position of the offending value, so that one run shows them all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from ..diagnostics import Report, closest, did_you_mean
from ..spec.deck import DeckSpec, PersonaSpec
from ..spec.salvage import PathMap
from ..spec.yamlread import Document, PathKey
from ..theme import Theme
from .architectures import BUILTIN_IDS, builtin_architecture, to_architecture
from .context import Context, architecture_hint
from .deck import (
    Architecture,
    Colour,
    Deck,
    Grant,
    Link,
    Partner,
    Persona,
    PrintOptions,
    Process,
    Rbac,
    Service,
    Story,
    Team,
    UseCase,
)
from .sections import resolve_sections

DEFAULT_PROCESSES = (
    ("DataOps", "Ingestion and preparation of data."),
    ("MLOps", "Operationalisation of machine learning models."),
    ("GenAIOps", "Discovery and evaluation of existing models, and their refinement to the workload."),
    ("Inner loop", "Refinement in the development environment."),
    ("Outer loop", "Moving solutions from development to stage and production, with monitoring."),
)
ALL_TEAMS = ("all teams", "all", "everyone")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def resolve(
    spec: DeckSpec,
    document: Document,
    deck_path: Path,
    theme: Theme,
    report: Report,
    paths: PathMap | None = None,
) -> Deck:
    """Resolve *spec*; problems go to *report* (check ``report.ok`` before using the deck)."""
    ctx = Context(document, report, paths or PathMap())
    _check_unique_ids(spec, ctx)
    colours = _resolve_colours(spec, theme, ctx)
    teams, team_names = _resolve_teams(spec, ctx)
    processes, process_names, stage_names = _resolve_processes(spec, ctx)
    architectures, architecture_ids = _resolve_architectures(spec, ctx)
    personas = [
        _persona(ctx.paths.original(("personas", index)), persona, colours[index])
        for index, persona in enumerate(spec.personas)
    ]
    for index, persona in enumerate(personas):
        persona.team = team_names[index]
        persona.processes = process_names[index]
        persona.stages = stage_names[index]
        persona.architectures = architecture_ids[index]
    _resolve_interactions(spec, personas, teams, ctx)
    for persona in personas:
        if persona.team:
            teams[persona.team.casefold()].members.append(persona.id)
    return Deck(
        file=document.file,
        base_dir=deck_path.parent,
        title=spec.title,
        subtitle=spec.subtitle,
        organisation=spec.organisation,
        footer=spec.footer,
        language=spec.language,
        theme=theme,
        personas=personas,
        sections=resolve_sections(spec.slides, personas, architectures, ctx),
        teams={team.name: team for team in teams.values()},
        use_cases=_resolve_use_cases(spec, personas, architectures, ctx),
        processes=processes,
        architectures=architectures,
        rbac=_resolve_rbac(spec, personas, ctx),
        print_options=PrintOptions(**spec.print.model_dump()) if spec.print else PrintOptions(),
        disabled_lints=frozenset(code.upper() for code in (spec.lint.disable if spec.lint else [])),
        document=document,
    )


def _persona(path: PathKey, spec: PersonaSpec, colour: Colour) -> Persona:
    return Persona(
        id=spec.id,
        name=spec.name,
        colour=colour,
        kind=spec.kind,
        categories=tuple(dict.fromkeys(spec.category)),
        scope=spec.scope,
        services=tuple(Service(s.name, s.url) for s in spec.services),
        data_access=spec.data_access,
        skills=tuple(spec.skills),
        learn=tuple(Link(link.title or link.url, link.url) for link in spec.learn),
        people=tuple(spec.people) if spec.people is not None else None,
        notes=spec.notes,
        goal=spec.goal,
        responsibilities=tuple(spec.responsibilities),
        example_roles=tuple(spec.example_roles),
        url=spec.url,
        path=path,
    )


def _check_unique_ids(spec: DeckSpec, ctx: Context) -> None:
    seen: dict[str, int] = {}
    for index, persona in enumerate(spec.personas):
        key = persona.id.casefold()
        if key in seen:
            first = ctx.position(("personas", seen[key], "id"))
            ctx.error(
                ("personas", index, "id"),
                f"persona id `{persona.id}` is already used at line {first.line}",
                "CF406",
            )
        else:
            seen[key] = index


def _resolve_colours(spec: DeckSpec, theme: Theme, ctx: Context) -> list[Colour]:
    chosen: list[Colour | None] = []
    for index, persona in enumerate(spec.personas):
        name = persona.colour_name
        key = "colour" if persona.colour is not None else "color"
        if spec.personas[index].colour is not None and persona.color is not None:
            ctx.key_error(("personas", index, "color"), "give either `colour` or `color`, not both", "CF404")
        if name is None:
            chosen.append(None)
        elif name.startswith("#") and not _HEX.match(name):
            ctx.error(
                ("personas", index, key),
                f"`{name}` is not a hex colour; write #RRGGBB with six hex digits",
                "CF404",
            )
            chosen.append(Colour(name, "808080"))
        elif _HEX.match(name):
            chosen.append(Colour(name.upper(), name[1:].upper()))
        else:
            found = theme.palette_colour(name)
            if found is None:
                hint = did_you_mean(name, theme.palette) or f"; the palette has {', '.join(theme.palette)}"
                ctx.error(
                    ("personas", index, key), f"unknown colour `{name}`{hint} (or give #RRGGBB)", "CF405"
                )
                chosen.append(Colour(name, "808080"))
            else:
                chosen.append(Colour(*found))
    used = {colour.hex for colour in chosen if colour is not None}
    free = (
        [Colour(n, h) for n, h in theme.palette.items() if h not in used]
        or [Colour(n, h) for n, h in theme.palette.items()]
        or [Colour("Grey", "808080")]
    )
    next_free = 0
    result = []
    for colour in chosen:
        if colour is None:
            colour = free[next_free % len(free)]
            next_free += 1
        result.append(colour)
    return result


def _resolve_teams(spec: DeckSpec, ctx: Context) -> tuple[dict[str, Team], list[str | None]]:
    teams: dict[str, Team] = {}
    for index, team in enumerate(spec.teams):
        key = team.name.casefold()
        if key in teams:
            ctx.error(("teams", index, "name"), f"team `{team.name}` is listed twice", "CF406")
            continue
        teams[key] = Team(team.name, team.description, department=team.department, group=team.group)
    declared = [team.name for team in teams.values()]
    names: list[str | None] = []
    for index, persona in enumerate(spec.personas):
        if persona.team is None:
            names.append(None)
            continue
        key = persona.team.casefold()
        if key in teams:
            names.append(teams[key].name)
            continue
        names.append(persona.team)
        near = closest(persona.team, declared)
        if near:
            ctx.warning(
                ("personas", index, "team"),
                f"team `{persona.team}` is not in `teams:` and becomes a new team; did you mean `{near}`?",
                "CF001",
            )
        teams[key] = Team(persona.team, declared=False)
    return teams, names


def _resolve_processes(
    spec: DeckSpec, ctx: Context
) -> tuple[list[Process], list[tuple[str, ...]], list[tuple[tuple[str, str], ...]]]:
    """The deck's processes (declared, default, then ad hoc), and per persona the processes
    it names and the stages it names (``MLOps/Prod``: the Prod stage of MLOps only)."""
    processes: dict[str, Process] = {}
    if spec.processes is None:
        for name, description in DEFAULT_PROCESSES:
            processes[name.casefold()] = Process(name, description)
    else:
        for index, process in enumerate(spec.processes):
            key = process.name.casefold()
            if key in processes:
                ctx.error(("processes", index, "name"), f"process `{process.name}` is listed twice", "CF406")
                continue
            processes[key] = Process(process.name, process.description, tuple(process.stages))
    loose = {_loose(p.name): key for key, p in processes.items()}
    per_persona: list[tuple[str, ...]] = []
    per_persona_stages: list[tuple[tuple[str, str], ...]] = []
    order = {(p.name, stage): i for p in processes.values() for i, stage in enumerate(p.stages)}
    for index, persona in enumerate(spec.personas):
        names: list[str] = []
        stages: list[tuple[str, str]] = []
        whole: set[str] = set()
        for item, name in enumerate(persona.processes):
            where = ("personas", index, "processes", item)
            staged = _stage_of(name, processes, loose, ctx, where)
            if staged is False:
                continue
            if staged is not None:
                staged_process, stage = staged
                if (staged_process.name, stage) not in stages:
                    stages.append((staged_process.name, stage))
                if staged_process.name not in names:
                    names.append(staged_process.name)
                continue
            key = name.casefold()
            key = key if key in processes else loose.get(_loose(name), key)
            if key not in processes:
                near_key = closest(_loose(name), list(loose), cutoff=0.8)
                near = processes[loose[near_key]].name if near_key else None
                if near:
                    ctx.warning(
                        where,
                        f"process `{name}` is not one of the deck's processes and becomes an ad-hoc "
                        f"process; did you mean `{near}`?",
                        "CF002",
                    )
                processes[key] = Process(name, ad_hoc=True)
            whole.add(processes[key].name)
            if processes[key].name not in names:
                names.append(processes[key].name)
        per_persona.append(tuple(names))
        kept = sorted((pair for pair in stages if pair[0] not in whole), key=lambda pair: order[pair])
        per_persona_stages.append(tuple(sorted(kept, key=lambda pair: names.index(pair[0]))))
    return list(processes.values()), per_persona, per_persona_stages


def _stage_of(
    name: str, processes: dict[str, Process], loose: dict[str, str], ctx: Context, where: PathKey
) -> tuple[Process, str] | Literal[False] | None:
    """The process and stage that ``PROCESS/STAGE`` names, ``None`` when *name* names no
    stage (a plain or ad-hoc process, such as ``CI/CD``), ``False`` after an error."""
    if "/" not in name or name.casefold() in processes:
        return None
    head, _, tail = name.rpartition("/")
    key = head.strip().casefold()
    key = key if key in processes else loose.get(_loose(head), "")
    process = processes.get(key)
    if process is None or process.ad_hoc:
        return None
    stage = tail.strip()
    if not process.stages:
        ctx.error(
            where,
            f"process `{process.name}` has no stages to name (`{name}`); give it `stages:` under "
            f"`processes:`, or name the process alone",
            "CF404",
        )
        return False
    by_folded = {s.casefold(): s for s in process.stages}
    found = by_folded.get(stage.casefold())
    if found is None:
        hint = did_you_mean(stage, process.stages) or ""
        ctx.error(
            where,
            f"`{process.name}` has no stage `{stage}`{hint} (its stages: {', '.join(process.stages)})",
            "CF405",
        )
        return False
    return process, found


def _loose(name: str) -> str:
    """A process name with case, spaces and punctuation ignored: `Inner-loop` is `inner loop`."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _resolve_architectures(
    spec: DeckSpec, ctx: Context
) -> tuple[dict[str, Architecture], list[tuple[str, ...]]]:
    architectures: dict[str, Architecture] = {}
    defined: dict[str, int] = {}
    for index, arch in enumerate(spec.architectures):
        key = arch.id.casefold()
        if key in defined:
            ctx.error(("architectures", index, "id"), f"architecture `{arch.id}` is defined twice", "CF406")
            continue
        defined[key] = index
        architectures[key] = to_architecture(
            arch, ctx.document, ("architectures", index), ctx.report, ctx.position
        )
    for arch_id in BUILTIN_IDS:
        architectures.setdefault(arch_id, None)  # type: ignore[arg-type]  # loaded on demand below
    canonical = {key: (a.id if a else key) for key, a in architectures.items()}
    per_persona: list[tuple[str, ...]] = []
    for index, persona in enumerate(spec.personas):
        ids = []
        for item, arch_id in enumerate(persona.architectures):
            key = arch_id.casefold()
            if key not in architectures:
                if not ctx.unknown(arch_id):
                    continue
                ctx.error(
                    ("personas", index, "architectures", item),
                    f"unknown architecture `{arch_id}`{architecture_hint(arch_id, canonical.values())}",
                    "CF405",
                )
                continue
            if canonical[key] not in ids:
                ids.append(canonical[key])
        per_persona.append(tuple(ids))
    for key in list(architectures):
        if architectures[key] is None:
            architectures[key] = builtin_architecture(key)
    return {a.id: a for a in architectures.values()}, per_persona


def _resolve_interactions(
    spec: DeckSpec, personas: list[Persona], teams: dict[str, Team], ctx: Context
) -> None:
    """Persona ids, persona names and team names; any other name is a team outside the deck."""
    by_id = {p.id.casefold(): p for p in personas}
    by_name = {p.name.casefold(): p for p in personas}
    known_teams = [t.name for t in teams.values()]
    known_ids = [p.id for p in personas]
    for index, persona in enumerate(spec.personas):
        partners: dict[Partner, None] = {}
        for item, ref in enumerate(persona.interacts_with):
            key = ref.casefold()
            target = by_id.get(key) or by_name.get(key)
            if target is not None:
                partners.setdefault(Partner("persona", target.id, item))
            elif key in teams:
                partners.setdefault(Partner("team", teams[key].name, item))
            elif key in ALL_TEAMS:
                partners.setdefault(Partner("everyone", "", item))
            elif ctx.unknown(ref):
                where = ("personas", index, "interacts_with", item)
                _warn_near_miss(ref, known_teams, known_ids, where, ctx)
                teams[key] = Team(ref.strip(), declared=False)
                partners.setdefault(Partner("team", teams[key].name, item))
        personas[index].interacts_with = tuple(partners)


def _warn_near_miss(ref: str, teams: list[str], persona_ids: list[str], path: PathKey, ctx: Context) -> None:
    """A name that becomes a team outside the deck, but looks like a typo of a known one."""
    near = closest(ref, teams, cutoff=0.8) or closest(ref, persona_ids, cutoff=0.7)
    if near:
        ctx.warning(
            path,
            f"`{ref}` is neither a known team nor a persona id and becomes a team outside the deck; "
            f"did you mean `{near}`?",
            "CF001",
        )


def _resolve_use_cases(
    spec: DeckSpec, personas: list[Persona], architectures: dict[str, Architecture], ctx: Context
) -> list[UseCase]:
    by_id = {p.id.casefold(): p.id for p in personas}
    by_arch = {key.casefold(): key for key in architectures}
    seen: dict[str, int] = {}
    use_cases = []
    for index, use_case in enumerate(spec.use_cases):
        path = ("use_cases", index)
        key = use_case.id.casefold()
        if key in seen:
            first = ctx.position(("use_cases", seen[key], "id"))
            ctx.error(
                (*path, "id"), f"use case id `{use_case.id}` is already used at line {first.line}", "CF406"
            )
            continue
        seen[key] = index
        architecture = None
        if use_case.architecture is not None:
            architecture = by_arch.get(use_case.architecture.casefold())
            if architecture is None:
                hint = architecture_hint(use_case.architecture, list(architectures))
                ctx.error(
                    (*path, "architecture"), f"unknown architecture `{use_case.architecture}`{hint}", "CF405"
                )
        stories = []
        for item, story in enumerate(use_case.stories):
            persona = by_id.get(story.persona.strip().casefold())
            if persona is None:
                if ctx.unknown(story.persona):
                    hint = did_you_mean(story.persona, list(by_id.values()))
                    ctx.error(
                        (*path, "stories", item, "persona"),
                        f"unknown persona `{story.persona}`{hint}",
                        "CF405",
                    )
                continue
            stories.append(Story(persona, story.want, story.so_that))
        use_cases.append(
            UseCase(
                use_case.id,
                use_case.name,
                tuple(dict.fromkeys(use_case.category)),
                architecture,
                use_case.description,
                tuple(stories),
                ctx.paths.original(path),
            )
        )
    return use_cases


def _resolve_rbac(spec: DeckSpec, personas: list[Persona], ctx: Context) -> Rbac | None:
    if spec.rbac is None:
        return None
    environments = list(dict.fromkeys(spec.rbac.environments))
    by_env = {env.casefold(): env for env in environments}
    by_id = {p.id.casefold(): p for p in personas}
    grants: list[Grant] = []
    seen: dict[tuple[str, str], int] = {}
    for index, grant in enumerate(spec.rbac.grants):
        path = ("rbac", "grants", index)
        persona = by_id.get(grant.persona.casefold())
        if persona is None:
            if not ctx.unknown(grant.persona):
                continue
            ctx.error(
                (*path, "persona"),
                f"unknown persona `{grant.persona}`{did_you_mean(grant.persona, [p.id for p in personas])}",
                "CF405",
            )
            continue
        roles: dict[str, str] = {}
        for env, role in grant.roles.items():
            canonical = by_env.get(env.casefold())
            if canonical is None:
                ctx.key_error(
                    (*path, "roles", env),
                    f"unknown environment `{env}`{did_you_mean(env, environments)}",
                    "CF405",
                )
                continue
            roles[canonical] = role
        key = (persona.id, grant.service.casefold())
        if key in seen:
            first = ctx.position(("rbac", "grants", seen[key]))
            ctx.error(
                path, f"{persona.id} already has a grant on `{grant.service}` at line {first.line}", "CF406"
            )
            continue
        seen[key] = index
        grants.append(Grant(persona.id, grant.service, roles, path))
    return Rbac(tuple(environments), tuple(grants))
