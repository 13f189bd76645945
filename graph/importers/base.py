"""What every importer shares: the import report, the result, rejects, and the dataset record.

Each importer reads one catalogue version. The version's own graph
(``id/graph/source/<source>/<version>``) holds its ``dcat:Dataset`` description; every record of
the catalogue (a MOT YAML, an Index YAML, an Epoch CSV row, an FMTI developer entry, a Stack Map
product, a Hugging Face card) becomes a named graph of its own
(``id/graph/source/<source>/<version>/record/<record-slug>``, a :class:`RecordGraph`) with the
SHA-256 of its canonical content, so that importing one record adds or updates that record only
and re-importing an unchanged record writes nothing (:mod:`.build`). The licenses the records name
are described once each, in ``id/graph/license/…`` (:func:`license_graphs`). The importer says,
in an :class:`ImportReport`, exactly what happened: how many records it read, how many claims it
wrote, which records it refused and why, which licenses it could not map, which names it matched
and which records it kept apart because they named the same release. The report is what lets a
user check the per-source counts against the files (records read = records imported + documented
rejects).

Policy for bad input (documented in the README, "Importing sources"): a bad *record* (YAML syntax
error, missing required field, unknown status word, schema violation) is skipped and reported as
a :class:`Reject` naming the file, the record and, for syntax errors, the line; the rest of the
batch is imported. A bad *source* (missing folder, no records at all) raises :class:`ImportError_`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS

from .. import mint
from ..claims import ClaimSpec, date_literal
from ..ingest.limits import LimitError
from ..ingest.safe import load_yaml, read_text
from ..namespaces import OG, bind_all
from .values import source_value

#: DCAT 3 terms rdflib's closed DCAT namespace lacks.
DCAT_VERSION = URIRef(str(DCAT) + "version")
DCAT_IN_SERIES = URIRef(str(DCAT) + "inSeries")
DCAT_DATASET_SERIES = URIRef(str(DCAT) + "DatasetSeries")


class ImportError_(ValueError):
    """A whole source could not be imported (the message names the path and what to do)."""


@dataclass
class Reject:
    """One record that was skipped, and why."""

    file: str
    record: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} [{self.record}]: {self.reason}"


@dataclass
class ImportReport:
    """What one importer did with one catalogue version."""

    source: str
    version: str = ""
    path: str = ""
    records_read: int = 0
    records_imported: int = 0
    claims_written: int = 0
    rejected: list[Reject] = field(default_factory=list)
    unmapped_licenses: Counter[str] = field(default_factory=Counter)
    license_values: int = 0  # license strings seen (for the mapped share)
    matches: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Records of this catalogue version that named a release another record of the same version
    #: had named; each was kept apart on a release of its own (for review, see Resolver.release).
    kept_apart: list[dict[str, str]] = field(default_factory=list)
    records_written: int = 0  # record graphs written (new or changed)
    records_unchanged: int = 0  # record graphs whose digest equals the store's: not written
    records_removed: int = 0  # record graphs dropped (``--replace``: absent from the path)
    triples: int = 0
    seconds: float = 0.0

    def reject(self, file: str, record: str, reason: str, line: int | None = None) -> Reject:
        item = Reject(file=file, record=record, reason=reason, line=line)
        self.rejected.append(item)
        return item

    def license_seen(self, raw: str, mapped: bool) -> None:
        """Count one license value; unmapped ones are listed in the report."""
        self.license_values += 1
        if not mapped:
            self.unmapped_licenses[raw] += 1

    @property
    def license_mapped_share(self) -> float | None:
        if not self.license_values:
            return None
        unmapped = sum(self.unmapped_licenses.values())
        return (self.license_values - unmapped) / self.license_values

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected"] = [asdict(r) for r in self.rejected]
        data["unmapped_licenses"] = dict(sorted(self.unmapped_licenses.items()))
        data["license_mapped_share"] = self.license_mapped_share
        data["matches_by_method"] = dict(Counter(m["method"] for m in self.matches))
        return data


@dataclass
class RecordGraph:
    """One catalogue record as its own named graph.

    ``key`` is the record's identity inside its catalogue version (a file stem, an Epoch model
    name, an FMTI developer, a Stack Map product slug, a Hugging Face repository id); ``slug`` the
    IRI-safe form of it used in the graph IRI and as the record's owner key in the resolver.
    ``licenses`` are the :class:`~.licenses.LicenseResolution` values the record names (described
    once each in their license graphs, not in the record). ``iri`` and ``digest`` (SHA-256 of the
    graph's canonical N-Triples, hexadecimal) are set by :func:`finish_import`.
    """

    key: str
    slug: str
    dataset: URIRef
    graph: Graph = field(default_factory=lambda: new_graph())
    licenses: list[Any] = field(default_factory=list)
    iri: URIRef | None = None
    digest: str = ""

    @property
    def owner(self) -> tuple[str, str]:
        """(catalogue version, record): who holds a release in :meth:`Resolver.release`."""
        return str(self.dataset), self.slug


class Records:
    """The records of one catalogue version, each collected into its own :class:`RecordGraph`.

    Two keys with the same slug (``Command-R`` and ``Command-R+`` would both give ``command-r``
    without the ``+`` rule of :func:`record_slug`) get the digest of the key appended, with a
    warning, so no record overwrites another.
    """

    def __init__(self, info: SourceInfo, report: ImportReport) -> None:
        self.info = info
        self.report = report
        self.items: dict[str, RecordGraph] = {}

    def new(self, key: str) -> RecordGraph:
        slug = record_slug(key)
        if slug in self.items:
            if self.items[slug].key == key:
                raise ValueError(f"{self.info.name} {self.info.version}: record {key!r} read twice")
            self.report.warnings.append(f"records {self.items[slug].key!r} and {key!r} share the slug "
                                        f"{slug!r}; the second is {slug}-{mint.digest(key, length=6)}")
            slug = f"{slug}-{mint.digest(key, length=6)}"
        rec = RecordGraph(key=key, slug=slug, dataset=self.info.dataset)
        self.items[slug] = rec
        return rec

    def discard(self, rec: RecordGraph) -> None:
        """Forget a record that was rejected after :meth:`new` (nothing of it is written)."""
        self.items.pop(rec.slug, None)

    def __iter__(self) -> Any:
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)


def record_slug(key: str) -> str:
    """The IRI-safe slug of a record key; ``+`` is spelled out (``Command-R+`` → ``command-r-plus``)."""
    return mint.slug(key.replace("+", " plus "))


def record_graph_iri(info: SourceInfo, slug: str) -> URIRef:
    """``id/graph/source/<source>/<version>/record/<record-slug>``."""
    return URIRef(f"{info.graph_iri}/record/{slug}")


@dataclass
class ImportResult:
    """One importer's output for one catalogue version.

    ``version_graph`` is the version's own graph (its ``dcat:Dataset`` description, written to
    ``graph_iri``); ``records`` maps each record graph IRI to its :class:`RecordGraph`;
    ``licenses`` maps each license graph IRI (``id/graph/license/…``) to the description of one
    license the records name. :attr:`graph` is the union of all three (for tests and counts).
    """

    version_graph: Graph
    dataset: URIRef
    report: ImportReport
    graph_iri: URIRef | None = None  # the catalogue version's own named graph
    files: list[Path] = field(default_factory=list)  # the files read (for the batch record)
    issued: dt.date | None = None  # the dataset version's date
    records: dict[URIRef, RecordGraph] = field(default_factory=dict)
    licenses: dict[URIRef, Graph] = field(default_factory=dict)
    _union: Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """Everything this import produced, as one graph (computed once)."""
        if self._union is None:
            union = new_graph()
            for part in (self.version_graph, *(r.graph for r in self.records.values()),
                         *self.licenses.values()):
                union += part
            self._union = union
        return self._union


@dataclass
class SourceInfo:
    """The facts that describe a catalogue version as a dcat:Dataset."""

    name: str  # short name, e.g. "mot"
    version: str  # e.g. the dataset date "2026-06-12"
    title: str
    publisher: str  # publisher agent name, e.g. "OSAI Index"
    publisher_homepage: str | None
    license: str  # license IRI (SPDX)
    citation: str
    issued: dt.date
    landing_page: str
    commit: str | None = None
    repository: str | None = None

    @property
    def dataset(self) -> URIRef:
        return mint.dataset_iri(self.name, self.version)

    @property
    def agent(self) -> URIRef:
        return mint.agent_iri(self.publisher)

    @property
    def graph_iri(self) -> URIRef:
        return mint.graph_iri("source", self.name, self.version)

    def file_url(self, relative: str) -> str:
        """The public URL of a file of this dataset in its upstream repository at its commit."""
        if not (self.repository and self.commit):
            return self.landing_page
        from urllib.parse import quote

        return f"{self.repository}/blob/{self.commit}/{quote(relative)}"


def source_claim(info: SourceInfo, about: URIRef, criterion: URIRef, word: object, **rest: Any) -> ClaimSpec:
    """A claim recording what the source ``info`` says of ``criterion``: its own ``word`` as a
    concept of the criterion's value scheme (:func:`.values.source_value`, which raises on a word
    outside it), no status (importers record, ``queries/rules/claim-status.ru`` judges), claimed
    by the source's agent on its issue date, read from its dataset. ``rest``: the other
    :class:`~openness.claims.ClaimSpec` fields (raw value, evidence, key, note, license)."""
    return ClaimSpec(about=about, criterion=criterion, status=None,
                     source_value=source_value(criterion, word), claimant=info.agent,
                     asserted_on=info.issued, dataset=info.dataset, **rest)


@cache
def normalize(raw: str | None) -> Any:
    """``licenses.normalize_license`` memoized per build: catalogues repeat the same strings."""
    from .licenses import normalize_license

    return normalize_license(raw)


def new_graph() -> Graph:
    graph = Graph()
    bind_all(graph.namespace_manager)
    return graph


def describe_agent(graph: Graph, agent: URIRef, label: str, homepage: str | None = None,
                   kind: URIRef = OG.Organization) -> URIRef:
    """Type and label an agent (publisher, developer); idempotent."""
    graph.add((agent, RDF.type, kind))
    canonical = mint.canonical_agent_name(label)
    graph.add((agent, RDFS.label, Literal(canonical)))
    if canonical != label.strip():  # a catalogue's own spelling, kept (data/curation/agent-aliases.csv)
        graph.add((agent, SKOS.altLabel, Literal(label.strip())))
    if page := url(homepage):
        graph.add((agent, FOAF.homepage, page))
    return agent


def describe_dataset(graph: Graph, info: SourceInfo) -> URIRef:
    """Write the dcat:Dataset of a catalogue version and its publisher agent; return the dataset."""
    ds = info.dataset
    describe_agent(graph, info.agent, info.publisher, info.publisher_homepage)
    graph.add((ds, RDF.type, DCAT.Dataset))
    graph.add((ds, DCTERMS.title, Literal(info.title)))
    graph.add((ds, RDFS.label, Literal(f"{info.title} ({info.version})")))
    graph.add((ds, DCTERMS.publisher, info.agent))
    graph.add((ds, DCAT_VERSION, Literal(info.version)))
    graph.add((ds, DCTERMS.license, URIRef(info.license)))
    graph.add((ds, DCTERMS.bibliographicCitation, Literal(info.citation)))
    graph.add((ds, DCTERMS.issued, date_literal(info.issued)))
    graph.add((ds, DCAT.landingPage, URIRef(info.landing_page)))
    series = mint.dataset_iri(info.name)
    graph.add((ds, DCAT_IN_SERIES, series))
    graph.add((series, RDF.type, DCAT_DATASET_SERIES))
    graph.add((series, DCTERMS.title, Literal(info.title)))
    graph.add((series, RDFS.label, Literal(info.title)))
    if info.commit:
        graph.add((ds, DCTERMS.identifier, Literal(info.commit)))
    if info.repository:
        graph.add((ds, DCAT.accessURL, URIRef(info.repository)))
    return ds


def count_claims(graph: Graph) -> int:
    return sum(1 for _ in graph.subjects(RDF.type, OG.Claim))


def finish_import(graph: Graph, info: SourceInfo, report: ImportReport, resolver: Any, *, source: str,
                  files: Iterable[Path], records: Records, licenses: Iterable[Any] = (),
                  match_prefix: str = "") -> ImportResult:
    """The closing steps every catalogue importer shares: give each record graph its IRI and
    digest, describe the licenses the records (and ``licenses``) name, each in its own graph with
    its facts, count the claims, keep this source's matches (those whose record starts with
    ``match_prefix``) and the records kept apart, wrap the result."""
    named = list(licenses)
    out: dict[URIRef, RecordGraph] = {}
    claims: set[Any] = set(graph.subjects(RDF.type, OG.Claim))
    for rec in records:
        rec.iri = record_graph_iri(info, rec.slug)
        rec.digest = graph_digest(rec.graph)
        claims.update(rec.graph.subjects(RDF.type, OG.Claim))
        named.extend(rec.licenses)
        out[rec.iri] = rec
    report.claims_written = len(claims)
    report.matches = [m.as_dict() for m in resolver.matches
                      if m.source == source and m.record.startswith(match_prefix)]
    report.kept_apart = [k for k in getattr(resolver, "kept_apart", []) if k["dataset"] == str(info.dataset)]
    return ImportResult(version_graph=graph, dataset=info.dataset, report=report, graph_iri=info.graph_iri,
                        files=list(files), issued=info.issued, records=out, licenses=license_graphs(named))


def license_graphs(resolutions: Iterable[Any]) -> dict[URIRef, Graph]:
    """One graph per license named (``id/graph/license/<slug>``): its description and the facts the
    rules read about it (OSI, FSF, MOF lists). A license is described once in the store, however many
    records name it, so its blank-node terms (ODRL rules) are not copied once per record."""
    from .licenses import licenses_with_facts

    by_license: dict[URIRef, list[Any]] = {}
    for res in resolutions:
        if getattr(res, "names_license", False) and res.iri is not None:
            by_license.setdefault(URIRef(res.iri), []).append(res)
    return {license_graph_iri(iri): licenses_with_facts(found, new_graph())
            for iri, found in by_license.items()}


def license_graph_iri(license_iri: URIRef) -> URIRef:
    """``id/graph/license/spdx/<id>`` for SPDX licenses, ``id/graph/license/id/<slug>`` for ours."""
    text = str(license_iri)
    if text.startswith("http://spdx.org/licenses/"):
        return mint.graph_iri("license", "spdx", text.rsplit("/", 1)[1])
    return mint.graph_iri("license", "id", text.rstrip("/").rsplit("/", 1)[1].rsplit("#", 1)[-1])


def graph_digest(graph: Graph) -> str:
    """SHA-256 (hex) of a graph's canonical N-Triples: the same triples give the same digest in any
    run, whatever their order; blank nodes are relabelled canonically first (RDF canonicalization
    of rdflib), so license terms parsed anew in each process digest the same."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        from rdflib.compare import to_canonical_graph

        graph = to_canonical_graph(graph)
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def state_release_date(graph: Graph, release: URIRef, value: Any, *, claimant: URIRef,
                       dataset: URIRef) -> URIRef:
    """Write one release date as a source states it, kept with its claimant (docs/derived-layer.md):
    ``<id/date/<hash>> a og:ReleaseDateStatement ; og:about release ; og:statedReleaseDate d ;
    og:claimant claimant ; dcterms:source dataset``. ``d`` is typed by its precision (xsd:date,
    xsd:gYearMonth, xsd:gYear); raises ValueError when ``value`` is not a date."""
    literal = date_literal(value)
    node = mint.iri("date", mint.digest(dataset, release, claimant, literal, literal.datatype))
    graph.add((node, RDF.type, OG.ReleaseDateStatement))
    graph.add((node, OG.about, release))
    graph.add((node, OG.statedReleaseDate, literal))
    graph.add((node, OG.claimant, claimant))
    graph.add((node, DCTERMS.source, dataset))
    return node


def sha256_files(paths: Iterable[Path]) -> str:
    """One content hash over several files (name + bytes), stable across runs."""
    h = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        h.update(path.name.encode("utf-8"))
        h.update(path.read_bytes())
    return h.hexdigest()


def load_yaml_record(path: Path, report: ImportReport, record: str | None = None) -> Any | None:
    """Parse one YAML file; on a syntax error, record a reject naming file and line, return None."""
    name = record or path.name
    try:
        text = read_text(path)  # size limit (openness.ingest.limits)
    except (OSError, UnicodeDecodeError, LimitError) as err:
        report.reject(path.name, name, f"cannot read the file: {err}")
        return None
    try:
        return load_yaml(text, path)  # no aliases, nesting-depth limit (openness.ingest.safe)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        report.reject(path.name, name, f"YAML syntax error: {problem}; fix the file and import again", line)
        return None


def text(value: Any) -> str | None:
    """A stripped string or None for empty / missing values (YAML gives None, '', numbers, dates)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    out = str(value).strip()
    return out or None


_IRI_BAD = set('<>"{}|\\^`')


def url(value: Any) -> URIRef | None:
    """A web IRI from a messy field ("https://x · Hugging Face" → https://x); None if there is none."""
    s = text(value)
    if not s:
        return None
    first = s.split()[0]
    if not first.startswith(("http://", "https://")) or any(c in _IRI_BAD for c in first):
        return None
    return URIRef(first)


def links(value: Any) -> list[str]:
    """URLs from a link field that may be a string, a list, or empty; non-URLs are dropped."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        found = url(item)
        if found is not None and str(found) not in out:
            out.append(str(found))
    return out
