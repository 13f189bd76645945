# osaid — being rewritten from queries/osaid-1.0.rq into the derived layer (see spectrum.ru).
DROP SILENT GRAPH derived:nothing-yet
