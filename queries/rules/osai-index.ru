# osai-index — being rewritten from queries/osai-index-1.0.rq into the derived layer (see spectrum.ru).
DROP SILENT GRAPH derived:nothing-yet
