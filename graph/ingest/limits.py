"""Every limit on input, in one place (docs/security.md is the threat model they serve).

Why limits: claim files, catalogue records and request bodies come from people and programs we do
not control. Each format has a size limit and a nesting-depth limit, and the features that let a
small file turn into a huge one (YAML aliases, XML entities) or reach outside the file (remote
JSON-LD contexts, DTDs) are refused, so no input can stall the CLI or the service, or make either
send a request. :mod:`.safe` applies these limits; every refusal is a :class:`LimitError` whose
message names the file and the limit that was hit.

Values and what they bound:

* :data:`MAX_CLAIM_FILE_BYTES` — one claim file read by ``openness load`` / ``openness validate``
  (Turtle, N-Triples, RDF/XML, JSON-LD, YAML, JSON). 20 MB is about 150,000 claims' worth of
  triples, more than any catalogue we import; bigger batches are split into several files.
* :data:`MAX_API_BATCH_BYTES` — the body of ``POST /api/claims``; a request is one batch that the
  service validates while others wait, so it is smaller than a file.
* :data:`MAX_CATALOGUE_FILE_BYTES` — one file an importer reads (a YAML record, a CSV table, a
  Hugging Face model card). The biggest bundled one (Epoch AI's CSV) is 2.1 MB.
* :data:`MAX_DEPTH` — nesting levels: JSON arrays/objects, YAML sequences/mappings, Turtle/TriG
  ``[ ]``, ``( )`` and ``{ }``, XML elements. Claim documents use 4 levels and the deepest bundled
  catalogue record 5; rdflib's recursive Turtle parser overflows Python's stack at about 150.
* YAML aliases (``*name``) and XML document type declarations (``<!DOCTYPE``, hence entities)
  are refused outright: no claim file or catalogue record uses them (checked on every bundled
  file), and they are what "billion laughs" bombs are made of.
"""

from __future__ import annotations

#: One claim file (CLI ``load`` / ``validate``), in bytes.
MAX_CLAIM_FILE_BYTES = 20_000_000
#: The body of ``POST /api/claims``, in bytes.
MAX_API_BATCH_BYTES = 5_000_000
#: One catalogue file read by an importer (YAML record, CSV table, model card), in bytes.
MAX_CATALOGUE_FILE_BYTES = 20_000_000
#: Nesting levels of any document (JSON, YAML, Turtle/TriG brackets, XML elements).
MAX_DEPTH = 32


class LimitError(ValueError):
    """Input refused by a limit. ``str(err)`` names the file (and line when known), the limit
    that was hit and what to do; ``limit`` is the limit's name, e.g. ``"nesting-depth limit"``."""

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


def size_error(where: object, size: int, limit: int, what: str) -> LimitError:
    """The refusal of ``where`` (a file name or path) being ``size`` bytes, over ``limit``."""
    return LimitError(
        f"{where}: {size:,} bytes is over the size limit of {limit:,} bytes for {what}; "
        "split it into smaller files",
        limit="size limit",
    )


def depth_error(where: object, line: int | None = None) -> LimitError:
    """The refusal of ``where`` nesting deeper than :data:`MAX_DEPTH` (at ``line``, 1-based)."""
    at = f":{line}" if line is not None else ""
    return LimitError(
        f"{where}{at}: nested more than {MAX_DEPTH} levels deep, over the nesting-depth limit "
        f"of {MAX_DEPTH}; claims and catalogue records need only a few levels: flatten the document",
        limit="nesting-depth limit",
    )


__all__ = [
    "MAX_API_BATCH_BYTES",
    "MAX_CATALOGUE_FILE_BYTES",
    "MAX_CLAIM_FILE_BYTES",
    "MAX_DEPTH",
    "LimitError",
    "depth_error",
    "size_error",
]
