"""Minting data IRIs: stable, readable, and the same on every run.

Re-running an import must give the same triples (``openness build`` twice gives the same
count), so every IRI is derived from what it names, never from a clock or a counter.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from .namespaces import SPDX, data_base

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lowercase ASCII slug: ``"Llama 2 70B-chat"`` → ``"llama-2-70b-chat"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-") or "x"


def digest(*parts: object, length: int = 16) -> str:
    """A short stable hash of the parts (for claims and evidence, which have no natural name)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def iri(kind: str, *parts: str) -> URIRef:
    """``id/<kind>/<part>/<part>`` under the configured data base."""
    return URIRef(data_base() + "/".join([kind, *parts]))


def model_iri(name: str) -> URIRef:
    return iri("model", slug(name))


def release_iri(name: str) -> URIRef:
    return iri("release", slug(name))


def component_iri(release: URIRef, component_key: str) -> URIRef:
    return URIRef(f"{release}/component/{slug(component_key)}")


def agent_iri(name: str) -> URIRef:
    return iri("agent", slug(name))


def dataset_iri(name: str, version: str | None = None) -> URIRef:
    return iri("dataset", slug(name), slug(version)) if version else iri("dataset", slug(name))


def license_iri(spdx_id: str | None = None, custom_name: str | None = None) -> URIRef:
    """SPDX licenses use their SPDX IRI; anything else is a named custom license of ours."""
    if spdx_id:
        return SPDX[spdx_id]
    if not custom_name:
        raise ValueError("a license needs an SPDX id or a custom name")
    return iri("license", slug(custom_name))


def claim_iri(*key: object) -> URIRef:
    """A claim's IRI from what identifies it: source dataset, record, subject, criterion."""
    return iri("claim", digest(*key))


def evidence_iri(*key: object) -> URIRef:
    return iri("evidence", digest(*key))


def graph_iri(*parts: str) -> URIRef:
    """Named graph of one ingested batch (e.g. ``graph/source/mot``)."""
    return iri("graph", *[slug(p) for p in parts])


def activity_iri(*key: object) -> URIRef:
    return iri("activity", digest(*key))


def assessment_iri(*key: object) -> URIRef:
    return iri("assessment", digest(*key))
