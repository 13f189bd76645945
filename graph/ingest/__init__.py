"""Ingest: claim files and in-memory graphs read, shaped into batches, validated.

Public API::

    from openness.ingest import Batch, IngestError, IngestReport, read_file, batch_from_file

See :mod:`.batch` for batches and their validation (with the part of the store they join:
:func:`openness.validation.validate_batch`), :mod:`.readers` for the file formats. Writing goes
through the one write gate, :mod:`openness.gate` (``ingest_files``, ``ingest_graph``,
``ingest_batches``), which imports this package; nothing here imports the gate, so there is no import cycle.
"""

from __future__ import annotations

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
    "read_file",
]
