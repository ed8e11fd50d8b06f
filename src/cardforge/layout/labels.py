"""How references in the model read on a slide, a card or a page.

The model holds references (persona ids, team names); everything that shows them to a
reader formats them here, the same way everywhere.
"""

from __future__ import annotations

from ..model import Deck, Partner, Persona

EVERYONE = "All teams"


def partner_label(deck: Deck, partner: Partner) -> str:
    """A partner as a reader knows it: ``AI Data Engineer (P001)``, a team's name, or All teams."""
    if partner.kind == "persona":
        persona = deck.persona(partner.ref)
        return f"{persona.name} ({persona.id})" if persona is not None else partner.ref
    if partner.kind == "team":
        return partner.ref
    return EVERYONE


def partner_labels(deck: Deck, persona: Persona) -> list[str]:
    """Whom *persona* works with, in the deck's order."""
    return [partner_label(deck, partner) for partner in persona.interacts_with]
