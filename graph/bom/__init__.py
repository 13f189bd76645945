"""Exports for the neighbouring ecosystems: SPDX 3.0.1 (AI and Dataset profiles, JSON-LD) and
CycloneDX 1.6 ML-BOM (JSON), one model package / component per release.

Why a separate package: the RDF dumps (``openness.export``) write the graph as it is; these
formats say what a software-supply-chain tool expects (packages, declared licenses, training data,
lineage), read from the store through queries (:mod:`.facts`); :mod:`.spdx3` and
:mod:`.cyclonedx` write them. ``openness export --format spdx3|cyclonedx`` and :func:`render_bom`
are the entry points. This module stays light (the CLI imports it at start-up): the writers are
imported when a document is made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..store import Store

#: Export format name -> what it writes (``openness export --format NAME``).
BOM_FORMATS = {"spdx3": "SPDX 3.0.1 JSON-LD (AI profile)", "cyclonedx": "CycloneDX 1.6 ML-BOM JSON"}


def bom_document(store: Store, fmt: str, releases: Iterable[str] | None = None) -> dict[str, Any]:
    """The ``spdx3`` or ``cyclonedx`` document of every release (or of ``releases`` and their
    bases); a ValueError names the formats there are."""
    if fmt not in BOM_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(BOM_FORMATS)}")
    from .cyclonedx import cyclonedx_bom
    from .facts import read_facts
    from .spdx3 import spdx3_document

    facts = read_facts(store, releases)
    return spdx3_document(facts) if fmt == "spdx3" else cyclonedx_bom(facts)


def render_bom(store: Store, fmt: str, releases: Iterable[str] | None = None) -> bytes:
    """:func:`bom_document` as UTF-8 JSON bytes."""
    doc = bom_document(store, fmt, releases)
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = ["BOM_FORMATS", "bom_document", "render_bom"]
