"""A transformer token classifier (ONNX) as the spaCy component ``docmine_neural_ner``: names as ``doc.ents``.

The model folder holds ``model.onnx`` (input_ids, attention_mask -> logits per sub-word), ``tokenizer.json``
and ``docmine.json`` (the BIO labels and which entity labels docmine uses). Words are spaCy's tokens, sent as
pre-split words, so training (``scripts/train_ner_tf.py``) and use see the same sub-words; a word's label is
that of its first sub-word. onnxruntime and tokenizers are imported when a model is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docmine.errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = [
    "NEURAL_PIPE", "NeuralTagger", "decode_bio", "first_subwords", "is_neural_model", "name_windows", "word_windows",
]  # fmt: skip

NEURAL_PIPE = "docmine_neural_ner"
CONFIG_FILE = "docmine.json"
MAX_WORDS = 96  # a longer sentence is tagged in windows of this many words
MAX_SUBWORDS = 512  # the encoder's positions


def is_neural_model(path: Path) -> bool:
    """Whether ``path`` is a folder of this kind (and not a spaCy pipeline)."""
    return (path / "model.onnx").is_file() and (path / CONFIG_FILE).is_file()


def decode_bio(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` word spans from BIO tags; an ``I-`` without its ``B-`` opens a span."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start is not None and tag[2:] == kind
        if start is not None and not inside:
            spans.append((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return spans


def first_subwords(word_ids: Sequence[int | None]) -> Iterator[tuple[int, int]]:
    """``(position, word)`` of each word's first sub-word, whose tag speaks for the word (training and use)."""
    seen: set[int] = set()
    for pos, word in enumerate(word_ids):
        if word is not None and word not in seen:
            seen.add(word)
            yield pos, word


def word_windows(n_words: int, size: int = MAX_WORDS) -> Iterator[tuple[int, int]]:
    """``(start, end)`` word windows that cover a sentence of ``n_words`` words."""
    for start in range(0, n_words, size):
        yield start, min(n_words, start + size)


def name_windows(
    words: Sequence[str], is_word: Callable[[str], bool] | None = None, context: int | None = None
) -> list[tuple[int, int]]:
    """The ``(start, end)`` word windows of a sentence that the model reads; none when it cannot hold a name.

    Dutch names are capitalised: a word with a capital letter is a candidate, except an ordinary word
    (``is_word``, lower case) that opens the sentence. With ``context``, only the candidates and ``context``
    words either side are read (overlapping windows joined); otherwise the whole sentence.
    """
    hits = [i for i, w in enumerate(words) if any(c.isupper() for c in w)]
    if hits and hits[0] == 0 and is_word is not None and is_word(words[0].lower()):
        hits = hits[1:]
    if not hits:
        return []
    if context is None:
        return list(word_windows(len(words)))
    joined: list[tuple[int, int]] = []
    for i in hits:
        start, end = max(0, i - context), min(len(words), i + context + 1)
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return [(a + s, a + e) for a, b in joined for s, e in word_windows(b - a)]


class NeuralTagger:
    """The ONNX token classifier of a model folder: BIO tags for lists of words."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        # one thread: ingest runs one entity pipeline per worker process, as it runs one OCR per process
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            # the encoder has 512 positions: a window of odd words (tables, URLs) can hold more sub-words; the
            # words past the cut are tagged O
            self.tokenizer.enable_truncation(MAX_SUBWORDS)
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            # spinning threads slow a shared machine down; sleeping costs nothing measurable here
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self.session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
            self.tags: list[str] = list(config["tags"])
            self.labels: list[str] = list(config.get("use_labels") or sorted({t[2:] for t in self.tags if t != "O"}))
            # per label, the least probability of every word of a span (chosen on tune sets, see models/README.md)
            self.min_confidence: dict[str, float] = {k: float(v) for k, v in config.get("min_confidence", {}).items()}
            # words of context either side of a capitalised word (None: the whole sentence), see name_windows
            self.context: int | None = config.get("context_words")
        except Exception as exc:  # tokenizers and onnxruntime raise bare Exception subclasses
            raise ModelNotFound(f"Cannot load the NER model at {folder}: {exc}", "Retrain or re-install it.") from exc

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, float]]]:
        """``(BIO tag, probability)`` per word for each sentence (sentences of at most ``MAX_WORDS`` words).

        One run per sentence: the int8 graph quantises its activations with one scale per run, so in a batch a
        sentence's tags would depend on the sentences beside it (1.1% of the mentions of the shared documents
        changed with the batching). Unbatched, a sentence is tagged the same in ingest, ``docmine ner`` and
        evaluation, and no padding is read (faster than the batches of 32 it replaces: 15.2 against 11.0 pages/s,
        one thread).
        """
        import numpy as np

        out: list[list[tuple[str, float]]] = [[] for _ in sentences]
        todo = [i for i, words in enumerate(sentences) if words]
        encoded = self.tokenizer.encode_batch([list(sentences[i]) for i in todo], is_pretokenized=True)
        for i, e in zip(todo, encoded, strict=True):
            ids = np.array([e.ids], dtype=np.int64)
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            logits = np.exp(logits - logits.max(-1, keepdims=True))
            probs = logits / logits.sum(-1, keepdims=True)
            best = probs.argmax(-1)
            tags = [("O", 1.0)] * len(sentences[i])
            for pos, word in first_subwords(e.word_ids):
                k = int(best[pos])
                tags[word] = (self.tags[k], float(probs[pos, k]))
            out[i] = tags
        return out

    def spans(self, tagged: Sequence[tuple[str, float]]) -> list[tuple[int, int, str]]:
        """Word spans whose every word's tag is at least as sure as the label's ``min_confidence``."""
        found = []
        for start, end, label in decode_bio([tag for tag, _ in tagged]):
            if min(p for _, p in tagged[start:end]) >= self.min_confidence.get(label, 0.0):
                found.append((start, end, label))
        return found


class NeuralNer:
    """The spaCy component: tags each sentence's words and writes the names as ``doc.ents``."""

    def __init__(self, nlp: Language, name: str, model: str) -> None:
        self.name = name
        self.tagger = NeuralTagger(Path(model))
        # ordinary Dutch words (lower case): a sentence whose only capital opens such a word holds no name
        self.is_word: Callable[[str], bool] | None = None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            yield from self._tag(list(batch))

    def _tag(self, docs: list[Doc]) -> list[Doc]:
        from spacy.tokens import Span

        windows: list[tuple[int, list[int]]] = []  # (doc index, token indexes)
        for d, doc in enumerate(docs):
            for sent in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
                tokens = [t.i for t in sent if not t.is_space]
                read = name_windows([doc[i].text for i in tokens], self.is_word, self.tagger.context)
                windows.extend((d, tokens[a:b]) for a, b in read)
        tagged = self.tagger.tag([[docs[d][i].text for i in tokens] for d, tokens in windows])
        found: list[list[Span]] = [[] for _ in docs]
        for (d, tokens), tags in zip(windows, tagged, strict=True):
            for start, end, label in self.tagger.spans(tags):
                first, last = tokens[start], tokens[end - 1]
                found[d].append(Span(docs[d], first, last + 1, label=label))
        for doc, spans in zip(docs, found, strict=True):
            doc.set_ents(spans, default="outside")
        return docs


def register() -> None:
    """Register the ``docmine_neural_ner`` factory with spaCy (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory(NEURAL_PIPE):
        Language.factory(NEURAL_PIPE, default_config={"model": ""})(_make)


def _make(nlp: Language, name: str, model: str) -> Any:
    return NeuralNer(nlp, name, model)
