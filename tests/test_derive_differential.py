# ruff: noqa: E501  (inline Turtle test data)
"""Incremental maintenance equals a full rebuild (issue 8, "Done when").

Random batches — add claims, correct a claim (the same claimant, later), supersede one, retract
one, add releases, drop a file — go through the write gate, which re-derives only what each batch
touched. After every batch the derived layer (claim statuses, release dates, claimant positions,
combined statuses, current assessments, license terms) must equal, triple for triple, what a
from-scratch derivation of the same source data gives; only run timestamps and activity links
may differ. History is not compared: a from-scratch build has none by construction.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from openness import derive
from openness.gate import Change, commit, ingest_files
from openness.ingest import file_graph_iri
from openness.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "data" / "examples" / "report-spectrum.ttl", ROOT / "data" / "examples" / "primary-evidence.ttl"]
OG = "https://w3id.org/openness/ns#"
ID = "https://w3id.org/openness/id/"
COMPARED = ("licenses", "claim-status", "release-dates", "release-developers", "positions", "combined",
            "mof-components", "assessments")
IGNORED = {OG + "assessedOn", "http://www.w3.org/ns/prov#wasGeneratedBy", OG + "replacedOn"}

RELEASES = ["llama-2", "mistral-7b", "grok-1", "claude", "new-a", "new-b"]
CLAIMANTS = ["cur-a", "cur-b", "cur-c"]
CRITERIA = [
    ("spectrum:Code", None), ("spectrum:Weights", None), ("spectrum:InputTransparency", None),
    ("spectrum:DownstreamTransparency", None), ("spectrum:License", None), ("spectrum:Access", None),
    ("mof:ModelParametersFinal", None), ("mof:TrainingCode", None), ("mof:Datasets", None),
    ("osai:weights_endmodel", "osai"), ("osai:trainingcode", "osai"), ("osai:licenses", "osai"),
]
STATUSES = ["og:Open", "og:Partial", "og:Closed", "og:Unknown", "og:NotApplicable"]
OSAI_VALUES = ["osai:value-open", "osai:value-partial", "osai:value-closed"]
LICENSES = ["<http://spdx.org/licenses/Apache-2.0>", "<http://spdx.org/licenses/MIT>", "og:Unlicensed", None]
PREFIXES = """@prefix og: <https://w3id.org/openness/ns#> . @prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix mof: <https://w3id.org/openness/mof#> . @prefix osai: <https://w3id.org/openness/osai#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


class World:
    """The claims written so far (to correct, supersede or retract them) and the files loaded."""

    def __init__(self, rng: random.Random, tmp: Path) -> None:
        self.rng, self.tmp, self.n = rng, tmp, 0
        self.claims: list[dict[str, object]] = []
        self.files: dict[str, tuple[list[dict[str, object]], str]] = {}  # file name -> (claims, extra Turtle)

    def claim_ttl(self, c: dict[str, object]) -> str:
        cid, ev = f"{ID}claim/{c['id']}", f"{ID}evidence/{c['id']}"
        who = f"{ID}agent/{c['claimant']}"
        lines = [f"<{cid}> a og:Claim ; og:about <{ID}release/{c['release']}> ; og:criterion {c['criterion']} ;",
                 f"  og:claimant <{who}> ; prov:wasAttributedTo <{who}> ; og:assertedOn \"{c['date']}\"^^xsd:date ;",
                 f"  og:standing {c['standing']} ; og:evidence <{ev}> ;"]
        if c.get("value"):
            lines.append(f"  og:sourceValue {c['value']} ; og:rawValue \"{str(c['value']).split('-')[-1]}\" ;")
        else:
            lines.append(f"  og:status {c['status']} ;")
        if c.get("license"):
            lines.append(f"  og:claimedLicense {c['license']} ;")
        if c.get("supersededBy"):
            lines.append(f"  og:supersededBy <{ID}claim/{c['supersededBy']}> ;")
        lines[-1] = lines[-1].rstrip(" ;") + " ."
        lines.append(f"<{ev}> a og:Evidence ; og:sourceIRI <https://example.org/{c['id']}> ; "
                     f"og:retrievedOn \"{c['date']}\"^^xsd:date ; og:evidenceKind "
                     f"{'og:PrimaryEvidence' if c['primary'] else 'og:SecondaryEvidence'} .")
        lines.append(f"<{who}> a og:Organization ; rdfs:label \"{c['claimant']}\" .")
        return "\n".join(lines)

    def new_claim(self, **fixed: object) -> dict[str, object]:
        rng = self.rng
        self.n += 1
        crit, kind = rng.choice(CRITERIA)
        c: dict[str, object] = {
            "id": f"d{self.n}", "release": rng.choice(RELEASES), "criterion": crit,
            "claimant": rng.choice(CLAIMANTS), "date": f"202{rng.randint(3, 6)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "standing": "og:Asserted", "primary": rng.random() < 0.2,
            "status": rng.choice(STATUSES), "value": rng.choice(OSAI_VALUES) if kind == "osai" else None,
            "license": rng.choice(LICENSES) if crit in ("spectrum:License", "mof:ModelParametersFinal") else None,
        }
        c.update(fixed)
        return c

    def write(self, claims: list[dict[str, object]], extra: str = "", name: str | None = None) -> Path:
        name = name or f"batch-{len(self.files)}-{self.rng.randint(0, 10**6)}.ttl"
        for c in claims:
            c["file"] = name
        self.files[name] = (claims, extra)
        path = self.tmp / name
        path.write_text(PREFIXES + extra + "\n".join(self.claim_ttl(c) for c in claims) + "\n")
        return path


def derived_state(store: OxigraphStore, view: derive.View = derive.CURRENT) -> set[tuple[str, str, str, str]]:
    out = set()
    for name in COMPARED:
        g = ox.NamedNode(str(view.graph(name)))
        for q in store.native.quads_for_pattern(None, None, None, g):
            if q.predicate.value in IGNORED:
                continue
            out.add((name, str(q.subject), q.predicate.value, str(q.object)))
    return out


def from_scratch(store: OxigraphStore) -> set[tuple[str, str, str, str]]:
    fresh = OxigraphStore(None)
    data = store.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    fresh.native.load(data, format=ox.RdfFormat.N_TRIPLES)
    derive.run(fresh)
    return derived_state(fresh)


def step(world: World, store: OxigraphStore) -> str:
    rng = world.rng
    action = rng.choice(["add", "add", "correct", "supersede", "retract", "release", "drop"])
    live = [c for c in world.claims if c["standing"] == "og:Asserted"]
    if action == "correct" and live:
        old = rng.choice(live)
        new = world.new_claim(release=old["release"], criterion=old["criterion"], claimant=old["claimant"],
                              value=old["value"], date="2027-01-01")
        world.claims.append(new)
        ingest_files(store, [world.write([new])])
    elif action == "supersede" and live:
        old = rng.choice(live)
        new = world.new_claim(release=old["release"], criterion=old["criterion"], claimant=old["claimant"],
                              value=old["value"], date="2027-02-01")
        world.claims.append(new)
        ingest_files(store, [world.write([new], extra=f"<{ID}claim/{old['id']}> og:supersededBy <{ID}claim/{new['id']}> .\n")])
    elif action == "retract" and live:
        old = rng.choice(live)
        old["standing"] = "og:Retracted"
        # re-load the file that holds it: the file's graph is replaced, the claim retracted
        name = str(old["file"])
        claims, extra = world.files[name]
        ingest_files(store, [world.write(claims, extra, name)])
    elif action == "release":
        slug = f"rel-{world.n}"
        RELEASES.append(slug)
        world.n += 1
        path = world.write([], extra=f"<{ID}release/{slug}> a og:ModelRelease ; rdfs:label \"{slug}\" ; og:developerUnknown true ; og:releaseDate \"2025\"^^xsd:gYear .\n")
        ingest_files(store, [path])
    elif action == "drop" and len(world.files) > 1:
        name = rng.choice(sorted(world.files))
        commit(store, Change(drop=[str(file_graph_iri(Path(name)))]))
        claims, _extra = world.files.pop(name)
        for c in claims:
            c["standing"] = "gone"
    else:
        action = "add"
        claims = [world.new_claim() for _ in range(rng.randint(1, 6))]
        path = world.write(claims)
        world.claims.extend(claims)
        ingest_files(store, [path])
    return action


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_equals_full_rebuild(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    store = OxigraphStore(None)
    ingest_files(store, EXAMPLES)
    world = World(rng, tmp_path)
    assert derived_state(store) == from_scratch(store)
    done = []
    for _ in range(12):
        done.append(step(world, store))
        incremental, full = derived_state(store), from_scratch(store)
        assert incremental == full, (done, sorted(incremental ^ full)[:10])
    # the batches did something worth comparing
    assert {"add", "correct"} <= set(done) or len(set(done)) >= 3
    assert any(t[0] == "assessments" for t in derived_state(store))
