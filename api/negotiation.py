"""HTTP content negotiation: Accept headers with q-values, and the media types the service speaks.

Shared by the SPARQL endpoint, the Graph Store reads, the dumps and the linked-data pages, so that
every route picks formats the same way:

* :func:`negotiate` picks the best offered media type for an ``Accept`` header (q-values, then the
  most specific matching range, then the server's order of preference), using python-mimeparse
  rather than a hand-written parser. Unparseable ranges are ignored, not fatal: a broken client
  header should cost the client its preference, not the answer.
* :func:`format_override` maps a ``?format=`` short name (``ttl``, ``jsonld``, ``csv``...) to a
  media type, so a link can ask for a format without headers.
* The tables list what each kind of result can be written as. The first entry of each table is
  the default when the client accepts anything.

Example (linked data)::

    media = negotiate(request.headers.get("accept"), [HTML, *RDF_MEDIA_TYPES])
    if media is None:
        raise NotAcceptable(request.headers.get("accept"), [HTML, *RDF_MEDIA_TYPES])
"""

from __future__ import annotations

import mimeparse
from openness import formats as fmt

HTML = fmt.HTML

#: SELECT / ASK results: media type -> short name (first = default).
RESULTS_MEDIA_TYPES: dict[str, str] = {f.media_type: f.key for f in fmt.RESULTS}

#: CONSTRUCT / DESCRIBE results and RDF documents: media type -> short name (as in
#: ``openness.formats``; first = default).
RDF_MEDIA_TYPES: dict[str, str] = {f.media_type: f.key for f in fmt.SERVED_RDF}

#: ``?format=`` short names -> media types.
FORMAT_NAMES: dict[str, str] = fmt.FORMAT_NAMES


class NotAcceptable(Exception):
    """Nothing the client accepts can be produced; the message lists what can (answer 406)."""

    def __init__(self, accept: str | None, offered: list[str]) -> None:
        self.accept = accept
        self.offered = offered
        super().__init__(
            f"cannot produce any media type in Accept: {accept!r}; "
            f"ask for one of: {', '.join(offered)} (or use ?format=)"
        )


def aliases_for(offered: list[str]) -> dict[str, str]:
    """Aliases that make sense for this list of offered types (alias -> canonical)."""
    aliases = {a: c for a, c in fmt.ALIASES.items() if c in offered}
    if fmt.SPARQL_JSON in offered:
        aliases[fmt.JSON] = fmt.SPARQL_JSON
    elif fmt.JSON_LD in offered:
        aliases[fmt.JSON] = fmt.JSON_LD
    if fmt.SPARQL_XML in offered:
        aliases[fmt.XML] = fmt.SPARQL_XML
        aliases[fmt.TEXT_XML] = fmt.SPARQL_XML
    elif fmt.RDF_XML in offered:
        aliases[fmt.XML] = fmt.RDF_XML
        aliases[fmt.TEXT_XML] = fmt.RDF_XML
    return aliases


def _clean_ranges(accept: str) -> str:
    """Drop media ranges mimeparse cannot read (``garbage``, ``text/``), keep the rest."""
    good = []
    for part in accept.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            mtype, subtype, params = mimeparse.parse_media_range(part)
            float(params.get("q", "1"))
        except (mimeparse.MimeTypeParseException, ValueError):
            continue
        if mtype and subtype:
            good.append(part)
    return ", ".join(good)


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The best of ``offered`` (in server preference order) for an Accept header, or None.

    A missing or empty header accepts anything (the first offered type). Aliases such as
    JSON or plain text count as the canonical type they stand for; the
    canonical type is what is returned.
    """
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    cleaned = _clean_ranges(accept)
    if not cleaned:
        return offered[0]
    aliases = aliases_for(offered)
    candidates = list(offered) + [a for a in aliases if a not in offered]
    # mimeparse prefers later entries on ties: give it the server's order reversed.
    best = mimeparse.best_match(list(reversed(candidates)), cleaned)
    if not best:
        return None
    return aliases.get(best, best)


def format_override(name: str | None, offered: list[str]) -> str | None:
    """The media type for ``?format=name`` if it is one of ``offered``; raises NotAcceptable if the
    name is known but not offered here, ValueError if the name is unknown."""
    if not name:
        return None
    media = FORMAT_NAMES.get(name.lower()) or (name if "/" in name else None)
    if media is None:
        raise ValueError(f"unknown format {name!r}; use one of {', '.join(sorted(FORMAT_NAMES))}")
    media = aliases_for(offered).get(media, media)
    if media not in offered:
        # json/xml are ambiguous between result kinds: map to the kind on offer.
        if media == fmt.SPARQL_JSON and fmt.JSON_LD in offered:
            return fmt.JSON_LD
        if media == fmt.SPARQL_XML and fmt.RDF_XML in offered:
            return fmt.RDF_XML
        raise NotAcceptable(f"format={name}", offered)
    return media


def with_charset(media_type: str) -> str:
    """The Content-Type header value: text types carry ``charset=utf-8``."""
    return f"{media_type}; charset=utf-8" if fmt.textual(media_type) else media_type


__all__ = [
    "FORMAT_NAMES",
    "HTML",
    "RDF_MEDIA_TYPES",
    "RESULTS_MEDIA_TYPES",
    "NotAcceptable",
    "aliases_for",
    "format_override",
    "negotiate",
    "with_charset",
]
