"""Architecture slides: which personas use which components, over as many pages as it takes.

A diagram stays on one slide up to MAX_COMPONENTS components and MAX_PERSONAS personas,
as long as its names and badges fit at 10 pt. Beyond that it is split: into groups of
consecutive layers when that keeps each group's personas within the limit and its badges
on the slide (fewer layers give each zone more room), and only then into pages of personas,
each showing the whole group with the badges of the personas it can hold (every page of a
group laid out alike, so that nothing moves from one to the next). A group that does not
fit even without badges is split by layers, and a single layer by its components. Every persona keeps a
badge on every component it uses; the speaker notes say what each page shows.
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Report
from ..model import Architecture, Component, Deck, Layer, Persona
from ..spec.slides import ArchitectureOptions
from .chrome import numbered, overview_frame
from .diagram import Page, Room, Usage, draw, fits, room
from .fonts import Fonts
from .shapes import Box, Slide

MAX_COMPONENTS = 40
MAX_PERSONAS = 15


def architecture_slides(
    deck: Deck, arch_id: str | None, per_persona: bool, fonts: Fonts, report: Report
) -> list[Slide]:
    ids = [arch_id] if arch_id else _used_architectures(deck)
    slides: list[Slide] = []
    for current in ids:
        usage = _usage(deck, deck.architectures[current])
        slides += _diagram_slides(deck, usage, fonts)
        if per_persona:
            for persona in usage.personas:
                slides += _diagram_slides(deck, usage, fonts, focus=persona)
    return slides


def _used_architectures(deck: Deck) -> list[str]:
    used: list[str] = []
    for persona in deck.personas:
        for arch_id in persona.architectures:
            if arch_id not in used:
                used.append(arch_id)
    return used


def _usage(deck: Deck, architecture: Architecture) -> Usage:
    usage = Usage(architecture)
    by_name: dict[str, list[Component]] = {}
    for component in architecture.components():
        for name in (component.name, *component.aliases):
            by_name.setdefault(name.strip().casefold(), []).append(component)
    for persona in deck.personas:
        touched = False
        for service in persona.services:
            matches = by_name.get(service.name.strip().casefold(), [])
            for component in matches:
                users = usage.users.setdefault(component.id, [])
                if not users or users[-1] is not persona:  # personas are visited one at a time
                    users.append(persona)
            touched = touched or bool(matches)
            if not matches and architecture.id in persona.architectures:
                usage.missing.setdefault(service.name, []).append(persona.id)
        if touched:
            usage.personas.append(persona)
    return usage


def _diagram_slides(deck: Deck, usage: Usage, fonts: Fonts, focus: Persona | None = None) -> list[Slide]:
    architecture = usage.architecture
    _, area, _ = overview_frame(deck, fonts, architecture.title, "Architecture")  # the same on every page
    pages = _same_room(usage, _pages(usage, focus, area, fonts), area, fonts)
    title = architecture.title + (f": {focus.id} {focus.name}" if focus else "")
    slides = []
    routes: dict = {}
    for index, page in enumerate(pages, start=1):
        slide, _, notes = overview_frame(deck, fonts, numbered(title, index, len(pages)), "Architecture")
        if len(pages) > 1:
            notes.append(_split_note(architecture, page, len(pages)))
        drawing = draw(deck, usage, page, area, fonts, routes)
        slide.elements.extend(drawing.elements)
        slide.notes = "\n".join(notes + drawing.notes)
        slides.append(slide)
    return slides


def _same_room(usage: Usage, pages: list[Page], area: Box, fonts: Fonts) -> list[Page]:
    """Pages that show the same layers to different personas, given the room of the fullest
    of them, so that components and flows stay put from one page to the next (when that
    room fits: otherwise each page keeps its own)."""
    result: list[Page] = []
    start = 0
    while start < len(pages):
        end = start
        while end + 1 < len(pages) and pages[end + 1].layers is pages[start].layers:
            end += 1
        run = pages[start : end + 1]
        if len(run) > 1 and not all(page.room is not None and page.room is run[0].room for page in run):
            components = [c for layer in run[0].layers for c in layer.components]
            shared = room(
                {
                    c.id: max(sum(1 for p in page.personas if usage.uses(c, p)) for page in run)
                    for c in components
                },
                [p for page in run for p in page.personas],
                max(len(page.personas) for page in run),
                fonts,
            )
            if fits(usage, Page(run[0].layers, [], run[0].focus, shared), area, fonts):
                run = [Page(page.layers, page.personas, page.focus, shared) for page in run]
        result += run
        start = end + 1
    return result


def _split_note(architecture: Architecture, page: Page, count: int) -> str:
    badges = f"; badges of {', '.join(p.id for p in page.personas)}" if page.personas else ""
    return (
        f"{architecture.title} has more than {MAX_COMPONENTS} components or {MAX_PERSONAS} personas, "
        f"so it is split by layers and personas over {count} slides; "
        f"this one shows {', '.join(layer.name for layer in page.layers)}{badges}."
    )


def _pages(usage: Usage, focus: Persona | None, area: Box, fonts: Fonts) -> list[Page]:
    pages: list[Page] = []
    for group in _layer_groups(usage):
        for bare in _bare_fitting(usage, group, focus, area, fonts):
            for layers in _badged_fitting(usage, bare, focus, area, fonts):
                users = [p for p in usage.personas_on(layers) if focus is None or p is focus]
                pages += _persona_pages(usage, layers, users, focus, area, fonts)
    return pages


def _badged_fitting(usage: Usage, layers: list[Layer], focus, area: Box, fonts: Fonts) -> list[list[Layer]]:
    """*layers* split in halves until each part fits with the badges of all its personas:
    fewer layers on a slide give each more room, so that a group's personas are paged only
    when a single layer cannot hold all their badges, or when they are too many for one
    slide anyway (then the pages show the whole group)."""
    users = [p for p in usage.personas_on(layers) if focus is None or p is focus]
    if len(layers) == 1 or len(users) > MAX_PERSONAS or fits(usage, Page(layers, users, focus), area, fonts):
        return [layers]  # personas that need paging anyway are paged over the whole group
    halves = [layers[: len(layers) // 2], layers[len(layers) // 2 :]]
    return [part for half in halves for part in _badged_fitting(usage, half, focus, area, fonts)]


def _layer_groups(usage: Usage) -> list[list[Layer]]:
    """Consecutive layers, as few groups as keep each within the component and persona limits.

    When some group would still have too many personas, splitting by layers does not
    help: the groups then keep to the component limit only, and personas are paged instead.
    """
    layers = list(usage.architecture.layers)
    groups = _group_layers(layers, usage, MAX_PERSONAS)
    if any(len(usage.personas_on(group)) > MAX_PERSONAS for group in groups):
        groups = _group_layers(layers, usage, None)
    return groups


def _group_layers(layers: list[Layer], usage: Usage, persona_limit: int | None) -> list[list[Layer]]:
    groups: list[list[Layer]] = [[]]
    components = 0
    personas: set[str] = set()
    for layer in layers:
        layer_personas = {p.id for c in layer.components for p in usage.users.get(c.id, [])}
        too_many = components + len(layer.components) > MAX_COMPONENTS
        if persona_limit is not None:
            too_many = too_many or len(personas | layer_personas) > persona_limit
        if groups[-1] and too_many:
            groups.append([])
            components, personas = 0, set()
        groups[-1].append(layer)
        components += len(layer.components)
        personas |= layer_personas
    return groups


def _bare_fitting(usage: Usage, layers: list[Layer], focus, area: Box, fonts: Fonts) -> list[list[Layer]]:
    """*layers* split in halves (a single layer by its components) until each part fits
    the slide without any badges."""
    if fits(usage, Page(layers, [], focus), area, fonts):
        return [layers]
    if len(layers) > 1:
        halves = [layers[: len(layers) // 2], layers[len(layers) // 2 :]]
    elif len(layers[0].components) > 1:
        layer = layers[0]
        middle = len(layer.components) // 2
        halves = [
            [Layer(layer.name, layer.components[:middle])],
            [Layer(layer.name, layer.components[middle:])],
        ]
    else:
        return [layers]  # one component that does not fit: drawn as well as the slide allows
    return [part for half in halves for part in _bare_fitting(usage, half, focus, area, fonts)]


def _persona_pages(
    usage: Usage, layers: list[Layer], users: list[Persona], focus, area: Box, fonts: Fonts
) -> list[Page]:
    """*users* over pages that share one layout: the most badges per component that a slide
    holds, each page filled in order up to that (and MAX_PERSONAS). When not even one badge
    per component fits, as many to a page as fit."""
    if len(users) <= MAX_PERSONAS and fits(usage, Page(layers, users, focus), area, fonts):
        return [Page(layers, users, focus)]
    shared = _shared_layout_pages(usage, layers, users, focus, area, fonts)
    return shared if shared is not None else _greedy_pages(usage, layers, users, focus, area, fonts)


def _shared_layout_pages(usage, layers, users, focus, area: Box, fonts: Fonts) -> list[Page] | None:
    components = [c for layer in layers for c in layer.components]
    on: dict[int, list[str]] = {id(p): [] for p in users}  # persona -> the components it uses here
    for component in components:
        for persona in usage.users.get(component.id, []):
            if id(persona) in on:
                on[id(persona)].append(component.id)
    totals = {c.id: 0 for c in components}
    for used in on.values():
        for cid in used:
            totals[cid] += 1
    widths = room({}, users, min(MAX_PERSONAS, len(users)), fonts)  # widest id and name, once

    def capped(most: int) -> Room:
        return replace(widths, badges={cid: min(most, total) for cid, total in totals.items()})

    low, high = 0, max(totals.values(), default=0)
    while low < high:  # the most badges per component that still fit
        middle = (low + high + 1) // 2
        if fits(usage, Page(layers, [], focus, capped(middle)), area, fonts):
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return None
    shared = capped(low)

    def fill(per_page: int) -> list[Page]:
        pages: list[Page] = []
        page: list[Persona] = []
        counts: dict[str, int] = {}
        for persona in users:
            used = on[id(persona)]
            if len(page) == per_page or any(counts.get(cid, 0) + 1 > low for cid in used):
                pages.append(Page(layers, page, focus, shared))
                page, counts = [], {}
            page.append(persona)
            for cid in used:
                counts[cid] = counts.get(cid, 0) + 1
        pages.append(Page(layers, page, focus, shared))
        return pages

    fullest = fill(MAX_PERSONAS)
    # Even the pages out: the fewest personas a page that needs no more pages than the
    # fullest filling, so that the last page is not a sparse remainder.
    for per_page in range(-(-len(users) // len(fullest)), MAX_PERSONAS):
        even = fill(per_page)
        if len(even) <= len(fullest):
            return even
    return fullest


def _greedy_pages(usage, layers, users, focus, area: Box, fonts: Fonts) -> list[Page]:
    """*users* in order, as many to a page as fit (at most MAX_PERSONAS, at least one), then
    evened out when that needs no more pages, so the last page is not a sparse remainder."""
    fullest = _filled_pages(usage, layers, users, focus, area, fonts, MAX_PERSONAS)
    even = _filled_pages(usage, layers, users, focus, area, fonts, -(-len(users) // len(fullest)))
    return even if len(even) <= len(fullest) else fullest


def _filled_pages(usage, layers, users, focus, area: Box, fonts: Fonts, per_page: int) -> list[Page]:
    pages = []
    start = 0
    while start < len(users):
        most = min(per_page, len(users) - start)
        if fits(usage, Page(layers, users[start : start + most], focus), area, fonts):
            count = most
        else:  # more badges never fit where fewer do not: search for the largest count
            low, high = 1, most - 1
            while low < high:
                middle = (low + high + 1) // 2
                if fits(usage, Page(layers, users[start : start + middle], focus), area, fonts):
                    low = middle
                else:
                    high = middle - 1
            count = low
        pages.append(Page(layers, users[start : start + count], focus))
        start += count
    return pages or [Page(layers, [], focus)]


def slides(deck: Deck, options: ArchitectureOptions, fonts: Fonts, report: Report) -> list[Slide]:
    """The `architecture` section."""
    return architecture_slides(deck, options.id, options.per_persona, fonts, report)
