"""Run the rule test cases listed as data in tests/rules/manifest.ttl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from openness.rules.classify import classify
from openness.store import open_store
from rdflib import Graph, Namespace

HERE = Path(__file__).resolve().parent / "rules"
RT = Namespace("https://w3id.org/openness/test/rules#")
CHECKED = ("label", "p1", "p2", "p3", "tierMin", "tierMax", "paperForReport", "score",
           "code", "weights", "downstream", "contested")
LISTS = ("contested",)  # space-separated IRIs in the manifest ("" = none), lists in the verdict


def _cases() -> list[tuple[str, dict[str, object]]]:
    g = Graph().parse(HERE / "manifest.ttl")
    cases = []
    for case in sorted(g.subjects(predicate=RT.framework)):
        spec: dict[str, object] = {"inputs": [str(o) for o in g.objects(case, RT.input)]}
        for key in ("framework", "release", *CHECKED):
            value = g.value(case, RT[key])
            if value is not None:
                spec[key] = value.toPython()
        cases.append((str(case).rsplit("#", 1)[1], spec))
    return cases


@pytest.mark.parametrize(("name", "spec"), _cases(), ids=[c[0] for c in _cases()])
def test_case(name: str, spec: dict[str, object]) -> None:
    store = open_store(":memory:")
    for i, path in enumerate(spec["inputs"]):  # type: ignore[attr-defined]
        store.native.load(path=str(HERE / path), format=ox.RdfFormat.TURTLE,
                          to_graph=ox.NamedNode(f"urn:case:{i}"))
    verdicts = {v.release.rsplit("/", 1)[1]: v for v in classify(store, str(spec["framework"]))}
    v = verdicts[str(spec["release"])]
    for key in CHECKED:
        if key not in spec:
            continue
        got = v.label if key == "label" else v.values[key]
        want = spec[key]
        if key in LISTS:
            want = sorted(str(want).split())
        if isinstance(want, Decimal | float):
            want = float(want)
            assert got == pytest.approx(want, abs=1e-4), f"{name}: {key}"
        else:
            assert got == want, f"{name}: {key}"
