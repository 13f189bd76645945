# lenses — each release's profile in Widder, West and Whittaker's terms (frameworks.md §5):
# transparency, reusability, extensibility.
#
# Rule in words. Each lens of og:LensScheme names the spectrum criteria it is derived from
# (og:lensCriterion, ontology/schemes/analysis.ttl; the rule names none). For a release and a
# lens, each criterion's combined status (derived:combined, combine.ru) gives the values it can
# take: Open -> O, Partial -> P, Closed or NotApplicable -> C; Unknown, NotListed or no combined
# status -> any of O, P, C; a contested criterion -> each value its claimants give. The lens is
#   Open     when every criterion is Open,
#   Closed   when every criterion is Closed,
#   Partial  otherwise (a mix, or a Partial criterion).
# Decision L1 (unknowns, as the spectrum's D5): the lens gets every value some choice of the
# criteria's possible values gives: og:possibleStatus for each, og:status only when there is one.
#   Open possible    <=> every criterion can be O           (nO = n)
#   Closed possible  <=> every criterion can be C           (nC = n)
#   Partial possible <=> some criterion can be P, or one criterion can be O and another one C
#                        (nP > 0, or nO > 0 and nC > 0 unless the only O-able criterion is the
#                        only C-able one)
# Decision L2: og:usedClaim lists the claims the combined statuses of the lens's criteria used.
#
# Writes one og:LensVerdict per release x lens into derived:lenses (replacing the focus releases'
# ones): og:lensOf, og:lens, og:status, og:possibleStatus, og:usedClaim, rdfs:label
# ("transparency: partial"; a range: "extensibility: open or closed"), og:rule.
# Every og:ModelRelease gets one per lens. Aggregations only; "#focus ?release" restricts the
# step to the releases a batch touched.

DELETE { GRAPH derived:lenses { ?lv ?p ?o } }
WHERE {
  #focus ?release
  GRAPH derived:lenses { ?lv og:lensOf ?release .
    ?lv ?p ?o } } ;

INSERT { GRAPH derived:lenses {
    ?lv a og:LensVerdict ; og:lensOf ?release ; og:lens ?lens ; og:status ?single ; og:possibleStatus ?ps ;
        rdfs:label ?label ; og:rule rule: ; prov:wasGeneratedBy run: .
} }
WHERE {
  {
    SELECT ?release ?lens (COUNT(?crit) AS ?n) (SUM(?o) AS ?nO) (SUM(?p) AS ?nP) (SUM(?c) AS ?nC)
           (SUM(IF(?o = 1 && ?c = 1, 1, 0)) AS ?nOC)
    WHERE {
      {
        # per release, lens and criterion: which of O, P, C the criterion can be
        SELECT ?release ?lens ?crit (MAX(?known0) AS ?known) (MAX(?o0) AS ?ko) (MAX(?p0) AS ?kp) (MAX(?c0) AS ?kc)
        WHERE {
          ?lens og:lensCriterion ?crit .
          {
            #focus ?release
            ?release a og:ModelRelease .
            BIND(0 AS ?known0) BIND(0 AS ?o0) BIND(0 AS ?p0) BIND(0 AS ?c0) }
          UNION
          {
            #focus ?release
            GRAPH derived:combined { ?cs og:statusOf ?release .
              ?cs og:criterion ?crit ; og:possibleStatus ?ps0 }
            BIND(IF(?ps0 IN (og:Open, og:Partial, og:Closed, og:NotApplicable), 1, 0) AS ?known0)
            BIND(IF(?ps0 = og:Open, 1, 0) AS ?o0)
            BIND(IF(?ps0 = og:Partial, 1, 0) AS ?p0)
            BIND(IF(?ps0 IN (og:Closed, og:NotApplicable), 1, 0) AS ?c0) }
        } GROUP BY ?release ?lens ?crit
      }
      # a criterion with no known value (unknown, not listed, nobody speaks to it) can be anything
      # (a combined status that lists a known value beside Unknown keeps only its known values)
      BIND(IF(?known = 0, 1, ?ko) AS ?o)
      BIND(IF(?known = 0, 1, ?kp) AS ?p)
      BIND(IF(?known = 0, 1, ?kc) AS ?c)
    } GROUP BY ?release ?lens
  }
  BIND(?nO = ?n AS ?canOpen)
  BIND(?nC = ?n AS ?canClosed)
  BIND(?nP > 0 || (?nO > 0 && ?nC > 0 && !(?nO = 1 && ?nC = 1 && ?nOC = 1)) AS ?canPartial)
  VALUES (?ps ?word) { (og:Open "open") (og:Partial "partial") (og:Closed "closed") }
  FILTER(IF(?ps = og:Open, ?canOpen, IF(?ps = og:Partial, ?canPartial, ?canClosed)))
  BIND(IF(?canOpen, 1, 0) + IF(?canPartial, 1, 0) + IF(?canClosed, 1, 0) AS ?k)
  BIND(IF(?k = 1, ?ps, ?unbound) AS ?single)
  BIND(CONCAT(IF(?canOpen, "open", ""), IF(?canOpen && ?canPartial, IF(?canClosed, ", ", " or "), ""),
              IF(?canPartial, "partial", ""), IF((?canOpen || ?canPartial) && ?canClosed, " or ", ""),
              IF(?canClosed, "closed", "")) AS ?range)
  ?lens skos:notation ?lensName .
  BIND(CONCAT(STR(?lensName), ": ", IF(?k = 1, ?word, ?range)) AS ?label)
  BIND(IRI(CONCAT(STR(id:), "lens/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?release), "|", STR(?lens))), 1, 32))) AS ?lv)
} ;

# ---- the claims each lens verdict rests on (those the combined statuses of its criteria used);
# the lens verdict's IRI is computed as above (no lookup), for releases only
INSERT { GRAPH derived:lenses { ?lv og:usedClaim ?used } }
WHERE {
  #focus ?release
  ?lens og:lensCriterion ?crit .
  GRAPH derived:combined { ?cs og:criterion ?crit ; og:statusOf ?release ; og:usedClaim ?used }
  ?release a og:ModelRelease .
  BIND(IRI(CONCAT(STR(id:), "lens/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?release), "|", STR(?lens))), 1, 32))) AS ?lv)
}
