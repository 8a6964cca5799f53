-- References and citations: which part of a paper a passage belongs to, the entries of each
-- version's reference list, and the citation edges between library papers.

-- 'body' for running text, 'references' for a passage of the reference list. Set at import;
-- libraries made before this migration get it from the backfill that runs with it.
ALTER TABLE passages ADD COLUMN section TEXT NOT NULL DEFAULT 'body'
    CHECK (section IN ('body', 'references'));

-- The entries of a version's reference list, in order, with what was read from each.
CREATE TABLE reference_entries (
    version_sha256 TEXT NOT NULL REFERENCES versions (sha256) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    -- The entry as printed (whitespace collapsed).
    text           TEXT NOT NULL,
    -- JSON lists of the arXiv ids (without version) and DOIs (lowercase) the entry names.
    arxiv_ids      TEXT NOT NULL DEFAULT '[]',
    dois           TEXT NOT NULL DEFAULT '[]',
    -- The part of the entry that reads as its title, when one stands out.
    title          TEXT,
    PRIMARY KEY (version_sha256, seq)
);

-- A library paper citing another: `via` says how the entry was matched ('arxiv', 'doi',
-- 'title'). Derived from reference_entries and the papers' ids, titles and dates.
CREATE TABLE citations (
    paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    cited_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    via      TEXT NOT NULL,
    PRIMARY KEY (paper_id, cited_id),
    CHECK (paper_id != cited_id)
);
CREATE INDEX citations_cited ON citations (cited_id);
