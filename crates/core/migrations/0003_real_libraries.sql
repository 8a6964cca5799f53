-- Real libraries: DOIs, fields a user edited by hand, how each page's text was obtained.

-- The DOI the paper prints (or a user gave).
ALTER TABLE papers ADD COLUMN doi TEXT;
CREATE INDEX papers_doi ON papers (doi);
-- Fields a user edited by hand (JSON list of names: title, authors, date, arxiv_id, doi);
-- nothing automatic (catalog reload, re-import, detection) overwrites them.
ALTER TABLE papers ADD COLUMN edited TEXT NOT NULL DEFAULT '[]';

-- Where a page's text came from: the PDF's text layer, OCR, or nowhere ('empty': the page has
-- no text layer and no OCR yet; 'unreadable': its glyphs could not be mapped to letters).
ALTER TABLE pages ADD COLUMN source TEXT NOT NULL DEFAULT 'text'
    CHECK (source IN ('text', 'ocr', 'empty', 'unreadable'));

-- Per version: how much of it has a text layer ('text', 'partial', 'none') and where OCR
-- stands ('none' needed, 'pending', 'running', 'done', 'unavailable', 'failed').
ALTER TABLE versions ADD COLUMN text_layer TEXT NOT NULL DEFAULT 'text';
ALTER TABLE versions ADD COLUMN ocr TEXT NOT NULL DEFAULT 'none';
-- Per-file notes of what went wrong inside an imported file (JSON list of
-- {page, problem}), shown to the user beside the paper.
ALTER TABLE versions ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
