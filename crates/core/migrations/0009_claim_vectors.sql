-- A stored claim's vector for suggestions by meaning (crates/core/src/search/vectors.rs):
-- derived data kept with the text and model it was made from, so a claim is embedded once,
-- again after an edit, and gone with its claim.
CREATE TABLE claim_vectors (
    claim_id TEXT PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE,
    model    TEXT NOT NULL,
    text     TEXT NOT NULL,
    vector   BLOB NOT NULL
);
