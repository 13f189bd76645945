"""What every importer shares: the import report, the result, rejects, and the dataset record.

Each importer reads one catalogue version into one rdflib graph (one batch) and says, in an
:class:`ImportReport`, exactly what happened: how many records it read, how many claims it wrote,
which records it refused and why, which licenses it could not map and which names it matched.
The report is what lets a user check the per-source counts against the files (records read =
records imported + documented rejects).

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
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS

from .. import mint
from ..claims import date_literal
from ..ingest.limits import LimitError
from ..ingest.safe import load_yaml, read_text
from ..namespaces import OG, bind_all

#: DCAT 3 terms rdflib's closed DCAT namespace lacks.
DCAT_VERSION = URIRef(str(DCAT) + "version")
DCAT_IN_SERIES = URIRef(str(DCAT) + "inSeries")
DCAT_DATASET_SERIES = URIRef(str(DCAT) + "DatasetSeries")


class ImportError_(ValueError):  # noqa: N801 - the builtin ImportError means something else
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
class ImportResult:
    """One importer's output: the batch graph, the dataset version it describes, the report."""

    graph: Graph
    dataset: URIRef
    report: ImportReport
    graph_iri: URIRef | None = None  # the named graph the batch belongs in
    files: list[Path] = field(default_factory=list)  # the files read (for the batch record)
    issued: dt.date | None = None  # the dataset version's date (for history ordering)


@dataclass
class SourceInfo:
    """The facts that describe a catalogue version as a dcat:Dataset."""

    name: str  # short name, e.g. "osai-index"
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
                  files: Iterable[Path], licenses: Iterable[Any] = ()) -> ImportResult:
    """The closing steps every catalogue importer shares: describe the licenses the batch names
    together with their facts, count the claims, keep this source's matches, wrap the result."""
    from .licenses import licenses_with_facts

    licenses_with_facts(licenses, graph)
    report.claims_written = count_claims(graph)
    report.matches = [m.as_dict() for m in resolver.matches if m.source == source]
    return ImportResult(graph=graph, dataset=info.dataset, report=report, graph_iri=info.graph_iri,
                        files=list(files), issued=info.issued)


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
