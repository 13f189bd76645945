# release-dates — one release date per release, from the dates sources state.
#
# Sources disagree on dates, so importers keep every date a source states with its claimant
# (og:ReleaseDateStatement: og:about the release, og:statedReleaseDate, og:claimant). This
# derived step writes into derived:release-dates, for every release that no batch gives an
# og:releaseDate (or og:releaseDateUnknown) of its own, the earliest stated date (typed xsd:gYear / xsd:gYearMonth /
# xsd:date by its precision; of two dates in the same year or month, the more precise one), or
# og:releaseDateUnknown true when no source states one. UNION + GROUP BY over the focus releases.

DELETE { GRAPH derived:release-dates { ?release ?p ?o } }
WHERE {
  #focus ?release
  GRAPH derived:release-dates { ?release ?p ?o }
} ;

INSERT { GRAPH derived:release-dates { ?release og:releaseDate ?date . ?release og:releaseDateUnknown ?unknown . } }
WHERE {
  {
    SELECT ?release (MAX(?own0) AS ?own) (MIN(?key0b) AS ?key) WHERE {
      # each branch gives its own rows, the focus first in each
      {
        #focus ?release
        ?release a og:ModelRelease ; og:releaseDate ?known . BIND(1 AS ?own0) BIND("~" AS ?key0) }
      UNION {
        #focus ?release
        ?release a og:ModelRelease ; og:releaseDateUnknown true . BIND(1 AS ?own0) BIND("~" AS ?key0) }
      UNION {
        #focus ?release
        ?st og:about ?release ; og:statedReleaseDate ?stated . ?release a og:ModelRelease .
        BIND(0 AS ?own0) BIND(STR(?stated) AS ?s0) }
      UNION {
        #focus ?release
        ?release a og:ModelRelease ; og:statedReleaseDate ?stated2 . BIND(0 AS ?own0) BIND(STR(?stated2) AS ?s0) }
      UNION {
        #focus ?release
        ?release a og:ModelRelease . BIND(0 AS ?own0) BIND("~" AS ?key0) }
      # sort key: the date padded so that "2023-07" sorts after "2023-07-18" (more precise first),
      # then the date itself
      BIND(COALESCE(?key0, CONCAT(SUBSTR(CONCAT(?s0, "-99-99"), 1, 10), "|", ?s0)) AS ?key0b)
    } GROUP BY ?release
  }
  FILTER(?own = 0)
  BIND(STRAFTER(?key, "|") AS ?earliest)
  BIND(IF(?earliest != "",
          STRDT(?earliest, IF(STRLEN(?earliest) = 4, xsd:gYear, IF(STRLEN(?earliest) = 7, xsd:gYearMonth, xsd:date))),
          ?unbound) AS ?date)
  BIND(IF(?earliest = "", true, ?unbound) AS ?unknown)
}
