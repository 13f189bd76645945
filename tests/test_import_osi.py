"""OSI's own 2024 verdicts (data/curation/osi-validation-2024.csv) as claims of OSI that land on
the corpus releases the catalogues name; bad rows are refused with their line."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openness import mint
from openness.importers.base import ImportError_
from openness.importers.epoch import import_epoch
from openness.importers.mot import import_mot
from openness.importers.osi import default_path, import_osi_validation
from openness.importers.osmap import import_osmap
from openness.importers.resolve import Resolver
from openness.namespaces import OG
from openness.resources import data_dir
from openness.validation import validate
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

SOURCES = data_dir() / "sources"
MOT_FILES = ("Amber.yml", "BLOOM.yml", "CrystalCoder.yml", "Falcon-180B.yml", "OLMo-7B.yml", "Phi-2.yml",
             "Pythia-6.9B.yml", "T5-11b.yml")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A slice of the real corpus that holds the releases OSI names (MOT records, Epoch's Mixtral
    row, the AI Stack Map), imported with one resolver, as the build does."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "mot" / "models").mkdir(parents=True)
    for name in MOT_FILES:
        shutil.copy(SOURCES / "mot" / "models" / name, root / "mot" / "models" / name)
    shutil.copytree(SOURCES / "mot" / "schema", root / "mot" / "schema")
    notable = SOURCES / "epoch" / "data" / "ai_models" / "notable_ai_models.csv"
    with notable.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["Model"].strip() == "Mixtral 8x7B"]
        fields = reader.fieldnames
    epoch = root / "notable_ai_models.csv"
    with epoch.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    resolver = Resolver()
    import_mot(root / "mot", resolver)
    import_epoch(epoch, resolver)
    import_osmap(SOURCES / "os-ai-map", resolver)
    return resolver


@pytest.fixture(scope="module")
def result(corpus):
    return import_osi_validation(None, corpus)


def test_every_verdict_lands_on_a_corpus_release(result) -> None:
    rep = result.report
    assert (rep.records_read, rep.records_imported, rep.rejected) == (12, 12, [])
    assert {m["method"] for m in rep.matches} == {"exact"}  # none minted a release of its own
    names = {m["record"]: m["release"] for m in rep.matches}
    assert names["Llama2"] == str(mint.release_iri("Llama 2"))
    assert names["Grok"] == str(mint.release_iri("Grok-1"))
    assert names["Mixtral"] == str(mint.release_iri("Mixtral 8x7B"))


def test_claims_carry_osis_words_the_verdict_and_the_quote(result) -> None:
    g = result.graph
    osi = mint.agent_iri("Open Source Initiative")
    claims = {str(g.value(g.value(c, OG.about), RDFS.label)): c
              for c in g.subjects(OG.criterion, OG.OSAIDConformance)}
    assert len(claims) == 12
    assert all(g.value(c, OG.claimant) == osi and (c, OG.status, None) not in g for c in claims.values())
    outcomes = {label: (g.value(c, OG.sourceValue), g.value(c, OG.claimedVerdict),
                        set(g.objects(c, OG.claimedFailedRequirement))) for label, c in claims.items()}
    assert outcomes["Pythia-6.9B"] == (OG.OSIValidationPassed, OG.OSAIDPass, set())
    assert outcomes["BLOOM"] == (OG.OSIValidationWouldPass, OG.OSAIDFail, {OG.LicenseTermsRequirement})
    assert outcomes["Llama 2"] == (OG.OSIValidationFailed, OG.OSAIDFail, set())
    counts = {}
    for value, *_ in outcomes.values():
        counts[value] = counts.get(value, 0) + 1
    assert counts == {OG.OSIValidationPassed: 5, OG.OSIValidationWouldPass: 3, OG.OSIValidationFailed: 4}
    ev = g.value(claims["Phi-2"], OG.evidence)
    assert str(g.value(ev, OG.sourceIRI)) == "https://opensource.org/ai"
    assert "Phi-2 (Microsoft)" in str(g.value(ev, OG.quote))
    assert g.value(ev, OG.evidenceKind) == OG.SecondaryEvidence
    assert g.value(claims["Pythia-6.9B"], OG.rawValue) == Literal("passed")


def test_the_batch_conforms_to_the_shapes(result) -> None:
    report = validate(result.graph)
    assert report.conforms, [str(v) for v in report.violations]


def test_the_shapes_refuse_a_conformance_claim_without_verdict(result) -> None:
    g = result.graph + Graph()
    claim = next(g.subjects(OG.criterion, OG.OSAIDConformance))
    g.remove((claim, OG.claimedVerdict, None))
    g.add((next(g.subjects(OG.criterion, OG.OSAIDConformance)), OG.claimedFailedRequirement, OG.Open))
    report = validate(g)
    messages = " ".join(v.message for v in report.violations)
    assert "has no og:claimedVerdict" in messages and "og:claimedFailedRequirement must be" in messages


def test_bad_rows_are_refused_with_line_and_allowed_words(tmp_path: Path) -> None:
    rows = list(csv.DictReader(default_path().open(encoding="utf-8")))
    rows[1]["outcome"] = "mostly passed"
    rows[2]["verdict"] = "og:OSAIDMaybe"
    bad = tmp_path / "osi.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    res = import_osi_validation(bad, Resolver())
    assert res.report.records_imported == 10
    reasons = {r.line: r.reason for r in res.report.rejected}
    assert "'mostly passed'" in reasons[3] and "'would pass with a license change'" in reasons[3]
    assert "og:OSAIDMaybe" in reasons[4] and "og:OSAIDPass" in reasons[4]
    (tmp_path / "empty.csv").write_text("system,outcome\nX,passed\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"empty.csv: required column\(s\) verdict"):
        import_osi_validation(tmp_path / "empty.csv", Resolver())
