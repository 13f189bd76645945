# mof — Model Openness Framework 1.0 (LF AI & Data): class and progress, version 2 (derived layer).
#
# Rule in words (frameworks.md §2; the evaluator of the Model Openness Tool, MOT, at commit
# 8b5d30e: web/modules/mof/src/ModelEvaluator.php). The 17 components come from
# ontology/schemes/mof.ttl (og:mofClass 1/2/3, og:mofRequired, og:contentType,
# og:mofComponentId); classes are cumulative: Class III needs the required class-3 components,
# Class II adds the class-2 ones, Class I the class-1 ones.
#  * Per component this rule reads derived:mof-components (mof-components.ru): og:included (every
#    possible combined status is Open or Partial), og:openlyLicensed (the license by MOF's
#    precedence — own, else the release's license for the content type, else the distribution
#    license, else none — has open terms; og:Unlicensed and none are included but not open),
#    og:typeAppropriate, og:contested and the possible statuses. A required component COUNTS when
#    it is included and openly licensed.
#  * Absence from MOT's listing (og:NotListed) is not included, as MOT's evaluator counts it, and
#    the reason says "not listed" (not "missing": the catalogue does not say it does not exist); og:Unknown (e.g. MOT's "Undisclosed"), or no claim at all, is not included and
#    called unknown; og:Closed and og:NotApplicable are "not included".
#  * Contested components (claimants disagree, combine revision 3) count only if every value a
#    claimant gives counts (conservative); they are named in og:contestedCriterion and, when they
#    block the next class, in the reason.
#  * Wrong type: an openly licensed component whose license is meant for another content type
#    still counts (MOT: "conditional pass") and is named in og:wrongTypeLicense.
#  * Progress per class = counted ÷ required, cumulative over the classes it includes.
#  * Research paper for technical report (MOT: "The technical report (cid 11) MAY be omitted if a
#    research paper (cid 21) is provided"): when the technical report does not count and the
#    research paper does, the paper fills the report's place in Classes III and II, and for
#    Class I the required count drops by one (og:paperForReport true).
#  * Gating (MOT's getProgress): while Class III is incomplete, Classes II and I show 0; while
#    Class II is incomplete, Class I shows 0.
#  * Class: the highest class at 100 % (I > II > III), else og:MOFUnclassified. Never a range:
#    unknown and contested components do not count, so the class is the one the evidence shows.
#  * og:missingCriterion: the unknown components that block the next class, when nothing else
#    blocks it (knowing them could change the class); og:contestedCriterion: every contested
#    component.
#  * A release with no combined status on any MOF component is not assessed (no verdict: unknown,
#    never "unclassified").
#
# Writes one og:Assessment per release into derived:staging (publish.ru makes it current), with
# og:reason, one sentence: the class and what blocks the next one, e.g. "unclassified: Class III
# 5 of 6 (model card not openly licensed)", and og:progress nodes (<assessment>-progress-N, with
# og:mofClass N and og:score). The IRI is a hash of the content (release, rule version, class,
# progress, reason, flags, claims), so an unchanged verdict keeps its node.
# UNION + GROUP BY aggregations only; "#focus ?release" marks every scan of derived data.

INSERT { GRAPH derived:staging {
    ?a a og:Assessment ; og:assessedRelease ?release ; og:framework og:MOF-1.0 ; og:rule rule: ;
       og:verdict ?verdict ; og:verdictLabel ?label ; og:reason ?reason ;
       og:asOf ?asOf ; og:assessedOn ?now ; prov:wasGeneratedBy run: ;
       og:paperForReport ?paperForReport ; og:progress ?prog ;
       og:wrongTypeLicense ?wrong ; og:missingCriterion ?missing ; og:contestedCriterion ?contestedComp .
    ?prog og:mofClass ?pk ; og:score ?pscore .
} }
WHERE {
  {
    SELECT ?release ?N3 ?N2 ?N1 ?trOK ?paperOK
      (SUM(IF(?counted && ?req && ?cls = 3 && ?comp != mof:TechnicalReport, 1, 0)) AS ?s3x)
      (SUM(IF(?counted && ?req && ?cls = 2, 1, 0)) AS ?s2)
      (SUM(IF(?counted && ?req && ?cls = 1, 1, 0)) AS ?s1)
      # what blocks each class (cumulative), in component-id order
      (GROUP_CONCAT(IF(?block && ?cls = 3, ?phrase, ""); separator="|") AS ?b3)
      (GROUP_CONCAT(IF(?block && ?cls >= 2, ?phrase, ""); separator="|") AS ?b2)
      (GROUP_CONCAT(IF(?block, ?phrase, ""); separator="|") AS ?b1)
      (SUM(IF(?block && ?cls = 3 && !?soft, 1, 0)) AS ?hard3)
      (SUM(IF(?block && ?cls >= 2 && !?soft, 1, 0)) AS ?hard2)
      (SUM(IF(?block && !?soft, 1, 0)) AS ?hard1)
      (GROUP_CONCAT(IF(?block && ?cls = 3 && ?unknown, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?u3)
      (GROUP_CONCAT(IF(?block && ?cls >= 2 && ?unknown, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?u2)
      (GROUP_CONCAT(IF(?block && ?unknown, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?u1)
      (GROUP_CONCAT(IF(?counted && !?typeOK, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?wrongList)
      (GROUP_CONCAT(IF(?con, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?contestedList)
    WHERE {
      {
        SELECT ?release ?N3 ?N2 ?N1 ?trOK ?paperOK ?comp ?cls ?req ?counted ?typeOK ?con ?block ?phrase ?unknown ?soft
        WHERE {
          {
            # per release: do the technical report and the research paper count?
            SELECT ?release (MAX(IF(?tc = mof:TechnicalReport && ?ti && ?to, 1, 0)) AS ?trOK)
                   (MAX(IF(?tc = mof:ResearchPaper && ?ti && ?to, 1, 0)) AS ?paperOK) WHERE {
              #focus ?release
              GRAPH derived:mof-components { ?t og:statusOf ?release .
                ?t og:criterion ?tc ; og:included ?ti ; og:openlyLicensed ?to }
            } GROUP BY ?release
          }
          {
            # required counts per class, from the scheme
            SELECT (SUM(IF(?rq && ?rc = 3, 1, 0)) AS ?N3) (SUM(IF(?rq && ?rc = 2, 1, 0)) AS ?N2)
                   (SUM(IF(?rq && ?rc = 1, 1, 0)) AS ?N1)
            WHERE { ?rcomp og:mofComponentId ?rid ; og:mofClass ?rc ; og:mofRequired ?rq . }
          }
          {
            # per component: its facts and the letters of its possible statuses
            # (O open, P partial, C closed, N not applicable, L not listed, U unknown)
            SELECT ?release ?comp ?inc ?open ?typeOK ?con (GROUP_CONCAT(DISTINCT ?letter; separator="") AS ?letters) WHERE {
              #focus ?release
              GRAPH derived:mof-components { ?n og:statusOf ?release .
                ?n og:criterion ?comp ; og:included ?inc ; og:openlyLicensed ?open ; og:typeAppropriate ?typeOK ;
                   og:contested ?con ; og:possibleStatus ?ps }
              BIND(IF(?ps = og:Open, "O", IF(?ps = og:Partial, "P", IF(?ps = og:Closed, "C",
                   IF(?ps = og:NotApplicable, "N", IF(?ps = og:NotListed, "L", "U"))))) AS ?letter)
            } GROUP BY ?release ?comp ?inc ?open ?typeOK ?con
          }
          {
            SELECT ?comp ?cid ?cls ?req (LCASE(MIN(STR(?pl))) AS ?name) WHERE {
              ?comp og:mofComponentId ?cid ; og:mofClass ?cls ; og:mofRequired ?req ; skos:prefLabel ?pl .
            } GROUP BY ?comp ?cid ?cls ?req
          }
          BIND(?inc && ?open AS ?counted)
          BIND(?trOK = 0 && ?paperOK = 1 AS ?pfr)
          # a required component that does not count blocks its class and the ones above it,
          # except the technical report when the research paper takes its place
          BIND(?req && !?counted && !(?comp = mof:TechnicalReport && ?pfr) AS ?block)
          BIND(!?inc && (CONTAINS(?letters, "O") || CONTAINS(?letters, "P")) AS ?split)
          BIND(!?inc && !?split && CONTAINS(?letters, "U") AS ?unknown)
          BIND(?unknown || ?split AS ?soft)
          BIND(IF(?inc, CONCAT(?name, " not openly licensed"), IF(?split, CONCAT(?name, " contested"),
               IF(?unknown, CONCAT(?name, " unknown"), IF(CONTAINS(?letters, "L"), CONCAT(?name, " not listed"),
               CONCAT(?name, " not included"))))) AS ?phrase)
        }
        ORDER BY ?release ?cid
      }
    }
    GROUP BY ?release ?N3 ?N2 ?N1 ?trOK ?paperOK
  }
  {
    # the claims the verdict rests on, in a fixed order: part of the assessment's identity
    SELECT ?release (SHA256(GROUP_CONCAT(?entry; separator=" ")) AS ?claimsDigest) WHERE {
      {
        SELECT DISTINCT ?release ?entry WHERE {
          { GRAPH derived:mof-components {
              #focus ?release
              ?cn og:statusOf ?release ; ?cp ?cl }
            FILTER(?cp IN (og:usedClaim, og:setAside))
            BIND(CONCAT(IF(?cp = og:usedClaim, "u", "a"), STR(?cl)) AS ?entry) }
          UNION
          { GRAPH derived:mof-components {
              #focus ?release
              ?cn0 og:statusOf ?release }
            BIND("" AS ?entry) }
        } ORDER BY ?release ?entry
      }
    } GROUP BY ?release
  }
  # ---- progress (MOT's getProgress), class, reason
  BIND(?trOK = 0 && ?paperOK = 1 AS ?paperForReport)
  BIND(IF(?paperForReport, 1, 0) AS ?subst)
  BIND(?s3x + IF(?trOK = 1 || ?paperOK = 1, 1, 0) AS ?sat3)
  BIND(?sat3 / ?N3 AS ?p3)
  BIND(IF(?sat3 = ?N3, (?sat3 + ?s2) / (?N3 + ?N2), 0) AS ?p2)
  BIND(IF(?sat3 = ?N3 && ?s2 = ?N2, (?sat3 + ?s2 + ?s1 - ?subst) / (?N3 + ?N2 + ?N1 - ?subst), 0) AS ?p1)
  BIND(ROUND(?p3 * 10000) / 10000 AS ?p3r)
  BIND(ROUND(?p2 * 10000) / 10000 AS ?p2r)
  BIND(ROUND(?p1 * 10000) / 10000 AS ?p1r)
  BIND(IF(?p1 = 1, og:MOFClassI, IF(?p2 = 1, og:MOFClassII, IF(?p3 = 1, og:MOFClassIII, og:MOFUnclassified))) AS ?verdict)
  BIND(IF(?p1 = 1, "Class I (Open Science)", IF(?p2 = 1, "Class II (Open Tooling)",
       IF(?p3 = 1, "Class III (Open Model)", "unclassified"))) AS ?label)
  # the next class, how far the release is towards it, and what blocks it
  BIND(IF(?p1 = 1, 0, IF(?p2 = 1, 1, IF(?p3 = 1, 2, 3))) AS ?next)
  BIND(IF(?next = 3, ?sat3, IF(?next = 2, ?sat3 + ?s2, ?sat3 + ?s2 + ?s1 - ?subst)) AS ?have)
  BIND(IF(?next = 3, ?N3, IF(?next = 2, ?N3 + ?N2, ?N3 + ?N2 + ?N1 - ?subst)) AS ?need)
  BIND(IF(?next = 3, ?b3, IF(?next = 2, ?b2, ?b1)) AS ?b0)
  BIND(REPLACE(REPLACE(REPLACE(?b0, "\\|+", "|"), "^\\||\\|$", ""), "\\|", ", ") AS ?blockers)
  BIND(IF(?next = 3, IF(?hard3 = 0, ?u3, ""), IF(?next = 2, IF(?hard2 = 0, ?u2, ""), IF(?next = 1 && ?hard1 = 0, ?u1, ""))) AS ?missingList)
  BIND(IF(?next = 0, CONCAT(?label, ": all ", STR(?need), " required components included under open licenses"),
       CONCAT(?label, ": Class ", IF(?next = 3, "III", IF(?next = 2, "II", "I")), " ", STR(?have), " of ", STR(?need),
              " (", ?blockers, ")")) AS ?reason)
  # og:asOf only in a view as of a date; the current view is "everything known"
  BIND(IF("9999-12-31" = CONCAT("9999", "-12-31"), ?unbound, STRDT("9999-12-31", xsd:date)) AS ?asOf)
  BIND(NOW() AS ?now)
  BIND(IRI(CONCAT(STR(id:), "assessment/", SUBSTR(SHA256(CONCAT(STR(?release), "|", STR(og:MOF-1.0), "|", STR(rule:), "|",
       COALESCE(STR(?asOf), ""), "|", ?label, "|", ?reason, "|", STR(?p3r), " ", STR(?p2r), " ", STR(?p1r), "|",
       STR(?paperForReport), "|", ?wrongList, "|", ?contestedList, "|", ?missingList, "|", ?claimsDigest)), 1, 32))) AS ?a)
  # ---- list rows: the assessment, one per class (progress), one per component (flags)
  {
    { BIND("main" AS ?row) }
    UNION { VALUES ?pk { 3 2 1 } }
    UNION { ?ecomp og:mofComponentId ?eid }
  }
  BIND(IF(BOUND(?pk), IRI(CONCAT(STR(?a), "-progress-", STR(?pk))), ?unbound) AS ?prog)
  BIND(IF(?pk = 3, ?p3r, IF(?pk = 2, ?p2r, IF(?pk = 1, ?p1r, ?unbound))) AS ?pscore)
  BIND(CONCAT("<", STR(?ecomp), ">") AS ?ekey)
  BIND(IF(BOUND(?ecomp) && CONTAINS(?wrongList, ?ekey), ?ecomp, ?unbound) AS ?wrong)
  BIND(IF(BOUND(?ecomp) && CONTAINS(?missingList, ?ekey), ?ecomp, ?unbound) AS ?missing)
  BIND(IF(BOUND(?ecomp) && CONTAINS(?contestedList, ?ekey), ?ecomp, ?unbound) AS ?contestedComp)
} ;

# ---- the claims of each staged MOF assessment: its components' own and inherited claims
INSERT { GRAPH derived:staging { ?a ?p ?claim } }
WHERE {
  { SELECT ?a ?release WHERE { GRAPH derived:staging { ?a og:assessedRelease ?release ; og:framework og:MOF-1.0 } } }
  { SELECT DISTINCT ?release ?p ?claim WHERE {
      GRAPH derived:mof-components {
        #focus ?release
        ?n og:statusOf ?release ; ?p ?claim }
      FILTER(?p IN (og:usedClaim, og:setAside)) } }
}
