"""Writing claims and their evidence as RDF, the one way every importer and example does it.

A claim is "claimant C says that criterion K of subject S has status X, on date D, because of
evidence E". An importer writes the source's own value instead of X
(``og:sourceValue``, a concept of the source's value scheme); the claim-status rule maps it.
Keeping the builder in one place keeps every source's claims the same shape, which
is what the shapes check and what the rules in ``queries/`` read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from . import mint
from .namespaces import OG

#: Status words of the common scale, by the concept that names them.
STATUSES = {
    "open": OG.Open,
    "partial": OG.Partial,
    "closed": OG.Closed,
    "unknown": OG.Unknown,
    "not-applicable": OG.NotApplicable,
}
STANDINGS = {
    "asserted": OG.Asserted,
    "disputed": OG.Disputed,
    "superseded": OG.Superseded,
    "retracted": OG.Retracted,
}
EVIDENCE_KINDS = {"primary": OG.PrimaryEvidence, "secondary": OG.SecondaryEvidence}


def date_literal(value: dt.date | str) -> Literal:
    """An ``xsd:date`` (or ``xsd:gYearMonth`` / ``xsd:gYear`` for partial dates like ``2025-12``)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value).strip()
    if len(text) == 4 and text.isdigit():
        return Literal(text, datatype=XSD.gYear)
    if len(text) == 7 and text[4] == "-":
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(dt.date.fromisoformat(text[:10]).isoformat(), datatype=XSD.date)


@dataclass
class EvidenceSpec:
    """Where a claim comes from: a source IRI (URL or DOI IRI) and what it shows."""

    source: str
    retrieved: dt.date | str
    quote: str | None = None
    kind: str = "secondary"  # "primary": the developer's own artifact or license text
    last_verified: dt.date | str | None = None
    locator: str | None = None  # section, line or key inside the source
    archived_copy: str | None = None
    content_hash: str | None = None


@dataclass
class ClaimSpec:
    """One claim, in plain Python, before it becomes triples."""

    about: URIRef
    criterion: URIRef
    status: str | None  # a key of STATUSES; None when the claim records a source value instead
    claimant: URIRef
    asserted_on: dt.date | str
    evidence: list[EvidenceSpec] = field(default_factory=list)
    dataset: URIRef | None = None  # the catalogue (dcat:Dataset) the claim was read from
    raw_value: str | None = None  # the source's own word or value, kept verbatim
    note: str | None = None
    standing: str = "asserted"
    claimed_license: URIRef | None = None  # the license the claimant says the item is under
    claimed_tier: URIRef | None = None  # for placement claims (og:SpectrumPlacement)
    key: tuple[object, ...] = ()  # extra identity (e.g. the record's file name) for the IRI
    #: What an importer writes instead of a status: the source's own value, a concept of the
    #: source's value scheme (ontology/schemes/sources-*.ttl); the claim-status rule maps it.
    source_value: URIRef | None = None
    claimed_verdict: URIRef | None = None  # for og:OSAIDConformance claims: og:OSAIDPass / og:OSAIDFail
    claimed_failed_requirements: tuple[URIRef, ...] = ()  # requirements the claimant says fail


def add_evidence(graph: Graph, spec: EvidenceSpec, *key: object) -> URIRef:
    node = mint.evidence_iri(spec.source, spec.quote or "", spec.locator or "", *key)
    graph.add((node, RDF.type, OG.Evidence))
    graph.add((node, OG.sourceIRI, URIRef(spec.source)))
    graph.add((node, OG.retrievedOn, date_literal(spec.retrieved)))
    graph.add((node, OG.evidenceKind, EVIDENCE_KINDS[spec.kind]))
    if spec.quote:
        graph.add((node, OG.quote, Literal(spec.quote)))
    if spec.locator:
        graph.add((node, OG.locator, Literal(spec.locator)))
    if spec.last_verified:
        graph.add((node, OG.lastVerifiedOn, date_literal(spec.last_verified)))
    if spec.archived_copy:
        graph.add((node, OG.archivedCopy, URIRef(spec.archived_copy)))
    if spec.content_hash:
        graph.add((node, OG.contentHash, Literal(spec.content_hash)))
    return node


def add_claim(graph: Graph, spec: ClaimSpec) -> URIRef:
    """Add one claim with its evidence to ``graph`` and return the claim's IRI.

    The IRI is derived from (dataset, subject, criterion, claimant, key), so importing the same
    record twice gives the same claim.
    """
    if spec.status is None and spec.source_value is None:
        raise ValueError("a claim needs a status or a source value (og:sourceValue)")
    if spec.status is not None and spec.status not in STATUSES:
        raise ValueError(f"unknown status {spec.status!r}; use one of {', '.join(STATUSES)}")
    node = mint.claim_iri(spec.dataset or "", spec.about, spec.criterion, spec.claimant, *spec.key)
    graph.add((node, RDF.type, OG.Claim))
    graph.add((node, OG.about, spec.about))
    graph.add((node, OG.criterion, spec.criterion))
    if spec.status is not None:
        graph.add((node, OG.status, STATUSES[spec.status]))
    if spec.source_value is not None:
        graph.add((node, OG.sourceValue, spec.source_value))
    graph.add((node, OG.claimant, spec.claimant))
    graph.add((node, PROV.wasAttributedTo, spec.claimant))
    graph.add((node, OG.assertedOn, date_literal(spec.asserted_on)))
    graph.add((node, OG.standing, STANDINGS[spec.standing]))
    if spec.dataset is not None:
        graph.add((node, DCTERMS.source, spec.dataset))
    if spec.raw_value is not None:
        graph.add((node, OG.rawValue, Literal(spec.raw_value)))
    if spec.note:
        graph.add((node, RDFS.comment, Literal(spec.note)))
    if spec.claimed_license is not None:
        graph.add((node, OG.claimedLicense, spec.claimed_license))
    if spec.claimed_tier is not None:
        graph.add((node, OG.claimedTier, spec.claimed_tier))
    if spec.claimed_verdict is not None:
        graph.add((node, OG.claimedVerdict, spec.claimed_verdict))
    for requirement in spec.claimed_failed_requirements:
        graph.add((node, OG.claimedFailedRequirement, requirement))
    for ev in spec.evidence:
        graph.add((node, OG.evidence, add_evidence(graph, ev, node)))
    return node
