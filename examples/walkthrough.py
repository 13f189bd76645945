"""A researcher's walk-through of openness-graph: load, classify, lineage, license conflicts,
agreement between frameworks, lenses, plots.

Run it as it is (``python examples/walkthrough.py [--store PATH] [--out DIR]``): without
``--store`` it builds a small store in memory from the bundled examples (the report's spectrum,
four Hugging Face model cards) plus a few real catalogue records (Model Openness Tool, both
European Open Source AI Index editions) — seconds, not the minutes of ``openness build`` — and
writes its charts to ``--out`` (default: ``walkthrough-out/``). With ``--store`` it reads an
existing store (e.g. one made by ``openness build``) and changes nothing.

Every number below is read from stored assessments and derived data (openness.analysis); no
framework rule runs in this script.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import openness.analysis as analysis
from openness.analysis import charts
from openness.gate import ingest_files
from openness.importers.build import import_source
from openness.resources import data_dir
from openness.store import Store, open_store
from openness.verdicts import read

#: A few real catalogue records: Llama 2 and the fine-tunes of it, Mistral, OLMo, DeepSeek.
RECORDS = {
    ("mot", "mot/models"): [
        "Llama-2-7B.yml",
        "Llama-2-13B.yml",
        "Mistral-7B-v0.1.yml",
        "OLMo-7B.yml",
        "DeepSeek-V3.yml",
        "DeepSeek-R1.yml",
        "Pythia-1.4B.yml",
    ],
    ("osai", "osai-index"): [
        "Mistral.yaml",
        "OLMo.yaml",
        "WizardLM.yaml",
        "ChatMusician.yaml",
        "CodeLlama.yaml",
    ],
    ("osai-legacy", "osai-index-v1.0.2"): ["Mistral.yaml", "OLMo.yaml", "WizardLM.yaml", "llama-2-chat.yaml"],
}


def small_store() -> Store:
    """An in-memory store: the bundled examples, the model cards and a few catalogue records."""
    store = open_store(":memory:")
    examples = data_dir() / "examples"
    ingest_files(store, [examples / "report-spectrum.ttl", examples / "primary-evidence.ttl"])
    import_source(store, "hf-card", examples / "hf-cards")
    sources = data_dir() / "sources"
    with tempfile.TemporaryDirectory() as tmp:
        for (source, folder), names in RECORDS.items():
            target = Path(tmp) / folder.replace("/", "-")
            target.mkdir()
            for name in names:
                shutil.copy(sources / folder / name, target / name)
            import_source(store, source, target)
    return store


def section(title: str) -> None:
    print(f"\n== {title}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="an existing store (default: a small one built in memory)")
    parser.add_argument("--out", default="walkthrough-out", help="where the charts go")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    section("1. load")
    store = open_store(args.store, read_only=True) if args.store else small_store()
    releases = store.select(
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/openness/ns#ModelRelease> }"
    )
    print(f"{int(releases[0]['n'])} releases in the store")

    section("2. classify (stored assessments)")
    table = analysis.verdict_table(store)
    print(table.groupby("framework")["verdict"].value_counts().head(12).to_string())
    llama = [v for v in read(store, framework="spectrum") if v.release.endswith("/llama-2")]
    if llama:
        print("Llama 2, spectrum:", llama[0].reason)

    section("3. lineage")
    g = analysis.lineage_graph(store)
    print(
        f"{g.number_of_nodes()} releases, {g.number_of_edges()} derivations "
        f"({', '.join(sorted({k for *_e, k in g.edges(keys=True)}))})"
    )
    print(analysis.base_models(g)[["label", "direct", "descendants", "depth"]].head(5).to_string(index=False))

    section("4. license conflicts (derivatives dropping their base's terms)")
    conflicts = analysis.license_conflicts(store)
    for row in conflicts.itertuples():
        print(
            f"{row.derivative_label} ({row.derivative_license_labels}) <- {row.relation} {row.base_label} "
            f"({row.base_license_label}): drops {row.missing}"
        )
    if conflicts.empty:
        print("none")

    section("5. agreement between frameworks")
    result = analysis.agreement(store)
    print(result.pairs[["a", "b", "n", "spearman", "kendall", "kappa"]].to_string(index=False))
    print(result.disagreements.drop(columns=["release"]).head(5).to_string(index=False))

    section("6. lenses (Widder, West and Whittaker) and open-access")
    lenses = analysis.lens_profiles(store)
    print(
        lenses[["label", "transparency", "reusability", "extensibility", "open_access"]]
        .head(8)
        .to_string(index=False)
    )

    section("7. plots")
    figures = {
        "tiers.svg": charts.figure_tiers(table),
        "agreement.png": charts.figure_agreement(result),
        "lineage.png": charts.figure_lineage(g),
        "timeline.svg": charts.figure_timeline(analysis.timeline(store, editions_too=args.store is None)),
        "lenses.svg": charts.figure_lenses(lenses),
    }
    for name, fig in figures.items():
        print("wrote", charts.save(fig, out / name))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
