"""The JSON Schema of the deck format, for editors (YAML language servers) to check decks."""

from __future__ import annotations

import json

from .deck import DeckSpec
from .slides import slides_schema

SCHEMA_ID = "urn:cardforge:deck:1"
SCHEMA_FILE = "cardforge.schema.json"
"""The schema's file name beside a deck, as `cardforge init` writes it."""


def deck_schema() -> dict:
    schema = DeckSpec.model_json_schema(mode="validation")
    slides = schema["properties"]["slides"]
    slides["anyOf"] = [{"type": "array", "items": slides_schema()}, {"type": "null"}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "cardforge deck, format version 1"
    return schema


def deck_schema_json() -> str:
    return json.dumps(deck_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
