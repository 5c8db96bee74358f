"""The committed NER model: it loads, ``Extractor`` adds it before the rules, and it finds people without titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from docmine.model import Page
from docmine.nlp.pipeline import RULES_PIPE, Extractor

MODEL = Path(__file__).resolve().parents[2] / "models" / "nl_docmine_ner"

pytestmark = pytest.mark.skipif(
    not (MODEL / "config.cfg").is_file(),
    reason=f"no trained model at {MODEL}: run `python scripts/train_ner.py` to build it",
)

# written for this test, not taken from the gold set or the training text; no role or title before the names.
# The model alone finds such bare names only part of the time (models/README.md), so these are smoke tests.
SENTENCES = [
    ("Volgens Pieter Bakker moet de jeugdhulp in de regio beter worden ingekocht.", "Pieter Bakker"),
    ("Het rapport is opgesteld door Sanne Visser en besproken in de commissie.", "Sanne Visser"),
]
PIPELINE_SENTENCES = [
    *SENTENCES,
    ("De motie van Thijs van den Berg werd door de raad aangenomen.", "Thijs van den Berg"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(MODEL)


def test_model_loads_with_ner_and_lemmatizer() -> None:
    import spacy

    nlp = spacy.load(MODEL)
    assert nlp.lang == "nl"
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "ORGANIZATION", "LOC"}


def test_extractor_adds_the_model_before_the_rules(extractor: Extractor) -> None:
    names = extractor.nlp.pipe_names
    assert "ner" in names
    assert names.index("ner") < names.index(RULES_PIPE)


@pytest.mark.parametrize(("text", "name"), SENTENCES)
def test_model_alone_finds_person(text: str, name: str) -> None:
    import spacy

    nlp = spacy.load(MODEL)
    assert ("PERSON", name) in [(e.label_, e.text) for e in nlp(text).ents]


@pytest.mark.parametrize(("text", "name"), PIPELINE_SENTENCES)
def test_extractor_with_model_finds_person(extractor: Extractor, text: str, name: str) -> None:
    found = [(m.label, m.text) for m in extractor.extract("t", [Page(1, text)])]
    assert ("PERSON", name) in found
