"""Entity resolution: same model under different names → one release; sizes/versions never merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from openness import mint
from openness.importers.resolve import OverrideError, Resolver, load_overrides, parse_name


@pytest.mark.parametrize("a,b", [
    ("Llama 2 70B", "Llama-2-70b"),
    ("Llama-2-70b-chat-hf", "Llama-2-chat-70B"),
    ("meta-llama/Llama-2-7b-hf", "Llama-2-7B"),
    ("Meta-Llama-3-8B-Instruct", "Llama-3-8B-Instruct"),
    ("gemma-2-9b-it", "Gemma 2 9B Instruct"),
    ("OpenELM-1_1B", "OpenELM 1.1B"),
])
def test_spellings_of_one_release_have_one_key(a: str, b: str) -> None:
    assert parse_name(a) == parse_name(b)


@pytest.mark.parametrize("a,b", [
    ("Llama-2-7B", "Llama-2-70B"),          # size
    ("Llama-2-7B", "Llama-3-8B"),           # version
    ("Llama-3-8B", "Llama-3.1-8B"),         # version
    ("Llama-2-70B", "Llama-2-70B-Chat"),    # variant
    ("Mistral-7B-v0.1", "Mistral-7B-v0.2"), # revision
    ("Mixtral-8x7B", "Mixtral-8x22B"),      # MoE size
    ("AMD-OLMo-1B", "OLMo-1B"),             # another developer's model
])
def test_different_releases_have_different_keys(a: str, b: str) -> None:
    assert parse_name(a) != parse_name(b)


def test_resolver_merges_spellings_and_records_the_method() -> None:
    r = Resolver(use_default_overrides=False)
    first = r.release("Llama-2-70B", developer="Meta", source="mot", record="Llama-2-70B.yml")
    second = r.release("Llama 2 70B", developer="Meta AI", source="epoch", record="row 12")
    third = r.release("Llama-2-70b-hf", developer=None, source="hf-card", record="README.md")
    assert first == second == third == mint.release_iri("Llama-2-70B")
    methods = [m.method for m in r.matches]
    assert methods == ["new", "normalized", "normalized"]
    assert all(0 < m.confidence <= 1 for m in r.matches)
    assert {"Llama-2-70B", "Llama 2 70B", "Llama-2-70b-hf"} <= r.names(first)


def test_resolver_never_merges_two_sizes_even_via_aliases() -> None:
    r = Resolver(use_default_overrides=False)
    small = r.release("Llama-2-7B", developer="Meta", source="mot", record="a")
    big = r.release("Llama-2-70B", developer="Meta", source="mot", record="b", aliases=["Llama-2-7B"])
    assert small != big
    assert "Llama-2-7B" not in r.names(big)
    assert "ignored" in r.matches[-1].note


def test_family_name_does_not_swallow_sized_releases() -> None:
    r = Resolver(use_default_overrides=False)  # seeded with the report's "Llama 2"
    sized = r.release("Llama-2-13B", developer="Meta", source="mot", record="x")
    assert sized != mint.release_iri("Llama 2")
    assert r.model("Llama 2") == r.model("Llama-2-13B")  # one family


def test_missing_revision_matches_a_unique_candidate_once() -> None:
    r = Resolver(use_default_overrides=False)  # seeded with "Mistral 7B"
    v01 = r.release("Mistral-7B-v0.1", developer="Mistral AI", source="mot", record="m")
    assert v01 == mint.release_iri("Mistral 7B")
    assert r.matches[-1].confidence < 0.9
    v02 = r.release("Mistral-7B-v0.2", developer="Mistral AI", source="mot", record="n")
    assert v02 != v01  # the seed took v0.1; v0.2 is another release


def test_overrides_same_and_distinct(tmp_path: Path) -> None:
    csv_path = tmp_path / "overrides.csv"
    csv_path.write_text(
        "source,record,release_iri,action,note\n"
        "# comment\n"
        "mot,OLMo-7B.yml,,distinct,kept apart\n"
        "epoch,row 3,Llama-2-70B,same,curated\n", encoding="utf-8")
    r = Resolver(csv_path)
    a = r.release("OLMo-7B-hf", developer=None, source="mot", record="OLMo-7B-hf.yml")
    b = r.release("OLMo-7B", developer=None, source="mot", record="OLMo-7B.yml")
    assert a != b and r.matches[-1].method == "override"
    c = r.release("Some odd name", developer=None, source="epoch", record="row 3")
    assert c == mint.release_iri("Llama-2-70B")


def test_malformed_overrides_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "overrides.csv"
    bad.write_text("source,record,release_iri,action,note\nmot,x.yml,Foo,merge,oops\n", encoding="utf-8")
    with pytest.raises(OverrideError, match=r"overrides.csv:2: action 'merge'"):
        load_overrides(bad)


def test_match_table_csv(tmp_path: Path) -> None:
    r = Resolver(use_default_overrides=False)
    r.release("Pythia-12B", developer="EleutherAI", source="mot", record="Pythia-12B.yml")
    out = r.write_csv(tmp_path / "m" / "matches.csv")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("source,record,name,release,method,confidence")
    assert "Pythia-12B.yml" in lines[1]


def test_records_of_one_catalogue_version_never_share_a_release() -> None:
    """The second record of a catalogue version that lands on a release the first one holds is kept
    apart (on its own name) and listed; other versions and non-subject lookups still match normally."""
    r = Resolver(use_default_overrides=False)
    first = r.release("Qwen2.5-32B", developer=None, source="osai", record="Guru.yaml",
                      owner=("index/v2", "guru"), own_name="Guru")
    second = r.release("Qwen2.5-32B", developer=None, source="osai", record="SynLogic.yaml",
                       owner=("index/v2", "synlogic"), own_name="SynLogic")
    assert first == mint.release_iri("Qwen2.5-32B") and second == mint.release_iri("SynLogic")
    (apart,) = r.kept_apart
    assert (apart["record"], apart["held_by"]) == ("SynLogic.yaml", "guru")
    assert apart["shared_release"] == str(first)
    # the same record again, another catalogue version, and a base-model lookup: no clash
    assert r.release("Qwen2.5-32B", developer=None, source="osai", record="Guru.yaml",
                     owner=("index/v2", "guru"), own_name="Guru") == first
    assert r.release("Qwen2.5-32B", developer=None, source="osai", record="Guru.yaml",
                     owner=("index/v1", "guru"), own_name="Guru") == first
    assert r.release("Qwen2.5-32B", developer=None, source="osai", record="x.yaml#basemodel") == first
    # "SynLogic" is no name of the shared release: another source naming Qwen2.5-32B gets Qwen2.5-32B
    assert r.release("Qwen2.5-32B", developer=None, source="epoch", record="row 9") == first
    assert len(r.kept_apart) == 1


def test_a_kept_apart_record_with_the_same_name_gets_a_digest_release() -> None:
    r = Resolver(use_default_overrides=False)
    a = r.release("Meta-Llama-3-70B-Instruct", developer="Meta", source="mot",
                  record="Llama-3-70B-Instruct.yml", owner=("mot/v", "llama-3-70b-instruct"),
                  own_name="Llama-3-70B-Instruct")
    b = r.release("Meta-Llama-3-70B-Instruct", developer="Meta", source="mot",
                  record="Meta-Llama-3-70B-Instruct.yml", owner=("mot/v", "meta-llama-3-70b-instruct"),
                  own_name="Meta-Llama-3-70B-Instruct")
    assert a != b and str(b).startswith(str(a) + "-")
    assert r.label(b) == "Meta-Llama-3-70B-Instruct (mot record meta-llama-3-70b-instruct)"
    # the family is the shared one's; other sources never land on the kept-apart release
    assert r._entries[b].model == r._entries[a].model
    assert r.release("Llama 3 70B Instruct", developer=None, source="epoch", record="row 1") == a
