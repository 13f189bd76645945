"""Finding a model by the name a person types (openness.find), and ``openness show`` / ``trace``.

The fixture (tests/cases/cli/llama-families.ttl) holds two families whose names overlap as in the
corpus: "Llama 2" is a release, a model and an alias of a third release; the 405B has an alias; the
Instruct and the 8B have Hugging Face ids. Exact, normalized, alias, Hugging Face, slug, loose and
ambiguous names are checked through the library and through the real command.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from clisupport import RunCli
from openness.find import AmbiguousName, Index, NameNotFound, find_models, find_release
from openness.gate import ingest_files
from openness.store import OxigraphStore, open_store
from openness.verdicts import read

FIXTURE = Path(__file__).parent / "cases" / "cli" / "llama-families.ttl"
REL = "https://w3id.org/openness/id/release/"
MODEL = "https://w3id.org/openness/id/model/"
LLAMA_2 = {REL + "llama-2", REL + "llama-2-7b", REL + "llama-2-chat-70b"}
LLAMA_31 = {REL + "llama-3-1-405b", REL + "llama-3-1-405b-instruct", REL + "llama-3-1-8b"}


@pytest.fixture(scope="module")
def index() -> Iterator[Index]:
    store = OxigraphStore(None)
    ingest_files(store, [FIXTURE])
    yield Index.from_store(store)
    store.close()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("find") / "store"
    with open_store(path) as store:
        ingest_files(store, [FIXTURE])
    return path


@pytest.mark.parametrize(("name", "release", "level"), [
    ("Llama-3.1-405B", "llama-3-1-405b", "verbatim"),               # its label
    ("llama-3.1-405b", "llama-3-1-405b", "verbatim"),               # any case
    ("Llama 3.1 405B", "llama-3-1-405b", "normalized"),             # spaces for hyphens
    ("Llama 3.1-405B", "llama-3-1-405b", "verbatim"),               # its alias
    ("llama-3-1-405b", "llama-3-1-405b", "verbatim"),               # its slug
    ("meta-llama/Meta-Llama-3.1-405B-Instruct", "llama-3-1-405b-instruct", "verbatim"),  # Hugging Face id
    ("https://huggingface.co/meta-llama/Llama-3.1-8B", "llama-3-1-8b", "verbatim"),      # its URL
    ("Lama-3.1-405B-Instuct", "llama-3-1-405b-instruct", "loose"),  # two typos: taken, said to be loose
    ("llama-2", "llama-2", "verbatim"),                             # a release's slug wins over its model's
    (REL + "llama-2-7b", "llama-2-7b", "iri"),
])
def test_a_name_finds_its_release(index: Index, name: str, release: str, level: str) -> None:
    entry, found = find_release(index, name)
    assert entry.iri == REL + release
    assert found.level == level


def test_a_name_that_fits_several_releases_lists_them(index: Index) -> None:
    # "llama 2" is a release's label, its model's label and another release's alias
    with pytest.raises(AmbiguousName) as caught:
        find_release(index, "llama 2")
    assert {e.iri for e in caught.value.candidates} == LLAMA_2
    message = str(caught.value)
    assert all(slug in message for slug in ("llama-2 ", "llama-2-7b", "llama-2-chat-70b"))
    # a model's name alone, for trace, is its releases
    with pytest.raises(AmbiguousName) as model_only:
        find_release(index, "Llama 3.1")
    assert {e.iri for e in model_only.value.candidates} == LLAMA_31


def test_an_unknown_name_gets_suggestions(index: Index) -> None:
    with pytest.raises(NameNotFound) as caught:
        find_release(index, "405B Instruct")
    assert caught.value.candidates[0].iri == REL + "llama-3-1-405b-instruct"
    assert "Did you mean" in str(caught.value)
    with pytest.raises(NameNotFound) as nothing:
        find_release(index, "qqqq zzzz")
    assert nothing.value.candidates == []


def test_a_release_name_shows_its_whole_model(index: Index) -> None:
    [group] = find_models(index, "Llama 3.1 405B")
    assert group.model is not None and group.model.iri == MODEL + "llama-3-1"
    assert {r.iri for r in group.releases} == LLAMA_31
    assert group.matched is not None and group.matched.iri == REL + "llama-3-1-405b"
    [family] = find_models(index, "llama 2")  # the model's label outranks the other release's alias
    assert family.model is not None and family.model.iri == MODEL + "llama-2"
    assert {r.iri for r in family.releases} == LLAMA_2


def test_show_prints_every_release_with_its_verdicts_and_reasons(run_cli: RunCli, disk_store: Path) -> None:
    out = run_cli("--store", str(disk_store), "show", "Llama 3.1 405B")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Llama 3.1" in text and "model, 3 release(s)" in text
    for label in ("Llama-3.1-405B", "Llama-3.1-405B-Instruct", "Llama-3.1-8B"):
        assert label in text
    assert text.index("▶ Llama-3.1-405B") < text.index("Llama-3.1-8B")  # the release named comes first
    for framework in ("spectrum", "mof", "osaid", "osai-index"):
        assert framework in text
    with open_store(disk_store, read_only=True) as store:
        stored = {str(v.release): v for v in read(store, framework="spectrum", releases=LLAMA_31)}
    one_line = " ".join(text.split())
    for verdict in stored.values():  # each release's stored verdict and reason, as stored
        assert verdict.label in text
        assert " ".join(verdict.reason.removeprefix(verdict.label).lstrip(": ").split()) in one_line
    assert "openness trace llama-3-1-405b" in one_line

    data = json.loads(run_cli("--store", str(disk_store), "show", "llama 2", "--format", "json").stdout)
    assert [g["model"]["iri"] for g in data] == [MODEL + "llama-2"]
    assert {r["iri"] for r in data[0]["releases"]} == LLAMA_2
    assert all(set(r["verdicts"]) == {"spectrum", "mof", "osaid", "osai-index"} for r in data[0]["releases"])


def test_trace_answers_or_lists_candidates(run_cli: RunCli, disk_store: Path) -> None:
    ambiguous = run_cli("--store", str(disk_store), "trace", "llama 2")
    assert ambiguous.returncode == 1
    assert "fits 3 releases" in ambiguous.stderr and "Traceback" not in ambiguous.stderr
    for slug in ("llama-2", "llama-2-7b", "llama-2-chat-70b"):
        assert slug in ambiguous.stderr

    exact = run_cli("--store", str(disk_store), "trace", "Llama 3.1 405B", "--framework", "spectrum",
                    "--format", "json")
    assert exact.returncode == 0, exact.stderr
    chain = json.loads(exact.stdout)
    assert [a["release"] for a in chain] == [REL + "llama-3-1-405b"]
    used = {c["claim"].rsplit("/", 1)[1] for c in chain[0]["claims"]}
    assert used == {"find-405b-code", "find-405b-weights"}

    loose = run_cli("--store", str(disk_store), "trace", "Lama-3.1-405B-Instuct", "--format", "json")
    assert loose.returncode == 0, loose.stderr
    assert "the closest name" in loose.stderr
    assert {a["release"] for a in json.loads(loose.stdout)} == {REL + "llama-3-1-405b-instruct"}

    unknown = run_cli("--store", str(disk_store), "show", "Mistrall Large 3")
    assert unknown.returncode == 1 and "no model or release named 'Mistrall Large 3'" in unknown.stderr
