"""The framework rules: running the versioned ``queries/*.rq`` files and using their results.

* :mod:`.runner` loads a rule file, expands its ``#include`` lines, substitutes the as-of date
  and runs it on any :class:`~openness.store.Store`;
* :mod:`.classify` turns rule rows into tidy verdict records;
* :mod:`.assess` writes dated ``og:Assessment`` nodes; :mod:`.diff` compares two dates;
* :mod:`.trace`, :mod:`.disagreements`, :mod:`.openwashing` explain and cross-check verdicts;
* :mod:`.frames` gives the same tables as pandas DataFrames.

The classification logic itself lives in SPARQL; Python only loads, parameterizes and writes.
"""
