"""MOT and OSAI Index importers on small real files from the vendored data, plus malformed copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness import mint
from openness.importers.mot import COMPONENTS, import_mot
from openness.importers.osai import import_osai
from openness.importers.osai_legacy import import_osai_legacy
from openness.importers.resolve import Resolver
from openness.namespaces import MOF, OG, OSAI
from openness.resources import data_dir
from rdflib import Literal, URIRef
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
    # the importer records MOT's values, never a status (docs/derived-layer.md)
    assert not any(True for c in g.subjects(RDF.type, OG.Claim)
                   if (c, OG.status, None) in g and (c, OG.sourceValue, None) in g)
    listed, not_listed = MOF["value-listed"], MOF["value-not-listed"]
    # listed under a custom, use-restricted license: listed + that license as the claimed license
    (arch,) = _claims(g, small, MOF.ModelArchitecture)
    assert g.value(arch, OG.sourceValue) == listed and g.value(arch, OG.status) is None
    assert (arch, OG.rawValue, None) in g
    llama2 = mint.license_iri(custom_name="Llama 2 Community License Agreement")
    assert g.value(arch, OG.claimedLicense) == llama2
    # not listed: absence is its own value, evidenced by the record file, with no invented quote
    (data,) = _claims(g, small, MOF.Datasets)
    assert g.value(data, OG.sourceValue) == not_listed and g.value(data, OG.claimedLicense) is None
    (ev,) = g.objects(data, OG.evidence)
    assert str(g.value(ev, OG.sourceIRI)).endswith("/models/Llama-2-7B.yml")
    assert g.value(ev, OG.quote) is None and "release.components" in str(g.value(ev, OG.locator))
    assert g.value(ev, OG.evidenceKind) == OG.SecondaryEvidence
    # 'unlicensed' -> og:Unlicensed, listed (included, not openly licensed)
    (paper,) = _claims(g, small, MOF.ResearchPaper)
    assert g.value(paper, OG.claimedLicense) == OG.Unlicensed and g.value(paper, OG.sourceValue) == listed
    # listed under an open license (OLMo's paper, CC-BY-4.0): the license, not a judgment
    olmo = mint.release_iri("OLMo-7B")
    (olmo_paper,) = _claims(g, olmo, MOF.ResearchPaper)
    assert g.value(olmo_paper, OG.claimedLicense) == URIRef("http://spdx.org/licenses/CC-BY-4.0")
    # OLMo: a component without a license key inherits the release's, as MOT's evaluator resolves it
    (olmo_arch,) = _claims(g, olmo, MOF.ModelArchitecture)
    assert g.value(olmo_arch, OG.claimedLicense) == URIRef("http://spdx.org/licenses/Apache-2.0")
    assert g.value(olmo_arch, OG.rawValue) is None  # the record gives the component no value
    (dist,) = _claims(g, olmo, MOF.DistributionLicense)
    assert g.value(dist, OG.claimedLicense) == URIRef("http://spdx.org/licenses/Apache-2.0")
    assert g.value(dist, OG.sourceValue) == listed
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


def test_mot_records_the_terms_a_component_is_listed_under(tmp_path: Path) -> None:
    """MOT lists included components; the claim records under which terms (the status follows the
    terms by the value scheme, og:statusByTerms): GPT-4's weights are 'included' in MOT's record
    under 'Proprietary' (curated og:ProprietaryLicense: not released); OLMo's training code
    inherits the Apache-2.0 distribution license."""
    from openness.vocab import load_ontology

    root = tmp_path / "mot"
    _copy(SOURCES / "mot" / "models", ["GPT-4.yml", "OLMo-7B.yml"], root / "models")
    _copy(SOURCES / "mot" / "schema", ["mof_schema.json"], root / "schema")
    g = import_mot(root, Resolver(use_default_overrides=False)).graph
    (gpt4_weights,) = _claims(g, mint.release_iri("GPT-4"), MOF.ModelParametersFinal)
    proprietary = g.value(gpt4_weights, OG.claimedLicense)
    assert g.value(gpt4_weights, OG.sourceValue) == MOF["value-listed"]
    assert proprietary == mint.license_iri(custom_name="Proprietary license (unnamed)")
    assert (proprietary, RDF.type, OG.ProprietaryLicense) in g  # from the curated terms, in its license graph
    (olmo_code,) = _claims(g, mint.release_iri("OLMo-7B"), MOF.TrainingCode)
    assert g.value(olmo_code, OG.claimedLicense) == URIRef("http://spdx.org/licenses/Apache-2.0")
    onto = load_ontology()
    assert (MOF["value-listed"], OG.statusByTerms, Literal(True)) in onto


def test_mot_special_phrases_and_compound_licenses(tmp_path: Path) -> None:
    """"Component not include" (MOT's record authors' phrase) and "Undisclosed" are values of their
    own; TeleChat's "Apache 2.0, TeleChat community license" (no component named) is kept
    unresolved with a warning, never read as its first license."""
    root = tmp_path / "mot"
    _copy(SOURCES / "mot" / "models", ["TeleChat-7B.yml", "Exaone.yml"], root / "models")
    _copy(SOURCES / "mot" / "schema", ["mof_schema.json"], root / "schema")
    result = import_mot(root, Resolver(use_default_overrides=False))
    g = result.graph
    tele = mint.release_iri("TeleChat-7B")
    values = {g.value(c, OG.criterion): (g.value(c, OG.sourceValue), g.value(c, OG.claimedLicense))
              for c in g.subjects(OG.about, tele) if (c, RDF.type, OG.Claim) in g}
    assert MOF["value-not-included"] in {v for v, _ in values.values()}
    assert values[MOF.InferenceCode] == (MOF["value-listed"], None)
    assert any("TeleChat-7B.yml [Inference code]" in w and "compound" in w for w in result.report.warnings)
    undisclosed = list(g.subjects(OG.sourceValue, MOF["value-undisclosed"]))
    assert undisclosed and all(g.value(c, OG.claimedLicense) is None for c in undisclosed)
    assert all(str(g.value(c, OG.rawValue)).strip() == "Undisclosed" for c in undisclosed)
    assert {g.value(c, OG.about) for c in undisclosed} == {mint.release_iri("Exaone")}


def test_each_record_is_its_own_graph_with_a_stable_digest(mot_dir: Path) -> None:
    """One record graph per model file, under the catalogue version's graph; the digest is of the
    record's content, so it is the same on a second import and changes when the record does."""
    first = import_mot(mot_dir, Resolver(use_default_overrides=False))
    version = str(first.graph_iri)
    assert {str(i) for i in first.records} == {f"{version}/record/{s}" for s in ("llama-2-7b", "llama-2-70b",
                                                                                  "olmo-7b")}
    for rec in first.records.values():  # a record graph holds its own release's claims only
        abouts = {rec.graph.value(c, OG.about) for c in rec.graph.subjects(RDF.type, OG.Claim)}
        assert len(abouts) == 1 and len(rec.digest) == 64
    assert not any(True for _ in first.version_graph.subjects(RDF.type, OG.Claim))
    again = import_mot(mot_dir, Resolver(use_default_overrides=False))
    assert {i: r.digest for i, r in again.records.items()} == {i: r.digest for i, r in first.records.items()}
    path = mot_dir / "models" / "OLMo-7B.yml"
    edited = path.read_text(encoding="utf-8").replace("producer: ", "producer: AI2 ", 1)
    path.write_text(edited, encoding="utf-8")
    changed = import_mot(mot_dir, Resolver(use_default_overrides=False))
    differ = [i for i, r in changed.records.items() if r.digest != first.records[i].digest]
    assert differ == [URIRef(f"{version}/record/olmo-7b")]


def _values(result, release: URIRef) -> list[str]:
    g = result.graph
    claims = [c for c in g.subjects(OG.about, release) if (c, RDF.type, OG.Claim) in g]
    return sorted(str(g.value(c, OG.rawValue)) for c in claims)


def _classes(path: Path) -> list[str]:
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sorted(str(doc[k].get("class") or "") for k in OSAI_KEYS if isinstance(doc.get(k), dict))


OSAI_KEYS = ("datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
             "trainingcode", "code", "hardware_architecture", "preprint", "paper", "modelcard", "datasheet",
             "licenses")


def test_guru_and_synlogic_are_two_releases_with_their_own_claims(tmp_path: Path) -> None:
    """Both Index records give Qwen2.5-32B as their end model. Curated (overrides.csv): each is its
    own system (guru-32B, SynLogic-32B) fine-tuned from Qwen2.5-32B, with exactly its own record's values."""
    folder = _copy(SOURCES / "osai-index", ["Guru.yaml", "SynLogic.yaml"], tmp_path / "osai-index")
    result = import_osai(folder, Resolver())
    guru, synlogic = mint.release_iri("Guru-32B"), mint.release_iri("SynLogic-32B")
    qwen = mint.release_iri("Qwen2.5-32B")
    assert _values(result, guru) == _classes(folder / "Guru.yaml")
    assert _values(result, synlogic) == _classes(folder / "SynLogic.yaml")
    assert _values(result, qwen) == []  # the base model: no Index claims of its own
    assert (guru, OG.fineTunedFrom, qwen) in result.graph
    assert (synlogic, OG.fineTunedFrom, qwen) in result.graph
    assert result.report.kept_apart == []  # settled by the curators


def test_two_records_naming_one_release_are_kept_apart_and_reported(tmp_path: Path) -> None:
    """Without the curated rows, the second record is kept apart on a release of its own name, and
    the import report lists it for review; its claims never mix with the first record's."""
    folder = _copy(SOURCES / "osai-index", ["Guru.yaml", "SynLogic.yaml"], tmp_path / "osai-index")
    result = import_osai(folder, Resolver(use_default_overrides=False))
    (apart,) = result.report.kept_apart
    assert apart["record"] == "SynLogic.yaml" and apart["held_by"] == "guru"
    assert apart["shared_release"] == str(mint.release_iri("Qwen2.5-32B"))
    assert apart["release"] == str(mint.release_iri("SynLogic"))
    assert _values(result, mint.release_iri("Qwen2.5-32B")) == _classes(folder / "Guru.yaml")
    assert _values(result, mint.release_iri("SynLogic")) == _classes(folder / "SynLogic.yaml")
    (match,) = [m for m in result.report.matches if m["record"] == "SynLogic.yaml"]
    assert match["note"].startswith("kept apart")


def test_a_stated_release_date_is_kept_with_its_claimant(index_dir: Path) -> None:
    from rdflib.namespace import DCTERMS, XSD

    result = import_osai(index_dir, Resolver(use_default_overrides=False))
    g = result.graph
    statements = list(g.subjects(RDF.type, OG.ReleaseDateStatement))
    assert statements
    for node in statements:
        assert g.value(node, OG.claimant) == mint.agent_iri("OSAI Index")
        assert g.value(node, DCTERMS.source) == result.dataset
        assert (g.value(node, OG.about), RDF.type, OG.ModelRelease) in g
        assert g.value(node, OG.statedReleaseDate).datatype in (XSD.date, XSD.gYearMonth, XSD.gYear)
