# publish — make the staged assessments current; keep every replaced one as history.
#
# Derived step (docs/derived-layer.md), after every framework rule has written its assessments
# for the focus releases into derived:staging:
#  1. a current assessment (derived:assessments) of a focus release that was not staged again —
#     its verdict, rule version or claims changed, or the framework no longer judges the release
#     — moves to derived:history with og:replacedOn, never deleted;
#  2. a staged assessment that was history once (the same content came back) leaves history;
#  3. a staged assessment that is not current yet becomes current; one that is current already
#     (nothing changed) keeps its node and its first og:assessedOn;
#  4. staging is emptied.
# An assessment's parts (attribute verdicts, progress, group scores) are nodes whose IRI starts
# with the assessment's IRI and "-", and move with it.

INSERT { GRAPH derived:history { ?s ?p ?o . ?a og:replacedOn ?now } }
WHERE {
  GRAPH derived:assessments {
    #focus ?r
    ?a og:assessedRelease ?r .
    { ?a ?p ?o . BIND(?a AS ?s) }
    UNION { ?a ?link ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?a), "-"))) ?s ?p ?o }
  }
  MINUS { GRAPH derived:staging { ?a a og:Assessment } }
  BIND(NOW() AS ?now)
} ;

DELETE { GRAPH derived:assessments { ?s ?p ?o } }
WHERE {
  GRAPH derived:assessments {
    #focus ?r
    ?a og:assessedRelease ?r .
    { ?a ?p ?o . BIND(?a AS ?s) }
    UNION { ?a ?link ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?a), "-"))) ?s ?p ?o }
  }
  MINUS { GRAPH derived:staging { ?a a og:Assessment } }
} ;

DELETE { GRAPH derived:history { ?s ?p ?o } }
WHERE {
  GRAPH derived:staging { ?a a og:Assessment }
  GRAPH derived:history {
    { ?a ?p ?o . BIND(?a AS ?s) }
    UNION { ?a ?link ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?a), "-"))) ?s ?p ?o }
  }
} ;

INSERT { GRAPH derived:assessments { ?s ?p ?o } }
WHERE {
  GRAPH derived:staging {
    ?a a og:Assessment .
    { ?a ?p ?o . BIND(?a AS ?s) }
    UNION { ?a ?link ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?a), "-"))) ?s ?p ?o }
  }
  MINUS { GRAPH derived:assessments { ?a a og:Assessment } }
} ;

DROP SILENT GRAPH derived:staging
