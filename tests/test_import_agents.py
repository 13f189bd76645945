"""Organizations spelt differently by different catalogues become one agent (curated aliases)."""

from __future__ import annotations

import pytest
from openness import mint
from openness.importers.base import describe_agent
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS


def test_spellings_of_one_organization_share_one_iri() -> None:
    assert mint.agent_iri("Mistral") == mint.agent_iri("Mistral AI") == mint.agent_iri("mistral ai")
    zhipu = {mint.agent_iri(name) for name in ("Zhipu AI (Z.ai)", "Z.ai (Zhipu AI)", "Zhipu AI")}
    assert len(zhipu) == 1


def test_distinct_organizations_stay_apart() -> None:
    """Conservative: a lab with an identity of its own is not folded into its parent."""
    assert mint.agent_iri("Facebook AI Research") != mint.agent_iri("Meta")
    assert mint.agent_iri("Microsoft Research") != mint.agent_iri("Microsoft")
    assert mint.agent_iri("Google DeepMind") != mint.agent_iri("Google")


def test_the_catalogue_spelling_is_kept_as_an_alternative_label() -> None:
    g = Graph()
    agent = describe_agent(g, mint.agent_iri("StabilityAI"), "StabilityAI")
    assert (agent, RDFS.label, Literal("Stability AI")) in g
    assert (agent, SKOS.altLabel, Literal("StabilityAI")) in g


def test_a_malformed_alias_file_names_its_line(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "curation"
    bad.mkdir()
    (bad / "agent-aliases.csv").write_text("alias,canonical,note\nMistral,Mistral AI,\nonly-one-column\n")
    monkeypatch.setattr("openness.resources.data_dir", lambda: tmp_path)
    mint._agent_aliases.cache_clear()
    try:
        with pytest.raises(mint.CurationError, match=r"agent-aliases.csv:3"):
            mint.agent_iri("Mistral")
    finally:
        mint._agent_aliases.cache_clear()
