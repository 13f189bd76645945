"""``openness build`` and ``openness import``: catalogues → validated record graphs in the store.

Pipeline (the same for one source or all of them):

1. every importer reads its catalogue version with one shared :class:`~.resolve.Resolver`, so the
   same model from several sources lands on one release, while two records of one catalogue
   version never share one (they are kept apart and listed for review);
2. each catalogue version gives its own graph (``id/graph/source/<source>/<version>``: the
   ``dcat:Dataset``), one graph per record (``…/<version>/record/<slug>``) and one graph per license
   the records name (``id/graph/license/…``), each with the SHA-256 of its canonical content
   (:func:`~.base.graph_digest`);
3. :func:`plan_change` compares those digests with the ones the store holds (kept in each graph's
   provenance, ``og:sha256``) and keeps only the graphs that are new or changed: re-importing an
   unchanged record writes nothing. A record of the catalogue version that the path does not hold
   stays, unless the caller asks to replace the version (``openness import … --replace``), and
   then the count is said before anything is removed;
4. the change goes through the one write path, :func:`openness.gate.commit`: validated with its
   neighbourhood (:func:`openness.validation.validate_batch`), written in one transaction, the derived layer
   (claim statuses, release dates, combined statuses, assessments) maintained by the gate.

History needs no step here: a claimant's newest claim replaces its own older ones in the combine
rule (docs/derived-layer.md), and release dates are derived from the importers'
``og:ReleaseDateStatement`` nodes by ``queries/rules/release-dates.ru``.

The import report (JSON), the match table (CSV) and a rich summary come out of every run.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import mint
from ..namespaces import OG, prefix_lines
from ..resources import data_dir
from ..store import Store, default_store_path
from . import get_importer, osai
from .base import ImportError_, ImportResult, graph_digest, new_graph
from .resolve import Resolver

#: What ``openness build`` imports, in order: (source name, folder under data/sources/).
BUILD_PLAN: tuple[tuple[str, str], ...] = (
    ("mot", "mot"),
    ("osai", osai.INDEX_NAME),
    ("osai-legacy", osai.INDEX_V102_FOLDER),
    ("osai-legacy", "opening-up-chatgpt"),
    ("fmti", "fmti"),
    ("epoch", "epoch"),
    ("os-ai-map", "os-ai-map"),
    ("osi-validation", "../curation/osi-validation-2024.csv"),  # OSI's own verdicts (curated, quoted)
)

#: The digest each graph's provenance records (openness.ingest.batch: the batch's og:Ingest used
#: an og:SourceFile with its og:sha256; for catalogue records and licenses, the digest of the
#: graph's canonical content).
DIGESTS_QUERY = prefix_lines("prov", "og") + """SELECT ?g ?sha WHERE {
  GRAPH ?g { ?g prov:wasGeneratedBy ?a . ?a prov:used ?f . ?f og:sha256 ?sha } }"""


#: Does a catalogue version's own graph still hold claims (the one-graph layout of older builds)?
OLD_LAYOUT_ASK = prefix_lines("og") + "ASK { GRAPH <%s> { ?c a og:Claim } }"


@dataclass
class BuildOutcome:
    """What a build or import did: per-source reports, what was written, timings, the store's size."""

    results: list[ImportResult] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # importers not available
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    report_dir: Path | None = None
    multi_source_releases: int = 0
    validation_warnings: int = 0
    graphs_written: int = 0  # named graphs written (new or changed)
    graphs_unchanged: int = 0  # named graphs whose digest equals the store's
    dropped: list[str] = field(default_factory=list)  # named graphs removed

    @property
    def kept_apart(self) -> list[dict[str, str]]:
        return [k for r in self.results for k in r.report.kept_apart]

    def to_dict(self, resolver: Resolver | None = None) -> dict[str, Any]:
        return {
            "sources": [r.report.to_dict() | {"graph": str(r.graph_iri), "dataset": str(r.dataset)}
                        for r in self.results],
            "skipped": self.skipped,
            "kept_apart": self.kept_apart,
            "graphs_written": self.graphs_written,
            "graphs_unchanged": self.graphs_unchanged,
            "dropped": self.dropped,
            "triples": self.triples,
            "seconds": self.seconds,
            "multi_source_releases": self.multi_source_releases,
            "validation_warnings": self.validation_warnings,
        }


def default_report_dir(store_location: str | None) -> Path:
    """``<store>/../import-report`` for an on-disk store (the default store when none is named:
    the report sits next to the data, not in whatever folder the command ran in), else
    ``./import-report`` (an in-memory or remote store has no folder of its own)."""
    if store_location is None:
        return default_store_path().resolve().parent / "import-report"
    if store_location != ":memory:" and not store_location.startswith("http"):
        return Path(store_location).resolve().parent / "import-report"
    return Path.cwd() / "import-report"


def example_files() -> list[Path]:
    folder = data_dir() / "examples"
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


def seed_from_graph(resolver: Resolver, graph: Graph) -> None:
    """Let the resolver know the releases a graph defines (the report's examples)."""
    for release in sorted({URIRef(str(r)) for r in graph.subjects(RDF.type, OG.ModelRelease)}):
        labels = sorted(str(x) for x in graph.objects(release, RDFS.label))
        if labels:
            resolver.know(release, labels[0],
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


def stored_digests(store: Store) -> dict[str, str]:
    """Named graph IRI → the digest its provenance records (graphs without one are left out)."""
    return {str(row["g"]): str(row["sha"]) for row in store.select(DIGESTS_QUERY)}


@dataclass
class PlannedChange:
    """The batches to write and the graphs to drop, with what was left alone."""

    batches: list[Any] = field(default_factory=list)  # openness.ingest.Batch
    drop: list[str] = field(default_factory=list)
    unchanged: int = 0


def plan_change(store: Store, results: list[ImportResult], *, examples: Iterable[Path] = (),
                replace: bool = False, partial: bool = False, legacy_cleanup: bool = False,
                note: Callable[[str], None] = lambda _m: None) -> PlannedChange:
    """What must be written so the store holds ``results`` (and the example files), and nothing more.

    * a graph whose digest equals the one the store records is left alone;
    * ``replace``: the record graphs of each imported catalogue version that ``results`` do not hold
      are dropped (their number is said through ``note`` first); without it they stay, and the
      note says how many stayed;
    * ``partial`` (``openness import``): license graphs the store already holds are left as they
      are (a full build rewrites them from every record that names them); a catalogue version the
      store still holds in the old one-graph layout is refused (:class:`ImportError_`), because
      writing its new version graph would replace every record in it;
    * ``legacy_cleanup`` (``openness build``): the one-graph-per-source graphs of the old layout
      (``id/graph/source/fmti``) are dropped.
    """
    from ..ingest import Batch, file_graph_iri

    names = set(store.graph_names())
    stored = stored_digests(store) if names else {}
    plan = PlannedChange()

    def want(iri: URIRef, data: Graph, label: str, digest: str, dataset: URIRef | None) -> bool:
        if stored.get(str(iri)) == digest:
            plan.unchanged += 1
            return False
        plan.batches.append(Batch(iri, data, label, digest, dataset))
        return True

    licenses: dict[URIRef, Graph] = {}
    for r in results:
        rep = r.report
        version_iri = r.graph_iri or mint.graph_iri("source", rep.source, rep.version)
        if partial and not replace and str(version_iri) in names and store.ask(OLD_LAYOUT_ASK % version_iri):
            raise ImportError_(
                f"the store holds {rep.source} {rep.version} in the old one-graph layout (every record in "
                f"<{version_iri}>); importing part of it would replace all of it. Run `openness build` "
                "(or import the whole catalogue once) to split it into record graphs, then import again")
        want(version_iri, r.version_graph, f"{rep.source} {rep.version}", graph_digest(r.version_graph),
             r.dataset)
        for iri, rec in r.records.items():
            if want(iri, rec.graph, f"{rep.source} {rep.version}: {rec.key}", rec.digest, r.dataset):
                rep.records_written += 1
            else:
                rep.records_unchanged += 1
        prefix = f"{version_iri}/record/"
        absent = sorted(g for g in names if g.startswith(prefix) and URIRef(g) not in r.records)
        if absent and replace:
            note(f"--replace: removing {len(absent)} record(s) of {rep.source} {rep.version} that "
                 f"{rep.path} does not hold: " + ", ".join(g[len(prefix):] for g in absent[:10])
                 + (" …" if len(absent) > 10 else ""))
            plan.drop.extend(absent)
            rep.records_removed = len(absent)
        elif absent:
            note(f"{len(absent)} record(s) of {rep.source} {rep.version} in the store are not in "
                 f"{rep.path}; they stay (pass --replace to remove them)")
        for iri, graph in r.licenses.items():
            licenses.setdefault(iri, new_graph())
            licenses[iri] += graph
    for iri, graph in sorted(licenses.items()):
        if partial and str(iri) in names:
            plan.unchanged += 1
            continue
        want(iri, graph, f"license {str(iri).rsplit('/', 1)[-1]}", graph_digest(graph), None)
    for path in examples:
        iri = file_graph_iri(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if stored.get(str(iri)) != digest:
            plan.batches.append(Batch(iri, Graph().parse(path, format="turtle"), path.name, digest, None))
        else:
            plan.unchanged += 1
    if legacy_cleanup:
        sources = {str(mint.graph_iri("source", r.report.source)) for r in results}
        sources |= {str(r.graph_iri).rsplit("/", 1)[0] for r in results if r.graph_iri}
        old = sorted(g for g in names if g in sources)
        if old:
            note(f"dropping {len(old)} graph(s) of the old one-graph-per-source layout: {', '.join(old)}")
            plan.drop.extend(old)
    return plan


def write_plan(store: Store, plan: PlannedChange, *, label: str, validate: bool = True,
               note: Callable[[str], None] = lambda _m: None) -> Any:
    """Commit a planned change through the write gate (nothing to do when nothing changed)."""
    from ..gate import Change, commit

    if not plan.batches and not plan.drop:
        note("nothing changed: no graph to write")
        return None
    note(f"validating and writing {len(plan.batches)} graph(s)"
         + (f", dropping {len(plan.drop)}" if plan.drop else ""))
    return commit(store, Change(batches=plan.batches, drop=plan.drop, label=label), validate=validate)


def write_results(store: Store, results: list[ImportResult], *, validate: bool = True,
                  replace: bool = False, partial: bool = False,
                  note: Callable[[str], None] = lambda _m: None) -> Any:
    """Plan and commit ``results`` (see :func:`plan_change`); returns the gate's report or None."""
    plan = plan_change(store, results, replace=replace, partial=partial, note=note)
    label = ", ".join(f"{r.report.source} {r.report.version}" for r in results)
    return write_plan(store, plan, label=label, validate=validate, note=note)


def build(store: Store, *, report_dir: Path | None = None, sources_dir: Path | None = None,
          validate: bool = True, note: Callable[[str], None] = lambda _m: None,
          plan: Iterable[tuple[str, str]] = BUILD_PLAN) -> BuildOutcome:
    """Import every bundled source plus the report's examples into ``store`` (no network); on a
    store that already holds them, write only what changed."""
    t0 = time.perf_counter()
    outcome = BuildOutcome(report_dir=report_dir)
    resolver = Resolver()
    examples = example_files()
    for path in examples:
        seed_from_graph(resolver, Graph().parse(path, format="turtle"))
    root = sources_dir or data_dir() / "sources"
    results, outcome.skipped = run_importers(((s, root / folder) for s, folder in plan), resolver, note)
    outcome.results = results
    outcome.seconds["import"] = round(time.perf_counter() - t0, 2)
    t1 = time.perf_counter()
    change = plan_change(store, results, examples=examples, legacy_cleanup=True, note=note)
    commit_report = write_plan(store, change, label="openness build", validate=validate, note=note)
    _count(store, outcome, change, commit_report)
    outcome.seconds["write"] = round(time.perf_counter() - t1, 2)
    if commit_report is not None:  # None: nothing changed, nothing committed
        outcome.seconds.update({f"write.{k}": round(v, 2) for k, v in commit_report.seconds.items()})
    outcome.multi_source_releases = sum(1 for s in resolver.releases_by_sources().values() if len(s) > 1)
    outcome.seconds["total"] = round(time.perf_counter() - t0, 2)
    if report_dir is not None:
        write_report(outcome, resolver, report_dir)
    return outcome


def import_source(store: Store, source: str, path: Path, *, report_dir: Path | None = None,
                  validate: bool = True, replace: bool = False,
                  note: Callable[[str], None] = lambda _m: None) -> BuildOutcome:
    """``openness import SOURCE PATH``: the records under PATH into a store that may hold others.

    Records of the same catalogue version that PATH does not hold stay, unless ``replace``.
    """
    t0 = time.perf_counter()
    importer = get_importer(source)
    resolver = Resolver()
    resolver.load_store(store)
    out = importer(Path(path), resolver)
    results = out if isinstance(out, list) else [out]
    for r in results:
        r.report.triples = len(r.graph)
        r.report.seconds = round(time.perf_counter() - t0, 2)
    outcome = BuildOutcome(results=results, report_dir=report_dir)
    change = plan_change(store, results, replace=replace, partial=True, note=note)
    label = ", ".join(f"{r.report.source} {r.report.version}" for r in results)
    _count(store, outcome, change, write_plan(store, change, label=label, validate=validate, note=note))
    outcome.seconds["total"] = round(time.perf_counter() - t0, 2)
    if report_dir is not None:
        write_report(outcome, resolver, report_dir)
    return outcome


def _count(store: Store, outcome: BuildOutcome, change: PlannedChange, commit_report: Any) -> None:
    outcome.graphs_written = len(change.batches)
    outcome.graphs_unchanged = change.unchanged
    outcome.dropped = list(change.drop)
    outcome.validation_warnings = _warnings(getattr(commit_report, "ingest", commit_report))
    ingest = getattr(commit_report, "ingest", None)
    outcome.triples = ingest.triples_after if ingest is not None else store.source_count()


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


__all__ = ["BUILD_PLAN", "BuildOutcome", "build", "default_report_dir", "import_source", "plan_change",
           "write_results"]
