"""Ingest: claim files and in-memory graphs into the store, validated and all-or-nothing.

Public API::

    from openness.ingest import ingest_files, ingest_graph, IngestError, IngestReport

See :mod:`.batch` for the transaction, :mod:`.readers` for the file formats, :mod:`.context` for
the part of the store each batch is validated with.
"""

from .batch import (
    DEFAULT_AGENT,
    Batch,
    BatchSummary,
    IngestError,
    IngestReport,
    batch_from_file,
    file_graph_iri,
    ingest_batches,
    ingest_files,
    ingest_graph,
)
from .readers import SUPPORTED, ParsedFile, ReadError, read_file

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
