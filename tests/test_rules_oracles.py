# ruff: noqa: E501  (long SPARQL / Turtle lines)
"""The rules against independent computations over the real vendored catalogues.

* MOF 1.0: an oracle written straight from frameworks.md §2 and MOT's evaluator over the Model
  Openness Tool YAML files and the vendored license lists (no code of the package is used to read
  them) must give the same class as the stored MOF assessments (queries/rules/mof.ru) for every
  release of the corpus.
* European OSAI Index: the stored score is the mean of the twelve dimensions to four decimals for
  every Index model, recomputed from the claims' statuses in the store.

The catalogues are imported through the write gate into an in-memory store, which derives the
assessments in the same transaction; the tests read them as every reader does
(``openness.verdicts.read``).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from openness import derive, verdicts
from openness.importers.build import import_source
from openness.namespaces import OG
from openness.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
MOT = ROOT / "data" / "sources" / "mot"
OSAI = ROOT / "data" / "sources" / "osai-index"


@pytest.fixture(scope="module")
def corpus_store():
    store = OxigraphStore(None)
    import_source(store, "mot", MOT, validate=False)
    import_source(store, "osai", OSAI, validate=False)
    yield store
    store.close()


# --------------------------------------------------------------------------- the MOF oracle

def _license_lists() -> tuple[set[str], set[str]]:
    """(OSI-approved or FSF-libre SPDX ids, ids MOF accepts otherwise), lower-cased: MOF's own list
    (mof-licenses.json) and the two lists of MOT's evaluator (OPEN_DATA_LICENSES, OPEN_LICENSES)."""
    spdx = json.loads((ROOT / "data" / "licenses" / "spdx-licenses.json").read_text())
    osi = {x["licenseId"].lower() for x in spdx["licenses"] if x.get("isOsiApproved") or x.get("isFsfLibre")}
    mof = json.loads((ROOT / "data" / "licenses" / "mof-licenses.json").read_text())
    mot = json.loads((MOT / "open-data-licenses.json").read_text())
    evaluator = {x.lower() for key in ("OPEN_DATA_LICENSES", "OPEN_LICENSES") for x in mot[key]["licenses"]}
    return osi, {x["licenseId"].lower() for x in mof["licenses"]} | evaluator


def mof_oracle(record: dict, components: list[dict], osi: set[str], mofok: set[str]) -> str:
    """frameworks.md §2, literally: included AND open license (own > typed release > distribution)."""
    rel = record["release"]
    lic = rel.get("license") or {}

    def name(key: str) -> str:
        v = lic.get(key)
        return ((v or {}).get("name") or "").strip() if isinstance(v, dict) else ""

    listed = {c["name"]: c for c in rel.get("components") or [] if isinstance(c, dict) and c.get("name")}
    counted: dict[int, bool] = {}
    for comp in components:
        c = listed.get(comp["name"])
        if c is None:
            counted[comp["id"]] = False
            continue
        own = c.get("license")
        if isinstance(own, str) and own.strip().lower().startswith(("component not include", "undisclosed")):
            counted[comp["id"]] = False
            continue
        if "license" in c:
            eff = (own or "").strip() if isinstance(own, str) else ""
        else:
            eff = name(comp["content_type"]) or name("distribution")
        key = eff.lower()
        counted[comp["id"]] = bool(key) and key != "unlicensed" and (key in osi or key in mofok)

    def req(cls: int) -> list[int]:
        return [c["id"] for c in components if c["class"] == cls and c["required"]]

    paper = counted.get(21, False) and not counted.get(11, False)
    r3 = [i for i in req(3) if not (paper and i == 11)] + ([21] if paper else [])
    r2, r1 = req(2), [i for i in req(1) if not (paper and i == 21)]
    ok3 = all(counted[i] for i in r3)
    ok2 = ok3 and all(counted[i] for i in r2)
    ok1 = ok2 and all(counted[i] for i in r1)
    return "Class I (Open Science)" if ok1 else "Class II (Open Tooling)" if ok2 else \
        "Class III (Open Model)" if ok3 else "unclassified"


def test_mof_classes_match_an_independent_oracle(corpus_store) -> None:
    settings = yaml.safe_load((MOT / "web" / "modules" / "mof" / "config" / "install" / "mof.settings.yml").read_text())
    osi, mofok = _license_lists()
    rows = corpus_store.select("""PREFIX og: <https://w3id.org/openness/ns#>
      SELECT DISTINCT ?release ?url WHERE { ?c og:about ?release ; og:criterion ?k ; og:evidence ?e .
        ?e og:sourceIRI ?url . FILTER(STRSTARTS(STR(?k), "https://w3id.org/openness/mof#")) }""")
    file_of = {str(r["release"]): unquote(str(r["url"]).rsplit("/", 1)[1]) for r in rows}
    stored = {str(v.release): v for v in verdicts.read(corpus_store, framework="mof")}
    assert len(stored) >= 250  # the corpus has 273 records, a few rejected as test entries
    mismatches = []
    for release, v in stored.items():
        record = yaml.safe_load((MOT / "models" / file_of[release]).read_text())
        want = mof_oracle(record, settings["components"], osi, mofok)
        if v.label != want:
            mismatches.append((file_of[release], v.label, want))
    assert mismatches == []
    # the corpus exercises every outcome, so agreement is not trivial
    assert {v.label for v in stored.values()} >= {"unclassified", "Class III (Open Model)"}


# --------------------------------------------------------------------------- the Index

OSAI_DIMS = ["datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
             "trainingcode", "code", "hardware_architecture", "preprint", "paper", "modelcard", "datasheet",
             "licenses"]


def test_osai_index_score_is_the_mean_of_twelve_dimensions(corpus_store) -> None:
    statuses = derive.CURRENT.graph("claim-status")
    rows = corpus_store.select(f"""PREFIX og: <https://w3id.org/openness/ns#>
      SELECT ?release ?k ?st ?std WHERE {{ ?c og:about ?release ; og:criterion ?k ; og:standing ?std .
        {{ ?c og:status ?st }} UNION {{ GRAPH <{statuses}> {{ ?c og:status ?st }} }}
        FILTER(STRSTARTS(STR(?k), "https://w3id.org/openness/osai#")) }}""")
    value = {"Open": 1.0, "Partial": 0.5, "Closed": 0.0}
    dims: dict[str, dict[str, list[float]]] = {}
    for r in rows:
        if str(r["std"]).endswith(("Superseded", "Retracted")):
            continue
        status = str(r["st"]).rsplit("#", 1)[1]
        if status in value:
            dims.setdefault(str(r["release"]), {}).setdefault(str(r["k"]).rsplit("#", 1)[1], []).append(value[status])
    stored = {str(v.release): v for v in verdicts.read(corpus_store, framework="osai-index")}
    checked = 0
    for release, d in dims.items():
        if set(OSAI_DIMS) <= set(d) and all(len(set(d[k])) == 1 for k in OSAI_DIMS):
            want = round(sum(d[k][0] for k in OSAI_DIMS) / 12, 4)
            assert stored[release].values["score"] == pytest.approx(want, abs=1e-4), release
            groups = {str(g["group"]): g for g in stored[release].values["groupScore"]}
            assert groups[str(OG.OSAIAccess)]["score"] == pytest.approx(d["licenses"][0], abs=1e-4)
            assert groups[str(OG.OSAIAvailability)]["score"] == pytest.approx(
                sum(d[k][0] for k in OSAI_DIMS[:5]) / 5, abs=1e-4)
            checked += 1
    assert checked >= 50  # every Index model with all twelve dimensions known
