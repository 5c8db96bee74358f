"""The Dutch entity pipeline and ``Extractor``, which turns pages into anchored ``Mention``s.

spaCy is imported only when the pipeline is first needed. Pages are cut into chunks at paragraph or
sentence boundaries so memory stays flat on long documents; offsets are mapped back to ``Page.text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docmine.errors import DocmineError, ModelNotFound
from docmine.model import Mention, Page, SourceRef
from docmine.nlp.consistency import recurring_names
from docmine.nlp.gazetteer import Gazetteer
from docmine.nlp.interplay import plausible_model_name
from docmine.nlp.persons import plausible_name
from docmine.nlp.relative import resolve_relative

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["Extractor", "build_pipeline", "chunk_text", "RULES_PIPE"]

RULES_PIPE = "docmine_rules"
_GENERIC_WORDS = {
    "MUNICIPALITY": re.compile(r"(?i)(?:de\s+)?gemeente\s+"),
    "PROVINCE": re.compile(r"(?i)(?:de\s+)?provincie\s+"),
}
# Labels of statistical NER models (ours, nl_core_news_*, CoNLL) -> docmine labels; others are dropped.
STATISTICAL_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORGANIZATION": "ORGANIZATION",
    "ORG": "ORGANIZATION",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "LOCATION": "LOCATION",
}
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def build_pipeline(reference_dir: Path | str | None = None, lemmatize: bool = True) -> Language:
    """``spacy.blank("nl")`` + lookup lemmatizer (when spacy-lookups-data loads) + sentencizer + rules."""
    import spacy

    from docmine.nlp import rules  # registers the docmine_rules factory

    del rules
    nlp = spacy.blank("nl")
    if lemmatize:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        try:
            nlp.initialize()
        except (OSError, ValueError, ImportError):  # lookup tables absent: lemmas stay empty
            nlp.remove_pipe("lemmatizer")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(RULES_PIPE, config={"reference_dir": str(reference_dir) if reference_dir else ""})
    return nlp


def chunk_text(text: str, max_chars: int = 10_000) -> Iterator[tuple[int, str]]:
    """``(offset, chunk)`` pieces of at most ``max_chars``, cut at the strongest break found in the window."""
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window, max_chars // 2)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or max_chars
        yield start, text[start : start + cut]
        start += cut
    if start < len(text):
        yield start, text[start:]


class Extractor:
    """Rule-based (and optionally statistical) entity extraction over pages.

    ``Extractor(model_path)`` adds the ``ner`` of a trained spaCy pipeline before the rules, so rules win
    where both fire. Nothing is loaded until ``nlp`` or ``extract`` is first used.
    A model trained later can also be added by hand: ``extractor.nlp.add_pipe("ner", source=trained,
    before=RULES_PIPE)``; anything placed after the rules would lose that precedence.

    Values: MONEY float euros; DATE ISO 8601 string; MUNICIPALITY CBS code (``GM0014``, former ones keep
    their own code, canonical ``"Ten Boer (opgegaan in Groningen, 2019)"``); PROVINCE ISO 3166-2 code;
    WOO_GROUND the code as written in ``woo_grounds.csv`` (canonical: its label); REGION, PROVIDER,
    ORGANIZATION and LAW the canonical name. PERSON: ``value`` is the name as written without title or
    role, ``canonical`` is ``"Naam (rol)"`` when a role (wethouder, burgemeester, ...) was stated.
    """

    def __init__(
        self,
        model_path: Path | str | None = None,
        reference_dir: Path | str | None = None,
        *,
        chunk_chars: int = 10_000,
        batch_size: int = 32,
        lemmatize: bool = True,
    ) -> None:
        self.model_path = Path(model_path) if model_path is not None else None
        self.reference_dir = reference_dir
        self.chunk_chars = chunk_chars
        self.batch_size = batch_size
        self.lemmatize = lemmatize
        self._nlp: Language | None = None
        self.ner_labels: frozenset[str] | None = None  # docmine labels taken from the model (None: all)
        self.filter_names = True  # drop model ORGANIZATION spans shaped like artefacts (interplay.py)
        self.filter_words = True  # ... and those made of ordinary Dutch words only ("Raad van Toezicht")

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, built on first use."""
        if self._nlp is None:
            nlp = build_pipeline(self.reference_dir, self.lemmatize)
            if self.model_path is not None:
                self.ner_labels = self._add_ner(nlp, self.model_path)
            self._nlp = nlp
        return self._nlp

    @staticmethod
    def _add_ner(nlp: Language, path: Path) -> frozenset[str] | None:
        """Add the ``ner`` of a trained pipeline (a folder, or an installed package such as nl_core_news_lg), or
        the ONNX token classifier of a ``docmine.nlp.neural`` folder.

        Returns the docmine labels to take from it: a spaCy model may list them in its meta.json under
        ``docmine.labels``, a neural folder in its docmine.json; None means every label it predicts."""
        import spacy

        from docmine.nlp import neural

        if neural.is_neural_model(path):
            neural.register()
            pipe = nlp.add_pipe(neural.NEURAL_PIPE, config={"model": str(path)}, before=RULES_PIPE)
            assert isinstance(pipe, neural.NeuralNer)
            words = getattr(nlp.get_pipe(RULES_PIPE), "dutch_words", None)
            pipe.is_word = words.__contains__ if words is not None else None
            return frozenset(STATISTICAL_LABELS.get(label, label) for label in pipe.tagger.labels)
        name = str(path)
        if not path.is_dir() and not spacy.util.is_package(name):
            raise ModelNotFound(
                f"No NER model at {path}",
                "give a trained pipeline's folder or an installed spaCy package (e.g. nl_core_news_lg)",
            )
        try:
            trained = spacy.load(path if path.is_dir() else name, exclude=["parser", "lemmatizer", "tagger"])
        except (OSError, ValueError) as exc:
            raise ModelNotFound(f"Cannot load the NER model at {path}: {exc}", "Retrain or re-install it.") from exc
        if "ner" not in trained.pipe_names:
            raise ModelNotFound(f"The pipeline at {path} has no 'ner' component", "Point to a pipeline with ner.")
        # a ner that listens to a shared tok2vec needs that component too, under the same name
        for name in [n for n in ("tok2vec", "transformer") if n in trained.pipe_names] + ["ner"]:
            nlp.add_pipe(name, source=trained, before=RULES_PIPE)
        used = trained.meta.get("docmine", {}).get("labels")
        return frozenset(STATISTICAL_LABELS.get(label, label) for label in used) if used else None

    def extract(
        self,
        doc_id: str,
        pages: Sequence[Page],
        document_date: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Mention]:
        """Mentions for every page, with ``SourceRef`` character offsets into ``page.text``.

        With the document's ISO ``document_date``, relative dates ("vorig jaar") get a value marked as derived.
        ``progress(characters read, all characters)`` is called as the text is read (a long text takes minutes)."""
        pieces: list[tuple[Page, int, str]] = []
        for page in pages:
            if not isinstance(page.text, str):
                raise DocmineError(f"Page {page.number} of {doc_id} has no text", "Re-ingest the document.")
            pieces.extend((page, offset, chunk) for offset, chunk in chunk_text(page.text, self.chunk_chars))
        # one stream over all pages: spaCy's components work through them in batches, not a page at a time
        docs = self.nlp.pipe((chunk for _, _, chunk in pieces), batch_size=self.batch_size)
        mentions: list[Mention] = []
        total, done = sum(len(chunk) for _, _, chunk in pieces), 0
        for (page, offset, chunk), doc in zip(pieces, docs, strict=True):
            mentions.extend(self._mentions(doc_id, page, offset, doc))
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        mentions = recurring_names(mentions, pages, self._known_organization(doc_id))
        return with_relative_dates(mentions, document_date) if document_date else mentions

    def _known_organization(self, doc_id: str) -> Callable[[str], Mention | None]:
        gazetteer = nlp_gazetteer(self.nlp)

        def known(name: str) -> Mention | None:
            entry = gazetteer.lookup(name) if gazetteer is not None else None
            if entry is None or entry.label != "ORGANIZATION":
                return None
            return Mention(SourceRef(doc_id, 0, 0, 0), entry.label, name, entry.value, entry.canonical)

        return known

    def _mentions(self, doc_id: str, page: Page, offset: int, doc: Doc) -> Iterator[Mention]:
        found: list[tuple[int, int, str, str | float | None, str | None]] = [
            (f.start, f.end, f.label, f.value, f.canonical) for f in doc._.dm_facts or ()
        ]
        gazetteer = nlp_gazetteer(self.nlp)
        rules = self.nlp.get_pipe(RULES_PIPE) if RULES_PIPE in self.nlp.pipe_names else None
        words = getattr(rules, "dutch_words", None) if self.filter_words else None
        is_word = words.__contains__ if words is not None else None
        others = doc._.dm_others if doc._.dm_facts is not None else doc.ents
        # statistical predictions the rules did not override, normalised through the gazetteer if known
        for ent in others or ():
            entry = gazetteer.lookup(ent.text) if gazetteer is not None else None
            label = entry.label if entry is not None else STATISTICAL_LABELS.get(ent.label_)
            if label is None:
                continue  # MONEY, DATE, LAW... from another model: the rules own those labels
            if entry is None and self.ner_labels is not None and label not in self.ner_labels:
                continue  # a label the model's meta.json says not to use
            if label == "PERSON" and entry is None and not plausible_name(ent.text):
                continue  # "President", "J.\nGelet": not shaped like a name
            if entry is None and self.filter_names and not plausible_model_name(ent.text, label, is_word):
                continue  # "hof", "BTW", "III": see interplay.plausible_model_name
            value = entry.value if entry is not None else ent.text
            canonical = entry.canonical if entry is not None else ent.text
            found.append((ent.start_char, ent.end_char, label, value, canonical))
        text = doc.text if any(f[2] in _GENERIC_WORDS for f in found) else ""  # Doc.text joins every token
        for start, end, label, value, canonical in sorted(found, key=lambda f: f[0]):
            if label in _GENERIC_WORDS:
                # "gemeente Groningen": the context word decided the label; the mention is the name.
                match = _GENERIC_WORDS[label].match(text, start, end)
                if match and match.end() < end:
                    start = match.end()
            ref = SourceRef(doc_id, page.number, offset + start, offset + end)
            yield Mention(ref, label, page.text[ref.start : ref.end], value, canonical)


def with_relative_dates(mentions: list[Mention], document_date: str) -> list[Mention]:
    """DATE mentions without a full value ("dit jaar", "afgelopen maart" = ``--03``) resolved where possible."""
    out = []
    for m in mentions:
        if m.label == "DATE" and (m.value is None or str(m.value).startswith("--")):
            resolved = resolve_relative(m.text, document_date)
            if resolved is not None:
                m = replace(m, value=resolved[0], canonical=resolved[1])
        out.append(m)
    return out


def nlp_gazetteer(nlp: Language) -> Gazetteer | None:
    """The gazetteer of the pipeline's rules component, if it has one."""
    if RULES_PIPE not in nlp.pipe_names:
        return None
    gazetteer = getattr(nlp.get_pipe(RULES_PIPE), "gazetteer", None)
    return gazetteer if isinstance(gazetteer, Gazetteer) else None
