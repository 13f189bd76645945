# release-developers — unknown is a value: a release that no source gives a developer gets
# og:developerUnknown true, never a silent gap (Epoch AI, for one, leaves "Organization" empty on
# some rows). Derived step (docs/derived-layer.md), into derived:release-developers, for the
# focus releases. One UNION + GROUP BY.

DELETE { GRAPH derived:release-developers { ?release ?p ?o } }
WHERE { GRAPH derived:release-developers { ?release ?p ?o } #focus ?release
} ;

INSERT { GRAPH derived:release-developers { ?release og:developerUnknown true . } }
WHERE {
  {
    SELECT ?release (MAX(?d0) AS ?known) WHERE {
      { #focus ?release
        ?release a og:ModelRelease . BIND(0 AS ?d0) }
      UNION
      { #focus ?release
        ?release a og:ModelRelease ; og:developer ?developer . BIND(1 AS ?d0) }
      UNION
      { #focus ?release
        ?release a og:ModelRelease ; og:developerUnknown true . BIND(1 AS ?d0) }
    } GROUP BY ?release
  }
  FILTER(?known = 0)
}
