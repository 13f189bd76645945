"""Write dated og:Assessment nodes: every rule, one named graph per run, old verdicts kept.

Decision (IRIs): an assessment's IRI is the hash of release + framework + rule content hash +
the verdict's content + the claims used and set aside. Re-running with nothing changed mints
the same IRIs, which are already stored, so nothing is duplicated; a changed claim changes the
inputs and gives a new assessment, while the old one stays in its own run graph (queryable,
and re-derivable with ``--as-of``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from .. import mint
from ..namespaces import OG
from ..store import Store
from .classify import SPECTRUM_ATTRIBUTES, Verdict, classify
from .runner import FRAMEWORKS, as_of_text, ensure_vocabulary, load_rule

STATUS = {"open": OG.Open, "partial": OG.Partial, "closed": OG.Closed, "unknown": OG.Unknown,
          "not-applicable": OG.NotApplicable}
MOF_CLASSES = {"p3": OG.MOFClassIII, "p2": OG.MOFClassII, "p1": OG.MOFClassI}


@dataclass
class AssessReport:
    run: URIRef
    graph: URIRef | None
    written: int
    unchanged: int
    by_framework: dict[str, int]


def assessment_iri(v: Verdict, rule_hash: str) -> URIRef:
    content = sorted(f"{k}={v.values[k]}" for k in v.values)
    return mint.assessment_iri(v.release, v.framework, rule_hash, v.label, *content, "|",
                               *sorted(v.used), "|", *sorted(v.aside))


def verdict_graph(g: Graph, node: URIRef, v: Verdict, rule: URIRef, run: URIRef, now: dt.datetime,
                  as_of: str) -> None:
    """The triples of one assessment (design.md "Assessments")."""
    fw = FRAMEWORKS[v.framework]
    g.add((node, RDF.type, OG.Assessment))
    g.add((node, OG.assessedRelease, v.release))
    g.add((node, OG.framework, fw.iri))
    g.add((node, OG.rule, rule))
    g.add((node, OG.assessedOn, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((node, OG.asOf, Literal(as_of, datatype=XSD.date)))
    g.add((node, OG.verdictLabel, Literal(v.label)))
    g.add((node, PROV.wasGeneratedBy, run))
    if v.verdict is not None:
        g.add((node, OG.verdict, v.verdict))
    for claim in v.used:
        g.add((node, PROV.wasDerivedFrom, claim))
    for claim in v.aside:
        g.add((node, OG.setAside, claim))
    vals = v.values
    if v.framework == "spectrum":
        g.add((node, OG.tierMin, Literal(vals["tierMin"])))
        g.add((node, OG.tierMax, Literal(vals["tierMax"])))
        for crit in vals.get("missing", []):
            g.add((node, OG.missingCriterion, URIRef(crit)))
        for attr, (col, kcol) in SPECTRUM_ATTRIBUTES.items():
            av = BNode()
            g.add((node, OG.attributeVerdict, av))
            g.add((av, RDF.type, OG.AttributeVerdict))
            g.add((av, OG.attribute, OG[attr]))
            g.add((av, OG.status, STATUS[vals[col]]))
            for crit in vals.get(kcol, []):
                g.add((av, OG.criterion, URIRef(crit)))
    elif v.framework == "mof":
        for key, cls in MOF_CLASSES.items():
            p = BNode()
            g.add((node, OG.progress, p))
            g.add((p, OG.mofClass, cls))
            g.add((p, OG.score, Literal(round(vals[key], 4), datatype=XSD.decimal)))
        for comp in vals.get("wrongType", []):
            g.add((node, OG.wrongTypeLicense, URIRef(comp)))
    elif v.framework == "osaid":
        for req in vals.get("failedRequirements", []):
            g.add((node, OG.failedRequirement, URIRef(req)))
        g.add((node, OG.failsOnlyOnLicense, Literal(bool(vals.get("failsOnlyOnLicense")))))
    elif v.framework == "osai":
        if vals.get("score") is not None:
            g.add((node, OG.score, Literal(vals["score"], datatype=XSD.decimal)))
        for group in ("availability", "documentation", "access"):
            if vals.get(group) is not None:
                gs = BNode()
                g.add((node, OG.groupScore, gs))
                g.add((gs, OG.group, Literal(group)))
                g.add((gs, OG.score, Literal(vals[group], datatype=XSD.decimal)))


def assess(store: Store, *, as_of: dt.date | str | None = None, frameworks: list[str] | None = None,
           now: dt.datetime | None = None) -> AssessReport:
    """Run every rule and write the new assessments in one transaction (one run graph)."""
    ensure_vocabulary(store)
    now = now or dt.datetime.now(dt.UTC)
    as_of_s = as_of_text(as_of) if as_of is not None else now.date().isoformat()
    run = mint.activity_iri("assessment-run", now.isoformat(), as_of_s)
    gi = mint.graph_iri("assessments", run.rsplit("/", 1)[1])
    existing = {str(r["a"]) for r in store.select(
        "SELECT ?a WHERE { ?a a <https://w3id.org/openness/ns#Assessment> }")}
    g = Graph()
    written = unchanged = 0
    by_fw: dict[str, int] = {}
    for key in frameworks or list(FRAMEWORKS):
        rule = load_rule(FRAMEWORKS[key].rule_file)
        g += rule.rdf(FRAMEWORKS[key])
        for v in classify(store, key, as_of=as_of_s):
            node = assessment_iri(v, rule.sha256)
            if str(node) in existing:
                unchanged += 1
                continue
            verdict_graph(g, node, v, rule.iri, run, now, as_of_s)
            written += 1
            by_fw[key] = by_fw.get(key, 0) + 1
    if written == 0:
        return AssessReport(run, None, 0, unchanged, by_fw)
    g.add((gi, RDF.type, OG.Batch))
    g.add((gi, PROV.wasGeneratedBy, run))
    g.add((run, RDF.type, OG.AssessmentRun))
    g.add((run, RDFS.label, Literal(f"openness assess, as of {as_of_s}")))
    g.add((run, PROV.startedAtTime, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((run, OG.asOf, Literal(as_of_s, datatype=XSD.date)))
    store.put_graphs({str(gi): g})
    return AssessReport(run, gi, written, unchanged, by_fw)
