"""The ingester's word lists (``lexicon.yaml`` beside this module), loaded and validated once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from exchanges.ingest.text import fold_name
from exchanges.models import EventType

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


class Lexicon(BaseModel):
    """Schema of ``lexicon.yaml`` (the file's header comment explains each list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    junk_lines: list[str]
    editorial_lines: list[str]
    classifications: list[str]
    metadata_heading: str
    metadata_fields: dict[str, str]
    archive_fields: list[str] = Field(default_factory=list)
    document_date_fields: list[str] = Field(default_factory=list)
    never_document_date: list[str] = Field(default_factory=list)
    citation_lines: list[str] = Field(default_factory=list)
    place_prepositions: list[str]
    place_stop_words: list[str]
    place_type_words: list[str] = Field(default_factory=list)
    organisation_words: list[str] = Field(default_factory=list)
    person_titles: list[str]
    institution_words: list[str]
    event_triggers: dict[EventType, list[str]]
    action_verbs: list[str] = Field(default_factory=list)
    titled_triggers: list[str] = Field(default_factory=list)
    deadline_words: list[str] = Field(default_factory=list)
    office_words: list[str] = Field(default_factory=list)
    number_words: dict[str, int] = Field(min_length=1)
    approximate_words: list[str]
    vague_quantities: dict[str, int]
    figure_stop_words: list[str]
    reference_words: list[str] = Field(default_factory=list)
    document_units: list[str] = Field(default_factory=list)
    party_nouns: list[str] = Field(default_factory=list)
    time_units: list[str]
    seat_words: list[str]
    capitals: dict[str, str]
    country_adjectives: dict[str, list[str]] = Field(default_factory=dict)
    capital_since: dict[str, int] = Field(default_factory=dict)

    @field_validator("junk_lines", "editorial_lines", "citation_lines")
    @classmethod
    def _valid_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    @field_validator("event_triggers")
    @classmethod
    def _valid_triggers(cls, triggers: dict[EventType, list[str]]) -> dict[EventType, list[str]]:
        for words in triggers.values():
            for word in words:
                re.compile(word)
        return triggers

    @field_validator("action_verbs")
    @classmethod
    def _valid_verbs(cls, words: list[str]) -> list[str]:
        for word in words:
            re.compile(word)
        return words

    def folded(self, name: str) -> frozenset[str]:
        """One of the plain word lists, folded for matching."""
        return frozenset(fold_name(word) for word in getattr(self, name))


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        return Lexicon.model_validate(yaml.safe_load(handle))
