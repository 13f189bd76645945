# osaid — Open Source AI Definition 1.0 (OSI, October 2024): pass or fail, version 2 (derived layer).
#
# Rule in words (frameworks.md §3), through OSI's checklist mapping onto MOF components. Each
# component's inclusion, license and terms come from derived:mof-components (mof-components.ru:
# combined status, MOF's license precedence, og:openlyLicensed, og:osiLicensed):
#  * Data information (og:DataInformationRequirement): a description of the training data ->
#    (data card OR datasets) AND (technical report OR research paper). The data itself is not
#    required.
#  * Code (og:CodeRequirement): data preprocessing code, training code, evaluation code,
#    inference code, supporting libraries and tools, model architecture — all of them.
#  * Parameters (og:ParametersRequirement): the final parameters (intermediate checkpoints only
#    "where they exist", so they are not required).
# Terms: code components need OSI terms (og:osiLicensed: OSI-approved or FSF-libre); documents and
# parameters need open terms (og:openlyLicensed: the product's one definition of an open license).
# An element (one component, or an "either" pair) FAILS ON COMPONENTS when no alternative is
# included; it FAILS ON LICENSE when an alternative is included but none has acceptable terms.
# A requirement fails when an element fails; og:LicenseTermsRequirement fails when any element
# fails on license (whatever else fails).
# Verdict: og:OSAIDPass when the three requirements pass; og:OSAIDFail when a requirement fails on
# something known (a component known not to be available, or terms known not to be acceptable),
# with every requirement so failed (og:failedRequirement, license failures included);
# og:OSAIDUndetermined ("not known whether Open Source AI, until known: ...") when every failure
# stands on components nobody has stated (frameworks.md: a verdict that depends on an unknown
# criterion says so, never silently closed). og:failsOnlyOnLicense true when nothing fails on
# components (it would pass with acceptable terms).
# Decisions:
#  * Statuses: included = every possible combined status is Open or Partial. og:Unknown,
#    og:NotListed (absence from a catalogue's listing) and no claim at all are unknown: not
#    included (the verdict needs evidence), named in the reason ("not known: ...") and, when they
#    stand behind a failed element, in og:missingCriterion; a requirement that fails only on them
#    is not named as failed, and a verdict that fails only on them is og:OSAIDUndetermined.
#  * Contested components (claimants disagree, combine revision 3) count only if every value a
#    claimant gives counts (conservative); named in og:contestedCriterion and the reason.
#  * A release with no combined status on any MOF component is not assessed (unknown, not a fail).
#
# Writes one og:Assessment per release into derived:staging (publish.ru makes it current), with
# og:reason, one sentence naming every failed requirement, e.g. "not Open Source AI: missing data
# information, code; parameters under terms that are not open (Llama 3.1 Community License)".
# The IRI is a hash of the content, so an unchanged verdict keeps its node.
# UNION + GROUP BY aggregations only; "#focus ?release" marks every scan of derived data.

INSERT { GRAPH derived:staging {
    ?a a og:Assessment ; og:assessedRelease ?release ; og:framework og:OSAID-1.0 ; og:rule rule: ;
       og:verdict ?verdict ; og:verdictLabel ?label ; og:reason ?reason ;
       og:asOf ?asOf ; og:assessedOn ?now ; prov:wasGeneratedBy run: ;
       og:failedRequirement ?failed ; og:failsOnlyOnLicense ?failsOnlyOnLicense ;
       og:missingCriterion ?missing ; og:contestedCriterion ?contestedComp .
} }
WHERE {
  {
    # ---- per release: the three requirements side by side
    SELECT ?release
      (MAX(IF(?req = og:DataInformationRequirement, ?pass, 0)) AS ?dPass) (MAX(IF(?req = og:DataInformationRequirement, ?compFail, 0)) AS ?dComp)
      (MAX(IF(?req = og:DataInformationRequirement, ?licFail, 0)) AS ?dLic) (MAX(IF(?req = og:DataInformationRequirement, ?names, "")) AS ?dNames)
      (MAX(IF(?req = og:CodeRequirement, ?pass, 0)) AS ?cPass) (MAX(IF(?req = og:CodeRequirement, ?compFail, 0)) AS ?cComp)
      (MAX(IF(?req = og:CodeRequirement, ?licFail, 0)) AS ?cLic) (MAX(IF(?req = og:CodeRequirement, ?names, "")) AS ?cNames)
      (MAX(IF(?req = og:ParametersRequirement, ?pass, 0)) AS ?pPass) (MAX(IF(?req = og:ParametersRequirement, ?compFail, 0)) AS ?pComp)
      (MAX(IF(?req = og:ParametersRequirement, ?licFail, 0)) AS ?pLic) (MAX(IF(?req = og:ParametersRequirement, ?names, "")) AS ?pNames)
      (MAX(IF(?req = og:DataInformationRequirement, ?knownFail, 0)) AS ?dKnown)
      (MAX(IF(?req = og:CodeRequirement, ?knownFail, 0)) AS ?cKnown)
      (MAX(IF(?req = og:ParametersRequirement, ?knownFail, 0)) AS ?pKnown)
      (MAX(IF(?req = og:DataInformationRequirement, ?unk, "")) AS ?dUnk) (MAX(IF(?req = og:CodeRequirement, ?unk, "")) AS ?cUnk)
      (MAX(IF(?req = og:ParametersRequirement, ?unk, "")) AS ?pUnk)
      (MAX(IF(?req = og:DataInformationRequirement, ?con, "")) AS ?dCon) (MAX(IF(?req = og:CodeRequirement, ?con, "")) AS ?cCon)
      (MAX(IF(?req = og:ParametersRequirement, ?con, "")) AS ?pCon)
      (GROUP_CONCAT(?unkIris; separator="") AS ?missingList) (GROUP_CONCAT(?conIris; separator="") AS ?contestedList)
    WHERE {
      {
        # ---- per (release, requirement): pass, fails on components, fails on license
        SELECT ?release ?req (MIN(?epass) AS ?pass) (MAX(IF(?einc = 0, 1, 0)) AS ?compFail)
               (MAX(IF(?einc = 0 && ?eallUnk = 0, 1, 0)) AS ?knownFail)
               (MAX(IF(?einc = 1 && ?epass = 0, 1, 0)) AS ?licFail)
               (GROUP_CONCAT(DISTINCT IF(?einc = 1 && ?epass = 0, ?enames, ""); separator="|") AS ?names0)
               (GROUP_CONCAT(DISTINCT IF(?einc = 0, ?eunk, ""); separator="|") AS ?unk0)
               (GROUP_CONCAT(DISTINCT ?econ; separator="|") AS ?con0)
               (GROUP_CONCAT(IF(?einc = 0, ?eunkIris, ""); separator="") AS ?unkIris)
               (GROUP_CONCAT(?econIris; separator="") AS ?conIris)
        WHERE {
          {
            # ---- per (release, requirement, element): passes? included? what to name
            SELECT ?release ?req ?eorder (MAX(?ok) AS ?epass) (MAX(?incl) AS ?einc)
                   (MIN(IF(?unknown, 1, 0)) AS ?eallUnk)
                   (GROUP_CONCAT(DISTINCT IF(?incl = 1 && ?ok = 0, ?lnames, ""); separator="|") AS ?enames)
                   (GROUP_CONCAT(DISTINCT IF(?incl = 0 && ?unknown, ?name, ""); separator="|") AS ?eunk)
                   (GROUP_CONCAT(DISTINCT IF(?incl = 0 && ?unknown, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?eunkIris)
                   (GROUP_CONCAT(DISTINCT IF(?con, ?name, ""); separator="|") AS ?econ)
                   (GROUP_CONCAT(DISTINCT IF(?con, CONCAT("<", STR(?comp), ">"), ""); separator="") AS ?econIris)
            WHERE {
              {
                SELECT ?release ?req ?eorder ?comp ?cid ?name ?incl ?ok ?unknown ?con ?lnames WHERE {
                  {
                    # per component: its facts, the letters of its possible statuses (O open,
                    # P partial, C closed, N not applicable, L not listed, U unknown) and the
                    # names of its effective licenses ("no license" when it has none)
                    SELECT ?release ?comp ?inc ?open ?osi ?con (GROUP_CONCAT(DISTINCT ?letter; separator="") AS ?letters)
                           (REPLACE(REPLACE(GROUP_CONCAT(DISTINCT ?ln; separator="|"), "\\|+", "|"), "^\\||\\|$", "") AS ?lnames0)
                    WHERE {
                      {
                        SELECT ?release ?comp ?inc ?open ?osi ?con ?letter ?ln WHERE {
                          { SELECT ?n ?release ?comp ?inc ?open ?osi ?con WHERE {
                              GRAPH derived:mof-components {
                                #focus ?release
                                ?n og:statusOf ?release ; og:criterion ?comp ; og:included ?inc ; og:openlyLicensed ?open ;
                                   og:osiLicensed ?osi ; og:contested ?con } } }
                          { SELECT ?n ?letter ?ln WHERE {
                              {
                                GRAPH derived:mof-components {
                                  #focus ?release0
                                  ?n og:statusOf ?release0 ; og:possibleStatus ?ps }
                                BIND(IF(?ps = og:Open, "O", IF(?ps = og:Partial, "P", IF(?ps = og:Closed, "C",
                                     IF(?ps = og:NotApplicable, "N", IF(?ps = og:NotListed, "L", "U"))))) AS ?letter)
                                BIND("" AS ?ln)
                              }
                              UNION
                              {
                                GRAPH derived:mof-components {
                                  #focus ?release1
                                  ?n og:statusOf ?release1 ; og:effectiveLicense ?l2 }
                                {
                                  # a license's name: its label, else the end of its IRI
                                  SELECT ?l2 (MAX(?ln1) AS ?lab) WHERE {
                                    GRAPH derived:licenses { ?l2 og:openTerms ?anyTerms }
                                    { ?l2 rdfs:label ?ll . BIND(CONCAT("1", STR(?ll)) AS ?ln1) } UNION { BIND("0" AS ?ln1) }
                                  } GROUP BY ?l2
                                }
                                BIND(IF(?lab = "0", REPLACE(STR(?l2), "^.*[/#]", ""), SUBSTR(?lab, 2)) AS ?ln)
                                BIND("" AS ?letter)
                              } } }
                        } ORDER BY ?release ?comp ?ln
                      }
                    } GROUP BY ?release ?comp ?inc ?open ?osi ?con
                  }
                  # OSI's checklist: requirement, element (an "either" pair shares one), component
                  VALUES (?comp ?req ?eorder) {
                    (mof:DataCard og:DataInformationRequirement 1) (mof:Datasets og:DataInformationRequirement 1)
                    (mof:TechnicalReport og:DataInformationRequirement 2) (mof:ResearchPaper og:DataInformationRequirement 2)
                    (mof:DataPreprocessingCode og:CodeRequirement 3) (mof:TrainingCode og:CodeRequirement 4)
                    (mof:EvaluationCode og:CodeRequirement 5) (mof:InferenceCode og:CodeRequirement 6)
                    (mof:SupportingLibraries og:CodeRequirement 7) (mof:ModelArchitecture og:CodeRequirement 8)
                    (mof:ModelParametersFinal og:ParametersRequirement 9)
                  }
                  {
                    SELECT ?comp ?cid ?ct (LCASE(MIN(STR(?pl))) AS ?name) WHERE {
                      ?comp og:mofComponentId ?cid ; og:contentType ?ct ; skos:prefLabel ?pl .
                    } GROUP BY ?comp ?cid ?ct
                  }
                  BIND(IF(?lnames0 = "", "no license", REPLACE(?lnames0, "\\|", ", ")) AS ?lnames)
                  BIND(IF(?inc, 1, 0) AS ?incl)
                  BIND(IF(?inc && IF(?ct = og:CodeContent, ?osi, ?open), 1, 0) AS ?ok)
                  BIND(!?inc && !CONTAINS(?letters, "O") && !CONTAINS(?letters, "P")
                       && (CONTAINS(?letters, "U") || CONTAINS(?letters, "L")) AS ?unknown)
                }
                ORDER BY ?release ?req ?eorder ?cid
              }
            }
            GROUP BY ?release ?req ?eorder
            ORDER BY ?release ?req ?eorder
          }
        }
        GROUP BY ?release ?req
        ORDER BY ?release ?req
      }
      BIND(REPLACE(REPLACE(REPLACE(?names0, "\\|+", "|"), "^\\||\\|$", ""), "\\|", ", ") AS ?names)
      BIND(REPLACE(REPLACE(REPLACE(?unk0, "\\|+", "|"), "^\\||\\|$", ""), "\\|", ", ") AS ?unk)
      BIND(REPLACE(REPLACE(REPLACE(?con0, "\\|+", "|"), "^\\||\\|$", ""), "\\|", ", ") AS ?con)
    }
    GROUP BY ?release
  }
  {
    # the claims the verdict rests on, in a fixed order: part of the assessment's identity
    SELECT ?release (SHA256(GROUP_CONCAT(?entry; separator=" ")) AS ?claimsDigest) WHERE {
      {
        SELECT DISTINCT ?release ?entry WHERE {
          { GRAPH derived:mof-components {
              #focus ?release
              ?cn og:statusOf ?release ; og:criterion ?ccomp ; ?cp ?cl }
            FILTER(?cp IN (og:usedClaim, og:setAside))
            VALUES ?ccomp { mof:DataCard mof:Datasets mof:TechnicalReport mof:ResearchPaper mof:DataPreprocessingCode
                            mof:TrainingCode mof:EvaluationCode mof:InferenceCode mof:SupportingLibraries
                            mof:ModelArchitecture mof:ModelParametersFinal }
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
  BIND(?dPass = 1 && ?cPass = 1 && ?pPass = 1 AS ?pass)
  BIND(!?pass && ?dComp = 0 && ?cComp = 0 && ?pComp = 0 AS ?failsOnlyOnLicense)
  BIND(?dLic = 1 || ?cLic = 1 || ?pLic = 1 AS ?anyLic)
  # decided: passes, or fails on something known (a component known not to be there, or terms
  # known not to be acceptable); otherwise every failure stands on what is not known
  BIND(?pass || ?anyLic || ?dKnown = 1 || ?cKnown = 1 || ?pKnown = 1 AS ?decided)
  BIND(IF(?pass, og:OSAIDPass, IF(?decided, og:OSAIDFail, og:OSAIDUndetermined)) AS ?verdict)
  BIND(IF(?pass, "Open Source AI", IF(?decided, "not Open Source AI", "not known whether Open Source AI")) AS ?label)
  # ---- the reason: what is missing, what is under unacceptable terms, what is not known or contested
  BIND(REPLACE(CONCAT(IF(?dKnown = 1, "data information, ", ""), IF(?cKnown = 1, "code, ", ""),
                      IF(?pKnown = 1, "parameters, ", "")), ", $", "") AS ?missingReqs)
  BIND(CONCAT(
         IF(?dLic = 1, CONCAT("; data information under terms that are not open (", ?dNames, ")"), ""),
         IF(?cLic = 1, CONCAT("; code under terms that are not OSI-approved (", ?cNames, ")"), ""),
         IF(?pLic = 1, CONCAT("; parameters under terms that are not open (", ?pNames, ")"), "")) AS ?licParts)
  BIND(REPLACE(REPLACE(CONCAT(?dUnk, ", ", ?cUnk, ", ", ?pUnk), "(, )+", ", "), "^, |, $", "") AS ?unknowns)
  BIND(REPLACE(REPLACE(CONCAT(?dCon, ", ", ?cCon, ", ", ?pCon), "(, )+", ", "), "^, |, $", "") AS ?contesteds)
  BIND(IF(?pass, "Open Source AI: data information, code and parameters available, code under OSI-approved terms, the rest under open terms",
       IF(!?decided,
          CONCAT("not known whether Open Source AI, until known: ", ?unknowns,
                 IF(?contesteds != "", CONCAT("; contested: ", ?contesteds), "")),
       CONCAT("not Open Source AI: ",
              REPLACE(CONCAT(IF(?missingReqs != "", CONCAT("missing ", ?missingReqs), ""), ?licParts,
                             IF(?unknowns != "", CONCAT("; not known: ", ?unknowns), ""),
                             IF(?contesteds != "", CONCAT("; contested: ", ?contesteds), "")), "^; ", "")))) AS ?reason)
  BIND(IF("9999-12-31" = CONCAT("9999", "-12-31"), ?unbound, STRDT("9999-12-31", xsd:date)) AS ?asOf)
  BIND(NOW() AS ?now)
  BIND(CONCAT(IF(?dKnown = 1 || ?dLic = 1, "D", ""), IF(?cKnown = 1 || ?cLic = 1, "C", ""),
              IF(?pKnown = 1 || ?pLic = 1, "P", ""), IF(?anyLic, "L", "")) AS ?failedKey)
  BIND(IRI(CONCAT(STR(id:), "assessment/", SUBSTR(SHA256(CONCAT(STR(?release), "|", STR(og:OSAID-1.0), "|", STR(rule:), "|",
       COALESCE(STR(?asOf), ""), "|", ?label, "|", ?reason, "|", ?failedKey, "|", STR(?failsOnlyOnLicense), "|",
       ?missingList, "|", ?contestedList, "|", ?claimsDigest)), 1, 32))) AS ?a)
  # ---- list rows: the assessment, its failed requirements, its missing and contested components
  {
    { BIND("main" AS ?row) }
    UNION
    { VALUES (?freq ?fkey) { (og:DataInformationRequirement "D") (og:CodeRequirement "C")
                             (og:ParametersRequirement "P") (og:LicenseTermsRequirement "L") } }
    UNION { ?ecomp og:mofComponentId ?eid }
  }
  BIND(IF(BOUND(?freq) && CONTAINS(?failedKey, ?fkey), ?freq, ?unbound) AS ?failed)
  BIND(CONCAT("<", STR(?ecomp), ">") AS ?ekey)
  BIND(IF(BOUND(?ecomp) && CONTAINS(?missingList, ?ekey), ?ecomp, ?unbound) AS ?missing)
  BIND(IF(BOUND(?ecomp) && CONTAINS(?contestedList, ?ekey), ?ecomp, ?unbound) AS ?contestedComp)
} ;

# ---- the claims of each staged OSAID assessment: those of the components OSI's checklist names
INSERT { GRAPH derived:staging { ?a ?p ?claim } }
WHERE {
  { SELECT ?a ?release WHERE { GRAPH derived:staging { ?a og:assessedRelease ?release ; og:framework og:OSAID-1.0 } } }
  { SELECT DISTINCT ?release ?p ?claim WHERE {
      GRAPH derived:mof-components {
        #focus ?release
        ?n og:statusOf ?release ; og:criterion ?comp ; ?p ?claim }
      FILTER(?p IN (og:usedClaim, og:setAside))
      VALUES ?comp { mof:DataCard mof:Datasets mof:TechnicalReport mof:ResearchPaper mof:DataPreprocessingCode
                     mof:TrainingCode mof:EvaluationCode mof:InferenceCode mof:SupportingLibraries
                     mof:ModelArchitecture mof:ModelParametersFinal } } }
}
