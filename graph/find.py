"""Finding a model or a release by the name a person types.

Why one module: ``openness show``, ``openness trace``, ``openness disagreements --release`` and the
web service all take a name and must answer alike — "Llama 3.1 405B", ``llama-3-1-405b``,
``meta-llama/Llama-3.1-8B`` and a typo of them mean the same release, and a name that fits
several releases gets the list of them, never a silent pick.

Names, as the store holds them: ``rdfs:label`` and ``skos:prefLabel`` (label), ``skos:altLabel``
(alias), the last segment of the IRI (slug) and, for releases, ``og:huggingFaceRepo``
(``ORG/NAME`` and ``NAME``). Releases and models are linked by ``og:releaseOf`` /
``og:hasRelease``.

How a name is matched, strongest first (the first level with a hit decides):

1. an IRI of a release or model in the store;
2. ``verbatim``: the name equals a stored name, ignoring case (so a slug such as ``llama-2``
   picks exactly what it names);
3. ``normalized``: equal once case, punctuation and letter/digit boundaries are ignored
   (``Llama 3.1 405B`` = ``Llama-3.1-405B`` = ``llama-3-1-405b``; ``llama2`` = ``Llama 2``);
4. ``loose``: rapidfuzz similarity (``token_sort_ratio`` ≥ :data:`ACCEPT`, typos and word
   order) — accepted only when it points at one thing; otherwise the nearest names are offered
   ("did you mean", ranked by ``token_set_ratio`` — a name holding every word typed comes
   first — then ``token_sort_ratio``).

Shapes: :class:`Index` (every name of every release and model, built by one query); its
:meth:`Index.find` returns a :class:`Found` (hits at the deciding level, suggestions);
:func:`find_release` and :func:`find_models` turn that into one release, or one model group,
or raise :class:`NameNotFound` / :class:`AmbiguousName` (``ValueError``s whose message lists
the candidates or suggestions, and whose ``candidates`` hold them for other front ends).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal as Kind

from rapidfuzz import fuzz, process
from rdflib.namespace import RDFS, SKOS

from .namespaces import OG
from .store import Store

#: token_sort_ratio (0–100) a loose match needs to be taken without asking.
ACCEPT = 90.0
#: Two loose scores this close are a tie (the name is ambiguous, not a pick).
TIE = 3.0
#: token_set_ratio (0–100) a name needs to be offered as "did you mean".
SUGGEST = 60.0
#: How many candidates / suggestions a message lists.
SHOWN = 10

How = Kind["iri", "label", "alias", "slug", "hf"]
#: How strongly a kind of name names its entry: an IRI or slug identifies it, a label or
#: Hugging Face id is its own name, an alias is what some source called it.
STRENGTH: dict[str, int] = {"iri": 3, "slug": 3, "label": 2, "hf": 2, "alias": 1}
Level = Kind["iri", "verbatim", "normalized", "loose", "none"]

_HF = "https://huggingface.co/"

_TYPES_QUERY = f"""
SELECT ?x ?t WHERE {{ VALUES ?t {{ <{OG.ModelRelease}> <{OG.Model}> }} ?x a ?t }}"""

# every name of everything (filtered to releases and models in Python: a join costs more here)
_NAMES_QUERY = f"""
SELECT ?x ?p ?name WHERE {{
  VALUES ?p {{ <{RDFS.label}> <{SKOS.prefLabel}> <{SKOS.altLabel}> <{OG.huggingFaceRepo}> }}
  ?x ?p ?name }}"""

_HOW = {str(RDFS.label): "label", str(SKOS.prefLabel): "label", str(SKOS.altLabel): "alias",
        str(OG.huggingFaceRepo): "hf"}

_LINKS_QUERY = f"""
SELECT DISTINCT ?r ?m WHERE {{ {{ ?r <{OG.releaseOf}> ?m }} UNION {{ ?m <{OG.hasRelease}> ?r }} }}"""


def normalize(text: str) -> str:
    """The matching key of a name: case-folded, punctuation as spaces, letters and digits apart.

    ``"Llama-3.1-405B"`` → ``"llama 3 1 405 b"``; ``"Llama2"`` → ``"llama 2"``.
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    t = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", t)
    return " ".join(re.sub(r"[\W_]+", " ", t).split())


def slug_of(iri: str) -> str:
    """The last path segment of an IRI (``…/release/llama-2`` → ``llama-2``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _hf_names(url: str) -> list[str]:
    """``https://huggingface.co/ORG/NAME`` → ``["ORG/NAME", "NAME"]`` (collections, spaces and
    datasets name no single model and are left out)."""
    if not url.startswith(_HF):
        return []
    parts = [p for p in url[len(_HF):].split("/") if p]
    if len(parts) < 2 or parts[0] in ("collections", "spaces", "datasets"):
        return []
    return [f"{parts[0]}/{parts[1]}", parts[1]]


@dataclass
class Entry:
    """A release or a model with every name it goes by."""

    iri: str
    kind: Kind["release", "model"]
    labels: list[str] = field(default_factory=list)
    names: list[tuple[str, How]] = field(default_factory=list)
    models: list[str] = field(default_factory=list)    # for a release: the models it belongs to
    releases: list[str] = field(default_factory=list)  # for a model: its releases

    @property
    def slug(self) -> str:
        return slug_of(self.iri)

    @property
    def label(self) -> str:
        """The name to show: the first label in sort order, else the slug."""
        return sorted(self.labels)[0] if self.labels else self.slug

    @property
    def hf(self) -> list[str]:
        return sorted(n for n, how in self.names if how == "hf" and "/" in n)


@dataclass(frozen=True)
class Hit:
    """One name of one entry that matched: which name, of which kind, how well (0–100)."""

    entry: Entry
    name: str
    how: How
    score: float = 100.0


@dataclass
class Found:
    """What :meth:`Index.find` found: the hits at the deciding level, and suggestions."""

    query: str
    level: Level
    hits: list[Hit] = field(default_factory=list)
    suggestions: list[Hit] = field(default_factory=list)

    def strongest(self, kind: str) -> tuple[int, list[Entry]]:
        """The entries of one kind matched by the strongest kind of name (:data:`STRENGTH`), and
        that strength (0 when none): a release's own label outranks another release's alias."""
        best: dict[str, int] = {}
        entries: dict[str, Entry] = {}
        for hit in self.hits:
            if hit.entry.kind == kind:
                entries[hit.entry.iri] = hit.entry
                best[hit.entry.iri] = max(best.get(hit.entry.iri, 0), STRENGTH[hit.how])
        top = max(best.values(), default=0)
        chosen = [entries[i] for i, v in best.items() if v == top]
        return top, sorted(chosen, key=lambda e: e.label.casefold())


class NameNotFound(ValueError):
    """No release or model goes by the name; ``candidates`` are the nearest names."""

    def __init__(self, message: str, candidates: list[Entry]) -> None:
        super().__init__(message)
        self.candidates = candidates


class AmbiguousName(ValueError):
    """The name fits several releases (or models); ``candidates`` are all of them."""

    def __init__(self, message: str, candidates: list[Entry]) -> None:
        super().__init__(message)
        self.candidates = candidates


class Index:
    """Every name of every release and model in a store (one SELECT and one link query)."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self._by_name: dict[str, list[tuple[Entry, str, How]]] = defaultdict(list)
        self._by_key: dict[str, list[tuple[Entry, str, How]]] = defaultdict(list)
        for entry in entries.values():
            for name, how in [*entry.names, (entry.slug, "slug")]:
                self._by_name[name.casefold()].append((entry, name, how))
                key = normalize(name)
                if key:
                    self._by_key[key].append((entry, name, how))
        self._keys = list(self._by_key)

    @classmethod
    def from_store(cls, store: Store) -> Index:
        """Read the names and release–model links of ``store``."""
        kinds: dict[str, str] = {}
        for row in store.select(_TYPES_QUERY):  # a node typed both ways is taken as a release
            iri, kind = str(row["x"]), "release" if row["t"] == OG.ModelRelease else "model"
            if kind == "release" or iri not in kinds:
                kinds[iri] = kind
        entries = {iri: Entry(iri, kind) for iri, kind in kinds.items()}  # type: ignore[arg-type]
        for row in store.select(_NAMES_QUERY):
            entry = entries.get(str(row["x"]))
            if entry is None:
                continue
            how, name = _HOW[str(row["p"])], str(row["name"])
            if how == "hf":
                for hf in _hf_names(name):
                    if (hf, "hf") not in entry.names:
                        entry.names.append((hf, "hf"))
                continue
            if (name, how) not in entry.names:
                entry.names.append((name, how))  # type: ignore[arg-type]
            if how == "label" and name not in entry.labels:
                entry.labels.append(name)
        for row in store.select(_LINKS_QUERY):
            r, m = entries.get(str(row["r"])), entries.get(str(row["m"]))
            if r is None or m is None or r.kind != "release" or m.kind != "model":
                continue
            if m.iri not in r.models:
                r.models.append(m.iri)
            if r.iri not in m.releases:
                m.releases.append(r.iri)
        return cls(entries)

    def find(self, query: str) -> Found:
        """The hits of ``query`` at the strongest level that has any (see the module docstring)."""
        text = query.strip()
        if not text:
            return Found(query, "none")
        entry = self.entries.get(text)
        if entry is not None:
            return Found(query, "iri", [Hit(entry, text, "iri")])
        hf = _hf_names(text)
        if hf and hf[0].casefold() in self._by_name:
            text = hf[0]
        verbatim = self._by_name.get(text.casefold(), [])
        if verbatim:
            return Found(query, "verbatim", [Hit(e, n, h) for e, n, h in verbatim])
        key = normalize(text)
        same = self._by_key.get(key, []) if key else []
        if same:
            return Found(query, "normalized", [Hit(e, n, h) for e, n, h in same])
        return self._loose(query, key)

    def _loose(self, query: str, key: str) -> Found:
        if not key:
            return Found(query, "none")
        ranked = process.extract(key, self._keys, scorer=fuzz.token_set_ratio, limit=300,
                                 score_cutoff=SUGGEST)
        best: dict[str, tuple[float, float, Hit]] = {}
        close: dict[str, Hit] = {}
        for name_key, set_score, _ in ranked:
            sort_score = fuzz.token_sort_ratio(key, name_key)
            for entry, name, how in self._by_key[name_key]:
                hit = Hit(entry, name, how, float(sort_score))
                if sort_score >= ACCEPT and (entry.iri not in close or close[entry.iri].score < sort_score):
                    close[entry.iri] = hit
                rank = (float(set_score), float(sort_score), hit)
                if entry.iri not in best or best[entry.iri][:2] < rank[:2]:
                    best[entry.iri] = rank
        ordered = sorted(best.values(), key=lambda r: (-r[0], -r[1], r[2].entry.kind != "release",
                                                      r[2].entry.label.casefold()))
        suggestions = [Hit(h.entry, h.name, h.how, s) for s, _, h in ordered]
        if close:
            top = max(h.score for h in close.values())
            hits = [h for h in close.values() if h.score >= top - TIE]
            return Found(query, "loose", hits, suggestions)
        return Found(query, "none", [], suggestions)


# --------------------------------------------------------------------------- one release, one model


def _entry_lines(entries: list[Entry], index: Index) -> str:
    width = max((len(e.slug) for e in entries[:SHOWN]), default=0)
    lines = []
    for e in entries[:SHOWN]:
        where = ""
        if e.kind == "release" and e.models:
            where = " — " + ", ".join(index.entries[m].label for m in e.models if m in index.entries)
        elif e.kind == "model":
            where = f" — model, {len(e.releases)} release(s)"
        lines.append(f"  {e.slug:<{width}}  {e.label}{where}")
    if len(entries) > SHOWN:
        lines.append(f"  … and {len(entries) - SHOWN} more")
    return "\n".join(lines)


def _not_found(found: Found, index: Index, what: str) -> NameNotFound:
    entries = [h.entry for h in found.suggestions[:SHOWN]]
    if not entries:
        return NameNotFound(f"no {what} named {found.query!r}, nor anything close: give a label, alias, "
                            "slug, Hugging Face id (ORG/NAME) or IRI", [])
    return NameNotFound(f"no {what} named {found.query!r}. Did you mean:\n{_entry_lines(entries, index)}",
                        entries)


def _releases_of_models(models: list[Entry], index: Index) -> list[Entry]:
    out: dict[str, Entry] = {}
    for m in models:
        for r in sorted(m.releases, key=lambda iri: index.entries[iri].label.casefold()):
            out.setdefault(r, index.entries[r])
    return list(out.values())


def find_release(index: Index, name: str) -> tuple[Entry, Found]:
    """The one release ``name`` stands for, and how it was found.

    The slug or IRI of a release gives it. Otherwise the strongest names decide (:data:`STRENGTH`):
    one release gives it; a model named at least as strongly brings in its releases (so ``llama 2``,
    a release's label and its model's, lists the model's releases). Several candidates raise
    :class:`AmbiguousName` listing them; nothing raises :class:`NameNotFound` with suggestions.
    """
    found = index.find(name)
    if found.level == "none":
        raise _not_found(found, index, "release")
    by_slug = {h.entry.iri: h.entry for h in found.hits
               if h.entry.kind == "release" and h.how in ("slug", "iri")}
    if len(by_slug) == 1:
        return next(iter(by_slug.values())), found
    r_strength, releases = found.strongest("release")
    m_strength, models = found.strongest("model")
    candidates = list(releases)
    if models and m_strength >= r_strength:
        candidates += [r for r in _releases_of_models(models, index) if r not in candidates]
    if len(candidates) == 1:
        return candidates[0], found
    if not candidates:
        raise NameNotFound(f"{name!r} names a model with no release in the store", [])
    how = " loosely" if found.level == "loose" else ""
    raise AmbiguousName(
        f"{name!r}{how} fits {len(candidates)} releases; give one of these slugs (or its IRI):\n"
        f"{_entry_lines(candidates, index)}", candidates)


@dataclass
class ModelGroup:
    """A model with all its releases (``model`` None: a release that belongs to no model, alone),
    and the release the name pointed at, if any."""

    model: Entry | None
    releases: list[Entry]
    matched: Entry | None
    found: Found


def find_models(index: Index, name: str) -> list[ModelGroup]:
    """The model ``name`` stands for, with all its releases: one group, or one per model when the
    one release named belongs to several models (shown, never picked).

    A model's name gives it; a release's name gives its model (the release is ``matched``); when
    both fit, the stronger kind of name wins and a tie goes to the model. Several models, or
    releases of different models, raise :class:`AmbiguousName`; nothing raises
    :class:`NameNotFound` with suggestions.
    """
    found = index.find(name)
    if found.level == "none":
        raise _not_found(found, index, "model or release")
    m_strength, models = found.strongest("model")
    r_strength, releases = found.strongest("release")
    matched = releases[0] if len(releases) == 1 else None
    if models and (not releases or m_strength >= r_strength):
        if len(models) > 1:
            raise AmbiguousName(f"{name!r} fits {len(models)} models; give one of these slugs:\n"
                                f"{_entry_lines(models, index)}", models)
        chosen = models
    else:
        model_iris = list(dict.fromkeys(m for r in releases for m in r.models))
        if matched is not None:
            if not model_iris:
                return [ModelGroup(None, [matched], matched, found)]
            chosen = [index.entries[m] for m in model_iris]
        elif len(model_iris) == 1 and all(r.models for r in releases):
            chosen = [index.entries[model_iris[0]]]
        else:
            raise AmbiguousName(
                f"{name!r} fits {len(releases)} releases of different models; give one of these slugs:\n"
                f"{_entry_lines(releases, index)}", releases)
    return [ModelGroup(m, _releases_of_models([m], index),
                       matched if matched is not None and m.iri in matched.models else None, found)
            for m in chosen]


__all__ = ["AmbiguousName", "Entry", "Found", "Hit", "Index", "ModelGroup", "NameNotFound",
           "find_models", "find_release", "normalize"]
