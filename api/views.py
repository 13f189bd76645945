"""The read model of the generic pages, the linked-data documents, the release list and the JSON
API: a resource's description and property table, assessments and their trace, the release list
with its verdicts, a release's claims grouped by criterion. It holds no HTML and no HTTP.

The rest of what used to live here has a module of its own: store access and IRI mapping
(:mod:`.iris`), running the page queries (:mod:`.page_queries`), the vocabulary and labels
(:mod:`.vocabulary`), the release and model pages' read model (:mod:`.release_view`). Their names
stay importable from here for the routes (``views.IriMapper``, ``views.labels`` …).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from openness import derive
from openness.namespaces import EPOCH, FMTI, HF, MOF, OG, OSAI, OSMAP, SPECTRUM, bind_all
from openness.store import OxigraphStore, Store, to_rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .iris import (
    ONTOLOGY_NAMESPACES,
    ONTOLOGY_ROOT,
    IriMapper,
    base_iri,
    check_iri,
    get_store,
    local_name,
)
from .page_queries import PARAM, fill, run_plain, run_select, select_sources
from .vocabulary import (
    criterion_scheme,
    labels,
    namespace_graph,
    ontology_graph,
    ontology_labels,
    ontology_terms,
)

#: Names of the split-out modules the routes reach through this one.
__all__ = [
    "FRAMEWORKS", "FRAMEWORK_SLUGS", "ONTOLOGY_NAMESPACES", "ONTOLOGY_ROOT", "PARAM", "STATUS_CSS",
    "TIER_FRAMEWORK",
    "IriMapper", "ReleaseRow", "all_releases", "assessment_row", "base_iri", "check_iri",
    "claims_by_criterion", "contested_criteria", "criterion_scheme", "describe", "exists", "fill",
    "framework_of_kind",
    "get_store", "labels", "latest_verdicts", "local_name", "namespace_graph", "ontology_graph",
    "ontology_labels", "ontology_terms", "overview", "property_table", "release_assessments",
    "release_claims", "run_plain", "run_select", "select_sources", "spectrum_range", "spectrum_tier",
    "term_view", "tier_number", "trace", "types", "types_of",
]

#: The frameworks (IRI, label as a heading), in their og:displayOrder (ontology/schemes/core.ttl).
FRAMEWORKS: list[tuple[str, str]] = [
    (str(fw.iri), fw.label[:1].upper() + fw.label[1:]) for fw in derive.frameworks().values()
]


def framework_of_kind(kind: URIRef) -> str | None:
    """The IRI of the first framework (display order) whose result is ``kind`` (og:resultKind:
    og:TierResult, og:ClassResult, og:PassFailResult, og:ScoreResult), or None: the pages give a
    tier, class progress or scored criteria a section of their own by kind, never by name."""
    return next((str(fw.iri) for fw in derive.frameworks().values() if fw.kind == kind), None)


#: The framework whose tier the release lists show in a column of their own (the spectrum's).
TIER_FRAMEWORK = framework_of_kind(OG.TierResult)
#: Framework key (skos:notation) -> IRI.
FRAMEWORK_SLUGS: dict[str, URIRef] = {key: fw.iri for key, fw in derive.frameworks().items()}
TIERS = [OG[f"Tier{n}"] for n in range(1, 6)]
STATUS_CSS = {OG.Open: "open", OG.Partial: "partial", OG.Closed: "closed", OG.Unknown: "unknown",
              OG.NotListed: "notlisted", OG.NotApplicable: "na"}
#: Criteria schemes in page order (the report's spectrum first), with a fallback by namespace.
SCHEME_ORDER = [
    (criterion_scheme(str(ns)), title)
    for ns, title in (
        (SPECTRUM, "Spectrum of openness"),
        (MOF, "Model Openness Framework components"),
        (OSAI, "European Open Source AI Index"),
        (FMTI, "Foundation Model Transparency Index"),
        (EPOCH, "Epoch AI"),
        (OSMAP, "AI Stack Map"),
        (HF, "Hugging Face model card"),
        (OG, "Other criteria"),
    )
]


# --------------------------------------------------------------------------- generic resources


def exists(store: Store, iri: str) -> bool:
    return store.ask(fill("exists", iri=iri)) or (URIRef(iri), None, None) in ontology_graph()


def describe(store: Store, iri: str, *, sources_only: bool = False) -> Graph:
    """The RDF of one resource: its triples, its blank-node parts and incoming links.

    ``sources_only``: what the source graphs say (the store's own default graph, their merge),
    without the derived layer's nodes that point at the resource (positions, combined statuses,
    assessments: a release page shows those in their own sections; listing them as "referred to
    by" cost a release page of the corpus 30 to 60 ms of labels)."""
    text = fill("describe", iri=iri)
    if sources_only and isinstance(store, OxigraphStore):
        graph = Graph()
        for triple in store.native.query(text, default_graph=[ox.DefaultGraph()]):  # type: ignore[union-attr]
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))  # type: ignore[arg-type]
    else:
        graph = store.construct(text)
    node = URIRef(iri)
    for triple in ontology_graph().triples((node, None, None)):
        graph.add(triple)
    bind_all(graph.namespace_manager)
    return graph


def types_of(graph: Graph, iri: str) -> set[str]:
    return {str(t) for t in graph.objects(URIRef(iri), RDF.type)}


def types(store: Store, iri: str) -> set[str]:
    """The rdf:types of one resource (in the store or the ontology), without describing it."""
    found = {str(r["t"]) for r in select_sources(store, f"SELECT ?t WHERE {{ <{check_iri(iri)}> a ?t }}")}
    return found | {str(t) for t in ontology_graph().objects(URIRef(iri), RDF.type)}


def term_view(term: Node, names: dict[str, str], mapper: IriMapper) -> dict[str, Any]:
    """A node ready for a template: its text, its link (if any) and whether it is a literal."""
    if isinstance(term, Literal):
        return {
            "text": str(term),
            "href": None,
            "literal": True,
            "datatype": local_name(str(term.datatype or "")),
        }
    if isinstance(term, BNode):
        return {"text": "(blank node)", "href": None, "literal": False}
    text = str(term)
    return {
        "text": names.get(text, local_name(text)),
        "href": mapper.href(text),
        "literal": False,
        "iri": text,
    }


def property_table(store: Store, graph: Graph, iri: str, mapper: IriMapper) -> dict[str, Any]:
    """Outgoing and incoming statements of one resource, labelled, for the generic page."""
    node = URIRef(iri)
    iris: set[str] = {iri}
    for s, p, o in graph:
        iris.update(str(t) for t in (s, p, o) if isinstance(t, URIRef))
    names = labels(store, iris)
    outgoing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p, o in sorted(graph.predicate_objects(node)):
        if isinstance(o, BNode):
            parts = [
                f"{names.get(str(bp), local_name(str(bp)))}: {term_view(bo, names, mapper)['text']}"
                for bp, bo in sorted(graph.predicate_objects(o))
                if bp != RDF.type
            ]
            outgoing[str(p)].append(
                {"text": "; ".join(parts) or "(blank node)", "href": None, "literal": True}
            )
        else:
            outgoing[str(p)].append(term_view(o, names, mapper))
    incoming: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s, p in sorted(graph.subject_predicates(node)):
        if isinstance(s, URIRef):
            incoming[str(p)].append(term_view(s, names, mapper))
    return {
        "label": names.get(iri, local_name(iri)),
        "outgoing": [
            {"property": term_view(URIRef(p), names, mapper), "values": vals} for p, vals in outgoing.items()
        ],
        "incoming": [
            {"property": term_view(URIRef(p), names, mapper), "values": vals} for p, vals in incoming.items()
        ],
        "names": names,
    }


# --------------------------------------------------------------------------- assessments


def _only(query: str, release: str | None) -> str:
    """``query`` (a page query whose rows are keyed by ``?release``) restricted to one release:
    one ``VALUES`` row at the start of its WHERE clause (the IRI checked by :func:`check_iri`)."""
    if release is None:
        return query
    return query.replace("WHERE {", f"WHERE {{ VALUES ?release {{ <{check_iri(release)}> }}", 1)


def latest_verdicts(store: Store, only: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """release → framework → its current assessment (derived:assessments holds one per release
    and framework; the newest ``og:assessedOn`` wins should a store hold more); ``only``: of one
    release."""
    latest: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in select_sources(store, _only(fill("all-assessments"), only)):
        release, framework = str(row["release"]), str(row["framework"])
        current = latest[release].get(framework)
        when = str(row.get("assessedOn", ""))
        if current is None or when > current["assessed_on"]:
            latest[release][framework] = assessment_row(row)
    return latest


def assessment_row(row: Mapping[str, object]) -> dict[str, Any]:
    """A read query's assessment row (rdflib terms or plain text) as the pages and API use it."""
    def text(key: str) -> str | None:
        return str(row[key]) if key in row else None

    def number(key: str) -> float | None:
        return float(str(row[key])) if key in row else None

    def whole(key: str) -> int | None:
        return int(float(str(row[key]))) if key in row else None

    return {
        "assessment": text("assessment"),
        "framework": text("framework"),
        "verdict": text("verdict"),
        "verdict_label": text("verdictLabel"),
        "reason": text("reason") or "",
        "assessed_on": text("assessedOn") or "",
        "as_of": text("asOf"),
        "tier_min": whole("tierMin"),
        "tier_max": whole("tierMax"),
        "score": number("score"),
        "rule": text("rule"),
        "rule_file": text("ruleFile"),
        "missing": (text("missingCriteria") or "").split(),
    }


def release_assessments(store: Store, release: str) -> list[dict[str, Any]]:
    """Every assessment of a release (newest first within a framework), with attribute verdicts."""
    rows = [assessment_row(r) for r in run_select(store, "release-assessments", release=release)]
    if rows:
        attrs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for a in run_select(store, "assessment-attributes", assessment=[r["assessment"] for r in rows]):
            attrs[str(a["assessment"])].append((str(a["attribute"]), str(a["status"])))
        for r in rows:
            r["attributes"] = sorted(attrs.get(r["assessment"], []))
    return rows


def trace(store: Store, assessments: list[str]) -> dict[str, list[dict[str, Any]]]:
    """assessment → the claims it used and set aside (criterion, status, claimant, evidence link)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not assessments:
        return out
    seen = set()
    for r in run_select(store, "assessment-trace", assessment=assessments):
        key = (str(r["assessment"]), str(r["role"]), str(r["claim"]))
        if key in seen:
            continue
        seen.add(key)
        out[key[0]].append(
            {
                "role": key[1],
                "claim": key[2],
                "about": str(r["about"]),
                "criterion": str(r["criterion"]),
                "status": str(r["status"]),
                "claimant": str(r["claimant"]) if "claimant" in r else None,
                "asserted_on": str(r["assertedOn"]) if "assertedOn" in r else None,
                "source": str(r["source"]) if "source" in r else None,
                "quote": str(r["quote"]) if "quote" in r else None,
            }
        )
    return out


# --------------------------------------------------------------------------- releases


@dataclass
class ReleaseRow:
    """One release in the list (home page, ``GET /api/releases``)."""

    iri: str
    label: str
    model: str | None
    date: str | None
    developers: list[str]
    licenses: list[str]
    alt_labels: list[str]
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    placement: str | None = None


def all_releases(store: Store, only: str | None = None) -> list[ReleaseRow]:
    """Every release with its current verdict per framework (derived:assessments) and the tier
    sources place it in; ``only``: just that release (the same queries, restricted to it: one
    release's JSON answer need not list all of them first)."""
    verdicts = latest_verdicts(store, only)
    placements: dict[str, str] = {}
    for row in select_sources(store, _only(fill("placements"), only)):
        placements.setdefault(str(row["release"]), str(row["tier"]))
    out = []
    for row in select_sources(store, _only(fill("releases"), only)):
        iri = str(row["release"])
        out.append(
            ReleaseRow(
                iri=iri,
                label=str(row.get("label") or local_name(iri)),
                model=str(row["model"]) if "model" in row else None,
                date=str(row["date"]) if "date" in row else None,
                developers=str(row.get("developers") or "").split(),
                licenses=str(row.get("licenses") or "").split(),
                alt_labels=[a for a in str(row.get("altLabels") or "").split(" | ") if a],
                verdicts=verdicts.get(iri, {}),
                placement=placements.get(iri),
            )
        )
    return out


def tier_number(tier: str | None) -> int | None:
    if tier and tier.startswith(str(OG) + "Tier") and tier[-1].isdigit():
        return int(tier[-1])
    return None


def spectrum_range(row: ReleaseRow) -> tuple[int, int] | None:
    """The release's computed spectrum tier as (lowest, highest): equal when the tier is settled,
    apart when it depends on criteria nobody has claims about."""
    verdict = row.verdicts.get(TIER_FRAMEWORK) if TIER_FRAMEWORK else None
    if not verdict:
        return None
    low = verdict.get("tier_min") or tier_number(verdict["verdict"])
    if not low:
        return None
    return int(low), int(verdict.get("tier_max") or low)


def spectrum_tier(row: ReleaseRow) -> int | None:
    """The release's computed spectrum tier, or None when not assessed or still a range (a range is
    never shown as its best case: unknown is not open)."""
    span = spectrum_range(row)
    return span[0] if span and span[0] == span[1] else None


def overview(store: Store) -> dict[str, Any]:
    """Counts for the home page: releases per tier (computed and as placed by sources), verdicts."""
    releases = all_releases(store)
    computed = {n: 0 for n in range(1, 6)}
    placed = {n: 0 for n in range(1, 6)}
    not_assessed = ranged = 0
    per_framework: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in releases:
        tier = spectrum_tier(r)
        if tier in computed:
            computed[tier] += 1
        elif spectrum_range(r):
            ranged += 1
        else:
            not_assessed += 1
        placed_tier = tier_number(r.placement)
        if placed_tier in placed:
            placed[placed_tier] += 1
        for fw, v in r.verdicts.items():
            per_framework[fw][v["verdict_label"] or v["verdict"] or "?"] += 1
    counts = {str(row["class"]): int(row["n"]) for row in select_sources(store, fill("counts"))}
    return {
        "releases": releases,
        "computed": computed,
        "placed": placed,
        "not_assessed": not_assessed,
        "ranged": ranged,
        "per_framework": {fw: dict(sorted(v.items())) for fw, v in per_framework.items()},
        "counts": counts,
    }


def release_claims(store: Store, release: str, mapper: IriMapper) -> dict[str, dict[str, Any]]:
    """claim IRI → every claim about the release or one of its components, with its evidence
    (``queries/pages/release-claims.rq``)."""
    rows = run_plain(store, "release-claims", release=release)
    claims: dict[str, dict[str, Any]] = {}
    for r in rows:
        cid = str(r["claim"])
        claim = claims.get(cid)
        if claim is None:
            claim = claims[cid] = {
                "iri": cid,
                "href": mapper.href(cid),
                "about": str(r["about"]),
                "criterion": str(r["criterion"]),
                "status": str(r["status"]),
                "claimant": str(r["claimant"]) if "claimant" in r else None,
                "asserted_on": str(r["assertedOn"]) if "assertedOn" in r else None,
                "standing": str(r["standing"]) if "standing" in r else None,
                "raw_value": str(r["rawValue"]) if "rawValue" in r else None,
                "claimed_tier": str(r["claimedTier"]) if "claimedTier" in r else None,
                "claimed_license": str(r["claimedLicense"]) if "claimedLicense" in r else None,
                "dataset": str(r["dataset"]) if "dataset" in r else None,
                "comment": str(r["comment"]) if "comment" in r else None,
                "evidence": [],
            }
        if "evidence" in r and all(e["iri"] != str(r["evidence"]) for e in claim["evidence"]):
            claim["evidence"].append(
                {
                    "iri": str(r["evidence"]),
                    "href": mapper.href(str(r["evidence"])),
                    "source": str(r["source"]) if "source" in r else None,
                    "quote": str(r["quote"]) if "quote" in r else None,
                    "retrieved_on": str(r["retrievedOn"]) if "retrievedOn" in r else None,
                    "locator": str(r["locator"]) if "locator" in r else None,
                    "kind": str(r["kind"]) if "kind" in r else None,
                }
            )
    return claims


def contested_criteria(store: Store, release: str) -> set[str]:
    """The criteria on which the release's claimants disagree: its combined statuses marked
    og:contested (combine.ru writes them into derived:combined; no rule runs here)."""
    return {r["criterion"] for r in run_plain(store, "release-combined", release=release)
            if r.get("contested") in ("true", "1")}


def claims_by_criterion(store: Store, release: str, mapper: IriMapper, *,
                        claims: dict[str, dict[str, Any]] | None = None,
                        contested: set[str] | None = None,
                        leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """The release's claims grouped by scheme and criterion, with evidence, and whether claimants
    disagree on it (``contested``: :func:`contested_criteria`, read when not given). ``claims``:
    from :func:`release_claims`, read when not given; schemes in ``leave_out`` are not grouped,
    e.g. ``osai`` where a page shows the Index in its own table."""
    if claims is None:
        claims = release_claims(store, release, mapper)
    if contested is None:
        contested = contested_criteria(store, release)
    iris = {release}
    for c in claims.values():
        iris.update(
            v
            for k in (
                "about",
                "criterion",
                "status",
                "claimant",
                "standing",
                "claimed_tier",
                "claimed_license",
                "dataset",
            )
            if (v := c[k])
        )
    names = labels(store, iris)
    placements = [c for c in claims.values() if c["criterion"] == str(OG.SpectrumPlacement)]
    by_criterion: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims.values():
        if c["criterion"] != str(OG.SpectrumPlacement):
            by_criterion[c["criterion"]].append(c)
    schemes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for criterion, items in by_criterion.items():
        if criterion_scheme(criterion) in leave_out:
            continue
        current = [c for c in items if c["standing"] in (None, str(OG.Asserted), str(OG.Disputed))]
        statuses = sorted({c["status"] for c in current}) or sorted({c["status"] for c in items})
        schemes[criterion_scheme(criterion)].append(
            {
                "criterion": criterion,
                "label": names.get(criterion, local_name(criterion)),
                "href": mapper.href(criterion),
                "statuses": statuses,
                "status": statuses[0] if len(statuses) == 1 else None,
                "disagreement": criterion in contested,
                "claims": sorted(items, key=lambda c: (c["claimant"] or "", c["asserted_on"] or "")),
            }
        )
    ordered: list[dict[str, Any]] = []
    for key, title in SCHEME_ORDER:
        if key in schemes:
            ordered.append(
                {"key": key, "title": title, "criteria": sorted(schemes[key], key=lambda c: c["label"])}
            )
    return {"schemes": ordered, "placements": placements, "names": names, "count": len(claims)}
