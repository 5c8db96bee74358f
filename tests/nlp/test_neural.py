"""The ONNX token-classifier component: BIO decoding, sentence windows, which sentences it reads, bad folders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from docmine.errors import ModelNotFound
from docmine.nlp.neural import NeuralTagger, decode_bio, is_neural_model, name_windows, word_windows

if TYPE_CHECKING:
    from spacy.tokens import Doc


def test_decode_bio_spans() -> None:
    tags = ["O", "B-ORGANIZATION", "I-ORGANIZATION", "O", "B-PERSON", "B-PERSON", "I-PERSON", "I-LOC", "O"]
    assert decode_bio(tags) == [(1, 3, "ORGANIZATION"), (4, 5, "PERSON"), (5, 7, "PERSON"), (7, 8, "LOC")]


def test_decode_bio_a_label_change_inside_ends_the_span() -> None:
    assert decode_bio(["B-LOC", "I-ORGANIZATION", "I-ORGANIZATION"]) == [(0, 1, "LOC"), (1, 3, "ORGANIZATION")]
    assert decode_bio(["B-LOC"]) == [(0, 1, "LOC")]
    assert decode_bio([]) == []


@pytest.mark.parametrize("n", [0, 1, 95, 96, 97, 300])
def test_word_windows_cover_every_word_once(n: int) -> None:
    covered = [i for start, end in word_windows(n) for i in range(start, end)]
    assert covered == list(range(n))
    assert all(end - start <= 96 for start, end in word_windows(n))


def test_sentences_without_a_name_shape_are_not_read() -> None:
    is_word = {"de", "het", "jeugdhulp"}.__contains__
    assert name_windows(["De", "raad", "besloot", "het", "voorstel", "aan", "te", "nemen", "."], is_word) == []
    assert name_windows(["jeugdhulp", "kost", "geld"], is_word) == []
    assert name_windows(["De", "raad", "van", "Utrecht", "besloot"], is_word) == [(0, 5)]
    assert name_windows(["Deloitte", "adviseerde", "de", "raad"], is_word) == [(0, 4)]  # not an ordinary word
    assert name_windows(["het", "GGD-rapport"], is_word) == [(0, 2)]


def test_with_context_only_the_words_around_capitals_are_read() -> None:
    words = ["de"] * 10 + ["Pieter", "Bakker"] + ["de"] * 10 + ["Utrecht"] + ["de"] * 30
    assert name_windows(words, None, 3) == [(7, 15), (19, 26)]
    assert name_windows(words, None, 6) == [(4, 29)]  # overlapping windows are joined
    assert name_windows(["Utrecht"] + ["x"] * 200, None, 2) == [(0, 3)]
    assert name_windows(["A"] * 200, None, 2) == [(0, 96), (96, 192), (192, 200)]  # long runs keep the cap


def test_a_folder_without_the_model_is_refused(tmp_path: Path) -> None:
    assert not is_neural_model(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"not an onnx file")
    (tmp_path / "docmine.json").write_text('{"tags": ["O"]}', encoding="utf-8")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    assert is_neural_model(tmp_path)
    with pytest.raises(ModelNotFound, match="Cannot load the NER model"):
        NeuralTagger(tmp_path)


def _doc_with_body(text: str, body: str) -> Doc:
    import spacy

    doc = spacy.blank("nl")(text)
    start = text.index(body)
    span = doc.char_span(start, start + len(body), label="ORGANIZATION")
    assert span is not None
    doc.set_ents([span])
    return doc


@pytest.mark.parametrize(
    ("text", "person", "body", "expected"),
    [
        ("Hij sprak met Sanne Visser van Deloitte over geld.", "Sanne Visser van Deloitte", "Deloitte", "Sanne Visser"),
        ("Kees de Boer van de Jeugdbescherming Noord belde.", "Kees de Boer van de Jeugdbescherming", "Jeugdbescherming Noord",
         "Kees de Boer"),
        ("Jan van Deloitte belde.", "Jan van Deloitte", "Deloitte", "Jan van Deloitte"),  # no body: a surname
    ],
)  # fmt: skip
def test_a_rule_person_ends_before_van_and_a_model_organisation(
    text: str, person: str, body: str, expected: str
) -> None:
    from docmine.nlp.interplay import persons_cut_before_bodies
    from docmine.nlp.rules import Fact

    doc = _doc_with_body(text, body) if expected != person else spacy_doc(text)
    start = text.index(person)
    facts = [Fact(start, start + len(person), "PERSON", person, person)]
    cuts = persons_cut_before_bodies(text, facts, list(doc.ents))
    assert text[start : cuts.get(0, start + len(person))] == expected


def spacy_doc(text: str) -> Doc:
    import spacy

    return spacy.blank("nl")(text)


def test_the_bundled_model_ends_a_person_before_van_and_a_company() -> None:
    from docmine.config import REPO_ROOT
    from docmine.model import Page
    from docmine.nlp.pipeline import Extractor

    page = Page(1, "Volgens mr. Sanne Visser van Deloitte is het geld op.")
    found = [
        (m.label, m.text, m.value) for m in Extractor(REPO_ROOT / "models" / "nl_docmine_ner").extract("d", [page])
    ]
    assert ("PERSON", "Sanne Visser", "Sanne Visser") in found
    assert ("ORGANIZATION", "Deloitte", "Deloitte") in found
    assert [m for m in Extractor(None).extract("d", [page]) if m.label == "PERSON"][
        0
    ].text == "Sanne Visser van Deloitte"


def test_a_window_of_more_sub_words_than_the_encoder_has_positions_is_cut() -> None:
    """Tables and URLs make words of many sub-words: 96 of them once failed in onnxruntime (512 positions)."""
    from docmine.config import REPO_ROOT
    from docmine.model import Page
    from docmine.nlp.pipeline import Extractor

    odd = " ".join(["Xq7zkjh3kjh3kjh3kjh3kjh3kjh3"] * 120)
    page = Page(1, f"{odd} Volgens Pieter Bakker is het geld op.")
    found = Extractor(REPO_ROOT / "models" / "nl_docmine_ner").extract("d", [page])
    assert all(page.text[m.ref.start : m.ref.end] == m.text for m in found)
