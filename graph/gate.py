"""The one write path: every change to the store goes through :func:`commit`.

Why one gate: a batch must be validated with the part of the store it joins, written in one
transaction, mirrored into the default graph (which must stay a set), and the derived layer
(claim statuses, combined statuses, assessments) must be brought up to date for exactly the
subjects the batch touched — in that same transaction, so that no reader ever sees a batch
without its verdicts (docs/derived-layer.md). The CLI (load, import, build), ``POST
/api/claims``, the Graph Store protocol and SPARQL Update all call :func:`commit`; nothing else
writes source data.

Shapes: a :class:`Change` holds

* ``batches`` — :class:`openness.ingest.Batch` objects: named graphs to write whole (replacing
  what they held), with their provenance record added by the gate;
* ``drop`` — IRIs of source graphs to remove;
* ``add`` / ``remove`` — triple-level edits of named graphs (graph IRI → rdflib Graph), e.g. the
  effect of a SPARQL ``DELETE/INSERT WHERE`` computed by the service.

Errors: :class:`openness.ingest.IngestError` when validation finds a violation (nothing is
written); :class:`openness.store.StoreError` when the store refuses the write (nothing is
written: one update is one transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from .ingest.batch import Batch, IngestReport, ProgressHook, ingest_batches
from .store import Store, graph_to_ntriples


@dataclass
class Change:
    """What one commit changes (see the module docstring for each field)."""

    batches: Sequence[Batch] = ()
    drop: Sequence[str] = ()
    add: dict[str, Graph] = field(default_factory=dict)
    remove: dict[str, Graph] = field(default_factory=dict)
    label: str = ""  # what the change is, for provenance and reports ("mot 2026-05-11", "SPARQL update")

    def is_empty(self) -> bool:
        return not (self.batches or self.drop or self.add or self.remove)


@dataclass
class CommitReport:
    """What a commit did: the ingest report (graphs, validation warnings, counts) and the derived
    layer's maintenance (touched subjects, seconds per step)."""

    ingest: IngestReport
    touched: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def commit(
    store: Store,
    change: Change,
    *,
    validate: bool = True,
    agent: URIRef | str | None = None,
    progress: ProgressHook | None = None,
) -> CommitReport:
    """Validate ``change`` with its neighbourhood and write it, with the derived layer, at once."""
    if change.is_empty():
        raise ValueError("nothing to commit: the change is empty")
    report = IngestReport()
    if change.batches:
        report = ingest_batches(store, list(change.batches), agent=agent, validate_batches=validate,
                                progress=progress)
    parts: list[str] = [f"DROP SILENT GRAPH <{g}>" for g in change.drop]
    for g, data in change.remove.items():
        parts.append(f"DELETE DATA {{ GRAPH <{g}> {{\n{graph_to_ntriples(data)}\n}} }}")
    for g, data in change.add.items():
        parts.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{graph_to_ntriples(data)}\n}} }}")
    if parts:
        store.update(" ;\n".join(parts))
    return CommitReport(ingest=report)


__all__ = ["Change", "CommitReport", "commit"]
