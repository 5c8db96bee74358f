"""The committed NER model: it loads offline from the committed files alone, tags sentences written for these
tests (no role or title before the names), and ``docmine extract --all`` re-runs it on an existing case file."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docmine.config import Settings
from docmine.model import Page
from docmine.nlp.neural import NEURAL_PIPE, NeuralTagger, is_neural_model
from docmine.nlp.pipeline import RULES_PIPE, Extractor
from docmine.service import Docmine

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "nl_docmine_ner"

pytestmark = pytest.mark.skipif(
    not (MODEL / "docmine.json").is_file(),
    reason=f"no trained model at {MODEL}: run scripts/train_ner_tf.py and scripts/export_ner_tf.py to build it",
)

# written for these tests, not taken from any training, tune or evaluation set
PERSONS = [
    ("Volgens Pieter Bakker moet de jeugdhulp in de regio beter worden ingekocht.", "Pieter Bakker"),
    ("Het rapport is opgesteld door Sanne Visser en besproken in de commissie.", "Sanne Visser"),
    ("De motie van Thijs van den Berg werd door de raad aangenomen.", "Thijs van den Berg"),
]
# names no reference table of docmine holds: only the model can find them
MODEL_ONLY = [
    ("Na de wedstrijd tegen Feyenoord gingen de supporters naar huis.", "ORGANIZATION", "Feyenoord"),
    ("Ook Mutsaersstichting en Pluryn leveren specialistische jeugdzorg.", "ORGANIZATION", "Mutsaersstichting"),
]
NAME = MODEL_ONLY[0][2]
HELD_OUT_TEXT = "Marloes Dijkstra verhuisde in 2019 van Harlingen naar Lissabon, waar zij ging werken bij Heineken."


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(MODEL)


def _found(extractor: Extractor, text: str) -> list[tuple[str, str]]:
    return [(m.label, m.text) for m in extractor.extract("t", [Page(1, text)])]


def test_model_folder_holds_an_onnx_tagger_of_names() -> None:
    assert is_neural_model(MODEL)
    tagger = NeuralTagger(MODEL)
    assert {t[2:] for t in tagger.tags if t != "O"} == {"PERSON", "ORGANIZATION", "LOC"}
    assert set(tagger.labels) == {"ORGANIZATION", "LOC", "PERSON"}
    words = "Volgens Pieter Bakker moet Deloitte in Utrecht beter werken .".split()
    assert [tag for tag, _ in tagger.tag([words])[0]][1:7] == [
        "B-PERSON", "I-PERSON", "O", "B-ORGANIZATION", "O", "B-LOC",
    ]  # fmt: skip
    size = sum(p.stat().st_size for p in MODEL.iterdir())
    assert size < 60_000_000  # the bound for files in git


def test_a_sentence_is_tagged_the_same_alone_and_among_others() -> None:
    """Tags (and their probabilities) of a sentence do not depend on the other sentences of a page."""
    tagger = NeuralTagger(MODEL)
    words = "Volgens Pieter Bakker moet Deloitte in Utrecht beter werken .".split()
    others = [text.split() for text, _ in PERSONS] + [("woord " * 90).split(), ["Den", "Haag"]]
    alone = tagger.tag([words])[0]
    assert tagger.tag([*others, words])[-1] == alone
    assert tagger.tag([words, *others])[0] == alone


def test_extractor_adds_the_model_before_the_rules(extractor: Extractor) -> None:
    names = extractor.nlp.pipe_names
    assert names.index("sentencizer") < names.index(NEURAL_PIPE) < names.index(RULES_PIPE)


@pytest.mark.parametrize(("text", "name"), PERSONS)
def test_extractor_with_model_finds_person(extractor: Extractor, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(extractor, text)


@pytest.mark.parametrize(("text", "label", "name"), MODEL_ONLY)
def test_model_finds_names_the_rules_do_not(extractor: Extractor, text: str, label: str, name: str) -> None:
    assert (label, name) not in _found(Extractor(None), text)
    assert (label, name) in _found(extractor, text)


def test_committed_files_load_offline_and_tag(tmp_path: Path) -> None:
    """Only the files git tracks under models/, copied elsewhere, loaded in a fresh process without network."""
    listed = subprocess.run(
        ["git", "ls-files", "models/nl_docmine_ner"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if not listed:
        pytest.skip("not a git checkout with the model committed")
    for name in listed:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    script = (
        "import json, sys\n"
        "from docmine.model import Page\n"
        "from docmine.nlp.pipeline import Extractor\n"
        "found = Extractor(sys.argv[1]).extract('t', [Page(1, sys.argv[2])])\n"
        "print(json.dumps([[m.label, m.text] for m in found]))\n"
    )
    env = os.environ | {"HF_HUB_OFFLINE": "1", "DOCMINE_CACHE_DIR": str(tmp_path / "cache"), "no_proxy": "*"}
    env |= {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}  # any download would fail
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "models" / "nl_docmine_ner"), HELD_OUT_TEXT],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = {tuple(pair) for pair in json.loads(done.stdout)}
    assert ("PERSON", "Marloes Dijkstra") in found
    assert ("ORGANIZATION", "Heineken") in found
    assert ("LOCATION", "Lissabon") in found


def test_extract_all_reruns_the_model_and_export_keeps_its_shape(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docmine.cli import app
    from docmine.rows import ENTITY_COLUMNS

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "verslag.txt").write_text("Verslag van de raad\n\n" + MODEL_ONLY[0][0] + "\n", encoding="utf-8")
    db = tmp_path / "case.db"
    rules_only = Settings(db=db, jobs=1, embed=False, extract=True, cache_dir=tmp_path / "cache", ner_model="none")
    with Docmine(rules_only) as dm:
        assert len(dm.ingest([docs]).ingested) == 1
        assert NAME not in {e.name for e in dm.entities("ORGANIZATION")}

    env = {"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "NO_COLOR": "1", "DOCMINE_NER_MODEL": ""}
    again = CliRunner().invoke(app, ["--db", str(db), "extract", "--all"], env=env)
    assert again.exit_code == 0, again.output
    with Docmine(Settings(db=db, jobs=1, embed=False, cache_dir=tmp_path / "cache")) as dm:
        assert NAME in {e.name for e in dm.entities("ORGANIZATION")}

    out = tmp_path / "entities.csv"
    exported = CliRunner().invoke(app, ["--db", str(db), "export", "entities", "-o", str(out)], env=env)
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == ENTITY_COLUMNS
    assert ("ORGANIZATION", NAME) in {(r["label"], r["name"]) for r in rows}
