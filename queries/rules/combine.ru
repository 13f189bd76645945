# combine — the claim-combining policy, revision 3 ("conflicts shown, not settled silently"),
# steps 4-5; steps 1-3 (liveness, each claimant's newest claim, roll-up) are positions.ru.
#
# Derived step (docs/derived-layer.md): one og:CombinedStatus per subject and criterion in
# derived:combined, from the claimant positions. Every framework rule reads these, never the
# claims, so all frameworks read the same evidence base the same way.
#
#  4. Across claimants, best first (og:rank of the positions): a known status beats og:Unknown
#     and og:NotListed (absence from a listing, or "don't know", is used only when nobody
#     knows); then primary evidence (the developer's own license text, model card, repository)
#     beats third-party judgments; then asserted beats disputed. The winners are the positions
#     tied with the best rank. Newer never beats older across claimants.
#  5. The winners' statuses: one -> og:status; several -> og:contested true and one
#     og:possibleStatus per status (a range: every rule treats it like an unknown that can
#     only take these values). og:possibleStatus is always written; nothing is picked silently.
#  6. og:usedClaim: the claims of the winning positions; og:setAside: every other live claim
#     (older claims of a claimant, outranked claimants). og:claimedLicense: the licenses the
#     winning positions' claims name. og:disputed true when the winners are disputed.
#
# Decision record: docs/decisions.md ("combine revision 3"). Aggregations only; "#focus ?s" is
# where the engine restricts the step to the subjects a batch touched.

DELETE { GRAPH derived:combined { ?cs ?p ?o } }
WHERE {
  #focus ?s
  GRAPH derived:combined { ?cs og:statusOf ?s .
    ?cs ?p ?o }
} ;

# ---- (1) the combined status: the best rank, the winners' statuses (one, or a contested range)
INSERT { GRAPH derived:combined {
    ?cs a og:CombinedStatus ; og:statusOf ?s ; og:criterion ?crit ; og:rank ?best ;
        og:status ?single ; og:possibleStatus ?pst ; og:contested ?contested ; og:disputed ?disputed .
} }
WHERE {
  {
    # the best rank per subject and criterion, and how many statuses the winners give
    SELECT ?s ?crit ?best (COUNT(DISTINCT ?wst) AS ?n) (SAMPLE(?wst) AS ?one) WHERE {
      {
        SELECT ?s ?crit (MAX(?r0) AS ?best) WHERE {
          #focus ?s
          GRAPH derived:positions { ?p0 og:statusOf ?s .
            ?p0 og:criterion ?crit ; og:rank ?r0 }
        } GROUP BY ?s ?crit
      }
      GRAPH derived:positions { ?p1 og:statusOf ?s ; og:criterion ?crit ; og:rank ?best ; og:status ?wst }
    } GROUP BY ?s ?crit ?best
  }
  # the winners' statuses, one row each (joined on subject and criterion: the rank alone is a
  # few distinct values, a poor key)
  GRAPH derived:positions { ?win og:statusOf ?s ; og:criterion ?crit ; og:rank ?wr ; og:status ?pst }
  FILTER(?wr = ?best)
  BIND(IRI(CONCAT(STR(id:), "status/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?s), "|", STR(?crit))), 1, 32))) AS ?cs)
  BIND(?n > 1 AS ?contested)
  BIND(IF(?n = 1, ?one, ?unbound) AS ?single)
  BIND(SUBSTR(?best, 3, 1) = "0" AS ?disputed)
} ;

# ---- (2) the positions weighed, the claims used (the winners' own used claims) and set aside
# (older claims of any claimant, every claim of an outranked one), the licenses the winners name.
# One triple-pattern join per kind of link: no UNION that would read every position's links.
INSERT { GRAPH derived:combined { ?cs og:position ?pos ; og:usedClaim ?used ; og:setAside ?aside . } }
WHERE {
  #focus ?s
  GRAPH derived:combined { ?cs og:statusOf ?s ; og:rank ?best . }
  GRAPH derived:positions { ?pos og:weighedIn ?cs ; og:rank ?r ; og:usedClaim ?pc . }
  BIND(IF(?r = ?best, ?pc, ?unbound) AS ?used)
  BIND(IF(?r = ?best, ?unbound, ?pc) AS ?aside)
} ;

INSERT { GRAPH derived:combined { ?cs og:setAside ?pc . } }
WHERE {
  #focus ?s
  GRAPH derived:combined { ?cs og:statusOf ?s . }
  GRAPH derived:positions { ?pos og:weighedIn ?cs ; og:setAside ?pc . }
} ;

INSERT { GRAPH derived:combined { ?cs og:claimedLicense ?lic . } }
WHERE {
  #focus ?s
  GRAPH derived:combined { ?cs og:statusOf ?s ; og:rank ?best . }
  GRAPH derived:positions { ?pos og:weighedIn ?cs ; og:rank ?best ; og:claimedLicense ?lic . }
}
