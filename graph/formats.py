"""The one table of formats: RDF serializations and SPARQL results, with their media types.

Why here: the store, the CLI, the ingest readers and every route of the web service name formats;
they all look them up in this table, which is built from pyoxigraph's own format metadata
(``ox.RdfFormat`` / ``ox.QueryResultsFormat``: media type, file extension, whether a format holds
named graphs), so a media type is written once, by the engine that reads and writes it.

* :data:`RDF` — the RDF formats the product reads and writes, by short name (``ttl``, ``nt``,
  ``nq``, ``trig``, ``jsonld``, ``rdfxml``: the names ``openness export --format`` and
  ``Store.dump`` take); :data:`SERVED_RDF` the same in the web service's order of preference.
* :data:`RESULTS` — SELECT / ASK results formats (``json``, ``xml``, ``csv``, ``tsv``).
* the other media types the service speaks (HTML, plain text, JSON, YAML, gzip, SPARQL protocol
  bodies), and the aliases clients send for ours (:data:`ALIASES`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


def _bare(media_type: str) -> str:
    """A media type without its parameters (Oxigraph gives CSV/TSV with ``; charset=utf-8``)."""
    return media_type.split(";", 1)[0].strip()


#: The W3C's list of format IRIs (https://www.w3.org/ns/formats/), for service descriptions.
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormat:
    """One RDF serialization: Oxigraph's format plus the names other tools give it."""

    key: str  #: short name (``ttl``): ``?format=``, ``openness export --format``, ``Store.dump``
    ox: ox.RdfFormat  #: the engine's format (reads, writes, dumps)
    rdflib: str  #: rdflib's parser / serializer name
    comments: bool  #: the syntax has ``#`` line comments (a truncated result says so in one)
    prefixes: bool  #: the syntax writes prefixed names (a result is written with the used prefixes)

    @property
    def media_type(self) -> str:
        return _bare(self.ox.media_type)

    @property
    def extension(self) -> str:
        """The file extension (``ttl``)."""
        return self.ox.file_extension

    @property
    def suffix(self) -> str:
        """The file suffix with its dot (``.ttl``)."""
        return "." + self.ox.file_extension

    @property
    def datasets(self) -> bool:
        """True when the format keeps named graphs (N-Quads, TriG, JSON-LD)."""
        return bool(self.ox.supports_datasets)

    @property
    def iri(self) -> str:
        """The format's IRI in the W3C list (Oxigraph 0.5 names JSON-LD ``…/formats/data/JSON-LD``,
        which the list does not have: the list's name is used)."""
        return W3C_FORMATS + "JSON-LD" if self.key == "jsonld" else self.ox.iri


@dataclass(frozen=True)
class ResultsFormat:
    """One SPARQL results format (SELECT / ASK)."""

    key: str  #: short name (``json``): ``?format=``
    ox: ox.QueryResultsFormat

    @property
    def media_type(self) -> str:
        return _bare(self.ox.media_type)

    @property
    def iri(self) -> str:
        return self.ox.iri


#: RDF formats, as the CLI and the store list them.
RDF: tuple[RdfFormat, ...] = (
    RdfFormat("ttl", ox.RdfFormat.TURTLE, "turtle", comments=True, prefixes=True),
    RdfFormat("nt", ox.RdfFormat.N_TRIPLES, "nt", comments=True, prefixes=False),
    RdfFormat("nq", ox.RdfFormat.N_QUADS, "nquads", comments=True, prefixes=False),
    RdfFormat("trig", ox.RdfFormat.TRIG, "trig", comments=True, prefixes=True),
    RdfFormat("jsonld", ox.RdfFormat.JSON_LD, "json-ld", comments=False, prefixes=False),
    RdfFormat("rdfxml", ox.RdfFormat.RDF_XML, "xml", comments=False, prefixes=True),
)
#: SELECT / ASK results formats (the first is the default answer).
RESULTS: tuple[ResultsFormat, ...] = (
    ResultsFormat("json", ox.QueryResultsFormat.JSON),
    ResultsFormat("xml", ox.QueryResultsFormat.XML),
    ResultsFormat("csv", ox.QueryResultsFormat.CSV),
    ResultsFormat("tsv", ox.QueryResultsFormat.TSV),
)

RDF_BY_KEY: dict[str, RdfFormat] = {f.key: f for f in RDF}
#: The RDF formats in the web service's order of preference (the first is the default answer; on
#: ties in an Accept header the earlier wins).
SERVED_RDF: tuple[RdfFormat, ...] = tuple(
    RDF_BY_KEY[k] for k in ("ttl", "nt", "jsonld", "rdfxml", "trig", "nq")
)
RDF_BY_MEDIA: dict[str, RdfFormat] = {f.media_type: f for f in RDF}
RESULTS_BY_MEDIA: dict[str, ResultsFormat] = {f.media_type: f for f in RESULTS}

TURTLE = RDF_BY_KEY["ttl"].media_type
N_TRIPLES = RDF_BY_KEY["nt"].media_type
N_QUADS = RDF_BY_KEY["nq"].media_type
TRIG = RDF_BY_KEY["trig"].media_type
JSON_LD = RDF_BY_KEY["jsonld"].media_type
RDF_XML = RDF_BY_KEY["rdfxml"].media_type
N3 = _bare(ox.RdfFormat.N3.media_type)
SPARQL_JSON = _bare(ox.QueryResultsFormat.JSON.media_type)
SPARQL_XML = _bare(ox.QueryResultsFormat.XML.media_type)
CSV = _bare(ox.QueryResultsFormat.CSV.media_type)
TSV = _bare(ox.QueryResultsFormat.TSV.media_type)

#: SPARQL 1.1 protocol bodies (a query or an update sent directly in a POST).
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
#: HTML form bodies.
FORM = "application/x-www-form-urlencoded"
HTML = "text/html"
TEXT = "text/plain"
JSON = "application/json"
XML = "application/xml"
TEXT_XML = "text/xml"
GZIP = "application/gzip"
SVG = "image/svg+xml"
OCTETS = "application/octet-stream"
X_TURTLE = "application/x-turtle"
#: YAML claim files (no registered type until RFC 9512's application/yaml; clients send all three).
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")

#: Media types clients commonly send that mean one of ours (alias -> canonical). ``application/json``
#: and ``application/xml`` mean a results format or an RDF one depending on the answer
#: (``api/negotiation.aliases_for``).
ALIASES: dict[str, str] = {
    X_TURTLE: TURTLE,
    N3: TURTLE,  # Turtle is a subset of N3: a valid answer to an N3 request
    TEXT: N_TRIPLES,  # the historical N-Triples media type
    "application/x-trig": TRIG,
    "text/x-nquads": N_QUADS,
}

#: ``?format=`` short names -> media types (each format's key, plus the spellings people use).
FORMAT_NAMES: dict[str, str] = {
    "html": HTML,
    **{f.key: f.media_type for f in RESULTS},
    "srj": SPARQL_JSON,
    "srx": SPARQL_XML,
    **{f.key: f.media_type for f in RDF},
    "turtle": TURTLE,
    "ntriples": N_TRIPLES,
    "json-ld": JSON_LD,
    "rdf": RDF_XML,
    "owl": RDF_XML,
    "nquads": N_QUADS,
}


def rdf_format(key: str) -> RdfFormat:
    """The RDF format with short name ``key``, or a ValueError naming the ones there are."""
    try:
        return RDF_BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown RDF format {key!r}; use one of {', '.join(RDF_BY_KEY)}") from None


def textual(media_type: str) -> bool:
    """Is the type text to a browser (its Content-Type gets ``charset=utf-8``)?"""
    return media_type.startswith("text/") or media_type in (N_TRIPLES, N_QUADS, TRIG)
