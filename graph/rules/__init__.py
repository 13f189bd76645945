"""Readers and cross-checks of the derived layer (docs/derived-layer.md).

The rules themselves are SPARQL Update files in ``queries/rules/``, run by :mod:`openness.derive`
when a batch lands; verdicts are read by :mod:`openness.verdicts`. This package holds what reads
them further:

* :mod:`.trace` — the chain behind a verdict (queries/trace.rq);
* :mod:`.disagreements`, :mod:`.openwashing` — cross-checks (queries/disagreements.rq,
  queries/openwashing.rq);
* :mod:`.diff` — verdicts that changed between two as-of views.

DataFrames for notebooks are in :mod:`openness.frames`.
"""
