"""openness.analysis and ``openness analyze`` on small real stores: the bundled examples, the
model cards (fine-tune, adapter, merge, quantization) and the hand-built license fixtures
(tests/analysis/licenses: a conflict and a clean case)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from openness.analysis import (
    agreement,
    base_models,
    derivation_properties,
    license_conflicts,
    lineage_graph,
    organizations,
    read_graph,
    timeline,
    to_networkx,
    write_graph,
)
from openness.analysis.agreement import agreement_from_table
from openness.analysis.charts import CHARTS
from openness.analysis.tables import COLUMNS
from openness.gate import ingest_files
from openness.importers.build import import_source
from openness.namespaces import OG
from openness.store import open_store
from openness.vocab import load_ontology
from rdflib.namespace import RDFS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
FIXTURES = Path(__file__).resolve().parent / "analysis" / "licenses"
FX = "https://w3id.org/openness/id/release/"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Examples, model cards and both license fixtures in one on-disk store."""
    path = tmp_path_factory.mktemp("analysis") / "store"
    db = open_store(str(path))
    try:
        ingest_files(
            db,
            [
                EXAMPLES / "report-spectrum.ttl",
                EXAMPLES / "primary-evidence.ttl",
                FIXTURES / "conflict.ttl",
                FIXTURES / "clean.ttl",
            ],
        )
        import_source(db, "hf-card", EXAMPLES / "hf-cards")
    finally:
        db.close()
    return path


@pytest.fixture
def db(store_path: Path):
    with open_store(str(store_path), read_only=True) as store:
        yield store


# --------------------------------------------------------------------------- networkx


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert set(a.nodes) == set(b.nodes)
    assert sorted(a.edges(keys=True)) == sorted(b.edges(keys=True))
    for n, attrs in a.nodes(data=True):
        for k, v in attrs.items():
            assert b.nodes[n][k] == v, (n, k)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_to_networkx_round_trips_through_graphml_and_gexf(db, fmt: str, tmp_path: Path) -> None:
    g = to_networkx(db, "CONSTRUCT { ?r ?p ?o } WHERE { ?r a og:ModelRelease ; ?p ?o }")
    assert isinstance(g, nx.MultiDiGraph)
    llama = FX + "llama-2"
    assert g.nodes[llama]["rdfs:label"] == "Llama 2"  # literals are node attributes
    assert "rdf:type" in {k for *_e, k in g.out_edges(llama, keys=True)}  # edges keyed by predicate
    assert (FX + "fx-apache-tune", FX + "fx-llama-base", "og:fineTunedFrom") in set(g.edges(keys=True))
    back = read_graph(write_graph(g, fmt, tmp_path / f"g.{fmt}"))
    _same(g, back)


def test_to_networkx_types_literals_and_joins_repeated_ones(db) -> None:
    g = to_networkx(
        db,
        "CONSTRUCT { ?r og:releaseDate ?d ; rdfs:label ?l ; og:score 0.5 ; og:flag true ; "
        'skos:altLabel "a", "b" } WHERE { ?r a og:ModelRelease ; rdfs:label ?l ; og:releaseDate ?d }',
    )
    node = g.nodes[FX + "llama-2"]
    assert node["og:score"] == 0.5 and node["og:flag"] is True
    assert json.loads(node["skos:altLabel"]) == ["a", "b"]
    with pytest.raises(ValueError, match="CONSTRUCT"):
        to_networkx(db, "SELECT * WHERE { ?s ?p ?o }")


# --------------------------------------------------------------------------- lineage


def test_derivation_properties_come_from_the_ontology() -> None:
    g = load_ontology()
    declared = {p for p in g.subjects(RDFS.subPropertyOf, OG.derivedFrom)}
    assert set(derivation_properties()) == declared and len(declared) == 6


def test_lineage_types_merges_and_base_models(db) -> None:
    g = lineage_graph(db)
    kinds = {k for *_e, k in g.edges(keys=True)}
    assert {"fineTunedFrom", "adapterOf", "mergedFrom", "quantizedFrom"} <= kinds
    merge = next(c for c, _p, k in g.edges(keys=True) if k == "mergedFrom")
    assert g.out_degree(merge) == 2  # one edge per parent
    bases = base_models(g).set_index("release")
    base = bases.loc[FX + "fx-llama-base"]
    assert (base["direct"], base["descendants"], base["depth"], base["fineTunedFrom"]) == (1, 1, 1, 1)
    assert set(bases.index) == {n for n in g if g.in_degree(n) > 0}


# --------------------------------------------------------------------------- license inheritance


def test_the_fixture_conflicts_are_found_and_the_clean_fixture_is_not(db) -> None:
    df = license_conflicts(db)
    found = set(df["derivative"])
    assert {FX + "fx-apache-tune", FX + "fx-mit-tune"} <= found
    assert not found & {FX + "fx-llama-tune", FX + "fx-mit-quant"}
    apache = df[df["derivative"] == FX + "fx-apache-tune"].iloc[0]
    assert set(apache["missing_terms"].split()) == {
        str(OG[t])
        for t in ("AcceptableUsePolicy", "UserThreshold", "AttributionDuty", "FieldOfUseRestriction")
    }
    assert apache["derivative_evidence"] == "https://example.org/fixture/apache-tune/README.md"
    assert apache["base_evidence"] == "https://example.org/fixture/llama-base/LICENSE"
    assert "monthlyActiveUsers lteq 700000000" in apache["base_odrl"]
    nc = df[df["derivative"] == FX + "fx-mit-tune"].iloc[0]
    assert "commercial-use ban" in nc["missing"] and nc["base_quote"] == "license: cc-by-nc-4.0"


def test_analyze_licenses_cli(store_path: Path, run_cli) -> None:
    res = run_cli("--store", str(store_path), "analyze", "licenses", "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = {r["derivative_label"]: r for r in json.loads(res.stdout)}
    assert {"Fixture Apache fine-tune", "Fixture MIT fine-tune"} <= set(rows)
    assert "Fixture Llama-licensed fine-tune" not in rows and "Fixture MIT quantization" not in rows
    table = run_cli("--store", str(store_path), "analyze", "licenses")
    assert "Fixture Apache fine-tune" in table.stdout and "example.org/fixture" in table.stdout
    bad = run_cli("--store", str(store_path), "analyze", "licenses", "--format", "graphml")
    assert bad.returncode == 2 and "graphml" in bad.stderr


# --------------------------------------------------------------------------- agreement


def _table(rows: list[tuple[str, str, float, float, bool | None]]) -> pd.DataFrame:
    out = []
    for release, fw, lo, hi, bar in rows:
        scale = (0.0, 1.0) if fw == "index" else (1.0, 5.0)
        out.append(
            {
                "release": release,
                "framework": fw,
                "verdict": "",
                "low": lo,
                "high": hi,
                "scale_min": scale[0],
                "scale_max": scale[1],
                "norm_low": (lo - scale[0]) / (scale[1] - scale[0]),
                "norm_high": (hi - scale[0]) / (scale[1] - scale[0]),
                "is_range": lo != hi,
                "counts_open": bar,
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def test_agreement_ranges_are_excluded_or_midpoints_as_documented() -> None:
    rows = [
        ("r1", "tiers", 5, 5, True),
        ("r1", "index", 0.9, 0.9, None),
        ("r2", "tiers", 4, 4, True),
        ("r2", "index", 0.7, 0.7, None),
        ("r3", "tiers", 1, 1, False),
        ("r3", "index", 0.1, 0.1, None),
        ("r4", "tiers", 1, 5, None),
        ("r4", "index", 0.2, 0.4, None),
    ]
    ex = agreement_from_table(_table(rows), ranges="exclude")
    pair = ex.pairs.iloc[0]
    assert (pair["a"], pair["b"], pair["n"]) == ("index", "tiers", 3)
    assert pair["spearman"] == pytest.approx(1.0)
    mid = agreement_from_table(_table(rows), ranges="midpoint")
    assert mid.pairs.iloc[0]["n"] == 4
    assert ex.matrix.loc["index", "tiers"] == pytest.approx(1.0)
    assert np.isnan(pair["kappa"])  # the Index has no open bar
    assert ex.disagreements.iloc[0]["release"] == "r3" or ex.disagreements["spread"].max() < 0.5
    with pytest.raises(ValueError, match="exclude"):
        agreement_from_table(_table(rows), ranges="lowest")  # type: ignore[arg-type]


def test_agreement_kappa_on_the_open_bar() -> None:
    rows = []
    for i, (a, b) in enumerate([(True, True), (True, True), (False, False), (False, True), (False, False)]):
        rows += [
            (f"r{i}", "x", 5 if a else 1, 5 if a else 1, a),
            (f"r{i}", "y", 5 if b else 1, 5 if b else 1, b),
        ]
    pair = agreement_from_table(_table(rows)).pairs.iloc[0]
    # observed agreement 4/5; chance (2/5 * 3/5) + (3/5 * 2/5) = 12/25: kappa = (0.8 - 0.48) / 0.52
    assert pair["kappa_n"] == 5 and pair["kappa"] == pytest.approx((0.8 - 0.48) / 0.52)


def test_analyze_agreement_cli_writes_matrix_and_picture(store_path: Path, run_cli, tmp_path: Path) -> None:
    svg = tmp_path / "agreement.svg"
    res = run_cli("--store", str(store_path), "analyze", "agreement", "--plot", str(svg))
    assert res.returncode == 0, res.stderr
    assert "Spearman's rho between" in res.stdout
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    csv = run_cli(
        "--store", str(store_path), "analyze", "agreement", "--format", "csv", "--ranges", "midpoint"
    )
    assert csv.stdout.splitlines()[0].startswith("a,b,n,spearman")
    with open_store(str(store_path), read_only=True) as db:
        pairs = agreement(db, ranges="midpoint").pairs
    assert len(csv.stdout.strip().splitlines()) == len(pairs) + 1


# --------------------------------------------------------------------------- time, organizations, charts


def test_timeline_and_organizations(db, store_path: Path, run_cli, tmp_path: Path) -> None:
    t = timeline(db, editions_too=False)
    years = t.by_year[t.by_year["framework"] == "spectrum"]
    assert {2022, 2023} <= set(years["year"].astype(int))
    assert ((years["mean_openness"].dropna() >= 0) & (years["mean_openness"].dropna() <= 1)).all()
    orgs = organizations(db)
    meta = orgs[(orgs["developer_label"] == "Meta") & (orgs["framework"] == "spectrum")].iloc[0]
    assert meta["releases"] >= 1 and meta["first_release"] == "2023-07-18"
    png = tmp_path / "timeline.png"
    res = run_cli(
        "--store",
        str(store_path),
        "analyze",
        "timeline",
        "--no-editions",
        "--plot",
        str(png),
        "--format",
        "json",
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["by_year"] and png.read_bytes()[:4] == b"\x89PNG"
    res = run_cli(
        "--store",
        str(store_path),
        "analyze",
        "organizations",
        "--format",
        "csv",
        "--plot",
        str(tmp_path / "orgs.svg"),
    )
    assert res.returncode == 0 and "developer_label" in res.stdout.splitlines()[0]
    assert (tmp_path / "orgs.svg").exists()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_served_chart_is_svg(db, name: str) -> None:
    svg = CHARTS[name](db)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert CHARTS[name](db) == svg  # deterministic for the same data


def test_lineage_cli_formats_and_usage_errors(store_path: Path, run_cli, tmp_path: Path) -> None:
    res = run_cli("--store", str(store_path), "analyze", "lineage", "--format", "gexf")
    assert res.returncode == 0 and "<gexf" in res.stdout
    res = run_cli("--store", str(store_path), "analyze", "lineage", "--plot", str(tmp_path / "x.gif"))
    assert res.returncode == 2 and ".png or .svg" in res.stderr
    res = run_cli("--store", str(store_path), "analyze", "lenses", "--format", "yaml")
    assert res.returncode == 2


def test_charts_do_not_depend_on_the_hash_seed(store_path: Path) -> None:
    """Served charts can be cached: the same data gives the same bytes in another process."""

    code = (
        "import hashlib, sys; from openness.store import open_store; "
        "from openness.analysis.charts import CHARTS; "
        "db = open_store(sys.argv[1], read_only=True); "
        "print(' '.join(hashlib.sha256(CHARTS[n](db)).hexdigest() for n in sorted(CHARTS)))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code, str(store_path)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1
