"""MOT and OSAI Index importers on small real files from the vendored data, plus malformed copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness import mint
from openness.namespaces import MOF, OG, OSAI
from openness.resources import data_dir
from openness.sources.mot import COMPONENTS, import_mot
from openness.sources.osai import import_osai
from openness.sources.osai_legacy import import_osai_legacy
from openness.sources.resolve import Resolver
from rdflib import URIRef
from rdflib.namespace import RDF

SOURCES = data_dir() / "sources"


def _copy(folder: Path, names: list[str], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(folder / name, dest / name)
    return dest


@pytest.fixture
def mot_dir(tmp_path: Path) -> Path:
    root = tmp_path / "mot"
    _copy(SOURCES / "mot" / "models", ["Llama-2-7B.yml", "Llama-2-70B.yml", "OLMo-7B.yml",
                                       "Unnamed-Model.yml"], root / "models")
    _copy(SOURCES / "mot" / "schema", ["mof_schema.json"], root / "schema")
    return root


def _claims(graph, about, criterion):
    return [c for c in graph.subjects(OG.criterion, criterion) if (c, OG.about, about) in graph]


def test_mot_claims_per_component(mot_dir: Path) -> None:
    result = import_mot(mot_dir, Resolver(use_default_overrides=False))
    rep = result.report
    assert (rep.records_read, rep.records_imported, len(rep.rejected)) == (4, 3, 1)
    assert rep.rejected[0].file == "Unnamed-Model.yml" and "test entry" in rep.rejected[0].reason
    g = result.graph
    small, big = mint.release_iri("Llama-2-7B"), mint.release_iri("Llama-2-70B")
    assert small != big  # two sizes of one family stay two releases
    # every one of the 17 components gets exactly one claim per release
    per_release = [c for c in g.subjects(RDF.type, OG.Claim) if (c, OG.about, small) in g]
    assert len(per_release) == len(COMPONENTS) == 17
    # listed under a custom, use-restricted license -> partial + claimed license; not listed -> closed
    (arch,) = _claims(g, small, MOF.ModelArchitecture)
    assert (arch, OG.status, OG.Partial) in g
    assert (arch, OG.rawValue, None) in g
    assert g.value(arch, OG.claimedLicense) is not None
    (data,) = _claims(g, small, MOF.Datasets)
    assert (data, OG.status, OG.Closed) in g
    # 'unlicensed' -> og:Unlicensed
    (paper,) = _claims(g, small, MOF.ResearchPaper)
    assert g.value(paper, OG.claimedLicense) == OG.Unlicensed
    assert (paper, OG.status, OG.Partial) in g  # included, but under no terms: not open
    # listed under an open license (OLMo's paper, CC-BY-4.0) -> open
    (olmo_paper,) = _claims(g, mint.release_iri("OLMo-7B"), MOF.ResearchPaper)
    assert (olmo_paper, OG.status, OG.Open) in g
    # OLMo: components without a license key -> open, no claimed license; release license claim
    olmo = mint.release_iri("OLMo-7B")
    (olmo_arch,) = _claims(g, olmo, MOF.ModelArchitecture)
    assert g.value(olmo_arch, OG.claimedLicense) is None
    (dist,) = _claims(g, olmo, MOF.DistributionLicense)
    assert g.value(dist, OG.claimedLicense) == URIRef("http://spdx.org/licenses/Apache-2.0")
    # every claim cites the dataset version and has evidence
    ds = mint.dataset_iri("mot", "2026-05-11")
    claims = set(g.subjects(RDF.type, OG.Claim))
    assert all(g.value(c, OG.evidence) is not None for c in claims)
    assert sum(1 for c in claims if (c, URIRef("http://purl.org/dc/terms/source"), ds) in g) >= 3 * 17


def test_mot_yaml_syntax_error_is_rejected_with_line(mot_dir: Path) -> None:
    bad = mot_dir / "models" / "Broken.yml"
    bad.write_text("release:\n  name: Broken\n  components: [\n    - oops\n", encoding="utf-8")
    result = import_mot(mot_dir, Resolver(use_default_overrides=False))
    rejects = {r.file: r for r in result.report.rejected}
    assert "Broken.yml" in rejects and rejects["Broken.yml"].line is not None
    assert "YAML syntax error" in rejects["Broken.yml"].reason
    assert result.report.records_imported == 3  # the rest of the batch is imported


def test_mot_missing_required_field_is_rejected(mot_dir: Path) -> None:
    text = (mot_dir / "models" / "Llama-2-7B.yml").read_text(encoding="utf-8")
    broken = text.replace("  producer: Meta\n", "")
    (mot_dir / "models" / "NoProducer.yml").write_text(broken, encoding="utf-8")
    result = import_mot(mot_dir, Resolver(use_default_overrides=False))
    (reject,) = [r for r in result.report.rejected if r.file == "NoProducer.yml"]
    assert "producer" in reject.reason and "mof_schema.json" in reject.reason


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return _copy(SOURCES / "osai-index", ["llama-2-chat.yaml", "Pythia.yaml", "OLMo.yaml",
                                          "a_submission_template.yaml"], tmp_path / "osai-index")


def test_osai_claims_lineage_and_org_tags(index_dir: Path) -> None:
    result = import_osai(index_dir, Resolver(use_default_overrides=False))
    rep = result.report
    assert (rep.records_read, rep.records_imported, rep.rejected) == (3, 3, [])  # template skipped
    g = result.graph
    chat, base = mint.release_iri("Llama-2-70B-Chat"), mint.release_iri("Llama-2-70B")
    assert (chat, OG.fineTunedFrom, base) in g
    claims = [c for c in g.subjects(OG.about, chat) if (c, RDF.type, OG.Claim) in g]
    assert {g.value(c, OG.criterion) for c in claims} == {OSAI[k] for k in (
        "datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
        "trainingcode",
        "code", "hardware_architecture", "preprint", "paper", "modelcard", "datasheet", "licenses")}
    meta = mint.agent_iri("Meta")
    assert (chat, OG.developer, meta) in g
    assert g.value(meta, OSAI.nationalOrigin) is not None
    assert g.value(meta, OSAI.contributorType) is not None
    # an empty link falls back to the record's file in the index repository
    (paper,) = [c for c in claims if g.value(c, OG.criterion) == OSAI.paper]
    sources = {str(g.value(e, OG.sourceIRI)) for e in g.objects(paper, OG.evidence)}
    assert sources


def test_osai_unknown_status_word_rejects_record_naming_key(index_dir: Path) -> None:
    text = (index_dir / "Pythia.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("weights_endmodel:\n    class: ")
    (index_dir / "Pythia.yaml").write_text(head + "weights_endmodel:\n    class: mostly" +
                                           tail[tail.index("\n"):], encoding="utf-8")
    result = import_osai(index_dir, Resolver(use_default_overrides=False))
    (reject,) = result.report.rejected
    assert reject.file == "Pythia.yaml" and "'mostly'" in reject.reason
    assert "weights_endmodel" in reject.reason
    assert result.report.records_imported == 2


def test_legacy_real_data_rejects_unknown_word_and_maps_chatgpt_dimensions() -> None:
    r = Resolver(use_default_overrides=False)
    v102 = import_osai_legacy(SOURCES / "osai-index-v1.0.2", r)
    assert any(x.file == "smollm.yaml" and "'full'" in x.reason for x in v102.report.rejected)
    assert v102.report.records_read == v102.report.records_imported + len(v102.report.rejected)
    assert any(True for _ in v102.graph.subjects(OG.criterion, OSAI.package))
    chat = import_osai_legacy(SOURCES / "opening-up-chatgpt", r)
    assert chat.dataset == mint.dataset_iri("opening-up-chatgpt", "2025-03-11")
    assert any(True for _ in chat.graph.subjects(OG.criterion, OSAI.weights_endmodel))


def test_mot_status_follows_the_terms_a_component_is_listed_under(tmp_path: Path) -> None:
    """MOT lists included components; the status says under which terms (docs/design.md scale):
    an inherited open distribution license → open; a proprietary one → closed (GPT-4's weights are
    'included' in MOT's record, under proprietary terms, i.e. not released)."""
    root = tmp_path / "mot"
    _copy(SOURCES / "mot" / "models", ["GPT-4.yml", "OLMo-7B.yml"], root / "models")
    _copy(SOURCES / "mot" / "schema", ["mof_schema.json"], root / "schema")
    g = import_mot(root, Resolver(use_default_overrides=False)).graph
    (gpt4_weights,) = _claims(g, mint.release_iri("GPT-4"), MOF.ModelParametersFinal)
    assert (gpt4_weights, OG.status, OG.Closed) in g
    assert g.value(gpt4_weights, OG.claimedLicense) is None  # inherited: the MOF rule applies precedence
    (olmo_code,) = _claims(g, mint.release_iri("OLMo-7B"), MOF.TrainingCode)
    assert (olmo_code, OG.status, OG.Open) in g  # inherits the Apache-2.0 distribution license
