# license-terms — the one definition of an open license, applied (docs/derived-layer.md).
#
# Rule in words: a license has open terms (og:openTerms true) when a live license fact says
# status og:Open for a criterion of og:OpenTermsCriteria (ontology/schemes/core.ttl): OSI-approved,
# FSF-libre, accepted by the Model Openness Framework (MOT's own evaluator's list of open data and
# content licenses, and OpenMDW), or curated open (data/curation/open-licenses.csv). It has OSI
# terms (og:osiTerms true) when such a fact exists for a criterion of og:OSITermsCriteria
# (OSI-approved or FSF-libre): what the Open Source AI Definition asks of code. Every license
# node and every license a claim names gets both values; og:Unlicensed gets false.
# A fact is live when asserted by the as-of date, not retracted and not superseded.
# Small (a few hundred licenses), so it always runs whole (og:EverythingFocus).

DROP SILENT GRAPH derived:licenses ;

INSERT { GRAPH derived:licenses { ?l og:openTerms ?open ; og:osiTerms ?osi . } }
WHERE {
  {
    SELECT ?l (MAX(?o0) AS ?o) (MAX(?i0) AS ?i) WHERE {
      { ?l a og:License . BIND(0 AS ?o0) BIND(0 AS ?i0) }
      UNION { ?anyClaim og:claimedLicense ?l . BIND(0 AS ?o0) BIND(0 AS ?i0) }
      UNION {
        {
          SELECT ?fact ?l ?fc (MAX(?live0) AS ?live) (MIN(?ok0) AS ?ok) WHERE {
            ?fact og:about ?l ; og:criterion ?fc ; og:status og:Open .
            { og:OpenTermsCriteria skos:member ?fc }
            { ?fact og:assertedOn ?fd . BIND(IF(STR(?fd) <= "9999-12-31", 1, 0) AS ?live0) BIND(1 AS ?ok0) }
            UNION { ?fact og:standing ?fs . BIND(0 AS ?live0)
                    BIND(IF(?fs IN (og:Retracted, og:Superseded), 0, 1) AS ?ok0) }
          } GROUP BY ?fact ?l ?fc
        }
        FILTER(?live = 1 && ?ok = 1)
        { SELECT ?fc (MAX(IF(?coll = og:OSITermsCriteria, 1, 0)) AS ?isOsi) WHERE {
            ?coll skos:member ?fc . FILTER(?coll IN (og:OpenTermsCriteria, og:OSITermsCriteria)) } GROUP BY ?fc }
        BIND(1 AS ?o0) BIND(?isOsi AS ?i0)
      }
    } GROUP BY ?l
  }
  BIND(?o = 1 && ?l != og:Unlicensed AS ?open)
  BIND(?i = 1 && ?l != og:Unlicensed AS ?osi)
}
