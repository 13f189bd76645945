"""The namespaces of openness-graph and of the vocabularies it reuses.

One table, used by every module (prefixes in SPARQL, Turtle output, JSON-LD context).
"""

from __future__ import annotations

import os

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, NamespaceManager

#: Ontology terms (classes, properties, SKOS concepts of the core schemes).
OG = Namespace("https://w3id.org/openness/ns#")
#: Model Openness Framework components (17) as criteria / component types.
MOF = Namespace("https://w3id.org/openness/mof#")
#: The report's spectrum criteria (its table's columns plus license and standards).
SPECTRUM = Namespace("https://w3id.org/openness/spectrum#")
#: European Open Source AI Index dimensions (12 current, 14 legacy).
OSAI = Namespace("https://w3id.org/openness/osai#")
#: Foundation Model Transparency Index indicators.
FMTI = Namespace("https://w3id.org/openness/fmti#")
#: Epoch AI accessibility fields.
EPOCH = Namespace("https://w3id.org/openness/epoch#")
#: Current AI's AI Stack Map scoring dimensions.
OSMAP = Namespace("https://w3id.org/openness/osmap#")
#: Hugging Face model card fields.
HF = Namespace("https://w3id.org/openness/hf#")

ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
SPDX = Namespace("http://spdx.org/licenses/")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")

DEFAULT_DATA_BASE = "https://w3id.org/openness/id/"


def data_base() -> str:
    """Base IRI for minted data IRIs; set OPENNESS_BASE_IRI to serve the graph under your own domain."""
    base = os.environ.get("OPENNESS_BASE_IRI", DEFAULT_DATA_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def derived_graph_base() -> str:
    """Where the derived layer's named graphs live (``derived:`` in rules): ``<data base>graph/derived/``.

    Graphs directly under it (``derived:combined``, ``derived:assessments``, ...) are the current
    view; ``derived:as-of/<date>/...`` holds views recomputed as of a date (docs/derived-layer.md).
    """
    return data_base() + "graph/derived/"


def ID() -> Namespace:
    """The namespace of minted data IRIs (models, releases, claims, ...)."""
    return Namespace(data_base())


PREFIXES: dict[str, str] = {
    "og": str(OG),
    "mof": str(MOF),
    "spectrum": str(SPECTRUM),
    "osai": str(OSAI),
    "fmti": str(FMTI),
    "epoch": str(EPOCH),
    "osmap": str(OSMAP),
    "hf": str(HF),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "odrl": str(ODRL),
    "spdx": str(SPDX),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "void": str(VOID),
}


def project_prefixes() -> dict[str, str]:
    """Every prefix the product predeclares (rules, CLI, endpoint): :data:`PREFIXES` plus the
    configurable ``id:`` (minted data) and ``derived:`` (derived graphs)."""
    return {**PREFIXES, "id": data_base(), "derived": derived_graph_base()}


def prefix_lines(*names: str) -> str:
    """PREFIX lines for some prefixes of :data:`PREFIXES` (``prefix_lines("og", "rdfs")``), for a
    query kept in Python that must run on any store (no predeclared prefixes)."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in names)


def sparql_prefixes() -> str:
    """PREFIX lines for every project prefix, for engines that take no predeclared prefixes."""
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in project_prefixes().items()) + "\n"


def bind_all(manager: NamespaceManager) -> None:
    """Bind every prefix on an rdflib namespace manager (for readable Turtle output)."""
    for prefix, iri in project_prefixes().items():
        manager.bind(prefix, iri, override=True, replace=True)


def curie(text: str) -> str:
    """Write the IRIs in ``text`` (one, or a space-separated list) as prefixed names
    (``spectrum:Weights``, ``og:Open``) where a namespace of :data:`PREFIXES` starts them.

    Why here: the one table of prefixes, so CLI tables and trace text shorten alike; anything
    else (data IRIs, URLs) is left as it is.
    """
    by_length = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    out = []
    for word in text.split():
        for prefix, ns in by_length:
            if word.startswith(ns) and len(word) > len(ns):
                word = f"{prefix}:{word[len(ns):]}"
                break
        out.append(word)
    return " ".join(out)
