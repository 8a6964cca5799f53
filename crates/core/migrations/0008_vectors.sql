-- Passage vectors for search by meaning (crates/core/src/search/vectors.rs): derived data, one
-- row per passage holding its windows' int8 vectors, gone with its passage, dropped by reindex.
CREATE TABLE passage_vectors (
    passage_id INTEGER PRIMARY KEY REFERENCES passages (id) ON DELETE CASCADE,
    data       BLOB NOT NULL
);
