# spectrum — the report's spectrum of openness (Trivedi & Meysenburg, OTI, November 2024), version 1.
#
# Rule in words. For each og:ModelRelease, the combined statuses (derived:combined, combine.ru)
# of the report's criteria give a five-attribute profile and a tier:
#   attribute                      criterion behind it
#   og:OpenCode                    spectrum:Code
#   og:OpenLicense                 spectrum:License
#   og:InputTransparency           spectrum:InputTransparency (weights shown beside it)
#   og:ThreatTransparency          spectrum:DownstreamTransparency
#   og:OpenStandards               spectrum:Standards
# Claims on source criteria count through og:informs (combine.ru). No combined status = Unknown.
#
# The report's table, most open first:
#   1 open code + published weights + inputs "yes" + downstream "yes"            (Mistral)
#   2 open code + published weights + inputs limited/none + some downstream       (Llama)
#   3 open code + no published weights + no transparency about inputs            (Grok)
#   4 closed code + no weights + public access + some transparency                (ChatGPT, Gemini, Claude)
#   5 closed code + proprietary access + no transparency                          (internal systems)
#
# Decisions where the table is silent (each keeps the table's order and is tested as a case in
# tests/rules/manifest.ttl):
#  D1 "open"/"published" for code and weights means Open or Partial (released with restrictions,
#     e.g. a gated download, is still released; the restriction shows in the license attribute).
#     Closed and NotApplicable mean not released.
#  D2 Transparency "yes" is Open; "some" is Open or Partial; "limited/none" is Partial or Closed.
#  D3 The decision list, first match wins:
#       code released AND weights released -> tier 1 if inputs Open and downstream Open, else 2
#       code released XOR weights released  -> tier 3   (open code without weights, as Grok;
#                                                       weights without code: less than 2, more than 4)
#       neither released -> tier 4 if access, inputs or downstream is Open/Partial, else 5
#  D4 Access matters only for closed code and closed weights (the table's "–" elsewhere).
#  D5 Unknown criteria (og:Unknown, og:NotListed, or no claim): the tier is computed for every
#     value (Open, Partial, Closed) each could take; the verdict is the range tierMin–tierMax;
#     og:missingCriterion names the Unknown criteria whose value changes the tier.
#  D6 The report's own placements (og:SpectrumPlacement) are claims, not inputs: the tier is
#     computed from the criteria only; disagreements.rq compares the two.
#  D7 Proprietary access implies unpublished weights: when spectrum:Access is Closed and
#     spectrum:Weights is Unknown, the weights are taken as Closed.
#  D8 Partial code or inputs: partial code is released code (D1); partial inputs are "some /
#     limited" (D2): tier 2, not 1, with code and weights out; tier 4, not 5, with neither.
#  D9 A range (tierMin != tierMax) is the verdict "tier 2–3"; og:verdict is omitted (no single
#     tier is the verdict). A single tier sets og:verdict og:TierN.
#  D10 Contested criteria (independent claimants disagree, combine revision 3): the tier is
#     computed for every value the claimants give (like an unknown that can only take those
#     values); og:contestedCriterion names them. Closed systems whose weights one catalogue
#     wrongly lists as open therefore get a range, never a single open tier.
#
# Writes one og:Assessment per release into derived:staging (publish.ru makes it current), with
# og:reason, one sentence: "tier 2: code released; weights released; inputs partly documented;
# downstream effects documented". The IRI is a hash of the content (release, rule version,
# verdict, profile, claims), so an unchanged verdict keeps its node.

INSERT { GRAPH derived:staging {
    ?a a og:Assessment ; og:assessedRelease ?release ; og:framework og:SpectrumOTI2024 ; og:rule rule: ;
       og:verdict ?verdict ; og:verdictLabel ?label ; og:reason ?reason ; og:tierMin ?tierMin ; og:tierMax ?tierMax ;
       og:asOf ?asOf ; og:assessedOn ?now ; prov:wasGeneratedBy run: ;
       og:profile ?profile ; og:missingCriterion ?missing ; og:attributeVerdict ?av .
    ?av a og:AttributeVerdict ; og:attribute ?attr ; og:criterion ?acrit ; og:status ?astatus ; og:possibleStatus ?apossible .
} }
WHERE {
  {
    SELECT ?release ?code ?weights ?access ?inputs ?downstream ?license ?standards
           (MIN(?tmin) AS ?tierMin) (MAX(?tmax) AS ?tierMax)
           (MAX(IF(?which = "code" && ?n > 1, 1, 0)) AS ?sCode) (MAX(IF(?which = "weights" && ?n > 1, 1, 0)) AS ?sWeights)
           (MAX(IF(?which = "access" && ?n > 1, 1, 0)) AS ?sAccess) (MAX(IF(?which = "inputs" && ?n > 1, 1, 0)) AS ?sInputs)
           (MAX(IF(?which = "downstream" && ?n > 1, 1, 0)) AS ?sDownstream)
    WHERE {
      {
        # ---- tiers of every substitution, grouped by "all criteria but one" (D5, D10)
        SELECT ?release ?code ?weights ?access ?inputs ?downstream ?license ?standards ?which ?others
               (MIN(?t) AS ?tmin) (MAX(?t) AS ?tmax) (COUNT(DISTINCT ?t) AS ?n)
        WHERE {
          {
            # ---- the profile: the set of possible letters per criterion
            # (O open, P partial, C closed, N not applicable, U unknown / not listed / no claim)
            SELECT ?release
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:Code, ?letter, ""); separator="") AS ?c0)
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:Weights, ?letter, ""); separator="") AS ?w0)
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:Access, ?letter, ""); separator="") AS ?a0)
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:InputTransparency, ?letter, ""); separator="") AS ?i0)
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:DownstreamTransparency, ?letter, ""); separator="") AS ?d0)
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:License, ?letter, ""); separator="") AS ?l0)
              (GROUP_CONCAT(DISTINCT IF(?crit = spectrum:Standards, ?letter, ""); separator="") AS ?s0)
            WHERE {
              {
                #focus ?release
                ?release a og:ModelRelease .
                BIND(og:None AS ?crit) BIND("" AS ?letter) }
              UNION
              {
                #focus ?release
                GRAPH derived:combined { ?cs og:statusOf ?release .
                  ?cs og:criterion ?crit ; og:possibleStatus ?ps }
                VALUES ?crit { spectrum:Code spectrum:Weights spectrum:Access spectrum:InputTransparency
                               spectrum:DownstreamTransparency spectrum:License spectrum:Standards }
                BIND(IF(?ps = og:Open, "O", IF(?ps = og:Partial, "P", IF(?ps = og:Closed, "C",
                     IF(?ps = og:NotApplicable, "N", "U")))) AS ?letter) }
            }
            GROUP BY ?release
          }
          # the canonical set (fixed letter order), "U" when nothing is known
          BIND(IF(?c0 = "" || CONTAINS(?c0, "U"), "U", CONCAT(IF(CONTAINS(?c0, "O"), "O", ""), IF(CONTAINS(?c0, "P"), "P", ""), IF(CONTAINS(?c0, "C"), "C", ""), IF(CONTAINS(?c0, "N"), "N", ""))) AS ?code)
          BIND(IF(?w0 = "" || CONTAINS(?w0, "U"), "U", CONCAT(IF(CONTAINS(?w0, "O"), "O", ""), IF(CONTAINS(?w0, "P"), "P", ""), IF(CONTAINS(?w0, "C"), "C", ""), IF(CONTAINS(?w0, "N"), "N", ""))) AS ?weights)
          BIND(IF(?a0 = "" || CONTAINS(?a0, "U"), "U", CONCAT(IF(CONTAINS(?a0, "O"), "O", ""), IF(CONTAINS(?a0, "P"), "P", ""), IF(CONTAINS(?a0, "C"), "C", ""), IF(CONTAINS(?a0, "N"), "N", ""))) AS ?access)
          BIND(IF(?i0 = "" || CONTAINS(?i0, "U"), "U", CONCAT(IF(CONTAINS(?i0, "O"), "O", ""), IF(CONTAINS(?i0, "P"), "P", ""), IF(CONTAINS(?i0, "C"), "C", ""), IF(CONTAINS(?i0, "N"), "N", ""))) AS ?inputs)
          BIND(IF(?d0 = "" || CONTAINS(?d0, "U"), "U", CONCAT(IF(CONTAINS(?d0, "O"), "O", ""), IF(CONTAINS(?d0, "P"), "P", ""), IF(CONTAINS(?d0, "C"), "C", ""), IF(CONTAINS(?d0, "N"), "N", ""))) AS ?downstream)
          BIND(IF(?l0 = "" || CONTAINS(?l0, "U"), "U", CONCAT(IF(CONTAINS(?l0, "O"), "O", ""), IF(CONTAINS(?l0, "P"), "P", ""), IF(CONTAINS(?l0, "C"), "C", ""), IF(CONTAINS(?l0, "N"), "N", ""))) AS ?license)
          BIND(IF(?s0 = "" || CONTAINS(?s0, "U"), "U", CONCAT(IF(CONTAINS(?s0, "O"), "O", ""), IF(CONTAINS(?s0, "P"), "P", ""), IF(CONTAINS(?s0, "C"), "C", ""), IF(CONTAINS(?s0, "N"), "N", ""))) AS ?standards)
          # ---- substitute every unknown or contested criterion by each value it could take, in
          # the classes the table tells apart: code, weights, access R (released / public: Open or
          # Partial) or X (not: Closed or NotApplicable); inputs, downstream O, P or X
          BIND(?code = "U" || CONTAINS(?code, "O") || CONTAINS(?code, "P") AS ?cR)
          BIND(?code = "U" || CONTAINS(?code, "C") || CONTAINS(?code, "N") AS ?cX)
          BIND(IF(?weights = "U" && ?access = "C", false, ?weights = "U" || CONTAINS(?weights, "O") || CONTAINS(?weights, "P")) AS ?wR)  # D7
          BIND(?weights = "U" || CONTAINS(?weights, "C") || CONTAINS(?weights, "N") AS ?wX)
          BIND(?access = "U" || CONTAINS(?access, "O") || CONTAINS(?access, "P") AS ?xR)
          BIND(?access = "U" || CONTAINS(?access, "C") || CONTAINS(?access, "N") AS ?xX)
          VALUES ?c { "R" "X" } FILTER(IF(?c = "R", ?cR, ?cX))
          VALUES ?w { "R" "X" } FILTER(IF(?w = "R", ?wR, ?wX))
          VALUES ?x { "R" "X" } FILTER(IF(?x = "R", ?xR, ?xX))
          VALUES ?i { "O" "P" "X" } FILTER(?inputs = "U" || IF(?i = "X", CONTAINS(?inputs, "C") || CONTAINS(?inputs, "N"), CONTAINS(?inputs, ?i)))
          VALUES ?d { "O" "P" "X" } FILTER(?downstream = "U" || IF(?d = "X", CONTAINS(?downstream, "C") || CONTAINS(?downstream, "N"), CONTAINS(?downstream, ?d)))
          # ---- the tier of one substitution (D1-D4, D8)
          BIND(IF(?c = "R" && ?w = "R", IF(?i = "O" && ?d = "O", 1, 2),
               IF(?c = "R" || ?w = "R", 3,
               IF(?x = "R" || ?i != "X" || ?d != "X", 4, 5))) AS ?t)
          VALUES ?which { "code" "weights" "access" "inputs" "downstream" }
          BIND(CONCAT(IF(?which = "code", "*", ?c), IF(?which = "weights", "*", ?w), IF(?which = "access", "*", ?x),
                      IF(?which = "inputs", "*", ?i), IF(?which = "downstream", "*", ?d)) AS ?others)
        }
        GROUP BY ?release ?code ?weights ?access ?inputs ?downstream ?license ?standards ?which ?others
      }
      # a criterion is sensitive when some two substitutions that differ only in it differ in tier
    }
    GROUP BY ?release ?code ?weights ?access ?inputs ?downstream ?license ?standards
  }
  {
    # the claims the verdict rests on, in a fixed order: part of the assessment's identity
    SELECT ?release (SHA256(GROUP_CONCAT(?entry; separator=" ")) AS ?claimsDigest) WHERE {
      {
        SELECT DISTINCT ?release ?entry WHERE {
          {
            #focus ?release
            ?release a og:ModelRelease .
            BIND("" AS ?entry) }
          UNION
          {
            #focus ?release
            GRAPH derived:combined { ?cs og:statusOf ?release .
              ?cs og:criterion ?crit .
              { ?cs og:usedClaim ?cl . BIND("u" AS ?kind) } UNION { ?cs og:setAside ?cl . BIND("a" AS ?kind) } }
            VALUES ?crit { spectrum:Code spectrum:Weights spectrum:Access spectrum:InputTransparency
                           spectrum:DownstreamTransparency spectrum:License spectrum:Standards }
            BIND(CONCAT(?kind, STR(?cl)) AS ?entry) }
        } ORDER BY ?release ?entry
      }
    } GROUP BY ?release
  }
  BIND(CONCAT(IF(?sCode = 1, "[code]", ""), IF(?sWeights = 1, "[weights]", ""), IF(?sAccess = 1, "[access]", ""),
              IF(?sInputs = 1, "[inputs]", ""), IF(?sDownstream = 1, "[downstream]", "")) AS ?sensitive)
  BIND(CONCAT("code=", ?code, " weights=", ?weights, " access=", ?access, " inputs=", ?inputs,
              " downstream=", ?downstream, " license=", ?license, " standards=", ?standards) AS ?profile)
  BIND(IF(?tierMin = ?tierMax, CONCAT("tier ", STR(?tierMin)), CONCAT("tier ", STR(?tierMin), "–", STR(?tierMax))) AS ?label)
  BIND(IF(?tierMin = ?tierMax, IRI(CONCAT(STR(og:), "Tier", STR(?tierMin))), ?unbound) AS ?verdict)
  # ---- the reason, one sentence (phrases per criterion; contested sets say so)
  BIND(IF(?code = "U", "code unknown", IF(STRLEN(?code) > 1, "code contested", IF(?code = "O", "code released",
       IF(?code = "P", "code partly released", IF(?code = "N", "no code", "code not released"))))) AS ?rCode)
  BIND(IF(?weights = "U", "weights unknown", IF(STRLEN(?weights) > 1, "weights contested", IF(?weights = "O", "weights released",
       IF(?weights = "P", "weights released with restrictions", IF(?weights = "N", "no weights", "weights not released"))))) AS ?rWeights)
  BIND(IF(?inputs = "U", "inputs unknown", IF(STRLEN(?inputs) > 1, "input documentation contested", IF(?inputs = "O", "inputs documented",
       IF(?inputs = "P", "inputs partly documented", IF(?inputs = "N", "inputs not applicable", "inputs not documented"))))) AS ?rInputs)
  BIND(IF(?downstream = "U", "downstream effects unknown", IF(STRLEN(?downstream) > 1, "downstream documentation contested",
       IF(?downstream = "O", "downstream effects documented", IF(?downstream = "P", "downstream effects partly documented",
       IF(?downstream = "N", "downstream effects not applicable", "downstream effects not documented"))))) AS ?rDown)
  BIND(IF(?access = "O", "public access", IF(?access = "P", "limited public access", IF(?access = "C", "proprietary access",
       IF(STRLEN(?access) > 1, "access contested", "access unknown")))) AS ?rAccess)
  BIND(CONCAT(?label, ": ", ?rCode, "; ", ?rWeights,
              IF(!(?code IN ("O", "P")) && !(?weights IN ("O", "P")), CONCAT("; ", ?rAccess), ""),
              "; ", ?rInputs, "; ", ?rDown,
              IF(?tierMin != ?tierMax, CONCAT(" (the range depends on ",
                 REPLACE(REPLACE(REPLACE(?sensitive, "\\]\\[", ", "), "\\[", ""), "\\]", ""), ")"), "")) AS ?reason)
  # og:asOf only in a view as of a date; the current view is "everything known"
  BIND(IF("9999-12-31" = CONCAT("9999", "-12-31"), ?unbound, STRDT("9999-12-31", xsd:date)) AS ?asOf)
  BIND(NOW() AS ?now)
  BIND(IRI(CONCAT(STR(id:), "assessment/", SUBSTR(SHA256(CONCAT(STR(?release), "|", STR(og:SpectrumOTI2024), "|", STR(rule:), "|",
       COALESCE(STR(?asOf), ""), "|", ?label, "|", ?profile, "|", ?sensitive, "|", ?claimsDigest)), 1, 32))) AS ?a)
  # ---- list rows: the criteria the range waits for, and the five attribute verdicts
  {
    { BIND("main" AS ?row) }
    UNION
    { VALUES (?mcrit ?mword) { (spectrum:Code "code") (spectrum:Weights "weights") (spectrum:Access "access")
                               (spectrum:InputTransparency "inputs") (spectrum:DownstreamTransparency "downstream") } }
    UNION
    { VALUES (?attr ?acrit ?which) { (og:OpenCode spectrum:Code "code") (og:OpenLicense spectrum:License "license")
          (og:InputTransparency spectrum:InputTransparency "inputs") (og:ThreatTransparency spectrum:DownstreamTransparency "downstream")
          (og:OpenStandards spectrum:Standards "standards") }
      VALUES (?aletter ?astatus0) { ("O" og:Open) ("P" og:Partial) ("C" og:Closed) ("N" og:NotApplicable) ("U" og:Unknown) } }
  }
  BIND(IF(?mword = "code", ?code, IF(?mword = "weights", ?weights, IF(?mword = "access", ?access,
       IF(?mword = "inputs", ?inputs, ?downstream)))) AS ?mset)
  BIND(IF(BOUND(?mcrit) && CONTAINS(?sensitive, CONCAT("[", ?mword, "]")) && ?mset = "U", ?mcrit, ?unbound) AS ?missing)
  BIND(IF(?which = "code", ?code, IF(?which = "license", ?license, IF(?which = "inputs", ?inputs,
       IF(?which = "downstream", ?downstream, ?standards)))) AS ?aset)
  FILTER(!BOUND(?aletter) || CONTAINS(?aset, ?aletter))
  BIND(IF(BOUND(?attr), IRI(CONCAT(STR(?a), "-", STRAFTER(STR(?attr), "#"))), ?unbound) AS ?av)
  BIND(IF(BOUND(?attr), ?astatus0, ?unbound) AS ?apossible)
  BIND(IF(BOUND(?attr) && STRLEN(?aset) = 1, ?astatus0, ?unbound) AS ?astatus)
  FILTER(BOUND(?row) || BOUND(?missing) || BOUND(?av))
} ;

# ---- the claims of each staged spectrum assessment (used and set aside) and its contested criteria
INSERT { GRAPH derived:staging { ?a og:usedClaim ?used ; og:setAside ?aside ; og:contestedCriterion ?contested . } }
WHERE {
  GRAPH derived:staging { ?a og:assessedRelease ?release ; og:framework og:SpectrumOTI2024 . }
  GRAPH derived:combined { ?cs og:statusOf ?release ; og:criterion ?crit .
    { ?cs og:usedClaim ?used } UNION { ?cs og:setAside ?aside } UNION { ?cs og:contested true . BIND(1 AS ?isContested) } }
  VALUES ?crit { spectrum:Code spectrum:Weights spectrum:Access spectrum:InputTransparency
                 spectrum:DownstreamTransparency spectrum:License spectrum:Standards }
  # (a BIND inside the union branch would not see ?crit: each group is evaluated on its own)
  BIND(IF(BOUND(?isContested), ?crit, ?unbound) AS ?contested)
}
