"""Architectures: the built-in ones (data files) and those a deck defines."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from ..diagnostics import Position, Report, did_you_mean
from ..paths import DATA_DIR
from ..spec.deck import ArchitectureSpec
from ..spec.validate import validate
from ..spec.yamlread import Document, PathKey, read_yaml
from .deck import Architecture, Component, Flow, Layer

BUILTIN_IDS = ("lambda", "rag-chat")


@cache
def builtin_architecture(arch_id: str) -> Architecture:
    """A built-in architecture, read from the package's data files."""
    path = DATA_DIR / "architectures" / f"{arch_id}.yaml"
    report = Report()
    document = read_yaml(path.read_bytes(), str(path), report)
    spec = validate(document, ArchitectureSpec, report) if document else None
    if spec is None or document is None:
        raise RuntimeError(
            f"built-in architecture {arch_id} is broken:\n" + "\n".join(map(str, report.diagnostics))
        )
    architecture = to_architecture(spec, document, (), report)
    architecture.builtin = True
    return architecture


def to_architecture(
    spec: ArchitectureSpec,
    document: Document,
    path: PathKey,
    report: Report,
    locate: Callable[[PathKey], Position] | None = None,
) -> Architecture:
    """Build an :class:`Architecture`, reporting duplicate ids and flows to unknown components.

    *locate* turns a path into a position in the file (default: the document's own).
    """
    locate = locate or document.position
    seen: dict[str, PathKey] = {}
    layers = []
    for layer_index, layer in enumerate(spec.layers):
        components = []
        for index, component in enumerate(layer.components):
            where = (*path, "layers", layer_index, "components", index, "id")
            key = component.id.casefold()
            if key in seen:
                first = locate(seen[key])
                report.error(
                    document.file,
                    locate(where),
                    f"component id `{component.id}` is already used at line {first.line}",
                    "CF406",
                )
                continue
            seen[key] = where
            components.append(
                Component(
                    component.id,
                    component.name,
                    tuple(component.aliases),
                    component.description,
                    component.kind,
                )
            )
        layers.append(Layer(layer.name, tuple(components)))
    ids = {key: locate(where) for key, where in seen.items()}
    canonical = {c.id.casefold(): c.id for layer in layers for c in layer.components}
    flows = []
    for index, flow in enumerate(spec.flows):
        ends = []
        for end_key, value in (("from", flow.source), ("to", flow.target)):
            if value.casefold() not in ids:
                report.error(
                    document.file,
                    locate((*path, "flows", index, end_key)),
                    f"flow {end_key} `{value}`: no component has this id"
                    f"{did_you_mean(value, canonical.values())}",
                    "CF405",
                )
            ends.append(canonical.get(value.casefold(), value))
        flows.append(Flow(ends[0], ends[1], flow.label))
    return Architecture(
        id=spec.id,
        title=spec.title or spec.id,
        layers=tuple(layers),
        flows=tuple(flows),
        description=spec.description,
        direction=spec.direction,
    )
