"""``openness build`` and ``openness import``: catalogues → validated batches in the store.

Pipeline (the same for one source or all of them):

1. every importer reads its catalogue version with one shared :class:`~.resolve.Resolver`, so
   the same model from several sources lands on one release;
2. the new batches are staged in an in-memory Oxigraph store next to what the target store
   already holds, and the declarative post-steps run there: ``queries/supersede.rq`` (history:
   older catalogue versions' claims become ``og:Superseded``, whatever the import order) and
   ``queries/release-dates.rq`` (one release date per release, else ``og:releaseDateUnknown``);
3. the batches, any older batch whose claims history re-marked, and the derived release-date graph
   are ingested through :func:`openness.ingest.ingest_batches`: validated together with SHACL and
   written in one transaction (a violation writes nothing).

The import report (JSON), the match table (CSV) and a rich summary come out of every run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import mint
from ..namespaces import OG
from ..resources import data_dir, read_query
from ..store import OxigraphStore, Store
from . import get_importer
from .base import ImportResult, sha256_files
from .resolve import Resolver

#: What ``openness build`` imports, in order: (source name, folder under data/sources/).
#: Older index versions come after the current one on purpose: history must not depend on order.
BUILD_PLAN: tuple[tuple[str, str], ...] = (
    ("mot", "mot"),
    ("osai", "osai-index"),
    ("osai-legacy", "osai-index-v1.0.2"),
    ("osai-legacy", "opening-up-chatgpt"),
    ("fmti", "fmti"),
    ("epoch", "epoch"),
    ("os-ai-map", "os-ai-map"),
)
DERIVED_DATES_GRAPH = "derived/release-dates"


@dataclass
class BuildOutcome:
    """What a build or import did: per-source reports, timings, the store's size after."""

    results: list[ImportResult] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # importers not available
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    report_dir: Path | None = None
    multi_source_releases: int = 0
    validation_warnings: int = 0

    def to_dict(self, resolver: Resolver | None = None) -> dict[str, Any]:
        return {
            "sources": [r.report.to_dict() | {"graph": str(r.graph_iri), "dataset": str(r.dataset)}
                        for r in self.results],
            "skipped": self.skipped,
            "triples": self.triples,
            "seconds": self.seconds,
            "multi_source_releases": self.multi_source_releases,
            "validation_warnings": self.validation_warnings,
        }


def default_report_dir(store_location: str | None) -> Path:
    """``<store>/../import-report`` for an on-disk store, else ``./import-report``."""
    if store_location and store_location != ":memory:" and not store_location.startswith("http"):
        return Path(store_location).resolve().parent / "import-report"
    return Path.cwd() / "import-report"


def example_files() -> list[Path]:
    folder = data_dir() / "examples"
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


def seed_from_graph(resolver: Resolver, graph: Graph) -> None:
    """Let the resolver know the releases a graph defines (the report's examples)."""
    for release in sorted(set(graph.subjects(RDF.type, OG.ModelRelease))):
        labels = sorted(str(x) for x in graph.objects(release, RDFS.label))
        if labels:
            resolver.know(URIRef(release), labels[0],
                          [str(x) for x in graph.objects(release, SKOS.altLabel)])


def run_importers(plan: Iterable[tuple[str, Path]], resolver: Resolver,
                  note: Callable[[str], None] = lambda _m: None,
                  ) -> tuple[list[ImportResult], list[dict[str, str]]]:
    """Run the importers in order; a missing importer module is skipped and listed, not an error."""
    results: list[ImportResult] = []
    skipped: list[dict[str, str]] = []
    for source, path in plan:
        try:
            importer = get_importer(source)
        except (KeyError, AttributeError) as err:
            skipped.append({"source": source, "path": str(path), "reason": str(err)})
            continue
        if not path.exists():
            skipped.append({"source": source, "path": str(path), "reason": "not bundled"})
            continue
        note(f"importing {source} from {path.name}")
        t0 = time.perf_counter()
        out = importer(path, resolver)
        for result in out if isinstance(out, list) else [out]:
            result.report.seconds = round(time.perf_counter() - t0, 2)
            result.report.triples = len(result.graph)
            results.append(result)
    return results, skipped


def write_results(store: Store, results: list[ImportResult], *,
                  extra: dict[str, tuple[Graph, str]] | None = None,
                  validate: bool = True, note: Callable[[str], None] = lambda _m: None) -> Any:
    """Stage, run the post-steps (history, release dates), validate and write in one transaction."""
    from ..ingest import Batch, ingest_batches

    staging = OxigraphStore(None)
    if store.count():
        staging.native.load(store.dump("nq"), format=_nquads())
    labels: dict[str, tuple[str, str | None, URIRef | None]] = {}
    graphs: dict[str, Graph] = {}
    for iri, (graph, label) in (extra or {}).items():
        graphs[iri] = graph
        labels[iri] = (label, None, None)
    for r in results:
        iri = str(r.graph_iri or mint.graph_iri("source", r.report.source, r.report.version))
        graphs[iri] = r.graph
        labels[iri] = (f"{r.report.source} {r.report.version}", sha256_files(r.files) if r.files else None,
                       r.dataset)
    note("staging")
    for iri, graph in graphs.items():
        staging.put_graph(iri, _own_blank_nodes(graph, iri))
    note("history (queries/supersede.rq)")
    staging.update(read_query("supersede"))
    touched = {str(row["g"]) for row in staging.select(
        "PREFIX og: <https://w3id.org/openness/ns#>\n"
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c og:supersededBy ?n } }")}
    dates_iri = str(mint.graph_iri(*DERIVED_DATES_GRAPH.split("/")))
    staging.drop_graph(dates_iri)
    note("release dates (queries/release-dates.rq)")
    dates = staging.construct(read_query("release-dates"))
    dates += staging.construct(read_query("release-developers"))
    batches = []
    for iri in sorted(set(graphs) | touched):
        label, sha, dataset = labels.get(iri, (iri.rsplit("/", 2)[-2] + " (history re-marked)", None, None))
        data = _strip_provenance(staging.get_graph(iri), URIRef(iri))
        batches.append(Batch(URIRef(iri), data, label, sha, dataset))
    if len(dates):
        batches.append(Batch(URIRef(dates_iri), dates, "derived release dates", None, None))
    note(f"validating and writing {len(batches)} batch(es)")
    return ingest_batches(store, batches, validate_batches=validate)


def _own_blank_nodes(graph: Graph, graph_iri: str) -> Graph:
    """Give a graph blank nodes of its own: the same node may not span two graphs in one update
    (license terms are copied into several source batches from one cached graph)."""
    from rdflib import BNode

    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    salt = mint.digest(graph_iri, length=8)

    def own(term: Any) -> Any:
        return BNode(f"{term}x{salt}") if isinstance(term, BNode) else term

    out = Graph()
    for s, p, o in graph:
        out.add((own(s), p, own(o)))
    return out


def _strip_provenance(graph: Graph, graph_iri: URIRef) -> Graph:
    """A batch graph read back from the store, without the ingest record ingest will write anew."""
    from rdflib.namespace import PROV

    activities = set(graph.objects(graph_iri, PROV.wasGeneratedBy))
    drop = {graph_iri} | activities
    for act in activities:
        drop |= set(graph.objects(act, PROV.used))
    out = Graph()
    for s, p, o in graph:
        if s not in drop:
            out.add((s, p, o))
    return out


def _nquads() -> Any:
    import pyoxigraph as ox

    return ox.RdfFormat.N_QUADS


def build(store: Store, *, report_dir: Path | None = None, sources_dir: Path | None = None,
          validate: bool = True, note: Callable[[str], None] = lambda _m: None,
          plan: Iterable[tuple[str, str]] = BUILD_PLAN) -> BuildOutcome:
    """Import every bundled source plus the report's examples into ``store`` (no network)."""
    t0 = time.perf_counter()
    outcome = BuildOutcome(report_dir=report_dir)
    resolver = Resolver()
    extra: dict[str, tuple[Graph, str]] = {}
    from ..ingest import file_graph_iri

    for path in example_files():
        graph = Graph().parse(path, format="turtle")
        seed_from_graph(resolver, graph)
        extra[str(file_graph_iri(path))] = (graph, path.name)
    root = sources_dir or data_dir() / "sources"
    results, outcome.skipped = run_importers(((s, root / folder) for s, folder in plan), resolver, note)
    outcome.results = results
    outcome.seconds["import"] = round(time.perf_counter() - t0, 2)
    t1 = time.perf_counter()
    ingest_report = write_results(store, results, extra=extra, validate=validate, note=note)
    outcome.seconds["write"] = round(time.perf_counter() - t1, 2)
    outcome.validation_warnings = _warnings(ingest_report)
    outcome.triples = store.count()
    outcome.multi_source_releases = sum(1 for s in resolver.releases_by_sources().values() if len(s) > 1)
    outcome.seconds["total"] = round(time.perf_counter() - t0, 2)
    if report_dir is not None:
        write_report(outcome, resolver, report_dir)
    return outcome


def import_source(store: Store, source: str, path: Path, *, report_dir: Path | None = None,
                  validate: bool = True, note: Callable[[str], None] = lambda _m: None) -> BuildOutcome:
    """``openness import SOURCE PATH``: one source into a store that may already hold others."""
    t0 = time.perf_counter()
    importer = get_importer(source)
    resolver = Resolver()
    if store.count():
        resolver.load_store(store)
    out = importer(Path(path), resolver)
    results = out if isinstance(out, list) else [out]
    for r in results:
        r.report.triples = len(r.graph)
        r.report.seconds = round(time.perf_counter() - t0, 2)
    ingest_report = write_results(store, results, validate=validate, note=note)
    outcome = BuildOutcome(results=results, triples=store.count(), report_dir=report_dir,
                           validation_warnings=_warnings(ingest_report))
    outcome.seconds["total"] = round(time.perf_counter() - t0, 2)
    if report_dir is not None:
        write_report(outcome, resolver, report_dir)
    return outcome


def _warnings(ingest_report: Any) -> int:
    try:
        return int(ingest_report.warnings)
    except (AttributeError, TypeError, ValueError):
        return 0


def write_report(outcome: BuildOutcome, resolver: Resolver, folder: Path) -> tuple[Path, Path]:
    """``import-report.json`` and ``matches.csv`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "import-report.json"
    report.write_text(json.dumps(outcome.to_dict(resolver), indent=2, default=str), encoding="utf-8")
    return report, resolver.write_csv(folder / "matches.csv")


__all__ = ["BUILD_PLAN", "BuildOutcome", "build", "default_report_dir", "import_source", "write_results"]
