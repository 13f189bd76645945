# claim-status — the status of a claim that records a source's own value (docs/derived-layer.md).
#
# Importers record what a source says (og:sourceValue, a concept of the source's value scheme in
# ontology/schemes/sources-*.ttl, and og:claimedLicense when the source names terms); this rule
# maps it to the common scale, into derived:claim-status, so that the mapping is data:
#  * a value with og:statusByTerms true and a claimed license: an og:ProprietaryLicense ->
#    og:Closed (nothing released); else every claimed license has open terms (og:openTerms,
#    license-terms.ru) -> og:Open; else (og:Unlicensed, a restrictive license) -> og:Partial;
#  * otherwise the value's og:mapsToStatus.
# A claim that states its own og:status is left alone (a person or curator judged it). A value
# with no mapping gives no status (the shapes require one of og:mapsToStatus / og:statusByTerms).

DELETE { GRAPH derived:claim-status { ?c og:status ?old } }
WHERE {
  #focus ?s
  ?c og:about ?s . GRAPH derived:claim-status { ?c og:status ?old }
} ;

# statuses of claims that are gone (their batch was replaced or dropped)
DELETE { GRAPH derived:claim-status { ?c og:status ?old } }
WHERE { GRAPH derived:claim-status { ?c og:status ?old } MINUS { ?c og:sourceValue ?anyValue } } ;

INSERT { GRAPH derived:claim-status { ?c og:status ?status } }
WHERE {
  {
    # every UNION branch gives its own rows (Oxigraph joins in written order: a branch that needed
    # the rows before it would be run once per row); the focus comes first in each
    SELECT ?c (MAX(?m0) AS ?m) (MAX(?bt0) AS ?bt) (MAX(?has0) AS ?has) (MIN(?open0) AS ?open) (MAX(?prop0) AS ?prop)
           (MAX(?st0) AS ?stated)
    WHERE {
      {
        #focus ?s
        ?c og:about ?s ; og:sourceValue ?v . ?v og:mapsToStatus ?mapped .
        BIND(STR(?mapped) AS ?m0) BIND(0 AS ?bt0) BIND(0 AS ?has0) BIND(1 AS ?open0) BIND(0 AS ?prop0) BIND(0 AS ?st0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:sourceValue ?v . ?v og:statusByTerms true .
        BIND("" AS ?m0) BIND(1 AS ?bt0) BIND(0 AS ?has0) BIND(1 AS ?open0) BIND(0 AS ?prop0) BIND(0 AS ?st0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:claimedLicense ?l . GRAPH derived:licenses { ?l og:openTerms ?ot }
        BIND("" AS ?m0) BIND(0 AS ?bt0) BIND(1 AS ?has0) BIND(IF(?ot, 1, 0) AS ?open0) BIND(0 AS ?prop0) BIND(0 AS ?st0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:claimedLicense ?pl . ?pl a og:ProprietaryLicense .
        BIND("" AS ?m0) BIND(0 AS ?bt0) BIND(1 AS ?has0) BIND(1 AS ?open0) BIND(1 AS ?prop0) BIND(0 AS ?st0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:status ?own .
        BIND("" AS ?m0) BIND(0 AS ?bt0) BIND(0 AS ?has0) BIND(1 AS ?open0) BIND(0 AS ?prop0) BIND(1 AS ?st0)
      }
    } GROUP BY ?c
  }
  FILTER(?stated = 0 && (?m != "" || ?bt = 1))
  BIND(IF(?bt = 1 && ?has = 1, IF(?prop = 1, og:Closed, IF(?open = 1, og:Open, og:Partial)),
          IF(?m != "", IRI(?m), ?unbound)) AS ?status)
}
