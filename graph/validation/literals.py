"""Where Oxigraph and rdflib see a literal differently, and how to tell the two apart in SPARQL.

The compiled validator (:mod:`.compiled`) must give pySHACL's verdicts, and pySHACL judges the
rdflib view of a literal: rdflib parses the lexical form of the datatypes it knows (integer,
date, boolean, ...) into a Python value, marks the literal ill-typed when that fails, and rewrites
the lexical form into its own canonical form when it succeeds (``"01"^^xsd:integer`` becomes
``"1"``, ``"2024-01-01T00:00:00Z"`` becomes ``"…+00:00"``). Oxigraph also rewrites valid literals,
into *its* canonical forms (``"1.0"^^xsd:decimal`` becomes ``"1"``, ``"+00:00"`` becomes ``"Z"``),
and lowercases language tags.

A literal is **stable** when both libraries leave it as written and rdflib reads it as valid:
then SPARQL on the store sees exactly what pySHACL sees. :data:`CANONICAL` lists, per datatype,
the lexical forms that are stable (checked by tests/test_validation_literals.py for both
libraries). Every other literal of a datatype either library rewrites is **suspicious**: the
compiled validator finds the suspicious literals of a data set with one query
(:func:`suspicious_sparql`) and judges each of them in Python with rdflib's own reading, so
verdicts stay exact on any input; on real data there are none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as date_cls
from datetime import datetime as datetime_cls

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import XSDToPython

#: Datatypes whose lexical form rdflib parses into a Python value (so it may mark a literal
#: ill-typed, or rewrite its lexical form), plus the two string types whose whitespace it rewrites.
RDFLIB_PARSED: frozenset[URIRef] = frozenset(
    {URIRef(str(dt)) for dt, conv in XSDToPython.items() if dt is not None and conv is not None}
    | {XSD.normalizedString, XSD.token, RDF.XMLLiteral, RDF.HTML}
)

#: Datatypes Oxigraph parses (and rewrites into its canonical form) that rdflib leaves alone.
OXIGRAPH_PARSED: frozenset[URIRef] = frozenset(
    XSD[name]
    for name in ("gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "dateTimeStamp", "duration",
                 "dayTimeDuration", "yearMonthDuration")
)

#: Datatypes either library may rewrite: a literal of these is stable only in a :data:`CANONICAL` form.
UNSTABLE: frozenset[URIRef] = RDFLIB_PARSED | OXIGRAPH_PARSED

_DATE = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_OFFSET = r"[+-](0[0-9]|1[0-3]):[0-5][0-9]"


@dataclass(frozen=True)
class Canonical:
    """The stable lexical forms of one datatype: a regular expression (the same syntax in Python
    and in Oxigraph's REGEX) and, for dates, a check that the value exists in the calendar."""

    pattern: str
    excluded: tuple[str, ...] = ()  # exact forms the pattern admits that are not stable
    excluded_prefix: tuple[str, ...] = ()  # e.g. year 0000, which Python's datetime refuses
    excluded_suffix: tuple[str, ...] = ()  # e.g. offset +00:00, which Oxigraph writes as Z
    calendar_cast: URIRef | None = None  # the XSD cast that must succeed in Oxigraph

    def matches(self, lexical: str) -> bool:
        return (
            re.fullmatch(self.pattern, lexical) is not None
            and lexical not in self.excluded
            and not lexical.startswith(self.excluded_prefix)
            and not lexical.endswith(self.excluded_suffix)
        )


#: Stable lexical forms per datatype (anything else of an :data:`UNSTABLE` datatype is suspicious).
CANONICAL: dict[URIRef, Canonical] = {
    XSD.integer: Canonical(r"0|-?[1-9][0-9]*"),
    XSD.decimal: Canonical(r"0|-?[1-9][0-9]*|-?(0|[1-9][0-9]*)\.[0-9]*[1-9]"),
    XSD.boolean: Canonical(r"true|false"),
    XSD.date: Canonical(_DATE, excluded_prefix=("0000",), calendar_cast=XSD.date),
    XSD.dateTime: Canonical(
        _DATE + r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{5}[1-9])?(" + _OFFSET + ")?",
        excluded_prefix=("0000",),
        excluded_suffix=("+00:00", "-00:00"),
        calendar_cast=XSD.dateTime,
    ),
    XSD.gYear: Canonical(r"[0-9]{4}"),
    XSD.gYearMonth: Canonical(r"[0-9]{4}-(0[1-9]|1[0-2])"),
}


def is_stable(literal: Literal) -> bool:
    """Whether rdflib's view of ``literal`` survives a trip through Oxigraph unchanged and valid.

    Unstable: a language tag with capitals (Oxigraph lowercases it), an explicit ``xsd:string``
    (rdflib keeps it apart from a plain literal, Oxigraph does not), and any literal of an
    :data:`UNSTABLE` datatype that is not in its :data:`CANONICAL` form or that rdflib read as
    ill-typed (rdflib may have rewritten an ill-typed lexical form, e.g. ``"TRUE"`` to ``"true"``).
    """
    if literal.language is not None:
        return literal.language == literal.language.lower()
    datatype = literal.datatype
    if datatype is None:
        return True
    if datatype == XSD.string:
        return False
    if datatype not in UNSTABLE:
        return True
    canonical = CANONICAL.get(datatype)
    if canonical is None or literal.ill_typed is True or not canonical.matches(str(literal)):
        return False
    return datatype not in RDFLIB_PARSED or literal.ill_typed is False


def suspicious_stored(lexical: str, datatype: str) -> bool:
    """Whether a literal as Oxigraph stores it (lexical form, datatype IRI) may read differently
    in rdflib: any literal of an :data:`UNSTABLE` datatype that is not in its stable form."""
    dt = URIRef(datatype)
    if dt not in UNSTABLE:
        return False
    canonical = CANONICAL.get(dt)
    if canonical is None or not canonical.matches(lexical):
        return True
    if canonical.calendar_cast is not None:  # the form is right; is the day in the calendar?
        try:
            (date_cls.fromisoformat if dt == XSD.date else datetime_cls.fromisoformat)(lexical)
        except ValueError:
            return True
    return False


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def canonical_sparql(var: str, datatype: URIRef, canonical: Canonical) -> str:
    """A SPARQL expression: the literal in ``var`` (of ``datatype``) is in its stable form."""
    parts = [f"REGEX(STR({var}), {_sparql_string('^(' + canonical.pattern + ')$')})"]
    parts += [f"STR({var}) != {_sparql_string(x)}" for x in canonical.excluded]
    parts += [f"!STRSTARTS(STR({var}), {_sparql_string(x)})" for x in canonical.excluded_prefix]
    parts += [f"!STRENDS(STR({var}), {_sparql_string(x)})" for x in canonical.excluded_suffix]
    if canonical.calendar_cast is not None:
        parts.append(f"COALESCE(isLiteral(<{canonical.calendar_cast}>(STR({var}))), false)")
    return "(" + " && ".join(parts) + ")"


def typed_sparql(var: str) -> str:
    """SPARQL filters keeping the typed literals (neither strings nor language-tagged): the probe's
    cheap pre-filter (a long ``IN`` list costs Oxigraph far more per row); :func:`suspicious_stored`
    then looks at each distinct one in Python."""
    return (f"FILTER(isLiteral({var})) BIND(DATATYPE({var}) AS {var}_dt) "
            f"FILTER({var}_dt != <{XSD.string}> && {var}_dt != <{RDF.langString}>)")


def suspicious_sparql(var: str) -> str:
    """A SPARQL expression: the term in ``var`` is a literal rdflib may see differently (the same
    test as :func:`suspicious_stored`, for endpoints where the probe must decide in SPARQL)."""
    always = sorted(UNSTABLE - set(CANONICAL))
    checks = [f"DATATYPE({var}) IN ({', '.join(f'<{dt}>' for dt in always)})"]
    for datatype, canonical in sorted(CANONICAL.items()):
        checks.append(f"(DATATYPE({var}) = <{datatype}> && !{canonical_sparql(var, datatype, canonical)})")
    return f"(isLiteral({var}) && ({' || '.join(checks)}))"


# --------------------------------------------------------------------------- rdflib's view

#: Datatypes whose stable literals have string values in rdflib (``Literal.value`` is a ``str``).
STRING_VALUED = (XSD.string, RDF.langString, XSD.language, XSD.anyURI)
#: Numeric datatypes with stable forms: SPARQL compares them as rdflib does.
NUMERIC_STABLE = (XSD.integer, XSD.decimal)
#: Datatypes whose rdflib values pySHACL's literal comparison refuses to order against numbers.
CLOCK_VALUED = (XSD.dateTime, XSD.time)
#: Special datatypes of sh:datatype (pySHACL accepts any literal / any typed literal).
RDFS_LITERAL, RDFS_DATATYPE = RDFS.Literal, RDFS.Datatype
