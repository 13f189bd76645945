"""Entity resolution: the same model under different names lands on one release IRI.

Catalogues name models differently ("Llama 2 70B", "Llama-2-70b-chat-hf", "meta-llama/Llama-2-70B").
:class:`Resolver` parses every name into a :class:`NameKey` (family, family version, size,
variant, revision) and matches on that key, so that separators, case, ``-hf``, HF org prefixes
and the order of ``chat``/``instruct`` do not matter, while the things that make two models
different (size, version, tuning variant) always do.

Matching policy (in order; the first that applies wins):

1. ``override`` (confidence 1.0): a row of ``data/curation/overrides.csv`` for this source and
   record (``same``: use the given release; ``distinct``: never merge, mint from the record's own
   name; ``alias``: the name is another name of the given release, any source).
2. ``exact`` (1.0): the name, case-folded, is a label already known.
3. ``alias`` (0.95): one of the record's extra names is a label already known.
4. ``normalized`` (0.9): the parsed key equals a known release's key exactly.
5. ``normalized`` (0.75, "revision unspecified"): the keys agree on family, version, size and
   variant and one side gives no revision (``Mistral 7B`` vs ``Mistral-7B-v0.1``), and exactly one
   known release fits; the release then takes the revision, so a second revision is never merged.
6. ``new`` (1.0): a release is minted from the name.

Records of one catalogue version are kept apart: when a record (its importer passes ``owner``)
lands on a release that another record of the same catalogue version already holds (the Index's
Guru and SynLogic both give ``Qwen2.5-32B`` as their end model), it gets a release of its own,
keyed on its own identity: the release labelled exactly with its own name (``own_name``: the
Index's system name, MOT's file stem) if no record of the version holds it, else one minted from
that name (with the record's digest when the slug is taken). The record is listed in
:attr:`Resolver.kept_apart` and the import report, for a curator to review (and settle with a
``same`` or ``distinct`` row of ``data/curation/overrides.csv``, which is applied first and never
counts as a clash). Which records hold which releases is also read from the store
(:meth:`Resolver.load_store`), so importing one record later keeps it apart just the same.

Never merged: two different sizes, two different family versions, two different variants (base
vs chat/instruct), two different revisions, and a sized name with a family-level name: "Llama 2"
(no size) is the *model* family and stays its own (family-level) release; sized releases are
linked to it through the model (``og:hasRelease``), not merged into it.

The match table (one row per lookup) is written as CSV next to the import report, for review.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import mint
from ..namespaces import OG, prefix_lines

#: Release names of the report's examples (data/examples), seeded so catalogue records land on them.
SEED_RELEASES: tuple[str, ...] = ("Mistral 7B", "Llama 2", "Grok-1", "ChatGPT", "Gemini", "Claude")

#: Leading organisation tokens dropped from names when a family name follows
#: ("Meta-Llama-3-8B" = "Llama-3-8B"). Only hosting/brand prefixes that never name a different
#: model: "AMD OLMo" is AMD's own model and keeps its prefix.
ORG_PREFIXES: dict[str, tuple[str, ...]] = {
    "meta": ("llama", "codellama"),
    "metaai": ("llama",),
    "google": ("gemma", "gemini", "t5", "mt5", "codegemma", "recurrentgemma", "palm"),
    "mistralai": (),
    "microsoft": ("phi",),
    "tiiuae": ("falcon",),
    "bigscience": ("bloom", "bloomz", "mt0"),
    "eleutherai": ("pythia", "gpt"),
    "allenai": ("olmo", "tulu"),
    "openai": ("gpt", "whisper"),
    "anthropic": ("claude",),
    "xai": ("grok",),
}
#: Tuning variants: part of the identity (a chat model is not its base model). Synonyms fold.
VARIANTS: dict[str, str] = {
    "chat": "chat",
    "instruct": "instruct",
    "it": "instruct",
    "inst": "instruct",
    "sft": "sft",
    "dpo": "dpo",
    "rlhf": "rlhf",
    "code": "code",
    "base": "base",
}
#: Tokens that carry no identity.
NOISE = {"hf", "model", "the", "by"}

_SIZE = re.compile(r"^(\d+x)?\d+(\.\d+)?[bm]$")
_SIZE_REV = re.compile(r"^((?:\d+x)?\d+(?:\.\d+)?[bm])v(\d+(?:\.\d+)*)$")
_NUMBER = re.compile(r"^\d+(\.\d+)*$")
_REVISION = re.compile(r"^v(\d+(\.\d+)*)$")
_ALPHA_NUM = re.compile(r"^([a-z]{3,})(\d+(\.\d+)*)$")
_SPLIT = re.compile(r"[\s\-_/:,()]+")


@dataclass(frozen=True)
class NameKey:
    """What identifies a release, parsed from a name."""

    family: str  # "llama", "mistral large", "olmo twin 2t"
    version: str | None = None  # family version: "2", "3.1"
    size: str | None = None  # "70b", "8x7b", "1.1b", "270m"
    variant: frozenset[str] = frozenset()  # {"chat"}, {"instruct"}
    revision: str | None = None  # "0.1" (from v0.1), date codes "2512"

    @property
    def model_key(self) -> str:
        """The family the release belongs to: family + family version ("llama 2")."""
        return f"{self.family} {self.version}" if self.version else self.family

    def same_but_revision(self, other: NameKey) -> bool:
        return (self.family, self.version, self.size, self.variant) == (
            other.family, other.version, other.size, other.variant)


def _norm_size(token: str) -> str:
    number = token[:-1]
    if "." in number and "x" not in number:
        number = number.rstrip("0").rstrip(".")
    return number + token[-1]


def parse_name(name: str, *, size: str | None = None, version: str | None = None) -> NameKey:
    """Parse a model name into its key; ``size``/``version`` given by a source win over parsing."""
    text = name.strip().lower()
    if "/" in text:  # HF repo ids: "meta-llama/Llama-2-7b-hf" -> "Llama-2-7b-hf"
        text = text.rsplit("/", 1)[1]
    text = re.sub(r"(\d)_(\d)", r"\1.\2", text)  # OpenELM-1_1B -> 1.1b
    tokens = [t.strip(".") for t in _SPLIT.split(text) if t.strip(".")]
    family: list[str] = []
    fam_version: str | None = None
    sizes: list[str] = []
    variants: set[str] = set()
    revisions: list[str] = []
    for i, tok in enumerate(tokens):
        if i == 0 and tok in ORG_PREFIXES and len(tokens) > 1:
            follows = ORG_PREFIXES[tok]
            if not follows or any(tokens[1].startswith(f) for f in follows):
                continue
        if tok in NOISE and family:
            continue
        if tok in VARIANTS and family:
            variants.add(VARIANTS[tok])
            continue
        m = _SIZE_REV.match(tok)
        if m:
            sizes.append(_norm_size(m.group(1)))
            revisions.append(m.group(2))
            continue
        if _SIZE.match(tok) and family:
            sizes.append(_norm_size(tok))
            continue
        m = _REVISION.match(tok)
        if m and family:
            revisions.append(m.group(1))
            continue
        if _NUMBER.match(tok) and family:
            if fam_version is None and not sizes and not revisions:
                fam_version = tok
            else:
                revisions.append(tok)
            continue
        m = _ALPHA_NUM.match(tok)
        if m and not family and tok not in ORG_PREFIXES:
            family.append(m.group(1))
            fam_version = m.group(2)
            continue
        family.append(tok)
    if size:
        s = size.strip().lower().replace(" ", "")
        if _SIZE.match(s):
            sizes = [_norm_size(s)]
    if version:
        v = version.strip().lower().lstrip("v")
        if _NUMBER.match(v):
            fam_version = v
    return NameKey(
        family=" ".join(family) or text,
        version=fam_version,
        size="+".join(sizes) or None,
        variant=frozenset(variants),
        revision=".".join(revisions) or None,
    )


@dataclass
class Match:
    """One row of the match table."""

    source: str
    record: str
    name: str
    release: str
    method: str  # exact | normalized | alias | override | new
    confidence: float
    matched_label: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, str | float]:
        return {
            "source": self.source, "record": self.record, "name": self.name, "release": self.release,
            "method": self.method, "confidence": self.confidence, "matched_label": self.matched_label,
            "note": self.note,
        }


@dataclass
class _Entry:
    iri: URIRef
    label: str
    key: NameKey
    names: set[str] = field(default_factory=set)
    model: URIRef | None = None


@dataclass
class Override:
    source: str
    record: str
    target: str  # release IRI or name
    action: str  # same | distinct | alias
    note: str = ""


class OverrideError(ValueError):
    """overrides.csv is malformed (the message names the file and line)."""


def load_overrides(path: Path | None) -> list[Override]:
    """Read the curator's overrides CSV (columns: source, record, release_iri or name, action, note)."""
    if path is None or not path.is_file():
        return []
    out: list[Override] = []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.lstrip().startswith("#"))
        needed = {"source", "record", "action"}
        missing = needed - set(rows.fieldnames or [])
        if missing or not ({"release_iri", "name"} & set(rows.fieldnames or [])):
            raise OverrideError(
                f"{path}: header must have columns source, record, release_iri (or name), action, note; "
                f"missing {', '.join(sorted(missing)) or 'release_iri/name'}")
        for line, row in enumerate(rows, start=2):
            action = (row.get("action") or "").strip().lower()
            if action not in {"same", "distinct", "alias"}:
                raise OverrideError(f"{path}:{line}: action {action!r} is not one of same, distinct, alias")
            target = (row.get("release_iri") or row.get("name") or "").strip()
            if action != "distinct" and not target:
                raise OverrideError(f"{path}:{line}: action {action!r} needs a release_iri or name")
            out.append(Override(source=(row.get("source") or "*").strip() or "*",
                                record=(row.get("record") or "").strip(), target=target, action=action,
                                note=(row.get("note") or "").strip()))
    return out


def default_overrides_path() -> Path | None:
    from ..resources import data_dir

    try:
        path = data_dir() / "curation" / "overrides.csv"
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


class Resolver:
    """One per build, shared by all importers (see the module docstring for the policy)."""

    def __init__(self, overrides: list[Override] | Path | None = None, *, seed: bool = True,
                 use_default_overrides: bool = True) -> None:
        if isinstance(overrides, Path):
            overrides = load_overrides(overrides)
        elif overrides is None and use_default_overrides:
            overrides = load_overrides(default_overrides_path())
        self.overrides: list[Override] = list(overrides or [])
        self.matches: list[Match] = []
        #: (catalogue version, release) → the record of that version that names it as its subject.
        self.holders: dict[tuple[str, URIRef], str] = {}
        #: Records kept apart from another record of the same catalogue version (for review).
        self.kept_apart: list[dict[str, str]] = []
        self._entries: dict[URIRef, _Entry] = {}
        self._by_label: dict[str, URIRef] = {}
        self._by_key: dict[NameKey, list[URIRef]] = {}
        self._by_loose: dict[tuple[str, str | None, str | None, frozenset[str]], list[URIRef]] = {}
        if seed:
            for name in SEED_RELEASES:
                self._add(mint.release_iri(name), name, parse_name(name))

    # ------------------------------------------------------------------ registry

    def _add(self, iri: URIRef, label: str, key: NameKey, *, findable: bool = True) -> _Entry:
        """Register a release; ``findable=False`` keeps it out of the key indexes (a release minted
        to keep a record apart must not attract other sources' names)."""
        entry = self._entries.get(iri)
        if entry is None:
            entry = _Entry(iri=iri, label=label, key=key)
            entry.model = mint.model_iri(key.model_key)
            self._entries[iri] = entry
            if findable:
                self._by_key.setdefault(key, []).append(iri)
                self._by_loose.setdefault(_loose(key), []).append(iri)
        self._name(entry, label)
        return entry

    def _name(self, entry: _Entry, name: str) -> None:
        entry.names.add(name)
        self._by_label.setdefault(name.strip().casefold(), entry.iri)

    def _refine(self, entry: _Entry, key: NameKey) -> None:
        """Give a revision-less release the revision it was just matched with."""
        if entry.key.revision is None and key.revision is not None and entry.iri in self._by_key.get(
                entry.key, []):
            self._by_key[entry.key].remove(entry.iri)
            entry.key = NameKey(entry.key.family, entry.key.version, entry.key.size, entry.key.variant,
                                key.revision)
            self._by_key.setdefault(entry.key, []).append(entry.iri)

    def know(self, release: URIRef, label: str, alt_labels: Iterable[str] = (), *,
             model: URIRef | None = None) -> None:
        """Register a release defined elsewhere (examples, the store) under its label and names;
        ``model``: its family as written there (kept, not parsed again from the label)."""
        entry = self._entries.get(release)
        if entry is None:
            kept_apart = bool(_KEPT_APART_SUFFIX.search(label))
            key = parse_name(_KEPT_APART_SUFFIX.sub("", label))
            entry = self._add(release, label, key, findable=not kept_apart)
            if model is not None:
                entry.model = model
        for alt in alt_labels:
            if alt and compatible(parse_name(alt), entry.key):
                self._name(entry, alt)

    def load_store(self, store: object, *, skip_catalogues: Iterable[str] = ()) -> int:
        """Know the releases already in a store (for a single ``openness import`` after a build), and
        which record of which catalogue version holds each (from the record graphs' claims and
        date statements; catalogue versions in ``skip_catalogues`` are left out: an import that
        replaces them decides their holders anew). Labels are registered before alternative labels,
        in a fixed order, so the answer does not depend on the store's row order."""
        rows = store.select(  # type: ignore[attr-defined]
            prefix_lines("og", "rdfs", "skos") +
            "SELECT ?r (MIN(STR(?l)) AS ?label) (GROUP_CONCAT(DISTINCT STR(?a); separator='\\t') AS ?alts)"
            " (MIN(STR(?m)) AS ?model)"
            " WHERE { ?r a og:ModelRelease ; rdfs:label ?l . OPTIONAL { ?r skos:altLabel ?a }"
            " OPTIONAL { ?r og:releaseOf ?m } } GROUP BY ?r")
        known = sorted((URIRef(str(row["r"])), str(row["label"]), str(row.get("alts", "")),
                        str(row.get("model", ""))) for row in rows)
        for release, label, _, model in known:
            self.know(release, label, model=URIRef(model) if model else None)
        for release, label, alts, _ in known:
            self.know(release, label, [a for a in alts.split("\t") if a])
        skip = set(skip_catalogues)
        for row in store.select(HOLDERS_QUERY):  # type: ignore[attr-defined]
            catalogue, graph = str(row["ds"]), str(row["g"])
            if catalogue not in skip:
                self.holders.setdefault((catalogue, URIRef(str(row["r"]))), graph.rsplit("/record/", 1)[1])
        return len(rows)

    # ------------------------------------------------------------------ lookups

    def _override(self, source: str, record: str, name: str) -> Override | None:
        for ov in self.overrides:
            if ov.action == "alias":
                if ov.record.casefold() == name.casefold() and ov.source in ("*", source):
                    return ov
            elif ov.source in ("*", source) and ov.record in (record, name):
                return ov
        return None

    def release(self, name: str, *, developer: str | None, source: str, record: str,
                size: str | None = None, version: str | None = None,
                aliases: Iterable[str] = (), owner: tuple[str, str] | None = None,
                own_name: str | None = None) -> URIRef:
        """The release IRI for ``name`` as named by ``source``'s ``record`` (minted when new).

        ``owner`` — (catalogue version, record slug) — marks the release as the record's own
        subject: a release another record of the same version holds is not shared, the record is
        kept apart on a release keyed on ``own_name`` (see the module docstring).
        """
        name = name.strip()
        aliases = [a.strip() for a in aliases if a and a.strip() and a.strip().casefold() != name.casefold()]
        key = name_key = parse_name(name, size=size, version=version)
        iri, method, confidence, matched, note = self._lookup(name, key, source, record, aliases)
        if iri is None:
            iri = mint.release_iri(name)
            if iri in self._entries and self._entries[iri].key != key:
                iri = mint.release_iri(f"{name} {mint.digest(source, record, length=6)}")
                note = "slug taken by a different release"
            method, confidence, matched = "new", 1.0, name
        if owner is not None:
            ov = self._override(source, record, name) if method == "override" else None
            curated = ov is not None and ov.action != "alias"  # a curator said same or distinct
            holder = self.holders.get((owner[0], iri))
            if holder is not None and holder != owner[1] and not curated:
                shared = iri
                iri, method, confidence, matched = self._apart(own_name or name, source, shared, owner)
                shared_label = self._entries[shared].label if shared in self._entries else name
                note = (f"kept apart: record {holder!r} of this catalogue version also names "
                        f"{shared_label!r}; review")
                self.kept_apart.append({"source": source, "dataset": owner[0], "record": record,
                                        "held_by": holder, "name": name, "shared_release": str(shared),
                                        "release": str(iri)})
                key = self._entries[iri].key
            self.holders.setdefault((owner[0], iri), owner[1])
        entry = self._entries.get(iri) or self._add(iri, name, key)
        self._refine(entry, key)
        if compatible(name_key, entry.key) or (method != "override" and not note.startswith("kept apart")):
            self._name(entry, name)  # a curated or kept-apart record's name is not this release's name
        for alias in aliases:  # an alias that names another size/version/variant is not recorded
            if compatible(parse_name(alias, size=size, version=version), entry.key):
                self._name(entry, alias)
            else:
                note = (note + "; " if note else "") + f"alias {alias!r} ignored: names a different release"
        self.matches.append(Match(source, record, name, str(iri), method, confidence, matched, note))
        return iri

    def _apart(self, own: str, source: str, shared: URIRef,
               owner: tuple[str, str]) -> tuple[URIRef, str, float, str]:
        """A release of the record's own for a record kept apart: the release labelled with its own
        name exactly, if no other record of the catalogue version holds it, else one minted from its
        own name. (Only an exact label: the loose matches are what brought the clash.)"""
        own = own.strip()
        key = parse_name(own)
        found = self._by_label.get(own.casefold())
        if found is not None and self.holders.get((owner[0], found), owner[1]) == owner[1]:
            return found, "exact", 1.0, self._entries[found].label
        iri = mint.release_iri(own)
        label = own
        if iri in self._entries and self.holders.get((owner[0], iri), owner[1]) != owner[1] or (
                iri in self._entries and self._entries[iri].key != key):
            iri = mint.release_iri(f"{own} {mint.digest(source, owner[1], length=6)}")
            label = f"{own} ({source} record {owner[1]})"
        if iri not in self._entries:
            entry = self._add(iri, label, key, findable=label == own)
            if label != own and shared in self._entries:  # same name as the shared one: same family
                entry.model = self._entries[shared].model
        return iri, "new", 1.0, label

    def _lookup(self, name: str, key: NameKey, source: str, record: str,
                aliases: list[str]) -> tuple[URIRef | None, str, float, str, str]:
        ov = self._override(source, record, name)
        if ov is not None:
            if ov.action == "distinct":
                own = mint.release_iri(name)
                if own in self._entries and self._entries[own].key != key:
                    own = mint.release_iri(f"{name} {mint.digest(source, record, length=6)}")
                if own not in self._entries:
                    self._add(own, name, key)
                return own, "override", 1.0, name, ov.note or "curated: distinct"
            target = URIRef(ov.target) if ov.target.startswith(("http://", "https://")) else mint.release_iri(
                ov.target)
            if target not in self._entries:
                label = ov.target if not ov.target.startswith("http") else name
                self._add(target, label, parse_name(label))
            return target, "override", 1.0, self._entries[target].label, ov.note or f"curated: {ov.action}"
        hit = self._by_label.get(name.casefold())
        if hit is not None:
            return hit, "exact", 1.0, self._entries[hit].label, ""
        for alias in aliases:
            hit = self._by_label.get(alias.casefold())
            if hit is not None and compatible(key, self._entries[hit].key):
                return hit, "alias", 0.95, alias, ""
        same = self._by_key.get(key, [])
        if len(same) == 1:
            return same[0], "normalized", 0.9, self._entries[same[0]].label, ""
        if len(same) > 1:
            return sorted(same)[0], "normalized", 0.6, self._entries[sorted(same)[0]].label, (
                f"{len(same)} releases share this key; took the first")
        loose = [i for i in self._by_loose.get(_loose(key), [])
                 if (self._entries[i].key.revision is None) != (key.revision is None)]
        if len(loose) == 1:
            entry = self._entries[loose[0]]
            return entry.iri, "normalized", 0.75, entry.label, "revision unspecified on one side"
        return None, "new", 1.0, name, ("ambiguous revision: " + ", ".join(sorted(str(i) for i in loose))
                                        if loose else "")

    def model(self, name: str, *, developer: str | None = None, source: str = "", record: str = "") -> URIRef:
        """The model family IRI for a name (family + family version, e.g. "Llama 2")."""
        key = parse_name(name)
        return mint.model_iri(key.model_key)

    # ------------------------------------------------------------------ output

    def label(self, release: URIRef) -> str:
        return self._entries[release].label

    def names(self, release: URIRef) -> set[str]:
        return set(self._entries[release].names)

    def key(self, release: URIRef) -> NameKey:
        return self._entries[release].key

    def describe_release(self, graph: Graph, release: URIRef, names: Iterable[str] = ()) -> URIRef:
        """Write a release's type, its one label, the names this source used and its model family.

        Every batch writes the same ``rdfs:label`` (the resolver's canonical label), so the union
        of all batches still has one label per release.
        """
        entry = self._entries[release]
        graph.add((release, RDF.type, OG.ModelRelease))
        graph.add((release, RDFS.label, Literal(entry.label)))
        for n in names:
            if n and n.strip() and n.strip() != entry.label:
                graph.add((release, SKOS.altLabel, Literal(n.strip())))
        model = entry.model or mint.model_iri(entry.key.model_key)
        graph.add((model, RDF.type, OG.Model))
        graph.add((model, RDFS.label, Literal(_model_label(entry.label, entry.key))))
        graph.add((model, OG.hasRelease, release))
        graph.add((release, OG.releaseOf, model))
        return model

    def table(self) -> list[dict[str, str | float]]:
        return [m.as_dict() for m in self.matches]

    def write_csv(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        fields = ["source", "record", "name", "release", "method", "confidence", "matched_label", "note"]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            for row in self.table():
                writer.writerow(row)
        return path

    def releases_by_sources(self) -> dict[str, set[str]]:
        """Release IRI → the sources that named it (for the cross-source summary)."""
        out: dict[str, set[str]] = {}
        for m in self.matches:
            out.setdefault(m.release, set()).add(m.source)
        return out


#: Which record graph holds which release, per catalogue version: the subjects of the claims and
#: date statements each record graph (``…/record/<slug>``) writes with its dataset as source.
HOLDERS_QUERY = prefix_lines("og", "dcterms") + """SELECT DISTINCT ?g ?r ?ds WHERE {
  GRAPH ?g { ?c og:about ?r ; dcterms:source ?ds . { ?c a og:Claim } UNION { ?c a og:ReleaseDateStatement } }
  FILTER(CONTAINS(STR(?g), "/record/"))
  ?r a og:ModelRelease .
}"""


def compatible(a: NameKey, b: NameKey) -> bool:
    """Two keys may name the same release: all parts agree, a revision may be missing on one side."""
    return a.same_but_revision(b) and (a.revision is None or b.revision is None or a.revision == b.revision)


#: The suffix :meth:`Resolver._apart` gives a release minted with a digest: "(mot record t5)".
_KEPT_APART_SUFFIX = re.compile(r"\s*\([a-z0-9-]+ record [a-z0-9-]+\)$")


def _loose(key: NameKey) -> tuple[str, str | None, str | None, frozenset[str]]:
    return (key.family, key.version, key.size, key.variant)


def _model_label(label: str, key: NameKey) -> str:
    """A readable family label: the release label without size/variant/revision tokens (and without
    the "(<source> record <slug>)" of a release minted to keep a record apart)."""
    label = _KEPT_APART_SUFFIX.sub("", label)
    words = [w for w in re.split(r"[\s\-_]+", label) if w]
    keep = []
    for w in words:
        lw = w.lower()
        if _SIZE.match(lw) or _SIZE_REV.match(lw) or lw in VARIANTS or lw in NOISE or _REVISION.match(lw):
            continue
        keep.append(w)
    return " ".join(keep) or key.model_key
