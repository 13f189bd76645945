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
  GRAPH derived:positions { ?pos og:statusOf ?s . #focus ?s
    ?pos ?p ?o }
} ;

INSERT { GRAPH derived:positions {
    ?pos a og:ClaimantPosition ; og:statusOf ?s ; og:criterion ?crit ; og:claimant ?w ;
        og:status ?wstatus ; og:rank ?wrank ;
        og:usedClaim ?usedClaim ; og:setAside ?asideClaim ; og:claimedLicense ?usedLicense .
} }
WHERE {
  {
    # ---- one row per (claim, criterion it speaks to), with the claim's liveness and date
    SELECT ?c ?s ?k ?crit ?w ?st ?d ?prim ?disp ?lic ?newest WHERE {
      {
        SELECT ?c (MAX(?d0) AS ?d) (MAX(?kill0) AS ?kill) (MAX(?sup0) AS ?sup) (MAX(?lnk0) AS ?lnk)
               (MAX(?pr0) AS ?prim) (MIN(?di0) AS ?disp) (MAX(?l0) AS ?lic) WHERE {
          ?c og:about ?s0 . #focus ?s0
          # every branch binds every variable: an unbound value would make MAX unbound
          { ?c og:assertedOn ?dd . FILTER(STR(?dd) <= "9999-12-31")
            BIND(STR(?dd) AS ?d0) BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(0 AS ?di0) BIND("" AS ?l0) }
          UNION { ?c og:standing ?sd . FILTER(?sd != og:Disputed)
            BIND("" AS ?d0) BIND(IF(?sd = og:Retracted, 1, 0) AS ?kill0) BIND(IF(?sd = og:Superseded, 1, 0) AS ?sup0)
            BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?di0) BIND("" AS ?l0) }
          UNION { ?c og:standing og:Disputed .
            BIND("" AS ?d0) BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(0 AS ?di0) BIND("" AS ?l0) }
          UNION { ?c og:supersededBy ?next . ?next og:assertedOn ?nd .
            BIND("" AS ?d0) BIND(IF(STR(?nd) <= "9999-12-31", 1, 0) AS ?kill0) BIND(0 AS ?sup0) BIND(1 AS ?lnk0)
            BIND(0 AS ?pr0) BIND(1 AS ?di0) BIND("" AS ?l0) }
          UNION { ?c og:evidence ?ev . ?ev og:evidenceKind og:PrimaryEvidence .
            BIND("" AS ?d0) BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(1 AS ?pr0) BIND(1 AS ?di0) BIND("" AS ?l0) }
          UNION { ?c og:claimedLicense ?cl .
            BIND("" AS ?d0) BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?di0) BIND(STR(?cl) AS ?l0) }
          UNION { ?c og:claimant ?anyone .
            BIND("" AS ?d0) BIND(0 AS ?kill0) BIND(0 AS ?sup0) BIND(0 AS ?lnk0) BIND(0 AS ?pr0) BIND(1 AS ?di0) BIND("" AS ?l0) }
        } GROUP BY ?c
      }
      FILTER(?d != "" && ?kill = 0 && !(?sup = 1 && ?lnk = 0))
      ?c og:about ?s ; og:claimant ?w .
      # the criterion spoken to: the claim's own, and every one it informs (rule 3)
      { ?c og:criterion ?k . BIND(?k AS ?crit) } UNION { ?c og:criterion ?k . ?k og:informs ?crit }
      { ?c og:status ?st } UNION { GRAPH derived:claim-status { ?c og:status ?st } }
      {
        # the newest date of each claimant per subject and own criterion (rule 2)
        SELECT ?s ?k ?w (MAX(STR(?dn)) AS ?newest) WHERE {
          ?cn og:about ?s . #focus ?s
          ?cn og:criterion ?k ; og:claimant ?w ; og:assertedOn ?dn .
          FILTER(STR(?dn) <= "9999-12-31")
        } GROUP BY ?s ?k ?w
      }
    }
  }
  {
    # ---- the claimant's roll-up over its counted claims on (subject, criterion)
    SELECT ?s ?crit ?w
           (MAX(IF(?counted2 && ?st2 = og:Closed, 3, IF(?counted2 && ?st2 = og:Partial, 2, IF(?counted2 && ?st2 = og:Open, 1, 0)))) AS ?hi)
           (MIN(IF(?counted2 && ?st2 = og:Closed, 3, IF(?counted2 && ?st2 = og:Partial, 2, IF(?counted2 && ?st2 = og:Open, 1, 9)))) AS ?lo)
           (MAX(IF(?counted2 && ?st2 = og:NotApplicable, 1, 0)) AS ?na) (MAX(IF(?counted2 && ?st2 = og:NotListed, 1, 0)) AS ?nl)
           (MAX(IF(?counted2, ?prim2, 0)) AS ?wprim) (MAX(IF(?counted2, ?disp2, 0)) AS ?wasserted)
    WHERE {
      {
        SELECT ?c2 (MAX(?d2a) AS ?d2) (MAX(?kill2a) AS ?kill2) (MAX(?sup2a) AS ?sup2) (MAX(?lnk2a) AS ?lnk2)
               (MAX(?pr2a) AS ?prim2) (MIN(?di2a) AS ?disp2) WHERE {
          ?c2 og:about ?s2 . #focus ?s2
          { ?c2 og:assertedOn ?dd2 . FILTER(STR(?dd2) <= "9999-12-31")
            BIND(STR(?dd2) AS ?d2a) BIND(0 AS ?kill2a) BIND(0 AS ?sup2a) BIND(0 AS ?lnk2a) BIND(0 AS ?pr2a) BIND(1 AS ?di2a) }
          UNION { ?c2 og:standing ?sd2 .
            BIND("" AS ?d2a) BIND(IF(?sd2 = og:Retracted, 1, 0) AS ?kill2a) BIND(IF(?sd2 = og:Superseded, 1, 0) AS ?sup2a)
            BIND(0 AS ?lnk2a) BIND(0 AS ?pr2a) BIND(IF(?sd2 = og:Disputed, 0, 1) AS ?di2a) }
          UNION { ?c2 og:supersededBy ?next2 . ?next2 og:assertedOn ?nd2 .
            BIND("" AS ?d2a) BIND(IF(STR(?nd2) <= "9999-12-31", 1, 0) AS ?kill2a) BIND(0 AS ?sup2a) BIND(1 AS ?lnk2a)
            BIND(0 AS ?pr2a) BIND(1 AS ?di2a) }
          UNION { ?c2 og:evidence ?ev2 . ?ev2 og:evidenceKind og:PrimaryEvidence .
            BIND("" AS ?d2a) BIND(0 AS ?kill2a) BIND(0 AS ?sup2a) BIND(0 AS ?lnk2a) BIND(1 AS ?pr2a) BIND(1 AS ?di2a) }
        } GROUP BY ?c2
      }
      FILTER(?d2 != "" && ?kill2 = 0 && !(?sup2 = 1 && ?lnk2 = 0))
      ?c2 og:about ?s ; og:claimant ?w .
      { ?c2 og:criterion ?k2 . BIND(?k2 AS ?crit) } UNION { ?c2 og:criterion ?k2 . ?k2 og:informs ?crit }
      { ?c2 og:status ?st2 } UNION { GRAPH derived:claim-status { ?c2 og:status ?st2 } }
      {
        SELECT ?s ?k2 ?w (MAX(STR(?dn2)) AS ?newest2) WHERE {
          ?cn2 og:about ?s . #focus ?s
          ?cn2 og:criterion ?k2 ; og:claimant ?w ; og:assertedOn ?dn2 .
          FILTER(STR(?dn2) <= "9999-12-31")
        } GROUP BY ?s ?k2 ?w
      }
      BIND(?d2 = ?newest2 AS ?counted2)
    } GROUP BY ?s ?crit ?w
  }
  BIND(?d = ?newest AS ?counted)
  # the claimant's status: one known status, or Partial when Open / Partial / Closed mix
  BIND(IF(?hi > 0, IF(?hi = ?lo, IF(?hi = 3, og:Closed, IF(?hi = 2, og:Partial, og:Open)), og:Partial),
       IF(?na = 1, og:NotApplicable, IF(?nl = 1, og:NotListed, og:Unknown))) AS ?wstatus)
  BIND(CONCAT(IF(?hi > 0 || ?na = 1, "1", "0"), STR(?wprim), STR(?wasserted)) AS ?wrank)
  BIND(IRI(CONCAT(STR(id:), "position/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?s), "|", STR(?crit), "|", STR(?w))), 1, 32))) AS ?pos)
  # a counted claim of the claimant is used (it makes the position), the others are set aside
  BIND(IF(?counted, ?c, ?unbound) AS ?usedClaim)
  BIND(IF(?counted, ?unbound, ?c) AS ?asideClaim)
  BIND(IF(?counted && ?lic != "", IRI(?lic), ?unbound) AS ?usedLicense)
}
