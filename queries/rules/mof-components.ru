# mof-components — per release and MOF component: included? under which license? open? (MOF 1.0)
#
# Derived step (docs/derived-layer.md), shared by mof.ru and osaid.ru so that both read one
# judgment of each component: one og:MOFComponentStatus per (release, component) in
# derived:mof-components, for every release with a combined status on some MOF component (a
# component nobody speaks to gets a node too, with og:possibleStatus og:Unknown).
#
#  * og:possibleStatus: the combined statuses (derived:combined, combine.ru) of the component;
#    og:Unknown when no claimant speaks to it. og:contested true when claimants disagree.
#  * og:included true when EVERY possible status is og:Open or og:Partial (included under open
#    terms, or under restricted or no terms: the license is judged below). A contested component
#    counts only if every value a claimant gives counts (conservative); og:Closed,
#    og:NotApplicable, og:Unknown and og:NotListed are not included (the frameworks tell them
#    apart in their reasons: MOF calls og:NotListed "missing", as the Model Openness Tool's
#    evaluator does; OSAID calls it unknown).
#  * og:licenseFrom, the license precedence of MOF 1.0 and of MOT's evaluator ("Is there a
#    license attached to the component? If yes, use that. If not, is there a type-specific
#    global license for the component? ... If not, is there a global license? ... If not, there
#    is no license"): the component's own criterion when its combined status names a license
#    (og:claimedLicense); else the release-level license criterion of og:MOFReleaseLicenseScheme
#    with the component's og:contentType (mof:CodeLicense, mof:DataLicense, mof:DocumentLicense)
#    when it names one; else mof:DistributionLicense when it names one; else none.
#  * og:effectiveLicense: the licenses that criterion's combined status names (several when
#    claimants name several); og:openlyLicensed: every one has open terms (og:openTerms of
#    derived:licenses, license-terms.ru: the product's one definition of an open license);
#    og:osiLicensed: every one has OSI terms (og:osiTerms); no license, and og:Unlicensed, are
#    neither (included but not open: "no license is not open", MOT).
#  * og:typeAppropriate: every effective license is meant for the component's content type — its
#    og:licenseContentType values include it; a license without og:licenseContentType counts as
#    a code license when it has OSI terms (MOT's evaluator counts an open license of the wrong
#    type and flags it; mof.ru does the same with og:wrongTypeLicense).
#  * og:usedClaim / og:setAside: the component's own claims (used and set aside by combine.ru),
#    plus the claims of the release-level license it inherits.
#
# UNION + GROUP BY aggregations only (no per-row OPTIONAL or FILTER EXISTS); "#focus ?release"
# is where the engine restricts the step to the releases a batch touched.

DELETE { GRAPH derived:mof-components { ?n ?p ?o } }
WHERE {
  GRAPH derived:mof-components {
    #focus ?release
    ?n og:statusOf ?release ; ?p ?o }
} ;

# ---- the component's node: inclusion, whether it is contested, where its license comes from.
# Each UNION branch gives rows (release, component) on its own, vocabulary first (cheap to scan);
# the aggregate keeps the releases MOF speaks to (a combined status on some MOF component).
INSERT { GRAPH derived:mof-components {
    ?n a og:MOFComponentStatus ; og:statusOf ?release ; og:criterion ?comp ;
       og:possibleStatus ?psNone ; og:included ?included ; og:contested ?contested ;
       og:licenseFrom ?from ; og:openlyLicensed ?noTerms ; og:osiLicensed ?noTerms ; og:typeAppropriate ?noTerms .
} }
WHERE {
  {
    SELECT ?release ?comp (MAX(?base0) AS ?base) (MAX(?has0) AS ?has) (MIN(?in0) AS ?allIn) (MAX(?con0) AS ?con)
           (MAX(?own0) AS ?own) (MAX(?typed0) AS ?typed) (MAX(?tc0) AS ?typedCrit) (MAX(?dist0) AS ?dist)
    WHERE {
      # every branch binds every variable (an unbound value would make the aggregate unbound)
      {
        # every MOF component of every release MOF speaks to
        { SELECT DISTINCT ?release WHERE {
            ?k0 og:mofComponentId ?anyId .
            GRAPH derived:combined {
              #focus ?release
              ?c0 og:criterion ?k0 ; og:statusOf ?release } } }
        ?comp og:mofComponentId ?cid .
        BIND(1 AS ?base0) BIND(0 AS ?has0) BIND(1 AS ?in0) BIND(0 AS ?con0) BIND(0 AS ?own0) BIND(0 AS ?typed0)
        BIND("" AS ?tc0) BIND(0 AS ?dist0)
      }
      UNION
      { ?comp og:mofComponentId ?cid1 .
        GRAPH derived:combined {
          #focus ?release
          ?c1 og:criterion ?comp ; og:statusOf ?release ; og:possibleStatus ?ps1 }
        BIND(0 AS ?base0) BIND(1 AS ?has0) BIND(IF(?ps1 IN (og:Open, og:Partial), 1, 0) AS ?in0) BIND(0 AS ?con0)
        BIND(0 AS ?own0) BIND(0 AS ?typed0) BIND("" AS ?tc0) BIND(0 AS ?dist0) }
      UNION
      { ?comp og:mofComponentId ?cid2 .
        GRAPH derived:combined {
          #focus ?release
          ?c2 og:criterion ?comp ; og:statusOf ?release ; og:contested true }
        BIND(0 AS ?base0) BIND(0 AS ?has0) BIND(1 AS ?in0) BIND(1 AS ?con0) BIND(0 AS ?own0) BIND(0 AS ?typed0)
        BIND("" AS ?tc0) BIND(0 AS ?dist0) }
      UNION
      { ?comp og:mofComponentId ?cid3 .
        GRAPH derived:combined {
          #focus ?release
          ?c3 og:criterion ?comp ; og:statusOf ?release ; og:claimedLicense ?l3 }
        BIND(0 AS ?base0) BIND(0 AS ?has0) BIND(1 AS ?in0) BIND(0 AS ?con0) BIND(1 AS ?own0) BIND(0 AS ?typed0)
        BIND("" AS ?tc0) BIND(0 AS ?dist0) }
      UNION
      { ?rl skos:inScheme og:MOFReleaseLicenseScheme ; og:contentType ?ct .
        ?comp og:mofComponentId ?cid4 ; og:contentType ?ct .
        GRAPH derived:combined {
          #focus ?release
          ?c4 og:criterion ?rl ; og:statusOf ?release ; og:claimedLicense ?l4 }
        BIND(0 AS ?base0) BIND(0 AS ?has0) BIND(1 AS ?in0) BIND(0 AS ?con0) BIND(0 AS ?own0) BIND(1 AS ?typed0)
        BIND(STR(?rl) AS ?tc0) BIND(0 AS ?dist0) }
      UNION
      { ?comp og:mofComponentId ?cid5 .
        GRAPH derived:combined {
          #focus ?release
          ?c5 og:criterion mof:DistributionLicense ; og:statusOf ?release ; og:claimedLicense ?l5 }
        BIND(0 AS ?base0) BIND(0 AS ?has0) BIND(1 AS ?in0) BIND(0 AS ?con0) BIND(0 AS ?own0) BIND(0 AS ?typed0)
        BIND("" AS ?tc0) BIND(1 AS ?dist0) }
    }
    GROUP BY ?release ?comp
  }
  FILTER(?base = 1)
  BIND(IRI(CONCAT(STR(id:), "mof-component/", SUBSTR(SHA256(CONCAT(STR(derived:), "|", STR(?release), "|", STR(?comp))), 1, 32))) AS ?n)
  BIND(?has = 1 && ?allIn = 1 AS ?included)
  BIND(?con = 1 AS ?contested)
  BIND(IF(?has = 0, og:Unknown, ?unbound) AS ?psNone)
  BIND(IF(?own = 1, ?comp, IF(?typed = 1, IRI(?typedCrit), IF(?dist = 1, mof:DistributionLicense, ?unbound))) AS ?from)
  BIND(IF(BOUND(?from), ?unbound, false) AS ?noTerms)
} ;

# ---- the component's possible statuses and claims, copied from its combined status
# (each side a sub-query of its own: evaluated once and joined, not looked up per row)
INSERT { GRAPH derived:mof-components { ?n ?p ?o } }
WHERE {
  { SELECT ?n ?release ?comp WHERE {
      GRAPH derived:mof-components {
        #focus ?release
        ?n og:statusOf ?release ; og:criterion ?comp } } }
  { SELECT ?release ?comp ?p ?o WHERE {
      ?comp og:mofComponentId ?cid .
      GRAPH derived:combined {
        #focus ?release
        ?cs og:criterion ?comp ; og:statusOf ?release ; ?p ?o }
      FILTER(?p IN (og:possibleStatus, og:usedClaim, og:setAside)) } }
} ;

# ---- the effective licenses, their terms, and the claims of an inherited release-level license
INSERT { GRAPH derived:mof-components {
    ?n og:effectiveLicense ?lic ; og:openlyLicensed ?open ; og:osiLicensed ?osi ; og:typeAppropriate ?typeOK ;
       og:usedClaim ?inheritedUsed ; og:setAside ?inheritedAside .
} }
WHERE {
  {
    SELECT ?n ?release ?comp ?from (MIN(?o0) AS ?o) (MIN(?i0) AS ?i) (MIN(?t0) AS ?t) WHERE {
      { SELECT ?n ?release ?comp ?from ?ct WHERE {
          GRAPH derived:mof-components {
            #focus ?release
            ?n og:statusOf ?release ; og:criterion ?comp ; og:licenseFrom ?from }
          ?comp og:contentType ?ct . } }
      { SELECT ?release ?from ?l WHERE {
          GRAPH derived:combined {
            #focus ?release
            ?cs og:statusOf ?release ; og:criterion ?from ; og:claimedLicense ?l } } }
      {
        # what is known of each license: open terms, OSI terms, the content types it is meant for
        SELECT ?l (MAX(?ot0) AS ?ot) (MAX(?oi0) AS ?oi) (MAX(?ty0) AS ?typed) (GROUP_CONCAT(?lt0; separator=" ") AS ?ltypes) WHERE {
          { GRAPH derived:licenses { ?l og:openTerms ?ot1 ; og:osiTerms ?oi1 }
            BIND(IF(?ot1, 1, 0) AS ?ot0) BIND(IF(?oi1, 1, 0) AS ?oi0) BIND(0 AS ?ty0) BIND("" AS ?lt0) }
          UNION { ?l og:licenseContentType ?lct . BIND(0 AS ?ot0) BIND(0 AS ?oi0) BIND(1 AS ?ty0) BIND(STR(?lct) AS ?lt0) }
        } GROUP BY ?l
      }
      BIND(IF(IF(?typed = 1, CONTAINS(?ltypes, STR(?ct)), ?oi = 1 && ?ct = og:CodeContent), 1, 0) AS ?t0)
      BIND(?ot AS ?o0)
      BIND(?oi AS ?i0)
    } GROUP BY ?n ?release ?comp ?from
  }
  BIND(?o = 1 AS ?open)
  BIND(?i = 1 AS ?osi)
  BIND(?t = 1 AS ?typeOK)
  { SELECT ?release ?from ?p7 ?o7 WHERE {
      GRAPH derived:combined {
        #focus ?release
        ?c7 og:statusOf ?release ; og:criterion ?from ; ?p7 ?o7 }
      FILTER(?p7 IN (og:claimedLicense, og:usedClaim, og:setAside)) } }
  BIND(IF(?p7 = og:claimedLicense, ?o7, ?unbound) AS ?lic)
  BIND(IF(?from != ?comp && ?p7 = og:usedClaim, ?o7, ?unbound) AS ?inheritedUsed)
  BIND(IF(?from != ?comp && ?p7 = og:setAside, ?o7, ?unbound) AS ?inheritedAside)
}
