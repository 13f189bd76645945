"""Ingest: claim files and in-memory graphs read, shaped into batches, validated.

Public API::

    from openness.ingest import ingest_files, ingest_graph, IngestError, IngestReport

See :mod:`.batch` for batches and their validation, :mod:`.readers` for the file formats,
:mod:`.context` for the part of the store each batch is validated with. Writing goes through the
one write gate, :mod:`openness.gate` (``ingest_files``, ``ingest_graph`` and ``ingest_batches``
are its conveniences, re-exported here).
"""

from __future__ import annotations

from typing import Any

from .batch import (
    DEFAULT_AGENT,
    Batch,
    BatchSummary,
    IngestError,
    IngestReport,
    batch_from_file,
    file_graph_iri,
)
from .readers import SUPPORTED, ParsedFile, ReadError, read_file

_WRITERS = ("ingest_batches", "ingest_files", "ingest_graph")


def __getattr__(name: str) -> Any:
    # The writers live in the gate, which imports this package: resolve them on first use.
    if name in _WRITERS:
        from .. import gate

        return getattr(gate, name)
    raise AttributeError(name)


__all__ = [
    "DEFAULT_AGENT",
    "SUPPORTED",
    "Batch",
    "BatchSummary",
    "IngestError",
    "IngestReport",
    "ParsedFile",
    "ReadError",
    "batch_from_file",
    "file_graph_iri",
    "ingest_batches",
    "ingest_files",
    "ingest_graph",
    "read_file",
]
