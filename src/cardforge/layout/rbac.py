"""RBAC matrices: services x personas with the role in each cell.

Services are rows and personas narrow columns headed by their ID chips, so that a whole
environment usually fits one slide (two matrices side by side when they fit the width).
Either a matrix per environment, or one matrix for all with a sub-column per environment
under each persona's chip, whichever needs fewer slides (per environment on a tie).
Roles are abbreviated with a key, as the MLOps v2 identity table does (R Reader,
C Contributor, O Owner, ADS AzureML Data Scientist...), and written in full in the notes,
with each persona's name. Cells are coloured by privilege and always carry the role's text;
an Owner or Contributor in a production-like environment stands out in dark red with a "!"
as well, so it reads without colour too. What does not fit one slide splits into numbered
slides that hold about as much as each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from ..diagnostics import Report
from ..model import Deck, Persona
from ..model.lint import is_production, rank
from ..spec.slides import Options
from ..text.fit import line_height
from ..theme.contrast import text_on
from .chrome import numbered, overview_frame, text_box
from .fonts import Fonts
from .paging import balanced_pages, even_chunks
from .shapes import EMU_PER_PT, Box, Cell, Paragraph, Run, Shape, Slide, Table, TextFrame, pt

RANK_FILLS = {3: "F8CBAD", 2: "FFE699", 1: "C6EFCE", 0: "DDEBF7"}
"""Cell fills by privilege rank (Owner, Contributor, Reader, other role)."""
RANK_NAMES = {3: "Owner", 2: "Contributor", 1: "Reader", 0: "Other role"}
PRODUCTION_FILL = "C00000"
"""Owner or Contributor in a production-like environment."""
PRODUCTION_MARK = "!"
STANDARD = {"owner": "O", "contributor": "C", "reader": "R"}
SIZES = (12, 11, 10)
KEY_SIZE = 10
INSET = (pt(3), pt(2), pt(3), pt(2))
BLOCK_GAP_PT = 16
SERVICE_MAX_PT = 190
PERSONA_MIN_PT = 30
MAX_BLOCKS = 3
MAX_KEY_LINES = 2
SWATCH_PT = 16
ALL_ENVIRONMENTS = "every environment"


def rbac_slides(deck: Deck, fonts: Fonts, report: Report) -> list[Slide]:
    if deck.rbac is None or not deck.rbac.grants:
        return []
    services = list(dict.fromkeys(g.service for g in deck.rbac.grants))
    key = abbreviations(role for g in deck.rbac.grants for role in g.roles.values())
    _, area, _ = overview_frame(deck, fonts, "Access in every environment (9 of 9)", "")
    environments = list(deck.rbac.environments)
    apart = []
    for env in environments:
        access = Access.of(deck, services, [env])
        if access.services:
            apart.append((access, _pages(fonts, area, access, key)))
    together = Access.of(deck, services, environments)
    if len(environments) > 1 and together.services:
        pages = _pages(fonts, area, together, key)
        if len(pages) < sum(len(p) for _, p in apart):
            apart = [(together, pages)]
    slides = []
    for access, pages in apart:
        for index, page in enumerate(pages, start=1):
            title = numbered(f"Access in {access.name}", index, len(pages))
            slide, area, notes = overview_frame(deck, fonts, title, "RBAC")
            used = _draw(deck, fonts, slide, area, access, page, key)
            slide.anchors = _anchors(access, page)
            slide.notes = "\n".join(notes + _notes(access, page, key, used))
            slides.append(slide)
    return slides


def access_anchor(persona_id: str, service: str) -> str:
    """The name of the RBAC slide showing *persona_id*'s roles on *service* (cards link to it)."""
    return f"rbac:{persona_id.casefold()}:{service.casefold()}"


def _anchors(access: Access, page: Page) -> list[str]:
    return [
        access_anchor(persona.id, service)
        for block in page.blocks
        for persona in block.personas
        for service in block.services
        if service in access.held.get(persona.id, {})
    ]


@dataclass
class Access:
    """Who holds which role on what in some environments, indexed both ways."""

    environments: list[str]
    personas: list[Persona]
    """Those holding a role here, in deck order."""
    services: list[str]
    """Those with a role held here, in the order grants first name them."""
    held: dict[str, dict[str, dict[str, str]]]
    """Persona id to service to environment to role."""
    holders: dict[str, list[str]]
    """Service to the ids of personas holding a role on it."""
    _widest: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def of(cls, deck: Deck, services: list[str], environments: list[str]) -> Access:
        held: dict[str, dict[str, dict[str, str]]] = {}
        holders: dict[str, list[str]] = {}
        assert deck.rbac is not None
        for grant in deck.rbac.grants:
            for env in environments:
                role = grant.roles.get(env)
                if role:
                    held.setdefault(grant.persona, {}).setdefault(grant.service, {})[env] = role
                    if grant.persona not in holders.get(grant.service, ()):
                        holders.setdefault(grant.service, []).append(grant.persona)
        personas = [p for p in deck.personas if p.id in held]
        return cls(environments, personas, [s for s in services if s in holders], held, holders)

    @property
    def name(self) -> str:
        return self.environments[0] if len(self.environments) == 1 else ALL_ENVIRONMENTS

    @property
    def split(self) -> bool:
        """Whether each persona's column splits into a sub-column per environment."""
        return len(self.environments) > 1

    def role(self, persona: str, service: str, env: str) -> str:
        return self.held.get(persona, {}).get(service, {}).get(env, "")

    def parts(self) -> set[str]:
        return {
            part
            for services in self.held.values()
            for roles in services.values()
            for role in roles.values()
            for part in _parts(role)
        }

    def widest(self, persona: str, key: dict[str, str], fonts: Fonts) -> list[float]:
        """Per environment, the widest text of the persona's sub-column at 1 pt (bold, as a
        flagged role is drawn): widths scale with size, so this is measured once."""
        found = self._widest.get(persona)
        if found is None:
            short = self._short
            found = []
            for env in self.environments:
                texts = {
                    _cell_text(roles.get(env, ""), env, key) for roles in self.held.get(persona, {}).values()
                }
                if self.split:
                    texts.add(short[env])
                found.append(max((fonts.width_pt(text, 1, bold=True) for text in texts if text), default=0.0))
            self._widest[persona] = found
        return found

    @cached_property
    def _short(self) -> dict[str, str]:
        return self.short_names()

    def short_names(self) -> dict[str, str]:
        """Each environment's sub-column heading: the shortest prefix that tells them apart."""
        names = {}
        for env in self.environments:
            for length in range(1, len(env) + 1):
                prefix = env[:length]
                if (
                    sum(1 for other in self.environments if other[:length].casefold() == prefix.casefold())
                    == 1
                ):
                    break
            names[env] = prefix
        return names


def abbreviations(roles) -> dict[str, str]:
    """A short, unique form of every role part (roles may list several: ``Reader, KVA``).

    Owner, Contributor and Reader become O, C and R; a short single word stays as it is;
    any other role becomes its words' initials (AzureML Data Scientist: ADS).
    """
    key: dict[str, str] = {}
    taken: set[str] = set(STANDARD.values())
    for role in roles:
        for part in _parts(role):
            if part in key:
                continue
            short = STANDARD.get(part.casefold())
            if short is None:
                words = part.split()
                short = part if len(words) == 1 and len(part) <= 5 else "".join(w[0] for w in words).upper()
                candidate, number = short, 1
                while candidate in taken:
                    number += 1
                    candidate = f"{short}{number}"
                short = candidate
            taken.add(short)
            key[part] = short
    return key


def _parts(role: str) -> list[str]:
    return [part.strip() for part in role.split(",") if part.strip()]


@dataclass
class Block:
    """One matrix: some services (rows) against the personas that hold a role on them."""

    services: list[str]
    heights: list[int]
    personas: list[Persona]
    widths: list[list[int]]
    """Per persona, the widths of its sub-columns (one per environment shown)."""

    @property
    def width(self) -> int:
        return sum(sum(w) for w in self.widths)


@dataclass
class Page:
    """What one slide shows: matrices side by side."""

    blocks: list[Block]
    size: int
    service_w: int
    header_h: int

    @property
    def personas(self) -> list[Persona]:
        return list({id(p): p for block in self.blocks for p in block.personas}.values())


def _pages(fonts: Fonts, area: Box, access: Access, key: dict[str, str]) -> list[Page]:
    """The pages of *access* at the size that needs the fewest, larger on a tie."""
    best: list[Page] | None = None
    for size in SIZES:
        pages = _pages_at(fonts, area, access, key, size)
        if best is None or len(pages) < len(best):
            best = pages
    assert best is not None
    return best


def _pages_at(fonts: Fonts, area: Box, access: Access, key: dict[str, str], size: int) -> list[Page]:
    """Services split into matrices of about equal height, each with the personas holding a
    role on its services; matrices side by side while they fit the width; persona columns
    split over pages only when one matrix is wider than the slide."""
    services = access.services
    service_w = _service_width(services, size, fonts)
    header_h = _row_height(fonts, [("Service", service_w)], size, bold=True)
    if access.split:
        header_h *= 2  # the chips, then the environments under them
    entries = _environment_key(access) + _other_roles(key, access.parts())
    room = area.h - header_h - _legend_height(fonts, area.w, entries)
    heights = [min(_row_height(fonts, [(s, service_w)], size), room) for s in services]
    widths = {p.id: _persona_widths(p, access, key, size, fonts) for p in access.personas}
    order = {p.id: index for index, p in enumerate(access.personas)}
    by_id = {p.id: p for p in access.personas}
    gap = pt(BLOCK_GAP_PT)

    def blocks_for(rows: list[int]) -> list[Block]:
        ids = {pid for i in rows for pid in access.holders[services[i]]}
        members = [by_id[pid] for pid in sorted(ids, key=order.__getitem__)]
        groups = _persona_groups([sum(widths[p.id]) for p in members], area.w - service_w)
        blocks = []
        for group in groups:
            chosen = [members[i] for i in group]
            held = {service for p in chosen for service in access.held[p.id]}
            shown = [i for i in rows if services[i] in held]
            blocks.append(
                Block(
                    [services[i] for i in shown],
                    [heights[i] for i in shown],
                    chosen,
                    [widths[p.id] for p in chosen],
                )
            )
        return blocks

    def packed(chunks: list[list[int]]) -> list[list[Block]]:
        slides: list[list[Block]] = []
        used = 0
        for chunk in chunks:
            blocks = blocks_for(chunk)
            for block in blocks:
                width = service_w + block.width
                fits = used + gap + width <= area.w
                if slides and len(blocks) == 1 and len(slides[-1]) < MAX_BLOCKS and fits:
                    slides[-1].append(block)
                    used += gap + width
                else:
                    slides.append([block])
                    used = width
        return slides

    chunks = balanced_pages(heights, room)
    layout = packed(chunks)
    if 1 < len(layout) < len(chunks):  # matrices side by side: spread the rows evenly
        per_slide = -(-len(chunks) // len(layout))
        even = packed(balanced_pages(heights, room, parts=min(len(services), len(layout) * per_slide)))
        if len(even) <= len(layout):
            layout = even
    return [Page(blocks, size, service_w, header_h) for blocks in layout]


def _persona_groups(widths: list[int], room: int) -> list[list[int]]:
    """Persona columns in groups that fit *room*, as even in number as they can be."""
    if sum(widths) <= room:
        return [list(range(len(widths)))]
    per_page = max(1, room // max(widths))
    return [list(chunk) for chunk in even_chunks(len(widths), per_page)]


def _service_width(services: list[str], size: int, fonts: Fonts) -> int:
    """Wide enough for the longest service name on one line, up to a limit, and for its
    longest word (a word longer than the limit itself, a URL, may split)."""
    widest = max(fonts.width_pt(s, size) for s in services)
    longest_word = max(fonts.width_pt(w, size) for s in services for w in s.split() or [s])
    header = fonts.width_pt("Service", size, bold=True)
    return pt(min(max(min(widest, SERVICE_MAX_PT), longest_word, header), SERVICE_MAX_PT) + 2) + (
        INSET[0] + INSET[2]
    )


def _cell_text(role: str, env: str, key: dict[str, str]) -> str:
    text = ", ".join(key.get(part, part) for part in _parts(role))
    return text + PRODUCTION_MARK if _flagged(role, env) else text


def _flagged(role: str, env: str) -> bool:
    return is_production(env) and rank(role) >= 2


def _persona_widths(
    persona: Persona, access: Access, key: dict[str, str], size: int, fonts: Fonts
) -> list[int]:
    """A persona's sub-columns, each as wide as its widest abbreviated role (and its
    environment's heading), together at least as wide as the persona's ID chip."""
    pad = INSET[0] + INSET[2]
    widths = [pt(min(widest * size, 120) + 2) + pad for widest in access.widest(persona.id, key, fonts)]
    chip = max(pt(PERSONA_MIN_PT), pt(min(fonts.width_pt(persona.id, size, bold=True), 120) + 2) + pad)
    if sum(widths) < chip:
        extra = chip - sum(widths)
        widths = [
            w + extra // len(widths) + (1 if i < extra % len(widths) else 0) for i, w in enumerate(widths)
        ]
    return widths


def _row_height(fonts: Fonts, texts: list[tuple[str, int]], size: int, bold: bool = False) -> int:
    lines = max(len(fonts.wrapped(t, w - INSET[0] - INSET[2], size, bold=bold)) for t, w in texts)
    return round(lines * line_height(size) * EMU_PER_PT) + INSET[1] + INSET[3] + pt(2)


def _draw(deck: Deck, fonts: Fonts, slide: Slide, area: Box, access: Access, page: Page, key) -> set[str]:
    """The page's matrices and legend; returns the role parts shown (for the key)."""
    theme = deck.theme
    used: set[str] = set()
    x = area.x
    bottom = area.y
    short = access.short_names()
    for number, block in enumerate(page.blocks, start=1):
        rows = _header_rows(theme, access, block, page.size, short)
        for service in block.services:
            row = [_cell(service, theme.background, page.size, colour=theme.text)]
            for persona in block.personas:
                for env in access.environments:
                    role = access.role(persona.id, service, env)
                    used.update(_parts(role))
                    row.append(_role_cell(role, env, key, page.size, theme.background))
            rows.append(tuple(row))
        header_heights = (
            (page.header_h // 2, page.header_h - page.header_h // 2) if access.split else (page.header_h,)
        )
        heights = (*header_heights, *block.heights)
        columns = (page.service_w, *(w for widths in block.widths for w in widths))
        name = f"RBAC {access.name}" + (f" {number}" if len(page.blocks) > 1 else "")
        table = Table(name, Box(x, area.y, sum(columns), sum(heights)), columns, tuple(rows), heights)
        slide.add(replace(table, header_rows=len(header_heights)))
        x += sum(columns) + pt(BLOCK_GAP_PT)
        bottom = max(bottom, area.y + sum(heights))
    below = Box(area.x, bottom + pt(14), area.w, area.bottom - bottom - pt(14))
    _legend(deck, fonts, slide, below, access, used, key)
    return used


def _header_rows(
    theme, access: Access, block: Block, size: int, short: dict[str, str]
) -> list[tuple[Cell, ...]]:
    """The chips row (each chip across its persona's sub-columns), and under it, when the
    matrix holds every environment, a row naming each sub-column's environment."""
    chips = [_cell("Service", theme.text, size, bold=True)]
    envs = [_cell("", theme.text, size)]
    count = len(access.environments)
    for persona in block.personas:
        chip = _cell(persona.id, persona.colour.hex, size, bold=True, align="ctr")
        chips.append(replace(chip, span=count) if count > 1 else chip)
        chips += [replace(_cell("", persona.colour.hex, size), merged=True)] * (count - 1)
        envs += [
            _cell(short[env], theme.card, size, colour=theme.text, align="ctr") for env in access.environments
        ]
    return [tuple(chips), tuple(envs)] if access.split else [tuple(chips)]


@lru_cache(maxsize=4096)
def _cell(text: str, fill: str, size: int, bold: bool = False, colour: str | None = None, align="l") -> Cell:
    """A table cell; cells are values, so equal ones (most are empty) are made once."""
    paragraph = Paragraph((Run(text),), size, colour=colour or text_on(fill), bold=bold, align=align)
    return Cell(TextFrame((paragraph,), anchor="ctr", inset=INSET), fill)


def _role_cell(role: str, env: str, key: dict[str, str], size: int, background: str) -> Cell:
    if not role:
        return _cell("", background, size)
    fill = PRODUCTION_FILL if _flagged(role, env) else RANK_FILLS[rank(role)]
    return _cell(_cell_text(role, env, key), fill, size, bold=_flagged(role, env), align="ctr")


def _other_roles(key: dict[str, str], used: set[str]) -> list[str]:
    """Key entries for the abbreviations other than O, C and R, in alphabetical order."""
    others = sorted((key[part], part) for part in used if part in key and part.casefold() not in STANDARD)
    return [f"{short} {part}" for short, part in others]


def _key_paragraph(
    fonts: Fonts, entries: list[str], width: int, colour: str, max_lines: int = MAX_KEY_LINES
) -> Paragraph | None:
    """The key to other abbreviations on at most *max_lines* lines; the rest is in the notes."""
    if not entries:
        return None
    for count in range(len(entries), 0, -1):
        text = "   ".join(entries[:count])
        if count < len(entries):
            text += f"   + {len(entries) - count} more in the notes"
        paragraph = Paragraph((Run(text),), KEY_SIZE, colour=colour)
        if len(fonts.lines(paragraph, width)) <= max_lines:
            return paragraph
    return Paragraph((Run(f"{len(entries)} other roles: see the notes"),), KEY_SIZE, colour=colour)


def _environment_key(access: Access) -> list[str]:
    """Key entries for the environments' sub-column headings, when a matrix has them."""
    if not access.split:
        return []
    short = access.short_names()
    return [f"{short[env]} {env}" for env in access.environments]


def _legend_height(fonts: Fonts, width: int, entries: list[str]) -> int:
    """Room for the swatches and the key under the matrices."""
    paragraph = _key_paragraph(fonts, entries, width, "000000")
    key_h = round(fonts.height_pt([paragraph], width) * EMU_PER_PT) + pt(4) if paragraph else 0
    return pt(SWATCH_PT) + key_h + pt(10)


def _legend(deck, fonts, slide, area, access: Access, used: set[str], key: dict[str, str]) -> None:
    """Colour swatches with their abbreviations, then the key to the other abbreviations, at
    the top of *area* (the room under the matrices)."""
    theme = deck.theme
    room = (area.h - pt(SWATCH_PT) - pt(4)) / EMU_PER_PT
    lines = max(MAX_KEY_LINES, int(room // line_height(KEY_SIZE)))
    entries = _environment_key(access) + _other_roles(key, used)
    paragraph = _key_paragraph(fonts, entries, area.w, theme.muted, lines)
    key_h = round(fonts.height_pt([paragraph], area.w) * EMU_PER_PT) if paragraph else 0
    swatch_h = pt(SWATCH_PT)
    y = area.y
    x = area.x
    swatches = [(RANK_FILLS[value], RANK_NAMES[value]) for value in (3, 2, 1, 0)]
    production = any(is_production(env) for env in access.environments)
    if production:
        swatches.append((PRODUCTION_FILL, "Owner or Contributor in production"))
    for fill, label in swatches:
        short = STANDARD.get(
            label.casefold(), f"O{PRODUCTION_MARK} C{PRODUCTION_MARK}" if fill == PRODUCTION_FILL else ""
        )
        text = f"{short} {label}".strip()
        width = pt(fonts.width_pt(text, KEY_SIZE, bold=True) + 14)
        swatch = Paragraph(
            (Run(text),), KEY_SIZE, colour=text_on(fill), bold=fill == PRODUCTION_FILL, align="ctr"
        )
        slide.add(
            Shape(
                f"legend:{label}",
                Box(x, y, width, swatch_h),
                fill=fill,
                text=TextFrame((swatch,), anchor="ctr"),
            )
        )
        x += width + pt(6)
    if production:
        note = "should be read-only, or granted just in time"
        box = Box(x + pt(4), y, max(0, area.right - x - pt(4)), swatch_h)
        if fonts.width_pt(note, KEY_SIZE) <= box.w / EMU_PER_PT:
            slide.add(text_box("Legend", box, [Paragraph((Run(note),), KEY_SIZE, colour=theme.muted)], "ctr"))
    if paragraph is not None:
        slide.add(text_box("Key", Box(area.x, y + swatch_h + pt(4), area.w, key_h), [paragraph]))


def _notes(access: Access, page: Page, key: dict[str, str], used: set[str]) -> list[str]:
    """Each persona's name and roles in full, and the key to the abbreviations shown."""
    lines = [f"Access in {access.name}, roles in full:"]
    shown = {s for block in page.blocks for s in block.services}
    for persona in page.personas:
        held = []
        for service, roles in access.held.get(persona.id, {}).items():
            if service in shown:
                if access.split:
                    held.append(f"{service}: " + ", ".join(f"{env} {role}" for env, role in roles.items()))
                else:
                    held.append(f"{service}: {next(iter(roles.values()))}")
        if held:
            lines.append(f"{persona.id} {persona.name}: " + "; ".join(held))
    if access.split:
        short = access.short_names()
        lines.append("Environments: " + "; ".join(f"{short[env]} = {env}" for env in access.environments))
    abbreviations_used = sorted((key[part], part) for part in used if part in key)
    if abbreviations_used:
        lines.append("Key: " + "; ".join(f"{short} = {part}" for short, part in abbreviations_used))
    return ["\n".join(lines)]


def slides(deck: Deck, options: Options, fonts: Fonts, report: Report) -> list[Slide]:
    """The `rbac` section."""
    return rbac_slides(deck, fonts, report)
