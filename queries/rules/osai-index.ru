# osai-index — European Open Source AI Index score, version 2 (derived layer).
#
# Rule in words (frameworks.md §4): twelve dimensions, each open / partial / closed, scored
# open = 1, partial = 0.5, closed = 0. Score = mean of the twelve; group scores likewise. The
# dimensions and their groups are vocabulary (og:indexGroup, ontology/rules.ttl):
#   availability  (og:OSAIAvailability) : datasources_basemodel datasources_endmodel weights_basemodel
#                                          weights_endmodel trainingcode
#   documentation (og:OSAIDocumentation): code hardware_architecture preprint paper modelcard datasheet
#   access        (og:OSAIAccess)       : licenses
# Each dimension's status is its combined status (derived:combined, combine.ru revision 3): a
# claimant's newest claim replaces its own older ones, so an older Index edition's value stops
# counting once the newer edition of the same claimant speaks (it is set aside, kept as history).
# Decisions:
#  * Only releases with a combined status on at least one of the twelve dimensions are assessed.
#  * A dimension with no claim, or og:Unknown, og:NotListed (absence from a listing) or
#    og:NotApplicable (the Index's empty class), is unknown: it could be anything from 0 to 1.
#    A contested dimension (claimants disagree) could be any of the values they give. Either
#    way the score is a range: og:scoreMin / og:scoreMax (og:score is left out: never computed
#    as if closed); og:missingCriterion names the unknown dimensions, og:contestedCriterion the
#    contested ones. Group scores follow the same rule.
#  * No verdict concept: the verdict is the score (og:verdictLabel "score 0.5417", or
#    "score 0.4583–0.625" for a range). Scores are written to four decimals.
#
# Writes one og:Assessment per release into derived:staging (publish.ru makes it current), with
# og:reason, one sentence: "score 0.5417 (availability 0.6, documentation 0.58, access 0.5)"
# (group scores to two decimals), and og:groupScore nodes (<assessment>-group-<n>, og:group,
# og:score or og:scoreMin / og:scoreMax). The IRI is a hash of the content (release, rule
# version, scores, reason, claims), so an unchanged verdict keeps its node.
# UNION + GROUP BY aggregations only; "#focus ?release" marks every scan of derived data.

INSERT { GRAPH derived:staging {
    ?a a og:Assessment ; og:assessedRelease ?release ; og:framework og:OSAIIndex ; og:rule rule: ;
       og:verdictLabel ?label ; og:reason ?reason ; og:score ?score ; og:scoreMin ?scoreMin ; og:scoreMax ?scoreMax ;
       og:asOf ?asOf ; og:assessedOn ?now ; prov:wasGeneratedBy run: ;
       og:groupScore ?gs ; og:missingCriterion ?missing ; og:contestedCriterion ?contestedDim .
    ?gs og:group ?egroup ; og:score ?gscore ; og:scoreMin ?gmin ; og:scoreMax ?gmax .
} }
WHERE {
  {
    # ---- per release: sums of the lowest and highest value of each dimension, per group
    SELECT ?release (SUM(?lo) AS ?lo0) (SUM(?hi) AS ?hi0) (COUNT(?dim) AS ?n0)
      (SUM(IF(?group = og:OSAIAvailability, ?lo, 0.0)) AS ?loA) (SUM(IF(?group = og:OSAIAvailability, ?hi, 0.0)) AS ?hiA)
      (SUM(IF(?group = og:OSAIAvailability, 1, 0)) AS ?nA)
      (SUM(IF(?group = og:OSAIDocumentation, ?lo, 0.0)) AS ?loD) (SUM(IF(?group = og:OSAIDocumentation, ?hi, 0.0)) AS ?hiD)
      (SUM(IF(?group = og:OSAIDocumentation, 1, 0)) AS ?nD)
      (SUM(IF(?group = og:OSAIAccess, ?lo, 0.0)) AS ?loX) (SUM(IF(?group = og:OSAIAccess, ?hi, 0.0)) AS ?hiX)
      (SUM(IF(?group = og:OSAIAccess, 1, 0)) AS ?nX)
      (GROUP_CONCAT(IF(?unknown, ?dname, ""); separator="|") AS ?unk0)
      (GROUP_CONCAT(IF(?contested, ?dname, ""); separator="|") AS ?con0)
      (GROUP_CONCAT(IF(?unknown, CONCAT("<", STR(?dim), ">"), ""); separator="") AS ?missingList)
      (GROUP_CONCAT(IF(?contested, CONCAT("<", STR(?dim), ">"), ""); separator="") AS ?contestedList)
    WHERE {
      {
        SELECT ?release ?dim ?group ?dname ?lo ?hi ?unknown ?contested WHERE {
          {
            # ---- per (release, dimension): the lowest and highest value it can have. Each UNION
            # branch gives its rows on its own (vocabulary first); neutral values where it says nothing
            SELECT ?release ?dim ?group (MAX(?has0) AS ?has) (MIN(?lo1) AS ?lo2) (MAX(?hi1) AS ?hi2)
                   (MAX(?u1) AS ?u) (MAX(?c1) AS ?c) WHERE {
              {
                # every dimension of every release the Index speaks to
                { SELECT DISTINCT ?release WHERE {
                    ?k0 og:indexGroup ?anyGroup .
                    GRAPH derived:combined {
                      #focus ?release
                      ?c0 og:criterion ?k0 ; og:statusOf ?release } } }
                ?dim og:indexGroup ?group .
                BIND(0 AS ?has0) BIND(1.0 AS ?lo1) BIND(0.0 AS ?hi1) BIND(0 AS ?u1) BIND(0 AS ?c1)
              }
              UNION
              { ?dim og:indexGroup ?group .
                GRAPH derived:combined {
                  #focus ?release
                  ?cs og:criterion ?dim ; og:statusOf ?release ; og:possibleStatus ?ps }
                BIND(1 AS ?has0) BIND(0 AS ?c1)
                BIND(IF(?ps = og:Open, 1.0, IF(?ps = og:Partial, 0.5, 0.0)) AS ?lo1)
                BIND(IF(?ps = og:Partial, 0.5, IF(?ps = og:Closed, 0.0, 1.0)) AS ?hi1)
                BIND(IF(?ps IN (og:Open, og:Partial, og:Closed), 0, 1) AS ?u1) }
              UNION
              { ?dim og:indexGroup ?group .
                GRAPH derived:combined {
                  #focus ?release
                  ?cc og:criterion ?dim ; og:statusOf ?release ; og:contested true }
                BIND(0 AS ?has0) BIND(1.0 AS ?lo1) BIND(0.0 AS ?hi1) BIND(0 AS ?u1) BIND(1 AS ?c1) }
            }
            GROUP BY ?release ?dim ?group
          }
          {
            SELECT ?dim (LCASE(MIN(STR(?pl))) AS ?dname) WHERE {
              ?dim og:indexGroup ?g0 ; skos:prefLabel ?pl .
            } GROUP BY ?dim
          }
          BIND(IF(?has = 0, 0.0, ?lo2) AS ?lo)
          BIND(IF(?has = 0, 1.0, ?hi2) AS ?hi)
          BIND(?has = 0 || ?u = 1 AS ?unknown)
          BIND(?c = 1 && ?u = 0 AS ?contested)
        }
        ORDER BY ?release ?dname
      }
    }
    GROUP BY ?release
  }
  {
    # the claims the verdict rests on, in a fixed order: part of the assessment's identity
    SELECT ?release (SHA256(GROUP_CONCAT(?entry; separator=" ")) AS ?claimsDigest) WHERE {
      {
        SELECT DISTINCT ?release ?entry WHERE {
          { ?k2 og:indexGroup ?g2 .
            GRAPH derived:combined {
              #focus ?release
              ?cs2 og:criterion ?k2 ; og:statusOf ?release ; ?cp ?cl }
            FILTER(?cp IN (og:usedClaim, og:setAside))
            BIND(CONCAT(IF(?cp = og:usedClaim, "u", "a"), STR(?cl)) AS ?entry) }
          UNION
          { ?k3 og:indexGroup ?g3 .
            GRAPH derived:combined {
              #focus ?release
              ?cs3 og:criterion ?k3 ; og:statusOf ?release }
            BIND("" AS ?entry) }
        } ORDER BY ?release ?entry
      }
    } GROUP BY ?release
  }
  # ---- scores (four decimals), label, reason
  BIND(ROUND(?lo0 / ?n0 * 10000) / 10000 AS ?min)
  BIND(ROUND(?hi0 / ?n0 * 10000) / 10000 AS ?max)
  BIND(IF(?min = ?max, ?min, ?unbound) AS ?score)
  BIND(IF(?min != ?max, ?min, ?unbound) AS ?scoreMin)
  BIND(IF(?min != ?max, ?max, ?unbound) AS ?scoreMax)
  BIND(IF(?min = ?max, CONCAT("score ", STR(?min)), CONCAT("score ", STR(?min), "–", STR(?max))) AS ?label)
  BIND(ROUND(?loA / ?nA * 10000) / 10000 AS ?minA) BIND(ROUND(?hiA / ?nA * 10000) / 10000 AS ?maxA)
  BIND(ROUND(?loD / ?nD * 10000) / 10000 AS ?minD) BIND(ROUND(?hiD / ?nD * 10000) / 10000 AS ?maxD)
  BIND(ROUND(?loX / ?nX * 10000) / 10000 AS ?minX) BIND(ROUND(?hiX / ?nX * 10000) / 10000 AS ?maxX)
  BIND(IF(?minA = ?maxA, STR(ROUND(?minA * 100) / 100), CONCAT(STR(ROUND(?minA * 100) / 100), "–", STR(ROUND(?maxA * 100) / 100))) AS ?tA)
  BIND(IF(?minD = ?maxD, STR(ROUND(?minD * 100) / 100), CONCAT(STR(ROUND(?minD * 100) / 100), "–", STR(ROUND(?maxD * 100) / 100))) AS ?tD)
  BIND(IF(?minX = ?maxX, STR(ROUND(?minX * 100) / 100), CONCAT(STR(ROUND(?minX * 100) / 100), "–", STR(ROUND(?maxX * 100) / 100))) AS ?tX)
  BIND(REPLACE(REPLACE(REPLACE(?unk0, "\\|+", "|"), "^\\||\\|$", ""), "\\|", ", ") AS ?unknowns)
  BIND(REPLACE(REPLACE(REPLACE(?con0, "\\|+", "|"), "^\\||\\|$", ""), "\\|", ", ") AS ?contesteds)
  BIND(CONCAT(?label, " (availability ", ?tA, ", documentation ", ?tD, ", access ", ?tX,
              IF(?unknowns != "", CONCAT("; unknown: ", ?unknowns), ""),
              IF(?contesteds != "", CONCAT("; contested: ", ?contesteds), ""), ")") AS ?reason)
  BIND(IF("9999-12-31" = CONCAT("9999", "-12-31"), ?unbound, STRDT("9999-12-31", xsd:date)) AS ?asOf)
  BIND(NOW() AS ?now)
  BIND(IRI(CONCAT(STR(id:), "assessment/", SUBSTR(SHA256(CONCAT(STR(?release), "|", STR(og:OSAIIndex), "|", STR(rule:), "|",
       COALESCE(STR(?asOf), ""), "|", ?label, "|", ?reason, "|",
       STR(?minA), " ", STR(?maxA), " ", STR(?minD), " ", STR(?maxD), " ", STR(?minX), " ", STR(?maxX), "|",
       ?missingList, "|", ?contestedList, "|", ?claimsDigest)), 1, 32))) AS ?a)
  # ---- list rows: the assessment, its group scores, its unknown and contested dimensions
  {
    { BIND("main" AS ?row) }
    UNION
    { ?egroup skos:inScheme og:OSAIIndexGroupScheme ; skos:notation ?gkey . }
    UNION
    { ?edim og:indexGroup ?eg . }
  }
  BIND(IF(BOUND(?egroup), IRI(CONCAT(STR(?a), "-group-", STR(?gkey))), ?unbound) AS ?gs)
  BIND(IF(?egroup = og:OSAIAvailability, ?minA, IF(?egroup = og:OSAIDocumentation, ?minD, ?minX)) AS ?gmin0)
  BIND(IF(?egroup = og:OSAIAvailability, ?maxA, IF(?egroup = og:OSAIDocumentation, ?maxD, ?maxX)) AS ?gmax0)
  BIND(IF(?gmin0 = ?gmax0, ?gmin0, ?unbound) AS ?gscore)
  BIND(IF(?gmin0 != ?gmax0, ?gmin0, ?unbound) AS ?gmin)
  BIND(IF(?gmin0 != ?gmax0, ?gmax0, ?unbound) AS ?gmax)
  BIND(CONCAT("<", STR(?edim), ">") AS ?ekey)
  BIND(IF(BOUND(?edim) && CONTAINS(?missingList, ?ekey), ?edim, ?unbound) AS ?missing)
  BIND(IF(BOUND(?edim) && CONTAINS(?contestedList, ?ekey), ?edim, ?unbound) AS ?contestedDim)
} ;

# ---- the claims of each staged Index assessment: those on the twelve dimensions
INSERT { GRAPH derived:staging { ?a ?p ?claim } }
WHERE {
  { SELECT ?a ?release WHERE { GRAPH derived:staging { ?a og:assessedRelease ?release ; og:framework og:OSAIIndex } } }
  { SELECT ?release ?p ?claim WHERE {
      ?dim og:indexGroup ?group .
      GRAPH derived:combined {
        #focus ?release
        ?cs og:criterion ?dim ; og:statusOf ?release ; ?p ?claim }
      FILTER(?p IN (og:usedClaim, og:setAside)) } }
}
