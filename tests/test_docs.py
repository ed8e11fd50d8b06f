"""The documentation is kept in step with the code: every key, every code."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from cardforge.diagnostics import CODES
from cardforge.model.lint import KINDS
from cardforge.spec import deck as deck_spec
from cardforge.spec import theme as theme_spec
from cardforge.spec.jsonschema import deck_schema
from cardforge.spec.slides import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
FORMAT = (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")
DIAGNOSTICS = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
TABLE = re.compile(r"<!-- keys: (\w+) -->\n\|[^\n]*\n\|[^\n]*\n((?:\|[^\n]*\n)+)")


def documented_tables() -> dict[str, set[str]]:
    """Model name -> the keys its table in docs/deck-format.md lists."""
    return {
        match[1]: {re.match(r"\| `([^`]+)`", row)[1] for row in match[2].splitlines()}
        for match in TABLE.finditer(FORMAT)
    }


def models_in(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from *root* through its fields."""
    found: dict[str, type[BaseModel]] = {}
    pending = [root]
    while pending:
        model = pending.pop()
        if model.__name__ in found:
            continue
        found[model.__name__] = model
        for field in model.model_fields.values():
            pending += [
                t for t in _types(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)
            ]
    return found


def _types(annotation) -> list:
    args = getattr(annotation, "__args__", ()) or getattr(annotation, "__metadata__", ())
    origin = getattr(annotation, "__origin__", None)
    nested = [t for arg in args for t in _types(arg)]
    return [annotation, *([origin] if origin else []), *nested]


def keys_of(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def test_every_model_of_the_format_has_a_table_listing_exactly_its_keys():
    tables = documented_tables()
    models = {**models_in(deck_spec.DeckSpec), **models_in(theme_spec.ThemeSpec)}
    assert set(tables) == set(models), "tables for models that do not exist, or models without a table"
    for name, model in models.items():
        assert tables[name] == keys_of(model), name


def test_every_key_of_the_json_schema_is_documented():
    schema = deck_schema()
    keys: set[str] = set()
    for node in [schema, *schema.get("$defs", {}).values()]:
        keys |= set(node.get("properties", {}))
    documented = set().union(*documented_tables().values())
    assert keys <= documented, keys - documented


def test_every_section_is_documented():
    rows = re.findall(r"^\| `([a-z-]+)` \|", FORMAT.split("## Slides", 1)[1].split("##", 1)[0], re.M)
    assert rows == list(SECTIONS)


def test_every_code_is_documented_once_with_its_meaning():
    for code, meaning in CODES.items():
        assert f"| {code} | {meaning} |" in DIAGNOSTICS, code
    for code, kind in KINDS.items():
        assert f"| {code} | {kind}:" in DIAGNOSTICS, code
    listed = re.findall(r"^\| (CF\d+) \|", DIAGNOSTICS, re.M)
    assert sorted(listed) == sorted({**CODES, **KINDS}) and len(listed) == len(set(listed))
