-- The chatbot's FAQ search (issue 5): alternate phrasings per entry and a full-text vector in the
-- entry's own language (french, english, dutch configurations exist on PGlite and on the server alike;
-- unaccent and pg_trgm would need extensions, so accents are folded by tf_fold instead).

-- Lower case without accents: customers type "delai" for "délai" and "hygiene" for "hygiëne".
CREATE FUNCTION tf_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT translate(lower(t), 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa') $$;

-- The text-search configuration of one of our languages.
CREATE FUNCTION tf_search_config(lang text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE lang WHEN 'fr' THEN 'french'::regconfig WHEN 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END $$;

-- One phrasing per line: other ways customers ask the same thing (synonyms, slang, key words).
ALTER TABLE faq_entries ADD COLUMN phrasings text NOT NULL DEFAULT '';

-- Weights: the title (A) says what the entry is about; phrasings (B) are chosen for search; the
-- answer (C) mentions many side topics, so it counts least.
ALTER TABLE faq_entries ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(tf_search_config(lang), tf_fold(title)), 'A')
  || setweight(to_tsvector(tf_search_config(lang), tf_fold(phrasings)), 'B')
  || setweight(to_tsvector(tf_search_config(lang), tf_fold(answer)), 'C')
) STORED;

CREATE INDEX idx_faq_entries_lang_position ON faq_entries (lang, position);
CREATE INDEX idx_faq_entries_search ON faq_entries USING gin (search_vector);
