"""Minting data IRIs: stable, readable, and the same on every run.

Re-running an import must give the same triples (``openness build`` twice gives the same
count), so every IRI is derived from what it names, never from a clock or a counter.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from functools import cache

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


class CurationError(ValueError):
    """A curation file is malformed; the message names the file and line."""


@cache
def _agent_aliases() -> dict[str, str]:
    """``data/curation/agent-aliases.csv``: slug of a spelling → the organization's one name."""
    from .resources import data_dir

    path = data_dir() / "curation" / "agent-aliases.csv"
    if not path.is_file():
        return {}
    aliases: dict[str, str] = {}
    rows = [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip() and not line.startswith("#")]
    for number, line in rows[1:]:  # rows[0] is the header
        row = next(csv.reader([line]))
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise CurationError(f"{path}:{number}: expected 'alias,canonical[,note]', got {line!r}")
        aliases[slug(row[0])] = row[1].strip()
    return aliases


def canonical_agent_name(name: str) -> str:
    """The one name of an organization however a catalogue spells it (curated, conservative)."""
    return _agent_aliases().get(slug(name), name.strip())


def agent_iri(name: str) -> URIRef:
    """An agent's IRI from its name; spellings listed in agent-aliases.csv share one IRI."""
    return iri("agent", slug(canonical_agent_name(name)))


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
