"""The resolved deck: personas, teams, processes and architectures with references checked."""

from .deck import (
    Architecture,
    Component,
    Deck,
    Flow,
    Grant,
    Layer,
    Link,
    Persona,
    PrintOptions,
    Process,
    Rbac,
    Section,
    Service,
    Story,
    Team,
    UseCase,
)

__all__ = [
    "Architecture",
    "Component",
    "Deck",
    "Flow",
    "Grant",
    "Layer",
    "Link",
    "Persona",
    "PrintOptions",
    "Process",
    "Rbac",
    "Section",
    "Service",
    "Story",
    "Team",
    "UseCase",
]
