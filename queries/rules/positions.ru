# positions — what each claimant says about each criterion of a subject (combine policy
# revision 3, steps 1-3; step 4-5 are combine.ru).
#
# Derived step (docs/derived-layer.md): one og:ClaimantPosition per (subject, criterion,
# claimant) in derived:positions. Pages show them side by side ("MOT: partial; the Index: open"),
# disagreements.rq compares them, combine.ru weighs them.
#
#  1. Live claims only: og:assertedOn <= the as-of date (the literal "9999-12-31" means
#     "everything known"; the engine replaces it); og:Retracted never counts; a claim with
#     og:supersededBy stops counting once its successor is known; og:Superseded with no link
#     never counts.
#  2. A claimant's newest claim replaces only its OWN older claims: per (subject, claimant, the
#     claim's own criterion) only the claims with the newest og:assertedOn count; the older ones
#     are og:setAside. Claims of other claimants are never replaced by date.
#  3. A claim about criterion K also speaks to every criterion K og:informs. The counted claims
#     of one claimant that speak to one criterion roll up: all the same known status -> that
#     status; Open / Partial / Closed mixed -> og:Partial (some of it is out, some is not);
#     og:NotApplicable is left out of a mix with Open / Partial / Closed. A claimant with no
#     known status says og:NotListed if any of its claims does, else og:Unknown.
#  The position's og:rank orders positions for combine.ru: three digits, best highest:
#  known status (1) or not (0); primary evidence (1: the developer's own artifact) or not;
#  asserted (1) or disputed (0, when every counted claim is og:Disputed).
#
# UNION + GROUP BY aggregations only (no per-row OPTIONAL or FILTER EXISTS). "#focus ?s" marks
# where the engine restricts the step to the subjects a batch touched (a VALUES block).

DELETE { GRAPH derived:positions { ?pos ?p ?o } }
WHERE {
  #focus ?s
  GRAPH derived:positions { ?pos og:statusOf ?s .
    ?pos ?p ?o }
} ;

# ---- (1) every live claim about the focus subjects, with its facts, into derived:scratch-claims
# (dropped at the end of the step). Each UNION branch gives its own rows, the focus first in each;
# later operations join aggregates with triple patterns of the scratch graph (index lookups),
# never two sub-queries (Oxigraph would re-run one per row of the other).
INSERT { GRAPH derived:scratch-claims {
    ?c og:statusOf ?s ; og:criterion ?k ; og:claimant ?w ; og:status ?st ; og:assertedOn ?d ;
       og:rank ?crank ; og:claimedLicense ?licIri .
} }
WHERE {
  {
    SELECT ?c (MAX(?s0) AS ?sS) (MAX(?k0) AS ?kS) (MAX(?w0) AS ?wS) (MAX(?st0) AS ?stS) (MAX(?d0) AS ?d)
           (MAX(?kill0) AS ?kill) (MAX(?sup0) AS ?sup) (MAX(?lnk0) AS ?lnk) (MAX(?pr0) AS ?prim)
           (MIN(?as0) AS ?asserted) (MAX(?l0) AS ?lic)
    WHERE {
      {
        #focus ?s
        ?c og:about ?s ; og:criterion ?k ; og:claimant ?w ; og:assertedOn ?dd .
        FILTER(STR(?dd) <= "9999-12-31")
        BIND(STR(?s) AS ?s0) BIND(STR(?k) AS ?k0) BIND(STR(?w) AS ?w0) BIND("" AS ?st0) BIND(STR(?dd) AS ?d0)
        BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?as0) BIND("" AS ?l0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:status ?x .
        BIND("" AS ?s0) BIND("" AS ?k0) BIND("" AS ?w0) BIND(STR(?x) AS ?st0) BIND("" AS ?d0)
        BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?as0) BIND("" AS ?l0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s . GRAPH derived:claim-status { ?c og:status ?x }
        BIND("" AS ?s0) BIND("" AS ?k0) BIND("" AS ?w0) BIND(STR(?x) AS ?st0) BIND("" AS ?d0)
        BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?as0) BIND("" AS ?l0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:standing ?sd .
        BIND("" AS ?s0) BIND("" AS ?k0) BIND("" AS ?w0) BIND("" AS ?st0) BIND("" AS ?d0)
        BIND(IF(?sd = og:Retracted, 1, 0) AS ?kill0) BIND(IF(?sd = og:Superseded, 1, 0) AS ?sup0)
        BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(IF(?sd = og:Disputed, 0, 1) AS ?as0) BIND("" AS ?l0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:supersededBy ?next . ?next og:assertedOn ?nd .
        BIND("" AS ?s0) BIND("" AS ?k0) BIND("" AS ?w0) BIND("" AS ?st0) BIND("" AS ?d0)
        BIND(IF(STR(?nd) <= "9999-12-31", 1, 0) AS ?kill0) BIND(0 AS ?sup0) BIND(1 AS ?lnk0)
        BIND(0 AS ?pr0) BIND(1 AS ?as0) BIND("" AS ?l0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:evidence ?ev . ?ev og:evidenceKind og:PrimaryEvidence .
        BIND("" AS ?s0) BIND("" AS ?k0) BIND("" AS ?w0) BIND("" AS ?st0) BIND("" AS ?d0)
        BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(1 AS ?pr0) BIND(1 AS ?as0) BIND("" AS ?l0)
      }
      UNION {
        #focus ?s
        ?c og:about ?s ; og:claimedLicense ?cl .
        BIND("" AS ?s0) BIND("" AS ?k0) BIND("" AS ?w0) BIND("" AS ?st0) BIND("" AS ?d0)
        BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?as0) BIND(STR(?cl) AS ?l0)
      }
    } GROUP BY ?c
  }
  FILTER(?d != "" && ?stS != "" && ?kill = 0 && !(?sup = 1 && ?lnk = 0))
  BIND(IRI(?sS) AS ?s) BIND(IRI(?kS) AS ?k) BIND(IRI(?wS) AS ?w) BIND(IRI(?stS) AS ?st)
  # a claim's rank digits: primary evidence, asserted (the known digit is the roll-up's)
  BIND(CONCAT(STR(?prim), STR(?asserted)) AS ?crank)
  BIND(IF(?lic != "", IRI(?lic), ?unbound) AS ?licIri)
} ;

# ---- (2) each claimant's newest claims per subject and own criterion count (rule 2)
INSERT { GRAPH derived:scratch-claims { ?c og:counted ?counted } }
WHERE {
  {
    SELECT ?s ?k ?w (MAX(?d0) AS ?newest) WHERE {
      GRAPH derived:scratch-claims { ?c0 og:statusOf ?s ; og:criterion ?k ; og:claimant ?w ; og:assertedOn ?d0 }
    } GROUP BY ?s ?k ?w
  }
  GRAPH derived:scratch-claims { ?c og:statusOf ?s ; og:criterion ?k ; og:claimant ?w ; og:assertedOn ?d }
  BIND(?d = ?newest AS ?counted)
} ;

# ---- (3) the positions: per (subject, criterion spoken to, claimant), the roll-up of the
# counted claims (rule 3); a claim speaks to its own criterion and every one it og:informs
INSERT { GRAPH derived:positions {
    ?pos a og:ClaimantPosition ; og:statusOf ?s ; og:criterion ?crit ; og:claimant ?w ;
        og:status ?wstatus ; og:rank ?wrank ; og:weighedIn ?cs .
} }
WHERE {
  {
    SELECT ?s ?crit ?w
           (MAX(IF(?counted && ?st = og:Closed, 3, IF(?counted && ?st = og:Partial, 2, IF(?counted && ?st = og:Open, 1, 0)))) AS ?hi)
           (MIN(IF(?counted && ?st = og:Closed, 3, IF(?counted && ?st = og:Partial, 2, IF(?counted && ?st = og:Open, 1, 9)))) AS ?lo)
           (MAX(IF(?counted && ?st = og:NotApplicable, 1, 0)) AS ?na) (MAX(IF(?counted && ?st = og:NotListed, 1, 0)) AS ?nl)
           (MAX(IF(?counted, SUBSTR(?crank, 1, 1), "0")) AS ?wprim) (MAX(IF(?counted, SUBSTR(?crank, 2, 1), "0")) AS ?wasserted)
    WHERE {
      { GRAPH derived:scratch-claims { ?r og:statusOf ?s ; og:criterion ?crit ; og:claimant ?w ; og:status ?st ;
                                          og:counted ?counted ; og:rank ?crank . } }
      UNION
      { GRAPH derived:scratch-claims { ?r og:statusOf ?s ; og:criterion ?k ; og:claimant ?w ; og:status ?st ;
                                          og:counted ?counted ; og:rank ?crank . }
        ?k og:informs ?crit }
    } GROUP BY ?s ?crit ?w
  }
  # the claimant's status: one known status, or Partial when Open / Partial / Closed mix
  BIND(IF(?hi > 0, IF(?hi = ?lo, IF(?hi = 3, og:Closed, IF(?hi = 2, og:Partial, og:Open)), og:Partial),
       IF(?na = 1, og:NotApplicable, IF(?nl = 1, og:NotListed, og:Unknown))) AS ?wstatus)
  BIND(CONCAT(IF(?hi > 0 || ?na = 1, "1", "0"), ?wprim, ?wasserted) AS ?wrank)
  BIND(IRI(CONCAT(STR(id:), "position/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?s), "|", STR(?crit), "|", STR(?w))), 1, 32))) AS ?pos)
  # the combined status that will weigh it (combine.ru names it the same way)
  BIND(IRI(CONCAT(STR(id:), "status/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?s), "|", STR(?crit))), 1, 32))) AS ?cs)
} ;

# ---- (4) the positions' claims: a counted claim is used (it makes the position), an older one
# of the same claimant is set aside; the licenses the used claims name
INSERT { GRAPH derived:positions { ?pos og:usedClaim ?usedClaim ; og:setAside ?asideClaim ; og:claimedLicense ?lic . } }
WHERE {
  { GRAPH derived:scratch-claims { ?c og:statusOf ?s ; og:claimant ?w ; og:criterion ?crit ; og:counted ?counted . } }
  UNION
  { GRAPH derived:scratch-claims { ?c og:statusOf ?s ; og:claimant ?w ; og:criterion ?k ; og:counted ?counted . }
    ?k og:informs ?crit }
  UNION
  { GRAPH derived:scratch-claims { ?lc og:statusOf ?s ; og:claimant ?w ; og:criterion ?crit ; og:counted true ; og:claimedLicense ?lic . } }
  UNION
  { GRAPH derived:scratch-claims { ?lc og:statusOf ?s ; og:claimant ?w ; og:criterion ?lk ; og:counted true ; og:claimedLicense ?lic . }
    ?lk og:informs ?crit }
  BIND(IRI(CONCAT(STR(id:), "position/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?s), "|", STR(?crit), "|", STR(?w))), 1, 32))) AS ?pos)
  BIND(IF(BOUND(?c) && ?counted, ?c, ?unbound) AS ?usedClaim)
  BIND(IF(BOUND(?c) && !?counted, ?c, ?unbound) AS ?asideClaim)
} ;

DROP SILENT GRAPH derived:scratch-claims
