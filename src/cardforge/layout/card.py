"""Persona card slides: a header band in the persona colour and the template's fields.

The fields follow the persona template: Team, Primary interaction, Component access,
Processes, Skills, Links to learn (shown as "-" when empty, so a card shows what is
missing), plus Goal, Example roles, Scope, Architecture, People, Responsibilities and Data
access where the deck gives them. Each service the persona holds a role on links to the RBAC
slide that shows those roles.

Every card of a deck sets its values in one size, the largest at which the densest card
fits; a few overfull cards do not pull a whole deck below 12 pt: they keep the deck's size
and shorten their longest lists ("+ 4 more"), kept whole in the speaker notes. A list of
personas is shortened last. Fields flow from the left column into the right one in the
template's order, split where the two columns come out most even.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..diagnostics import Report
from ..model import Deck, Persona
from ..spec.slides import CardsOptions
from ..text.fit import line_height
from ..theme.contrast import text_on
from .chrome import Frame, fitted_title, footer
from .fonts import Fonts
from .labels import partner_labels
from .rbac import access_anchor
from .shapes import EMU_PER_PT, Box, Paragraph, Run, Shape, Slide, TextFrame, pt

VALUE_SIZES = range(18, 9, -1)
MIN_VALUE_SIZE = VALUE_SIZES[-1]
REASONABLE_SIZE = 12
"""The deck's card size goes below this only when more than one card in ten needs it."""
OUTLIER_SHARE = 0.1
TEMPLATE_FIELDS = ("team", "interacts_with", "processes", "services", "skills", "learn")
"""The persona template's fields: shown on every card, as "-" when the deck leaves them empty."""
EMPTY = "-"
TITLE_SIZES = range(32, 15, -1)
BAND_HEIGHT = 92
PANEL_PADDING = 20
COLUMN_GAP = 28
VALUE_GAP_PT = 2
"""Space above each value paragraph, under its label or the item before."""
LEFT_SHARE = 0.45
COMPACT_SCALE = 0.45
COMPACT_FIELDS = ("team", "interacts_with", "processes", "services", "skills")


@dataclass
class Field:
    """One template field: a label and either running text or a list of items."""

    key: str
    label: str
    items: list[Run]
    as_list: bool = False
    """Draw each item as a bullet; otherwise items are joined on one paragraph."""
    separator: str = ", "
    italic: bool = False
    hidden: int = 0
    """How many trailing items are cut from view (shown as "+ N more")."""
    extras: dict[int, tuple[Run, ...]] = field(default_factory=dict)
    """Runs after item *i* of a list: a service's link to its roles, beside its own link."""
    clipped: str | None = None
    """The visible start of a value too long for the card, when it had to be cut."""

    @property
    def shown(self) -> list[Run]:
        if self.clipped is not None and self.items:
            return [replace(self.items[0], text=self.clipped)]
        return self.items[: len(self.items) - self.hidden] if self.hidden else self.items

    @property
    def is_cut(self) -> bool:
        return bool(self.hidden) or self.clipped is not None


@dataclass
class CardText:
    left: list[Field]
    right: list[Field]
    cut: list[Field] = field(default_factory=list)
    measured: _Heights | None = None
    """The fields' heights, kept from choosing the deck's size to laying the card out."""

    def heights(self, columns: tuple[Box, Box], fonts: Fonts) -> _Heights:
        fields = self.left + self.right
        known = self.measured
        if (
            known is None
            or known.columns != columns
            or [id(f) for f in known.fields] != [id(f) for f in fields]
        ):
            known = self.measured = _Heights(fields, columns, fonts)
        return known


def card_slides(deck: Deck, personas: list[Persona], fonts: Fonts, report: Report) -> list[Slide]:
    """One slide per persona, all with the same value size (see :func:`deck_value_size`)."""
    frame = Frame.for_deck(deck)
    texts = [card_fields(deck, p, deck.theme.text) for p in personas]
    columns, sizes = _columns(frame, compact=False)
    size = deck_value_size([_fitting_size(text, columns, fonts, sizes) for text in texts], sizes)
    return [
        card_slide(deck, persona, fonts, report, frame, size=size, text=text)
        for persona, text in zip(personas, texts)
    ]


def deck_value_size(best: list[int | None], sizes: range) -> int:
    """The value size for every card of a deck, from each card's largest fitting size (``None``
    where a card fits at no size): the densest card's, unless that is below 12 pt for the sake
    of at most one card in ten; those few cards are then shortened instead."""
    if not best:
        return sizes[0]
    needed = sorted(b if b is not None else sizes[-1] - 1 for b in best)
    size = needed[0]
    floor = min(REASONABLE_SIZE, sizes[0])
    if size < floor:
        outliers = sum(1 for b in needed if b < floor)
        if outliers <= OUTLIER_SHARE * len(needed):
            size = next(b for b in needed if b >= floor)
    return max(size, sizes[-1])


def _columns(frame: Frame, compact: bool) -> tuple[tuple[Box, Box], range]:
    """The two text columns of a card's panel (one on a portrait card), and the value sizes."""
    s = frame.scale
    band_bottom = pt(BAND_HEIGHT * s)
    panel_y = band_bottom + pt(20 * s)
    panel = Box(
        frame.margin,
        panel_y,
        frame.width - 2 * frame.margin,
        frame.height - frame.margin // 2 - frame.footer_height - pt(12 * s) - panel_y,
    )
    padding = pt(PANEL_PADDING * s)
    inner = panel.inset(padding + pt(6 * s), padding, padding, padding)
    sizes = _scaled(VALUE_SIZES, s, 6 if compact else 7)
    if frame.width < frame.height:  # a portrait card: one column
        return (inner, Box(inner.right, inner.y, 0, inner.h)), sizes
    gap = pt(COLUMN_GAP * s)
    left_w = round((inner.w - gap) * LEFT_SHARE)
    return (
        Box(inner.x, inner.y, left_w, inner.h),
        Box(inner.x + left_w + gap, inner.y, inner.w - left_w - gap, inner.h),
    ), sizes


def card_slide(
    deck: Deck,
    persona: Persona,
    fonts: Fonts,
    report: Report,
    frame: Frame | None = None,
    size: int | None = None,
    text: CardText | None = None,
) -> Slide:
    """A persona card on a slide, or on a *frame* of another size (a printed card).

    *size* is the value size the deck chose for all its cards; without it the card takes
    the largest size at which it fits by itself.
    """
    frame = frame or Frame.for_deck(deck)
    s = frame.scale
    theme = deck.theme
    slide = Slide(persona.title, anchor=f"card:{persona.id}")
    band_text = text_on(persona.colour.hex, theme.text, "FFFFFF")
    band = Box(0, 0, frame.width, pt(BAND_HEIGHT * s))
    slide.add(
        Shape(f"persona:{persona.id}:band", band, fill=persona.colour.hex)
    )  # behind the title: decorative

    pill_width = pt(96 * s) if persona.is_agent else 0
    title_box = Box(
        frame.margin, 0, band.w - 2 * frame.margin - (pill_width + pt(16 * s) if pill_width else 0), band.h
    )
    title_sizes = _scaled(TITLE_SIZES, s, 7)
    tag = persona.title[len(persona.name) :].strip()
    title, whole = fitted_title(
        fonts, persona.title, title_box.inset(0, pt(8 * s)), band_text, title_sizes, 2, keep_whole=tag
    )
    slide.add(
        Shape(
            "Title",
            title_box,
            text=TextFrame((title,), anchor="ctr", inset=(0, pt(8 * s), 0, pt(8 * s))),
            is_title=True,
        )
    )
    if not whole:
        _warn(
            report,
            deck,
            persona,
            (),
            f"{persona.id}: the card title is too long to show whole; it is in the speaker notes",
        )
    if persona.is_agent:
        slide.add(_agent_pill(band, frame, pill_width, band_text, fonts))

    compact = s < COMPACT_SCALE
    columns, sizes = _columns(frame, compact)
    panel = Box(frame.margin, band.bottom + pt(20 * s), frame.width - 2 * frame.margin, 0)
    panel = replace(panel, h=frame.height - frame.margin // 2 - frame.footer_height - pt(12 * s) - panel.y)
    outline = "BFBFBF" if theme.card == theme.background else None  # a white card on white needs an edge
    slide.add(
        Shape(
            f"persona:{persona.id}:panel",
            panel,
            geometry="rect",
            fill=theme.card,
            line=outline,
            line_width=pt(0.75),
        )
    )
    slide.add(
        Shape(
            f"persona:{persona.id}:accent", Box(panel.x, panel.y, pt(6 * s), panel.h), fill=persona.colour.hex
        )
    )

    text = text or card_fields(deck, persona, theme.text)
    if compact:  # a playing-card size: the fields a workshop needs at a glance
        text.left = [f for f in text.left if f.key in COMPACT_FIELDS]
        text.right = [f for f in text.right if f.key in COMPACT_FIELDS]
    if columns[1].w == 0:
        text.left, text.right = text.left + text.right, []
    if size is not None:
        sizes = range(size, size - 1, -1)
    size = _fit(text, columns, fonts, sizes)
    for column, fields, name in zip(columns, (text.left, text.right), ("left", "right")):
        paragraphs = render_fields(fields, size, theme.muted, theme.text)
        if paragraphs:
            height = round(fonts.height_pt(paragraphs, column.w) * EMU_PER_PT) + pt(4)
            slide.add(
                Shape(
                    f"persona:{persona.id}:{name}",
                    replace(column, h=min(height, column.h)),
                    text=TextFrame(tuple(paragraphs)),
                    is_textbox=True,
                )
            )
    for cut in text.cut:
        _warn(
            report,
            deck,
            persona,
            (cut.key,),
            f"{persona.id} {persona.name}: `{cut.key}` is too long for the card and is shortened "
            f"({_how_cut(cut)}); the full text is in the speaker notes",
        )
    slide.notes = card_notes(persona, text.cut, None if whole else persona.title)
    footer(deck, frame, fonts, slide, page_label=persona.id)
    return slide


def _scaled(sizes: range, scale: float, floor: int) -> range:
    """*sizes* (largest first) scaled to a smaller frame, never below *floor* points."""
    smallest = max(floor, round(sizes[-1] * scale))
    largest = max(smallest, round(sizes[0] * scale))
    return range(largest, smallest - 1, -1)


def _agent_pill(band: Box, frame: Frame, width: int, colour: str, fonts: Fonts) -> Shape:
    height = pt(28 * frame.scale)
    box = Box(band.right - frame.margin - width, band.y + (band.h - height) // 2, width, height)
    paragraph = Paragraph(
        (Run("AGENT"),), max(7, round(12 * frame.scale)), colour=colour, bold=True, align="ctr"
    )
    return Shape(
        "Agent marker",
        box,
        geometry="roundRect",
        line=colour,
        line_width=pt(1.25),
        text=TextFrame((paragraph,), anchor="ctr"),
        adjust=50000,
        description="Unattended agent persona",
    )


def card_fields(deck: Deck, persona: Persona, text_colour: str) -> CardText:
    """The persona's template fields, split into the card's two columns."""
    architectures = [
        deck.architectures[a].title if a in deck.architectures else a for a in persona.architectures
    ]
    left = [
        Field("goal", "Goal", _runs([persona.goal] if persona.goal else []), italic=True),
        Field("team", "Team", _runs([persona.team] if persona.team else [])),
        Field("example_roles", "Example roles", _runs(persona.example_roles)),
        Field("interacts_with", "Primary interaction", _runs(partner_labels(deck, persona))),
        Field("processes", "Processes", _runs(persona.process_labels)),
        Field("architectures", "Architecture", _runs(architectures)),
        Field("scope", "Scope", _runs([persona.scope] if persona.scope else [])),
        _people_field(persona),
    ]
    right = [
        Field("responsibilities", "Responsibilities", _runs(persona.responsibilities), as_list=True),
        _services_field(deck, persona),
        Field("data_access", "Data access", _runs([persona.data_access] if persona.data_access else [])),
        Field("skills", "Skills", _runs(persona.skills), separator=" · "),
        Field(
            "learn",
            "Links to learn",
            [Run(link.title, link=link.url) for link in persona.learn],
            as_list=True,
        ),
    ]
    return CardText(
        [f for f in left if f.items or f.key in TEMPLATE_FIELDS],
        [f for f in right if f.items or f.key in TEMPLATE_FIELDS],
    )


def _runs(texts) -> list[Run]:
    return [Run(text) for text in texts]


ROLES_LINK = "roles"


def _services_field(deck: Deck, persona: Persona) -> Field:
    """Component access: each service links to the RBAC slide with the persona's roles on it;
    a service with a link of its own keeps it, and a short "roles" link follows."""
    granted = deck.granted(persona.id)
    items: list[Run] = []
    extras: dict[int, tuple[Run, ...]] = {}
    for index, service in enumerate(persona.services):
        roles = f"#{access_anchor(persona.id, service.name)}" if service.name.casefold() in granted else None
        link = service.url or roles
        if service.url and roles:
            extras[index] = (
                # LibreOffice draws the last word of a link that plain text follows in the
                # paragraph's colour, so the separator belongs to the next link, not underlined.
                Run(" · ", link=roles, colour=deck.theme.muted, underline=False, only_with=roles),
                Run(ROLES_LINK, link=roles, colour=deck.theme.accent, only_with=roles),
            )
        items.append(Run(service.name, link=link, colour=deck.theme.accent if link else None))
    return Field("services", "Component access", items, as_list=True, extras=extras)


def _people_field(persona: Persona) -> Field:
    if persona.people is None:
        return Field("people", "People", [])
    if not persona.people:
        label = "Nobody yet: a staffing gap" if not persona.is_agent else "Runs unattended"
        return Field("people", "People", [Run(label)], italic=True)
    return Field("people", "People", _runs(persona.people))


def render_fields(fields: list[Field], size: int, label_colour: str, text_colour: str) -> list[Paragraph]:
    """Paragraphs for *fields* at value *size*: a bold label, then the values."""
    label_size = _label_size(size)
    gap = round(size * 0.7)
    paragraphs: list[Paragraph] = []
    for field_ in fields:
        paragraphs.append(
            Paragraph(
                (Run(field_.label),),
                label_size,
                colour=label_colour,
                bold=True,
                space_before=gap if paragraphs else 0,
            )
        )
        shown = field_.shown
        more = [Run(_more_text(field_.hidden), italic=True)] if field_.hidden else []
        if not field_.items:
            paragraphs.append(Paragraph((Run(EMPTY),), size, colour=label_colour, space_before=VALUE_GAP_PT))
        elif field_.as_list:
            for index, run in enumerate(shown + more):
                extra = field_.extras.get(index, ()) if index < len(shown) else ()
                paragraphs.append(
                    Paragraph((run, *extra), size, colour=text_colour, bullet=True, space_before=VALUE_GAP_PT)
                )
        else:
            runs: list[Run] = []
            for index, run in enumerate(shown + more):
                if index:
                    runs.append(Run(field_.separator))
                runs.append(replace(run, italic=True) if field_.italic and not run.italic else run)
            paragraphs.append(Paragraph(tuple(runs), size, colour=text_colour, space_before=VALUE_GAP_PT))
    return paragraphs


def _label_size(size: int) -> int:
    """Labels are a step below the values (never larger), and never under 10 pt on a slide;
    compact cards (print sheets of slide size) scale below that with the card."""
    if size < MIN_VALUE_SIZE:
        return max(6, size - 1)
    return max(MIN_VALUE_SIZE, size - 3)


def _more_text(hidden: int) -> str:
    return f"+ {hidden} more (see notes)"


def _fit(text: CardText, columns: tuple[Box, Box], fonts: Fonts, sizes: range = VALUE_SIZES) -> int:
    """Choose the value size and where the fields break between the two columns.

    Fields keep the template's reading order, flowing from the left column into the right
    one, and break where the taller column is least tall (the columns come out even). Below
    the smallest size, long lists are shortened instead.
    """
    measure = text.heights(columns, fonts)
    fields = measure.fields
    for size in sizes:
        k = measure.best_split(size)
        if k is not None:
            text.left, text.right = fields[:k], fields[k:]
            return size
    smallest = sizes[-1]
    k = measure.best_split(smallest, fitting=False)
    assert k is not None
    text.left, text.right = fields[:k], fields[k:]
    dropped = []
    text.measured = None  # shortening changes the fields' heights
    for column_fields, column in zip((text.left, text.right), columns):
        dropped += _shorten(column_fields, column, fonts, smallest)
    text.cut = [f for f in text.left + text.right if f.is_cut] + dropped
    return smallest


def _fitting_size(text: CardText, columns: tuple[Box, Box], fonts: Fonts, sizes: range) -> int | None:
    """The largest of *sizes* at which the card's fields fit whole, or ``None``."""
    measure = text.heights(columns, fonts)
    return next((size for size in sizes if measure.best_split(size) is not None), None)


class _Heights:
    """Column heights of a card's fields at each size and split, each field measured once."""

    def __init__(self, fields: list[Field], columns: tuple[Box, Box], fonts: Fonts):
        self.fields = fields
        self.columns = columns
        self.fonts = fonts
        self.limit = columns[0].h / EMU_PER_PT
        self._sums: dict[tuple[int, int], list[float]] = {}

    def _prefix(self, size: int, column: int) -> list[float]:
        """Running totals of the fields' heights in *column* at *size*."""
        key = (size, column)
        sums = self._sums.get(key)
        if sums is None:
            width = self.columns[column].w
            sums = [0.0]
            for field_ in self.fields:
                sums.append(sums[-1] + field_height(field_, size, width, self.fonts))
            self._sums[key] = sums
        return sums

    def column(self, first: int, last: int, size: int, column: int) -> float:
        if last <= first:
            return 0.0
        sums = self._prefix(size, column)
        return sums[last] - sums[first] + round(size * 0.7) * (last - first - 1)

    def best_split(self, size: int, fitting: bool = True) -> int | None:
        """Where the fields break at *size*: the split whose taller column is least tall,
        among those that fit (all of them when *fitting* is false); ``None`` if none fits."""
        count = len(self.fields)
        if self.columns[1].w == 0:
            left = self.column(0, count, size, 0)
            return count if not fitting or left <= self.limit else None
        best, best_height = None, 0.0
        for k in range(count + 1):
            left, right = self.column(0, k, size, 0), self.column(k, count, size, 1)
            if fitting and (left > self.limit or right > self.limit):
                continue
            if best is None or max(left, right) < best_height:
                best, best_height = k, max(left, right)
        return best


def field_height(field_: Field, size: int, width: int, fonts: Fonts) -> float:
    """Height in points of one field (label and values) as :func:`render_fields` draws it.

    Measured from the texts alone, without building paragraphs: fitting a card asks this
    for every field at several sizes, and the wrapped lines are remembered by text.
    """
    label_size = _label_size(size)
    height = len(fonts.wrapped(field_.label, width, label_size, bold=True)) * line_height(label_size)
    texts = [
        run.text + "".join(r.text for r in field_.extras.get(i, ())) for i, run in enumerate(field_.shown)
    ]
    if field_.hidden:
        texts.append(_more_text(field_.hidden))
    if not field_.items:
        return height + VALUE_GAP_PT + line_height(size)
    if not field_.as_list:
        texts = [field_.separator.join(texts)]
    pitch = line_height(size)
    for text in texts:
        height += VALUE_GAP_PT + len(fonts.wrapped(text, width, size, bullet=field_.as_list)) * pitch
    return height


def _fits(fields: list[Field], column: Box, size: int, fonts: Fonts) -> bool:
    if not fields:
        return True
    paragraphs = render_fields(fields, size, "000000", "000000")
    return fonts.height_pt(paragraphs, column.w) <= column.h / EMU_PER_PT


def _shorten(fields: list[Field], column: Box, fonts: Fonts, size: int = MIN_VALUE_SIZE) -> list[Field]:
    """Make *fields* fit *column* at *size*; returns the fields dropped from view entirely.

    First the longest lists lose trailing items (one item stays), then the longest texts
    are cut with an ellipsis, and on a very small card the last fields go altogether.
    """
    dropped: list[Field] = []
    while not _fits(fields, column, size, fonts):
        lists = [f for f in fields if len(f.shown) > 1 and f.key != "interacts_with"] or [
            f for f in fields if len(f.shown) > 1
        ]  # a list of personas is shortened last: a name is never hidden for want of room
        texts = [f for f in fields if f.shown and len(f.shown[0].text) > 12]
        if lists:
            max(lists, key=lambda f: (len(f.shown), -fields.index(f))).hidden += 1
        elif texts:
            longest = max(texts, key=lambda f: len(f.shown[0].text))
            text = longest.shown[0].text.rstrip("…")
            longest.clipped = text[: max(10, len(text) * 3 // 4)].rstrip() + "…"
        elif fields:
            victim = fields.pop()
            victim.hidden = len(victim.items)
            dropped.append(victim)
        else:
            break
    return dropped


def _how_cut(field_: Field) -> str:
    if field_.hidden == len(field_.items):
        return "left off the card"
    if field_.clipped is not None:
        return "cut with an ellipsis"
    return f"{len(field_.items) - field_.hidden} of {len(field_.items)} entries shown"


def card_notes(persona: Persona, cut: list[Field], full_title: str | None) -> str:
    """Speaker notes: the facilitator's notes, then whatever the card could not show."""
    parts: list[str] = []
    if full_title:
        parts.append(full_title)
    if persona.notes:
        parts.append(persona.notes)
    for field_ in cut:
        lines = [f"{field_.label} (all {len(field_.items)}):"]
        for run in field_.items:
            lines.append(f"- {run.text}" + (f" <{run.link}>" if run.link else ""))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _warn(report: Report, deck: Deck, persona: Persona, where: tuple, message: str) -> None:
    position = deck.document.position((*persona.path, *where)) if deck.document else None
    if position is not None:
        report.warning(deck.file, position, message, "CF201")


def slides(deck: Deck, options: CardsOptions, fonts: Fonts, report: Report) -> list[Slide]:
    """The `cards` section: the chosen personas' cards in the order given, else every persona's."""
    personas = [deck.persona(pid) for pid in options.personas] if options.personas else deck.personas
    return card_slides(deck, [p for p in personas if p is not None], fonts, report)
