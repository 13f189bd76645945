"""A source's own word → the concept of its value scheme (og:sourceValue), read from the schemes.

Importers record what a source says, never a status (docs/derived-layer.md). Each criterion names
the values it takes with ``og:valueScheme`` (``ontology/schemes/sources-values.ttl``): a
``skos:ConceptScheme`` (every concept ``skos:inScheme`` it) or a ``skos:Collection`` (its
``skos:member`` concepts). A word matches a concept by its ``skos:notation`` or a
``skos:hiddenLabel`` (spellings of the same word), ignoring case, spaces, hyphens and underscores,
trailing dots. The mapping to a status (``og:mapsToStatus``, ``og:statusByTerms``) stays in the
schemes, applied by ``queries/rules/claim-status.ru``; nothing here looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from ..namespaces import OG, curie
from ..vocab import load_ontology
from .licenses import match_key


class UnknownValue(ValueError):
    """The source's word is not a value of the criterion; the message lists the allowed words."""

    def __init__(self, criterion: URIRef, word: str, allowed: list[str]) -> None:
        self.criterion, self.word, self.allowed = criterion, word, allowed
        shown = ", ".join(repr(w) for w in allowed)
        super().__init__(f"unknown value {word!r} for {curie(str(criterion))}; use one of {shown}")


@dataclass(frozen=True)
class ValueSet:
    """The values one criterion takes: key → concept, and the words to show in errors."""

    scheme: URIRef
    by_key: dict[str, URIRef]
    words: tuple[str, ...]


@cache
def value_sets() -> dict[URIRef, ValueSet]:
    """Every criterion with an ``og:valueScheme``, with its values (read once per process)."""
    g = load_ontology()
    out: dict[URIRef, ValueSet] = {}
    for criterion, scheme in g.subject_objects(OG.valueScheme):
        if (scheme, RDF.type, SKOS.Collection) in g:
            members = set(g.objects(scheme, SKOS.member))
        else:
            members = set(g.subjects(SKOS.inScheme, scheme))
        by_key: dict[str, URIRef] = {}
        words: list[str] = []
        for concept in sorted(members, key=str):
            notations = [str(n) for n in g.objects(concept, SKOS.notation)]
            words.extend(notations)
            for label in (*notations, *(str(h) for h in g.objects(concept, SKOS.hiddenLabel))):
                by_key.setdefault(match_key(label), URIRef(str(concept)))
        out[URIRef(str(criterion))] = ValueSet(URIRef(str(scheme)), by_key, tuple(sorted(set(words))))
    return out


def source_value(criterion: URIRef, word: object) -> URIRef:
    """The value concept for ``word`` (the source's own word, a number, or None for empty) under
    ``criterion``; raises :class:`UnknownValue` (a ValueError naming the allowed words) when the
    word is not one of its values, and KeyError when the criterion has no value scheme."""
    values = value_sets().get(URIRef(criterion))
    if values is None:
        raise KeyError(f"{curie(str(criterion))} has no og:valueScheme; add one in ontology/schemes/")
    text = "" if word is None else str(word)
    found = values.by_key.get(match_key(text))
    if found is None:
        raise UnknownValue(URIRef(criterion), text, list(values.words))
    return found


def find_value(criterion: URIRef, word: object) -> URIRef | None:
    """:func:`source_value`, or None when the word is not a value of the criterion."""
    try:
        return source_value(criterion, word)
    except UnknownValue:
        return None


def allowed_words(criterion: URIRef) -> list[str]:
    """The source's words a criterion accepts (its values' notations), for messages and docs."""
    return list(value_sets()[URIRef(criterion)].words)


__all__ = ["UnknownValue", "ValueSet", "allowed_words", "find_value", "source_value", "value_sets"]
