"""Exporting the store as RDF files.

Dataset formats (N-Quads, TriG, JSON-LD) keep every named graph, so an export re-loaded into an
empty store gives back the same graphs (batches and their provenance included); graph formats
(Turtle, N-Triples, RDF/XML) give the union of all graphs, for tools that know no named graphs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from .formats import RDF_BY_KEY
from .store import OxigraphStore, Store


def export_store(store: Store, fmt: str, out: str | os.PathLike[str] | BinaryIO) -> int:
    """Write the store in ``fmt`` (an RDF format's short name of :mod:`openness.formats`, or
    ``spdx3`` / ``cyclonedx``: :mod:`openness.bom`) to a path or binary stream.

    Returns the number of bytes written.
    """
    from .bom import BOM_FORMATS, render_bom  # SPDX 3 and CycloneDX: formats of their own module

    if fmt in BOM_FORMATS:
        data = render_bom(store, fmt)
    elif fmt not in RDF_BY_KEY:
        known = ", ".join([*RDF_BY_KEY, *BOM_FORMATS])
        raise ValueError(f"unknown export format {fmt!r}; use one of {known}")
    else:
        data = store.dump(fmt)
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never leave a half-written export under the final name
    else:
        out.write(data)
        out.flush()
    return len(data)


def load_export(store: OxigraphStore, path: str | os.PathLike[str], fmt: str | None = None) -> None:
    """Load a file written by :func:`export_store` back into a store (format from the suffix by default).

    This is a restore, not an ingest: the export already holds the batches and their provenance,
    and it is loaded as it is, in one transaction.
    """
    path = Path(path)
    if fmt is None:
        fmt = next((key for key, spec in RDF_BY_KEY.items() if spec.suffix == path.suffix), None)
        if fmt is None:
            raise ValueError(f"{path}: cannot tell the RDF format from the suffix; pass fmt")
    store.load_file(path, fmt)
