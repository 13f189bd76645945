"""What the pages, the linked-data documents and the JSON API show, read from the store.

The queries are SPARQL files under ``queries/pages/`` (declarative first: the same text runs in the
query page). A query names its parameter as ``<urn:openness:param:NAME>``, which :func:`run_select`
replaces with the IRIs asked for; the file stays a valid query on its own. This module turns the
rows into plain dicts for the templates and the pydantic models; it holds no HTML and no HTTP.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import HTTPException, Request
from openness.namespaces import OG, PREFIXES, bind_all, data_base, sparql_prefixes
from openness.resources import read_query, turtle_files
from openness.store import OxigraphStore, Store, open_store, to_rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

PARAM = "urn:openness:param:"
#: The ontology's own namespaces (``https://w3id.org/openness/<name>#``), served at ``/<name>``.
ONTOLOGY_ROOT = "https://w3id.org/openness/"
ONTOLOGY_NAMESPACES: dict[str, str] = {
    iri[len(ONTOLOGY_ROOT) : -1]: iri
    for iri in PREFIXES.values()
    if iri.startswith(ONTOLOGY_ROOT) and iri.endswith("#")
}
#: Frameworks in the order pages show them, with the verdict scheme's short name.
FRAMEWORKS: list[tuple[str, str]] = [
    (str(OG.SpectrumOTI2024), "Spectrum of openness (OTI 2024)"),
    (str(OG["MOF-1.0"]), "Model Openness Framework 1.0"),
    (str(OG["OSAID-1.0"]), "Open Source AI Definition 1.0"),
    (str(OG.OSAIIndex), "European Open Source AI Index"),
]
FRAMEWORK_SLUGS: dict[str, URIRef] = {
    "spectrum": OG.SpectrumOTI2024,
    "mof": OG["MOF-1.0"],
    "osaid": OG["OSAID-1.0"],
    "osai-index": OG.OSAIIndex,
}
TIERS = [OG[f"Tier{n}"] for n in range(1, 6)]
STATUS_CSS = {OG.Open: "open", OG.Partial: "partial", OG.Closed: "closed", OG.Unknown: "unknown",
              OG.NotListed: "notlisted", OG.NotApplicable: "na"}
#: Criteria schemes in page order (the report's spectrum first), with a fallback by namespace.
SCHEME_ORDER = [
    ("spectrum", "Spectrum of openness"),
    ("mof", "Model Openness Framework components"),
    ("osai", "European Open Source AI Index"),
    ("fmti", "Foundation Model Transparency Index"),
    ("epoch", "Epoch AI"),
    ("osmap", "AI Stack Map"),
    ("hf", "Hugging Face model card"),
    ("ns", "Other criteria"),
]
_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_LABEL_PROPS = (RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name)


# --------------------------------------------------------------------------- store and IRIs


_store_lock = threading.Lock()


def get_store(request: Request) -> Store:
    """The one store of this app (``app.state.store``), opened on first use if nobody opened it."""
    state = request.app.state
    store = getattr(state, "store", None)
    if store is None:
        with _store_lock:
            store = getattr(state, "store", None)
            if store is None:
                store = open_store(state.settings.store)
                state.store = store
    return store


def base_iri(request: Request) -> str:
    """The data IRI base the served graph uses (settings, else ``OPENNESS_BASE_IRI``, else w3id)."""
    base = getattr(request.app.state.settings, "base_iri", None) or data_base()
    return base if base.endswith(("/", "#")) else base + "/"


def check_iri(iri: str) -> str:
    """Refuse anything that could break out of ``<...>`` in a query (the IRI comes from a URL)."""
    if not _SAFE_IRI.match(iri):
        raise HTTPException(status_code=404, detail=f"not an IRI this service knows: {iri!r}")
    return iri


@dataclass
class IriMapper:
    """Maps between IRIs in the data and paths on this server, so every link stays local."""

    base: str

    def iri_for(self, rest: str) -> str:
        return check_iri(self.base + rest)

    def local_rest(self, iri: str) -> str | None:
        return iri[len(self.base) :] if iri.startswith(self.base) and len(iri) > len(self.base) else None

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` points: its page here, its ontology document, or a describe page."""
        rest = self.local_rest(iri)
        if rest is not None:
            return "/page/" + quote(rest, safe="/-._~")
        if iri.startswith(ONTOLOGY_ROOT) and "#" in iri:
            ns, _, term = iri[len(ONTOLOGY_ROOT) :].partition("#")
            if ns in ONTOLOGY_NAMESPACES:
                return f"/{ns}#{quote(term, safe='-._~')}"
        return "/resource?iri=" + quote(iri, safe="")


def run_select(store: Store, name: str, **params: str | list[str]) -> list[dict[str, Node]]:
    """Run ``queries/pages/<name>.rq`` with its ``<urn:openness:param:X>`` placeholders filled."""
    return select_sources(store, fill(name, **params))


def select_sources(store: Store, text: str) -> list[dict[str, Node]]:
    """Rows of a page query run with the store's own default graph (the merge of the source
    graphs) as its default graph; derived data is read through the query's explicit
    ``GRAPH derived:…`` patterns, which is the contract's portable form (docs/derived-layer.md).

    Why not ``Store.select``: on the embedded store it makes the default graph the union of the
    default graph and every derived graph, and Oxigraph then looks each pattern up in all of them:
    page queries ran 10 to 20 times slower (labels of a release page: 52 ms against 2.8 ms,
    measured on the built corpus)."""
    if not isinstance(store, OxigraphStore):
        return store.select(text)
    solutions = store.native.query(text, default_graph=[ox.DefaultGraph()])
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, Node]] = []
    for solution in solutions:
        row: dict[str, Node] = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = to_rdflib(value)  # type: ignore[assignment]
        rows.append(row)
    return rows


def run_plain(store: Store, name: str, **params: str | list[str]) -> list[dict[str, str]]:
    """:func:`run_select` with every value as its plain text (IRI, literal's lexical form, ``_:id``
    for a blank node): for readers that only print or parse values. Making rdflib terms of the
    rows was a fifth of a release page's time on the corpus."""
    text = fill(name, **params)
    if not isinstance(store, OxigraphStore):
        return [{k: str(v) for k, v in row.items()} for row in store.select(text)]
    solutions = store.native.query(text, default_graph=[ox.DefaultGraph()])
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, str]] = []
    for solution in solutions:
        row: dict[str, str] = {}
        for key in names:
            value = solution[key]
            if value is not None:
                row[key] = f"_:{value.value}" if isinstance(value, ox.BlankNode) else value.value
        rows.append(row)
    return rows


def fill(name: str, **params: str | list[str]) -> str:
    """The page query ``name`` with its parameters written in and the project prefixes declared
    (``derived:`` among them)."""
    text = sparql_prefixes() + read_query(f"pages/{name}")
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        text = text.replace(f"<{PARAM}{key}>", " ".join(f"<{check_iri(v)}>" for v in values))
    return text


# --------------------------------------------------------------------------- ontology


@cache
def ontology_graph() -> Graph:
    """The shipped ontology and SKOS schemes (labels, definitions of criteria, tiers, statuses)."""
    graph = Graph()
    bind_all(graph.namespace_manager)
    try:
        files = turtle_files("ontology")
    except FileNotFoundError:
        files = []
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


@cache
def ontology_labels() -> dict[str, str]:
    """IRI → display label of every labelled term of the shipped ontology (read once)."""
    onto = ontology_graph()
    out: dict[str, str] = {}
    for prop in reversed(_LABEL_PROPS):  # the first property of _LABEL_PROPS wins
        for s, o in onto.subject_objects(prop):
            if isinstance(s, URIRef):
                out[str(s)] = str(o)
    return out


def labels(store: Store, iris: list[str] | set[str]) -> dict[str, str]:
    """Display labels: ontology first, then the store, then the IRI's local name."""
    known = ontology_labels()
    out: dict[str, str] = {}
    missing = []
    for iri in {str(i) for i in iris if i}:
        if iri in known:
            out[iri] = known[iri]
        elif _SAFE_IRI.match(iri):
            missing.append(iri)
    for start in range(0, len(missing), 200):
        for row in run_plain(store, "labels", iri=missing[start : start + 200]):
            out[row["x"]] = row["label"]
    for iri in missing:
        out.setdefault(iri, local_name(iri))
    return out


def criterion_scheme(criterion: str) -> str:
    """The short name of the scheme a criterion belongs to (by its namespace)."""
    for ns, iri in ONTOLOGY_NAMESPACES.items():
        if criterion.startswith(iri):
            return ns
    return "ns"


def ontology_terms(ns: str) -> list[dict[str, Any]]:
    """Every term of one ontology namespace with its label, definition and types (for ``/<ns>``)."""
    onto = ontology_graph()
    prefix = ONTOLOGY_NAMESPACES[ns]
    terms = sorted({s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)})
    out = []
    for term in terms:
        out.append(
            {
                "iri": str(term),
                "name": str(term)[len(prefix) :],
                "label": str(onto.value(term, RDFS.label) or onto.value(term, SKOS.prefLabel) or ""),
                "definition": str(onto.value(term, SKOS.definition) or onto.value(term, RDFS.comment) or ""),
                "types": sorted(str(t) for t in onto.objects(term, RDF.type)),
            }
        )
    return out


def namespace_graph(ns: str) -> Graph:
    """The ontology triples whose subject is in one namespace (the RDF of ``/<ns>``)."""
    onto = ontology_graph()
    prefix = ONTOLOGY_NAMESPACES[ns]
    out = Graph()
    bind_all(out.namespace_manager)
    for s, p, o in onto:
        if str(s).startswith(prefix) or (ns == "ns" and str(s) == prefix.rstrip("#")):
            out.add((s, p, o))
            if isinstance(o, BNode):
                for triple in onto.triples((o, None, None)):
                    out.add(triple)
    return out


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


def latest_verdicts(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    """release → framework → its current assessment (derived:assessments holds one per release
    and framework; the newest ``og:assessedOn`` wins should a store hold more)."""
    latest: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in select_sources(store, fill("all-assessments")):
        release, framework = str(row["release"]), str(row["framework"])
        current = latest[release].get(framework)
        when = str(row.get("assessedOn", ""))
        if current is None or when > current["assessed_on"]:
            latest[release][framework] = assessment_row(row)
    return latest


def assessment_row(row: dict[str, Node]) -> dict[str, Any]:
    def text(key: str) -> str | None:
        return str(row[key]) if key in row else None

    def number(key: str) -> float | None:
        return float(row[key]) if key in row else None  # type: ignore[arg-type]

    return {
        "assessment": text("assessment"),
        "framework": text("framework"),
        "verdict": text("verdict"),
        "verdict_label": text("verdictLabel"),
        "reason": text("reason") or "",
        "assessed_on": text("assessedOn") or "",
        "as_of": text("asOf"),
        "tier_min": int(number("tierMin")) if "tierMin" in row else None,  # type: ignore[arg-type]
        "tier_max": int(number("tierMax")) if "tierMax" in row else None,  # type: ignore[arg-type]
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
        for r in run_select(store, "assessment-attributes", assessment=[r["assessment"] for r in rows]):
            attrs[str(r["assessment"])].append((str(r["attribute"]), str(r["status"])))
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


def all_releases(store: Store) -> list[ReleaseRow]:
    """Every release with its current verdict per framework (derived:assessments) and the tier
    sources place it in."""
    verdicts = latest_verdicts(store)
    placements: dict[str, str] = {}
    for row in select_sources(store, fill("placements")):
        placements.setdefault(str(row["release"]), str(row["tier"]))
    out = []
    for row in select_sources(store, fill("releases")):
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
    verdict = row.verdicts.get(str(OG.SpectrumOTI2024))
    if not verdict:
        return None
    low = verdict.get("tier_min") or tier_number(verdict["verdict"])
    high = verdict.get("tier_max") or low
    return (int(low), int(high)) if low else None


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
    counts = {str(row["class"]): int(row["n"]) for row in select_sources(store, fill("counts"))}  # type: ignore[arg-type]
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
    ordered = []
    for key, title in SCHEME_ORDER:
        if key in schemes:
            ordered.append(
                {"key": key, "title": title, "criteria": sorted(schemes[key], key=lambda c: c["label"])}
            )
    return {"schemes": ordered, "placements": placements, "names": names, "count": len(claims)}
