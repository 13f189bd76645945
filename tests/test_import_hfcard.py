"""HF model card importer: typed derivation edges, license and dataset claims, bad cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from openness import mint
from openness.importers.base import ImportError_
from openness.importers.hfcard import import_hf_card
from openness.importers.resolve import Resolver
from openness.namespaces import HF, OG
from openness.resources import data_dir
from openness.store import open_store
from rdflib.namespace import RDF

CARDS = data_dir() / "examples" / "hf-cards"


@pytest.fixture(scope="module")
def result():
    return import_hf_card(CARDS, Resolver())


def test_each_relation_becomes_its_typed_edge(result) -> None:
    g = result.graph
    edges = {
        p: {(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1]) for s, o in g.subject_objects(p)}
        for p in (OG.fineTunedFrom, OG.adapterOf, OG.mergedFrom, OG.quantizedFrom)
    }
    assert edges[OG.quantizedFrom] == {("thebloke-llama-2-7b-chat-gguf", "meta-llama-llama-2-7b-chat-hf")}
    assert edges[OG.adapterOf] == {("tloen-alpaca-lora-7b", "huggyllama-llama-7b")}
    assert len(edges[OG.mergedFrom]) == 2  # one triple per parent
    assert edges[OG.fineTunedFrom] == {("lmsys-vicuna-7b-v1-5", "meta-llama-llama-2-7b-hf")}
    for _, parent in g.subject_objects(OG.mergedFrom):
        assert (parent, RDF.type, OG.ModelRelease) in g  # parents are described releases too


def test_license_claims_use_primary_card_evidence(result) -> None:
    g = result.graph
    rows = list(
        g.query(
            """PREFIX og: <https://w3id.org/openness/ns#>
        SELECT ?raw ?v ?lic ?kind ?src WHERE { ?c og:criterion ?k ; og:rawValue ?raw ; og:sourceValue ?v ;
        og:claimedLicense ?lic ; og:evidence ?e . ?e og:evidenceKind ?kind ; og:sourceIRI ?src }""",
            initBindings={"k": HF.License},
        )
    )
    by_raw = {str(r[0]): (r[1], str(r[2]), r[3], str(r[4])) for r in rows}
    assert set(by_raw) == {"apache-2.0", "llama2", "other: llama-license"}
    assert {v for v, *_ in by_raw.values()} == {HF["value-license-declared"]}  # the status is by terms
    assert by_raw["apache-2.0"][1].endswith("/Apache-2.0")
    assert by_raw["llama2"][1] == str(mint.license_iri(custom_name="Llama 2 Community License Agreement"))
    assert all(kind == OG.PrimaryEvidence for _, _, kind, _ in by_raw.values())
    assert "https://huggingface.co/lmsys/vicuna-7b-v1.5" in {v[3] for v in by_raw.values()}
    datasets = [str(o) for c in g.subjects(OG.criterion, HF.Datasets) for o in g.objects(c, OG.rawValue)]
    assert "yahma/alpaca-cleaned" in datasets
    assert {g.value(c, OG.sourceValue) for c in g.subjects(OG.criterion, HF.Datasets)} == {
        HF["value-datasets-named"]}
    assert all((c, OG.status, None) not in g for c in g.subjects(OG.sourceValue, None))


def test_license_other_resolves_by_name_then_by_link(tmp_path: Path) -> None:
    """`license: other` + `license_name`: the alias table; an unknown name with a curated link: the
    link; an unknown name and link: a custom license named by `license_name`, reported."""
    (tmp_path / "a__by-link.md").write_text(
        "---\nlicense: other\nlicense_name: mistral-research-v0\n"
        "license_link: https://mistral.ai/licenses/MRL-0.1.md\n---\n", encoding="utf-8")
    (tmp_path / "b__unknown.md").write_text(
        "---\nlicense: other\nlicense_name: acme-model-license\n"
        "license_link: https://acme.example/LICENSE\n---\n", encoding="utf-8")
    res = import_hf_card(tmp_path, Resolver())
    g = res.graph
    claimed = {str(g.value(c, OG.about)).rsplit("/", 1)[-1]: g.value(c, OG.claimedLicense)
               for c in g.subjects(OG.criterion, HF.License)}
    assert claimed["a-by-link"] == mint.license_iri(custom_name="Mistral AI Research License")
    unknown = claimed["b-unknown"]
    assert unknown == mint.license_iri(custom_name="acme-model-license")
    assert str(g.value(unknown, OG.licenseURL)) == "https://acme.example/LICENSE"
    assert res.report.unmapped_licenses == {"acme-model-license": 1}
    assert any("acme-model-license" in w for w in res.report.warnings)


def test_batch_loads_into_a_real_store(result) -> None:
    store = open_store(":memory:")
    store.put_graph(result.graph_iri, result.graph)
    assert store.count() == len(result.graph)


def test_bad_cards_are_skipped_with_file_and_reason(tmp_path: Path) -> None:
    (tmp_path / "a__good.md").write_text("---\nlicense: mit\n---\n# ok\n", encoding="utf-8")
    (tmp_path / "b__nofront.md").write_text("# no front matter\n", encoding="utf-8")
    (tmp_path / "c__badyaml.md").write_text("---\nlicense: [mit\n---\n", encoding="utf-8")
    (tmp_path / "d__relation.md").write_text(
        "---\nbase_model: x/y\nbase_model_relation: cloned\n---\n", encoding="utf-8"
    )
    res = import_hf_card(tmp_path, Resolver())
    assert res.report.records_read == 4 and res.report.records_imported == 1
    reasons = {r.file: r.reason for r in res.report.rejected}
    assert "front matter" in reasons["b__nofront.md"]
    assert "YAML syntax error" in reasons["c__badyaml.md"]
    assert "'cloned'" in reasons["d__relation.md"]


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportError_, match="no model card"):
        import_hf_card(tmp_path, Resolver())
