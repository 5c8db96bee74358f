"""The ONNX token-classifier component: BIO decoding, sentence windows, which sentences it reads, bad folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from docmine.errors import ModelNotFound
from docmine.nlp.neural import NeuralNer, NeuralTagger, decode_bio, is_neural_model, word_windows


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
    component = NeuralNer.__new__(NeuralNer)
    component.is_word = {"de", "het", "jeugdhulp"}.__contains__
    assert not component._may_hold_names(["De", "raad", "besloot", "het", "voorstel", "aan", "te", "nemen", "."])
    assert not component._may_hold_names(["jeugdhulp", "kost", "geld"])
    assert component._may_hold_names(["De", "raad", "van", "Utrecht", "besloot"])
    assert component._may_hold_names(["Deloitte", "adviseerde", "de", "raad"])  # not an ordinary word
    assert component._may_hold_names(["het", "GGD-rapport"])


def test_a_folder_without_the_model_is_refused(tmp_path: Path) -> None:
    assert not is_neural_model(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"not an onnx file")
    (tmp_path / "docmine.json").write_text('{"tags": ["O"]}', encoding="utf-8")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    assert is_neural_model(tmp_path)
    with pytest.raises(ModelNotFound, match="Cannot load the NER model"):
        NeuralTagger(tmp_path)
